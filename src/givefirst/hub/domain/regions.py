"""Which chapter a place falls in: a member's location or "moving to" read against each chapter's region.

Pure: the places are read with the personal app's gazetteer (`givefirst.domain.gazetteer`), so "St. Petersburg"
falls in a chapter whose region says "Tampa, FL", and "Hoboken" in one that says "New York". A chapter's region is
a list of places separated by ";" ("New York, NY; Long Island"); the most precise agreement wins (the same city,
then the same metro area, then the same state), and a tie between chapters is no answer rather than a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from givefirst.domain.gazetteer import PlaceRef, find_places
from givefirst.hub.domain.model import Chapter

CITY, METRO, STATE = 3, 2, 1


def _agreement(place: PlaceRef, region: PlaceRef) -> int:
    """Return how precisely `place` falls inside `region`: 3 same city, 2 same metro, 1 same state, 0 none."""
    if place.country != region.country:
        return 0
    if region.city and place.city == region.city:
        return CITY
    if region.metro and place.metro == region.metro and place.state == region.state:
        return METRO
    if region.state and place.state == region.state and not (region.city or region.metro):
        return STATE  # a region that names a whole state takes every place in it; a city's region does not
    return 0


def chapter_places(chapter: Chapter) -> tuple[PlaceRef, ...]:
    return tuple(ref for part in chapter.region.split(";") for ref in find_places(part))


def chapter_for(place: str | None, chapters: Iterable[Chapter]) -> Chapter | None:
    """Return the one chapter whose region takes `place` most precisely, or None (no place, none, or a tie)."""
    refs = find_places(place)
    if not refs:
        return None
    best: list[tuple[int, Chapter]] = []
    for chapter in chapters:
        score = max(
            (_agreement(ref, region) for ref in refs for region in chapter_places(chapter)),
            default=0,
        )
        if score:
            best.append((score, chapter))
    if not best:
        return None
    top = max(score for score, _ in best)
    winners = [chapter for score, chapter in best if score == top]
    return winners[0] if len(winners) == 1 else None


@dataclass(frozen=True, slots=True)
class Move:
    """A member whose new place falls in another chapter: from their chapter into `to_chapter`."""

    from_chapter_id: int
    to_chapter: Chapter
    because: str  # the place that said so ("Tampa, FL")


def proposed_move(
    chapter_id: int, location: str | None, moving_to: str | None, chapters: Iterable[Chapter]
) -> Move | None:
    """Return the handoff a member's places call for, or None when they stay in their chapter's region.

    "Moving to" speaks first (the member told us where they are going); a location outside the chapter's region
    is the other sign (they have already moved and not said so).
    """
    known = list(chapters)
    for place in (moving_to, location):
        target = chapter_for(place, known)
        if target is not None:
            return Move(chapter_id, target, place or "") if target.id != chapter_id else None
    return None
