"""Plain records the demo scenario is written in; `services.demo` loads them through the real services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class DemoPerson:
    key: str  # a stable handle the other records refer to, e.g. "maria-lopez"
    name: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()  # written as people write them; the loader normalises to E.164 (region US)
    organization: str | None = None
    title: str | None = None
    location: str | None = None  # "Brooklyn, NY", "Tampa, FL", "Jersey City, NJ", "Remote"
    tags: tuple[str, ...] = ()
    how_met: str | None = None
    met_on: date | None = None
    introduced_by: str | None = None  # key of another DemoPerson
    notes: str | None = None


@dataclass(frozen=True)
class DemoInteraction:
    at: datetime  # naive UTC; may lie in the future for planned meetings and events
    people: tuple[str, ...]  # keys
    kind: str  # meeting | call | video | event | message | email | note
    direction: str  # outbound | inbound | mutual
    summary: str = ""
    follow_up_on: date | None = None  # a follow-up the user promised themselves


@dataclass(frozen=True)
class DemoExchange:
    person: str  # key
    direction: str  # gave | received | asked
    kind: (
        str  # introduction | job_lead | referral | information | advice | recommendation | invitation | favour | other
    )
    description: str
    at: datetime
    status: str = "done"  # promised | done | declined
    requested: bool = False  # True when the person asked for it (a give the user was asked for)
    due_on: date | None = None  # for promises


@dataclass(frozen=True)
class DemoNeed:
    person: str  # key, or "me"
    text: str
    tags: tuple[str, ...] = ()
    location: str | None = None
    created_at: datetime | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class DemoOffer:
    person: str  # key, or "me"
    text: str
    tags: tuple[str, ...] = ()
    location: str | None = None
    created_at: datetime | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class Scenario:
    me: DemoPerson
    people: list[DemoPerson] = field(default_factory=list)
    interactions: list[DemoInteraction] = field(default_factory=list)
    exchanges: list[DemoExchange] = field(default_factory=list)
    needs: list[DemoNeed] = field(default_factory=list)
    offers: list[DemoOffer] = field(default_factory=list)
    reach: Reach = field(default_factory=lambda: Reach())


@dataclass(frozen=True)
class DemoChapter:
    key: str
    organization: str
    name: str
    location: str
    tag: str  # contacts with this tag are its members


@dataclass(frozen=True)
class DemoMembership:
    person: str  # key, or "me"
    chapter: str  # chapter key
    role: str = "member"
    sponsor: str | None = None  # key


@dataclass(frozen=True)
class DemoEvent:
    title: str
    starts_at: datetime
    chapter: str | None  # chapter key
    location: str | None
    expected: tuple[str, ...] = ()  # keys


@dataclass(frozen=True)
class DemoGoal:
    title: str
    place: str | None = None
    roles: str = ""
    tags: str = ""


@dataclass(frozen=True)
class Reach:
    """The reach part of the scenario: chapters and memberships, events ahead, the user's goals."""

    chapters: tuple[DemoChapter, ...] = ()
    memberships: tuple[DemoMembership, ...] = ()
    events: tuple[DemoEvent, ...] = ()
    goals: tuple[DemoGoal, ...] = ()
