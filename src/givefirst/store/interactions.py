"""Queries on interactions and their participants."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from givefirst.store.schema import heard_reads, interaction_people, interactions


def find_external(conn: Connection, source: str, external_id: str) -> int | None:
    found = conn.execute(
        select(interactions.c.id).where(interactions.c.source == source, interactions.c.external_id == external_id)
    ).scalar()
    return None if found is None else int(found)


def insert_interaction(
    conn: Connection,
    *,
    occurred_at: datetime,
    kind: str,
    direction: str,
    person_ids: Sequence[int],
    summary: str,
    source: str,
    external_id: str | None,
    planned: bool,
    follow_up_on: date | None,
    now: datetime,
) -> int:
    """Insert an interaction with its participants and return its id."""
    iid = int(
        conn.execute(
            insert(interactions)
            .values(
                occurred_at=occurred_at,
                kind=kind,
                direction=direction,
                summary=summary,
                source=source,
                external_id=external_id,
                planned=planned,
                follow_up_on=follow_up_on,
                created_at=now,
            )
            .returning(interactions.c.id)
        ).scalar_one()
    )
    conn.execute(insert(interaction_people), [{"interaction_id": iid, "person_id": pid} for pid in set(person_ids)])
    return iid


def interaction_row(conn: Connection, interaction_id: int) -> Any | None:
    return conn.execute(select(interactions).where(interactions.c.id == interaction_id)).first()


def participants(conn: Connection, interaction_ids: Sequence[int]) -> dict[int, list[int]]:
    """Return the participants of each interaction."""
    result: dict[int, list[int]] = {}
    if not interaction_ids:
        return result
    rows = conn.execute(
        select(interaction_people.c.interaction_id, interaction_people.c.person_id)
        .where(interaction_people.c.interaction_id.in_(list(interaction_ids)))
        .order_by(interaction_people.c.interaction_id, interaction_people.c.person_id)
    )
    for r in rows:
        result.setdefault(int(r.interaction_id), []).append(int(r.person_id))
    return result


def timeline(conn: Connection, person_id: int, limit: int = 20) -> list[Any]:
    """Return the person's latest interactions, newest first (planned ones included)."""
    query = (
        select(interactions)
        .join(interaction_people, interaction_people.c.interaction_id == interactions.c.id)
        .where(interaction_people.c.person_id == person_id)
        .order_by(interactions.c.occurred_at.desc(), interactions.c.id.desc())
        .limit(limit)
    )
    return list(conn.execute(query).all())


def real_history(conn: Connection, person_id: int) -> Iterator[Any]:
    """Yield (occurred_at, kind, direction) of the person's real (not planned) interactions, oldest first."""
    query = (
        select(interactions.c.occurred_at, interactions.c.kind, interactions.c.direction)
        .join(interaction_people, interaction_people.c.interaction_id == interactions.c.id)
        .where(interaction_people.c.person_id == person_id, interactions.c.planned.is_(False))
        .order_by(interactions.c.occurred_at)
    )
    yield from conn.execute(query)


def all_real_history(conn: Connection) -> Iterator[Any]:
    """Yield (person id, occurred_at, kind, direction) for every real interaction of everyone."""
    query = (
        select(
            interaction_people.c.person_id, interactions.c.occurred_at, interactions.c.kind, interactions.c.direction
        )
        .join(interaction_people, interaction_people.c.interaction_id == interactions.c.id)
        .where(interactions.c.planned.is_(False))
    )
    yield from conn.execute(query)


def open_follow_ups(conn: Connection) -> list[Any]:
    query = (
        select(interactions.c.id, interactions.c.occurred_at, interactions.c.summary, interactions.c.follow_up_on)
        .where(interactions.c.follow_up_on.is_not(None), interactions.c.follow_up_done.is_(False))
        .order_by(interactions.c.follow_up_on)
    )
    return list(conn.execute(query).all())


def planned(conn: Connection) -> list[Any]:
    query = (
        select(interactions.c.id, interactions.c.occurred_at, interactions.c.summary, interactions.c.kind)
        .where(interactions.c.planned.is_(True))
        .order_by(interactions.c.occurred_at)
    )
    return list(conn.execute(query).all())


def mark_follow_up_done(conn: Connection, interaction_id: int) -> None:
    conn.execute(update(interactions).where(interactions.c.id == interaction_id).values(follow_up_done=True))


def confirm_planned(conn: Connection, interaction_id: int) -> None:
    conn.execute(update(interactions).where(interactions.c.id == interaction_id).values(planned=False))


def details_of(conn: Connection, source: str) -> dict[str, str]:
    """Return {external id: details} of a source's interactions that have an external id."""
    query = select(interactions.c.external_id, interactions.c.details).where(
        interactions.c.source == source, interactions.c.external_id.is_not(None)
    )
    return {str(e): str(d or "") for e, d in conn.execute(query)}


def set_details(conn: Connection, source: str, external_id: str, details: str) -> None:
    """Store an interaction's new details; `heard` reads it again (it read the text as it was)."""
    iid = find_external(conn, source, external_id)
    if iid is None:
        return
    conn.execute(update(interactions).where(interactions.c.id == iid).values(details=details or None))
    conn.execute(delete(heard_reads).where(heard_reads.c.origin == "interaction", heard_reads.c.origin_id == iid))
