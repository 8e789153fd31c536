"""The web app's guards: who may connect (a token off loopback), CSRF on every change, and strict headers.

The model: the server holds private notes about real people, so it binds to 127.0.0.1 unless told otherwise, and
anywhere else it needs a token. A browser proves it has the token once (`/login`, or `?token=` in the printed
link) and receives a session cookie. Every state-changing request carries the session's CSRF token (a hidden
form field, or the `X-CSRF-Token` header HTMX sends), compared in constant time with the one derived from the
session. Pages allow scripts and styles from the app itself only (no inline script), and refuse to be framed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from givefirst.errors import InvalidInputError

SESSION_COOKIE = "givefirst_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MIN_TOKEN_LENGTH = 12

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


def is_loopback(host: str) -> bool:
    """Return True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """Return a fresh random access token, easy to copy (URL-safe)."""
    return secrets.token_urlsafe(18)


def check_bind(host: str, token: str | None) -> None:
    """Refuse to serve on an address other machines can reach without a token of a decent length."""
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise InvalidInputError(f"the token must be at least {MIN_TOKEN_LENGTH} characters (or use --token auto)")
    if not is_loopback(host) and not token:
        raise InvalidInputError(
            f"serving on {host} lets other machines reach your private notes; set an access token with "
            "--token SECRET (or --token auto to have one made and printed), or bind to 127.0.0.1"
        )


@dataclass(frozen=True)
class Guard:
    """The secrets of one server run: the optional access token and the key that signs sessions."""

    token: str | None
    key: bytes

    @classmethod
    def create(cls, token: str | None) -> Guard:
        return cls(token=token or None, key=secrets.token_bytes(32))

    def token_ok(self, offered: str | None) -> bool:
        if self.token is None:
            return True
        return offered is not None and hmac.compare_digest(offered.encode(), self.token.encode())

    def new_session(self, authenticated: bool) -> str:
        """Return a signed session value: a random id, whether it proved the token, and a MAC of both."""
        sid = secrets.token_urlsafe(16)
        body = f"{sid}.{int(authenticated)}"
        return f"{body}.{self._mac(body)}"

    def read_session(self, value: str | None) -> tuple[str, bool] | None:
        """Return (session id, authenticated) from a cookie value, None when it is missing or forged."""
        if not value or value.count(".") != 2:
            return None
        sid, auth, mac = value.split(".")
        if not hmac.compare_digest(mac, self._mac(f"{sid}.{auth}")) or auth not in ("0", "1"):
            return None
        return sid, auth == "1"

    def csrf_token(self, session_id: str) -> str:
        return self._mac(f"csrf:{session_id}")

    def csrf_ok(self, session_id: str, offered: str | None) -> bool:
        return offered is not None and hmac.compare_digest(offered, self.csrf_token(session_id))

    def _mac(self, text: str) -> str:
        return hmac.new(self.key, text.encode(), hashlib.sha256).hexdigest()[:32]


class LoginThrottle:
    """At most `tries` wrong tokens a minute from one address: a token cannot be guessed by trying many.

    Counted per client address (a guesser elsewhere on the network cannot lock out the user's own machine for
    long: the window slides, and a right token is never refused while the address is under its limit).
    """

    def __init__(self, tries: int = 5, window_seconds: float = 60.0) -> None:
        self.tries, self.window = tries, window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        found = self._failures.setdefault(client, deque())
        while found and now - found[0] > self.window:
            found.popleft()
        return found

    def wait_seconds(self, client: str) -> int:
        """Return how long this address must wait before trying again (0: it may try now)."""
        now = time.monotonic()
        with self._lock:
            recent = self._recent(client, now)
            if len(recent) < self.tries:
                return 0
            return max(1, int(self.window - (now - recent[0])) + 1)

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(client, now).append(now)
            if len(self._failures) > 10_000:  # forget the oldest addresses rather than grow without bound
                self._failures.pop(next(iter(self._failures)))
