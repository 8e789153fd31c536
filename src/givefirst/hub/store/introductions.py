"""Introductions, declined pairs, the thanks wall and the rows the chapter's figures are counted from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, exists, insert, or_, select, update

from givefirst.hub.domain.access import Viewer
from givefirst.hub.domain.introductions import DECLINED, Introduction
from givefirst.hub.store.access import visible_items
from givefirst.hub.store.schema import declined_pairs, introductions, items, members


def intro_from_row(row: Any) -> Introduction:
    return Introduction(
        id=row.id, public_id=row.public_id, kind=row.kind, need_id=row.need_id, offer_id=row.offer_id,
        proposer_id=row.proposer_id, seeker_id=row.seeker_id, helper_id=row.helper_id,
        seeker_answer=row.seeker_answer, helper_answer=row.helper_answer, message=row.message,
        created_at=row.created_at, connected_at=row.connected_at, outcome=row.outcome,
        outcome_note=row.outcome_note, outcome_at=row.outcome_at,
        seeker_thanks_public=bool(row.seeker_thanks_public), helper_thanks_public=bool(row.helper_thanks_public),
    )  # fmt: skip


def insert_intro(conn: Connection, values: dict[str, Any]) -> int:
    return int(conn.scalar(insert(introductions).values(**values).returning(introductions.c.id)))


def update_intro(conn: Connection, intro_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(introductions).where(introductions.c.id == intro_id).values(**values))


def intro_by_public_id(conn: Connection, public_id: str) -> Introduction | None:
    row = conn.execute(select(introductions).where(introductions.c.public_id == public_id)).first()
    return intro_from_row(row) if row is not None else None


def intro_by_id(conn: Connection, intro_id: int) -> Introduction | None:
    row = conn.execute(select(introductions).where(introductions.c.id == intro_id)).first()
    return intro_from_row(row) if row is not None else None


def intros_of(conn: Connection, member_id: int, limit: int = 200) -> list[Introduction]:
    """Return the introductions a member takes part in (as either side or as the one who proposed), newest first."""
    mine = or_(introductions.c.seeker_id == member_id, introductions.c.helper_id == member_id,
               introductions.c.proposer_id == member_id)  # fmt: skip
    newest = (introductions.c.created_at.desc(), introductions.c.id.desc())
    rows = conn.execute(select(introductions).where(mine).order_by(*newest).limit(limit))
    return [intro_from_row(r) for r in rows]


def live_intro_for(conn: Connection, need_id: int, helper_id: int) -> Introduction | None:
    """Return an introduction of this need to this helper that was not declined, if one exists."""
    row = conn.execute(
        select(introductions).where(
            introductions.c.need_id == need_id, introductions.c.helper_id == helper_id,
            introductions.c.seeker_answer != DECLINED, introductions.c.helper_answer != DECLINED,
        )
    ).first()  # fmt: skip
    return intro_from_row(row) if row is not None else None


def add_declined(conn: Connection, intro: Introduction, by: int, at: datetime) -> None:
    if intro.seeker_id is None or intro.helper_id is None:
        return
    low, high = sorted((intro.seeker_id, intro.helper_id))
    conn.execute(insert(declined_pairs).values(need_id=intro.need_id, offer_id=intro.offer_id, member_low=low,
                                               member_high=high, declined_by=by, at=at))  # fmt: skip


def declined_between(conn: Connection, a: int, b: int) -> bool:
    low, high = sorted((a, b))
    return bool(conn.execute(select(exists().where(declined_pairs.c.member_low == low,
                                                   declined_pairs.c.member_high == high))).scalar())  # fmt: skip


def names(conn: Connection, member_ids: set[int]) -> dict[int, tuple[str, str, str]]:
    """Return (name, public id, e-mail) of these members."""
    if not member_ids:
        return {}
    rows = conn.execute(select(members.c.id, members.c.name, members.c.public_id, members.c.email)
                        .where(members.c.id.in_(sorted(member_ids))))  # fmt: skip
    return {r.id: (r.name, r.public_id, r.email) for r in rows}


def item_texts(conn: Connection, item_ids: set[int]) -> dict[int, tuple[str, str]]:
    """Return (public id, text) of these items."""
    if not item_ids:
        return {}
    rows = conn.execute(select(items.c.id, items.c.public_id, items.c.text).where(items.c.id.in_(sorted(item_ids))))
    return {r.id: (r.public_id, r.text) for r in rows}


def thanks_wall(conn: Connection, viewer: Viewer, limit: int) -> list[Any]:
    """Return the newest public thanks whose need the viewer may see: both sides agreed, and it helped."""
    seeker, helper = members.alias("seeker"), members.alias("helper")
    query = (
        select(introductions.c.public_id, introductions.c.outcome, introductions.c.outcome_at,
               introductions.c.outcome_note, items.c.text.label("need_text"), seeker.c.name.label("seeker_name"),
               helper.c.name.label("helper_name"))
        .join(items, items.c.id == introductions.c.need_id)
        .join(members, members.c.id == items.c.member_id)
        .join(seeker, seeker.c.id == introductions.c.seeker_id)
        .join(helper, helper.c.id == introductions.c.helper_id)
        .where(
            introductions.c.seeker_thanks_public.is_(True), introductions.c.helper_thanks_public.is_(True),
            introductions.c.outcome.in_(("helped", "hired")), seeker.c.deleted_at.is_(None),
            helper.c.deleted_at.is_(None), visible_items(viewer),
        )
        .order_by(introductions.c.outcome_at.desc())
        .limit(limit)
    )  # fmt: skip
    return list(conn.execute(query))


def chapter_rows(conn: Connection, chapter_id: int, since: datetime) -> list[Any]:
    """Return the introductions since `since` in which a member of the chapter is the seeker or the helper."""
    seeker, helper = members.alias("seeker"), members.alias("helper")
    query = (
        select(
            introductions.c.kind,
            introductions.c.created_at,
            introductions.c.connected_at,
            introductions.c.outcome,
            introductions.c.outcome_at,
            introductions.c.seeker_answer,
            introductions.c.helper_answer,
            helper.c.chapter_id.label("helper_chapter"),
        )
        .outerjoin(seeker, seeker.c.id == introductions.c.seeker_id)
        .outerjoin(helper, helper.c.id == introductions.c.helper_id)
        .where(
            or_(seeker.c.chapter_id == chapter_id, helper.c.chapter_id == chapter_id),
            or_(introductions.c.created_at >= since, introductions.c.outcome_at >= since),
        )
    )
    return list(conn.execute(query))
