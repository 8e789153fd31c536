"""Queries on what the user records for reach: relationships between contacts, and goals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from givefirst.store.schema import goals, person_links


def link(conn: Connection, a: int, b: int, kind: str, note: str, now: datetime) -> bool:
    """Record (or re-label) the relationship between two people; return True when it is new."""
    first, second = min(a, b), max(a, b)
    where = (person_links.c.first_id == first) & (person_links.c.second_id == second)
    if conn.execute(select(person_links.c.id).where(where)).first() is not None:
        conn.execute(update(person_links).where(where).values(kind=kind, note=note))
        return False
    conn.execute(insert(person_links).values(first_id=first, second_id=second, kind=kind, note=note, created_at=now))
    return True


def unlink(conn: Connection, a: int, b: int) -> int:
    first, second = min(a, b), max(a, b)
    where = (person_links.c.first_id == first) & (person_links.c.second_id == second)
    return int(conn.execute(delete(person_links).where(where)).rowcount)


def links_of(conn: Connection, pid: int) -> list[Any]:
    query = select(person_links).where((person_links.c.first_id == pid) | (person_links.c.second_id == pid))
    return list(conn.execute(query.order_by(person_links.c.id)).all())


def add_goal(conn: Connection, values: dict[str, Any]) -> int:
    return int(conn.execute(insert(goals).values(**values).returning(goals.c.id)).scalar_one())


def goal_row(conn: Connection, goal_id: int) -> Any | None:
    return conn.execute(select(goals).where(goals.c.id == goal_id)).first()


def goal_rows(conn: Connection, *, open_only: bool) -> list[Any]:
    query = select(goals)
    if open_only:
        query = query.where(goals.c.status == "open")
    return list(conn.execute(query.order_by(goals.c.id)).all())


def set_goal_status(conn: Connection, goal_id: int, status: str, at: datetime | None) -> None:
    conn.execute(update(goals).where(goals.c.id == goal_id).values(status=status, done_at=at))
