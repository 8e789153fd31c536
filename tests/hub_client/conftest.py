"""Fixtures for the personal app as a hub's client: a real hub served on loopback (its own SQLite file, apart from
the personal database, which runs on every configured backend), with a chapter, members and their API tokens."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from givefirst.hub.domain.access import Role
from givefirst.hub.services import api_tokens
from givefirst.hub.services.context import Hub, connect
from tests.conftest import NOW
from tests.hub import factory
from tests.hub.server import hub_server


@dataclass
class ChapterHub:
    """A running hub: `url`, the chapter, and members by name → (member id, API token)."""

    hub: Hub
    url: str
    chapter_id: int
    members: dict[str, tuple[int, str]] = field(default_factory=dict)

    def add_member(self, name: str, role: Role = Role.MEMBER) -> tuple[int, str]:
        member_id = factory.member(self.hub, self.chapter_id, name, role)
        token = api_tokens.create(self.hub, member_id, "givefirst on my laptop")
        self.members[name] = (member_id, token)
        return member_id, token

    def token(self, name: str) -> str:
        return self.members[name][1]


@pytest.fixture
def chapter_hub(tmp_path: Path) -> Iterator[ChapterHub]:
    """A hub on loopback with one chapter and two members, "Dana Member" (the user) and "Sam Seeker"."""
    hub = connect(str(tmp_path / "hub.db"), clock=lambda: NOW)
    chapter_id = factory.chapter(hub, "New York", "New York, NY")
    with hub_server(hub) as url:
        found = ChapterHub(hub, url, chapter_id)
        found.add_member("Dana Member")
        found.add_member("Sam Seeker")
        yield found
    hub.engine.dispose()
