"""The hub's data version: a counter that every write able to change what a page shows moves, in its own transaction.

A page cache keyed on it (`hub.web.pagecache`) can then serve a page again as long as the counter has not moved.
The counter is bumped by triggers (created by the migration), not by the code that writes, so that no write — a
web route, the matching worker, a CLI command, a hand-written SQL fix — can forget it. On PostgreSQL the triggers
run once per statement, *before* it (so a transaction takes the counter's row lock before the rows it changes,
the same order for everyone); on SQLite once per row (SQLite has no statement triggers; the whole database is one
lock there anyway). Because the counter is a row updated in the writing transaction, a reader sees the new value
exactly when it can see the new data: read the version first, then the data, and the data is at least as new as
the version says.

Not `pg_current_snapshot()` or a sequence: the snapshot moves with every other database's commits, and a sequence
moves before the writer commits (a reader could cache the old data under the new number).
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from givefirst.hub.store.schema import data_version

# What the board, /help and the pages built on them read: changing anything else (sessions, jobs, the audit log,
# settings such as the worker's heartbeat, digests, events) leaves the counter alone, so that it moves only when
# a page could change. A test holds the migration's triggers to this list.
WATCHED = (
    "chapters",
    "members",
    "items",
    "item_terms",
    "matches",
    "introductions",
    "declined_pairs",
)


def current(conn: Connection) -> int | None:
    """Return the data version, or None when this database has no counter (then nothing may be cached)."""
    value = conn.execute(select(data_version.c.n).where(data_version.c.id == 1)).scalar()
    return int(value) if value is not None else None
