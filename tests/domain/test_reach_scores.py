"""Targets and goals, event triage and dormant revival: the pure scores of the reach features."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from givefirst.domain.dormant import DormantFacts, revival
from givefirst.domain.events import Attendee, EventFacts, triage
from givefirst.domain.goals import PersonFacts, Target, in_target, place_matches, split_words, warmth
from givefirst.domain.model import Tier

WHEN = datetime(2026, 12, 1, 18, 0)


def test_a_state_matches_its_cities_and_a_city_its_metro() -> None:
    for city in ("Tampa, FL", "Miami, FL", "St. Petersburg, FL", "Orlando, FL", "Doral, FL", "Jacksonville, FL"):
        assert place_matches(city, "Florida"), city
    assert place_matches("Clearwater, FL", "Tampa") and place_matches("Tampa, FL", "Tampa Bay area, FL")
    assert not place_matches("Miami, FL", "Tampa")
    assert not place_matches("Brooklyn, NY", "Florida") and not place_matches(None, "Florida")
    assert not place_matches("Tampa, FL", "Atlantis")  # an unknown place matches nobody


def test_a_target_needs_every_part_and_says_why() -> None:
    ana = PersonFacts("Tampa, FL", "Head of Product Operations", "Ledgerline", ("fintech", "product"))
    assert in_target(ana, Target(place="Florida", roles=("product",))) == "in Tampa, FL; Head of Product Operations"
    assert in_target(ana, Target(organization="ledger")) == "at Ledgerline"
    assert in_target(ana, Target(tags=("fintech", "health"))) == "tagged fintech"
    assert in_target(ana, Target(place="Florida", roles=("engineer",))) is None
    assert in_target(ana, Target(roles=("prod", "ops"))) is None  # "ops" starts no word of the title
    assert in_target(ana, Target()) is None
    assert Target(place="Florida", roles=("product",)).describe() == "someone product in Florida"
    assert split_words("Product, manager  ops") == ("product", "manager", "ops")


def test_warmth_buckets() -> None:
    assert warmth(Tier.CLOSE, False, False, 10) == "warm"
    assert warmth(Tier.ACTIVE, True, False, 10) == "cooling"
    assert warmth(Tier.ACQUAINTANCE, False, False, 2) == "cooling"
    assert warmth(Tier.ACQUAINTANCE, False, False, 0) == "cold"
    assert warmth(Tier.DORMANT, False, False, 30) == "dormant"


def _people(n: int, **kw: object) -> tuple[Attendee, ...]:
    return tuple(Attendee(i, f"P{i}", "expected", **kw) for i in range(n))  # type: ignore[arg-type]


def test_the_meeting_where_you_can_help_outranks_the_one_that_only_serves_you() -> None:
    helping = EventFacts(1, "Chapter meeting in the city you leave", WHEN, "New York, NY",
                         _people(4, warmth="cooling", helps=("needs a scorecard — your offer: template",)),
                         open_goals=True)  # fmt: skip
    for_me = EventFacts(2, "A mixer full of people who could help you", WHEN, "Boston, MA",
                        _people(4, warmth="cold", serves_me=("offers clients",)), open_goals=True)  # fmt: skip
    a, b = triage(helping), triage(for_me)
    assert a.score > b.score + 0.3
    assert a.reasons[0] == "you can help 4 people there"
    assert any("still your network" in r for r in a.reasons)  # the trap, named
    assert any(r.startswith("for you:") for r in b.reasons)


def test_an_event_in_the_goal_place_scores_for_the_goal() -> None:
    there = EventFacts(3, "Tampa mixer", WHEN, "Tampa, FL", _people(2, warmth="warm"), goal_place="Move to Florida")
    result = triage(there)
    assert result.parts["goal"] == 1.0
    assert "toward your goal “Move to Florida”: it is held in Tampa, FL" in result.reasons
    empty = triage(EventFacts(4, "Unknown crowd", WHEN, None, ()))
    assert empty.score == 0.0 and "nobody you know" in empty.reasons[0]


@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))
def test_triage_stays_in_zero_one_and_more_help_never_hurts(helps: int, cooling: int, reach: int, mine: int) -> None:
    def event(n_help: int) -> EventFacts:
        people = (
            _people(n_help, warmth="warm", helps=("x",))
            + tuple(Attendee(100 + i, "C", "member", "cooling") for i in range(cooling))
            + tuple(Attendee(200 + i, "G", "member", "cold", goal="toward") for i in range(reach))
            + tuple(Attendee(300 + i, "M", "member", "cold", serves_me=("y",)) for i in range(mine))
        )
        return EventFacts(1, "E", WHEN, None, people)

    low, high = triage(event(helps)), triage(event(helps + 1))
    assert 0.0 <= low.score <= 1.0 and 0.0 <= high.score <= 1.0
    assert high.score >= low.score


def _dormant(**kw: object) -> DormantFacts:
    base: dict[str, object] = {"person_id": 1, "name": "Olivia", "years_silent": 4.0, "two_way_count": 30,
                               "closeness": 0.5}  # fmt: skip
    return DormantFacts(**{**base, **kw})  # type: ignore[arg-type]


def test_a_relevant_novel_tie_beats_a_merely_close_one() -> None:
    familiar = revival(_dormant(person_id=1, closeness=1.0, organization="Hartwell", active_ties_there=4))
    relevant = revival(_dormant(person_id=2, closeness=0.3, goal="toward your goal “Move to Florida”: in Orlando, FL",
                                organization="Orange Blossom", active_ties_there=0))  # fmt: skip
    assert relevant.score > familiar.score
    assert "toward your goal “Move to Florida”: in Orlando, FL" in relevant.reasons
    assert any(r.startswith("novel: none of your active ties is at Orange Blossom") for r in relevant.reasons)
    give = revival(_dormant(can_give="“a scorecard” for their “vendor mess”"))
    assert give.parts["give"] == 1.0 and give.reasons[1].startswith("you could give first")


@given(st.floats(0, 1), st.booleans(), st.booleans(), st.booleans(), st.sampled_from([None, 0, 3]))
def test_revival_scores_stay_in_zero_one(
    closeness: float, goal: bool, give: bool, need: bool, ties: int | None
) -> None:
    r = revival(_dormant(closeness=closeness, goal="g" if goal else None, can_give="x" if give else None,
                         open_need="n" if need else None, organization="O" if ties is not None else None,
                         active_ties_there=ties))  # fmt: skip
    assert 0.0 <= r.score <= 1.0
