"""Queries on the give/ask ledger (exchanges)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from givefirst.store.schema import exchanges


def insert_exchange(
    conn: Connection,
    *,
    person_id: int,
    direction: str,
    kind: str,
    description: str,
    status: str,
    requested: bool,
    occurred_at: datetime,
    due_on: date | None,
    need_id: int | None,
    offer_id: int | None,
    now: datetime,
) -> int:
    completed = occurred_at if status == "done" else None
    return int(
        conn.execute(
            insert(exchanges)
            .values(
                person_id=person_id,
                direction=direction,
                kind=kind,
                description=description,
                status=status,
                requested=requested,
                occurred_at=occurred_at,
                due_on=due_on,
                completed_at=completed,
                need_id=need_id,
                offer_id=offer_id,
                created_at=now,
            )
            .returning(exchanges.c.id)
        ).scalar_one()
    )


def exchange_row(conn: Connection, exchange_id: int) -> Any | None:
    return conn.execute(select(exchanges).where(exchanges.c.id == exchange_id)).first()


def set_status(conn: Connection, exchange_id: int, status: str, at: datetime) -> None:
    conn.execute(
        update(exchanges)
        .where(exchanges.c.id == exchange_id)
        .values(status=status, completed_at=at if status == "done" else None)
    )


def exchanges_of(conn: Connection, person_id: int) -> list[Any]:
    query = (
        select(exchanges)
        .where(exchanges.c.person_id == person_id)
        .order_by(exchanges.c.occurred_at.desc(), exchanges.c.id.desc())
    )
    return list(conn.execute(query).all())


def history_of(conn: Connection, person_id: int) -> Iterator[Any]:
    """Yield the person's ledger entries oldest first, for recomputing their statistics."""
    yield from conn.execute(
        select(exchanges).where(exchanges.c.person_id == person_id).order_by(exchanges.c.occurred_at)
    )


def all_history(conn: Connection) -> Iterator[Any]:
    """Yield every ledger entry, for recomputing everyone's statistics."""
    yield from conn.execute(select(exchanges))


def open_promises(conn: Connection) -> list[Any]:
    """Return the gives the user promised and has not yet done."""
    query = (
        select(exchanges)
        .where(exchanges.c.direction == "gave", exchanges.c.status == "promised")
        .order_by(exchanges.c.due_on, exchanges.c.occurred_at)
    )
    return list(conn.execute(query).all())


# The entries tied to a need and an offer, in the terms of the partial index ix_exchanges_given (migration 0018):
# SQLite reads them from that index only when the query states its condition as it is written there.
GIVEN = select(exchanges.c.need_id, exchanges.c.offer_id).where(
    exchanges.c.need_id.is_not(None), exchanges.c.offer_id.is_not(None)
)


def given_pairs(conn: Connection) -> frozenset[tuple[int, int]]:
    """Return (need id, offer id) pairs the user already acted on, so the plan never proposes them again."""
    return frozenset((int(r.need_id), int(r.offer_id)) for r in conn.execute(GIVEN))


def monthly_totals(conn: Connection, since: datetime) -> list[Any]:
    """Return (occurred_at, direction, kind, status) since a moment, for the give/ask history in stats."""
    query = select(exchanges.c.occurred_at, exchanges.c.direction, exchanges.c.kind, exchanges.c.status).where(
        exchanges.c.occurred_at >= since
    )
    return list(conn.execute(query.order_by(exchanges.c.occurred_at)).all())
