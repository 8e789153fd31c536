"""Which chapter a place falls in: a chapter's `region` read by the gazetteer, against a member's location.

A chapter's region is a list of places ("Florida; Tampa, FL; Orlando, FL"). A place belongs to the chapter whose
region names it most closely: the same city beats the same metro area, which beats a state the region names as a
whole. When two chapters tie at the closest level, the place is ambiguous and belongs to neither (the hub then
asks a lead, rather than hand a member to the wrong chapter).
"""

from __future__ import annotations

from collections.abc import Sequence

from givefirst.domain.gazetteer import PlaceRef, find_places
from givefirst.hub.domain.model import Chapter


def _closeness(place: PlaceRef, region: PlaceRef) -> int:
    """3: the same city; 2: the same metro area; 1: in a state the region names as a whole; 0: unrelated."""
    if place.country != region.country:
        return 0
    if place.city and place.city == region.city:
        return 3
    if place.metro and place.metro == region.metro and place.state == region.state:
        return 2
    if place.state and place.state == region.state and not region.city and not region.metro:
        return 1  # "Tampa, FL" in a region does not claim all of Florida; "Florida" does
    return 0


def region_closeness(place: str | None, region: str) -> int:
    """Return how closely the chapter region `region` names `place` (0: not at all)."""
    # Each part of the region is read on its own: "Newark, NJ; Jersey City, NJ" read as one text would lose
    # which state each city is in (the gazetteer places both in the New York metro area).
    named = [r for part in region.split(";") for r in find_places(part.strip())]
    return max((_closeness(p, r) for p in find_places(place) for r in named), default=0)


def chapter_for_place(place: str | None, chapters: Sequence[Chapter]) -> Chapter | None:
    """Return the chapter whose region holds `place`, or None when none does or two tie at the closest level."""
    scored = [(region_closeness(place, c.region), c) for c in chapters]
    best = max((score for score, _ in scored), default=0)
    if best == 0:
        return None
    winners = [c for score, c in scored if score == best]
    return winners[0] if len(winners) == 1 else None
