"""Reading the engine's pairs (the `matches` table hub-board fills) for prep sheets, handoffs and digests.

Every function returns items with what the access rule needs (owner and owner's chapter, visibility), and the
services filter them with `domain.access.can_see` for the member who will read them: the table holds pairs the
engine found, not a promise that everybody may see both sides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, select

from givefirst.hub.domain.access import Visibility
from givefirst.hub.domain.model import HubItem
from givefirst.hub.store.schema import items, matches, members


def _tags(value: str) -> tuple[str, ...]:
    return tuple(t for t in (value or "").split(",") if t)


def item_at(row: Any, start: int) -> HubItem:
    """Build a HubItem from the 13 columns `_item_columns` put at `start` in a row (by position: rooms hold
    hundreds of pairs, and reading them by name cost more than the query)."""
    (id_, public_id, member_id, kind, text, tags, location, visibility, status, created_at, chapter_id) = tuple(
        row[start : start + 11]
    )
    return HubItem(
        id=id_,
        public_id=public_id,
        member_id=member_id,
        member_chapter_id=chapter_id,
        kind=kind,
        text=text,
        tags=_tags(tags),
        location=location,
        visibility=Visibility(visibility),
        status=status,
        created_at=created_at,
    )


ITEM_WIDTH = 13  # the item's 10 columns and its owner's chapter, name and public id


def _item_columns(table: Any, owner: Any, prefix: str) -> list[Any]:
    names = ("id", "public_id", "member_id", "kind", "text", "tags", "location", "visibility", "status", "created_at")
    return [table.c[n].label(prefix + n) for n in names] + [
        owner.c.chapter_id.label(prefix + "chapter_id"),
        owner.c.name.label(prefix + "owner_name"),
        owner.c.public_id.label(prefix + "owner_public_id"),
    ]


@dataclass(frozen=True, slots=True)
class MatchedPair:
    need: HubItem
    offer: HubItem
    score: float
    seeker_name: str
    seeker_public_id: str
    helper_name: str
    helper_public_id: str


@cache
def _pairs_base() -> tuple[Any, Any, Any]:
    """Build the pairs query once (aliases and labels cost more to build than the query takes to run)."""
    need, offer = items.alias("need"), items.alias("offer")
    seeker, helper = members.alias("seeker"), members.alias("helper")
    query = (
        select(matches.c.score, *_item_columns(need, seeker, "need_"), *_item_columns(offer, helper, "offer_"))
        .join(need, need.c.id == matches.c.need_id)
        .join(offer, offer.c.id == matches.c.offer_id)
        .join(seeker, seeker.c.id == need.c.member_id)
        .join(helper, helper.c.id == offer.c.member_id)
        .where(
            # no condition on `kind` (a match joins a need to an offer by construction): with one, the planner
            # walks ix_items_kind_status over every open need × every open offer instead of the member's items
            need.c.status == "open",
            offer.c.status == "open",
            seeker.c.deleted_at.is_(None),
            helper.c.deleted_at.is_(None),
            seeker.c.id != helper.c.id,
            matches.c.score >= bindparam("min_score"),
        )
        .order_by(matches.c.score.desc(), matches.c.id)
    )
    return query, seeker, helper


def _pair(row: Any) -> MatchedPair:
    need, offer = 1, 1 + ITEM_WIDTH
    return MatchedPair(
        need=item_at(row, need),
        offer=item_at(row, offer),
        score=float(row[0]),
        seeker_name=row[need + 11],
        seeker_public_id=row[need + 12],
        helper_name=row[offer + 11],
        helper_public_id=row[offer + 12],
    )


def pairs_among(conn: Connection, member_ids: Iterable[int], min_score: float) -> list[MatchedPair]:
    """Return the open pairs whose seeker and helper are both among `member_ids` (a room), best first."""
    ids = sorted(set(member_ids))
    if len(ids) < 2:
        return []
    query, seeker, helper = _pairs_base()
    found = conn.execute(query.where(seeker.c.id.in_(ids), helper.c.id.in_(ids)), {"min_score": min_score})
    return [_pair(r) for r in found]


def pairs_of_helper(
    conn: Connection, helper_id: int, min_score: float, *, seeker_chapter_id: int | None = None
) -> list[MatchedPair]:
    """Return the open pairs where `helper_id`'s offers meet others' needs (of one chapter when given)."""
    query, seeker, helper = _pairs_base()
    query = query.where(helper.c.id == helper_id)
    if seeker_chapter_id is not None:
        query = query.where(seeker.c.chapter_id == seeker_chapter_id)
    return [_pair(r) for r in conn.execute(query, {"min_score": min_score})]


def open_needs_of(conn: Connection, member_ids: Iterable[int]) -> list[tuple[HubItem, str, str]]:
    """Return the open needs of `member_ids` with their owner's name and public id."""
    ids = sorted(set(member_ids))
    if not ids:
        return []
    rows = conn.execute(
        select(*_item_columns(items, members, "need_"))
        .join(members, members.c.id == items.c.member_id)
        .where(items.c.member_id.in_(ids), items.c.kind == "need", items.c.status == "open")
        .order_by(items.c.created_at, items.c.id)
    )
    return [(item_at(r, 0), r[11], r[12]) for r in rows]


def best_helpers(conn: Connection, need_ids: Iterable[int]) -> dict[int, list[tuple[int, int, float]]]:
    """Return, per need, the open offers' (owner, owner's chapter, score) from other members, best first."""
    ids = sorted(set(need_ids))
    found: dict[int, list[tuple[int, int, float]]] = {i: [] for i in ids}
    if not ids:
        return found
    need = items.alias("need")
    rows = conn.execute(
        select(matches.c.need_id, items.c.member_id, members.c.chapter_id, matches.c.score)
        .join(items, items.c.id == matches.c.offer_id)
        .join(members, members.c.id == items.c.member_id)
        .join(need, need.c.id == matches.c.need_id)
        .where(
            matches.c.need_id.in_(ids),
            items.c.status == "open",
            members.c.deleted_at.is_(None),
            items.c.member_id != need.c.member_id,
        )
        .order_by(matches.c.score.desc())
    )
    for need_id, owner, chapter, score in rows:
        found[int(need_id)].append((int(owner), int(chapter), float(score)))
    return found


def best_score_per_need(conn: Connection, need_ids: list[int]) -> dict[int, float]:
    """Return each need's best score with an open offer of another member (needs without one are absent)."""
    if not need_ids:
        return {}
    need = items.alias("need")
    rows = conn.execute(
        select(matches.c.need_id, func.max(matches.c.score))
        .join(items, and_(items.c.id == matches.c.offer_id, items.c.status == "open"))
        .join(members, and_(members.c.id == items.c.member_id, members.c.deleted_at.is_(None)))
        .join(need, need.c.id == matches.c.need_id)
        .where(matches.c.need_id.in_(need_ids), items.c.member_id != need.c.member_id)
        .group_by(matches.c.need_id)
    )
    return {int(n): float(s) for n, s in rows}
