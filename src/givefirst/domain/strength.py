"""Tie strength in [0, 1] and the tier it puts a relationship in.

raw = mutual + two_way_factor · min(out, in) + one_way_factor · |out − in|
      + ledger_factor · (gives + received) + history
strength = 1 − exp(−raw / saturation)

* `out`, `in`, `mutual` are decayed sums of interaction weights (`decay.py`); two-way exchange is required for a
  strong tie, so unanswered touches in one direction only count `one_way_factor` (Gilbert & Karahalios 2009
  find reciprocal communication among the strongest predictors; Granovetter 1973 defines tie strength by time,
  intensity, intimacy and reciprocal services).
* gives and favours received count as contact of substance ("reciprocal services"); an ask alone does not
  strengthen a tie.
* history = history_weight · (1 − exp(−two_way_count / history_full_count)) · min(span / history_full_years, 1)
  does not decay: a long two-way relationship keeps a floor, which is what makes a dormant tie worth reviving
  (Levin, Walter & Murnighan 2011) and lets long relationships fade more slowly than short ones.
* The saturating map keeps the score in [0, 1] and monotone in every component, so a new interaction never
  lowers strength and time alone never raises it.
"""

from __future__ import annotations

import math
from datetime import datetime

from givefirst.domain.decay import days_between, decay_factor
from givefirst.domain.model import Component, Explained, Tier, TieStats
from givefirst.domain.weights import Weights


def history_term(stats: TieStats, w: Weights) -> float:
    """Return the non-decaying part of raw strength earned by a long two-way history."""
    if stats.first_at is None or stats.last_at is None:
        return 0.0
    span_years = days_between(stats.first_at, stats.last_at) / 365.25
    depth = 1.0 - math.exp(-stats.two_way_count / w.history_full_count)
    return w.history_weight * depth * min(span_years / w.history_full_years, 1.0)


def strength_parts(stats: TieStats, now: datetime, w: Weights) -> tuple[float, float, float, float]:
    """Return the four components of raw strength at `now`: two-way, one-way, gives and favours, history."""
    # Decay factors computed here rather than through `decay_to`: this runs for every person in the plan.
    days = days_between(stats.as_of, now)
    f = decay_factor(days, w.half_life_days)
    out, inb = stats.outbound * f, stats.inbound * f
    return (
        stats.mutual * f + w.two_way_factor * min(out, inb),
        w.one_way_factor * abs(out - inb),
        w.ledger_factor * (stats.gives + stats.received) * decay_factor(days, w.ledger_half_life_days),
        history_term(stats, w),
    )


def strength_score(stats: TieStats, now: datetime, w: Weights, override: float | None = None) -> float:
    """Return tie strength at `now` as a bare number (what `tie_strength` explains), for ranking many people."""
    return score_of_parts(() if override is not None else strength_parts(stats, now, w), w, override)


def score_of_parts(parts: tuple[float, ...], w: Weights, override: float | None = None) -> float:
    """Return the strength that `strength_parts` add up to, saturating toward 1 (the override, when set, instead)."""
    if override is not None:
        return min(max(override, 0.0), 1.0)
    return min(max(1.0 - math.exp(-sum(parts) / w.saturation), 0.0), 1.0)


def tie_strength(stats: TieStats, now: datetime, w: Weights, override: float | None = None) -> Explained:
    """Return tie strength at `now` with its named components (the user's override wins when set)."""
    two_way, one_way, ledger, history = strength_parts(stats, now, w)
    parts = (
        Component("two-way contact", two_way, "meetings, calls and answered messages"),
        Component("one-way contact", one_way, "messages not answered in kind"),
        Component("gives and favours", ledger, "given and received"),
        Component("history", history, "years of two-way contact; does not decay"),
    )
    score = score_of_parts((two_way, one_way, ledger, history), w, override)  # the parts computed once
    if override is not None:
        return Explained(score, (*parts, Component("override", score, "set by you")))
    return Explained(score, parts)


def is_dormant(stats: TieStats, now: datetime, w: Weights) -> bool:
    """Return True when a relationship that had two-way contact has been silent for `dormant_years` or more."""
    if stats.last_at is None or stats.two_way_count == 0:
        return False
    return days_between(stats.last_at, now) >= w.dormant_years * 365.25


def tier_for(strength: float, stats: TieStats, now: datetime, w: Weights, override: Tier | None = None) -> Tier:
    """Return the tier: the override, dormant after years of silence, else by strength thresholds."""
    if override is not None:
        return override
    if is_dormant(stats, now, w):
        return Tier.DORMANT
    inner, close, active = w.tier_thresholds
    if strength >= inner:
        return Tier.INNER
    if strength >= close:
        return Tier.CLOSE
    if strength >= active:
        return Tier.ACTIVE
    return Tier.ACQUAINTANCE
