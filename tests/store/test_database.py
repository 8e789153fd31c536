"""The schema, its migrations and the connection settings, on a real database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, insert, inspect, select, text

from givefirst.errors import DatabaseError
from givefirst.store.database import HEAD_REVISION, KNOWN_REVISIONS, current_revision, database_url, open_database
from givefirst.store.migrate import script_revisions
from givefirst.store.schema import identities, metadata, people


def test_known_revisions_match_the_migration_scripts() -> None:
    assert list(KNOWN_REVISIONS) == script_revisions()


# Alembic cannot compare expression indexes (ix_people_listed) and says so; the index itself is checked by
# tests/store/test_people_listed.py.
@pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrations_build_exactly_the_declared_schema(db_url: str) -> None:
    engine = open_database(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
        assert set(metadata.tables) <= set(inspect(conn).get_table_names())
    assert current_revision(engine) == HEAD_REVISION
    engine.dispose()


def test_opening_twice_is_harmless(db_url: str) -> None:
    open_database(db_url).dispose()
    engine = open_database(db_url)
    assert current_revision(engine) == HEAD_REVISION
    engine.dispose()


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = open_database(str(tmp_path / "g.db"))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_deleting_a_person_removes_their_identities(db_url: str) -> None:
    from datetime import datetime

    engine = open_database(db_url)
    now = datetime(2026, 1, 1)
    with engine.begin() as conn:
        pid = conn.execute(
            insert(people).values(name="A", created_at=now, updated_at=now).returning(people.c.id)
        ).scalar_one()
        conn.execute(insert(identities).values(person_id=pid, kind="email", value="a@x.example"))
        conn.execute(people.delete().where(people.c.id == pid))
        assert conn.execute(select(identities)).all() == []
    engine.dispose()


def test_database_url_forms(tmp_path: Path) -> None:
    assert database_url(str(tmp_path / "g.db")) == f"sqlite:///{tmp_path / 'g.db'}"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(DatabaseError, match="does not exist"):
        database_url(str(tmp_path / "missing" / "g.db"))
    with pytest.raises(DatabaseError, match="is a directory"):
        database_url(str(tmp_path))


def test_upgrading_a_database_with_data_keeps_every_row(tmp_path: Path) -> None:
    from datetime import datetime

    from givefirst.store.database import create_db_engine, database_url
    from givefirst.store.migrate import upgrade

    engine = create_db_engine(database_url(str(tmp_path / "old.db")))
    upgrade(engine, KNOWN_REVISIONS[0])
    now = datetime(2026, 1, 1)
    with engine.begin() as conn:
        pid = conn.execute(
            insert(people).values(name="Ana", created_at=now, updated_at=now).returning(people.c.id)
        ).scalar_one()
        conn.execute(insert(identities).values(person_id=pid, kind="email", value="ana@x.example"))
    upgrade(engine)  # to head, rebuilding tables on SQLite
    assert current_revision(engine) == HEAD_REVISION
    with engine.connect() as conn:
        assert conn.execute(select(identities.c.value)).scalars().all() == ["ana@x.example"]
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def _checks_references(engine: Any, to: str) -> bool:
    """Upgrade to `to` and say whether the migration checked every foreign key afterwards."""
    from givefirst.store.migrate import upgrade

    seen: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        upgrade(engine, to)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return any("foreign_key_check" in s for s in seen)


def test_the_references_are_checked_after_a_migration_that_writes_rows_or_rebuilds_tables(tmp_path: Path) -> None:
    from givefirst.store.database import create_db_engine

    engine = create_db_engine(database_url(str(tmp_path / "old.db")))
    assert _checks_references(engine, KNOWN_REVISIONS[0])  # every table created
    assert _checks_references(engine, "0016_heard_scanned")  # many steps: rows written, tables rebuilt
    assert _checks_references(engine, "0017_needs_stamp")  # a row written (the needs' counter)
    # 0018 adds an index: no row written but the revision's, no table rebuilt, so no reference can have changed
    assert not _checks_references(engine, "0018_exchanges_given")
    assert current_revision(engine) == "0018_exchanges_given"
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_the_rule_for_skipping_the_check() -> None:
    from givefirst.store.migrate import _may_have_broken_references as may

    tables = {("people", "CREATE TABLE people (id INTEGER)", 2), ("notes", "CREATE TABLE notes (id INTEGER)", 3)}
    assert not may((tables, 10), (tables, 11))  # the revision's row only
    assert may((tables, 10), (tables, 12))  # a row written besides
    rebuilt = tables - {("notes", "CREATE TABLE notes (id INTEGER)", 3)} | {
        ("notes", "CREATE TABLE notes (id INTEGER)", 9)
    }
    assert may((tables, 10), (rebuilt, 11))  # the same definition on other pages: copied and renamed
    assert may((tables, 10), (tables | {("new", "CREATE TABLE new (id INTEGER)", 12)}, 11))
