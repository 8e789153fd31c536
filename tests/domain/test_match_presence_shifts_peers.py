"""Engine m36 (issue 11, patterns 7 and 8): days of presence a week are being on site, a time of the day one has
had enough of is one one cannot give, the only times of one side against the other's (and, m38, a shift named by
its part of the day), and a peer who is "also trying to get into" what the need asks how to get into. Every example
is written for this test."""

from __future__ import annotations

import pytest

from givefirst.domain.location import Place, mentions_onsite, place_fit
from givefirst.domain.match_constraints import Constraints
from givefirst.domain.match_text import SAME_SIDE_SOFT
from tests.domain.test_match_patterns import intent_of


@pytest.mark.parametrize(
    ("text", "onsite"),
    [
        ("Hiring a payroll specialist — hybrid, three days a week in our Denver office.", True),
        ("Hybrid role (2 days in the office), Raleigh.", True),
        ("Dental assistant wanting 4 days a week at one clinic in Tacoma.", True),
        # a choice offered, or no days said
        ("Payroll specialist, open to hybrid or fully remote.", False),
        ("Hybrid (two days) or remote, whichever suits you.", False),
        ("Hybrid cloud engineer looking for my next contract.", False),
    ],
)  # fmt: skip
def test_days_of_presence_a_week_are_being_on_site(text: str, onsite: bool) -> None:
    assert mentions_onsite(text) is onsite


def test_a_hybrid_job_elsewhere_is_no_match_for_someone_remote_only() -> None:
    job = Place.of("Denver, CO", "Hiring a payroll specialist, hybrid 3 days a week in Denver.")
    seeker = Place.of("Tampa, FL", "Payroll specialist, remote only, staying in Tampa.")
    assert place_fit(job, seeker) == (0.0, "one side is onsite only, the other remote only")


@pytest.mark.parametrize(
    ("need", "offer", "clash"),
    [
        ("Warehouse lead looking for a day-shift job near Reno. Done with nights.",
         "Distribution centre hiring leads, nights only.", "nights only, and the other side cannot"),
        ("Paramedic, no more weekends after eight years of them.",
         "Urgent care hiring EMTs: weekends only, 12-hour shifts.", "weekend only, and the other side cannot"),
        ("Tutor wanted for my daughter, weekday afternoons only.",
         "Maths tutor, evenings only after my day job.", "only, and the other side only nights"),
        # a time left that both can give, or one side with no time said
        ("Tutor wanted, weekday afternoons only.", "Maths tutor, Monday afternoons only.", ""),
        ("Paramedic, no more Saturday nights.", "Urgent care hiring EMTs: weekends only.", ""),
        ("Warehouse lead looking for work near Reno.", "Distribution centre hiring leads, nights only.", ""),
        # m38: a shift named by its part of the day, hired for or kept to
        ("Night-shift line cooks needed at our diner.", "Line cook, day shift only — my kids are home at night.",
         "nights required, and the other side only days"),
        ("Bakery hiring overnight packers.", "Looking for packing work, day shifts only.", "nights required"),
        ("Clinic hiring day-shift medical assistants, 8 to 4.", "Medical assistant, mornings only.",
         "days required, and the other side only mornings"),
        # a part of the day inside the shift, a negated shift, a day of the week
        ("Hiring for the morning shift at our café.", "Barista, day shift only.", ""),
        ("Warehouse hiring pickers, no night shift needed.", "Picker, day shift only.", ""),
        ("Looking for Monday help in the shop.", "Shop assistant, day shift only.", ""),
    ],
)  # fmt: skip
def test_the_only_times_and_the_shifts_of_one_side_against_the_other(need: str, offer: str, clash: str) -> None:
    a, b = Constraints.of(need).schedule, Constraints.of(offer).schedule
    found = a.clash(b) or b.clash(a)
    assert (clash in found and found) if clash else not found


def test_someone_also_trying_to_get_into_it_is_a_peer_not_an_answer() -> None:
    need = "How do I break into stand-up comedy in Austin?"
    value, note = intent_of(need, "Also trying to break into Austin stand-up, anyone want to hit open mics together?")
    assert value == SAME_SIDE_SOFT and "comedy" not in note and "stand" in note


@pytest.mark.parametrize(
    "offer",
    [
        "I mentor people trying to break into stand-up and run an open mic in Austin.",  # no "also": an answer
        "Also trying to break into voice acting; happy to swap notes.",  # also, but into something else
    ],
)
def test_a_way_in_offered_or_sought_elsewhere_is_no_peer(offer: str) -> None:
    assert "both looking for it" not in intent_of("How do I break into stand-up comedy in Austin?", offer)[1]
