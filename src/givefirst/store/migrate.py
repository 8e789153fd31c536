"""Alembic, run programmatically on the package's own migration scripts."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from givefirst.errors import DatabaseError


def alembic_config() -> Config:
    """Return an Alembic configuration pointing at `givefirst/store/migrations`."""
    config = Config()
    config.set_main_option("script_location", "givefirst.store:migrations")
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to `revision` in one transaction.

    On SQLite, foreign keys are switched off while migrating: Alembic's batch mode rebuilds a table by copying it
    and dropping the old one, and with foreign keys on, that drop would cascade-delete every row that refers to
    it. They are checked once the migration is done, unless it wrote no row but the revision's and rebuilt no
    table (an index added, a trigger): then no reference can have changed, and the check, which reads every row
    of every table (4 s at 100,000 people), is skipped.
    """
    config = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.execute(text("PRAGMA foreign_keys=OFF"))  # only takes effect outside a transaction
            conn.commit()
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                before = _tables_and_changes(conn) if sqlite else None
                command.upgrade(config, revision)
                if before is not None and _may_have_broken_references(before, _tables_and_changes(conn)):
                    broken = conn.execute(text("PRAGMA foreign_key_check")).first()
                    if broken is not None:
                        raise DatabaseError(f"migration left a dangling reference in {broken[0]}; nothing changed")
        finally:
            if sqlite:
                conn.execute(text("PRAGMA foreign_keys=ON"))
                conn.commit()


def _tables_and_changes(conn: Connection) -> tuple[set[tuple[str, str, int]], int]:
    """On SQLite: every table as (name, definition, first page), and how many rows this connection has written."""
    tables = conn.execute(text("SELECT name, sql, rootpage FROM sqlite_master WHERE type = 'table'")).all()
    return {(str(n), str(q), int(p)) for n, q, p in tables}, int(
        conn.execute(text("SELECT total_changes()")).scalar_one()
    )


def _may_have_broken_references(before: tuple[set[Any], int], after: tuple[set[Any], int]) -> bool:
    """Whether a migration between these two readings may have left a dangling reference: it rebuilt, added or
    dropped a table (a rebuilt one starts on another page), or wrote a row other than the revision's own."""
    return before[0] != after[0] or after[1] - before[1] > 1


def script_revisions() -> list[str]:
    """Return the revisions of the migration scripts, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]
