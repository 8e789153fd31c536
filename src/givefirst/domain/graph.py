"""Who knows whom: the strength of a tie between two people from the evidence the user holds about them.

Every piece of evidence is read as an independent chance that the two people know each other well enough for
an introduction, and the edge strength combines them by noisy-OR:

    p(edge) = 1 − Π (1 − p_i)            over every piece of evidence i

so each probability lies in (0, 1], one more piece of evidence never lowers an edge, and many weak signals
(ten email threads) add up to a fair one without ever reaching certainty.

The pieces, and why they weigh what they weigh:

* **shared interactions** — two people on the same meeting, call or email thread. A meeting of three tells more
  than a thread of twenty: the chance is divided by the square root of the number of other people on it (in a
  small group everyone talks to everyone; in a large one, few pairs do — Gilbert & Karahalios 2009 read
  strength from the same "who writes to whom" signals). Old evidence fades with a three-year half-life but
  keeps a third of its weight: people who worked together years ago still know each other (Levin, Walter &
  Murnighan 2011 on dormant ties).
* **a shared employer** — the same organization (or a company email domain, which is where former employers
  show). Two people in a team of ten almost surely know each other, in a company of five thousand hardly: the
  chance falls with the square root of the group's size. Dates of employment are not recorded, so overlap
  cannot be checked; the weight is kept modest for that reason.
* **an introduction the user made** — they have met, through the user.
* **a relationship the user recorded** (`givefirst link A B --as colleague`) — the user's own word, the
  strongest evidence: family 0.9, friend 0.8, colleague or mentor 0.7, client 0.6, classmate or "knows" 0.5.

The user's own ties are not evidence-based: their strength is tie strength (`strength.py`), floored at
`USER_FLOOR` so that a contact the user has only just met is a (weak) edge rather than none.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

USER_FLOOR = 0.02  # the user's weakest real tie: still an edge, if a long shot
MIN_P = 1e-4  # no evidence is read as a zero chance: the probabilities stay in (0, 1]
AGE_HALF_LIFE_YEARS = 3.0
AGE_FLOOR = 0.35  # old shared history keeps a third of its weight
MAX_GROUP = 40  # a broadcast or a conference of hundreds says little about any pair on it
EMPLOYER_MAX_GROUP = 150


class EvidenceKind(StrEnum):
    MEETING = "meeting"  # meetings, calls and video calls together
    EVENT = "event"  # the same event or chapter meeting
    THREAD = "thread"  # the same email thread or group message
    EMPLOYER = "employer"  # the same organization or company email domain
    INTRODUCED = "introduced"  # introduced to each other by the user
    LINK = "link"  # a relationship the user recorded


# The chance that one shared interaction of a kind, with one other person on it, means they know each other.
INTERACTION_BASE = {
    "meeting": (EvidenceKind.MEETING, 0.35),
    "call": (EvidenceKind.MEETING, 0.35),
    "video": (EvidenceKind.MEETING, 0.3),
    "event": (EvidenceKind.EVENT, 0.12),
    "email": (EvidenceKind.THREAD, 0.1),
    "message": (EvidenceKind.THREAD, 0.1),
}
LINK_KINDS = {
    "family": 0.9,
    "friend": 0.8,
    "colleague": 0.7,
    "mentor": 0.7,
    "client": 0.6,
    "classmate": 0.5,
    "knows": 0.5,
}
INTRODUCED_P = 0.6
EMPLOYER_BASE = 0.35

LABELS = {
    EvidenceKind.MEETING: ("met together", "meetings together"),
    EvidenceKind.EVENT: ("at the same event", "at the same events"),
    EvidenceKind.THREAD: ("on the same thread", "on the same threads"),
    EvidenceKind.EMPLOYER: ("share an employer", "share employers"),
    EvidenceKind.INTRODUCED: ("introduced by you", "introduced by you"),
    EvidenceKind.LINK: ("you said they know each other", "you said they know each other"),
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """All the evidence of one kind about one pair: how many pieces, their combined chance, and a detail."""

    kind: EvidenceKind
    count: int
    probability: float
    detail: str = ""  # "colleague", "Hartwell Logistics"

    def describe(self) -> str:
        one, many = LABELS[self.kind]
        if self.kind is EvidenceKind.LINK:
            return f"you recorded them as {self.detail}" if self.detail else one
        if self.kind is EvidenceKind.EMPLOYER:
            return f"both at {self.detail}" if self.detail else one
        if self.kind is EvidenceKind.INTRODUCED:
            return one
        return f"{self.count} {many}" if self.count > 1 else one


def clamp(p: float) -> float:
    """Return `p` inside (0, 1]."""
    return min(max(p, MIN_P), 1.0)


def age_factor(age_days: float) -> float:
    """Return the weight of evidence `age_days` old: halves every three years, never below a third."""
    years = max(age_days, 0.0) / 365.25
    fade: float = 0.5 ** (years / AGE_HALF_LIFE_YEARS)
    return max(AGE_FLOOR, fade)


def interaction_probability(kind: str, others: int, age_days: float) -> tuple[EvidenceKind, float] | None:
    """Return the evidence kind and chance of one shared interaction, with `others` other people on it.

    `others` counts the people on the interaction besides the pair's own member (so 1 for a pair alone with
    the user). None for kinds that say nothing (notes) or groups too large to mean anything.
    """
    found = INTERACTION_BASE.get(kind)
    if found is None or others < 1 or others >= MAX_GROUP:
        return None
    evidence, base = found
    return evidence, clamp(base / math.sqrt(others) * age_factor(age_days))


def employer_probability(group_size: int) -> float | None:
    """Return the chance two people in a group of `group_size` at one employer know each other (None: too big)."""
    if group_size < 2 or group_size > EMPLOYER_MAX_GROUP:
        return None
    return clamp(EMPLOYER_BASE * math.sqrt(min(1.0, 10.0 / group_size)))


def link_probability(kind: str) -> float:
    """Return the chance carried by a relationship the user recorded (unknown kinds count as "knows")."""
    return LINK_KINDS.get(kind, LINK_KINDS["knows"])


def noisy_or(probabilities: Iterable[float]) -> float:
    """Return 1 − Π(1 − p): the chance at least one piece of evidence is right, in (0, 1]."""
    miss = 1.0
    for p in probabilities:
        miss *= 1.0 - clamp(p)
    return clamp(1.0 - miss)


def edge_strength(evidence: Iterable[Evidence]) -> float:
    """Return the strength of an edge from all its evidence (noisy-OR of each kind's combined chance)."""
    return noisy_or(e.probability for e in evidence)


def user_edge(strength: float) -> float:
    """Return the probability of an edge between the user and a contact of tie strength `strength`."""
    return clamp(max(strength, USER_FLOOR))


def user_edges(strengths: Any) -> Any:
    """Return `user_edge` of every strength in a numpy array (the same values: maxima and minima are exact)."""
    import numpy as np

    return np.minimum(np.maximum(np.maximum(strengths, USER_FLOOR), MIN_P), 1.0)


def explain(evidence: Iterable[Evidence]) -> str:
    """Return the evidence of an edge as a short phrase, strongest first."""
    ordered = sorted(evidence, key=lambda e: -e.probability)
    return "; ".join(e.describe() for e in ordered)
