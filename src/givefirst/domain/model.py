"""The vocabulary of givefirst: enumerations and the plain records the scores work on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple


class InteractionKind(StrEnum):
    """How a touchpoint happened. Weights per kind live in `strength.KIND_WEIGHTS`."""

    MEETING = "meeting"
    CALL = "call"
    VIDEO = "video"
    EVENT = "event"
    MESSAGE = "message"
    EMAIL = "email"
    NOTE = "note"


class Direction(StrEnum):
    """Who started the touchpoint, seen from the user."""

    OUTBOUND = "outbound"
    INBOUND = "inbound"
    MUTUAL = "mutual"


class ExchangeDirection(StrEnum):
    """The give/ask ledger, seen from the user."""

    GAVE = "gave"  # the user gave something to the person
    RECEIVED = "received"  # the person gave something to the user
    ASKED = "asked"  # the user asked the person for something


class ExchangeKind(StrEnum):
    INTRODUCTION = "introduction"
    JOB_LEAD = "job_lead"
    REFERRAL = "referral"
    INFORMATION = "information"
    ADVICE = "advice"
    RECOMMENDATION = "recommendation"
    INVITATION = "invitation"
    FAVOUR = "favour"
    OTHER = "other"


class ExchangeStatus(StrEnum):
    PROMISED = "promised"
    DONE = "done"
    DECLINED = "declined"


class Tier(StrEnum):
    INNER = "inner"
    CLOSE = "close"
    ACTIVE = "active"
    ACQUAINTANCE = "acquaintance"
    DORMANT = "dormant"


class Readiness(StrEnum):
    READY = "ready"
    CAUTION = "caution"
    NOT_READY = "not ready"


class ItemKind(StrEnum):
    """The sections of the daily plan, in the order DESIGN.md gives them."""

    OWE = "owe"
    GIVE = "give"
    KEEP_IN_TOUCH = "keep-in-touch"
    DORMANT = "dormant"
    UPCOMING = "upcoming"


class TieStats(NamedTuple):
    """Running aggregates of one relationship, kept incrementally by the store.

    The decayed sums are valid at `as_of`; `decay.decay_to` moves them to any later moment, so the plan never
    rescans interactions (after Roth et al. 2010, who keep Gmail's interaction rank the same way). A named
    tuple rather than a dataclass: the plan builds one per person, tens of thousands at a time.
    """

    as_of: datetime
    outbound: float = 0.0  # decayed weight of one-way touches from the user
    inbound: float = 0.0  # decayed weight of one-way touches from the person
    mutual: float = 0.0  # decayed weight of two-way touches (meetings, calls)
    gives: float = 0.0  # decayed weight of what the user gave (ledger, done)
    takes: float = 0.0  # decayed weight of what the user asked for or received
    received: float = 0.0  # the part of `takes` that was a favour actually received
    touches: int = 0  # real interactions ever
    two_way_count: int = 0  # inbound and mutual interactions ever (evidence the tie answers back)
    first_at: datetime | None = None
    last_at: datetime | None = None  # last real interaction, whatever its direction
    last_ask_at: datetime | None = None
    last_give_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NeedOrOffer:
    """A need or an offer as the matcher sees it."""

    id: int
    person_id: int
    text: str
    tags: tuple[str, ...] = ()
    location: str | None = None
    created_at: datetime | None = None
    expires_on: date | None = None


@dataclass(frozen=True, slots=True)
class Component:
    """One named, explainable part of a score: its value and what it means."""

    name: str
    value: float
    note: str = ""


@dataclass(frozen=True, slots=True)
class Explained:
    """A score in [0, 1] with the components that made it."""

    score: float
    components: tuple[Component, ...] = field(default_factory=tuple)
