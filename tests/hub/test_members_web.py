"""The members' pages and JSON twins, driven like a browser: joining, signing in, /me, members, invites, audit."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from givefirst.hub.domain.access import Role, Visibility
from givefirst.hub.services import members
from givefirst.hub.services.context import Hub
from givefirst.hub.store.schema import members as members_table
from givefirst.hub.web.app import SESSION_COOKIE
from tests.hub import factory

PASSWORD = "correct horse battery"


def public_id(hub: Hub, member_id: int) -> str:
    with hub.engine.connect() as conn:
        return str(conn.execute(select(members_table.c.public_id).where(members_table.c.id == member_id)).scalar_one())


def test_join_through_the_link_signs_in_with_a_safe_cookie(hub: Hub) -> None:
    chapter = factory.chapter(hub, "New York")
    sponsor = factory.member(hub, chapter, "Sam Sponsor")
    token = members.create_invite(hub, None, chapter, sponsor_id=sponsor)
    browser = factory.client(hub)
    page = browser.get(f"/join/{token}")
    assert page.status_code == 200 and "Join New York" in page.text and "sponsored by <strong>Sam Sponsor" in page.text
    short = browser.post(f"/join/{token}", data={"name": "Nia", "email": "nia@example.org", "password": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.text and 'value="Nia"' in short.text
    joined = browser.post(
        f"/join/{token}",
        data={"name": "Nia New", "email": "nia@example.org", "password": PASSWORD},
        follow_redirects=False,
    )
    assert joined.status_code == 303 and joined.headers["location"] == "/me?welcome=1"
    cookie = joined.headers["set-cookie"]
    assert cookie.startswith(SESSION_COOKIE) and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # plain http on loopback; https (or GIVEFIRST_HUB_SECURE_COOKIES=1) adds it
    me = browser.get("/me?welcome=1")
    assert "Welcome to New York" in me.text and "Sponsored by" in me.text and "Sam Sponsor" in me.text
    again = factory.client(hub).get(f"/join/{token}")
    assert again.status_code == 400 and "already been used" in again.text
    forged = factory.client(hub).get(f"/join/{token[:-2]}{'yy' if token.endswith('xx') else 'xx'}")  # changed
    assert forged.status_code == 400 and "not valid" in forged.text


def test_secure_cookie_when_asked(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    token = members.create_invite(hub, None, factory.chapter(hub))
    monkeypatch.setenv("GIVEFIRST_HUB_SECURE_COOKIES", "1")
    joined = factory.client(hub).post(
        f"/join/{token}", data={"name": "Nia", "email": "nia@example.org", "password": PASSWORD}, follow_redirects=False
    )
    assert "Secure" in joined.headers["set-cookie"]


def test_sign_in_page_limits_and_redirects_only_inside_the_hub(hub: Hub) -> None:
    token = members.create_invite(hub, None, factory.chapter(hub))
    members.join(hub, token, "Ana", "ana@example.org", PASSWORD)
    browser = factory.client(hub)
    assert browser.get("/login").status_code == 200
    wrong = browser.post("/login", data={"email": "ana@example.org", "password": "nope nope nope"})
    unknown = browser.post("/login", data={"email": "who@example.org", "password": "nope nope nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert "do not match" in wrong.text and wrong.text.replace("ana@", "who@") == unknown.text
    cross = browser.post(
        "/login", data={"email": "ana@example.org", "password": PASSWORD}, headers={"origin": "http://evil.example"}
    )
    assert cross.status_code == 403 and SESSION_COOKIE not in cross.headers.get("set-cookie", "")
    fetched = browser.post(
        "/login", data={"email": "ana@example.org", "password": PASSWORD}, headers={"sec-fetch-site": "cross-site"}
    )
    assert fetched.status_code == 403
    ok = browser.post(
        "/login",
        data={"email": "ana@example.org", "password": PASSWORD, "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    assert browser.get("/login?next=/login", follow_redirects=False).headers["location"] == "/"
    assert browser.get("/login?next=/me", follow_redirects=False).headers["location"] == "/me"
    guesser = factory.client(hub)  # signing in cleared the e-mail's failures; five more lock it
    for _ in range(4):
        guesser.post("/login", data={"email": "ana@example.org", "password": "guessing again"})
    five = guesser.post("/login", data={"email": "ana@example.org", "password": "guessing again"})
    assert five.status_code == 401
    locked = factory.client(hub).post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert locked.status_code == 429 and "try again in 15 minutes" in locked.text


def test_a_stranger_is_sent_to_sign_in_and_the_api_answers_401(hub: Hub) -> None:
    browser = factory.client(hub)
    response = browser.get("/me", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/me"
    assert browser.get("/api/v1/me").status_code == 401


def test_my_profile_tokens_export_and_deletion(hub: Hub) -> None:
    chapter = factory.chapter(hub, "New York")
    me = factory.member(hub, chapter, "Ana")
    browser = factory.client(hub, me)
    csrf = browser.csrf  # type: ignore[attr-defined]
    bad = browser.post("/me", data={"csrf_token": csrf, "name": "Ana", "moving_on": "soon"})
    assert bad.status_code == 400 and "is not a date" in bad.text
    saved = browser.post(
        "/me",
        data={
            "csrf_token": csrf,
            "name": "Ana Lopez",
            "headline": "PM",
            "location": "Brooklyn, NY",
            "moving_to": "Tampa, FL",
            "moving_on": "2027-02-01",
            "digest_opt_out": "1",
        },
        follow_redirects=False,
    )
    assert saved.headers["location"] == "/me?saved=1"
    api = browser.get("/api/v1/me").json()
    assert (api["name"], api["moving_to"], api["moving_on"], api["digest_opt_out"]) == (
        "Ana Lopez",
        "Tampa, FL",
        "2027-02-01",
        True,
    )
    made = browser.post("/me/tokens", data={"csrf_token": csrf, "name": "my script"})
    token = re.search(r"<code>(gfh_[^<]+)</code>", made.text)
    assert token is not None
    by_token = factory.client(hub).get("/api/v1/me", headers={"authorization": f"Bearer {token.group(1)}"})
    assert by_token.json()["email"] == api["email"]
    assert token.group(1) not in browser.get("/me").text  # shown once
    token_id = re.search(r'name="token_id" value="(\d+)"', browser.get("/me").text)
    assert token_id is not None
    browser.post("/me/tokens/revoke", data={"csrf_token": csrf, "token_id": token_id.group(1)})
    assert (
        factory.client(hub).get("/api/v1/me", headers={"authorization": f"Bearer {token.group(1)}"}).status_code == 401
    )
    factory.item(hub, me, "need", "a landlord in Tampa", Visibility.CHAPTER)
    export = browser.get("/me/export.json")
    assert "attachment" in export.headers["content-disposition"]
    assert export.json()["items"][0]["text"] == "a landlord in Tampa"
    refused = browser.post("/me/delete", data={"csrf_token": csrf, "confirm": "no"})
    assert refused.status_code == 400 and "to confirm that the account should go" in refused.text
    gone = browser.post("/me/delete", data={"csrf_token": csrf, "confirm": "delete"}, follow_redirects=False)
    assert gone.headers["location"] == "/login"
    assert browser.get("/me", follow_redirects=False).status_code == 303  # the session went with the account


def test_member_pages_hide_what_the_viewer_may_not_see(hub: Hub) -> None:
    here, there = factory.chapter(hub, "New York"), factory.chapter(hub, "Florida")
    me = factory.member(hub, here, "Me")
    neighbour = factory.member(hub, here, "Nora Neighbour", headline="scheduling wizard")
    far = factory.member(hub, there, "Fay Faraway", headline="hidden headline")
    browser = factory.client(hub, me)
    page = browser.get(f"/members/{public_id(hub, neighbour)}")
    assert page.status_code == 200 and "scheduling wizard" in page.text and "@example.org" not in page.text
    hidden, missing = browser.get(f"/members/{public_id(hub, far)}"), browser.get("/members/no-such-id")
    assert hidden.status_code == missing.status_code == 404 and hidden.text == missing.text
    api_hidden = browser.get(f"/api/v1/members/{public_id(hub, far)}")
    assert api_hidden.status_code == 404 and api_hidden.json() == browser.get("/api/v1/members/nope").json()
    listed = browser.get("/members")
    assert "Nora Neighbour" in listed.text and "Fay Faraway" not in listed.text
    assert "Fay" not in browser.get("/api/v1/members?q=fay").text
    api = browser.get(f"/api/v1/members/{public_id(hub, neighbour)}").json()
    assert api["name"] == "Nora Neighbour" and "email" not in api


def test_an_admin_makes_a_lead_who_invites_and_reads_the_audit_log(hub: Hub) -> None:
    here, there = factory.chapter(hub, "New York"), factory.chapter(hub, "Florida")
    admin = factory.member(hub, there, "Ada Admin", role=Role.ADMIN)
    ben = factory.member(hub, here, "Ben")
    plain = factory.client(hub, factory.member(hub, here, "Cy"))
    assert plain.get("/lead/invites").status_code == 403 and plain.get("/lead/audit").status_code == 403
    refused = plain.post(f"/members/{public_id(hub, ben)}/role", data={"csrf_token": plain.csrf, "role": "lead"})  # type: ignore[attr-defined]
    assert refused.status_code == 403
    boss = factory.client(hub, admin)
    page = boss.get(f"/members/{public_id(hub, ben)}")
    assert "Set role" in page.text
    boss.post(f"/members/{public_id(hub, ben)}/role", data={"csrf_token": boss.csrf, "role": "lead"})  # type: ignore[attr-defined]
    lead = factory.client(hub, ben)
    form = lead.get("/lead/invites")
    assert form.status_code == 200 and 'name="role"' not in form.text  # a lead invites members only
    made = lead.post("/lead/invites", data={"csrf_token": lead.csrf, "email": "dee@example.org"})  # type: ignore[attr-defined]
    link = re.search(r"<code>(http://[^<]+/join/[^<]+)</code>", made.text)
    assert made.status_code == 200 and link is not None
    assert "dee@example.org" in lead.get("/lead/invites").text and link.group(1) not in lead.get("/lead/invites").text
    log = lead.get("/lead/audit").text
    assert "role.set" in log and "Ada Admin" in log and "invite.create" in log
    # the Florida chapter's log does not show New York's changes to Florida's lead
    florida_lead = factory.client(hub, factory.member(hub, there, role=Role.LEAD))
    assert "invite.create" not in florida_lead.get("/lead/audit").text


def test_the_openapi_document_describes_the_members_api(hub: Hub) -> None:
    document = factory.client(hub).get("/openapi.json").json()
    assert {"/api/v1/me", "/api/v1/members", "/api/v1/members/{public_id}", "/me/export.json"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert "email" in schemas["MeOut"]["properties"] and "email" not in schemas["MemberOut"]["properties"]
