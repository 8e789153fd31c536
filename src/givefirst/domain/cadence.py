"""When a relationship is due for a touch, and when it is at risk of going cold.

* Cadence: per-tier defaults (inner 14 days, close 30, active 90, acquaintance 180), or the person's override.
* Due counts from the last *real* interaction, never from the last reminder or snooze, so that putting a
  reminder off does not pretend the relationship was tended.
* At risk: silence longer than `at_risk_gap_multiple` (about 8) times the relationship's own usual gap, the mean
  gap between its interactions. A tie touched weekly is at risk after two months; one touched yearly only after
  years. Needs at least `at_risk_min_interactions` interactions to know a rhythm.
* Worth a touch: a tie past its cadence is *due* only when it is worth the effort — its strength at least
  `due_min_strength` (0.1: about one email exchange two months ago), unless the user chose its cadence or tier.
  A real mailbox holds hundreds of one-off correspondents, every one of them "past" a six-month cadence; they
  are `weak`, listed only when asked for (`people --due --include-weak`), never in the plan.
* At stake: what letting the tie slide would cost, `strength × urgency`, urgency being how overdue (capped at
  three cadences, as a third each) plus 0.3 when the tie is at risk. The plan and `people --due` rank by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from givefirst.domain.decay import days_between
from givefirst.domain.model import Tier, TieStats
from givefirst.domain.weights import Weights

OVERDUE_CAP = 3.0  # beyond three cadences of silence a tie is no more urgent: it is overdue, full stop
AT_RISK_URGENCY = 0.3  # a tie whose own rhythm has broken is more urgent than its cadence alone says


@dataclass(frozen=True, slots=True)
class DueStatus:
    cadence_days: int | None  # None for a dormant tie: revival is proposed separately
    days_since: float | None  # None when there was never a real interaction
    overdue_ratio: float  # days_since / cadence; ≥ 1 means past the cadence
    usual_gap_days: float | None
    at_risk: bool
    weak: bool = False  # below the strength floor (and not chosen by the user): past its cadence, but not due

    @property
    def past_cadence(self) -> bool:
        """Silent for longer than the cadence, worth it or not (what `--include-weak` lists)."""
        return self.cadence_days is not None and self.overdue_ratio >= 1.0

    @property
    def due(self) -> bool:
        """Past the cadence and worth a touch: strong enough, or a cadence or tier the user chose."""
        return self.past_cadence and not self.weak


def urgency(status: DueStatus) -> float:
    """Return how much a tie is slipping, in [0, 1 + AT_RISK_URGENCY]; 0 before its cadence has passed."""
    if not status.past_cadence:
        return 0.0
    return min(status.overdue_ratio, OVERDUE_CAP) / OVERDUE_CAP + (AT_RISK_URGENCY if status.at_risk else 0.0)


def at_stake(strength: float, status: DueStatus) -> float:
    """Return what is at stake in letting the tie slide: strength × urgency (0 when not past its cadence)."""
    return max(strength, 0.0) * urgency(status)


def usual_gap_days(stats: TieStats) -> float | None:
    """Return the mean gap between the relationship's interactions, or None without enough history."""
    if stats.first_at is None or stats.last_at is None or stats.touches < 2:
        return None
    return days_between(stats.first_at, stats.last_at) / (stats.touches - 1)


def due_status(
    stats: TieStats,
    tier: Tier,
    now: datetime,
    w: Weights,
    cadence_override: int | None = None,
    *,
    strength: float | None = None,
    chosen: bool = False,
) -> DueStatus:
    """Return how due a relationship is at `now`.

    With its `strength`, a tie below `w.due_min_strength` is `weak` (not due) unless `chosen`: the user set
    its cadence or tier. A cadence override counts as chosen by itself. Without a strength no floor applies.
    """
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
    chosen = chosen or cadence_override is not None
    weak = strength is not None and not chosen and strength < w.due_min_strength
    return DueStatus(cadence, since, ratio, gap, at_risk, weak)
