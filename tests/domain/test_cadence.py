"""Cadence, due status and at-risk ties."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain.cadence import due_status, usual_gap_days
from givefirst.domain.model import Direction, InteractionKind, Tier, TieStats
from givefirst.domain.weights import Weights
from tests.domain.helpers import NOW, W, ago, empty, histories, history

DEFAULTS = {Tier.INNER: 14, Tier.CLOSE: 30, Tier.ACTIVE: 90, Tier.ACQUAINTANCE: 180}


def touched(*days_ago: float, direction: Direction = Direction.MUTUAL) -> TieStats:
    return history([(ago(d), InteractionKind.CALL, direction) for d in days_ago])


@pytest.mark.parametrize(("tier", "cadence"), DEFAULTS.items())
def test_per_tier_default_cadence(tier: Tier, cadence: int) -> None:
    assert W.cadence_days[tier] == cadence
    just_before = due_status(touched(cadence - 1), tier, NOW, W)
    assert just_before.cadence_days == cadence
    assert not just_before.due
    assert just_before.overdue_ratio == pytest.approx((cadence - 1) / cadence)
    at = due_status(touched(cadence), tier, NOW, W)
    assert at.due
    assert at.overdue_ratio == pytest.approx(1.0)
    past = due_status(touched(2 * cadence), tier, NOW, W)
    assert past.due and past.overdue_ratio == pytest.approx(2.0)
    assert past.days_since == pytest.approx(2 * cadence)


def test_fifteen_days_is_due_for_inner_but_not_close() -> None:
    stats = touched(15)
    assert due_status(stats, Tier.INNER, NOW, W).due
    assert not due_status(stats, Tier.CLOSE, NOW, W).due


def test_cadence_override_wins() -> None:
    stats = touched(15)
    status = due_status(stats, Tier.ACQUAINTANCE, NOW, W, cadence_override=10)
    assert status.cadence_days == 10
    assert status.due
    assert status.overdue_ratio == pytest.approx(1.5)
    assert not due_status(stats, Tier.INNER, NOW, W, cadence_override=60).due


def test_non_positive_override_means_no_cadence() -> None:
    status = due_status(touched(400), Tier.INNER, NOW, W, cadence_override=0)
    assert status.cadence_days is None
    assert not status.due
    assert status.overdue_ratio == 0.0


def test_never_contacted_is_not_due() -> None:
    for tier in DEFAULTS:
        status = due_status(empty(), tier, NOW, W)
        assert status.days_since is None
        assert status.overdue_ratio == 0.0
        assert not status.due
        assert not status.at_risk
    assert not due_status(empty(), Tier.INNER, NOW, W, cadence_override=1).due


def test_due_counts_from_last_real_interaction_not_notes() -> None:
    stats = touched(40)
    noted = history(
        [(ago(40), InteractionKind.CALL, Direction.MUTUAL), (ago(1), InteractionKind.NOTE, Direction.MUTUAL)]
    )
    assert noted == stats
    assert due_status(noted, Tier.CLOSE, NOW, W).due


def test_last_contact_in_the_future_counts_as_zero_days() -> None:
    stats = history([(NOW + timedelta(days=3), InteractionKind.MEETING, Direction.MUTUAL)])
    status = due_status(stats, Tier.INNER, NOW, W)
    assert status.days_since == 0.0
    assert not status.due


def test_dormant_tier_has_no_cadence() -> None:
    stats = touched(2000, 1900, 1800, 1700)
    status = due_status(stats, Tier.DORMANT, NOW, W)
    assert status.cadence_days is None
    assert not status.due
    assert not status.at_risk  # silence ≫ 8 × 100 days, but dormant ties are revived, not "at risk"


# usual gap and at risk -------------------------------------------------------------------------------------------


def test_usual_gap_days() -> None:
    assert usual_gap_days(empty()) is None
    assert usual_gap_days(touched(10)) is None  # one interaction tells no rhythm
    assert usual_gap_days(touched(30, 20)) == pytest.approx(10.0)
    assert usual_gap_days(touched(100, 90, 70)) == pytest.approx(15.0)  # (100 − 70) / 2
    assert usual_gap_days(touched(50, 50, 50)) == 0.0


def test_at_risk_after_eight_usual_gaps_of_silence() -> None:
    # weekly rhythm: three calls a week apart, the last 55 or 57 days ago (8 × 7 = 56)
    calm = touched(69, 62, 55)
    risky = touched(71, 64, 57)
    assert usual_gap_days(calm) == pytest.approx(7.0)
    assert not due_status(calm, Tier.ACTIVE, NOW, W).at_risk
    status = due_status(risky, Tier.ACTIVE, NOW, W)
    assert status.at_risk
    assert status.usual_gap_days == pytest.approx(7.0)
    assert not status.due  # at risk long before the 90-day cadence falls due


def test_at_risk_needs_three_interactions() -> None:
    two = touched(107, 100)  # gap 7, silent 100 days
    assert not due_status(two, Tier.ACTIVE, NOW, W).at_risk
    assert due_status(touched(114, 107, 100), Tier.ACTIVE, NOW, W).at_risk
    assert not due_status(touched(114, 107, 100), Tier.ACTIVE, NOW, Weights(at_risk_min_interactions=4)).at_risk


def test_at_risk_uses_the_multiple_from_weights() -> None:
    stats = touched(44, 37, 30)  # gap 7, silent 30 days
    assert not due_status(stats, Tier.ACTIVE, NOW, W).at_risk
    assert due_status(stats, Tier.ACTIVE, NOW, Weights(at_risk_gap_multiple=4.0)).at_risk


def test_same_day_bursts_are_never_at_risk() -> None:
    stats = touched(300, 300, 300)  # zero gap: no rhythm to break
    assert not due_status(stats, Tier.ACTIVE, NOW, W).at_risk


@settings(max_examples=80, deadline=None)
@given(histories(), st.sampled_from(list(Tier)), st.one_of(st.none(), st.integers(min_value=-5, max_value=400)))
def test_due_status_invariants(stats: TieStats, tier: Tier, override: int | None) -> None:
    status = due_status(stats, tier, NOW, W, override)
    assert status.overdue_ratio >= 0.0
    if stats.last_at is None:
        assert status.days_since is None and not status.due and not status.at_risk
    if tier is Tier.DORMANT:
        assert not status.at_risk
    if status.due:
        assert status.cadence_days is not None and status.cadence_days > 0
        assert status.days_since is not None and status.days_since >= status.cadence_days * (1 - 1e-12)
    if status.at_risk:
        assert stats.touches >= W.at_risk_min_interactions
