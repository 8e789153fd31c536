"""In a real browser, three people: a lead invites a newcomer sponsored by a member; the newcomer joins on a phone;
the sponsor signs in and is asked to help the newcomer make a first give; the lead reads it all in the audit log.

Skipped where there is no /usr/bin/chromium or no Playwright.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from givefirst.hub.domain.access import Role
from givefirst.hub.services import members
from givefirst.hub.services.context import Hub
from tests.hub import factory
from tests.hub.server import hub_server

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")
PASSWORD = "correct horse battery"


class Person:
    """One browser context (its own cookies) that fails the test on a script error or a CSP refusal."""

    def __init__(self, browser: Any, base: str, **options: Any) -> None:
        self.context = browser.new_context(base_url=base, **options)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on(
            "console",
            lambda m: self.problems.append(m.text) if m.type == "error" and "favicon" not in m.text else None,
        )

    def sign_in(self, email: str, then: str) -> None:
        self.page.goto(f"/login?next={then}")
        self.page.fill("#f-email", email)
        self.page.fill("#f-password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"**{then}")


def _joined(hub: Hub, chapter: int, name: str, email: str, role: Role = Role.MEMBER) -> None:
    members.join(hub, members.create_invite(hub, None, chapter, role=role), name, email, PASSWORD)


def test_a_lead_invites_a_newcomer_who_joins_and_their_sponsor_is_prompted(hub: Hub) -> None:
    chapter = factory.chapter(hub, "New York")
    _joined(hub, chapter, "Lee Lead", "lee@example.org", Role.LEAD)
    _joined(hub, chapter, "Sam Sponsor", "sam@example.org")
    with hub_server(hub) as base, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            lead = Person(browser, base)
            lead.sign_in("lee@example.org", "/lead/invites")
            lead.page.select_option("#f-sponsor", label="Sam Sponsor")
            lead.page.fill("#f-email", "nia@example.org")
            lead.page.click("text=Make an invitation link")
            link = lead.page.locator("div.ok code").inner_text()
            assert "/join/" in link

            newcomer = Person(browser, base, viewport={"width": 390, "height": 844}, is_mobile=True)
            newcomer.page.goto(link)
            assert "sponsored by Sam Sponsor" in newcomer.page.inner_text("main")
            assert newcomer.page.input_value("#f-email") == "nia@example.org"
            newcomer.page.fill("#f-name", "Nia Newcomer")
            newcomer.page.fill("#f-password", PASSWORD)
            newcomer.page.click("button[type=submit]")
            newcomer.page.wait_for_url("**/me?welcome=1")
            text = newcomer.page.inner_text("main")
            assert "Welcome to New York" in text and "Sponsored by Sam Sponsor" in text
            width = newcomer.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"the profile page scrolls sideways on a phone ({width}px)"

            sponsor = Person(browser, base)
            sponsor.sign_in("sam@example.org", "/me")
            prompts = sponsor.page.inner_text("#h-prompts + ul")
            assert "Nia Newcomer" in prompts and "post a first offer" in prompts
            sponsor.page.click("text=Nia Newcomer")
            assert "sponsored by Sam Sponsor" in sponsor.page.inner_text("main")
            assert "nia@example.org" not in sponsor.page.content()

            lead.page.goto("/lead/invites")
            assert "joined: Nia Newcomer" in lead.page.inner_text("main")
            lead.page.goto("/lead/audit")
            assert "invite.create" in lead.page.inner_text("main")
            for person in (lead, newcomer, sponsor):
                assert person.problems == []
        finally:
            browser.close()
