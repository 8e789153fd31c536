"""Ages in needs and offers (`domain.match_ages`), with sentences of our own (none from a labelled set)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from givefirst.domain.match_ages import OLDEST, age_clash, ages_served, person_age


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Looking for a piano teacher for my 9-year-old in Tulsa", 9),
        ("Our two-year-old daughter says maybe ten words", 2),
        ("Our little girl is 18 months old and still not walking", 1),
        ("I'm 67 years old and want to learn to swim", 67),
        ("Guitar lessons for my 34-year-old brother, who just moved here", 34),
        ("We're moving with a 4- and a 7-year-old", None),  # two people
        ("Need someone to teach chess to a room of 12-year-olds", None),  # a group
        ("Our 30-year-old furnace bangs every morning", None),  # a thing
        ("Twelve years in hotel kitchens, looking for a sous chef job", None),
        # (m31) an age with no "old": the speaker's, or a relative's, ending its clause
        ("I'm 15 and want to shadow a vet this summer", 15),
        ("My sister is 41, deaf, and needs a dentist who signs", 41),
        ("I'm 16 weeks pregnant and need a midwife", None),
        ("My team is 12, all remote", None),  # no relative: a team's size
        ("I am two hours from Denver", None),
        ("I'm 3,000 miles away from my mother's house", None),
    ],
)
def test_a_person_s_age_is_read_only_where_it_is_plain(text: str, age: int | None) -> None:
    assert person_age(text) == age


@pytest.mark.parametrize(
    ("text", "served"),
    [
        ("Saturday art classes for ages 5 to 9 in Mesa", (5, 9)),
        ("Tennis clinics, ages 14 and up", (14, OLDEST)),
        ("Feeding therapist for children under three", (0, 2)),
        ("Pediatric dentist: first tooth up to age 15", (0, 15)),
        ("Strength classes for adults only, any level", (18, OLDEST)),
        ("Junior rowing for ages 10 to 17 and adult learn-to-row evenings", None),  # serves adults too
        ("Math tutor for middle and high school", None),
        # (m31) children up to an age; a lower bound set off by a comma
        ("Orthodontist for children up to 14 only", (0, 14)),
        ("Paid internships for college students, 18 and over", (18, OLDEST)),
        ("Groups of 10 and over get a discount", None),  # a group's size, not an age
        ("Campaign strategist — 30+ launches, mostly hardware", None),  # a count
        # (m32) "N or older" wherever it stands; "and over" is read only where it is set off
        ("Paid summer lab placement — applicants must be in sixth form and 17 or older", (17, OLDEST)),
        ("Trades taster days for school leavers 16 or older", (16, OLDEST)),
        ("Free delivery on orders of 50 and over", None),
        ("We restore boats 40 years or older", None),  # a thing's age
        # (m35) an age asked with "need to be", "have to be", ending its clause
        ("Lifeguard course: you need to be 15, swim 300 metres and tread water for two minutes", (15, OLDEST)),
        ("Bar staff have to be 21 and hold a food handler card", (21, OLDEST)),
        ("The booth has to be 10 feet wide", None),  # a size
        ("Orders need to be 2 weeks ahead", None),  # a span of time
    ],
)
def test_the_ages_an_offer_serves(text: str, served: tuple[int, int] | None) -> None:
    assert ages_served(text) == served


@given(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99))
def test_an_age_clashes_exactly_when_it_is_outside_the_ages_served(age: int, low: int, high: int) -> None:
    low, high = min(low, high), max(low, high)
    assert bool(age_clash(age, (low, high))) == (not low <= age <= high)
    assert not age_clash(None, (low, high)) and not age_clash(age, None)  # one side unknown: no clash


def test_a_grown_brother_is_not_shown_children_s_classes() -> None:
    from givefirst.domain.match_constraints import Constraints, constraint_clash

    need = Constraints.of("Guitar lessons for my 34-year-old brother, who just moved here")
    assert constraint_clash(need, Constraints.of("Guitar lessons for kids ages 6 to 12")) == "ages: 34 against 6 to 12"
    assert not constraint_clash(need, Constraints.of("Guitar lessons for every age, evenings"))
    # The ages a need names are whom its work serves, not what the people answering it must be.
    hiring = Constraints.of("Our after-school program needs a guitar teacher for kids ages 6 to 12")
    assert not constraint_clash(hiring, Constraints.of("I'm 67 years old, retired music teacher, free afternoons"))
