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


def event(hub: Hub, chapter_id: int, title: str = "Monthly meeting", *, days: float = 7, hours: float = 2) -> str:
    """An event of `chapter_id` starting `days` from the hub's now (negative: in the past); its public id."""
    from datetime import timedelta

    from givefirst.hub.store.schema import events

    public_id = secrets.token_urlsafe(12)
    starts = hub.now() + timedelta(days=days)
    with hub.engine.begin() as conn:
        conn.execute(
            events.insert().values(
                public_id=public_id,
                chapter_id=chapter_id,
                title=title,
                starts_at=starts,
                ends_at=starts + timedelta(hours=hours),
                place="The library",
                created_at=hub.now(),
            )
        )
    return public_id


def rsvp(hub: Hub, event_public_id: str, member_id: int, answer: str = "going", checked_in: bool = False) -> None:
    from sqlalchemy import select

    from givefirst.hub.store.schema import events, rsvps

    with hub.engine.begin() as conn:
        event_id = conn.execute(select(events.c.id).where(events.c.public_id == event_public_id)).scalar_one()
        conn.execute(
            rsvps.insert().values(
                event_id=event_id,
                member_id=member_id,
                answer=answer,
                answered_at=hub.now(),
                checked_in_at=hub.now() if checked_in else None,
            )
        )


def match(hub: Hub, need_id: int, offer_id: int, score: float = 0.9) -> None:
    """A row of `matches` as hub-board's engine writes it."""
    from givefirst.hub.store.schema import matches

    with hub.engine.begin() as conn:
        conn.execute(
            matches.insert().values(
                need_id=need_id, offer_id=offer_id, score=score, explanation="{}", computed_at=hub.now()
            )
        )


def introduction(hub: Hub, seeker_id: int, helper_id: int, **values: object) -> str:
    from givefirst.hub.store.schema import introductions

    public_id = secrets.token_urlsafe(12)
    with hub.engine.begin() as conn:
        conn.execute(
            introductions.insert().values(
                public_id=public_id, seeker_id=seeker_id, helper_id=helper_id, created_at=hub.now(), **values
            )
        )
    return public_id


def update_member(hub: Hub, member_id: int, **values: object) -> int:
    """Change a member's columns (joined_at, last_seen_at, moving_to…) after `member` made them; their id."""
    from sqlalchemy import update

    with hub.engine.begin() as conn:
        conn.execute(update(members).where(members.c.id == member_id).values(**values))
    return member_id


def aged_item(hub: Hub, member_id: int, kind: str, text: str, days: float, **values: object) -> int:
    """An item posted `days` before the hub's now (`item` stamps it now); its id."""
    from datetime import timedelta

    from sqlalchemy import update

    found = item(hub, member_id, kind, text, **values)  # type: ignore[arg-type]
    then = hub.now() - timedelta(days=days)
    with hub.engine.begin() as conn:
        conn.execute(update(items).where(items.c.id == found).values(created_at=then, updated_at=then))
    return found
