"""Members as others see them: the directory, one member's page, sponsors, and a member's own records.

Every query that shows other members filters with `member_access.visible_members`, and every item list with
`access.visible_items`: nothing here decides visibility on its own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, or_, select, update

from givefirst.hub.domain.access import Viewer
from givefirst.hub.domain.model import Member
from givefirst.hub.store.access import visible_items
from givefirst.hub.store.member_access import visible_members
from givefirst.hub.store.members import member_from_row
from givefirst.hub.store.schema import api_tokens, events, introductions, items, members, rsvps, sessions


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def directory(
    conn: Connection, viewer: Viewer, chapter_id: int | None, query: str, limit: int, offset: int
) -> tuple[list[Member], int]:
    """Live members of `chapter_id` (every chapter when None) that `viewer` may see, by name; and their count."""
    if chapter_id is not None and (viewer.is_admin or chapter_id == viewer.chapter_id):
        # everyone live in one's own chapter (or, for an admin, anywhere) is visible: the rule's cheap case
        where = [members.c.deleted_at.is_(None), members.c.chapter_id == chapter_id]
    else:
        where = [visible_members(viewer)]
        if chapter_id is not None:
            where.append(members.c.chapter_id == chapter_id)
    if query.strip():
        pattern = _like(query.strip())
        where.append(
            or_(
                func.lower(members.c.name).like(pattern, escape="\\"),
                func.lower(members.c.headline).like(pattern, escape="\\"),
            )
        )
    total = conn.execute(select(func.count()).select_from(members).where(*where)).scalar_one()
    rows = conn.execute(
        select(members).where(*where).order_by(func.lower(members.c.name), members.c.id).limit(limit).offset(offset)
    )
    return [member_from_row(row) for row in rows], int(total)


def visible_member(conn: Connection, viewer: Viewer, public_id: str) -> Member | None:
    """The member with `public_id` when `viewer` may see them; None when missing, deleted or hidden alike."""
    row = conn.execute(select(members).where(members.c.public_id == public_id, visible_members(viewer))).first()
    return member_from_row(row) if row is not None else None


def can_see(conn: Connection, viewer: Viewer, member_id: int) -> bool:
    found = conn.execute(select(members.c.id).where(members.c.id == member_id, visible_members(viewer))).first()
    return found is not None


def open_items_of(conn: Connection, viewer: Viewer, member_id: int) -> list[Any]:
    """A member's open needs and offers that `viewer` may see, newest first."""
    return list(
        conn.execute(
            select(items)
            .join(members, members.c.id == items.c.member_id)
            .where(items.c.member_id == member_id, items.c.status == "open", visible_items(viewer))
            .order_by(items.c.created_at.desc(), items.c.id.desc())
        )
    )


def sponsored_by(conn: Connection, sponsor_id: int) -> list[Member]:
    rows = conn.execute(
        select(members)
        .where(members.c.sponsor_id == sponsor_id, members.c.deleted_at.is_(None))
        .order_by(members.c.joined_at.desc())
    )
    return [member_from_row(row) for row in rows]


def first_gives(conn: Connection, member_ids: list[int]) -> dict[int, datetime]:
    """When each member first gave: helped, or introduced two members, in an introduction both sides accepted."""
    found: dict[int, datetime] = {}
    if not member_ids:
        return found
    for side in (introductions.c.helper_id, introductions.c.proposer_id):
        rows = conn.execute(
            select(side.label("member_id"), func.min(introductions.c.connected_at).label("at"))
            .where(side.in_(member_ids), introductions.c.connected_at.is_not(None))
            .group_by(side)
        )
        for row in rows:
            if row.member_id not in found or row.at < found[row.member_id]:
                found[row.member_id] = row.at
    return found


def count_open_items(conn: Connection, viewer: Viewer, member_id: int, kind: str) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(items.join(members, members.c.id == items.c.member_id))
            .where(items.c.member_id == member_id, items.c.kind == kind, items.c.status == "open")
            .where(visible_items(viewer))
        ).scalar_one()
    )


# --- a member's own records: tokens, export, deletion ---------------------------------------------------------


def tokens_of(conn: Connection, member_id: int) -> list[Any]:
    return list(
        conn.execute(
            select(api_tokens.c.id, api_tokens.c.name, api_tokens.c.created_at, api_tokens.c.last_used_at)
            .where(api_tokens.c.member_id == member_id, api_tokens.c.revoked_at.is_(None))
            .order_by(api_tokens.c.created_at.desc(), api_tokens.c.id.desc())
        )
    )


def own_items(conn: Connection, member_id: int) -> list[Any]:
    return list(conn.execute(select(items).where(items.c.member_id == member_id).order_by(items.c.id)))


def own_introductions(conn: Connection, member_id: int) -> list[Any]:
    sides = (introductions.c.seeker_id, introductions.c.helper_id, introductions.c.proposer_id)
    return list(
        conn.execute(select(introductions).where(or_(*(s == member_id for s in sides))).order_by(introductions.c.id))
    )


def own_rsvps(conn: Connection, member_id: int) -> list[Any]:
    return list(
        conn.execute(
            select(rsvps, events.c.public_id.label("event_public_id"), events.c.title, events.c.starts_at)
            .join(events, events.c.id == rsvps.c.event_id)
            .where(rsvps.c.member_id == member_id)
            .order_by(events.c.starts_at)
        )
    )


def names_of(conn: Connection, member_ids: set[int]) -> dict[int, str]:
    if not member_ids:
        return {}
    rows = conn.execute(select(members.c.id, members.c.name).where(members.c.id.in_(member_ids)))
    return {row.id: row.name for row in rows}


def anonymise(conn: Connection, member_id: int, public_id: str, name: str, now: datetime) -> None:
    """Delete an account: no name, e-mail, password, sessions or tokens left; its open items closed.

    The row stays (with its public id) so introductions and attendance with others keep their other side.
    """
    conn.execute(
        update(members)
        .where(members.c.id == member_id)
        .values(
            name=name,
            email=f"deleted-{public_id}@deleted.invalid",
            password_hash=None,
            role="member",
            headline="",
            location=None,
            moving_to=None,
            moving_on=None,
            digest_opt_out=True,
            deleted_at=now,
        )
    )
    conn.execute(delete(sessions).where(sessions.c.member_id == member_id))
    conn.execute(delete(api_tokens).where(api_tokens.c.member_id == member_id))
    conn.execute(
        update(items)
        .where(items.c.member_id == member_id, items.c.status == "open")
        .values(status="closed", closed_at=now, updated_at=now)
    )
    upcoming = select(events.c.id).where(events.c.starts_at > now)
    conn.execute(delete(rsvps).where(and_(rsvps.c.member_id == member_id, rsvps.c.event_id.in_(upcoming))))
