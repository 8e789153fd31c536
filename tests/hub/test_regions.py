"""Which chapter a place falls in: the closest naming in a chapter's region wins; a tie hands it to nobody."""

from __future__ import annotations

import pytest

from givefirst.hub.domain.model import Chapter
from givefirst.hub.domain.regions import chapter_for_place, region_closeness

NY = Chapter(1, "ny", "AOP New York", "New York, NY; Brooklyn, NY; Yonkers, NY", "America/New_York")
NJ = Chapter(2, "nj", "AOP New Jersey", "New Jersey; Newark, NJ; Jersey City, NJ; Hoboken, NJ", "America/New_York")
FL = Chapter(3, "fl", "AOP Florida", "Florida; Tampa, FL; Miami, FL", "America/New_York")
CHAPTERS = (NY, NJ, FL)


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("Tampa, FL", FL),  # the city itself
        ("St. Petersburg, FL", FL),  # the Tampa metro area
        ("Lakeland, FL", FL),  # the state only
        ("Queens, NY", NY),  # the New York metro area
        ("Newark, NJ", NJ),  # the gazetteer puts Newark in the New York metro: the city named by NJ wins
        ("Jersey City, NJ", NJ),
        ("Edison, NJ", NJ),
        ("Austin, TX", None),
        ("", None),
        (None, None),
    ],
)
def test_chapter_for_place(place: str | None, expected: Chapter | None) -> None:
    assert chapter_for_place(place, CHAPTERS) == expected


def test_the_closer_naming_wins_and_a_tie_goes_to_nobody() -> None:
    assert region_closeness("Tampa, FL", FL.region) == 3
    assert region_closeness("Clearwater, FL", FL.region) == 2
    assert region_closeness("Orlando, FL", FL.region) == 1
    tampa_bay = Chapter(4, "tb", "AOP Tampa Bay", "Tampa, FL", "America/New_York")
    assert chapter_for_place("Orlando, FL", (FL, tampa_bay)) == FL  # the state names it; Tampa Bay does not
    assert chapter_for_place("Tampa, FL", (FL, tampa_bay)) is None  # both name Tampa: a lead decides
    assert chapter_for_place("Tampa, FL", ()) is None
