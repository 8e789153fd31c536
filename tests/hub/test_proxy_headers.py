"""`hub serve` behind a proxy: X-Forwarded-Proto and X-Forwarded-For are believed from --forwarded-allow-ips only.

What they change is what the hub decides from the request: a session cookie marked Secure when the browser came
over https, and the client address that keys the sign-in rate limit. A real `hub serve` process on loopback (so
the test's requests come from 127.0.0.1), on an SQLite file so it runs everywhere.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from givefirst.hub.services.context import connect
from givefirst.hub.store.schema import login_attempts, members
from givefirst.hub.web.app import SESSION_COOKIE
from tests.hub import factory
from tests.hub.processes import hub_serve

PASSWORD = "a long enough passphrase"
PROXIED = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.7"}


@pytest.mark.parametrize(
    ("options", "believed"),
    [
        ((), True),  # the default: a proxy on this machine (127.0.0.1, ::1)
        (("--forwarded-allow-ips", "127.0.0.0/8"), True),
        (("--forwarded-allow-ips", "192.0.2.1"), False),  # only another address's headers are believed
        (("--no-proxy-headers",), False),
    ],
)
def test_forwarded_headers_count_only_from_an_allowed_proxy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: tuple[str, ...], believed: bool
) -> None:
    monkeypatch.delenv("GIVEFIRST_HUB_SECURE_COOKIES", raising=False)
    monkeypatch.delenv("GIVEFIRST_HUB_FORWARDED_ALLOW_IPS", raising=False)
    db = str(tmp_path / "hub.db")
    hub = connect(db)
    member = factory.member(hub, factory.chapter(hub), password_hash=PasswordHasher().hash(PASSWORD))
    with hub.engine.connect() as conn:
        email = conn.scalar(select(members.c.email).where(members.c.id == member))
    with hub_serve(db, tmp_path / "serve.log", *options) as (base, _):
        form = {"email": email, "password": PASSWORD, "next": "/"}
        signed = httpx.post(f"{base}/login", data=form, headers=PROXIED, timeout=30)
        assert signed.status_code == 303
        cookie = next(v for k, v in signed.headers.multi_items() if k == "set-cookie" and SESSION_COOKIE in v)
        assert ("secure" in cookie.lower().split("; ")) == believed
        plain = httpx.post(f"{base}/login", data=form, timeout=30)  # no proxy in between: never Secure
        assert "secure" not in next(v for k, v in plain.headers.multi_items() if k == "set-cookie").lower()
        refused = httpx.post(f"{base}/login", data={**form, "password": "wrong"}, headers=PROXIED, timeout=30)
        assert refused.status_code == 401
    with hub.engine.connect() as conn:
        keys = set(conn.scalars(select(login_attempts.c.key).where(login_attempts.c.key.startswith("client:"))))
    hub.engine.dispose()
    assert keys == ({"client:203.0.113.7"} if believed else {"client:127.0.0.1"})
