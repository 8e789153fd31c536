"""Needs and offers: writing them with their board terms, and the board's one query (the access rule in SQL)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, delete, insert, intersect, or_, select, update

from givefirst.hub.domain.access import Viewer, Visibility
from givefirst.hub.domain.model import HubItem
from givefirst.hub.store.access import visible_items
from givefirst.hub.store.schema import chapters, item_terms, items, members

PREFIX_END = "~"  # after every character a word term holds ([a-z0-9+#]): "w:acc" ≤ term < "w:acc~" is a prefix


def item_from_row(row: Any) -> HubItem:
    return HubItem(
        id=row.id,
        public_id=row.public_id,
        member_id=row.member_id,
        member_chapter_id=row.member_chapter_id,
        kind=row.kind,
        text=row.text,
        tags=tuple(t for t in str(row.tags).split(",") if t),
        location=row.location,
        visibility=Visibility(row.visibility),
        status=row.status,
        created_at=row.created_at,
        expires_on=row.expires_on,
    )


def _with_owner() -> Select[Any]:
    return select(items, members.c.chapter_id.label("member_chapter_id")).join(
        members, members.c.id == items.c.member_id
    )


def insert_item(conn: Connection, values: dict[str, Any]) -> int:
    return int(conn.scalar(insert(items).values(**values).returning(items.c.id)))


def update_item(conn: Connection, item_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(items).where(items.c.id == item_id).values(**values))


def replace_terms(conn: Connection, item_id: int, terms: Iterable[str]) -> None:
    conn.execute(delete(item_terms).where(item_terms.c.item_id == item_id))
    rows = [{"item_id": item_id, "term": t} for t in sorted(set(terms))]
    if rows:
        conn.execute(insert(item_terms), rows)


def item_by_id(conn: Connection, item_id: int) -> HubItem | None:
    row = conn.execute(_with_owner().where(items.c.id == item_id)).first()
    return item_from_row(row) if row is not None else None


def item_by_public_id(conn: Connection, public_id: str) -> HubItem | None:
    row = conn.execute(_with_owner().where(items.c.public_id == public_id)).first()
    return item_from_row(row) if row is not None else None


def items_of(conn: Connection, member_id: int) -> list[HubItem]:
    """Return a member's own items, open first, newest first."""
    rows = conn.execute(
        _with_owner()
        .where(items.c.member_id == member_id)
        .order_by((items.c.status == "open").desc(), items.c.created_at.desc(), items.c.id.desc())
    )
    return [item_from_row(r) for r in rows]


@dataclass(frozen=True)
class BoardFilter:
    chapter_id: int | None = None
    kind: str | None = None
    terms: tuple[str, ...] = ()  # exact terms every item must hold (a tag, a place)
    prefixes: tuple[str, ...] = ()  # word prefixes every item must hold


@dataclass(frozen=True)
class BoardRow:
    item: HubItem
    owner_public_id: str
    owner_name: str
    chapter_name: str


def _holding_words(prefixes: tuple[str, ...]) -> Any:
    """Return the ids of the items holding every word prefix asked for, as a materialised CTE.

    Words are rare (a few hundred or thousand items each): intersected first from the terms' index ranges, the
    page is then sorted from those items only. Left to itself the planner would walk every open item newest
    first and probe each, as it rightly does for common terms (a metro area, a tag) — which stay plain `IN`s.
    """
    parts = [
        select(item_terms.c.item_id).where(item_terms.c.term >= t, item_terms.c.term < t + PREFIX_END) for t in prefixes
    ]
    both = parts[0] if len(parts) == 1 else intersect(*parts)
    return both.cte("holding").prefix_with("MATERIALIZED")


def board(
    conn: Connection, viewer: Viewer, wanted: BoardFilter, today: date, *, limit: int, offset: int
) -> list[BoardRow]:
    """Return one page of open, live items the viewer may see, newest first, with their owner and chapter."""
    query = (
        select(
            items,
            members.c.chapter_id.label("member_chapter_id"),
            members.c.public_id.label("owner_public_id"),
            members.c.name.label("owner_name"),
            chapters.c.name.label("chapter_name"),
        )
        .select_from(items.join(members, members.c.id == items.c.member_id).join(chapters))
        .where(
            items.c.status == "open",
            or_(items.c.expires_on.is_(None), items.c.expires_on >= today),
            members.c.deleted_at.is_(None),
            visible_items(viewer),
        )
    )
    if wanted.chapter_id is not None:
        query = query.where(members.c.chapter_id == wanted.chapter_id)
    if wanted.kind is not None:
        query = query.where(items.c.kind == wanted.kind)
    for term in wanted.terms:
        query = query.where(items.c.id.in_(select(item_terms.c.item_id).where(item_terms.c.term == term)))
    if wanted.prefixes:
        holding = _holding_words(wanted.prefixes)
        query = query.where(items.c.id.in_(select(holding.c.item_id)))
    rows = conn.execute(query.order_by(items.c.created_at.desc(), items.c.id.desc()).limit(limit).offset(offset))
    return [BoardRow(item_from_row(r), r.owner_public_id, r.owner_name, r.chapter_name) for r in rows]
