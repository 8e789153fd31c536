"""Handoffs of moving members from one chapter to another (the only SQL for the `handoffs` table)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select, update

from givefirst.hub.domain.model import Member
from givefirst.hub.store.members import member_from_row
from givefirst.hub.store.schema import handoffs, members


@dataclass(frozen=True, slots=True)
class Handoff:
    id: int
    member_id: int
    from_chapter_id: int
    to_chapter_id: int
    status: str  # proposed | accepted | dismissed
    proposed_at: datetime
    answered_at: datetime | None


def _handoff(row: Any) -> Handoff:
    return Handoff(
        row.id, row.member_id, row.from_chapter_id, row.to_chapter_id, row.status, row.proposed_at, row.answered_at
    )


def latest_for(conn: Connection, member_id: int, to_chapter_id: int | None = None) -> Handoff | None:
    query = select(handoffs).where(handoffs.c.member_id == member_id)
    if to_chapter_id is not None:
        query = query.where(handoffs.c.to_chapter_id == to_chapter_id)
    row = conn.execute(query.order_by(handoffs.c.proposed_at.desc(), handoffs.c.id.desc()).limit(1)).first()
    return _handoff(row) if row is not None else None


def propose(conn: Connection, member_id: int, from_chapter_id: int, to_chapter_id: int, now: datetime) -> Handoff:
    conn.execute(
        handoffs.insert().values(
            member_id=member_id, from_chapter_id=from_chapter_id, to_chapter_id=to_chapter_id, proposed_at=now
        )
    )
    found = latest_for(conn, member_id, to_chapter_id)
    assert found is not None
    return found


def answer(conn: Connection, handoff_id: int, status: str, now: datetime) -> None:
    conn.execute(update(handoffs).where(handoffs.c.id == handoff_id).values(status=status, answered_at=now))


def members_with_places(conn: Connection) -> list[Member]:
    rows = conn.execute(
        select(members).where(
            members.c.deleted_at.is_(None), or_(members.c.moving_to.is_not(None), members.c.location.is_not(None))
        )
    )
    return [member_from_row(r) for r in rows]


def of_chapter(conn: Connection, chapter_id: int) -> list[tuple[Handoff, Member]]:
    """Return the live handoffs (proposed or accepted) into or out of a chapter, with their member, latest first."""
    rows = conn.execute(
        select(handoffs, members.c.name.label("m_name"))
        .join(members, members.c.id == handoffs.c.member_id)
        .where(
            or_(handoffs.c.from_chapter_id == chapter_id, handoffs.c.to_chapter_id == chapter_id),
            handoffs.c.status != "dismissed",
            members.c.deleted_at.is_(None),
        )
        .order_by(handoffs.c.proposed_at.desc(), handoffs.c.id.desc())
    )
    out = []
    for row in rows:
        member = conn.execute(select(members).where(members.c.id == row.member_id)).first()
        out.append((_handoff(row), member_from_row(member)))
    return out
