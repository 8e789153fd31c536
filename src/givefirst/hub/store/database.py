"""Opening the hub's database: PostgreSQL in production; SQLite only for `hub demo` and tests that say so.

Migrations run on start (`open_hub`), so upgrading the hub is: install the new version, restart. A database
written by a newer hub is refused rather than downgraded.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import DisconnectionError, OperationalError

from givefirst.errors import DatabaseError, NewerDatabaseError
from givefirst.store.database import create_db_engine, database_url

KNOWN_REVISIONS = ("h0001_hub",)  # oldest first; a test holds it to the migration scripts
HEAD_REVISION = KNOWN_REVISIONS[-1]
VERSION_TABLE = "hub_alembic_version"
# A pooled connection unused this long is pinged before it is handed out (see `_ping_when_idle`).
PING_AFTER_IDLE_S = 5.0
_LAST_USED = "givefirst_last_used"


def _describe(engine: Engine) -> str:
    url = str(engine.url)
    return url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url.split("@")[-1]


def current_revision(engine: Engine) -> str | None:
    """Return the hub schema revision stored in the database, or None when it holds no hub yet."""
    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            if VERSION_TABLE not in names:
                if "alembic_version" in names:
                    raise DatabaseError(f"{_describe(engine)} is a personal givefirst database, not a hub's")
                return None
            return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    except (OperationalError, SADatabaseError) as exc:
        raise DatabaseError(f"cannot open the hub database {_describe(engine)}: {exc.orig}") from None


def ensure_schema(engine: Engine) -> None:
    """Bring the hub schema to this version's head; refuse a database written by a newer hub."""
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerDatabaseError(
            f"the hub database {_describe(engine)} was written by a newer givefirst (schema {revision}); "
            "upgrade givefirst on this server before starting it (downgrades are refused)"
        )
    from givefirst.hub.store.migrate import upgrade

    upgrade(engine)


def open_hub(target: str, *, migrate: bool = True) -> Engine:
    """Return an engine on the hub database `target` (a PostgreSQL URL, or an SQLite path) with its schema."""
    url = database_url(target)
    if url.startswith("postgresql"):
        # A request in a web worker's thread pool holds a connection: the pool must cover `hub serve --threads`
        # (default 4; up to 40 here). With SQLAlchemy's default pool of 5 + 10 and Starlette's 40 threads, the
        # rest waited 30 s for a connection and failed under load.
        engine = create_engine(url, pool_size=10, max_overflow=30, pool_timeout=10)
        _ping_when_idle(engine)
    else:
        engine = create_db_engine(url)
    if migrate:
        ensure_schema(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before handing it out only when it has been idle for PING_AFTER_IDLE_S.

    `pool_pre_ping=True` pings on every check-out: a round trip (a `SELECT 1` and two autocommit switches) for
    every request, a tenth of a cached page's CPU. A connection in use a moment ago is almost surely alive; one
    that sat idle is where a restarted or failed-over PostgreSQL shows, so that is what is pinged. A dead one is
    replaced by the pool (DisconnectionError makes it connect again). A connection that died while in use under
    load fails its statement instead: SQLAlchemy then invalidates the whole pool, and the session read that every
    signed-in request starts with retries once (`services.sessions.signed_in`).
    """

    @event.listens_for(engine, "checkin")
    def used(dbapi_connection: Any, record: Any) -> None:
        record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        last = record.info.get(_LAST_USED)  # None: a connection just opened
        if last is None or time.monotonic() - last <= PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # any failure: the pool drops it and opens another
            raise DisconnectionError(f"a pooled connection idle {time.monotonic() - last:.0f} s is gone") from exc
