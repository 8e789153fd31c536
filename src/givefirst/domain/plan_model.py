"""What the daily plan reads and returns: the snapshot of the network (`PlanInput`), its settings, its items.

Kept apart from `plan.py`, which builds the plan, so that the services can gather the snapshot without the
builder and the builder reads as one piece.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from givefirst.domain.match_calibration import BEST_THRESHOLD, DISPLAY_THRESHOLD
from givefirst.domain.model import ItemKind, NeedOrOffer, Tier, TieStats

if TYPE_CHECKING:  # annotations only: the settings (config.py) import this module on every command's start-up
    from givefirst.domain.introductions import Intro
    from givefirst.domain.match_score import MatchScore


class PersonView(NamedTuple):  # a named tuple: one per person in the network, built fast
    id: int
    name: str
    stats: TieStats
    strength_override: float | None = None
    tier_override: Tier | None = None
    cadence_override: int | None = None


@dataclass(frozen=True, slots=True)
class Promise:
    exchange_id: int
    person_id: int
    description: str
    created_at: datetime
    due_on: date | None = None
    requested: bool = False


@dataclass(frozen=True, slots=True)
class IntroNudge:
    """The introduction a follow-up belongs to: its next step, not a generic check-in, is what is due."""

    intro_id: int
    intro: Intro
    first_id: int
    second_id: int


@dataclass(frozen=True, slots=True)
class Touchpoint:
    """A follow-up or a planned meeting: an interaction that asks something of the user."""

    interaction_id: int
    at: datetime  # when it happened or is planned
    person_ids: tuple[int, ...]
    summary: str
    follow_up_on: date | None = None
    introduction: IntroNudge | None = None  # a step of an introduction left this follow-up


@dataclass(frozen=True, slots=True)
class EventItem:
    """An upcoming event with its triage already worked out (`domain.events`)."""

    event_id: int
    title: str
    starts_at: datetime
    person_ids: tuple[int, ...]
    score: float  # triage score in [0, 1]
    reasons: tuple[str, ...]
    helpable: tuple[str, ...] = ()  # names of people the user can help there


@dataclass(frozen=True, slots=True)
class ChapterGive:
    """A need on a chapter hub's board that one of the user's offers, or a contact's, meets (services/hub_matching).

    The needer is a hub member, not a local person; the offer is local and never leaves the machine.
    """

    board_id: int  # hub_board_items.id
    chapter: str  # the chapter's name on the hub ("New York")
    member_name: str  # who needs it, as the hub names them
    need_text: str
    offer: NeedOrOffer  # the user's own offer or a contact's
    score: float  # the matching engine's calibrated chance
    hub_note: str | None = None  # why the hub did not answer the last sync, when it did not


CHAPTER_MESSAGE = "I think I can help with this, directly or through someone I know. Happy to talk."

FRESH_FOLLOW_UP_DAYS = 2  # a follow-up this soon after meeting someone comes first
REAL_TIE_MIN = 3  # two-way touches before a silent tie counts as a real relationship worth reviving
GOAL_BOOST = 0.25  # how much reaching a goal adds to an item's score (scores run about 0.5 to 1.5 within a section)


@dataclass(frozen=True)
class PlanInput:
    me_id: int
    people: Mapping[int, PersonView]  # everyone but the user
    promises: list[Promise] = field(default_factory=list)
    follow_ups: list[Touchpoint] = field(default_factory=list)  # not yet done
    planned: list[Touchpoint] = field(default_factory=list)  # planned interactions not yet confirmed
    needs: list[NeedOrOffer] = field(default_factory=list)  # open needs of anyone
    # Open offers: not read by `build_plan` (its gives are `suggestions`, which carry their offers), nor filled by
    # `services.plan_inputs.gather`; what a test scores its suggestions from.
    offers: list[NeedOrOffer] = field(default_factory=list)
    given_pairs: frozenset[tuple[int, int]] = frozenset()  # (need id, offer id) already acted on
    # the matching engine's pairs the app shows (services.matching.cached), best first, free of introduced pairs
    suggestions: list[tuple[NeedOrOffer, NeedOrOffer, MatchScore]] = field(default_factory=list)
    snoozed_people: frozenset[int] = frozenset()
    snoozed_items: frozenset[str] = frozenset()
    revivals_this_week: int = 0
    goal_reasons: Mapping[int, str] = field(default_factory=dict)  # person → why they reach an open goal
    organizations: Mapping[int, str] = field(default_factory=dict)  # person → employer (novelty of revivals)
    # employer → how many inner, close or active ties there are not in `people` (counted by `services.plan_inputs`): the
    # plan ranks a dormant tie by its employer's active ties, counting those in `people` itself
    active_ties_at: Mapping[str, int] = field(default_factory=dict)
    events: list[EventItem] = field(default_factory=list)  # upcoming events, triaged
    chapter_gives: list[ChapterGive] = field(default_factory=list)  # hub needs the user's or contacts' offers meet


@dataclass(frozen=True)
class PlanSettings:
    size: int = 7
    dormant_per_week: int = 3
    match_threshold: float = DISPLAY_THRESHOLD  # a calibrated chance; docs/matching.md: ≥ 85 % shown are useful
    match_best_threshold: float = BEST_THRESHOLD  # a need's best pair is shown from this chance (services.match_shown)
    upcoming_days: int = 14
    follow_up_lead_days: int = 1  # show a follow-up this many days before it falls due
    broker_min_strength: float = 0.06  # the user must know an offerer this well to introduce them
    give_candidates: int = 150  # the engine's best pairs the plan reads (its cache, best first)


def shown_floor(s: PlanSettings) -> float:
    """The lowest chance of a suggestion the app shows: a need's best pair may be shown below `match_threshold`
    (`PlanInput.suggestions` holds only the pairs the display rule shows: `services.match_shown`)."""
    return min(s.match_threshold, s.match_best_threshold)


@dataclass(frozen=True, slots=True)
class PlanItem:
    key: str  # stable id: `givefirst done KEY`, `givefirst snooze KEY`
    kind: ItemKind
    people: tuple[tuple[int, str], ...]  # (id, name)
    title: str
    why: tuple[str, ...]
    message: str
    score: float

    @property
    def command(self) -> str:
        return f"givefirst done {self.key}"
