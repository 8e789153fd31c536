"""Reading members and chapters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

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


# --- writing members (hub-members) ----------------------------------------------------------------------------


def member_by_email(conn: Connection, email: str) -> Member | None:
    row = conn.execute(select(members).where(members.c.email == email)).first()
    return member_from_row(row) if row is not None else None


def password_hash_of(conn: Connection, email: str) -> tuple[int, str | None] | None:
    """Return (member id, Argon2 hash or None before joining) of a live account with this e-mail."""
    row = conn.execute(
        select(members.c.id, members.c.password_hash).where(members.c.email == email, members.c.deleted_at.is_(None))
    ).first()
    return (row.id, row.password_hash) if row is not None else None


def add_member(conn: Connection, **values: object) -> int:
    return int(conn.execute(members.insert().values(**values)).inserted_primary_key[0])  # type: ignore[index]


def update_member(conn: Connection, member_id: int, **values: object) -> None:
    conn.execute(update(members).where(members.c.id == member_id).values(**values))


def chapter_by_id(conn: Connection, chapter_id: int) -> Chapter | None:
    row = conn.execute(select(chapters).where(chapters.c.id == chapter_id)).first()
    return chapter_from_row(row) if row is not None else None


def chapter_by_slug(conn: Connection, slug: str) -> Chapter | None:
    row = conn.execute(select(chapters).where(chapters.c.slug == slug)).first()
    return chapter_from_row(row) if row is not None else None


def add_chapter(conn: Connection, slug: str, name: str, region: str, now: datetime) -> int:
    return int(
        conn.execute(
            chapters.insert().values(slug=slug, name=name, region=region, created_at=now)
        ).inserted_primary_key[0]  # type: ignore[index]
    )


def count_admins(conn: Connection) -> int:
    return int(
        conn.execute(
            select(func.count()).where(members.c.role == Role.ADMIN.value, members.c.deleted_at.is_(None))
        ).scalar_one()
    )
