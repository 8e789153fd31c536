"""Who may be due for a touch, from two numbers per tie computed in SQL, before anything is built in Python.

`people --due` on 100,000 people built 100,000 relationships (strength explained, tier, cadence, balance) to keep
the few thousand that are due. Here each tie's raw strength at "now" and the days since its last interaction are
computed in SQL, and only the ties that *may* be due are read (`DueFilter`'s test, written in SQL by
`store.due.due_test`): past the cadence of the tier their strength gives, and strong enough unless weak ones are
wanted. The exact rule (`domain.cadence.due_status`, through `services.relationships`) then decides among those, so
the list is the same as before, only cheaper. To make sure of that, every comparison here is rounded in the tie's
favour (the SQL sum and the Python sum may differ in their last bits), dormancy is ignored (it only ever removes a
tie), and anyone the user chose something for (a strength, a tier, a cadence) is always kept.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement

from givefirst.domain.cadence import AT_RISK_URGENCY, OVERDUE_CAP
from givefirst.domain.model import Tier
from givefirst.domain.weights import Weights
from givefirst.store import due as due_store

SLACK = 1e-9  # relative and absolute: far above the rounding of a few float operations, far below any real gap


def raw_for(strength: float, w: Weights) -> float:
    """The raw strength at which `1 − exp(−raw / saturation)` reaches `strength` (in [0, 1))."""
    return -w.saturation * math.log1p(-strength)


class DueFilter:
    """The conservative test, with the tier boundaries turned into raw strengths once."""

    def __init__(self, w: Weights, include_weak: bool) -> None:
        self.w = w
        self.risk_min = max(w.at_risk_min_interactions, 2)  # (a usual gap needs two touches)
        inner, close, active = w.tier_thresholds
        self.steps = [
            (raw_for(threshold, w), w.cadence_days.get(tier))
            for threshold, tier in ((inner, Tier.INNER), (close, Tier.CLOSE), (active, Tier.ACTIVE))
            if 0 <= threshold < 1
        ]
        self.weakest = w.cadence_days.get(Tier.ACQUAINTANCE)
        self.floor: float | None = None  # the raw strength below which a tie is weak
        if not include_weak and w.due_min_strength > 0:
            self.floor = raw_for(w.due_min_strength, w) if w.due_min_strength < 1 else math.inf

    def cadence(self, raw: float) -> int | None:
        for threshold, days in self.steps:
            if raw >= threshold:
                return days
        return self.weakest

    def may_be_due(self, raw: float, since: float | None, chosen: bool) -> bool:
        if chosen:
            return True
        if since is None or raw is None:
            return False
        high, low = raw * (1 + SLACK) + SLACK, raw * (1 - SLACK) - SLACK  # the tie's raw strength lies between
        if self.floor is not None and high < self.floor:
            return False
        longest = since * (1 + SLACK) + SLACK
        return any(days is not None and 0 < days <= longest for days in (self.cadence(high), self.cadence(low)))

    def _strength_above(self, high: float) -> float:
        strength = -math.expm1(-high / self.w.saturation)
        return (0.0 if strength < 0.0 else 1.0 if strength > 1.0 else strength) * (1 + SLACK) + SLACK

    def ceiling(self, raw: float) -> float:
        """Return at least `stake_bound` of any tie of this raw strength or less (its most urgency: overdue and
        at risk), never lower for a higher raw strength."""
        return self._strength_above(raw * (1 + SLACK) + SLACK) * (1 + AT_RISK_URGENCY) * (1 + SLACK) + SLACK

    def stake_bound(self, raw: float, since: float, touches: int | None, span: float | None) -> float:
        """Return at least what is at stake in a tie that may be due (`domain.cadence.at_stake`), from its raw
        strength, days since its last interaction, touches and days from its first interaction to its last.

        Everything is rounded up: the strength of the highest raw strength the sums allow, the shortest cadence
        of any tier that raw strength could give, at risk whenever the numbers do not rule it out. The plan
        ranks due ties by it and classifies exactly only those whose bound reaches its shortlist.
        """
        high, low = raw * (1 + SLACK) + SLACK, raw * (1 - SLACK) - SLACK
        strength = self._strength_above(high)
        shortest = None  # of the cadences of every tier a raw strength in [low, high] may give
        for days in (self.cadence(high), self.cadence(low), *(d for t, d in self.steps if low <= t <= high)):
            if days is not None and days > 0 and (shortest is None or days < shortest):
                shortest = days
        if shortest is None:
            return 0.0  # no tier it may be in has a cadence: never due
        longest = since * (1 + SLACK) + SLACK
        urgency = min(longest / (shortest * (1 - SLACK)), OVERDUE_CAP) / OVERDUE_CAP
        if span is not None and touches is not None and touches >= self.risk_min:
            gap = (span * (1 - SLACK) - SLACK) / (touches - 1)
            if longest >= self.w.at_risk_gap_multiple * gap * (1 - SLACK) - SLACK:
                urgency += AT_RISK_URGENCY
        return strength * urgency * (1 + SLACK) + SLACK


def counts_at_employer(w: Weights, raw: float, since: float | None, two_way_count: int | None) -> bool | None:
    """Return whether a tie nobody chose a strength or tier for is inner, close or active at `now` (what counts at
    its employer, `domain.plan`'s ranking of dormant ties), from its raw strength, days since its last
    interaction and two-way touches; None when the sums are too close to a boundary to tell (the caller reads
    the tie whole). False for a tie never in touch: the plan does not classify it."""
    if since is None:
        return False
    boundary = w.dormant_years * 365.25  # `domain.strength.is_dormant`
    if two_way_count and abs(since - boundary) <= (abs(since) + 1) * 1e-6:
        return None
    if two_way_count and since >= boundary:
        return False  # dormant
    lowest = min(w.tier_thresholds)  # `tier_for`: inner, close or active from the first threshold reached
    strength = min(max(-math.expm1(-raw / w.saturation), 0.0), 1.0)
    if abs(strength - lowest) <= 1e-6:
        return None
    return strength >= lowest


def shortest_cadence(w: Weights) -> int | None:
    days = [d for d in w.cadence_days.values() if d is not None and d > 0]
    return min(days) if days else None


def may_be_due(now: datetime, w: Weights, include_weak: bool = False) -> ColumnElement[bool]:
    """Return a condition on people for `store.people.list_people`: they may be due at `now` (past their cadence,
    with `include_weak`).

    A superset of the ties `domain.cadence.due_status` finds due (`past_cadence` with `include_weak`): the test of
    `DueFilter.may_be_due`, in SQL (`store.due.may_be_due`), so that the list reads only those people.
    """
    shortest = shortest_cadence(w)
    silent_since = None if shortest is None else now - timedelta(days=shortest)
    test = DueFilter(w, include_weak)
    return due_store.may_be_due(
        now, w, silent_since, steps=test.steps, weakest=test.weakest, floor=test.floor, slack=SLACK
    )
