"""What identifies a PostgreSQL database's committed contents right now, so that derived data can be reused.

An SQLite file says it changed by its size and modification time (`web/cache.py`). On PostgreSQL, a counter
does: the row ('all', n) of `data_versions`, which triggers on every table bump once in each transaction that
writes (migration 0013). It is a row updated in the writing transaction, so a reader sees the new number exactly
when it can see the new data: read it before the data, and the data is at least as new as the number says.

Not the server's snapshot (`pg_current_snapshot()`, used before): that moves with every commit anywhere on the
server — another database, another schema, any background writer — so under load it almost never stayed the
same long enough for a cached value to be used again (issue 13).
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from givefirst.store.schema import data_versions


def data_stamp(conn: Connection) -> int | None:
    """Return the database's data version on PostgreSQL; None on other databases, or when it has no counter
    (a database not migrated yet: then nothing may be cached)."""
    if conn.dialect.name != "postgresql":
        return None
    found = conn.execute(select(data_versions.c.version).where(data_versions.c.name == "all")).scalar()
    return None if found is None else int(found)


def lock_data_version(conn: Connection) -> None:
    """On PostgreSQL, lock the data version's row as a writer does (FOR NO KEY UPDATE, without changing it): writers
    are then held off until this transaction ends, and the lock is taken in the order every writer takes it (the
    counter first, migration 0013), so a reader that goes on to write cannot deadlock with them. Nothing elsewhere.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(select(data_versions.c.name).where(data_versions.c.name == "all").with_for_update(key_share=True))
