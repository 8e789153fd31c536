"""The engine's stored pairs as a member may use them: needs their own offers meet, and pairs they could introduce.

Both read `matches` best first through the access rule (the need, and for an introduction the offer too, must
be visible to the member asking), leaving out declined pairs of members and needs already introduced to that
helper.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, exists, or_, select, true

from givefirst.hub.domain.access import Viewer
from givefirst.hub.domain.introductions import DECLINED
from givefirst.hub.store.access import visible_items
from givefirst.hub.store.schema import declined_pairs, introductions, items, matches, members

# The second item of a pair (the offer) and its owner, made once: an alias built per request cost more CPU than
# the query it is used in (SQLAlchemy proxies every column of the table).
OFFER, HELPER = items.alias("offer_item"), members.alias("helper")


def _open(item: Any, owner: Any, today: date) -> ColumnElement[bool]:
    return and_(item.c.status == "open", or_(item.c.expires_on.is_(None), item.c.expires_on >= today),
                owner.c.deleted_at.is_(None))  # fmt: skip


def _not_declined(a: Any, b: Any) -> ColumnElement[bool]:
    pair = or_(and_(declined_pairs.c.member_low == a, declined_pairs.c.member_high == b),
               and_(declined_pairs.c.member_low == b, declined_pairs.c.member_high == a))  # fmt: skip
    return ~exists().where(pair)


def _not_introduced(need_id: Any, helper_id: Any) -> ColumnElement[bool]:
    return ~exists().where(
        introductions.c.need_id == need_id, introductions.c.helper_id == helper_id,
        introductions.c.seeker_answer != DECLINED, introductions.c.helper_answer != DECLINED,
    )  # fmt: skip


def needs_i_can_meet(conn: Connection, viewer: Viewer, today: date, limit: int) -> list[Any]:
    """Return (score, explanation, the need and its owner, my offer) rows, best first, one per need."""
    offer = OFFER
    # My few open offers, then their pairs by `matches.offer_id`'s index, materialised: left to itself the
    # planner walks every pair best first looking for mine (the LIMIT tempts it), hundreds of ms on a big hub.
    mine = list(conn.scalars(select(items.c.id).where(items.c.member_id == viewer.member_id, items.c.kind == "offer",
                                                      items.c.status == "open")))  # fmt: skip
    if not mine:
        return []
    pairs = select(matches).where(matches.c.offer_id.in_(mine)).cte("my_pairs").prefix_with("MATERIALIZED")
    query = (
        select(pairs.c.score, pairs.c.explanation, items.c.public_id.label("need_public_id"),
               items.c.text.label("need_text"), items.c.tags.label("need_tags"),
               items.c.location.label("need_location"), members.c.name.label("seeker_name"),
               members.c.public_id.label("seeker_public_id"), offer.c.public_id.label("offer_public_id"),
               offer.c.text.label("offer_text"))
        .select_from(pairs.join(items, items.c.id == pairs.c.need_id)
                     .join(members, members.c.id == items.c.member_id)
                     .join(offer, offer.c.id == pairs.c.offer_id))
        .where(offer.c.status == "open", _open(items, members, today),
               items.c.member_id != viewer.member_id, visible_items(viewer),
               _not_declined(items.c.member_id, viewer.member_id), _not_introduced(items.c.id, viewer.member_id))
        .order_by(pairs.c.score.desc(), pairs.c.id)
        .limit(limit * 4)
    )  # fmt: skip
    out, seen = [], set()
    for row in conn.execute(query):
        if row.need_public_id not in seen:
            seen.add(row.need_public_id)
            out.append(row)
    return out[:limit]


FIRST_BATCH = 250  # pairs read first down the score index, for "two members you could introduce"
GROWTH = 4  # each further batch is this many times the last: a member who sees few of the best pairs reads on
MOST_PAIRS = 20_000  # at most this many of the best pairs are looked through


def pairs_i_could_introduce(
    conn: Connection, viewer: Viewer, today: date, limit: int, min_score: float = 0.0
) -> list[Any]:
    """Return pairs of two other members (a need of one, an offer of the other, both visible to me), best first,
    scoring at least `min_score`.

    The best pairs are read a batch at a time down `ix_matches_score` (a cheap index range), and only each
    batch is joined and filtered by the access rule: one query joining every pair would make the planner hash
    the whole table. The first batch is small (a member sees about one in ten of the best pairs, so 250 usually
    hold their 20: joining 2,000 cost 10-20 ms a request on the benchmark's hub), the next ones grow, and at
    most MOST_PAIRS are looked through.
    """
    offer, helper = OFFER, HELPER
    out: list[Any] = []
    floor = matches.c.score >= min_score
    after: Any = true()  # the pairs below the previous batch
    size, read = FIRST_BATCH, 0
    while read < MOST_PAIRS:
        size = min(size, MOST_PAIRS - read)
        # The batch's last pair (best first, ties by id); the batch is then a range of the score index.
        last = conn.execute(
            select(matches.c.score, matches.c.id).where(after, floor).order_by(matches.c.score.desc(), matches.c.id)
            .offset(size - 1).limit(1)
        ).first()  # fmt: skip
        upto = (
            or_(matches.c.score > last.score, and_(matches.c.score == last.score, matches.c.id <= last.id))
            if last is not None
            else true()
        )
        batch = and_(after, upto, floor)
        query = (
            select(matches.c.score, matches.c.explanation, items.c.public_id.label("need_public_id"),
                   items.c.text.label("need_text"), members.c.name.label("seeker_name"),
                   members.c.public_id.label("seeker_public_id"), offer.c.public_id.label("offer_public_id"),
                   offer.c.text.label("offer_text"), helper.c.name.label("helper_name"),
                   helper.c.public_id.label("helper_public_id"))
            .select_from(matches.join(items, items.c.id == matches.c.need_id)
                         .join(members, members.c.id == items.c.member_id)
                         .join(offer, offer.c.id == matches.c.offer_id)
                         .join(helper, helper.c.id == offer.c.member_id))
            .where(batch, _open(items, members, today),
                   _open(offer, helper, today), items.c.member_id != viewer.member_id,
                   offer.c.member_id != viewer.member_id, visible_items(viewer),
                   visible_items(viewer, offer, helper), _not_declined(items.c.member_id, offer.c.member_id),
                   _not_introduced(items.c.id, offer.c.member_id))
            .order_by(matches.c.score.desc(), matches.c.id)
            .limit(limit - len(out))
        )  # fmt: skip
        out += conn.execute(query).all()
        if len(out) >= limit or last is None:
            break
        read += size
        size *= GROWTH
        after = or_(matches.c.score < last.score, and_(matches.c.score == last.score, matches.c.id > last.id))
    return out
