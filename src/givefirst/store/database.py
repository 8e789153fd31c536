"""Opening the database: the URL from a path, SQLite pragmas, and migrations on first use."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError

from givefirst.errors import DatabaseError, NewerDatabaseError

# Revisions this version of givefirst knows, oldest first. A test checks it against the migration scripts, so
# opening a database needs no Alembic import unless an upgrade is actually due (it keeps start-up fast).
KNOWN_REVISIONS = (
    "0001_initial", "0002_imports", "0003_connector", "0004_reach", "0005_mail_identity", "0006_live_sources",
    "0007_dav_items", "0008_one_mail_memory", "0009_heard", "0010_heard_sources", "0011_hub_client",
    "0012_offers_stamp", "0013_data_version", "0014_graph_changes", "0015_people_listed", "0016_heard_scanned",
    "0017_needs_stamp", "0018_exchanges_given", "0019_people_birthday",
)  # fmt: skip
HEAD_REVISION = KNOWN_REVISIONS[-1]


def database_url(target: str) -> str:
    """Return an SQLAlchemy URL for a path or a URL; a bare path means an SQLite file."""
    if "://" in target:
        if target.startswith("postgresql://"):
            return "postgresql+psycopg://" + target.removeprefix("postgresql://")
        return target
    path = Path(target).expanduser()
    if not path.parent.exists():
        raise DatabaseError(f"cannot open {path}: directory {path.parent} does not exist")
    if path.is_dir():
        raise DatabaseError(f"cannot open {path}: it is a directory, not a database file")
    return f"sqlite:///{path.resolve()}"


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")  # the CLI and a server may write at the same time
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    if not _sqlite_has_exp(cursor):
        # `people --due` computes tie strengths in SQL (store/due.py); SQLite builds without the math functions
        # get Python's.
        dbapi_connection.create_function("exp", 1, math.exp, deterministic=True)
    cursor.close()


_HAS_EXP: list[bool] = []  # whether this process's SQLite has exp(), probed once


def _sqlite_has_exp(cursor: sqlite3.Cursor) -> bool:
    if not _HAS_EXP:
        try:
            cursor.execute("SELECT exp(0)")
            _HAS_EXP.append(True)
        except sqlite3.OperationalError:
            _HAS_EXP.append(False)
    return _HAS_EXP[0]


def create_db_engine(url: str) -> Engine:
    """Return an engine for `url` with givefirst's connection settings."""
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _describe(url: str) -> str:
    return url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url.split("@")[-1]


def current_revision(engine: Engine) -> str | None:
    """Return the schema revision stored in the database, or None for an empty one."""
    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            if "alembic_version" not in names:
                if names - {"sqlite_sequence"}:
                    raise DatabaseError(f"{_describe(str(engine.url))} is not a givefirst database")
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, SADatabaseError) as exc:
        raise DatabaseError(f"cannot open {_describe(str(engine.url))}: {exc.orig}") from None


def ensure_schema(engine: Engine) -> None:
    """Bring the schema to this version's head, creating it in an empty database; refuse newer databases."""
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerDatabaseError(
            f"{_describe(str(engine.url))} was written by a newer givefirst (schema {revision}); "
            "upgrade givefirst to open it"
        )
    from givefirst.store.migrate import upgrade  # Alembic is imported only when there is work for it

    upgrade(engine)


def open_database(target: str, *, migrate: bool = True) -> Engine:
    """Return an engine on `target` (a path or a URL) with the schema up to date."""
    engine = create_db_engine(database_url(target))
    if migrate:
        ensure_schema(engine)
    return engine
