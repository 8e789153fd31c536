"""What every hub use case is given: the database, the clock and the hub's secret key."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from givefirst.hub.store import settings as stored_settings
from givefirst.hub.store.database import open_hub


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # stored naive, in UTC, like the personal app


@dataclass(frozen=True)
class Hub:
    """One hub: its engine, its clock (tests pass a fixed one) and the key that signs invites and check-ins."""

    engine: Engine
    secret: bytes
    clock: Callable[[], datetime] = field(default=_utc_now)

    def now(self) -> datetime:
        return self.clock()


def connect(target: str, *, clock: Callable[[], datetime] | None = None) -> Hub:
    """Open (and migrate) the hub database `target` and return its context.

    The signing key lives in the database, so every web worker and the matching worker share it.
    """
    engine = open_hub(target)
    with engine.begin() as conn:
        key = stored_settings.get_or_create(conn, "secret_key", secrets.token_hex(32))
    return Hub(engine=engine, secret=bytes.fromhex(key), clock=clock or _utc_now)
