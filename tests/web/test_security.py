"""The web app's security model: CSRF, the access token, the Host check, escaping, uploads, the bind rule."""

from __future__ import annotations

import html
import time

import pytest
from fastapi.testclient import TestClient

from givefirst.config import Settings
from givefirst.errors import InvalidInputError
from givefirst.services.context import App
from givefirst.web import create_app
from givefirst.web.pages_import import safe_name
from givefirst.web.security import check_bind, is_loopback
from tests.conftest import NOW, Cli
from tests.web.conftest import XSS_NAME, Seeded, csrf

TOKEN = "correct-horse-battery"


def test_state_changes_without_the_csrf_token_are_refused(web: TestClient, seeded: Seeded) -> None:
    key = web.get("/today.json").json()["items"][0]["key"]
    for data in ({"key": key}, {"key": key, "csrf_token": "0" * 32}):
        r = web.post("/today/done", data=data)
        assert r.status_code == 403 and "reload the page" in r.text
    r = web.post("/today/done.json", json={"key": key})
    assert r.status_code == 403 and "error" in r.json()
    r = web.post("/today/done.json", json={"key": key}, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    assert key in [i["key"] for i in web.get("/today.json").json()["items"]]  # nothing happened
    assert web.post("/today/done.json", json={"key": key}, headers={"X-CSRF-Token": csrf(web)}).status_code == 200


def test_a_csrf_token_belongs_to_its_session(web: TestClient, app: App, seeded: Seeded) -> None:
    theirs = csrf(web)
    settings = Settings(database=app.settings.database, today=NOW.date())
    with TestClient(create_app(settings, now=NOW), base_url="http://127.0.0.1") as other:
        other.get("/today")
        r = other.post("/today/snooze.json", json={"key": "touch:1"}, headers={"X-CSRF-Token": theirs})
        assert r.status_code == 403


def test_a_page_served_from_the_cache_carries_each_sessions_own_token(
    web: TestClient, app: App, seeded: Seeded
) -> None:
    mine = csrf(web)
    settings = Settings(database=app.settings.database, today=NOW.date())
    with TestClient(create_app(settings, now=NOW), base_url="http://127.0.0.1") as other:
        theirs = csrf(other)
        again = csrf(other)
    assert mine != theirs and theirs == again
    placeholder = web.app.state.web.placeholder  # type: ignore[attr-defined]
    for path in ("/today", "/people", f"/people/{seeded.ana}", "/connect"):
        page = web.get(path).text
        assert placeholder not in page and f'value="{mine}"' in page, path


def test_the_session_cookie_is_http_only_and_same_site(app: App) -> None:
    with TestClient(create_app(Settings(database=app.settings.database)), base_url="http://127.0.0.1") as client:
        cookie = client.get("/today").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_names_and_notes_with_html_render_as_text(web: TestClient, seeded: Seeded) -> None:
    pages = [web.get(p).text for p in ("/people", f"/people/{seeded.xss}", "/people?q=script")]
    for page in pages:
        assert XSS_NAME not in page
        assert html.escape(XSS_NAME) in page or "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    person = pages[1]
    assert "<img src=x" not in person and "&lt;img src=x onerror=" in person
    assert "x<b>y" not in person and "x&lt;b&gt;y" in person
    assert web.get(f"/people/{seeded.xss}.json").json()["name"] == XSS_NAME  # JSON carries the text as it is


def test_a_csv_cell_with_html_renders_as_text(web: TestClient, seeded: Seeded) -> None:
    csv = (
        'First Name,Last Name,E-mail Address,Notes\n"<img src=x onerror=alert(3)>",Evil,evil@x.example,"<b>bold</b>"\n'
    )
    r = web.post("/import", data={"kind": "outlook", "csrf_token": csrf(web)},
                 files={"files": ("evil.csv", csv.encode(), "text/csv")}, follow_redirects=False)  # fmt: skip
    job = r.headers["location"].rsplit("/", 1)[1]
    for _ in range(100):
        if web.get(f"/import/jobs/{job}.json").json()["finished"]:
            break
        time.sleep(0.05)
    found = web.get("/people.json?q=evil").json()["people"]
    assert len(found) == 1 and "<img" in found[0]["name"]
    for page in (web.get("/people?q=evil").text, web.get(f"/people/{found[0]['id']}").text):
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(3)&gt;" in page
        assert "<b>bold</b>" not in page


def test_uploads_are_limited_in_size_and_type(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    web.app.state.web.limits = type(web.app.state.web.limits)(max_upload_bytes=2000)  # type: ignore[attr-defined]
    big = b"First Name\n" + b"x" * 5000
    r = web.post("/import", data={"kind": "outlook", "csrf_token": token}, files={"files": ("a.csv", big)})
    assert r.status_code == 413 and "Too large" in r.text
    r = web.post("/import", data={"kind": "outlook", "csrf_token": token}, files={"files": ("a.exe", b"MZ")})
    assert r.status_code == 400 and "expected .csv" in r.text
    r = web.post("/import", data={"kind": "shoebox", "csrf_token": token}, files={"files": ("a.csv", b"x")})
    assert r.status_code == 400 and "Choose what kind" in r.text
    r = web.post("/import", data={"kind": "vcard", "me": "not an address", "csrf_token": token})
    assert r.status_code == 400 and "Choose at least one file" in r.text and "like you@example.com" in r.text


@pytest.mark.parametrize(
    ("name", "safe"),
    [("../../etc/passwd", "passwd"), ("..\\..\\boot.ini", "boot.ini"), ("/abs/x.csv", "x.csv"), ("..", "upload"),
     (".hidden.csv", "hidden.csv"), ("a b;c.csv", "a_b_c.csv")],
)  # fmt: skip
def test_upload_names_cannot_leave_the_upload_folder(name: str, safe: str) -> None:
    assert safe_name(name) == safe


def test_non_loopback_binding_needs_a_token() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.8.0.1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.com")
    check_bind("127.0.0.1", None)
    check_bind("0.0.0.0", TOKEN)
    with pytest.raises(InvalidInputError, match="access token"):
        check_bind("0.0.0.0", None)
    with pytest.raises(InvalidInputError, match="at least 12"):
        check_bind("0.0.0.0", "short")


def test_serve_refuses_to_start_on_a_public_address_without_a_token(cli: Cli) -> None:
    result = cli("serve", "--host", "0.0.0.0", "--port", "1")
    assert result.code != 0 and "--token" in result.err
    result = cli("serve", "--host", "192.168.1.5", "--token", "short", "--port", "1")
    assert result.code != 0 and "at least 12" in result.err


def test_with_a_token_every_page_needs_it(app: App, seeded: Seeded) -> None:
    web = create_app(Settings(database=app.settings.database, today=NOW.date()), token=TOKEN, host="0.0.0.0", now=NOW)
    with TestClient(web, base_url="http://192.168.1.5:8765") as client:
        r = client.get("/today", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        assert client.get("/today.json").status_code == 401
        assert client.get("/openapi.json").status_code == 401
        assert client.get("/static/style.css").status_code == 200
        assert client.get("/today.json", headers={"Authorization": "Bearer wrong-token-here"}).status_code == 401
        assert client.get("/today.json", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        page = client.get("/login?next=/people").text
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        r = client.post("/login", data={"token": "nope", "next": "/people", "csrf_token": token})
        assert r.status_code == 401 and "not the token" in r.text
        r = client.post("/login", data={"token": TOKEN, "next": "//evil.example", "csrf_token": token},
                        follow_redirects=False)  # fmt: skip
        assert r.status_code == 303 and r.headers["location"] == "/today"  # no open redirect
        assert client.get("/people.json").status_code == 200  # signed in


def test_the_printed_link_trades_the_token_for_a_session(app: App, seeded: Seeded) -> None:
    web = create_app(Settings(database=app.settings.database, today=NOW.date()), token=TOKEN, host="0.0.0.0", now=NOW)
    with TestClient(web, base_url="http://192.168.1.5:8765") as client:
        r = client.get(f"/today?token={TOKEN}", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/today"  # the token leaves the address bar
        assert client.get("/today").status_code == 200
        forged = client.cookies.get("givefirst_session", "").rsplit(".", 1)[0] + ".0123456789abcdef0123456789abcdef"
        client.cookies.clear()
        assert client.get("/today.json", headers={"Cookie": f"givefirst_session={forged}"}).status_code == 401


def test_on_loopback_other_host_names_are_refused(web: TestClient) -> None:
    # A page elsewhere cannot reach the app by pointing its own domain name at 127.0.0.1 (DNS rebinding).
    assert web.get("/today.json", headers={"Host": "evil.example"}).status_code == 421
    assert web.get("/today.json", headers={"Host": "localhost:8765"}).status_code == 200
    assert web.get("/today.json", headers={"Host": "[::1]:8765"}).status_code == 200
