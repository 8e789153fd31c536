"""What is at stake in a due tie, and the strength floor below which a tie is not due (domain/cadence.py)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from givefirst.domain.cadence import AT_RISK_URGENCY, DueStatus, at_stake, due_status, urgency
from givefirst.domain.model import Tier, TieStats
from givefirst.domain.strength import tie_strength, tier_for
from tests.domain.helpers import NOW, W, histories

strengths = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
tiers = st.sampled_from([t for t in Tier if t is not Tier.DORMANT])
statuses = st.builds(
    DueStatus,
    cadence_days=st.one_of(st.none(), st.integers(1, 400)),
    days_since=st.one_of(st.none(), st.floats(0, 5000)),
    overdue_ratio=st.floats(0, 50, allow_nan=False),
    usual_gap_days=st.none(),
    at_risk=st.booleans(),
    weak=st.booleans(),
)


@given(strengths, statuses)
def test_nothing_at_stake_before_the_cadence_and_never_more_than_the_tie(strength: float, status: DueStatus) -> None:
    stake = at_stake(strength, status)
    assert 0.0 <= stake <= strength * (1.0 + AT_RISK_URGENCY) + 1e-12
    if not status.past_cadence:
        assert stake == 0.0
    if status.past_cadence and strength > 0:
        assert stake > 0.0  # a weak tie still has its place in the order, for --include-weak


@given(strengths, strengths, statuses)
def test_a_stronger_tie_has_more_at_stake(weaker: float, stronger: float, status: DueStatus) -> None:
    weaker, stronger = sorted((weaker, stronger))
    assert at_stake(weaker, status) <= at_stake(stronger, status)


@given(statuses, st.floats(0, 50, allow_nan=False))
def test_more_overdue_is_more_urgent(status: DueStatus, more: float) -> None:
    later = DueStatus(status.cadence_days, status.days_since, status.overdue_ratio + more, None, status.at_risk)
    assert urgency(later) >= urgency(status)
    at_risk = DueStatus(status.cadence_days, status.days_since, status.overdue_ratio, None, True)
    assert urgency(at_risk) >= urgency(status)


@given(histories(), tiers, st.floats(0, 3000), st.floats(0, 3000))
def test_silence_only_raises_what_is_at_stake_at_a_given_strength(
    stats: TieStats, tier: Tier, first: float, extra: float
) -> None:
    """Holding strength fixed, a longer silence never makes a tie less urgent (at risk and overdue only grow)."""
    earlier = NOW + timedelta(days=first)
    later = earlier + timedelta(days=extra)
    a, b = due_status(stats, tier, earlier, W), due_status(stats, tier, later, W)
    assert urgency(b) >= urgency(a)
    assert at_stake(0.5, b) >= at_stake(0.5, a)


@given(histories(), st.booleans(), st.one_of(st.none(), st.integers(1, 400)))
def test_due_means_past_the_cadence_and_above_the_floor_unless_chosen(
    stats: TieStats, chosen: bool, cadence: int | None
) -> None:
    strength = tie_strength(stats, NOW, W).score
    tier = tier_for(strength, stats, NOW, W)
    status = due_status(stats, tier, NOW, W, cadence, strength=strength, chosen=chosen)
    floor_free = due_status(stats, tier, NOW, W, cadence)
    assert status.past_cadence == floor_free.past_cadence  # the floor never changes the clock
    assert status.due == (status.past_cadence and (chosen or cadence is not None or strength >= W.due_min_strength))
    assert not status.due or status.past_cadence


def test_landmarks_around_the_floor() -> None:
    """The floor (0.1) sits between a one-off exchange and a relationship with a rhythm, even a slow one."""
    from givefirst.domain.model import Direction, InteractionKind
    from tests.domain.helpers import ago, history

    email, meeting = InteractionKind.EMAIL, InteractionKind.MEETING
    one_off = history([(ago(200), email, Direction.OUTBOUND), (ago(199), email, Direction.INBOUND)])
    yearly_lunch = history([(ago(200 + 365 * k), meeting, Direction.MUTUAL) for k in range(4)])
    for stats, due in ((one_off, False), (yearly_lunch, True)):
        strength = tie_strength(stats, NOW, W).score
        status = due_status(stats, Tier.ACQUAINTANCE, NOW, W, strength=strength)
        assert status.past_cadence and status.due is due and status.weak is not due
