"""The hub introductions the user takes part in, and what each left here (`hub_introductions`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from givefirst.store.schema import hub_introductions


def intro_row(conn: Connection, hub_id: int, public_id: str) -> Any | None:
    where = (hub_introductions.c.hub_id == hub_id) & (hub_introductions.c.public_id == public_id)
    return conn.execute(select(hub_introductions).where(where)).first()


def intro_rows(conn: Connection, hub_id: int) -> list[Any]:
    query = select(hub_introductions).where(hub_introductions.c.hub_id == hub_id)
    return list(conn.execute(query.order_by(hub_introductions.c.updated_at.desc())).all())


def save(conn: Connection, hub_id: int, public_id: str, values: dict[str, Any], now: datetime) -> None:
    """Insert or update the row of one introduction with `values` (state, outcome, person, interaction, exchange)."""
    values = values | {"updated_at": now}
    if intro_row(conn, hub_id, public_id) is None:
        conn.execute(insert(hub_introductions).values(hub_id=hub_id, public_id=public_id, **values))
    else:
        where = (hub_introductions.c.hub_id == hub_id) & (hub_introductions.c.public_id == public_id)
        conn.execute(update(hub_introductions).where(where).values(**values))
