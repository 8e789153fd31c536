"""Server-side sessions: rows keyed by the hash of the secret a browser holds in its cookie."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, DateTime, String, bindparam, delete, insert, select

from givefirst.hub.domain.model import Member
from givefirst.hub.store.members import member_from_row
from givefirst.hub.store.schema import data_version, members, sessions


def add(conn: Connection, id_hash: str, member_id: int, csrf_secret: str, now: datetime, expires: datetime) -> None:
    conn.execute(
        insert(sessions).values(
            id_hash=id_hash, member_id=member_id, csrf_secret=csrf_secret, created_at=now, expires_at=expires
        )
    )


class Live(NamedTuple):
    """A live session's member, its CSRF secret and the data version read in the same statement."""

    member: Member
    csrf_secret: str
    data_version: int | None  # None when the database has no counter row (then nothing may be cached)


# Every signed-in request runs this, so it is one statement (no transaction needed: a single statement sees one
# snapshot) built once, not per request. The member's columns are those `member_from_row` reads: not the password
# hash. The data version comes with it, so the page cache needs no second round trip; it is read before the page
# is built, which is what makes a page stored under it at least as new as the version says.
_MEMBER_COLUMNS = ("id", "public_id", "email", "name", "role", "chapter_id", "sponsor_id", "headline", "location",
                   "moving_to", "moving_on", "digest_opt_out", "joined_at", "deleted_at")  # fmt: skip
_LIVE = (
    select(
        sessions.c.csrf_secret,
        *(members.c[name] for name in _MEMBER_COLUMNS),
        select(data_version.c.n).where(data_version.c.id == 1).scalar_subquery().label("data_version"),
    )
    .join_from(sessions, members, members.c.id == sessions.c.member_id)
    .where(
        sessions.c.id_hash == bindparam("id_hash", type_=String),
        sessions.c.expires_at > bindparam("now", type_=DateTime),
        members.c.deleted_at.is_(None),
    )
)


def find_live(conn: Connection, id_hash: str, now: datetime) -> Live | None:
    """Return the live session `id_hash` (not expired, its member not deleted), or None."""
    row = conn.execute(_LIVE, {"id_hash": id_hash, "now": now}).first()
    if row is None:
        return None
    version = int(row.data_version) if row.data_version is not None else None
    return Live(member_from_row(row), row.csrf_secret, version)


def remove(conn: Connection, id_hash: str) -> None:
    conn.execute(delete(sessions).where(sessions.c.id_hash == id_hash))


def remove_member(conn: Connection, member_id: int) -> None:
    conn.execute(delete(sessions).where(sessions.c.member_id == member_id))


def remove_expired(conn: Connection, now: datetime) -> int:
    return conn.execute(delete(sessions).where(sessions.c.expires_at <= now)).rowcount
