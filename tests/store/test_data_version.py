"""The data version (migration 0013): on PostgreSQL every transaction that writes bumps it once, reads and other
schemas leave it alone; the web app's read cache reuses what it derived while it stays the same. On SQLite there is
no counter (the file's size and time say it), and the read cache still sees another process's writes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, inspect, select, text

from givefirst.config import Settings
from givefirst.domain.model import InteractionKind
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.needs import add_item
from givefirst.services.people import PersonInput, add_person
from givefirst.store import matching as match_store
from givefirst.store import people as people_store
from givefirst.store.schema import data_versions, metadata
from givefirst.store.stamp import data_stamp
from givefirst.web import create_app
from givefirst.web.cache import ReadCache
from givefirst.web.context import _stamp_reader
from tests.conftest import NOW
from tests.web.conftest import same_database, seed


def _stamp(app: App) -> int | None:
    with app.engine.connect() as conn:
        return data_stamp(conn)


def _postgresql(app: App) -> None:
    if app.engine.dialect.name != "postgresql":
        pytest.skip("the counter is PostgreSQL's (an SQLite file's size and time say it changed)")


def test_sqlite_has_no_counter_and_keeps_the_file_stamp(app: App) -> None:
    if app.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    assert _stamp(app) is None
    with app.engine.connect() as conn:
        names = set(conn.execute(select(data_versions.c.name)).scalars())
        assert names == {"offers", "needs"}  # no 'all' row that would never move
        triggers = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars().all()
        assert not [t for t in triggers if t.startswith("all_version")]
    assert ReadCache(app.settings.database).stamp() is not None


def test_every_table_has_the_trigger(app: App) -> None:
    """A table added by a later migration needs the trigger too, or writes to it would be served stale."""
    _postgresql(app)
    with app.engine.connect() as conn:
        found = set(
            conn.execute(
                text(
                    "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE t.tgname = 'all_version' AND c.relnamespace = current_schema()::regnamespace"
                )
            ).scalars()
        )
        tables = set(inspect(conn).get_table_names())
    assert found == set(metadata.tables) - {"data_versions"}
    assert found == tables - {"data_versions", "alembic_version"}


def test_a_transaction_bumps_once_however_many_statements(app: App) -> None:
    _postgresql(app)
    first = _stamp(app)
    assert first is not None
    with app.begin() as conn:
        ana = people_store.insert_person(conn, {"name": "Ana Once"}, NOW)
        people_store.insert_person(conn, {"name": "Ben Once"}, NOW)
        conn.execute(text("UPDATE people SET notes = 'x' WHERE id = :id"), {"id": ana})
        conn.execute(
            text("INSERT INTO needs (person_id, text, tags, created_at, status) VALUES (:p, 'a job', '', :t, 'open')"),
            {"p": ana, "t": NOW},
        )
        conn.execute(text("DELETE FROM needs"))
    assert _stamp(app) == first + 1
    with app.begin() as conn:
        conn.execute(text("UPDATE people SET notes = notes"))  # changes nothing, still a write
    assert _stamp(app) == first + 2


@pytest.mark.parametrize(
    "write",
    ["add a person", "log an interaction", "add a need", "add an offer", "raw tag", "truncate", "delete nothing"],
)
def test_every_kind_of_write_moves_it(app: App, write: str) -> None:
    _postgresql(app)
    ana = add_person(app, PersonInput(name="Ana Ruiz", location="Tampa, FL"))
    before = _stamp(app)
    assert before is not None
    actions: dict[str, Callable[[], Any]] = {
        "add a person": lambda: add_person(app, PersonInput(name="Ben Ortiz")),
        "log an interaction": lambda: log_interaction(app, [f"#{ana}"], kind=InteractionKind.MEETING, at=NOW),
        "add a need": lambda: add_item(app, "need", f"#{ana}", "Looking for a data role"),
        "add an offer": lambda: add_item(app, "offer", f"#{ana}", "Happy to review résumés"),
        "raw tag": lambda: _run(app, "INSERT INTO tags (name) VALUES ('new-tag')"),
        "truncate": lambda: _run(app, "TRUNCATE match_suggestions"),
        "delete nothing": lambda: _run(app, "DELETE FROM snoozes WHERE id = -1"),  # a statement that wrote 0 rows
    }
    actions[write]()
    assert (_stamp(app) or 0) > before


def _run(app: App, statement: str) -> None:
    with app.begin() as conn:
        conn.execute(text(statement))


def test_reads_and_rolled_back_writes_leave_it(app: App) -> None:
    _postgresql(app)
    seeded = seed(app)
    first = _stamp(app)
    with app.engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM people")).scalar_one()
    with pytest.raises(RuntimeError), app.begin() as conn:
        people_store.insert_person(conn, {"name": "Never Was"}, NOW)
        raise RuntimeError
    assert _stamp(app) == first
    settings = Settings(database=app.settings.database, today=NOW.date())
    with TestClient(create_app(settings, now=NOW), base_url="http://127.0.0.1") as client:
        pages = ("/today", "/people", f"/people/{seeded.ana}", "/stats", "/connect")
        for path in pages:  # the first views may bring derived data (the match cache) up to date
            assert client.get(path).status_code == 200
        warm = _stamp(app)
        for path in pages:
            assert client.get(path).status_code == 200
    assert _stamp(app) == warm


def test_a_savepoint_rolled_back_takes_its_bump_with_it(app: App) -> None:
    """The once-per-transaction mark is forgotten with the savepoint, so the next write bumps again."""
    _postgresql(app)
    first = _stamp(app)
    assert first is not None
    with app.begin() as conn:
        savepoint = conn.begin_nested()
        people_store.insert_person(conn, {"name": "Rolled Back"}, NOW)
        savepoint.rollback()
        people_store.insert_person(conn, {"name": "Kept"}, NOW)
    assert _stamp(app) == first + 1


def test_a_write_in_another_schema_leaves_it(app: App, other_app: App) -> None:
    """The server's snapshot moved with every commit anywhere; this database's counter does not."""
    _postgresql(app)
    first = _stamp(app)
    with app.engine.connect() as conn:
        snapshot = conn.execute(text("SELECT pg_current_snapshot()::text")).scalar_one()
    add_person(other_app, PersonInput(name="Someone Elsewhere"))
    assert _stamp(other_app) != _stamp(app)
    assert _stamp(app) == first
    with app.engine.connect() as conn:
        assert conn.execute(text("SELECT pg_current_snapshot()::text")).scalar_one() != snapshot


def test_the_read_cache_reuses_values_until_another_connection_writes(app: App) -> None:
    """On both backends: the CLI in another process writes, the web app's next read computes again."""
    seed(app)
    cache = ReadCache(app.settings.database, read_stamp=_stamp_reader(app.engine))
    computed: list[int] = []

    def count_people() -> int:
        with app.engine.connect() as conn:
            computed.append(1)
            return int(conn.execute(text("SELECT count(*) FROM people")).scalar_one())

    first = cache.get(("people",), NOW, count_people)
    assert cache.get(("people",), NOW, count_people) == first
    assert cache.get(("people",), NOW, count_people) == first
    assert len(computed) == 1
    other = same_database(app)
    try:
        with other.begin() as conn:
            people_store.insert_person(conn, {"name": "Zora Newly"}, NOW)
    finally:
        other.close()
    assert cache.get(("people",), NOW, count_people) == first + 1
    assert len(computed) == 2


class _Counter:
    """A stand-in database whose contents are a number: reading it as a stamp, and changing it."""

    def __init__(self) -> None:
        self.state = 0

    def stamp(self) -> Hashable:
        return self.state


def test_a_value_is_kept_under_the_stamp_read_before_it_was_computed() -> None:
    """The database changes during each of the two computations: the second one's value was read at state 1,
    so it must not be served at state 2 (it was kept under 2 before)."""
    db = _Counter()
    cache = ReadCache("postgresql://example/none", read_stamp=db.stamp)

    def compute_while_a_write_commits() -> int:
        seen = db.state
        db.state += 1  # committed after the read: the value is the older state's
        return seen

    assert cache.get("k", NOW, compute_while_a_write_commits) == 1  # computed twice, the database moved each time
    assert db.state == 2

    def read() -> int:
        return db.state

    assert cache.get("k", NOW, read) == 2  # not the value read at state 1


def test_a_value_computed_on_a_moving_database_is_kept_once_it_settles() -> None:
    db = _Counter()
    cache = ReadCache("postgresql://example/none", read_stamp=db.stamp)
    calls: list[int] = []

    def writes_on_first_read() -> int:  # as bringing the match cache up to date does
        calls.append(db.state)
        if len(calls) == 1:
            db.state += 1
        return db.state

    assert cache.get("k", NOW, writes_on_first_read) == 1
    assert cache.get("k", NOW, writes_on_first_read) == 1
    assert calls == [0, 1]  # computed again on the new state, then kept under it


def _transaction_in_thread(
    app: App, work: Callable[[Connection], None]
) -> tuple[threading.Thread, list[BaseException]]:
    """Start `work` in a transaction of its own (waiting at most 10 s for a lock) on another thread; what it raises
    lands in the returned list, for the test thread to check."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.begin() as conn:
                conn.execute(text("SET LOCAL lock_timeout = '10s'"))
                work(conn)
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_a_reader_of_the_offers_version_and_a_writer_of_offers_do_not_deadlock(app: App) -> None:
    """The reader locks the counter first, as every writer does (before its rows, before 0012 bumps 'offers'):
    the writer waits for the reader's transaction, then goes on."""
    _postgresql(app)
    ana = add_person(app, PersonInput(name="Ana Ruiz"))
    reader = app.engine.connect()
    try:
        reader.execute(text("SET LOCAL lock_timeout = '10s'"))  # (begins the transaction)
        version = match_store.offers_version(reader)
        assert version is not None

        def write_offer(conn: Connection) -> None:
            conn.execute(
                text("INSERT INTO offers (person_id, text, tags, created_at, status) "
                     "VALUES (:p, 'A desk', '', :t, 'open')"),
                {"p": int(ana), "t": NOW},
            )  # fmt: skip

        writer, errors = _transaction_in_thread(app, write_offer)
        writer.join(0.5)
        assert writer.is_alive()  # held off by the reader's lock
        match_store.set_marks(reader, "need", {1: "x"}, NOW)  # the reader writes the match cache: bumps 'all'
        assert match_store.offers_version(reader) == version
        reader.commit()
        writer.join(15)
        assert not writer.is_alive()
        assert errors == []
    finally:
        reader.close()
    with app.engine.connect() as conn:
        assert match_store.offers_version(conn) == version + 1


def test_two_readers_of_the_offers_version_that_write_do_not_deadlock(app: App) -> None:
    """Locked for share, both would hold the counter and each wait for the other to let go before writing."""
    _postgresql(app)
    first = app.engine.connect()
    try:
        first.execute(text("SET LOCAL lock_timeout = '10s'"))  # (begins the transaction)
        match_store.offers_version(first)

        def second_reader(conn: Connection) -> None:
            match_store.offers_version(conn)
            match_store.set_marks(conn, "need", {2: "y"}, NOW)

        other, errors = _transaction_in_thread(app, second_reader)
        other.join(0.5)
        match_store.set_marks(first, "need", {1: "x"}, NOW)
        first.commit()
        other.join(15)
        assert not other.is_alive()
        assert errors == []
    finally:
        first.close()


def test_the_migration_goes_down_and_up_again(db_url: str) -> None:
    """Down to 0012 it takes away what it made (on SQLite it made nothing); up again it is all back."""
    from alembic import command

    from givefirst.store.database import open_database
    from givefirst.store.migrate import alembic_config, upgrade

    engine = open_database(db_url)
    postgresql = engine.dialect.name == "postgresql"

    def counts() -> tuple[int, int, int]:
        with engine.connect() as conn:
            rows = conn.execute(select(data_versions.c.name).where(data_versions.c.name == "all")).all()
            if not postgresql:
                return len(rows), 0, 0
            triggers = conn.execute(
                text("SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                     "WHERE t.tgname = 'all_version' AND c.relnamespace = current_schema()::regnamespace")
            ).scalar_one()  # fmt: skip
            functions = conn.execute(
                text("SELECT count(*) FROM pg_proc WHERE proname = 'bump_all_version' "
                     "AND pronamespace = current_schema()::regnamespace")
            ).scalar_one()  # fmt: skip
            return len(rows), int(triggers), int(functions)

    try:
        assert counts() == ((1, len(metadata.tables) - 1, 1) if postgresql else (0, 0, 0))
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0012_offers_stamp")
        assert counts() == (0, 0, 0)
        with engine.connect() as conn:
            assert data_stamp(conn) is None  # an un-migrated database: nothing may be cached
        upgrade(engine)
        assert counts() == ((1, len(metadata.tables) - 1, 1) if postgresql else (0, 0, 0))
    finally:
        engine.dispose()
