"""The hub demo as plain records, keyed by names rather than row ids: the store turns them into rows.

Everything is naive UTC, like the hub's tables. Keys (`"m12"`, `"jordan"`, `"i40"`) tie records together;
`hub.store.demo_rows` gives each its row id in the order of these tuples.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass, field
from datetime import date, datetime


def public_id(rng: random.Random) -> str:
    """A 16-character URL-safe id, drawn from the scenario's generator so the demo is the same every time."""
    return base64.urlsafe_b64encode(rng.randbytes(12)).decode()


@dataclass(frozen=True)
class DemoChapter:
    key: str
    slug: str
    name: str
    region: str
    timezone: str


@dataclass(frozen=True)
class DemoMember:
    key: str
    public_id: str
    name: str
    email: str
    password: str  # the demo's known password; only its Argon2 hash is stored
    role: str
    chapter: str
    sponsor: str | None
    headline: str
    location: str | None
    joined_at: datetime
    last_seen_at: datetime | None
    moving_to: str | None = None
    moving_on: date | None = None
    digest_opt_out: bool = False


@dataclass(frozen=True)
class DemoItem:
    key: str
    public_id: str
    member: str
    kind: str  # need | offer
    text: str
    tags: tuple[str, ...]
    location: str | None
    visibility: str
    created_at: datetime
    status: str = "open"
    closed_at: datetime | None = None


@dataclass(frozen=True)
class DemoEvent:
    key: str
    public_id: str
    chapter: str
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    description: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class DemoRsvp:
    event: str
    member: str
    answer: str  # going | maybe | no
    answered_at: datetime
    checked_in_at: datetime | None = None


@dataclass(frozen=True)
class DemoConversation:
    event: str
    member: str
    other: str
    note: str
    recorded_at: datetime
    follow_up_due: datetime
    followed_up_at: datetime | None = None


@dataclass(frozen=True)
class DemoIntroduction:
    public_id: str
    kind: str  # referral | lead
    need: str
    offer: str
    proposer: str | None
    seeker: str
    helper: str
    seeker_answer: str
    helper_answer: str
    message: str
    created_at: datetime
    event: str | None = None
    connected_at: datetime | None = None
    outcome: str | None = None
    outcome_note: str = ""
    outcome_at: datetime | None = None
    seeker_thanks_public: bool = False
    helper_thanks_public: bool = False


@dataclass(frozen=True)
class DemoHandoff:
    member: str
    from_chapter: str
    to_chapter: str
    status: str
    proposed_at: datetime


@dataclass(frozen=True)
class DemoAudit:
    actor: str
    action: str
    target: str
    detail: str
    at: datetime


@dataclass(frozen=True)
class DemoLogin:
    """A login printed for the visitor: who it shows the hub as."""

    who: str  # "the mover", "a lead"...
    name: str
    email: str
    password: str


@dataclass
class Scenario:
    association: str
    chapters: list[DemoChapter] = field(default_factory=list)
    members: list[DemoMember] = field(default_factory=list)
    items: list[DemoItem] = field(default_factory=list)
    events: list[DemoEvent] = field(default_factory=list)
    rsvps: list[DemoRsvp] = field(default_factory=list)
    conversations: list[DemoConversation] = field(default_factory=list)
    introductions: list[DemoIntroduction] = field(default_factory=list)
    declined: list[tuple[str, str, str]] = field(default_factory=list)  # (need, offer, declined_by)
    handoffs: list[DemoHandoff] = field(default_factory=list)
    audit: list[DemoAudit] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)
