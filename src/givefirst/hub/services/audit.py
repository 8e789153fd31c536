"""The audit log: every change a lead or an admin makes, and every account export and deletion.

`record` takes the caller's connection, so the entry is written in the same transaction as the change it
describes: either both are stored or neither.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from givefirst.hub.domain.members import NotAllowedError
from givefirst.hub.domain.model import Member
from givefirst.hub.services.context import Hub
from givefirst.hub.store import audit as stored_audit
from givefirst.hub.store.schema import members


def record(
    conn: Connection,
    actor_id: int | None,
    action: str,
    target: str,
    detail: Mapping[str, object] | str = "",
    *,
    chapter_id: int | None = None,
    at: datetime | None = None,
) -> None:
    """Write one entry: `actor_id` (None: the command line) did `action` ("role.set") to `target` ("member:ID").

    The entry belongs to `chapter_id` (its leads read it); by default the actor's chapter. `detail` is a mapping
    stored as JSON, or a text. `at`: pass `hub.now()`; without it, the wall clock.
    """
    if chapter_id is None and actor_id is not None:
        chapter_id = conn.execute(select(members.c.chapter_id).where(members.c.id == actor_id)).scalar()
    text = detail if isinstance(detail, str) else json.dumps(dict(detail), ensure_ascii=False, default=str)
    stored_audit.add(conn, actor_id, action, target, text, chapter_id, at or _now())


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # stored naive, in UTC, like every hub timestamp


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    at: datetime
    actor: str  # the actor's name, "the command line", or "a former member"
    action: str
    target: str
    detail: str
    chapter_id: int | None


def entries(hub: Hub, viewer: Member, *, limit: int = 100, before_id: int | None = None) -> list[Entry]:
    """The audit log a lead (their chapter's entries) or an admin (every entry) may read, newest first."""
    if viewer.viewer.is_admin:
        chapter_id = None
    elif viewer.viewer.leads(viewer.chapter_id):
        chapter_id = viewer.chapter_id
    else:
        raise NotAllowedError("only leads and admins can read the audit log")
    with hub.engine.connect() as conn:
        rows = stored_audit.entries(conn, chapter_id, max(1, min(limit, 500)), before_id)
    return [
        Entry(
            id=row.id,
            at=row.at,
            actor=row.actor_name if row.actor_id is not None and row.actor_name else "the command line",
            action=row.action,
            target=row.target,
            detail=row.detail,
            chapter_id=row.chapter_id,
        )
        for row in rows
    ]
