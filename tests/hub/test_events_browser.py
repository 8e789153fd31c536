"""In a real browser (Chromium via Playwright): a lead plans a meeting, a member answers and shows their code at
the door, the lead checks them in, reads the room sheet and suggests an introduction that the member's prep sheet
then shows. Two browser contexts, one per member, on a real server on loopback.

Skipped where there is no /usr/bin/chromium or no Playwright.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from givefirst.hub.domain.access import Role
from givefirst.hub.services import sessions
from givefirst.hub.services.context import Hub
from givefirst.hub.web.app import SESSION_COOKIE
from tests.hub import factory
from tests.hub.server import hub_server

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")


def _signed_in(browser: Any, base: str, hub: Hub, member_id: int, **options: Any) -> Any:
    context = browser.new_context(base_url=base, **options)
    context.add_cookies([{"name": SESSION_COOKIE, "value": sessions.start(hub, member_id), "url": base}])
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.problems = problems
    return page


def test_a_lead_prepares_a_meeting_with_a_member(hub: Hub) -> None:
    ny = factory.chapter(hub, "New York")
    old = hub.now() - timedelta(days=400)
    lena = factory.update_member(hub, factory.member(hub, ny, "Lena", Role.LEAD), joined_at=old)
    ana = factory.update_member(hub, factory.member(hub, ny, "Ana"), joined_at=old)
    bo = factory.member(hub, ny, "Bo")  # new: the room sheet asks to welcome him
    factory.rsvp(hub, factory.event(hub, ny, "October meeting", days=-40), ana, checked_in=True)  # Ana is no newcomer
    offer = factory.item(hub, ana, "offer", "I build websites")
    need = factory.item(hub, bo, "need", "a website for my bakery")
    factory.match(hub, need, offer, 0.86)
    with sync_api.sync_playwright() as p, hub_server(hub) as base:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        lead = _signed_in(browser, base, hub, lena)
        member = _signed_in(browser, base, hub, ana, viewport={"width": 390, "height": 844})  # a phone
        lead.goto("/events")
        lead.get_by_text("Plan an event").click()
        lead.get_by_label("Title").fill("December meeting")
        lead.get_by_label("Starts (UTC)").fill("2026-12-10T18:30")
        lead.get_by_role("button", name="Plan it").click()
        lead.get_by_text("The event is on the chapter's calendar.").wait_for()
        event_url = lead.url.split("?")[0]

        member.goto("/events")
        member.get_by_role("link", name="December meeting").click()
        member.get_by_role("button", name="Going").click()
        member.get_by_text("Your answer is saved.").wait_for()
        assert member.locator(".qr svg").count() == 1
        code = member.locator("main code").inner_text()

        bo_page = _signed_in(browser, base, hub, bo)
        bo_page.goto(event_url)
        bo_page.get_by_role("button", name="Maybe").click()
        bo_page.get_by_text("Your answer is saved.").wait_for()

        lead.goto(event_url + "/room")
        assert "Ana" in lead.locator("main").inner_text() and "Bo" in lead.locator("main").inner_text()
        assert "Newcomers to welcome\nBo" in lead.locator("main").inner_text()
        lead.get_by_role("button", name="Suggest the introduction").click()
        lead.get_by_text("Introduction suggested").wait_for()

        member.goto(event_url + "/sheet")
        sheet = member.locator("main").inner_text()
        assert "Bo needs “a website for my bakery”" in sheet and "You could help Bo" in sheet

        lead.goto(event_url + "/door")
        lead.get_by_label("Scanned or typed code").fill(code)
        lead.get_by_role("button", name="Check in", exact=True).click()
        lead.get_by_text("Checked in. Ana").wait_for()
        assert "1 in" in lead.locator("h1").inner_text()
        lead.get_by_role("button", name="Check in Bo").click()
        lead.get_by_text("Checked in. Bo").wait_for()
        member.goto(event_url)
        member.get_by_text("You are checked in.").wait_for()
        for page in (lead, member, bo_page):
            assert page.problems == []
        browser.close()
