"""What identifies a PostgreSQL database's committed contents right now, so that derived data can be reused.

An SQLite file says it changed by its size and modification time (`web/cache.py`). A PostgreSQL server does not,
but its snapshot does: `pg_current_snapshot()` is the next transaction id to be assigned and the ones still in
progress. While it stays the same, no transaction has committed since (a read-only one takes no id), so
anything read before is still what a new read would give. It is the whole server's: a write to another database
on the same server changes it too, which costs a recomputation, never a stale answer.
"""

from __future__ import annotations

from sqlalchemy import Connection, text


def data_stamp(conn: Connection) -> str | None:
    """Return the server's snapshot as text on PostgreSQL, None on other databases."""
    if conn.dialect.name != "postgresql":
        return None
    return str(conn.execute(text("SELECT pg_current_snapshot()::text")).scalar_one())
