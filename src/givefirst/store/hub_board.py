"""A hub's board as last pulled (`hub_board_items`), and the chapter's events brought from it (`events`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from givefirst.store.schema import events, hub_board_items, hub_links

BOARD_FIELDS = ("kind", "text", "tags", "location", "member_public_id", "member_name", "chapter", "created_at")


def replace_board(conn: Connection, hub_id: int, items: Iterable[Mapping[str, Any]], now: datetime) -> tuple[int, int]:
    """Make the hub's pulled board exactly `items` (each with `public_id` and BOARD_FIELDS); return (new, gone).

    An item still on the board keeps its local id (a plan item names it) and whether the user offered help.
    Call inside the caller's transaction: the board is replaced whole or not at all.
    """
    query = select(hub_board_items.c.id, hub_board_items.c.public_id).where(hub_board_items.c.hub_id == hub_id)
    current = {str(r.public_id): int(r.id) for r in conn.execute(query)}
    seen: set[str] = set()
    new = 0
    for item in items:
        public_id = str(item["public_id"])
        if public_id in seen:
            continue  # the board moved between two pages: the item came twice
        seen.add(public_id)
        values = {f: item[f] for f in BOARD_FIELDS} | {"fetched_at": now}
        if public_id in current:
            conn.execute(update(hub_board_items).where(hub_board_items.c.id == current[public_id]).values(**values))
        else:
            conn.execute(insert(hub_board_items).values(hub_id=hub_id, public_id=public_id, **values))
            new += 1
    gone = [i for p, i in current.items() if p not in seen]
    if gone:
        conn.execute(delete(hub_board_items).where(hub_board_items.c.id.in_(gone)))
    return new, len(gone)


def open_needs(conn: Connection) -> list[Any]:
    """Return the pulled needs of every hub the user has not yet offered help with, with the hub's name and error."""
    query = (
        select(hub_board_items, hub_links.c.name.label("hub_name"), hub_links.c.last_error)
        .join(hub_links, hub_links.c.id == hub_board_items.c.hub_id)
        .where(hub_board_items.c.kind == "need", hub_board_items.c.offered_at.is_(None))
        .order_by(hub_board_items.c.id)
    )
    return list(conn.execute(query).all())


def board_item(conn: Connection, item_id: int) -> Any | None:
    query = (
        select(hub_board_items, hub_links.c.name.label("hub_name"))
        .join(hub_links, hub_links.c.id == hub_board_items.c.hub_id)
        .where(hub_board_items.c.id == item_id)
    )
    return conn.execute(query).first()


def mark_offered(conn: Connection, item_id: int, now: datetime) -> None:
    conn.execute(update(hub_board_items).where(hub_board_items.c.id == item_id).values(offered_at=now))


def count_board(conn: Connection, hub_id: int) -> int:
    return len(conn.execute(select(hub_board_items.c.id).where(hub_board_items.c.hub_id == hub_id)).all())


# --- the chapter's events ---------------------------------------------------------------------------------------


def hub_events(conn: Connection, source: str) -> dict[str, Any]:
    """Return external id → event row of the events a hub brought (source `hub:NAME`)."""
    return {str(r.external_id): r for r in conn.execute(select(events).where(events.c.source == source))}


def delete_events(conn: Connection, event_ids: Iterable[int]) -> None:
    ids = list(event_ids)
    if ids:
        conn.execute(delete(events).where(events.c.id.in_(ids)))


def clear_expected(conn: Connection, event_id: int) -> None:
    """Forget who was expected at an event (the pull sets them again); whom the user met there stays."""
    from givefirst.store.schema import event_people

    conn.execute(delete(event_people).where(event_people.c.event_id == event_id, event_people.c.status == "expected"))
