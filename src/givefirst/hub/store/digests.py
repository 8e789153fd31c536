"""What the weekly digest reads (members, waiting introductions) and the `digests` table that sends it once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, delete, func, select
from sqlalchemy.exc import IntegrityError

from givefirst.hub.domain.model import Member
from givefirst.hub.store.members import member_from_row
from givefirst.hub.store.schema import conversations, digests, introductions, members


def recipients(conn: Connection) -> list[Member]:
    """Return the members a digest may go to: joined (a password set), not deleted, not opted out."""
    rows = conn.execute(
        select(members)
        .where(
            members.c.deleted_at.is_(None),
            members.c.password_hash.is_not(None),
            ~members.c.digest_opt_out,
        )
        .order_by(members.c.id)
    )
    return [member_from_row(r) for r in rows]


def opted_out_count(conn: Connection) -> int:
    return int(
        conn.execute(
            select(func.count()).select_from(members).where(members.c.deleted_at.is_(None), members.c.digest_opt_out)
        ).scalar_one()
    )


def sent_this_week(conn: Connection, week: str) -> set[int]:
    """Return the members whose digest of `week` was sent (or claimed) already."""
    return {int(m) for m in conn.execute(select(digests.c.member_id).where(digests.c.week == week)).scalars()}


def claim(conn: Connection, member_id: int, week: str, now: datetime) -> bool:
    """Claim this member's digest of `week` before sending it; False when it was sent (or is being sent) already.

    The primary key (member, week) makes the claim atomic across workers: the second insert fails.
    """
    try:
        with conn.begin_nested():
            conn.execute(digests.insert().values(member_id=member_id, week=week, sent_at=now))
    except IntegrityError:
        return False
    return True


def release(conn: Connection, member_id: int, week: str) -> None:
    """Give back a claim whose message could not be sent, so that the next run tries again."""
    conn.execute(delete(digests).where(digests.c.member_id == member_id, digests.c.week == week))


def waiting_per_member(conn: Connection) -> dict[int, int]:
    """Return, for every member with any, how many introductions wait for their answer (one query for a run)."""
    live = and_(introductions.c.seeker_answer != "declined", introductions.c.helper_answer != "declined")
    counts: dict[int, int] = {}
    for side, answer in (
        (introductions.c.seeker_id, introductions.c.seeker_answer),
        (introductions.c.helper_id, introductions.c.helper_answer),
    ):
        rows = conn.execute(
            select(side, func.count()).where(live, answer == "pending", side.is_not(None)).group_by(side)
        )
        for member_id, n in rows:
            counts[int(member_id)] = counts.get(int(member_id), 0) + int(n)
    return counts


def follow_ups_per_member(conn: Connection) -> dict[int, int]:
    """Return, for every member with any, how many conversations they have still to follow up."""
    rows = conn.execute(
        select(conversations.c.member_id, func.count())
        .where(conversations.c.followed_up_at.is_(None))
        .group_by(conversations.c.member_id)
    )
    return {int(m): int(n) for m, n in rows}
