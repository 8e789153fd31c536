"""Passkeys (WebAuthn credentials) and the challenges of their ceremonies, in the database.

Challenges are rows rather than process memory because any web worker may receive the browser's answer to the
options another worker gave; "used" is an UPDATE that only one request can win, so a challenge works once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from givefirst.hub.store.schema import passkey_challenges, passkeys


@dataclass(frozen=True, slots=True)
class StoredPasskey:
    id: int
    member_id: int
    credential_id: str  # base64url
    public_key: bytes
    sign_count: int
    transports: tuple[str, ...]
    name: str
    created_at: datetime
    last_used_at: datetime | None


def _passkey(row: object) -> StoredPasskey:
    r = row._mapping  # type: ignore[attr-defined]
    return StoredPasskey(
        id=r["id"],
        member_id=r["member_id"],
        credential_id=r["credential_id"],
        public_key=bytes(r["public_key"]),
        sign_count=r["sign_count"],
        transports=tuple(t for t in r["transports"].split(",") if t),
        name=r["name"],
        created_at=r["created_at"],
        last_used_at=r["last_used_at"],
    )


# --- credentials ---------------------------------------------------------------------------------------------


def add(
    conn: Connection,
    *,
    member_id: int,
    credential_id: str,
    public_key: bytes,
    sign_count: int,
    transports: list[str],
    name: str,
    now: datetime,
) -> int:
    result = conn.execute(
        insert(passkeys).values(
            member_id=member_id,
            credential_id=credential_id,
            public_key=public_key,
            sign_count=sign_count,
            transports=",".join(transports),
            name=name,
            created_at=now,
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def of_member(conn: Connection, member_id: int) -> list[StoredPasskey]:
    rows = conn.execute(
        select(passkeys).where(passkeys.c.member_id == member_id).order_by(passkeys.c.created_at, passkeys.c.id)
    )
    return [_passkey(r) for r in rows]


def by_credential_id(conn: Connection, credential_id: str) -> StoredPasskey | None:
    row = conn.execute(select(passkeys).where(passkeys.c.credential_id == credential_id)).first()
    return _passkey(row) if row is not None else None


def record_use(conn: Connection, passkey_id: int, old_count: int, new_count: int, now: datetime) -> bool:
    """Store the new signature count and the time of use; False when another request moved the count first.

    The count in the WHERE makes this a compare-and-set: two workers verifying the same (cloned or replayed)
    assertion cannot both succeed.
    """
    result = conn.execute(
        update(passkeys)
        .where(passkeys.c.id == passkey_id, passkeys.c.sign_count == old_count)
        .values(sign_count=new_count, last_used_at=now)
    )
    return result.rowcount == 1


def remove(conn: Connection, member_id: int, passkey_id: int) -> str | None:
    """Delete one of the member's passkeys; return its name, None when they have no such passkey."""
    row = conn.execute(
        select(passkeys.c.name).where(passkeys.c.id == passkey_id, passkeys.c.member_id == member_id)
    ).first()
    if row is None:
        return None
    conn.execute(delete(passkeys).where(passkeys.c.id == passkey_id))
    return str(row.name)


def remove_member(conn: Connection, member_id: int) -> None:
    conn.execute(delete(passkeys).where(passkeys.c.member_id == member_id))
    conn.execute(delete(passkey_challenges).where(passkey_challenges.c.member_id == member_id))


# --- challenges ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredChallenge:
    challenge: str
    purpose: str
    member_id: int | None
    expires_at: datetime
    used_at: datetime | None


def add_challenge(
    conn: Connection, challenge: str, purpose: str, member_id: int | None, now: datetime, expires: datetime
) -> None:
    conn.execute(
        insert(passkey_challenges).values(
            challenge=challenge, purpose=purpose, member_id=member_id, created_at=now, expires_at=expires
        )
    )


def find_challenge(conn: Connection, challenge: str) -> StoredChallenge | None:
    row = conn.execute(select(passkey_challenges).where(passkey_challenges.c.challenge == challenge)).first()
    if row is None:
        return None
    return StoredChallenge(row.challenge, row.purpose, row.member_id, row.expires_at, row.used_at)


def use_challenge(conn: Connection, challenge: str, now: datetime) -> bool:
    """Mark the challenge used; True for the one request that did so while it was unused and unexpired."""
    result = conn.execute(
        update(passkey_challenges)
        .where(
            passkey_challenges.c.challenge == challenge,
            passkey_challenges.c.used_at.is_(None),
            passkey_challenges.c.expires_at > now,
        )
        .values(used_at=now)
    )
    return result.rowcount == 1


def forget_challenges_before(conn: Connection, before: datetime) -> None:
    """Drop challenges that expired before `before`; kept a while after, to tell "used" from "never issued"."""
    conn.execute(delete(passkey_challenges).where(passkey_challenges.c.expires_at < before))
