"""In Chromium with its virtual authenticator (CDP's WebAuthn domain: CTAP2, internal, resident keys, user
verification): a member adds a passkey on /me, signs out, and signs in again with it — hub-passkeys.js, the CSP
and the server's verification all real. Skipped where there is no /usr/bin/chromium or no Playwright.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from givefirst.hub.services import members
from givefirst.hub.services.context import Hub
from tests.hub import factory
from tests.hub.server import hub_server
from tests.web.test_a11y import axe_violations

PASSWORD = "correct horse battery"


def at(path: str) -> Any:
    """A wait_for_url predicate on the path alone ("**/events" would match "/login?next=/events" at once)."""
    return lambda url: urlsplit(url).path == path


EVERY_IMPACT = ("minor", "moderate", "serious", "critical")


def test_add_a_passkey_then_sign_in_with_it_in_a_browser(hub: Hub, chromium: Any) -> None:
    chapter = factory.chapter(hub, "New York")
    members.join(hub, members.create_invite(hub, None, chapter), "Pia Passkey", "pia@example.org", PASSWORD)
    with hub_server(hub) as base:
        # WebAuthn refuses an IP address as the relying party: the browser goes to the same server as localhost
        context = chromium.new_context(base_url=base.replace("127.0.0.1", "localhost"))
        try:
            page = context.new_page()
            problems: list[str] = []
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            cdp = context.new_cdp_session(page)
            cdp.send("WebAuthn.enable")
            options = {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
            authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]

            page.goto("/login?next=/me")
            page.fill("#f-email", "pia@example.org")
            page.fill("#f-password", PASSWORD)
            page.click("form[action='/login'] button[type=submit]")
            page.wait_for_url(at("/me"))
            assert page.is_hidden("text=Adding a passkey needs a browser")
            page.fill("#f-passkey-name", "this browser")
            page.click("text=Add a passkey")
            page.wait_for_url(lambda url: url.endswith("/me?passkey=1#passkeys"))
            section = page.inner_text("#passkeys")
            assert "Passkey added" in section and "this browser" in section and "not used yet" in section
            [stored] = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
            assert stored["isResidentCredential"] and stored["rpId"] == "localhost"

            page.click("text=Sign out")
            page.wait_for_url(at("/login"))
            page.goto("/login?next=/events")
            page.click("text=Sign in with a passkey")
            page.wait_for_url(at("/events"))
            page.goto("/me")
            assert "last used" in page.inner_text("#passkeys")
            assert axe_violations(page, EVERY_IMPACT) == []  # the page with a passkey listed, its form shown

            # the same passkey removed: signing in with it says so, on the page
            with page.expect_navigation():
                page.click("#passkeys button:has-text('Remove')")
            assert "No passkeys." in page.inner_text("#passkeys")
            page.click("text=Sign out")
            page.wait_for_url(at("/login"))
            page.click("text=Sign in with a passkey")
            page.wait_for_selector("[data-passkey-error]:not([hidden])")
            assert "not registered here" in page.inner_text("[data-passkey-error]")
            assert axe_violations(page, EVERY_IMPACT) == []  # the login page, its passkey button and message shown
            assert [p for p in problems if "401" not in p] == []  # the refused sign-in's 401 is logged, nothing else
        finally:
            context.close()
