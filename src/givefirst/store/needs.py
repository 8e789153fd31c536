"""Queries on needs and offers (the two tables share a shape)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, insert, select, update

from givefirst.domain.model import NeedOrOffer
from givefirst.store.schema import needs, offers

TABLES = {"need": needs, "offer": offers}
CHUNK = 900  # ids per IN list: under every SQLite build's limit on bound parameters


def _table(which: str) -> Table:
    return TABLES[which]


def insert_item(
    conn: Connection,
    which: str,
    *,
    person_id: int,
    text: str,
    tags: Sequence[str],
    location: str | None,
    expires_on: date | None,
    created_at: datetime,
) -> int:
    table = _table(which)
    values = {
        "person_id": person_id,
        "text": text,
        "tags": ",".join(tags),
        "location": location,
        "expires_on": expires_on,
        "created_at": created_at,
    }
    return int(conn.execute(insert(table).values(**values).returning(table.c.id)).scalar_one())


def item_row(conn: Connection, which: str, item_id: int) -> Any | None:
    table = _table(which)
    return conn.execute(select(table).where(table.c.id == item_id)).first()


def update_item(conn: Connection, which: str, item_id: int, values: dict[str, Any]) -> None:
    table = _table(which)
    if "tags" in values:
        values = {**values, "tags": ",".join(values["tags"])}
    conn.execute(update(table).where(table.c.id == item_id).values(**values))


def set_status(conn: Connection, which: str, item_id: int, status: str, at: datetime) -> None:
    table = _table(which)
    closed = None if status == "open" else at
    conn.execute(update(table).where(table.c.id == item_id).values(status=status, closed_at=closed))


def items_of(conn: Connection, which: str, person_id: int) -> list[Any]:
    table = _table(which)
    query = select(table).where(table.c.person_id == person_id).order_by(table.c.status, table.c.created_at.desc())
    return list(conn.execute(query).all())


def open_items(
    conn: Connection, which: str, today: date | None = None, limit: int | None = None,
    people: Collection[int] | None = None,
) -> list[NeedOrOffer]:  # fmt: skip
    """Return open needs or offers as the matcher sees them; expired ones are left out when `today` is given.

    With `limit`, only the first ones (by id): a page of the list. With `people`, only theirs (still by id).
    """
    table = _table(which)
    query = select(table).where(_open(which, today)).order_by(table.c.id)
    if people is None:
        return [to_record(r) for r in conn.execute(query if limit is None else query.limit(limit))]
    wanted = sorted(set(people))
    query = query.where(table.c.person_id.in_(bindparam("ids", expanding=True)))  # one statement for every chunk
    found = [
        to_record(r)
        for start in range(0, len(wanted), CHUNK)
        for r in conn.execute(query, {"ids": wanted[start : start + CHUNK]})
    ]
    found.sort(key=lambda item: item.id)
    return found if limit is None else found[:limit]


def count_open_items(conn: Connection, which: str, today: date | None = None) -> int:
    """Return how many needs or offers `open_items` returns without a limit."""
    return int(conn.execute(select(func.count()).select_from(_table(which)).where(_open(which, today))).scalar_one())


def _open(which: str, today: date | None) -> Any:
    table = _table(which)
    condition = table.c.status == "open"
    if today is not None:
        condition = condition & ((table.c.expires_on.is_(None)) | (table.c.expires_on >= today))
    return condition


def to_record(r: Any) -> NeedOrOffer:
    return NeedOrOffer(
        id=int(r.id),
        person_id=int(r.person_id),
        text=str(r.text),
        tags=tuple(t for t in str(r.tags).split(",") if t),
        location=r.location,
        created_at=r.created_at,
        expires_on=r.expires_on,
    )
