"""Passkeys through the hub's pages and JSON endpoints, with the software authenticator (real verification)."""

from __future__ import annotations

from givefirst.hub.services.context import Hub
from givefirst.hub.web.app import SESSION_COOKIE
from tests.hub import factory
from tests.hub.authenticator import SoftAuthenticator

ORIGIN = "http://127.0.0.1"  # the test client's address: with no configured URL, the relying party is 127.0.0.1


def test_add_a_passkey_on_my_page_then_sign_in_with_it(hub: Hub) -> None:
    member = factory.member(hub, factory.chapter(hub), name="Pia Passkey")
    browser = factory.client(hub, member)
    csrf = {"x-csrf-token": browser.csrf}  # type: ignore[attr-defined]
    page = browser.get("/me")
    assert "No passkeys." in page.text and "data-passkey-add" in page.text and "/static/hub-passkeys.js" in page.text
    assert browser.post("/me/passkeys/options").status_code == 403  # no CSRF token: refused by the guard
    options = browser.post("/me/passkeys/options", headers=csrf).json()
    device = SoftAuthenticator()
    answer = device.create(options, ORIGIN)
    missing = browser.post("/me/passkeys", json={"name": "", "credential": answer}, headers=csrf)
    assert missing.status_code == 400 and missing.json() == {
        "error": "name the passkey (for example the device it is on)"
    }
    added = browser.post("/me/passkeys", json={"name": "laptop", "credential": answer}, headers=csrf)
    assert added.status_code == 200 and added.json()["next"] == "/me?passkey=1#passkeys"
    page = browser.get("/me?passkey=1")
    assert "Passkey added" in page.text and "laptop" in page.text and "not used yet" in page.text
    json_type = {**csrf, "content-type": "application/json"}
    assert browser.post("/me/passkeys", content=b"x" * 70_000, headers=json_type).json()["error"].startswith("send")
    form = {"name": "laptop", "csrf_token": browser.csrf}  # type: ignore[attr-defined]
    assert browser.post("/me/passkeys", data=form).json()["error"].startswith("send")  # a form is not an answer

    stranger = factory.client(hub)
    login_page = stranger.get("/login?next=/events")
    assert "Sign in with a passkey" in login_page.text and 'data-next="/events"' in login_page.text
    options = stranger.post("/login/passkey/options").json()
    assert options["rpId"] == "127.0.0.1" and options["userVerification"] == "required"
    signed = stranger.post("/login/passkey", json={"credential": device.get(options, ORIGIN), "next": "/events"})
    assert signed.status_code == 200 and signed.json() == {"next": "/events"}
    assert SESSION_COOKIE in signed.cookies
    assert "Pia Passkey" in stranger.get("/me").text
    again = factory.client(hub).post("/login/passkey", json={"credential": device.get(options, ORIGIN)})
    assert again.status_code == 401 and again.json() == {
        "error": "that passkey answer was already used once: start again"
    }

    # another site's page cannot start or finish a sign-in
    cross = {"sec-fetch-site": "cross-site"}
    assert factory.client(hub).post("/login/passkey/options", headers=cross).status_code == 403

    page = browser.get("/me")
    form = {"passkey_id": page.text.split('name="passkey_id" value="')[1].split('"')[0], "csrf_token": browser.csrf}  # type: ignore[attr-defined]
    removed = browser.post("/me/passkeys/remove", data=form, follow_redirects=False)
    assert removed.status_code == 303 and "No passkeys." in browser.get("/me").text
    assert browser.post("/me/passkeys/remove", data=form).status_code == 404  # gone, as someone else's would be


def test_the_passkey_script_is_served_from_the_app(hub: Hub) -> None:
    script = factory.client(hub).get("/static/hub-passkeys.js")
    assert script.status_code == 200 and "navigator.credentials.create" in script.text
