"""In a real browser: a new user from an empty database through set-up, a first person, a first give and a first
event (issue 12); Done clicked twice records once; an expired session says so where the answer would go.

Skipped like the other browser tests where there is no /usr/bin/chromium or no Playwright.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from givefirst.config import Settings
from tests.conftest import NOW
from tests.web.server import running_server
from tests.web.test_browser import CHROMIUM, Watched

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")


def _submit(page: Any, form: str) -> None:
    page.click(f"{form} button[type=submit]")


def test_a_new_user_from_an_empty_database_to_a_first_give_and_a_first_event(chromium: Any, tmp_path: Path) -> None:
    database = str(tmp_path / "empty.db")
    with running_server(Settings(database=database, today=NOW.date()), now=NOW) as base:
        w = Watched(chromium, base)
        page = w.page
        page.goto("/today")
        page.click("a:has-text('Get started')")
        page.wait_for_selector("h1:has-text('Get started')")
        page.fill("#f-me_name", "Jordan Reyes")
        page.fill("#f-me_email", "jordan@reyes.example")
        _submit(page, "form[action='/start/me#me']")
        page.wait_for_selector(".flash:has-text('givefirst knows who you are')")
        w.shot("40-start")

        page.click("#person a:has-text('Add someone')")
        page.fill("#f-name", "Ana Ruiz")
        page.fill("#f-email", "ana@ruiz.example")
        page.fill("#f-org", "Harbor Health")
        _submit(page, "form[action='/people/new']")
        page.wait_for_selector(".flash:has-text('Added Ana Ruiz')")
        page.select_option("#f-what", "gave")
        page.fill("#f-description", "the hiring checklist")
        _submit(page, "form#ledger")
        page.wait_for_selector(".flash:has-text('Recorded what you gave.')")
        page.reload()  # after post/redirect/get a reload only reads
        assert page.locator(".flash").count() == 0
        assert page.locator("ul.ledger li:has-text('the hiring checklist')").count() == 1
        w.shot("41-first-give")

        page.goto("/start#event")
        page.fill("#f-ev_title", "AOP Tampa chapter meeting")
        page.fill("#f-ev_date", (NOW + timedelta(days=4)).date().isoformat())
        page.fill("#f-ev_time", "18:30")
        _submit(page, "form[action='/events/new#event']")
        page.wait_for_selector("h2:has-text('Who is likely there')")
        page.locator("#rsvp-1 button[value=maybe]").click()
        page.wait_for_selector("#rsvp-1 button[value=maybe][aria-pressed=true]")
        page.locator("#rsvp-1 button[value=yes]").click()  # the answer can be changed
        page.wait_for_selector("#rsvp-1 button[value=yes][aria-pressed=true]")
        w.shot("42-first-event")
        w.check()
        w.close()


def test_done_twice_records_once_and_an_expired_session_says_so(chromium: Any, tmp_path: Path) -> None:
    from givefirst.domain.model import ExchangeDirection, ExchangeStatus
    from givefirst.services.context import open_app
    from givefirst.services.ledger import record
    from givefirst.services.people import PersonInput, add_person, set_me

    database = str(tmp_path / "two.db")
    app = open_app(Settings(database=database, today=NOW.date()), now=NOW)
    set_me(app, PersonInput(name="Jordan Reyes"))
    for name in ("Ana Ruiz", "Ben Ortiz"):
        pid = add_person(app, PersonInput(name=name))
        record(app, f"#{pid}", ExchangeDirection.GAVE, f"notes for {name}", status=ExchangeStatus.PROMISED,
               at=NOW - timedelta(days=3), due_on=NOW.date())  # fmt: skip
    app.close()
    with running_server(Settings(database=database, today=NOW.date()), now=NOW) as base:
        w = Watched(chromium, base, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = w.page
        page.goto("/today")
        first = page.locator("article.item").first
        first.locator("select[name=kind]").select_option("call")
        first.locator("button:has-text('Done')").dblclick()
        first.locator(".ok").wait_for()
        first.locator("button:has-text('Undo')").wait_for()
        who = page.request.get("/today.json").json()  # the other promise is still there, this one done once
        assert len(who["items"]) == 1
        calls = [t for pid in (2, 3) for t in page.request.get(f"/people/{pid}.json").json()["timeline"]]
        assert len([t for t in calls if t["kind"] == "call"]) == 1
        w.shot("43-phone-done-once")

        # The server restarted (a new secret): the old cookie no longer verifies.
        cookie = next(c for c in w.context.cookies() if c["name"] == "givefirst_session")
        w.context.add_cookies([{**cookie, "value": "stale.1.0123456789abcdef0123456789abcdef"}])
        second = page.locator("article.item").nth(1)
        second.locator("button:has-text('Snooze')").click()
        second.locator(".error:has-text('session expired')").wait_for()
        second.locator("a:has-text('Reload')").click()
        page.wait_for_selector("h1:has-text('Today')")
        w.shot("44-phone-session-expired")
        w.problems = [p for p in w.problems if "403" not in p]  # the refused request is logged by the browser
        w.check()
        w.close()
