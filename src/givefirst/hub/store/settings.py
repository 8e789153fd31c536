"""The hub's own settings (`hub_settings`): a key and a text value each."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from givefirst.hub.store.schema import settings


def get(conn: Connection, key: str) -> str | None:
    return conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()


def put(conn: Connection, key: str, value: str) -> None:
    if conn.execute(update(settings).where(settings.c.key == key).values(value=value)).rowcount == 0:
        conn.execute(settings.insert().values(key=key, value=value))


def get_or_create(conn: Connection, key: str, make: str) -> str:
    """Return the setting, storing `make` first when it has none (the first process to start wins)."""
    found = get(conn, key)
    if found is None:
        put(conn, key, make)
        return make
    return found
