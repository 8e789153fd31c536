"""Reading members and chapters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from givefirst.hub.domain.access import Role
from givefirst.hub.domain.model import Chapter, Member
from givefirst.hub.store.schema import chapters, members


def member_from_row(row: Any) -> Member:
    return Member(
        id=row.id,
        public_id=row.public_id,
        email=row.email,
        name=row.name,
        role=Role(row.role),
        chapter_id=row.chapter_id,
        sponsor_id=row.sponsor_id,
        headline=row.headline,
        location=row.location,
        moving_to=row.moving_to,
        moving_on=row.moving_on,
        digest_opt_out=bool(row.digest_opt_out),
        joined_at=row.joined_at,
        deleted=row.deleted_at is not None,
    )


def member_by_id(conn: Connection, member_id: int) -> Member | None:
    row = conn.execute(select(members).where(members.c.id == member_id)).first()
    return member_from_row(row) if row is not None else None


def member_by_public_id(conn: Connection, public_id: str) -> Member | None:
    row = conn.execute(select(members).where(members.c.public_id == public_id)).first()
    return member_from_row(row) if row is not None else None


def chapter_from_row(row: Any) -> Chapter:
    return Chapter(id=row.id, slug=row.slug, name=row.name, region=row.region, timezone=row.timezone)


def all_chapters(conn: Connection) -> list[Chapter]:
    return [chapter_from_row(r) for r in conn.execute(select(chapters).order_by(chapters.c.name))]
