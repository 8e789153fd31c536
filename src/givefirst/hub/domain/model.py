"""The hub's records as the rules and pages see them (frozen: read from the store, never edited in place)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from givefirst.hub.domain.access import Role, Viewer, Visibility


@dataclass(frozen=True, slots=True)
class Chapter:
    id: int
    slug: str
    name: str
    region: str
    timezone: str


@dataclass(frozen=True, slots=True)
class Member:
    id: int
    public_id: str
    email: str
    name: str
    role: Role
    chapter_id: int
    sponsor_id: int | None
    headline: str
    location: str | None
    moving_to: str | None
    moving_on: date | None
    digest_opt_out: bool
    joined_at: datetime
    deleted: bool = False

    @property
    def viewer(self) -> Viewer:
        return Viewer(member_id=self.id, chapter_id=self.chapter_id, role=self.role)


@dataclass(frozen=True, slots=True)
class HubItem:
    """A member's need or offer on the hub, with what the access rule needs to know about its owner."""

    id: int
    public_id: str
    member_id: int
    member_chapter_id: int
    kind: str  # need | offer
    text: str
    tags: tuple[str, ...]
    location: str | None
    visibility: Visibility
    status: str
    created_at: datetime
    expires_on: date | None = None
