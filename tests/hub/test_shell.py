"""The hub's web shell: hosts, signing in, CSRF, headers, API tokens and errors, for every route to build on."""

from __future__ import annotations

from fastapi.testclient import TestClient

from givefirst.hub.services import api_tokens
from givefirst.hub.services.context import Hub
from givefirst.hub.web.app import create_hub_app
from tests.hub import factory


def test_front_door_sends_strangers_to_sign_in(hub: Hub) -> None:
    response = factory.client(hub).get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_front_door_sends_members_to_the_board(hub: Hub) -> None:
    me = factory.member(hub, factory.chapter(hub))
    response = factory.client(hub, me).get("/", follow_redirects=False)
    assert response.headers["location"] == "/board"


def test_health_and_security_headers(hub: Hub) -> None:
    response = factory.client(hub).get("/healthz.json")
    assert response.json() == {"status": "ok"}
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_an_unknown_host_is_refused(hub: Hub) -> None:
    browser = TestClient(create_hub_app(hub), base_url="http://evil.example")
    assert browser.get("/healthz.json").status_code == 400
    allowed = TestClient(create_hub_app(hub, allowed_hosts=("hub.example.org",)), base_url="http://hub.example.org")
    assert allowed.get("/healthz.json").status_code == 200


def test_api_token_signs_in_and_revoked_token_does_not(hub: Hub) -> None:
    me = factory.member(hub, factory.chapter(hub))
    token = api_tokens.create(hub, me, "my script")
    browser = factory.client(hub)
    assert (
        browser.get("/", headers={"authorization": f"Bearer {token}"}, follow_redirects=False).headers["location"]
        == "/board"
    )
    assert browser.get("/healthz.json", headers={"authorization": "Bearer gfh_nope"}).status_code == 401
    with hub.engine.connect() as conn:
        from sqlalchemy import select

        from givefirst.hub.store.schema import api_tokens as table

        token_id = conn.execute(select(table.c.id)).scalar_one()
    assert api_tokens.revoke(hub, me, token_id)
    assert browser.get("/healthz.json", headers={"authorization": f"Bearer {token}"}).status_code == 401


def test_a_change_without_the_csrf_token_is_refused_and_sign_out_works(hub: Hub) -> None:
    me = factory.member(hub, factory.chapter(hub))
    browser = factory.client(hub, me)
    response = browser.post("/logout", data={"x": "1"})
    assert response.status_code == 403 and "expired" in response.text
    response = browser.post("/logout", data={"csrf_token": browser.csrf}, follow_redirects=False)  # type: ignore[attr-defined]
    assert response.status_code == 303 and response.headers["location"] == "/login"
    browser.cookies.clear()
    assert factory.client(hub).get("/", follow_redirects=False).headers["location"] == "/login"
