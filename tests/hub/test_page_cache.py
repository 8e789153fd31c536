"""The page cache of /board and /help: every write a page can show invalidates it, a cached page is never served to
another member or session, and a cached page is byte for byte the page built without the cache."""

from __future__ import annotations

import contextlib
import random
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from givefirst.errors import GivefirstError
from givefirst.hub.domain.access import Role, Visibility
from givefirst.hub.domain.model import Member
from givefirst.hub.services import account, introductions, items, members, sessions
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.store import versioning
from givefirst.hub.store.schema import items as items_table
from givefirst.hub.web.app import SESSION_COOKIE, create_hub_app
from givefirst.hub.web.pagecache import PLACEHOLDER, PageCache
from tests.hub import factory


def _browser(app: FastAPI, hub: Hub, member_id: int) -> TestClient:
    """A browser on `app` (so several share one app and its cache), signed in with a session of its own."""
    browser = TestClient(app, base_url="http://127.0.0.1")
    secret = sessions.start(hub, member_id)
    browser.cookies.set(SESSION_COOKIE, secret)
    found = sessions.current(hub, secret)
    assert found is not None
    browser.csrf = found[1]  # type: ignore[attr-defined]
    return browser


def _member(hub: Hub, member_id: int) -> Member:
    with hub.engine.connect() as conn:
        found = stored_members.member_by_id(conn, member_id)
    assert found is not None
    return found


def _public_id(hub: Hub, item_id: int) -> str:
    with hub.engine.connect() as conn:
        return str(conn.execute(select(items_table.c.public_id).where(items_table.c.id == item_id)).scalar_one())


def test_the_migration_watches_exactly_the_listed_tables(hub: Hub) -> None:
    with hub.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            query = "SELECT DISTINCT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE "
            query += "'data_version_%' AND trigger_schema = current_schema()"
        else:
            query = "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'data_version_%'"
        assert {r[0] for r in conn.execute(text(query))} == set(versioning.WATCHED)


def test_a_write_moves_the_version_and_a_rolled_back_one_does_not(hub: Hub) -> None:
    ny = factory.chapter(hub)
    with hub.engine.connect() as conn:
        before = versioning.current(conn)
    ann = factory.member(hub, ny)
    with hub.engine.connect() as conn:
        after = versioning.current(conn)
    assert before is not None and after is not None and after > before
    with contextlib.suppress(RuntimeError), hub.engine.begin() as conn:
        conn.execute(update(items_table).values(text="x"))
        raise RuntimeError("rolled back")
    with hub.engine.connect() as conn:
        assert versioning.current(conn) == after
    sessions.start(hub, ann)  # sessions are not watched: signing in does not empty the cache
    with hub.engine.connect() as conn:
        assert versioning.current(conn) == after


def test_every_write_a_page_shows_invalidates_it(hub: Hub) -> None:
    ny, fl = factory.chapter(hub, "New York"), factory.chapter(hub, "Florida")
    ann_id = factory.member(hub, ny, name="Ann")
    bob_id, fay_id = factory.member(hub, ny, name="Bob"), factory.member(hub, fl, name="Fay")
    admin_id = factory.member(hub, fl, name="Ada", role=Role.ADMIN)
    app = create_hub_app(hub)
    bob, fay = _browser(app, hub, bob_id), _browser(app, hub, fay_id)
    cache = cache_of_app(app)

    assert "quokka tax help" not in bob.get("/board").text
    hits = cache.hits
    assert "quokka tax help" not in bob.get("/board").text and cache.hits == hits + 1  # served from the cache
    # a new item
    ann = _member(hub, ann_id)
    need = items.add_item(hub, ann, "need", "quokka tax help", visibility=Visibility.CHAPTER)
    assert "quokka tax help" in bob.get("/board").text and "quokka tax help" not in fay.get("/board").text
    # visibility changed: to the whole association, then to the leads only
    items.edit_item(hub, ann, need.public_id, text="quokka tax help", visibility=Visibility.ASSOCIATION)
    assert "quokka tax help" in fay.get("/board").text and "quokka tax help" in bob.get("/board").text
    items.edit_item(hub, ann, need.public_id, text="quokka tax help", visibility=Visibility.LEADS)
    assert "quokka tax help" not in fay.get("/board").text and "quokka tax help" not in bob.get("/board").text
    # a role changed: Bob, made his chapter's lead, now sees the leads-only need
    members.set_role(hub, _member(hub, admin_id), _member(hub, bob_id).public_id, Role.LEAD)
    assert "quokka tax help" in bob.get("/board").text
    members.set_role(hub, _member(hub, admin_id), _member(hub, bob_id).public_id, Role.MEMBER)
    assert "quokka tax help" not in bob.get("/board").text
    items.edit_item(hub, ann, need.public_id, text="quokka tax help", visibility=Visibility.CHAPTER)
    # /help: Bob's offer meets Ann's need
    offer = factory.item(hub, bob_id, "offer", "Bookkeeping and tax returns")
    assert "quokka tax help" not in bob.get("/help").text
    factory.match(hub, need.id, offer)
    assert "quokka tax help" in bob.get("/help").text
    # an introduction made, answered, thanked: the need leaves Bob's /help, the thanks reaches the board
    intro = introductions.offer_help(hub, _member(hub, bob_id), need.public_id)
    assert "quokka tax help" not in bob.get("/help").text
    assert "Thanks" not in bob.get("/board").text
    introductions.answer(hub, _member(hub, ann_id), intro.intro.public_id, True)
    for who in (ann_id, bob_id):
        me = _member(hub, who)
        introductions.record_outcome(hub, me, intro.intro.public_id, "helped", note="merci", thanks_public=True)
    assert "merci" in bob.get("/board").text
    # a closed item
    assert f'id="item-{need.public_id}"' in bob.get("/board").text
    items.close_item(hub, ann, need.public_id)
    assert f'id="item-{need.public_id}"' not in bob.get("/board").text  # (the thanks still quote it)
    # a change made outside the services (a hand-written fix) is seen too
    with hub.engine.begin() as conn:
        conn.execute(update(items_table).where(items_table.c.id == offer).values(text="Bookkeeping, mended"))
    assert "Bookkeeping, mended" in bob.get("/board").text
    # a member removed: her items and name leave the others' pages, and her cached pages are not served to her
    items.add_item(hub, _member(hub, ann_id), "offer", "quokka cakes", visibility=Visibility.ASSOCIATION)
    ann_browser = _browser(app, hub, ann_id)
    assert "quokka cakes" in fay.get("/board").text and "quokka cakes" in ann_browser.get("/board").text
    account.delete_account(hub, _member(hub, ann_id), "delete")
    assert "quokka cakes" not in fay.get("/board").text and "Ann" not in fay.get("/board").text
    gone = ann_browser.get("/board", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"].startswith("/login")


def test_a_cached_page_is_never_shared_between_members_or_sessions(hub: Hub) -> None:
    ny = factory.chapter(hub)
    ann_id, bob_id = factory.member(hub, ny, name="Ann"), factory.member(hub, ny, name="Bob")
    factory.item(hub, ann_id, "need", "A plumber")
    app = create_hub_app(hub)
    ann1, ann2, bob = _browser(app, hub, ann_id), _browser(app, hub, ann_id), _browser(app, hub, bob_id)
    for path in ("/board", "/help"):
        first, second, other = ann1.get(path).text, ann2.get(path).text, bob.get(path).text
        assert ann1.csrf in first and ann2.csrf not in first  # type: ignore[attr-defined]
        assert ann2.csrf in second and ann1.csrf not in second  # type: ignore[attr-defined]
        assert first.replace(ann1.csrf, "T") == second.replace(ann2.csrf, "T")  # type: ignore[attr-defined]
        assert ann1.csrf not in other and bob.csrf in other  # type: ignore[attr-defined]
        assert PLACEHOLDER not in first + second + other
    assert "Edit" in ann1.get("/board").text and "Edit" not in bob.get("/board").text  # her own item, per member


def _pages(browser: TestClient) -> list[str]:
    return [browser.get(p).text for p in ("/board", "/help", "/board?kind=need", "/board?q=quokka")]


def test_cached_pages_are_the_pages_built_without_the_cache_on_random_writes(hub: Hub) -> None:
    rng = random.Random(15)
    ny, fl = factory.chapter(hub, "New York"), factory.chapter(hub, "Florida")
    people = [factory.member(hub, rng.choice((ny, fl)), name=f"P{i}", role=rng.choice(list(Role))) for i in range(5)]
    cached, plain = create_hub_app(hub), create_hub_app(hub)
    plain.state.page_cache = PageCache(max_bytes=0)  # stores nothing: every page built afresh
    pairs = []
    for who in people:
        secret = sessions.start(hub, who)
        browsers = (TestClient(cached, base_url="http://127.0.0.1"), TestClient(plain, base_url="http://127.0.0.1"))
        for b in browsers:
            b.cookies.set(SESSION_COOKIE, secret)
        pairs.append(browsers)
    made: list[int] = []
    for step in range(30):
        action = rng.randrange(6)
        if action == 0 or not made:
            kind = rng.choice(("need", "offer"))
            made.append(factory.item(hub, rng.choice(people), kind, f"quokka {kind} {step}",
                                     rng.choice(list(Visibility))))  # fmt: skip
        elif action in (1, 2):
            pick = rng.choice(made)
            owner, public_id = _member(hub, _owner(hub, pick)), _public_id(hub, pick)
            try:
                if action == 1:
                    items.close_item(hub, owner, public_id)
                else:
                    items.edit_item(hub, owner, public_id, text=f"quokka edited {step}",
                                    visibility=rng.choice(list(Visibility)))  # fmt: skip
            except GivefirstError:  # closed already
                pass
        elif action == 3 and len(made) > 1:
            need, offer = rng.sample(made, 2)
            with contextlib.suppress(IntegrityError):  # the same pair twice: the unique constraint refuses it
                factory.match(hub, need, offer, score=rng.random())
        elif action == 4:
            with hub.engine.begin() as conn:
                conn.execute(update(items_table).where(items_table.c.id == rng.choice(made)).values(
                    tags=rng.choice(("", "tax", "quokka"))))  # fmt: skip
        for c, p in rng.sample(pairs, 3):
            assert _pages(c) == _pages(p)
            assert _pages(c) == _pages(p)  # the second time from the cache
    assert cache_of_app(cached).hits > 0 and cache_of_app(plain).hits == 0


def _owner(hub: Hub, item_id: int) -> int:
    with hub.engine.connect() as conn:
        return int(conn.execute(select(items_table.c.member_id).where(items_table.c.id == item_id)).scalar_one())


def cache_of_app(app: FastAPI) -> PageCache:
    found: PageCache = app.state.page_cache
    return found


def test_the_cache_can_be_turned_off(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIVEFIRST_HUB_PAGE_CACHE", "off")
    app = create_hub_app(hub)
    browser = _browser(app, hub, factory.member(hub, factory.chapter(hub)))
    assert browser.get("/board").text == browser.get("/board").text
    assert cache_of_app(app).hits == 0 and cache_of_app(app).size == 0


def test_the_cache_stays_within_its_bytes_and_drops_older_versions() -> None:
    cache = PageCache(max_bytes=10)
    cache.put(1, "a", b"12345")
    cache.put(1, "b", b"12345")
    assert cache.get(1, "a") == b"12345"
    cache.put(1, "c", b"123")  # over 10 bytes: the least recently used ("b") goes
    assert cache.get(1, "b") is None and cache.get(1, "a") is not None and cache.size <= 10
    cache.put(2, "d", b"1")
    assert cache.get(1, "a") is None and cache.get(2, "d") == b"1" and cache.size == 1
    cache.put(1, "e", b"1")  # built from an older version: not kept
    assert cache.get(1, "e") is None and cache.get(2, "e") is None
    assert not re.search(r"[^a-z0-9]", PLACEHOLDER)
