"""Snoozes and the journal of plan actions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, insert, select

from givefirst.store.schema import plan_actions, snoozes


def add_snooze(conn: Connection, *, person_id: int | None, item_key: str | None, until: datetime, now: datetime) -> int:
    values = {"person_id": person_id, "item_key": item_key, "until": until, "created_at": now}
    return int(conn.execute(insert(snoozes).values(**values).returning(snoozes.c.id)).scalar_one())


def active_snoozes(conn: Connection, now: datetime) -> tuple[frozenset[int], frozenset[str]]:
    """Return the snoozed person ids and item keys at `now`."""
    rows = conn.execute(select(snoozes.c.person_id, snoozes.c.item_key).where(snoozes.c.until > now)).all()
    people = frozenset(int(r.person_id) for r in rows if r.person_id is not None)
    items = frozenset(str(r.item_key) for r in rows if r.item_key is not None)
    return people, items


def record_action(
    conn: Connection, *, item_key: str, kind: str, action: str, person_id: int | None, at: datetime
) -> int:
    values = {"item_key": item_key, "kind": kind, "action": action, "person_id": person_id, "at": at}
    return int(conn.execute(insert(plan_actions).values(**values).returning(plan_actions.c.id)).scalar_one())


def actions_since(conn: Connection, kind: str, action: str, since: datetime) -> int:
    query = (
        select(func.count())
        .select_from(plan_actions)
        .where(plan_actions.c.kind == kind, plan_actions.c.action == action, plan_actions.c.at >= since)
    )
    return int(conn.execute(query).scalar_one())
