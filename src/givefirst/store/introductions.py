"""Queries on introductions and their steps: the only SQL for these two tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update

from givefirst.store.schema import interactions, introduction_steps, introductions

# The open states (domain.introductions.OPEN), named here so that the store needs no domain import.
OPEN_STATES = ("suggested", "asked_first", "first_agreed", "asked_second", "second_agreed")


def insert_introduction(conn: Connection, values: Mapping[str, Any]) -> int:
    return int(conn.execute(insert(introductions).values(**values).returning(introductions.c.id)).scalar_one())


def update_introduction(conn: Connection, intro_id: int, values: Mapping[str, Any]) -> None:
    conn.execute(update(introductions).where(introductions.c.id == intro_id).values(**values))


def introduction_row(conn: Connection, intro_id: int) -> Any | None:
    return conn.execute(select(introductions).where(introductions.c.id == intro_id)).first()


def list_introductions(
    conn: Connection, *, states: Sequence[str] | None = None, person_id: int | None = None
) -> list[Any]:
    """Return introductions, open ones first by last change, then the rest, newest first."""
    query = select(introductions)
    if states:
        query = query.where(introductions.c.state.in_(list(states)))
    if person_id is not None:
        query = query.where(or_(introductions.c.first_id == person_id, introductions.c.second_id == person_id))
    query = query.order_by(introductions.c.updated_at.desc(), introductions.c.id.desc())
    rows = list(conn.execute(query).all())
    return [r for r in rows if r.state in OPEN_STATES] + [r for r in rows if r.state not in OPEN_STATES]


def between(conn: Connection, a: int, b: int) -> list[Any]:
    """Return every introduction between two people, in either order, oldest first."""
    c = introductions.c
    query = select(introductions).where(
        or_(and_(c.first_id == a, c.second_id == b), and_(c.first_id == b, c.second_id == a))
    )
    return list(conn.execute(query.order_by(c.id)).all())


def for_need_and_offer(conn: Connection, need_id: int, offer_id: int) -> list[Any]:
    """Return the introductions made for one need and one offer, oldest first."""
    c = introductions.c
    return list(conn.execute(select(introductions).where(c.need_id == need_id, c.offer_id == offer_id)).all())


def insert_step(
    conn: Connection, *, introduction_id: int, state: str, at: datetime, interaction_id: int | None, note: str
) -> int:
    values = {
        "introduction_id": introduction_id,
        "state": state,
        "at": at,
        "interaction_id": interaction_id,
        "note": note,
    }
    return int(
        conn.execute(insert(introduction_steps).values(**values).returning(introduction_steps.c.id)).scalar_one()
    )


def steps_of(conn: Connection, intro_id: int) -> list[Any]:
    """Return an introduction's steps in the order they were taken."""
    s = introduction_steps.c
    query = select(introduction_steps).where(s.introduction_id == intro_id).order_by(s.id)
    return list(conn.execute(query).all())


def open_follow_ups(conn: Connection, intro_id: int) -> list[int]:
    """Return the interactions of this introduction's steps whose follow-up is still open."""
    s, i = introduction_steps.c, interactions.c
    query = (
        select(i.id)
        .join(introduction_steps, s.interaction_id == i.id)
        .where(s.introduction_id == intro_id, i.follow_up_on.is_not(None), i.follow_up_done.is_(False))
    )
    return [int(x) for x in conn.execute(query).scalars()]


def by_step_interactions(conn: Connection, interaction_ids: Sequence[int]) -> dict[int, Any]:
    """Return {interaction id: its introduction's row} for those of these interactions that are steps."""
    if not interaction_ids:
        return {}
    s = introduction_steps.c
    query = (
        select(s.interaction_id, introductions)
        .join(introductions, introductions.c.id == s.introduction_id)
        .where(s.interaction_id.in_(list(interaction_ids)))
    )
    return {int(row.interaction_id): row for row in conn.execute(query)}
