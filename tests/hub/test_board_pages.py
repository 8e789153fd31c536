"""The board, /me/items, /help and /introductions as pages and JSON, through the real app (session and CSRF)."""

from __future__ import annotations

from markupsafe import escape
from sqlalchemy import select

from givefirst.hub.domain.access import Role
from givefirst.hub.services import api_tokens
from givefirst.hub.services.context import Hub
from givefirst.hub.store.schema import chapters, jobs, matches
from tests.hub import factory


def _csrf(browser) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"csrf_token": browser.csrf}


def test_post_a_need_see_it_on_the_board_and_match_it_without_a_worker(hub: Hub) -> None:
    ny, fl = factory.chapter(hub, "New York"), factory.chapter(hub, "Florida")
    ann, bob, fay = factory.member(hub, ny, name="Ann"), factory.member(hub, ny, name="Bob"), factory.member(hub, fl)
    a, b, f = factory.client(hub, ann), factory.client(hub, bob), factory.client(hub, fay)
    b.post("/api/v1/items", json={"kind": "offer", "text": "Wedding photographer, portraits and events"},
           headers={"x-csrf-token": b.csrf})  # fmt: skip
    response = a.post("/me/items", data={**_csrf(a), "kind": "need", "text": "A photographer for our wedding",
                                         "tags": "wedding", "location": "Brooklyn", "visibility": "chapter"},
                      follow_redirects=False)  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/me/items?m=added"
    with hub.engine.connect() as conn:  # the web process ran the match job after the response
        assert all(done is not None for done in conn.execute(select(jobs.c.done_at)).scalars())
        assert len(conn.execute(select(matches.c.id)).all()) == 1
    page = b.get("/board")
    assert page.status_code == 200 and "A photographer for our wedding" in page.text and "Offer my help" in page.text
    assert "A photographer for our wedding" not in f.get("/board").text
    assert "A photographer for our wedding" in b.get("/board", params={"place": "New York"}).text
    assert "A photographer for our wedding" not in b.get("/board", params={"kind": "offer"}).text
    assert b.get("/board", params={"place": "Atlantis"}).status_code == 400
    data = b.get("/api/v1/board", params={"q": "photograph"}).json()
    assert {i["text"] for i in data["items"]} == {"A photographer for our wedding",
                                                  "Wedding photographer, portraits and events"}  # fmt: skip
    assert data["next_page"] is None and data["items"][0]["member"] in ("Ann", "Bob")
    need_id = next(i["id"] for i in data["items"] if i["kind"] == "need")
    assert f.get(f"/api/v1/items/{need_id}").status_code == 404
    assert f.get("/api/v1/items/nonexistent").status_code == 404
    help_data = b.get("/api/v1/help").json()
    assert [n["need"]["id"] for n in help_data["you_can_help"]] == [need_id]
    assert "Ann" in b.get("/help").text


def test_without_the_csrf_token_nothing_is_posted(hub: Hub) -> None:
    ann = factory.member(hub, factory.chapter(hub))
    a = factory.client(hub, ann)
    assert a.post("/me/items", data={"kind": "need", "text": "x"}).status_code == 403
    assert a.get("/api/v1/items").json() == []


def test_edit_and_close_through_pages_and_api(hub: Hub) -> None:
    ann = factory.member(hub, factory.chapter(hub))
    token = api_tokens.create(hub, ann, "script")
    api = factory.client(hub)
    auth = {"authorization": f"Bearer {token}"}
    made = api.post("/api/v1/items", headers=auth, json={"kind": "offer", "text": "Tax returns", "tags": ["tax"],
                                                          "visibility": "association"})  # fmt: skip
    assert made.status_code == 201 and made.json()["tags"] == ["tax"]
    item_id = made.json()["id"]
    bad = api.post("/api/v1/items", headers=auth, json={"kind": "offer", "text": " "})
    assert bad.status_code == 400 and "own words" in bad.json()["error"]
    a = factory.client(hub, ann)
    assert "Tax returns" in a.get(f"/me/items/{item_id}").text
    a.post(f"/me/items/{item_id}", data={**_csrf(a), "text": "Tax returns and bookkeeping", "tags": "tax",
                                         "visibility": "association"})  # fmt: skip
    assert api.get(f"/api/v1/items/{item_id}", headers=auth).json()["text"] == "Tax returns and bookkeeping"
    closed = api.post(f"/api/v1/items/{item_id}/close", headers=auth)
    assert closed.json()["status"] == "closed"
    other = factory.client(hub, factory.member(hub, factory.chapter(hub)))
    assert other.post(f"/me/items/{item_id}/close", data=_csrf(other)).status_code == 404


def test_introduction_pages_double_opt_in(hub: Hub) -> None:
    ny = factory.chapter(hub)
    ann, bob = factory.member(hub, ny, name="Ann"), factory.member(hub, ny, name="Bob")
    cat = factory.member(hub, ny, name="Cat", role=Role.LEAD)
    need = factory.client(hub, ann).post("/api/v1/items", json={"kind": "need", "text": "Need a wedding photographer"},
                                         headers={"x-csrf-token": factory.client(hub, ann).csrf})  # fmt: skip
    assert need.status_code == 403  # another session's token is not this one's
    a, b, c = factory.client(hub, ann), factory.client(hub, bob), factory.client(hub, cat)
    need_id = a.post("/api/v1/items", json={"kind": "need", "text": "Need a wedding photographer"},
                     headers={"x-csrf-token": a.csrf}).json()["id"]  # fmt: skip
    offered = b.post("/introductions/offer", data={**_csrf(b), "need": need_id, "message": "I can"},
                     follow_redirects=False)  # fmt: skip
    assert offered.status_code == 303
    intro_path = offered.headers["location"].split("?")[0]
    assert "Contact details appear here once both of you accepted" in b.get(intro_path).text
    assert c.get(intro_path).status_code == 404
    listed = a.get("/introductions")
    assert "Waiting for your answer" in listed.text and "Bob" in listed.text
    a.post(f"{intro_path}/answer", data={**_csrf(a), "answer": "accept"})
    page = a.get(intro_path)
    assert "connected" in page.text and "mailto:" in page.text
    a.post(f"{intro_path}/outcome", data={**_csrf(a), "outcome": "helped", "thanks_public": "1"})
    b.post(f"{intro_path}/outcome", data={**_csrf(b), "outcome": "helped", "thanks_public": "1"})
    assert "Ann</strong> thanks <strong>Bob" in c.get("/board").text
    intro_id = intro_path.rsplit("/", 1)[1]
    assert b.get(f"/api/v1/introductions/{intro_id}").json()["outcome"] == "helped"
    assert c.get(f"/api/v1/introductions/{intro_id}").status_code == 404


def test_openapi_lists_the_board_routes(hub: Hub) -> None:
    paths = factory.client(hub).get("/openapi.json").json()["paths"]
    assert {"/api/v1/board", "/api/v1/help", "/api/v1/items", "/api/v1/introductions"} <= set(paths)


def test_the_chapter_filter_lists_every_chapter_escaped_with_the_chosen_one_selected(hub: Hub) -> None:
    ny, keys = factory.chapter(hub, "New York"), factory.chapter(hub, "Fort Lauderdale & <Keys>")
    ann = factory.member(hub, ny, name="Ann")
    browser = factory.client(hub, ann)
    with hub.engine.connect() as conn:
        slugs = {k: str(escape(v)) for k, v in conn.execute(select(chapters.c.id, chapters.c.slug)).all()}
    assert "&amp;" in slugs[keys]  # the test factory's slug keeps the name's characters: escaped in the value too
    plain = browser.get("/board").text
    assert f'<option value="{slugs[keys]}">Fort Lauderdale &amp; &lt;Keys&gt;</option>' in plain
    assert f'<option value="{slugs[ny]}">New York</option>' in plain and " selected>" not in plain
    with hub.engine.connect() as conn:
        raw = conn.execute(select(chapters.c.slug).where(chapters.c.id == keys)).scalar_one()
    chosen = browser.get("/board", params={"chapter": raw}).text  # built from the list kept since the first page
    assert f'<option value="{slugs[keys]}" selected>Fort Lauderdale &amp; &lt;Keys&gt;</option>' in chosen
    assert f'<option value="{slugs[ny]}">New York</option>' in chosen and chosen.count(" selected>") == 1
    factory.chapter(hub, "Tampa")  # a new chapter moves the data version: the list is built again
    assert ">Tampa</option>" in browser.get("/board").text
    odd = browser.get("/board", params={"chapter": '"><script>'}).text  # not a chapter: nothing selected
    assert "<script>" not in odd and " selected>" not in odd
