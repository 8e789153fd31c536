"""Invite links as rows: only the hash of each link's secret is stored, and using one is a single UPDATE."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from givefirst.hub.store.schema import invites


def add(conn: Connection, **values: object) -> int:
    return int(conn.execute(invites.insert().values(**values)).inserted_primary_key[0])  # type: ignore[index]


def by_hash(conn: Connection, token_hash: str) -> Any:
    return conn.execute(select(invites).where(invites.c.token_hash == token_hash)).first()


def mark_used(conn: Connection, invite_id: int, member_id: int, now: datetime) -> bool:
    """Mark the invite used by `member_id`; False when another request used it first (one winner, no lock)."""
    done = conn.execute(
        update(invites)
        .where(invites.c.id == invite_id, invites.c.used_at.is_(None))
        .values(used_at=now, used_by=member_id)
    ).rowcount
    return bool(done)


def of_chapter(conn: Connection, chapter_id: int | None, limit: int = 50) -> list[Any]:
    """The latest invites of a chapter (every chapter when None), newest first, for the lead's page."""
    query = select(invites).order_by(invites.c.created_at.desc(), invites.c.id.desc()).limit(limit)
    if chapter_id is not None:
        query = query.where(invites.c.chapter_id == chapter_id)
    return list(conn.execute(query))
