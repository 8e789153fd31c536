"""Tie strength in [0, 1], its components, and tiers."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain.model import Direction, ExchangeDirection, ExchangeKind, InteractionKind, Tier, TieStats
from givefirst.domain.strength import history_term, is_dormant, tie_strength, tier_for
from givefirst.domain.weights import Weights
from tests.domain.helpers import (
    NOW,
    REAL_KINDS,
    W,
    ago,
    empty,
    exchange,
    histories,
    history,
    interact,
    ledger_events,
    moments,
)

FAST = settings(max_examples=80, deadline=None)
later_moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2060, 1, 1))


def strength(stats: TieStats, now: datetime = NOW, w: Weights = W) -> float:
    return tie_strength(stats, now, w).score


def latest_event(stats: TieStats) -> datetime:
    """The moment after which nothing more happened: last interaction, last ledger entry, or as_of."""
    dates = [d for d in (stats.as_of, stats.last_at, stats.last_ask_at, stats.last_give_at) if d is not None]
    return max(dates)


# bounds and components -------------------------------------------------------------------------------------------


@FAST
@given(histories(), later_moments)
def test_strength_in_unit_interval(stats: TieStats, now: datetime) -> None:
    assert 0.0 <= strength(stats, now) <= 1.0


@FAST
@given(histories(), later_moments)
def test_score_is_the_saturating_map_of_the_component_sum(stats: TieStats, now: datetime) -> None:
    explained = tie_strength(stats, now, W)
    names = [c.name for c in explained.components]
    assert names == ["two-way contact", "one-way contact", "gives and favours", "history"]
    assert all(c.value >= 0.0 for c in explained.components)
    raw = sum(c.value for c in explained.components)
    assert explained.score == pytest.approx(1.0 - math.exp(-raw / W.saturation), rel=1e-12, abs=1e-15)


def test_components_follow_the_formula() -> None:
    stats = TieStats(as_of=NOW, outbound=5.0, inbound=2.0, mutual=3.0, gives=1.0, takes=2.5, received=0.5)
    parts = {c.name: c.value for c in tie_strength(stats, NOW, W).components}
    assert parts["two-way contact"] == pytest.approx(3.0 + W.two_way_factor * 2.0)
    assert parts["one-way contact"] == pytest.approx(W.one_way_factor * 3.0)
    assert parts["gives and favours"] == pytest.approx(1.5)  # gives and favours received; asks do not count
    assert parts["history"] == 0.0  # no dates, no history


def test_no_history_is_zero_and_acquaintance() -> None:
    stats = empty()
    assert strength(stats) == 0.0
    assert tier_for(0.0, stats, NOW, W) is Tier.ACQUAINTANCE


# monotonicity ----------------------------------------------------------------------------------------------------


@FAST
@given(histories(), st.floats(min_value=0, max_value=5_000), st.floats(min_value=0, max_value=5_000))
def test_time_alone_never_raises_strength(stats: TieStats, d1: float, d2: float) -> None:
    t1 = latest_event(stats) + timedelta(days=d1)
    t2 = t1 + timedelta(days=d2)
    assert strength(stats, t2) <= strength(stats, t1) + 1e-12


@FAST
@given(
    histories(),
    moments,
    st.sampled_from(REAL_KINDS),
    st.sampled_from(list(Direction)),
    st.floats(min_value=0, max_value=3_000),
)
def test_a_new_interaction_never_lowers_strength(
    stats: TieStats, at: datetime, kind: InteractionKind, direction: Direction, ahead: float
) -> None:
    now = max(at, latest_event(stats)) + timedelta(days=ahead)
    before = strength(stats, now)
    after = strength(interact(stats, at, kind, direction), now)
    assert after >= before - 1e-12


@FAST
@given(histories(), ledger_events, st.floats(min_value=0, max_value=3_000))
def test_a_new_ledger_entry_never_lowers_strength(
    stats: TieStats, entry: tuple[datetime, ExchangeDirection, ExchangeKind], ahead: float
) -> None:
    at, direction, kind = entry
    now = max(at, latest_event(stats)) + timedelta(days=ahead)
    assert strength(exchange(stats, at, direction, kind), now) >= strength(stats, now) - 1e-12


def test_an_ask_alone_does_not_strengthen_a_tie() -> None:
    stats = history([(ago(40), InteractionKind.CALL, Direction.MUTUAL)])
    asked = exchange(stats, ago(1), ExchangeDirection.ASKED, ExchangeKind.REFERRAL)
    received = exchange(stats, ago(1), ExchangeDirection.RECEIVED, ExchangeKind.REFERRAL)
    gave = exchange(stats, ago(1), ExchangeDirection.GAVE, ExchangeKind.REFERRAL)
    assert strength(asked) == strength(stats)
    assert strength(received) > strength(stats)
    assert strength(gave) == pytest.approx(strength(received))


def test_a_note_changes_nothing() -> None:
    stats = history([(ago(40), InteractionKind.CALL, Direction.MUTUAL)])
    assert strength(interact(stats, ago(1), InteractionKind.NOTE, Direction.MUTUAL)) == strength(stats)


# one-way versus two-way ------------------------------------------------------------------------------------------


def _emails(n: int, directions: list[Direction], span_days: float = 30.0) -> TieStats:
    return history(
        [(ago(span_days * i / n), InteractionKind.EMAIL, directions[i % len(directions)]) for i in range(n)],
        as_of=ago(3650),
    )


@pytest.mark.parametrize("n", [2, 4, 10, 30])
def test_two_way_is_stronger_than_one_way(n: int) -> None:
    one_way = strength(_emails(n, [Direction.OUTBOUND]))
    two_way = strength(_emails(n, [Direction.OUTBOUND, Direction.INBOUND]))
    assert one_way < two_way


def test_ten_unanswered_emails_in_a_month_stay_weak() -> None:
    one_way = strength(_emails(10, [Direction.OUTBOUND]))
    assert one_way < 0.3
    assert tier_for(one_way, _emails(10, [Direction.OUTBOUND]), NOW, W) is Tier.ACQUAINTANCE


def test_the_same_ten_emails_answered_make_a_real_tie() -> None:
    one_way = strength(_emails(10, [Direction.OUTBOUND]))
    two_way = strength(_emails(10, [Direction.OUTBOUND, Direction.INBOUND]))
    assert two_way >= W.tier_thresholds[2]  # at least active
    assert two_way > 2 * one_way


def test_a_flood_of_unanswered_email_stays_weaker_than_the_same_flood_answered() -> None:
    flood = _emails(60, [Direction.OUTBOUND])
    answered = _emails(60, [Direction.OUTBOUND, Direction.INBOUND])
    assert strength(flood) < strength(answered)
    assert strength(_emails(5, [Direction.OUTBOUND])) < strength(_emails(10, [Direction.OUTBOUND]))


# override --------------------------------------------------------------------------------------------------------


@FAST
@given(histories(), st.floats(min_value=-5, max_value=5, allow_nan=False))
def test_override_wins_and_is_clamped(stats: TieStats, override: float) -> None:
    explained = tie_strength(stats, NOW, W, override=override)
    expected = min(max(override, 0.0), 1.0)
    assert explained.score == expected
    assert explained.components[-1].name == "override"
    assert explained.components[-1].value == expected


def test_override_examples() -> None:
    strong = history([(ago(d), InteractionKind.MEETING, Direction.MUTUAL) for d in range(0, 300, 7)])
    assert strength(strong) > 0.6
    assert tie_strength(strong, NOW, W, override=0.2).score == 0.2
    assert tie_strength(empty(), NOW, W, override=1.7).score == 1.0
    assert tie_strength(strong, NOW, W, override=-0.3).score == 0.0


# history ---------------------------------------------------------------------------------------------------------


def test_history_term_rewards_long_two_way_history_and_does_not_decay() -> None:
    long = history([(ago(3650 - 365 * y), InteractionKind.CALL, Direction.MUTUAL) for y in range(7)], as_of=ago(4000))
    expected = W.history_weight * (1 - math.exp(-7 / W.history_full_count)) * 1.0  # 6 years ≥ history_full_years
    assert history_term(long, W) == pytest.approx(expected)
    parts = {c.name: c.value for c in tie_strength(long, NOW + timedelta(days=3650), W).components}
    assert parts["history"] == pytest.approx(expected)
    assert strength(long, NOW + timedelta(days=36500)) == pytest.approx(1 - math.exp(-expected / W.saturation))


def test_history_term_needs_two_way_contact() -> None:
    one_way = history([(ago(3650 - 365 * y), InteractionKind.EMAIL, Direction.OUTBOUND) for y in range(6)])
    assert history_term(one_way, W) == 0.0
    assert history_term(empty(), W) == 0.0


def test_history_term_grows_with_span() -> None:
    short = history(
        [(ago(400), InteractionKind.CALL, Direction.MUTUAL), (ago(400 - 365), InteractionKind.CALL, Direction.MUTUAL)]
    )
    assert history_term(short, W) == pytest.approx(W.history_weight * (1 - math.exp(-0.2)) * (365 / 365.25) / 5)


# tiers -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tier"),
    [
        (1.0, Tier.INNER),
        (0.85, Tier.INNER),
        (0.8499, Tier.CLOSE),
        (0.6, Tier.CLOSE),
        (0.5999, Tier.ACTIVE),
        (0.3, Tier.ACTIVE),
        (0.2999, Tier.ACQUAINTANCE),
        (0.0, Tier.ACQUAINTANCE),
    ],
)
def test_tier_thresholds(value: float, tier: Tier) -> None:
    recent = history([(ago(5), InteractionKind.CALL, Direction.MUTUAL)])
    assert tier_for(value, recent, NOW, W) is tier


def test_tier_override_wins() -> None:
    recent = history([(ago(5), InteractionKind.CALL, Direction.MUTUAL)])
    assert tier_for(0.95, recent, NOW, W, override=Tier.ACQUAINTANCE) is Tier.ACQUAINTANCE
    assert tier_for(0.0, empty(), NOW, W, override=Tier.INNER) is Tier.INNER


def test_dormant_after_years_of_silence_with_two_way_history() -> None:
    old = history([(ago(4 * 365 + d), InteractionKind.MEETING, Direction.MUTUAL) for d in range(0, 2000, 30)])
    assert is_dormant(old, NOW, W)
    assert tier_for(0.99, old, NOW, W) is Tier.DORMANT  # dormancy trumps strength
    assert tier_for(strength(old), old, NOW, W) is Tier.DORMANT


def test_dormant_boundary_is_dormant_years() -> None:
    last = ago(W.dormant_years * 365.25)
    stats = history(
        [
            (last - timedelta(days=400), InteractionKind.CALL, Direction.INBOUND),
            (last, InteractionKind.CALL, Direction.OUTBOUND),
        ]
    )
    assert is_dormant(stats, NOW, W)
    assert not is_dormant(stats, NOW - timedelta(days=1), W)
    assert tier_for(0.1, stats, NOW - timedelta(days=1), W) is Tier.ACQUAINTANCE


def test_one_way_history_never_goes_dormant() -> None:
    stats = history([(ago(3000 + d), InteractionKind.EMAIL, Direction.OUTBOUND) for d in range(0, 300, 10)])
    assert not is_dormant(stats, NOW, W)
    assert tier_for(strength(stats), stats, NOW, W) is Tier.ACQUAINTANCE
    assert not is_dormant(empty(), NOW, W)


def test_dormant_years_is_a_weight() -> None:
    stats = history([(ago(800), InteractionKind.CALL, Direction.MUTUAL)])
    assert not is_dormant(stats, NOW, W)
    assert is_dormant(stats, NOW, Weights(dormant_years=2.0))


@FAST
@given(histories(), later_moments)
def test_tier_of_any_history_is_consistent_with_dormancy(stats: TieStats, now: datetime) -> None:
    s = strength(stats, now)
    tier = tier_for(s, stats, now, W)
    assert (tier is Tier.DORMANT) == is_dormant(stats, now, W)
    if tier is not Tier.DORMANT:
        assert (tier is Tier.INNER) == (s >= 0.85)
