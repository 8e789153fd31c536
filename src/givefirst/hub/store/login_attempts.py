"""Failed sign-ins, kept in the database so that every web worker counts the same failures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select

from givefirst.hub.store.schema import login_attempts


def failures(conn: Connection, key: str, since: datetime) -> list[datetime]:
    rows = conn.execute(select(login_attempts.c.at).where(login_attempts.c.key == key, login_attempts.c.at > since))
    return [row.at for row in rows]


def add(conn: Connection, keys: list[str], now: datetime) -> None:
    conn.execute(login_attempts.insert(), [{"key": key, "at": now} for key in keys])


def clear(conn: Connection, key: str) -> None:
    conn.execute(delete(login_attempts).where(login_attempts.c.key == key))


def forget_before(conn: Connection, before: datetime) -> None:
    """Drop failures too old to count, so the table stays the size of the last window."""
    conn.execute(delete(login_attempts).where(login_attempts.c.at < before))
