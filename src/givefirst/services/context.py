"""The composition root: one `App` holds the engine, the settings and "now"; CLI, web and tests build it here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

from sqlalchemy import Connection, Engine

from givefirst.config import Settings
from givefirst.domain.plan_model import PlanSettings
from givefirst.domain.weights import Weights
from givefirst.store import people as people_store
from givefirst.store.database import open_database


@dataclass
class App:
    engine: Engine
    settings: Settings
    now: datetime  # naive UTC, fixed for the whole command so every score agrees

    @property
    def weights(self) -> Weights:
        return self.settings.weights

    @property
    def plan_settings(self) -> PlanSettings:
        return self.settings.plan

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A transaction: everything inside lands together or not at all."""
        with self.engine.begin() as conn:
            yield conn

    def me(self, conn: Connection) -> int:
        """Return the user's own person id, creating a placeholder "Me" on first use."""
        found = people_store.me_id(conn)
        if found is not None:
            return found
        return people_store.insert_person(conn, {"name": "Me", "is_me": True}, self.now)

    def close(self) -> None:
        self.engine.dispose()


def current_time(settings: Settings) -> datetime:
    """Return "now": the real time in UTC, or noon of the fixed day when `today` is set."""
    if settings.today is not None:
        return datetime.combine(settings.today, time(12, 0))
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def open_app(settings: Settings, now: datetime | None = None) -> App:
    """Open the database named by the settings (migrating it on first use) and return the App."""
    if settings.database_is_default and "://" not in settings.database:
        Path(settings.database).parent.mkdir(parents=True, exist_ok=True)
    engine = open_database(settings.database)
    return App(engine=engine, settings=settings, now=now or current_time(settings))
