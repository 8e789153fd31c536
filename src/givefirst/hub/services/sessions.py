"""Signing in and out: server-side sessions, so that any web worker can serve any request.

The browser holds a random secret in an HttpOnly cookie; the database holds only its SHA-256. The CSRF token of
a session is a second secret stored beside it, sent back in forms and the `X-CSRF-Token` header.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy.exc import DBAPIError

from givefirst.hub.domain.model import Member
from givefirst.hub.services.context import Hub
from givefirst.hub.store import sessions as stored_sessions
from givefirst.hub.store.sessions import Live

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
    found = signed_in(hub, secret)
    return (found.member, found.csrf_secret) if found is not None else None


def signed_in(hub: Hub, secret: str | None) -> Live | None:
    """The live session of this cookie's secret with its member and the hub's data version, or None.

    What every signed-in request asks, so it costs one statement on one connection in AUTOCOMMIT: no BEGIN and
    ROLLBACK round trips (a single statement sees one snapshot anyway). A connection the server dropped (a
    PostgreSQL restart) is found here, since the pool does not ping: the read is retried once on a new one.
    """
    if not secret or len(secret) > 100:
        return None
    id_hash, now = _hash(secret), hub.now()
    for attempt in (1, 2):
        try:
            with hub.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                return stored_sessions.find_live(conn, id_hash, now)
        except DBAPIError as exc:
            if attempt == 2 or not exc.connection_invalidated:
                raise
    return None  # not reached: the second attempt returns or raises


def csrf_ok(expected: str, offered: str | None) -> bool:
    return offered is not None and hmac.compare_digest(expected.encode(), offered.encode())


def end(hub: Hub, secret: str | None) -> None:
    if secret:
        with hub.engine.begin() as conn:
            stored_sessions.remove(conn, _hash(secret))
