"""API tokens for scripts: a member makes one, sees it once, and can revoke it; the database keeps its hash."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select, update

from givefirst.hub.domain.model import Member
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.store.schema import api_tokens

PREFIX = "gfh_"  # recognisable in a leaked config file, so secret scanners can find it


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(hub: Hub, member_id: int, name: str, *, known: str | None = None) -> str:
    """Issue a token for `member_id` and return it (shown once: only its hash is stored).

    `known`: the demo's published token (its passwords are published too); never for a real hub."""
    token = PREFIX + (known or secrets.token_urlsafe(30))
    with hub.engine.begin() as conn:
        conn.execute(
            api_tokens.insert().values(
                member_id=member_id, token_hash=_hash(token), name=name.strip()[:100] or "script", created_at=hub.now()
            )
        )
    return token


def member_for(hub: Hub, token: str) -> Member | None:
    """Return the member a live token belongs to, None for an unknown or revoked one."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    with hub.engine.begin() as conn:
        row = conn.execute(
            select(api_tokens.c.id, api_tokens.c.member_id).where(
                api_tokens.c.token_hash == _hash(token), api_tokens.c.revoked_at.is_(None)
            )
        ).first()
        if row is None:
            return None
        conn.execute(update(api_tokens).where(api_tokens.c.id == row.id).values(last_used_at=hub.now()))
        member = stored_members.member_by_id(conn, row.member_id)
    return member if member is not None and not member.deleted else None


def revoke(hub: Hub, member_id: int, token_id: int) -> bool:
    with hub.engine.begin() as conn:
        done = conn.execute(
            update(api_tokens)
            .where(api_tokens.c.id == token_id, api_tokens.c.member_id == member_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=hub.now())
        ).rowcount
    return bool(done)
