"""Event triage: which upcoming events are worth the evening — for whom the user can help there first.

An event is scored in [0, 1] from four parts, each saturating (1 − e^(−n/s)) so that a few people already count
and a crowd does not swamp the rest:

    score = 0.45 · help + 0.25 · keep-warm + 0.20 · goal + 0.10 · for-you

* help — attendees with an open need the user can serve (a giveable of the user's, or an introduction to a
  contact whose offer fits), and pairs of attendees who should meet. It weighs most: give first (Grant,
  *Give and Take*) — the people there are the user's network whether or not the user needs anything from them.
* keep-warm — cooling ties among the attendees (past their rhythm, at risk, light ties with history); one
  evening tends several relationships at once.
* goal — the event is in a goal's place (a Florida meetup for "move to Florida") or attendees reach a goal.
* for-you — attendees whose offers serve the user's own open needs. Weighs least, on purpose: judging every
  invitation by "what's in it for me" is the trap (skipping the meeting in the city one is leaving).

Every part that fires adds a reason a person can read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

WEIGHTS = {"help": 0.45, "keep_warm": 0.25, "goal": 0.20, "for_you": 0.10}


@dataclass(frozen=True)
class Attendee:
    person_id: int
    name: str
    status: str  # expected | member | met
    warmth: str  # warm | cooling | dormant | cold
    helps: tuple[str, ...] = ()  # how the user can help them ("needs X — your offer: Y")
    serves_me: tuple[str, ...] = ()  # their offers that fit the user's needs
    goal: str | None = None  # why they reach a goal


@dataclass(frozen=True)
class EventFacts:
    event_id: int
    title: str
    starts_at: datetime
    location: str | None
    attendees: tuple[Attendee, ...]
    intro_pairs: tuple[str, ...] = ()  # "Priya → Raj: vendor scorecards" among attendees
    goal_place: str | None = None  # the goal the event's place serves ("Move to Florida"), if any
    open_goals: bool = False  # the user has goals (so "not on the way" can be said)


@dataclass(frozen=True)
class Triage:
    score: float
    parts: dict[str, float] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()


def saturate(n: float, scale: float) -> float:
    return 1.0 - math.exp(-max(n, 0.0) / scale)


def _names(people: list[Attendee], limit: int = 3) -> str:
    shown = ", ".join(a.name for a in people[:limit])
    return shown + (f" and {len(people) - limit} more" if len(people) > limit else "")


def triage(event: EventFacts) -> Triage:
    """Return the event's score, its parts and the reasons, give-first parts first."""
    helpable = [a for a in event.attendees if a.helps]
    cooling = [a for a in event.attendees if a.warmth == "cooling"]
    warm = [a for a in event.attendees if a.warmth == "warm"]
    reach = [a for a in event.attendees if a.goal]
    for_me = [a for a in event.attendees if a.serves_me]
    parts = {
        "help": saturate(len(helpable) + 0.5 * len(event.intro_pairs), 2.0),
        "keep_warm": saturate(len(cooling) + 0.25 * len(warm), 2.5),
        "goal": 1.0 if event.goal_place else 0.8 * saturate(len(reach), 2.0),
        "for_you": saturate(len(for_me), 1.5),
    }
    score = sum(WEIGHTS[k] * v for k, v in parts.items())
    reasons: list[str] = []
    if helpable:
        reasons.append(f"you can help {len(helpable)} {'person' if len(helpable) == 1 else 'people'} there")
        reasons += [f"  {a.name}: {a.helps[0]}" for a in helpable[:4]]
    if event.intro_pairs:
        reasons.append("introductions to make there: " + "; ".join(event.intro_pairs[:3]))
    if cooling:
        reasons.append(f"keeps {len(cooling)} cooling tie{'s' if len(cooling) > 1 else ''} warm: {_names(cooling)}")
    elif warm:
        reasons.append(f"{len(warm)} warm tie{'s' if len(warm) > 1 else ''} will be there: {_names(warm)}")
    if event.goal_place:
        reasons.append(f"toward your goal “{event.goal_place}”: it is held in {event.location}")
    elif reach:
        reasons.append(f"{len(reach)} there reach your goals: {_names(reach)}")
    if for_me:
        reasons.append(f"for you: {for_me[0].name} — {for_me[0].serves_me[0]}")
    if event.open_goals and not event.goal_place and not reach and helpable:
        reasons.append("not on the way to your goal — but these people are still your network, and helping them is "
                       "the point")  # fmt: skip
    if not reasons:
        reasons.append("nobody you know is expected yet: go to meet new people, or skip it")
    return Triage(score, parts, tuple(reasons))
