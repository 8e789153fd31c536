"""Ask readiness: ready, caution or not ready, and why."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain.model import Direction, ExchangeDirection, ExchangeKind, InteractionKind, Readiness, TieStats
from givefirst.domain.readiness import AskReadiness, ask_readiness
from givefirst.domain.strength import tie_strength
from tests.domain.helpers import NOW, W, ago, empty, exchange, histories, history

DEFAULT_ALTERNATIVE = "Check in first with something useful to them, no ask"


def strong_recent_giver() -> TieStats:
    meetings = [(ago(d), InteractionKind.MEETING, Direction.MUTUAL) for d in range(3, 400, 20)]
    gives = [(ago(40), ExchangeDirection.GAVE, ExchangeKind.INTRODUCTION)]
    return history(meetings, gives)


def ready_for(
    stats: TieStats,
    *,
    strength: float | None = None,
    cadence_days: int | None = 30,
    open_promises: int = 0,
    alternatives: tuple[str, ...] = (),
) -> AskReadiness:
    """Ask readiness at NOW, with the real tie strength unless one is given."""
    return ask_readiness(
        stats,
        NOW,
        W,
        strength=tie_strength(stats, NOW, W).score if strength is None else strength,
        cadence_days=cadence_days,
        open_promises=open_promises,
        alternatives=alternatives,
    )


def test_strong_recent_relationship_with_gives_is_ready() -> None:
    stats = strong_recent_giver()
    r = ready_for(stats)
    assert tie_strength(stats, NOW, W).score >= W.tier_thresholds[1]  # a close tie at least
    assert r.verdict is Readiness.READY
    assert r.points == 0
    assert r.reasons == ()
    assert r.alternative is None
    assert len(r.strengths) == 3  # positive balance, recent touch, solid tie
    assert any("given more" in s for s in r.strengths)


def test_never_in_touch_and_weak_is_not_ready_with_default_alternative() -> None:
    r = ready_for(empty())
    assert r.verdict is Readiness.NOT_READY
    assert r.points == 4
    assert "you have never been in touch" in r.reasons
    assert any("weak tie" in reason for reason in r.reasons)
    assert r.alternative == DEFAULT_ALTERNATIVE


def test_not_ready_offers_the_first_given_alternative() -> None:
    r = ready_for(empty(), alternatives=("Send Ana the Tampa 3PL lead", "Introduce Ana to Ben"))
    assert r.verdict is Readiness.NOT_READY
    assert r.alternative == "Send Ana the Tampa 3PL lead"


def test_caution_also_offers_an_alternative() -> None:
    r = ready_for(strong_recent_giver(), open_promises=1, alternatives=("Deliver the promised intro",))
    assert r.verdict is Readiness.CAUTION
    assert r.alternative == "Deliver the promised intro"


def test_asking_twice_within_thirty_days_adds_a_reason() -> None:
    stats = strong_recent_giver()
    once = exchange(stats, ago(20), ExchangeDirection.ASKED, ExchangeKind.ADVICE)
    r = ready_for(once)
    assert any(reason == "you already asked 20 days ago" for reason in r.reasons)
    assert r.points >= 2
    assert r.verdict is not Readiness.READY


def test_an_ask_within_ninety_days_is_one_point() -> None:
    stats = strong_recent_giver()
    r = ready_for(exchange(stats, ago(60), ExchangeDirection.ASKED, ExchangeKind.INFORMATION))
    assert r.reasons == ("you asked 60 days ago",)
    assert r.points == 1
    assert r.verdict is Readiness.CAUTION
    assert ready_for(exchange(stats, ago(120), ExchangeDirection.ASKED, ExchangeKind.INFORMATION)).points == 0


def test_a_favour_received_is_not_an_ask() -> None:
    stats = exchange(strong_recent_giver(), ago(5), ExchangeDirection.RECEIVED, ExchangeKind.ADVICE)
    r = ready_for(stats)
    assert not any("asked" in reason for reason in r.reasons)
    assert r.verdict is Readiness.READY  # balance still positive (3 given, 1 received)


@pytest.mark.parametrize(("promises", "text"), [(1, "1 promised give"), (2, "2 promised gives")])
def test_open_promises_add_a_reason(promises: int, text: str) -> None:
    r = ready_for(strong_recent_giver(), open_promises=promises)
    assert r.reasons == (f"you still owe them {text}",)
    assert r.points == 1


def test_negative_balance() -> None:
    base = history([(ago(d), InteractionKind.MEETING, Direction.MUTUAL) for d in range(3, 400, 20)])
    slightly = exchange(base, ago(200), ExchangeDirection.RECEIVED, ExchangeKind.ADVICE)  # ≈ −0.68
    r = ready_for(slightly)
    assert r.points == 1 and "slightly negative" in r.reasons[0]
    heavily = exchange(base, ago(100), ExchangeDirection.RECEIVED, ExchangeKind.REFERRAL)
    r = ready_for(heavily)
    assert r.points == 2 and "taken more than you gave" in r.reasons[0]


def test_time_since_last_touch() -> None:
    stale = history([(ago(d), InteractionKind.MEETING, Direction.MUTUAL) for d in range(45, 400, 20)])
    r = ready_for(stale, cadence_days=30)
    assert any("past your usual 30-day rhythm" in reason for reason in r.reasons)
    assert ready_for(stale, cadence_days=None).points == 0  # no cadence: no rhythm to be past
    out_of_blue = history([(ago(d), InteractionKind.MEETING, Direction.MUTUAL) for d in range(400, 800, 5)])
    r = ready_for(out_of_blue, strength=0.5)
    assert r.points == 2
    assert "out of the blue" in r.reasons[0]


@pytest.mark.parametrize(
    ("strength", "points", "verdict"),
    [
        (0.5, 0, Readiness.READY),
        (0.3, 0, Readiness.READY),
        (0.29, 1, Readiness.CAUTION),
        (0.1, 1, Readiness.CAUTION),
        (0.09, 2, Readiness.CAUTION),
    ],
)
def test_strength_points_and_verdict(strength: float, points: int, verdict: Readiness) -> None:
    r = ready_for(strong_recent_giver(), strength=strength)
    assert r.points == points
    assert r.verdict is verdict


@pytest.mark.parametrize(
    ("strength", "promises", "points", "verdict"),
    [
        (0.9, 0, 0, Readiness.READY),
        (0.9, 1, 1, Readiness.CAUTION),
        (0.2, 1, 2, Readiness.CAUTION),
        (0.05, 1, 3, Readiness.NOT_READY),
        (0.05, 3, 3, Readiness.NOT_READY),
    ],
)
def test_verdict_thresholds(strength: float, promises: int, points: int, verdict: Readiness) -> None:
    r = ready_for(strong_recent_giver(), strength=strength, open_promises=promises)
    assert r.points == points
    assert r.verdict is verdict
    assert (r.alternative is None) == (verdict is Readiness.READY)


def test_reasons_are_worst_first() -> None:
    stats = exchange(strong_recent_giver(), ago(60), ExchangeDirection.ASKED, ExchangeKind.ADVICE)
    r = ready_for(stats, strength=0.05, open_promises=1)
    assert r.reasons[0].startswith("a weak tie")
    assert r.points == 4


@settings(max_examples=80, deadline=None)
@given(
    histories(),
    st.floats(min_value=0, max_value=1),
    st.one_of(st.none(), st.integers(min_value=1, max_value=365)),
    st.integers(min_value=0, max_value=3),
    st.lists(st.text(min_size=1, max_size=20), max_size=2),
)
def test_verdict_always_matches_points(
    stats: TieStats, strength: float, cadence: int | None, promises: int, alternatives: list[str]
) -> None:
    r = ask_readiness(
        stats, NOW, W, strength=strength, cadence_days=cadence, open_promises=promises, alternatives=tuple(alternatives)
    )
    assert r.points >= 0
    assert len(r.reasons) <= r.points
    assert (r.points == 0) == (r.reasons == ())
    expected = Readiness.READY if r.points == 0 else Readiness.CAUTION if r.points < 3 else Readiness.NOT_READY
    assert r.verdict is expected
    if r.verdict is Readiness.READY:
        assert r.alternative is None
    else:
        assert r.alternative == (alternatives[0] if alternatives else DEFAULT_ALTERNATIVE)
