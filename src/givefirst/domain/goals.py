"""Goals and targets: who is "in Florida", "in product", "at Acme" — and how warm the ties that reach them are.

A target (what `givefirst path` looks for, and what a goal is about) is a place, role words, tags or an
organization; a person is in it when every part given matches:

* place — through the offline gazetteer: a state matches every city in it ("Florida" → Tampa, Miami), a city or
  region matches its metro area ("Tampa" → St. Petersburg, Clearwater), a country its cities;
* role — every word appears at the start of a word of the title ("product" → "Head of Product Operations");
* tags — any of the person's tags (industries are tags: "fintech", "healthcare");
* organization — the employer's name contains the text.

Warmth buckets the ties that reach a goal the way the user thinks of them: warm (inner, close, active and in
rhythm), cooling (past their rhythm or at risk, or a light tie with real history), dormant (silent for years),
cold (never really in touch).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from givefirst.domain.gazetteer import PlaceRef, find_places
from givefirst.domain.model import Tier


@dataclass(frozen=True, slots=True)
class PersonFacts:
    location: str | None = None
    title: str | None = None
    organization: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    place: str | None = None
    roles: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    organization: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.place or self.roles or self.tags or self.organization)

    def describe(self) -> str:
        parts = []
        if self.roles:
            parts.append(" ".join(self.roles))
        if self.organization:
            parts.append(f"at {self.organization}")
        if self.place:
            parts.append(f"in {self.place}")
        if self.tags:
            parts.append("in " + " or ".join(self.tags))
        return "someone " + " ".join(parts) if parts else "anyone"


@lru_cache(maxsize=8192)
def places_of(text: str | None) -> tuple[PlaceRef, ...]:
    """Return the places a location names (cached: a network has far fewer places than people)."""
    return find_places(text)


def _within(found: PlaceRef, wanted: PlaceRef) -> bool:
    if wanted.metro:
        return found.metro == wanted.metro
    if wanted.state:
        return found.state == wanted.state
    return bool(wanted.country) and found.country == wanted.country


def place_matches(location: str | None, place: str) -> bool:
    """Return True when `location` lies inside `place` (a state, metro, city, region or country)."""
    wanted = places_of(place)
    if not wanted or not location:
        return False
    return any(_within(f, w) for f in places_of(location) for w in wanted)


@lru_cache(maxsize=256)
def _role_pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(word)}", re.IGNORECASE)


def in_target(person: PersonFacts, target: Target) -> str | None:
    """Return why the person is in the target ("in Tampa, FL; Head of Product"), or None when they are not."""
    if target.empty:
        return None
    why = []
    if target.place:
        if not place_matches(person.location, target.place):
            return None
        why.append(f"in {person.location}")
    if target.roles:
        title = person.title or ""
        if not all(_role_pattern(w).search(title) for w in target.roles):
            return None
        why.append(title)
    if target.organization:
        org = person.organization or ""
        if target.organization.lower() not in org.lower():
            return None
        why.append(f"at {org}")
    if target.tags:
        shared = [t for t in target.tags if t in person.tags]
        if not shared:
            return None
        why.append("tagged " + ", ".join(shared))
    return "; ".join(why)


def warmth(tier: Tier, due: bool, at_risk: bool, two_way_count: int) -> str:
    """Return warm, cooling, dormant or cold for a tie of this tier and rhythm."""
    if tier is Tier.DORMANT:
        return "dormant"
    if tier in (Tier.INNER, Tier.CLOSE, Tier.ACTIVE):
        return "cooling" if (due or at_risk) else "warm"
    return "cooling" if two_way_count > 0 else "cold"


def split_words(text: str | None) -> tuple[str, ...]:
    """Return the lower-case words of a comma- or space-separated list."""
    return tuple(w for w in re.split(r"[,\s]+", (text or "").strip().lower()) if w)
