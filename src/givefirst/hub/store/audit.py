"""The audit log's rows: what leads and admins changed, and account exports and deletions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from givefirst.hub.store.schema import audit_log, members


def add(
    conn: Connection, actor_id: int | None, action: str, target: str, detail: str, chapter_id: int | None, at: datetime
) -> None:
    conn.execute(
        audit_log.insert().values(
            actor_id=actor_id, action=action[:60], target=target[:200], detail=detail, chapter_id=chapter_id, at=at
        )
    )


def entries(conn: Connection, chapter_id: int | None, limit: int, before_id: int | None = None) -> list[Any]:
    """The newest entries (of one chapter, or all when None) with the actor's name, newest first."""
    query = (
        select(audit_log, members.c.name.label("actor_name"), members.c.public_id.label("actor_public_id"))
        .outerjoin(members, members.c.id == audit_log.c.actor_id)
        .order_by(audit_log.c.id.desc())
        .limit(limit)
    )
    if chapter_id is not None:
        query = query.where(audit_log.c.chapter_id == chapter_id)
    if before_id is not None:
        query = query.where(audit_log.c.id < before_id)
    return list(conn.execute(query))
