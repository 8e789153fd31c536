"""Server-side sessions: rows keyed by the hash of the secret a browser holds in its cookie."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from givefirst.hub.store.schema import sessions


def add(conn: Connection, id_hash: str, member_id: int, csrf_secret: str, now: datetime, expires: datetime) -> None:
    conn.execute(
        insert(sessions).values(
            id_hash=id_hash, member_id=member_id, csrf_secret=csrf_secret, created_at=now, expires_at=expires
        )
    )


def find(conn: Connection, id_hash: str, now: datetime) -> tuple[int, str] | None:
    """Return (member id, CSRF secret) of a live session, None when there is none or it expired."""
    row = conn.execute(
        select(sessions.c.member_id, sessions.c.csrf_secret).where(
            sessions.c.id_hash == id_hash, sessions.c.expires_at > now
        )
    ).first()
    return (row.member_id, row.csrf_secret) if row is not None else None


def remove(conn: Connection, id_hash: str) -> None:
    conn.execute(delete(sessions).where(sessions.c.id_hash == id_hash))


def remove_member(conn: Connection, member_id: int) -> None:
    conn.execute(delete(sessions).where(sessions.c.member_id == member_id))


def remove_expired(conn: Connection, now: datetime) -> int:
    return conn.execute(delete(sessions).where(sessions.c.expires_at <= now)).rowcount
