"""`DueFilter.stake_bound` is never below what is at stake in a tie (`domain.cadence.at_stake`), whatever its
statistics and the weights: the plan leaves unread the due ties whose bound is below its shortlist. And
`counts_at_employer` classifies a tie as the plan does, or says it cannot tell (the plan then reads it)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain.cadence import at_stake, due_status
from givefirst.domain.decay import days_between
from givefirst.domain.model import Tier, TieStats
from givefirst.domain.strength import is_dormant, strength_parts, strength_score, tier_for
from givefirst.domain.weights import Weights
from givefirst.services.due_candidates import DueFilter, counts_at_employer
from tests.conftest import NOW

weights = st.builds(
    Weights,
    saturation=st.sampled_from([3.0, 15.0, 40.0]),
    at_risk_gap_multiple=st.sampled_from([0.5, 2.0, 8.0, 30.0]),
    at_risk_min_interactions=st.sampled_from([1, 2, 3, 10]),
    due_min_strength=st.sampled_from([0.0, 0.1, 0.3]),
    tier_thresholds=st.sampled_from([(0.7, 0.4, 0.15), (0.5, 0.3, 0.05), (0.9, 0.5, 0.0)]),
    dormant_years=st.sampled_from([1.0, 3.0]),
)
days = st.floats(min_value=0, max_value=3000, allow_nan=False)
amount = st.floats(min_value=0, max_value=50, allow_nan=False)


@settings(max_examples=400, deadline=None)
@given(w=weights, silent=days, span=days, touches=st.integers(1, 200), two_way=st.integers(0, 200),
       out=amount, inb=amount, mutual=amount, gives=amount)  # fmt: skip
def test_the_bound_is_at_least_what_is_at_stake(w: Weights, silent: float, span: float, touches: int,
                                                two_way: int, out: float, inb: float, mutual: float,
                                                gives: float) -> None:  # fmt: skip
    last = NOW - timedelta(days=silent)
    first = last - timedelta(days=span)
    stats = TieStats(as_of=last, outbound=out, inbound=inb, mutual=mutual, gives=gives, touches=touches,
                     two_way_count=min(two_way, touches), first_at=first, last_at=last)  # fmt: skip
    strength = strength_score(stats, NOW, w)
    tier = tier_for(strength, stats, NOW, w)
    exact = at_stake(strength, due_status(stats, tier, NOW, w, strength=strength))
    raw = sum(strength_parts(stats, NOW, w))
    since = days_between(last, NOW)
    bound = DueFilter(w, include_weak=False).stake_bound(raw, since, touches, days_between(first, last))
    if not is_dormant(stats, NOW, w):  # (a dormant tie is revived, not kept in touch)
        assert bound >= exact


@settings(max_examples=400, deadline=None)
@given(w=weights, silent=days, span=days, touches=st.integers(1, 200), two_way=st.integers(0, 200),
       out=amount, inb=amount, mutual=amount)  # fmt: skip
def test_a_tie_counts_at_its_employer_as_the_plan_counts_it(w: Weights, silent: float, span: float, touches: int,
                                                            two_way: int, out: float, inb: float,
                                                            mutual: float) -> None:  # fmt: skip
    last = NOW - timedelta(days=silent)
    first = last - timedelta(days=span)
    stats = TieStats(as_of=last, outbound=out, inbound=inb, mutual=mutual, touches=touches,
                     two_way_count=min(two_way, touches), first_at=first, last_at=last)  # fmt: skip
    tier = Tier.DORMANT if is_dormant(stats, NOW, w) else tier_for(strength_score(stats, NOW, w), stats, NOW, w)
    exact = tier in (Tier.INNER, Tier.CLOSE, Tier.ACTIVE)  # what `domain.plan` counts at an employer
    raw = sum(strength_parts(stats, NOW, w))
    told = counts_at_employer(w, raw, days_between(last, NOW), stats.two_way_count)
    assert told is None or told == exact
    assert counts_at_employer(w, raw, None, stats.two_way_count) is False  # never in touch: not classified


@settings(max_examples=300, deadline=None)
@given(w=weights, raw=st.floats(0, 200), lower=st.floats(0, 1), since=days, span=days, touches=st.integers(1, 200))
def test_the_ceiling_of_a_raw_strength_is_above_every_bound_at_or_below_it(w: Weights, raw: float, lower: float,
                                                                            since: float, span: float,
                                                                            touches: int) -> None:  # fmt: skip
    test = DueFilter(w, include_weak=False)
    assert test.ceiling(raw) >= test.stake_bound(raw * lower, since, touches, span)
    assert test.ceiling(raw) >= test.ceiling(raw * lower)
