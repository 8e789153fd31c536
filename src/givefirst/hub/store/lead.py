"""The queries behind a chapter lead's dashboard (introductions, gives, needs, members' activity, events)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select

from givefirst.hub.domain.lead import GIVE_OUTCOMES
from givefirst.hub.store.schema import events, introductions, items, members


def chapter_introductions(conn: Connection, chapter_id: int, since: datetime) -> list[Any]:
    """Return the introductions touching the chapter's members (either side) made or closed since `since`."""
    inside = select(members.c.id).where(members.c.chapter_id == chapter_id).scalar_subquery()
    return list(
        conn.execute(
            select(
                introductions.c.created_at,
                introductions.c.connected_at,
                introductions.c.outcome,
                introductions.c.outcome_at,
            ).where(
                or_(introductions.c.seeker_id.in_(inside), introductions.c.helper_id.in_(inside)),
                or_(introductions.c.created_at >= since, introductions.c.outcome_at >= since),
            )
        )
    )


def open_needs(conn: Connection, chapter_id: int, before: datetime) -> list[Any]:
    """Return the chapter members' needs still open that were posted before `before`."""
    return list(
        conn.execute(
            select(
                items.c.id,
                items.c.public_id,
                items.c.text,
                items.c.created_at,
                items.c.visibility,
                items.c.member_id,
                members.c.name.label("owner_name"),
                members.c.public_id.label("owner_public_id"),
                members.c.chapter_id,
            )
            .join(members, members.c.id == items.c.member_id)
            .where(
                members.c.chapter_id == chapter_id,
                members.c.deleted_at.is_(None),
                items.c.kind == "need",
                items.c.status == "open",
                items.c.created_at < before,
            )
            .order_by(items.c.created_at, items.c.id)
        )
    )


def member_activity(conn: Connection, chapter_id: int) -> list[Any]:
    """Return each current member of the chapter with their last sign-in, their last give and how many gives."""
    gives = (
        select(
            introductions.c.helper_id.label("helper_id"),
            func.max(introductions.c.outcome_at).label("last_give"),
            func.count().label("gives"),
        )
        .where(introductions.c.outcome.in_(GIVE_OUTCOMES))
        .group_by(introductions.c.helper_id)
        .subquery()
    )
    return list(
        conn.execute(
            select(
                members.c.id,
                members.c.public_id,
                members.c.name,
                members.c.joined_at,
                members.c.last_seen_at,
                members.c.sponsor_id,
                gives.c.last_give,
                func.coalesce(gives.c.gives, 0).label("gives"),
            )
            .outerjoin(gives, gives.c.helper_id == members.c.id)
            .where(members.c.chapter_id == chapter_id, members.c.deleted_at.is_(None))
            .order_by(members.c.name, members.c.id)
        )
    )


def event_outcomes(conn: Connection, chapter_id: int, before: datetime) -> list[dict[str, Any]]:
    """Return the chapter's events that have started, latest first, with introductions made there."""
    rows = conn.execute(
        select(
            events.c.id,
            events.c.public_id,
            events.c.title,
            events.c.starts_at,
            func.count(introductions.c.id).label("introductions"),
            func.count(introductions.c.connected_at).label("connected"),
        )
        .outerjoin(introductions, introductions.c.event_id == events.c.id)
        .where(events.c.chapter_id == chapter_id, events.c.starts_at <= before)
        .group_by(events.c.id, events.c.public_id, events.c.title, events.c.starts_at)
        .order_by(events.c.starts_at.desc(), events.c.id.desc())
        .limit(24)
    )
    return [dict(r._mapping) for r in rows]
