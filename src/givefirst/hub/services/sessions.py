"""Signing in and out: server-side sessions, so that any web worker can serve any request.

The browser holds a random secret in an HttpOnly cookie; the database holds only its SHA-256. The CSRF token of
a session is a second secret stored beside it, sent back in forms and the `X-CSRF-Token` header.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from givefirst.hub.domain.model import Member
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.store import sessions as stored_sessions

SESSION_DAYS = 14


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start(hub: Hub, member_id: int) -> str:
    """Open a session for `member_id` and return the secret for the browser's cookie."""
    secret = secrets.token_urlsafe(32)
    now = hub.now()
    with hub.engine.begin() as conn:
        stored_sessions.remove_expired(conn, now)
        stored_sessions.add(
            conn, _hash(secret), member_id, secrets.token_urlsafe(24), now, now + timedelta(days=SESSION_DAYS)
        )
    return secret


def current(hub: Hub, secret: str | None) -> tuple[Member, str] | None:
    """Return the signed-in member and the session's CSRF token, or None (no, expired or forged cookie)."""
    if not secret or len(secret) > 100:
        return None
    with hub.engine.connect() as conn:
        found = stored_sessions.find(conn, _hash(secret), hub.now())
        if found is None:
            return None
        member = stored_members.member_by_id(conn, found[0])
    if member is None or member.deleted:
        return None
    return member, found[1]


def csrf_ok(expected: str, offered: str | None) -> bool:
    return offered is not None and hmac.compare_digest(expected.encode(), offered.encode())


def end(hub: Hub, secret: str | None) -> None:
    if secret:
        with hub.engine.begin() as conn:
            stored_sessions.remove(conn, _hash(secret))
