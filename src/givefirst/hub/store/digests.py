"""What the weekly digest reads (members, waiting introductions) and the `digests` table that sends it once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from givefirst.hub.domain.model import Member
from givefirst.hub.store.members import member_from_row
from givefirst.hub.store.schema import digests, introductions, members


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


def waiting_introductions(conn: Connection, member_id: int) -> int:
    """Return how many introductions wait for this member's answer (neither side has declined)."""
    mine = or_(
        and_(introductions.c.seeker_id == member_id, introductions.c.seeker_answer == "pending"),
        and_(introductions.c.helper_id == member_id, introductions.c.helper_answer == "pending"),
    )
    return int(
        conn.execute(
            select(func.count())
            .select_from(introductions)
            .where(mine, introductions.c.seeker_answer != "declined", introductions.c.helper_answer != "declined")
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
