"""Exponential decay and the running decayed sums of TieStats."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain.decay import (
    days_between,
    decay_factor,
    decay_to,
    fold_exchange,
    fold_history,
    fold_interaction,
)
from givefirst.domain.model import Direction, ExchangeDirection, ExchangeKind, InteractionKind, TieStats
from tests.domain.helpers import (
    NOW,
    Event,
    LedgerEvent,
    W,
    ago,
    empty,
    events,
    exchange,
    histories,
    history,
    interact,
    ledger_events,
)

SUMS = ("outbound", "inbound", "mutual", "gives", "takes", "received")
FAST = settings(max_examples=80, deadline=None)

# Realistic ranges: beyond about 1,074 half-lives 2^(−d/h) underflows to 0.0 (see the extreme-range test).
days = st.floats(min_value=0, max_value=20_000, allow_nan=False)
half_lives = st.floats(min_value=30, max_value=3_650, allow_nan=False)


def assert_same_sums(a: TieStats, b: TieStats) -> None:
    for name in SUMS:
        assert math.isclose(getattr(a, name), getattr(b, name), rel_tol=1e-9, abs_tol=1e-12), name


# decay_factor ----------------------------------------------------------------------------------------------------


def test_days_between_is_signed() -> None:
    assert days_between(NOW, NOW + timedelta(days=2, hours=12)) == 2.5
    assert days_between(NOW + timedelta(days=1), NOW) == -1.0


def test_decay_factor_is_one_at_no_elapsed_time() -> None:
    assert decay_factor(0, 180) == 1.0
    assert decay_factor(-30, 180) == 1.0  # moving backwards never inflates


@pytest.mark.parametrize("half_life", [1.0, 30.0, 180.0, 365.0])
def test_decay_factor_halves_every_half_life(half_life: float) -> None:
    assert decay_factor(half_life, half_life) == pytest.approx(0.5, rel=1e-12)
    assert decay_factor(2 * half_life, half_life) == pytest.approx(0.25, rel=1e-12)
    assert decay_factor(half_life / 2, half_life) == pytest.approx(math.sqrt(0.5), rel=1e-12)


@FAST
@given(days, half_lives)
def test_decay_factor_in_unit_interval(d: float, h: float) -> None:
    f = decay_factor(d, h)
    assert 0.0 < f <= 1.0


@FAST
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.floats(min_value=1e-3, max_value=1e6))
def test_decay_factor_never_leaves_closed_unit_interval(d: float, h: float) -> None:
    assert 0.0 <= decay_factor(d, h) <= 1.0


@FAST
@given(days, days, half_lives)
def test_decay_factor_monotone_non_increasing(d1: float, d2: float, h: float) -> None:
    lo, hi = sorted((d1, d2))
    assert decay_factor(hi, h) <= decay_factor(lo, h)


# decay_to --------------------------------------------------------------------------------------------------------


def test_decay_to_halves_sums_after_their_half_lives() -> None:
    stats = TieStats(as_of=NOW, outbound=4.0, inbound=2.0, mutual=8.0, gives=6.0, takes=2.0, received=1.0)
    later = decay_to(stats, NOW + timedelta(days=W.half_life_days), W.half_life_days, W.ledger_half_life_days)
    assert later.as_of == NOW + timedelta(days=W.half_life_days)
    assert (later.outbound, later.inbound, later.mutual) == pytest.approx((2.0, 1.0, 4.0))
    ledger_f = 0.5 ** (W.half_life_days / W.ledger_half_life_days)  # the ledger decays more slowly
    assert (later.gives, later.takes, later.received) == pytest.approx((6.0 * ledger_f, 2.0 * ledger_f, ledger_f))
    a_year = decay_to(stats, NOW + timedelta(days=W.ledger_half_life_days), W.half_life_days, 365.0)
    assert (a_year.gives, a_year.takes, a_year.received) == pytest.approx((3.0, 1.0, 0.5))


@FAST
@given(histories(), st.floats(min_value=0, max_value=20_000, allow_nan=False))
def test_decay_to_never_increases_any_sum(stats: TieStats, ahead_days: float) -> None:
    later = decay_to(stats, stats.as_of + timedelta(days=ahead_days), W.half_life_days, W.ledger_half_life_days)
    for name in SUMS:
        assert getattr(later, name) <= getattr(stats, name)
        assert getattr(later, name) >= 0.0
    # counts and dates are not decayed
    for name in ("touches", "two_way_count", "first_at", "last_at", "last_ask_at", "last_give_at"):
        assert getattr(later, name) == getattr(stats, name)


@FAST
@given(histories(), st.floats(min_value=0, max_value=20_000, allow_nan=False))
def test_decay_to_is_a_no_op_before_as_of(stats: TieStats, back_days: float) -> None:
    earlier = decay_to(stats, stats.as_of - timedelta(days=back_days), W.half_life_days, W.ledger_half_life_days)
    assert earlier == stats


@FAST
@given(histories(), st.floats(min_value=0, max_value=5_000), st.floats(min_value=0, max_value=5_000))
def test_decay_to_composes(stats: TieStats, d1: float, d2: float) -> None:
    t1 = stats.as_of + timedelta(days=d1)
    t2 = t1 + timedelta(days=d2)
    step = decay_to(stats, t1, W.half_life_days, W.ledger_half_life_days)
    two_steps = decay_to(step, t2, W.half_life_days, W.ledger_half_life_days)
    one_step = decay_to(stats, t2, W.half_life_days, W.ledger_half_life_days)
    assert_same_sums(two_steps, one_step)


# folding ---------------------------------------------------------------------------------------------------------


def test_fold_interaction_adds_weight_and_counts() -> None:
    stats = interact(empty(NOW), ago(10), InteractionKind.EMAIL, Direction.OUTBOUND)
    assert stats.touches == 1
    assert stats.two_way_count == 0  # outbound is not evidence the tie answers back
    assert stats.outbound == pytest.approx(decay_factor(10, W.half_life_days))
    assert stats.inbound == stats.mutual == 0.0
    assert stats.first_at == stats.last_at == ago(10)
    stats = interact(stats, ago(5), InteractionKind.CALL, Direction.INBOUND)
    stats = interact(stats, ago(20), InteractionKind.MEETING, Direction.MUTUAL)
    assert (stats.touches, stats.two_way_count) == (3, 2)
    assert stats.inbound == pytest.approx(2.0 * decay_factor(5, W.half_life_days))
    assert stats.mutual == pytest.approx(3.0 * decay_factor(20, W.half_life_days))
    assert (stats.first_at, stats.last_at) == (ago(20), ago(5))
    assert stats.as_of == NOW


def test_fold_interaction_after_as_of_moves_as_of() -> None:
    stats = interact(empty(ago(400)), ago(180), InteractionKind.MEETING, Direction.MUTUAL)
    assert stats.as_of == ago(180)
    assert stats.mutual == pytest.approx(3.0)
    stats = interact(stats, NOW, InteractionKind.MEETING, Direction.MUTUAL)
    assert stats.as_of == NOW
    assert stats.mutual == pytest.approx(3.0 + 1.5)  # the first meeting lost half its weight


def test_fold_interaction_ignores_notes() -> None:
    stats = history([(ago(3), InteractionKind.CALL, Direction.MUTUAL)], as_of=NOW)
    noted = interact(stats, ago(1), InteractionKind.NOTE, Direction.OUTBOUND)
    assert noted == stats
    assert interact(empty(NOW), ago(1), InteractionKind.NOTE, Direction.MUTUAL) == empty(NOW)


def test_fold_interaction_uses_the_given_weight() -> None:
    stats = fold_interaction(empty(NOW), NOW, InteractionKind.EMAIL, Direction.INBOUND, 7.5, 180.0, 365.0)
    assert stats.inbound == 7.5


def test_fold_exchange_give_ask_received() -> None:
    gave = exchange(empty(NOW), ago(365), ExchangeDirection.GAVE, ExchangeKind.INTRODUCTION)
    assert gave.gives == pytest.approx(1.5)  # 3.0 halved after one ledger half-life
    assert gave.takes == gave.received == 0.0
    assert (gave.last_give_at, gave.last_ask_at) == (ago(365), None)
    assert gave.touches == 0  # a ledger entry is not an interaction

    asked = exchange(gave, ago(10), ExchangeDirection.ASKED, ExchangeKind.ADVICE)
    assert asked.takes == pytest.approx(decay_factor(10, W.ledger_half_life_days))
    assert asked.gives == gave.gives
    assert asked.received == 0.0  # an ask is a take, not a favour received
    assert (asked.last_give_at, asked.last_ask_at) == (ago(365), ago(10))

    received = exchange(empty(NOW), ago(2), ExchangeDirection.RECEIVED, ExchangeKind.FAVOUR)
    assert received.takes == pytest.approx(2.0 * decay_factor(2, W.ledger_half_life_days))
    assert received.received == received.takes  # a favour received is a take too
    assert received.gives == 0.0
    assert received.last_ask_at is None and received.last_give_at is None


def test_fold_exchange_keeps_the_latest_dates() -> None:
    stats = exchange(empty(NOW), ago(5), ExchangeDirection.ASKED)
    stats = exchange(stats, ago(50), ExchangeDirection.ASKED)
    assert stats.last_ask_at == ago(5)
    stats = fold_exchange(
        stats, ago(1), is_give=True, is_ask=False, weight=1.0, half_life_days=180.0, ledger_half_life_days=365.0
    )
    assert stats.last_give_at == ago(1)


@settings(max_examples=100, deadline=None)
@given(st.lists(events, max_size=25), st.randoms(use_true_random=False), st.sampled_from([datetime(1999, 1, 1), NOW]))
def test_fold_interactions_order_does_not_matter(evs: list[Event], rnd: random.Random, start: datetime) -> None:
    shuffled = list(evs)
    rnd.shuffle(shuffled)
    in_order = history(sorted(evs, key=lambda e: e[0]), as_of=start)
    any_order = history(shuffled, as_of=start)
    assert_same_sums(any_order, in_order)
    assert any_order.as_of == in_order.as_of
    for name in ("touches", "two_way_count", "first_at", "last_at"):
        assert getattr(any_order, name) == getattr(in_order, name)
    assert any_order.touches == sum(1 for e in evs if e[1] is not InteractionKind.NOTE)


@settings(max_examples=80, deadline=None)
@given(st.lists(ledger_events, max_size=15), st.randoms(use_true_random=False))
def test_fold_exchanges_order_does_not_matter(led: list[LedgerEvent], rnd: random.Random) -> None:
    shuffled = list(led)
    rnd.shuffle(shuffled)
    in_order = history(ledger=sorted(led, key=lambda e: e[0]))
    any_order = history(ledger=shuffled)
    assert_same_sums(any_order, in_order)
    assert (any_order.last_ask_at, any_order.last_give_at) == (in_order.last_ask_at, in_order.last_give_at)


@settings(max_examples=100, deadline=None)
@given(st.lists(events, max_size=25), st.lists(ledger_events, max_size=10))
def test_fold_history_equals_folding_each_event_in_turn(evs: list[Event], led: list[LedgerEvent]) -> None:
    by_time = sorted(
        [(at, 0, (kind, direction)) for at, kind, direction in evs] + [(at, 1, (d, k)) for at, d, k in led],
        key=lambda e: (e[0], e[1]),
    )
    expected = None
    for at, is_exchange, payload in by_time:
        if expected is None:
            expected = empty(at)
        if is_exchange:
            expected = exchange(expected, at, payload[0], payload[1])
        else:
            expected = interact(expected, at, payload[0], payload[1])
    ledger = [
        (at, W.exchange_weights[k], d is ExchangeDirection.GAVE, d is ExchangeDirection.ASKED) for at, d, k in led
    ]
    got = fold_history(evs, ledger, W.kind_weights, W.half_life_days, W.ledger_half_life_days)
    if not [e for e in evs if e[1] is not InteractionKind.NOTE] and not led:
        assert got is None
        return
    assert got is not None and expected is not None
    assert got.touches == expected.touches and got.two_way_count == expected.two_way_count
    assert (got.first_at, got.last_at, got.last_ask_at, got.last_give_at) == (
        expected.first_at, expected.last_at, expected.last_ask_at, expected.last_give_at,
    )  # fmt: skip
    for field in ("outbound", "inbound", "mutual", "gives", "takes", "received"):
        assert math.isclose(getattr(got, field), getattr(expected, field), rel_tol=1e-9, abs_tol=1e-12), field
