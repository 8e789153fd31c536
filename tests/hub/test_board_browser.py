"""Two members in two browsers on a real hub server: Ann posts a need, Bob finds it on the board and offers to
help, Ann accepts, both see the introduction with each other's e-mail and record how it went.

Skipped where there is no /usr/bin/chromium or no Playwright. Signing in is the members' area: each browser is
given a real server-side session cookie, exactly what signing in sets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from givefirst.hub.services import sessions
from givefirst.hub.services.context import Hub
from givefirst.hub.store.schema import members
from givefirst.hub.web.app import SESSION_COOKIE
from tests.hub import factory
from tests.hub.server import hub_server

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")


def _signed_in(browser: Any, base: str, hub: Hub, member_id: int) -> Any:
    context = browser.new_context(base_url=base)
    context.add_cookies([{"name": SESSION_COOKIE, "value": sessions.start(hub, member_id), "url": base}])
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "favicon" not in m.text else None)
    page.problems = problems
    return page


def test_two_members_meet_through_the_board(hub: Hub) -> None:
    ny = factory.chapter(hub, "New York")
    ann, bob = factory.member(hub, ny, name="Ann Lee"), factory.member(hub, ny, name="Bob Diaz")
    with hub.engine.connect() as conn:
        rows = conn.execute(select(members.c.id, members.c.email).where(members.c.id.in_((ann, bob))))
        mail = {int(r.id): str(r.email) for r in rows}
    with sync_api.sync_playwright() as p, hub_server(hub) as base:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        a, b = _signed_in(browser, base, hub, ann), _signed_in(browser, base, hub, bob)

        a.goto("/me/items")
        a.get_by_label("something I need").check()
        a.locator("#add textarea[name=text]").fill("Looking for a wedding photographer for June")
        a.locator("#add input[name=tags]").fill("wedding")
        a.locator("#add select[name=visibility]").select_option("chapter")
        a.locator("#add button[type=submit]").click()
        assert "Added" in a.locator("[role=status]").inner_text()

        b.goto("/board")
        card = b.locator("li.item", has_text="Looking for a wedding photographer")
        assert "Ann Lee" in card.inner_text()
        card.locator("input[name=message]").fill("I shoot weddings, happy to help")
        card.get_by_role("button", name="Offer my help").click()
        assert "Proposed" in b.locator("[role=status]").inner_text()
        assert b.locator(".intro-state").inner_text() == "waiting"
        assert mail[ann] not in b.content()

        a.goto("/introductions")
        a.get_by_role("link", name="Ann Lee ↔ Bob Diaz").click()
        assert "Referral" in a.content() and "I shoot weddings" in a.content()
        a.get_by_role("button", name="Accept").click()
        assert a.locator(".intro-state").inner_text() == "connected"
        assert a.get_by_role("link", name=mail[bob]).count() == 1

        b.reload()
        assert b.locator(".intro-state").inner_text() == "connected"
        assert b.get_by_role("link", name=mail[ann]).count() == 1

        a.get_by_label("this helped").check()
        a.locator("input[name=note]").fill("Lovely photos")
        a.get_by_label("thank publicly on the board").check()
        a.get_by_role("button", name="Record").click()
        b.get_by_label("this helped").check()
        b.get_by_label("thank publicly on the board").check()
        b.get_by_role("button", name="Record").click()
        for page in (a, b):
            page.reload()
            assert "this helped" in page.locator(".intro-outcome").inner_text()
        b.goto("/board")
        assert "thanks" in b.locator("section", has_text="Thanks").inner_text()
        assert a.problems == [] and b.problems == []
        browser.close()
