"""The user's needs and offers published to a hub (`hub_published`): the outbox a sync pushes.

States: new (not yet on the hub, or sent without an answer) → synced; edited (changed here since) → synced;
closing (closed or unpublished here) → closed. A row keeps what was last sent to, or read from, the hub (`sent`),
so that a sync can tell an edit made on the hub from one made here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from givefirst.store.schema import hub_board_items, hub_introductions, hub_links, hub_published

PENDING = ("new", "edited", "closing")  # what a sync still has to send
LIVE = ("new", "synced", "edited")  # on the hub (or on its way there), open


@dataclass(frozen=True, slots=True)
class Published:
    id: int
    hub_id: int
    kind: str
    item_id: int
    public_id: str | None
    visibility: str
    sent: dict[str, Any] | None
    state: str
    changed_at: datetime
    synced_at: datetime | None


def _row(r: Any) -> Published:
    return Published(int(r.id), int(r.hub_id), str(r.kind), int(r.item_id), r.public_id, str(r.visibility),
                     json.loads(r.sent) if r.sent else None, str(r.state), r.changed_at, r.synced_at)  # fmt: skip


def add(conn: Connection, hub_id: int, kind: str, item_id: int, visibility: str, now: datetime) -> int:
    values = {"hub_id": hub_id, "kind": kind, "item_id": item_id, "visibility": visibility, "state": "new",
              "changed_at": now}  # fmt: skip
    key = conn.execute(insert(hub_published).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def get(conn: Connection, row_id: int) -> Published | None:
    found = conn.execute(select(hub_published).where(hub_published.c.id == row_id)).first()
    return _row(found) if found else None


def find(conn: Connection, hub_id: int, kind: str, item_id: int) -> Published | None:
    t = hub_published.c
    found = conn.execute(select(hub_published).where(t.hub_id == hub_id, t.kind == kind, t.item_id == item_id)).first()
    return _row(found) if found else None


def of_item(conn: Connection, kind: str, item_id: int) -> list[Published]:
    t = hub_published.c
    rows = conn.execute(select(hub_published).where(t.kind == kind, t.item_id == item_id).order_by(t.id))
    return [_row(r) for r in rows]


def of_hub(conn: Connection, hub_id: int, states: Sequence[str] | None = None) -> list[Published]:
    t = hub_published.c
    query = select(hub_published).where(t.hub_id == hub_id)
    if states is not None:
        query = query.where(t.state.in_(states))
    return [_row(r) for r in conn.execute(query.order_by(t.id))]


def known_public_ids(conn: Connection, hub_id: int) -> set[str]:
    t = hub_published.c
    rows = conn.execute(select(t.public_id).where(t.hub_id == hub_id, t.public_id.is_not(None)))
    return {str(r.public_id) for r in rows}


def set_state(
    conn: Connection, row_id: int, state: str, now: datetime, *, public_id: str | None = None,
    sent: dict[str, Any] | None = None, synced: bool = False, visibility: str | None = None,
) -> None:  # fmt: skip
    """Move a row to `state`; `public_id`, `sent` and `visibility` are kept unless given."""
    values: dict[str, Any] = {"state": state, "changed_at": now}
    if public_id is not None:
        values["public_id"] = public_id
    if sent is not None:
        values["sent"] = json.dumps(sent, sort_keys=True)
    if visibility is not None:
        values["visibility"] = visibility
    if synced:
        values["synced_at"] = now
    conn.execute(update(hub_published).where(hub_published.c.id == row_id).values(**values))


def restart(conn: Connection, row_id: int, visibility: str, now: datetime) -> None:
    """Make a closed row new again (a reopened or republished item is a new item on the hub)."""
    conn.execute(update(hub_published).where(hub_published.c.id == row_id)
                 .values(state="new", public_id=None, sent=None, visibility=visibility, changed_at=now))  # fmt: skip


def hubs_of_items(conn: Connection, kind: str, item_ids: Sequence[int]) -> dict[int, list[str]]:
    """Return, for each listed item published and not closed, the names of the hubs it is on."""
    if not item_ids:
        return {}
    t = hub_published.c
    query = (select(t.item_id, hub_links.c.name).join(hub_links, hub_links.c.id == t.hub_id)
             .where(t.kind == kind, t.item_id.in_(list(item_ids)), t.state.in_(LIVE))
             .order_by(hub_links.c.name))  # fmt: skip
    found: dict[int, list[str]] = {}
    for r in conn.execute(query):
        found.setdefault(int(r.item_id), []).append(str(r.name))
    return found


def remove(conn: Connection, row_id: int) -> None:
    conn.execute(delete(hub_published).where(hub_published.c.id == row_id))


def pulled_counts(conn: Connection, hub_id: int) -> dict[str, int]:
    """How much a hub's syncs brought here: its board items and introductions (for `hub status`)."""

    def count(table: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(table).where(table.c.hub_id == hub_id)).scalar_one())

    return {"board_items": count(hub_board_items), "introductions": count(hub_introductions)}
