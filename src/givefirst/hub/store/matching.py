"""Queries of the hub's matching: the items to score, their cached vectors, the stored pairs, declined pairs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, and_, delete, func, insert, or_, select, true

from givefirst.hub.domain.access import Role, Visibility
from givefirst.hub.domain.model import HubItem
from givefirst.hub.store.demo_rows import bulk_insert
from givefirst.hub.store.schema import declined_pairs, item_terms, item_vectors, items, matches, members

T = TypeVar("T")
CHUNK = 500  # ids per IN list (SQLite allows 32,766 parameters; PostgreSQL plans long lists slowly)
FIELDS = (items.c.id, items.c.member_id, members.c.chapter_id, members.c.role, items.c.kind, items.c.text,
          items.c.tags, items.c.location, items.c.visibility, items.c.created_at, items.c.expires_on)  # fmt: skip


def chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _live(today: date) -> ColumnElement[bool]:
    return and_(
        items.c.status == "open",
        or_(items.c.expires_on.is_(None), items.c.expires_on >= today),
        members.c.deleted_at.is_(None),
    )


def open_items(conn: Connection, today: date, kind: str | None = None) -> list[Any]:
    """Return every open, live item of a present member (FIELDS), in id order."""
    query = select(*FIELDS).join(members, members.c.id == items.c.member_id).where(_live(today))
    if kind is not None:
        query = query.where(items.c.kind == kind)
    return list(conn.execute(query.order_by(items.c.id)))


def audience_of(item: HubItem) -> ColumnElement[bool]:
    """Return a condition on `members` keeping those who may see `item` (the access rule, read from the other
    side: `can_see(member, item's owner, item's chapter, item's visibility)`)."""
    admin = members.c.role == Role.ADMIN.value
    own = members.c.id == item.member_id
    if item.visibility is Visibility.ASSOCIATION:
        return true()
    if item.visibility is Visibility.CHAPTER:
        return or_(own, admin, members.c.chapter_id == item.member_chapter_id)
    return or_(own, admin, and_(members.c.role == Role.LEAD.value, members.c.chapter_id == item.member_chapter_id))


def counterparts(conn: Connection, item: HubItem, seen_by_owner: ColumnElement[bool], today: date) -> list[Any]:
    """Return (id, text_hash, vector) of the open items of the other kind that may meet `item` (each owner sees
    the other's item), in id order; text_hash and vector are NULL for an item never embedded.

    Only what the cosine short-list needs: on the benchmark's hub an offer for the whole association has ~16,000
    counterparts, and reading every one's text and fields as well cost most of a second. The few short-listed
    are then read whole (`items_fields`).
    """
    other = "offer" if item.kind == "need" else "need"
    query = (
        select(items.c.id, item_vectors.c.text_hash, item_vectors.c.vector)
        .select_from(items.join(members, members.c.id == items.c.member_id)
                     .outerjoin(item_vectors, item_vectors.c.item_id == items.c.id))
        .where(_live(today), items.c.kind == other, items.c.member_id != item.member_id, seen_by_owner,
               audience_of(item))
        .order_by(items.c.id)
    )  # fmt: skip
    return list(conn.execute(query))


def sharing_terms(conn: Connection, terms: Iterable[str], kind: str, today: date, *, limit: int) -> list[int]:
    """Return ids of open items of `kind` holding any of these word or tag terms (newest first, at most `limit`).

    The items holding the terms are read first from the terms' index ranges (materialised), then joined: left to
    itself the planner walked every item newest first merging it with the whole terms index (the LIMIT tempts
    it), 100-300 ms on the benchmark's hub; the ids first take a few ms.
    """
    wanted = sorted(set(terms))
    if not wanted:
        return []
    holding = (
        select(item_terms.c.item_id).where(item_terms.c.term.in_(wanted)).distinct()
        .cte("holding").prefix_with("MATERIALIZED")
    )  # fmt: skip
    query = (
        select(items.c.id)
        .select_from(holding.join(items, items.c.id == holding.c.item_id)
                     .join(members, members.c.id == items.c.member_id))
        .where(_live(today), items.c.kind == kind)
        .order_by(items.c.id.desc())
        .limit(limit)
    )  # fmt: skip
    return list(conn.scalars(query))


def items_fields(conn: Connection, ids: Sequence[int]) -> list[Any]:
    out: list[Any] = []
    for part in chunks(list(ids)):
        out += conn.execute(select(*FIELDS).join(members, members.c.id == items.c.member_id)
                            .where(items.c.id.in_(part)))  # fmt: skip
    return sorted(out, key=lambda r: r.id)


def vectors(conn: Connection, ids: Sequence[int] | None = None) -> dict[int, tuple[str, bytes]]:
    """Return (text hash, float32 bytes) of these items' vectors (all when `ids` is None)."""
    query = select(item_vectors.c.item_id, item_vectors.c.text_hash, item_vectors.c.vector)
    if ids is None:
        return {r.item_id: (r.text_hash, bytes(r.vector)) for r in conn.execute(query)}
    out: dict[int, tuple[str, bytes]] = {}
    for part in chunks(list(ids)):
        for r in conn.execute(query.where(item_vectors.c.item_id.in_(part))):
            out[r.item_id] = (r.text_hash, bytes(r.vector))
    return out


def save_vectors(conn: Connection, rows: Mapping[int, tuple[str, bytes]]) -> None:
    ids = list(rows)
    for part in chunks(ids):
        conn.execute(delete(item_vectors).where(item_vectors.c.item_id.in_(part)))
    if rows:
        conn.execute(insert(item_vectors), [{"item_id": i, "text_hash": h, "vector": v} for i, (h, v) in rows.items()])


def delete_matches(conn: Connection, item_ids: Sequence[int]) -> None:
    for part in chunks(list(item_ids)):
        conn.execute(delete(matches).where(or_(matches.c.need_id.in_(part), matches.c.offer_id.in_(part))))


def clear_matches(conn: Connection) -> None:
    conn.execute(delete(matches))


def insert_matches(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert pairs: with COPY on PostgreSQL when there are many (a full pass writes ~400,000 on the benchmark's
    hub: 23 s as INSERTs, a few as COPY), else INSERTs."""
    if conn.dialect.name == "postgresql" and len(rows) > 5000:
        bulk_insert(conn, matches, rows)
        return
    for start in range(0, len(rows), 5000):
        conn.execute(insert(matches), rows[start : start + 5000])


def analyze_matches(conn: Connection) -> None:
    """Refresh PostgreSQL's statistics of `matches` after a full pass replaced it.

    /help's queries are planned on them: with the statistics of the table before the pass (empty, or another
    size) the planner expected thousands of pairs per offer and hashed every open item, 360 ms a page instead
    of 4 ms, until autovacuum came round to the table.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE matches")


def replace_need_matches(conn: Connection, need_ids: Sequence[int], rows: list[dict[str, Any]]) -> None:
    for part in chunks(list(need_ids)):
        conn.execute(delete(matches).where(matches.c.need_id.in_(part)))
    insert_matches(conn, rows)


def add_offer_matches(conn: Connection, offer_id: int, rows: list[dict[str, Any]], keep: int) -> int:
    """Store a new offer's pairs, then keep each need's best `keep` (the new pairs may push older ones out).

    Returns how many of the new pairs were kept."""
    conn.execute(delete(matches).where(matches.c.offer_id == offer_id))
    insert_matches(conn, rows)
    # One statement, whatever the number of needs: rank each touched need's pairs and drop those past `keep`.
    touched = select(matches.c.need_id).where(matches.c.offer_id == offer_id)
    rank = func.row_number().over(partition_by=matches.c.need_id,
                                  order_by=(matches.c.score.desc(), matches.c.offer_id)).label("rank")  # fmt: skip
    ranked = select(matches.c.id, rank).where(matches.c.need_id.in_(touched)).subquery()
    conn.execute(delete(matches).where(matches.c.id.in_(select(ranked.c.id).where(ranked.c.rank > keep))))
    return int(conn.execute(select(func.count()).where(matches.c.offer_id == offer_id)).scalar() or 0)


def declined_member_pairs(conn: Connection) -> set[tuple[int, int]]:
    """Return every (smaller, larger) member id pair one of whom declined an introduction to the other."""
    return {(r.member_low, r.member_high) for r in conn.execute(select(declined_pairs.c.member_low,
                                                                        declined_pairs.c.member_high))}  # fmt: skip


def match_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(matches)).scalar() or 0)
