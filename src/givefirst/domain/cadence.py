"""When a relationship is due for a touch, and when it is at risk of going cold.

* Cadence: per-tier defaults (inner 14 days, close 30, active 90, acquaintance 180), or the person's override.
* Due counts from the last *real* interaction, never from the last reminder or snooze, so that putting a
  reminder off does not pretend the relationship was tended.
* At risk: silence longer than `at_risk_gap_multiple` (about 8) times the relationship's own usual gap, the mean
  gap between its interactions. A tie touched weekly is at risk after two months; one touched yearly only after
  years. Needs at least `at_risk_min_interactions` interactions to know a rhythm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from givefirst.domain.decay import days_between
from givefirst.domain.model import Tier, TieStats
from givefirst.domain.weights import Weights


@dataclass(frozen=True, slots=True)
class DueStatus:
    cadence_days: int | None  # None for a dormant tie: revival is proposed separately
    days_since: float | None  # None when there was never a real interaction
    overdue_ratio: float  # days_since / cadence; ≥ 1 means due
    usual_gap_days: float | None
    at_risk: bool

    @property
    def due(self) -> bool:
        return self.cadence_days is not None and self.overdue_ratio >= 1.0


def usual_gap_days(stats: TieStats) -> float | None:
    """Return the mean gap between the relationship's interactions, or None without enough history."""
    if stats.first_at is None or stats.last_at is None or stats.touches < 2:
        return None
    return days_between(stats.first_at, stats.last_at) / (stats.touches - 1)


def due_status(
    stats: TieStats, tier: Tier, now: datetime, w: Weights, cadence_override: int | None = None
) -> DueStatus:
    """Return how due a relationship is at `now`."""
    cadence = cadence_override if cadence_override is not None else w.cadence_days.get(tier)
    since = None if stats.last_at is None else max(days_between(stats.last_at, now), 0.0)
    gap = usual_gap_days(stats)
    at_risk = (
        tier is not Tier.DORMANT
        and since is not None
        and gap is not None
        and gap > 0
        and stats.touches >= w.at_risk_min_interactions
        and since > w.at_risk_gap_multiple * gap
    )
    if cadence is None or cadence <= 0:
        return DueStatus(None, since, 0.0, gap, at_risk)
    # Never in touch: nothing to keep warm yet (an imported address book must not flood the plan).
    ratio = 0.0 if since is None else since / cadence
    return DueStatus(cadence, since, ratio, gap, at_risk)
