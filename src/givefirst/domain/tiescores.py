"""Every relationship's strength, tier, due status and balance at once, as columns (numpy), for whole-network views.

`services.relationships.relationship_from_row` scores one relationship with its named components: about 50 µs
a person, a second for 20,000 — what Stats and the Network page paid on every view. Whole-network views only
need bare numbers (counts per tier, how many are due, the strongest ties), so this module computes the same
numbers for every relationship in one pass over arrays.

The results are the straightforward ones, bit for bit (a test compares them on random networks): the
arithmetic (+, −, ×, ÷, min, max) is IEEE in both, done in the same order; the transcendental steps
(2^x, eˣ) go through Python's `math` on each element, because numpy's vectorised `exp` and `power` may round
the last bit differently from the C library, and a tier threshold must fall on the same side either way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from givefirst.domain.cadence import AT_RISK_URGENCY, OVERDUE_CAP
from givefirst.domain.model import Tier
from givefirst.domain.weights import Weights

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

TIERS: tuple[Tier, ...] = tuple(Tier)  # a tier's code is its position here
NO_TIER = -1
US_PER_DAY = 86_400.0


@dataclass(frozen=True)
class StrengthColumns:
    """What the strengths of many people are computed from (`strengths`), one array per field (same order).

    Times are microseconds since the epoch (int64), with `has_*` saying which are known. A person without
    statistics has `has_stats` false and zeros (as `TieStats(as_of=now)` would). The path search reads only these
    (every tie's edge from the user); whole-network views read `TieColumns`.
    """

    person_id: Ints
    has_stats: Bools
    as_of: Ints
    outbound: Floats
    inbound: Floats
    mutual: Floats
    gives: Floats
    received: Floats
    two_way_count: Ints
    has_first: Bools
    first_at: Ints
    has_last: Bools
    last_at: Ints
    strength_override: Floats  # NaN when not set

    def __len__(self) -> int:
        return len(self.person_id)


@dataclass(frozen=True)
class TieColumns(StrengthColumns):
    """The stored statistics and the user's overrides of many people: what `score` reads (tiers, due status and
    balances as well as strengths)."""

    name: list[str]
    takes: Floats
    touches: Ints
    tier_override: Ints  # a code of TIERS, NO_TIER when not set
    cadence_override: Ints  # days; meaningful where has_cadence
    has_cadence: Bools


@dataclass(frozen=True)
class TieScores:
    """What `relationship_from_row` says of each person, as arrays in the order of the TieColumns."""

    person_id: Ints
    strength: Floats
    tier: Ints  # a code of TIERS
    due: Bools
    past_cadence: Bools
    at_risk: Bools
    at_stake: Floats
    balance: Floats
    gives: Floats  # decayed to now (the overall balance sums these)
    takes: Floats
    contacted: Bools  # has a last real interaction

    def tier_of(self, i: int) -> Tier:
        return TIERS[int(self.tier[i])]


def micros(moment: datetime) -> int:
    """Return a naive datetime as microseconds since the epoch (the unit of TieColumns' times)."""
    delta = moment - datetime(1970, 1, 1)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _days(later_us: Ints | int, earlier_us: Ints | int) -> Floats:
    # As `decay.days_between`: timedelta.total_seconds() (exact microseconds ÷ 10⁶), then ÷ 86,400.
    return np.asarray((np.asarray(later_us, dtype=np.int64) - earlier_us).astype(np.float64) / 1e6 / US_PER_DAY)


def _decay(days: Floats, half_life: float) -> Floats:
    # decay.decay_factor, element by element with the C library's pow (see the module's docstring).
    return np.array([1.0 if d <= 0 else float(0.5 ** (d / half_life)) for d in days.tolist()], dtype=np.float64)


def _exp(values: Floats) -> Floats:
    return np.array([math.exp(v) for v in values.tolist()], dtype=np.float64)


def strengths(cols: StrengthColumns, now: datetime, w: Weights) -> tuple[Floats, Floats]:
    """Return everyone's strength at `now` (`domain.strength`, the user's choice over it) and the ledger's decay
    factor of each (which `score` also uses)."""
    now_us = micros(now)
    as_of = np.where(cols.has_stats, cols.as_of, now_us)
    days = _days(now_us, as_of)
    f = _decay(days, w.half_life_days)
    g = _decay(days, w.ledger_half_life_days)
    out, inb = cols.outbound * f, cols.inbound * f
    two_way = cols.mutual * f + w.two_way_factor * np.minimum(out, inb)
    one_way = w.one_way_factor * np.abs(out - inb)
    ledger = w.ledger_factor * (cols.gives + cols.received) * g
    known = cols.has_first & cols.has_last
    span_years = _days(cols.last_at, cols.first_at) / 365.25
    depth = 1.0 - _exp(-cols.two_way_count.astype(np.float64) / w.history_full_count)
    history = np.where(known, w.history_weight * depth * np.minimum(span_years / w.history_full_years, 1.0), 0.0)
    raw = two_way + one_way + ledger + history
    computed = np.minimum(np.maximum(1.0 - _exp(-raw / w.saturation), 0.0), 1.0)
    overridden = ~np.isnan(cols.strength_override)
    chosen = np.minimum(np.maximum(np.nan_to_num(cols.strength_override), 0.0), 1.0)
    return np.where(overridden, chosen, computed), g


def score(cols: TieColumns, now: datetime, w: Weights) -> TieScores:
    """Return everyone's strength, tier, due status and balance at `now` (see `domain.strength`, `cadence`)."""
    n = len(cols)
    now_us = micros(now)
    strength, g = strengths(cols, now, w)
    known = cols.has_first & cols.has_last
    days = _days(now_us, np.where(cols.has_stats, cols.as_of, now_us))
    since_raw = _days(now_us, cols.last_at)
    dormant = cols.has_last & (cols.two_way_count != 0) & (since_raw >= w.dormant_years * 365.25)
    inner, close, active = w.tier_thresholds
    code = {t: i for i, t in enumerate(TIERS)}
    by_strength = np.select(
        [strength >= inner, strength >= close, strength >= active],
        [code[Tier.INNER], code[Tier.CLOSE], code[Tier.ACTIVE]],
        code[Tier.ACQUAINTANCE],
    )
    chosen_tier = cols.tier_override != NO_TIER
    tier = np.where(chosen_tier, cols.tier_override, np.where(dormant, code[Tier.DORMANT], by_strength))

    default_cadence = np.array([w.cadence_days.get(t, 0) or 0 for t in TIERS], dtype=np.int64)
    has_default = np.array([w.cadence_days.get(t) is not None for t in TIERS], dtype=np.bool_)
    cadence = np.where(cols.has_cadence, cols.cadence_override, default_cadence[tier])
    cadence_known = (cols.has_cadence | has_default[tier]) & (cadence > 0)
    since = np.maximum(since_raw, 0.0)
    gap_known = known & (cols.touches >= 2)
    gap = np.where(gap_known, _days(cols.last_at, cols.first_at) / np.maximum(cols.touches - 1, 1), 0.0)
    at_risk = (
        (tier != code[Tier.DORMANT])
        & cols.has_last
        & gap_known
        & (gap > 0)
        & (cols.touches >= w.at_risk_min_interactions)
        & (since > w.at_risk_gap_multiple * gap)
    )
    ratio = np.where(cadence_known & cols.has_last, since / np.where(cadence_known, cadence, 1), 0.0)
    past = cadence_known & (ratio >= 1.0)
    weak = ~(chosen_tier | cols.has_cadence) & (strength < w.due_min_strength)
    due = past & ~weak
    urgency = np.where(
        past, np.minimum(ratio, OVERDUE_CAP) / OVERDUE_CAP + np.where(at_risk, AT_RISK_URGENCY, 0.0), 0.0
    )
    at_stake = np.maximum(strength, 0.0) * urgency
    decayed = days > 0  # reciprocity.balance moves the sums to now only forwards
    gives = np.where(decayed, cols.gives * g, cols.gives)
    takes = np.where(decayed, cols.takes * g, cols.takes)
    assert len(strength) == n
    return TieScores(
        person_id=cols.person_id, strength=strength, tier=tier.astype(np.int64), due=due, past_cadence=past,
        at_risk=at_risk, at_stake=at_stake, balance=gives - takes, gives=gives, takes=takes, contacted=cols.has_last,
    )  # fmt: skip
