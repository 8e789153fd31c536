"""Queries on chapters, their members, events and who is at them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from givefirst.store.schema import chapter_members, chapters, event_people, events, organizations, people

CURRENT = people.c.merged_into_id.is_(None)


def add_chapter(conn: Connection, organization_id: int, name: str, location: str | None, now: datetime) -> int:
    values = {"organization_id": organization_id, "name": name, "location": location, "created_at": now}
    return int(conn.execute(insert(chapters).values(**values).returning(chapters.c.id)).scalar_one())


def chapter_rows(conn: Connection) -> list[Any]:
    """Return every chapter with its organization's name and its member count."""
    members = (
        select(chapter_members.c.chapter_id, func.count().label("members"))
        .group_by(chapter_members.c.chapter_id)
        .subquery()
    )
    query = (
        select(chapters, organizations.c.name.label("organization"),
               func.coalesce(members.c.members, 0).label("members"))
        .join(organizations, organizations.c.id == chapters.c.organization_id)
        .outerjoin(members, members.c.chapter_id == chapters.c.id)
        .order_by(chapters.c.name)
    )  # fmt: skip
    return list(conn.execute(query).all())


def chapters_named(conn: Connection, text: str) -> list[Any]:
    """Return the chapters whose name is `text` (ignoring case), else those that contain it."""
    exact = conn.execute(select(chapters).where(func.lower(chapters.c.name) == text.lower())).all()
    if exact:
        return list(exact)
    return list(conn.execute(select(chapters).where(func.lower(chapters.c.name).contains(text.lower()))).all())


def chapter_row(conn: Connection, chapter_id: int) -> Any:
    """Return the chapter's row, or None."""
    return conn.execute(select(chapters).where(chapters.c.id == chapter_id)).first()


def set_member(conn: Connection, chapter_id: int, person_id: int, role: str, sponsor_id: int | None,
               since: date | None) -> bool:  # fmt: skip
    """Add a member (or update their role and sponsor); return True when new."""
    where = (chapter_members.c.chapter_id == chapter_id) & (chapter_members.c.person_id == person_id)
    values = {"role": role, "sponsor_id": sponsor_id, "since": since}
    if conn.execute(select(chapter_members.c.person_id).where(where)).first() is not None:
        conn.execute(update(chapter_members).where(where).values(**values))
        return False
    conn.execute(insert(chapter_members).values(chapter_id=chapter_id, person_id=person_id, **values))
    return True


def remove_member(conn: Connection, chapter_id: int, person_id: int) -> int:
    where = (chapter_members.c.chapter_id == chapter_id) & (chapter_members.c.person_id == person_id)
    return int(conn.execute(delete(chapter_members).where(where)).rowcount)


def members(conn: Connection, chapter_ids: Sequence[int]) -> dict[int, list[Any]]:
    """Return chapter id → its members (person id, name, role, sponsor id), current people only."""
    out: dict[int, list[Any]] = {}
    if not chapter_ids:
        return out
    query = (
        select(chapter_members.c.chapter_id, people.c.id, people.c.name, chapter_members.c.role,
               chapter_members.c.sponsor_id, people.c.is_me)
        .join(people, people.c.id == chapter_members.c.person_id)
        .where(chapter_members.c.chapter_id.in_(list(chapter_ids)), CURRENT)
        .order_by(people.c.name)
    )  # fmt: skip
    for r in conn.execute(query):
        out.setdefault(int(r.chapter_id), []).append(r)
    return out


def add_event(conn: Connection, values: dict[str, Any]) -> int:
    return int(conn.execute(insert(events).values(**values).returning(events.c.id)).scalar_one())


def event_by_external(conn: Connection, source: str, external_id: str) -> int | None:
    query = select(events.c.id).where(events.c.source == source, events.c.external_id == external_id)
    found = conn.execute(query).scalar()
    return None if found is None else int(found)


def update_event(conn: Connection, event_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(events).where(events.c.id == event_id).values(**values))


def event_row(conn: Connection, event_id: int) -> Any | None:
    query = (
        select(events, chapters.c.name.label("chapter"), chapters.c.location.label("chapter_location"))
        .outerjoin(chapters, chapters.c.id == events.c.chapter_id)
        .where(events.c.id == event_id)
    )
    return conn.execute(query).first()


def event_rows(conn: Connection, start: datetime | None = None, end: datetime | None = None) -> list[Any]:
    """Return events (with their chapter's name and place) starting in [start, end), soonest first."""
    query = select(events, chapters.c.name.label("chapter"), chapters.c.location.label("chapter_location")).outerjoin(
        chapters, chapters.c.id == events.c.chapter_id
    )
    if start is not None:
        query = query.where(events.c.starts_at >= start)
    if end is not None:
        query = query.where(events.c.starts_at < end)
    return list(conn.execute(query.order_by(events.c.starts_at, events.c.id)).all())


def set_event_person(conn: Connection, event_id: int, person_id: int, status: str) -> None:
    where = (event_people.c.event_id == event_id) & (event_people.c.person_id == person_id)
    if conn.execute(select(event_people.c.status).where(where)).first() is not None:
        conn.execute(update(event_people).where(where).values(status=status))
    else:
        conn.execute(insert(event_people).values(event_id=event_id, person_id=person_id, status=status))


def event_people_of(conn: Connection, event_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """Return event id → [(person id, status)] of the people known to be there (current people only)."""
    out: dict[int, list[tuple[int, str]]] = {}
    if not event_ids:
        return out
    query = (
        select(event_people.c.event_id, event_people.c.person_id, event_people.c.status)
        .join(people, people.c.id == event_people.c.person_id)
        .where(event_people.c.event_id.in_(list(event_ids)), CURRENT, people.c.is_me.is_(False))
        .order_by(event_people.c.person_id)
    )
    for r in conn.execute(query):
        out.setdefault(int(r.event_id), []).append((int(r.person_id), str(r.status)))
    return out
