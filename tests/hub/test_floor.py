"""What every signed-in request costs (issue 15's floor): the session, its member and the data version read in one
statement, a cached page answered without another, and pooled connections that PostgreSQL dropped replaced
without a ping on every check-out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text, update

from givefirst.hub.domain.access import Role
from givefirst.hub.services import sessions
from givefirst.hub.services.context import Hub
from givefirst.hub.store import database, versioning
from givefirst.hub.store import members as stored_members
from givefirst.hub.store.schema import data_version
from givefirst.hub.store.schema import members as members_table
from givefirst.hub.store.schema import sessions as sessions_table
from tests.conftest import PG_URL
from tests.hub import factory


def test_the_session_read_gives_the_member_its_token_and_the_data_version(hub: Hub) -> None:
    ny = factory.chapter(hub)
    ann = factory.member(hub, ny, name="Ann", role=Role.LEAD)
    secret = sessions.start(hub, ann)
    found = sessions.signed_in(hub, secret)
    assert found is not None
    with hub.engine.connect() as conn:
        assert found.member == stored_members.member_by_id(conn, ann)  # the whole member: the cache's key
        assert found.data_version == versioning.current(conn)
        csrf = conn.execute(sessions_table.select()).one().csrf_secret
    assert found.csrf_secret == csrf and sessions.current(hub, secret) == (found.member, csrf)
    with hub.engine.begin() as conn:
        conn.execute(update(data_version).values(n=data_version.c.n + 5))
    moved = sessions.signed_in(hub, secret)
    assert moved is not None and moved.data_version == (found.data_version or 0) + 5


def test_no_session_for_a_forged_expired_ended_or_deleted_one(hub: Hub) -> None:
    ny = factory.chapter(hub)
    ann, bob = factory.member(hub, ny, name="Ann"), factory.member(hub, ny, name="Bob")
    assert sessions.signed_in(hub, None) is None and sessions.signed_in(hub, "forged") is None
    assert sessions.signed_in(hub, "x" * 101) is None
    kept, ended = sessions.start(hub, ann), sessions.start(hub, ann)
    sessions.end(hub, ended)
    assert sessions.signed_in(hub, kept) is not None and sessions.signed_in(hub, ended) is None
    later = Hub(hub.engine, hub.secret, clock=lambda: hub.now() + timedelta(days=sessions.SESSION_DAYS, seconds=1))
    assert sessions.signed_in(later, kept) is None  # expired
    gone = sessions.start(hub, bob)
    assert sessions.signed_in(hub, gone) is not None
    # deleting an account removes its sessions too; a member marked deleted by any other way is still refused
    with hub.engine.begin() as conn:
        conn.execute(update(members_table).where(members_table.c.id == bob).values(deleted_at=hub.now()))
    assert sessions.signed_in(hub, gone) is None and sessions.current(hub, gone) is None


@pytest.fixture
def statements(hub: Hub) -> Iterator[list[str]]:
    """The SQL statements the hub's engine runs from now on."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(hub.engine, "before_cursor_execute", record)
    yield seen
    event.remove(hub.engine, "before_cursor_execute", record)


def test_a_cached_page_costs_the_session_read_alone(hub: Hub, statements: list[str]) -> None:
    ny = factory.chapter(hub)
    ann = factory.member(hub, ny, name="Ann")
    factory.item(hub, ann, "need", "a bookkeeper for our shop")
    browser = factory.client(hub, ann)
    for path in ("/board", "/help", "/board?kind=need"):
        first = browser.get(path)
        statements.clear()
        again = browser.get(path)
        assert first.status_code == again.status_code == 200 and again.text == first.text
        assert len(statements) == 1 and "hub_sessions" in statements[0], statements


def _pg_only(hub: Hub) -> None:
    if hub.engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL server dropping connections")


def _drop_connections(pids: list[int]) -> None:
    """What a restarted PostgreSQL does to the pool: every connection it had is closed by the server."""
    admin = create_engine(PG_URL)  # type: ignore[arg-type]
    with admin.connect() as conn:
        for pid in pids:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


def _backends(hub: Hub) -> list[int]:
    """Start the pool afresh and record the server process of each connection it opens."""
    hub.engine.dispose()
    pids: list[int] = []
    event.listen(hub.engine, "connect", lambda dbapi_conn, record: pids.append(dbapi_conn.info.backend_pid))
    return pids


def test_an_idle_connection_postgresql_dropped_is_replaced(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    _pg_only(hub)
    ny = factory.chapter(hub)
    ann = factory.member(hub, ny, name="Ann")
    browser = factory.client(hub, ann)
    pids = _backends(hub)
    assert browser.get("/healthz.json").status_code == 200 and browser.get("/board").status_code == 200
    monkeypatch.setattr(database, "PING_AFTER_IDLE_S", 0.0)  # every pooled connection counts as idle
    _drop_connections(pids)
    # no cookie, so no session read to retry: the ping on check-out found the dead connection
    assert factory.client(hub).get("/healthz.json").status_code == 200
    assert browser.get("/board").status_code == 200


def test_a_connection_dropped_while_busy_is_retried_by_the_session_read(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pg_only(hub)
    monkeypatch.setattr(database, "PING_AFTER_IDLE_S", 1e9)  # never pinged: the statement itself meets the dead one
    ny = factory.chapter(hub)
    ann = factory.member(hub, ny, name="Ann")
    browser = factory.client(hub, ann)
    pids = _backends(hub)
    page = browser.get("/board")
    assert page.status_code == 200 and len(pids) >= 1
    _drop_connections(pids)
    again = browser.get("/board")  # the guard's read fails on the dead connection, then succeeds on a new one
    assert again.status_code == 200 and again.text == page.text
    # the failure invalidated the whole pool, so a request without a session read finds live connections too
    assert factory.client(hub).get("/healthz.json").status_code == 200


def test_no_path_of_one_page_module_is_matched_by_another_module() -> None:
    """The app puts the busiest modules' routes first; that is safe only while no two modules' paths overlap."""
    import re

    from givefirst.hub.web import (
        pages_board,
        pages_directory,
        pages_events,
        pages_home,
        pages_introductions,
        pages_lead,
        pages_members,
        pages_passkeys,
    )

    modules = (pages_board, pages_introductions, pages_home, pages_members, pages_passkeys, pages_directory,
               pages_events, pages_lead)  # fmt: skip
    routes = [(m.__name__, r) for m in modules for r in m.router.routes]
    samples = {name: re.sub(r"\{[^}]+\}", "x", name) for _, r in routes for name in [getattr(r, "path", "")]}
    overlaps = [
        (a, ra.path, b, rb.path)
        for a, ra in routes
        for b, rb in routes
        if a != b and rb.path_regex.match(samples[ra.path])  # type: ignore[attr-defined]
    ]
    assert overlaps == [] and len(routes) > 60
