"""Dormant ties worth reviving: ranked by what reconnecting could do now, not only by how close you once were.

Levin, Walter & Murnighan (2011) found that reconnecting with dormant ties gives more novel, useful knowledge
than asking current ties, and that the best revivals are not simply the people one was closest to: ties that
were real but are now far from one's current circle bring what the current circle cannot. Walter et al. (2015)
add that people shy away from reviving ties for fear it looks self-serving — which a give opens well.

    score = 0.30 · relevance + 0.30 · give + 0.20 · novelty + 0.20 · closeness

* relevance — they reach an open goal (1.0), or one of their offers fits one of the user's own needs (0.8);
* give — the user can serve one of their open needs (1.0), or they have an open need at all (0.5): a reason to
  write that is about them;
* novelty — none of the user's active ties works where they work (1.0), some do (0.3), unknown employer (0.5):
  the non-redundant information that makes dormant ties valuable (Granovetter's weak ties, Burt's holes);
* closeness — the non-decaying history of the relationship (`strength.history_term`, normalised to [0, 1]),
  so a tie that was real still counts, without drowning the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

WEIGHTS = {"relevance": 0.30, "give": 0.30, "novelty": 0.20, "closeness": 0.20}


@dataclass(frozen=True, slots=True)
class DormantFacts:
    person_id: int
    name: str
    years_silent: float
    two_way_count: int
    closeness: float  # history term / history weight, in [0, 1]
    goal: str | None = None  # why they reach a goal
    serves_me: str | None = None  # their offer that fits one of the user's needs
    can_give: str | None = None  # the user's offer (or an intro) for one of their needs
    open_need: str | None = None
    organization: str | None = None
    active_ties_there: int | None = None  # the user's active ties at their organization (None: no organization)


@dataclass(frozen=True, slots=True)
class Revival:
    person_id: int
    score: float
    parts: Mapping[str, float]
    reasons: tuple[str, ...]


def revival(f: DormantFacts) -> Revival:
    """Return how worthwhile reviving this dormant tie is now, in [0, 1], with the reasons."""
    relevance = 1.0 if f.goal else 0.8 if f.serves_me else 0.0
    give = 1.0 if f.can_give else 0.5 if f.open_need else 0.0
    novelty = 0.5 if f.active_ties_there is None else 1.0 if f.active_ties_there == 0 else 0.3
    closeness = min(max(f.closeness, 0.0), 1.0)
    parts = {"relevance": relevance, "give": give, "novelty": novelty, "closeness": closeness}
    score = sum(WEIGHTS[k] * v for k, v in parts.items())
    reasons = [f"a real relationship gone quiet: {f.two_way_count} two-way touches, silent {f.years_silent:.1f} years"]
    if f.goal:
        reasons.append(f.goal)
    if f.can_give:
        reasons.append(f"you could give first: {f.can_give}")
    elif f.open_need:
        reasons.append(f"they are looking for: {f.open_need}")
    if f.serves_me:
        reasons.append(f"they offer what you need: {f.serves_me}")
    if f.organization and f.active_ties_there == 0:
        reasons.append(f"novel: none of your active ties is at {f.organization} — news your circle does not have")
    return Revival(f.person_id, min(score, 1.0), parts, tuple(reasons))
