"""The give/ask balance per relationship and over the network."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain.model import Direction, ExchangeDirection, ExchangeKind, InteractionKind, TieStats
from givefirst.domain.reciprocity import OverallBalance, balance, overall_balance
from givefirst.domain.weights import Weights
from tests.domain.helpers import NOW, W, ago, empty, history, ledger_events

GAVE, ASKED, RECEIVED = ExchangeDirection.GAVE, ExchangeDirection.ASKED, ExchangeDirection.RECEIVED


def ledger(*entries: tuple[float, ExchangeDirection, ExchangeKind]) -> TieStats:
    return history(ledger=[(ago(d), direction, kind) for d, direction, kind in entries])


def test_no_ledger_is_balanced() -> None:
    assert balance(empty(), NOW, W) == 0.0
    chatty = history([(ago(d), InteractionKind.MEETING, Direction.MUTUAL) for d in range(0, 100, 10)])
    assert balance(chatty, NOW, W) == 0.0  # interactions are not gives


def test_gives_make_the_balance_positive() -> None:
    stats = ledger((0, GAVE, ExchangeKind.INTRODUCTION), (0, GAVE, ExchangeKind.ADVICE))
    assert balance(stats, NOW, W) == pytest.approx(4.0)


def test_asks_and_favours_received_make_it_negative() -> None:
    assert balance(ledger((0, ASKED, ExchangeKind.REFERRAL)), NOW, W) == pytest.approx(-3.0)
    assert balance(ledger((0, RECEIVED, ExchangeKind.FAVOUR)), NOW, W) == pytest.approx(-2.0)
    mixed = ledger((0, GAVE, ExchangeKind.ADVICE), (0, ASKED, ExchangeKind.JOB_LEAD))
    assert balance(mixed, NOW, W) == pytest.approx(-2.0)


def test_balance_halves_every_ledger_half_life() -> None:
    stats = ledger((0, GAVE, ExchangeKind.INTRODUCTION))
    assert balance(stats, NOW + timedelta(days=W.ledger_half_life_days), W) == pytest.approx(1.5)
    assert balance(stats, NOW + timedelta(days=2 * W.ledger_half_life_days), W) == pytest.approx(0.75)
    old_ask = ledger((W.ledger_half_life_days, ASKED, ExchangeKind.ADVICE))
    assert balance(old_ask, NOW, W) == pytest.approx(-0.5)


def test_balance_before_as_of_does_not_inflate() -> None:
    stats = ledger((0, GAVE, ExchangeKind.ADVICE))
    assert balance(stats, NOW - timedelta(days=300), W) == pytest.approx(1.0)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(ledger_events, min_size=1, max_size=12),
    st.floats(min_value=0, max_value=5_000),
    st.floats(min_value=0, max_value=5_000),
)
def test_balance_decays_toward_zero(
    entries: list[tuple[datetime, ExchangeDirection, ExchangeKind]], d1: float, d2: float
) -> None:
    stats = history(ledger=entries)
    t1 = max(stats.as_of, max(at for at, _, _ in entries)) + timedelta(days=d1)
    t2 = t1 + timedelta(days=d2)
    b1, b2 = balance(stats, t1, W), balance(stats, t2, W)
    assert abs(b2) <= abs(b1) + 1e-12
    assert b1 * b2 >= 0.0  # decay never flips the sign


# overall ---------------------------------------------------------------------------------------------------------


def test_overall_with_nothing_has_no_share_and_is_on_target() -> None:
    empty_overall = overall_balance([], NOW, W)
    assert empty_overall.give_share is None
    assert empty_overall.on_target
    quiet = overall_balance([empty(), history([(ago(3), InteractionKind.CALL, Direction.MUTUAL)])], NOW, W)
    assert (quiet.gives, quiet.takes, quiet.give_share) == (0.0, 0.0, None)


def test_overall_sums_decayed_ledgers() -> None:
    a = ledger((0, GAVE, ExchangeKind.INTRODUCTION))
    b = ledger((W.ledger_half_life_days, ASKED, ExchangeKind.FAVOUR), (0, GAVE, ExchangeKind.ADVICE))
    overall = overall_balance([a, b], NOW, W)
    assert overall.gives == pytest.approx(4.0)
    assert overall.takes == pytest.approx(1.0)
    assert overall.give_share == pytest.approx(0.8)
    assert overall.on_target
    assert overall.target_give_share == W.target_give_share


def test_overall_accepts_any_iterable() -> None:
    stats = [ledger((0, GAVE, ExchangeKind.ADVICE)), ledger((0, ASKED, ExchangeKind.ADVICE))]
    overall = overall_balance(iter(stats), NOW, W)
    assert overall.give_share == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("gives", "takes", "target", "share", "on_target"),
    [
        (1.0, 3.0, 0.5, 0.25, False),
        (1.0, 3.0, 0.2, 0.25, True),
        (1.0, 1.0, 0.5, 0.5, True),  # exactly on target counts
        (0.0, 2.0, 0.1, 0.0, False),
        (2.0, 0.0, 0.9, 1.0, True),
    ],
)
def test_on_target(gives: float, takes: float, target: float, share: float, on_target: bool) -> None:
    overall = OverallBalance(gives, takes, target)
    assert overall.give_share == pytest.approx(share)
    assert overall.on_target is on_target


def test_target_comes_from_weights() -> None:
    stats = [ledger((0, GAVE, ExchangeKind.ADVICE)), ledger((0, ASKED, ExchangeKind.REFERRAL))]  # share 0.25
    assert not overall_balance(stats, NOW, W).on_target
    assert overall_balance(stats, NOW, Weights(target_give_share=0.25)).on_target
