"""Building hub rows for tests directly through the schema (the services that make them are tested apart)."""

from __future__ import annotations

import itertools
import secrets
from datetime import datetime

from fastapi.testclient import TestClient

from givefirst.hub.domain.access import Role, Visibility
from givefirst.hub.services import sessions
from givefirst.hub.services.context import Hub
from givefirst.hub.store.schema import chapters, items, members
from givefirst.hub.web.app import SESSION_COOKIE, create_hub_app

_serial = itertools.count(1)


def chapter(hub: Hub, name: str = "New York", region: str = "New York, NY") -> int:
    slug = name.lower().replace(" ", "-") + f"-{next(_serial)}"
    with hub.engine.begin() as conn:
        return int(
            conn.execute(
                chapters.insert().values(slug=slug, name=name, region=region, created_at=hub.now())
            ).inserted_primary_key[0]
        )


def member(hub: Hub, chapter_id: int, name: str = "", role: Role = Role.MEMBER, **values: object) -> int:
    n = next(_serial)
    with hub.engine.begin() as conn:
        return int(
            conn.execute(
                members.insert().values(
                    public_id=secrets.token_urlsafe(12),
                    email=f"member{n}@example.org",
                    name=name or f"Member {n}",
                    role=role.value,
                    chapter_id=chapter_id,
                    joined_at=hub.now(),
                    **values,
                )
            ).inserted_primary_key[0]
        )


def item(
    hub: Hub, member_id: int, kind: str, text: str, visibility: Visibility = Visibility.CHAPTER, **values: object
) -> int:
    now: datetime = hub.now()
    with hub.engine.begin() as conn:
        return int(
            conn.execute(
                items.insert().values(
                    public_id=secrets.token_urlsafe(12),
                    member_id=member_id,
                    kind=kind,
                    text=text,
                    visibility=visibility.value,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            ).inserted_primary_key[0]
        )


def client(hub: Hub, member_id: int | None = None) -> TestClient:
    """A browser on the hub, signed in as `member_id` (or nobody); its CSRF token in `client.csrf`."""
    browser = TestClient(create_hub_app(hub), base_url="http://127.0.0.1")
    browser.csrf = ""  # type: ignore[attr-defined]
    if member_id is not None:
        secret = sessions.start(hub, member_id)
        browser.cookies.set(SESSION_COOKIE, secret)
        found = sessions.current(hub, secret)
        assert found is not None
        browser.csrf = found[1]  # type: ignore[attr-defined]
    return browser
