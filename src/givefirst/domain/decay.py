"""Exponential time decay and the running decayed sums kept per relationship.

A decayed sum S(t) = Σ wᵢ · 2^(−(t − tᵢ)/h) can be stored as a value and the moment it is valid at; moving it
to a later t multiplies by 2^(−Δt/h). Adding one more term is O(1), so the daily plan never rescans history.
This is how Roth et al. (KDD 2010, "Suggesting friends using the implicit social graph") keep Gmail's
interaction rank current.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from givefirst.domain.model import Direction, InteractionKind, TieStats

SECONDS_PER_DAY = 86_400.0


def days_between(earlier: datetime, later: datetime) -> float:
    """Return the number of days from `earlier` to `later` (negative when `later` is before)."""
    return (later - earlier).total_seconds() / SECONDS_PER_DAY


def decay_factor(days: float, half_life_days: float) -> float:
    """Return 2^(−days/half_life): 1 at no elapsed time, ½ after one half-life; never above 1."""
    if days <= 0:
        return 1.0
    return float(0.5 ** (days / half_life_days))


def decay_to(stats: TieStats, now: datetime, half_life_days: float, ledger_half_life_days: float) -> TieStats:
    """Return `stats` with every decayed sum moved to `now`.

    Moving backwards is not meaningful (it would inflate old weight), so a `now` before `as_of` leaves the sums
    as they are.
    """
    days = days_between(stats.as_of, now)
    if days <= 0:
        return stats
    f = decay_factor(days, half_life_days)
    g = decay_factor(days, ledger_half_life_days)
    return replace(
        stats,
        as_of=now,
        outbound=stats.outbound * f,
        inbound=stats.inbound * f,
        mutual=stats.mutual * f,
        gives=stats.gives * g,
        takes=stats.takes * g,
        received=stats.received * g,
    )


def _later(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b > a else a


def _earlier(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b < a else a


def fold_interaction(
    stats: TieStats,
    at: datetime,
    kind: InteractionKind,
    direction: Direction,
    weight: float,
    half_life_days: float,
    ledger_half_life_days: float,
) -> TieStats:
    """Return `stats` with one real interaction added (at any time, before or after `as_of`)."""
    if kind is InteractionKind.NOTE:
        return stats  # a note about someone is not a touchpoint with them
    if at > stats.as_of:
        stats = decay_to(stats, at, half_life_days, ledger_half_life_days)
    w = weight * decay_factor(days_between(at, stats.as_of), half_life_days)
    two_way = direction is not Direction.OUTBOUND
    return replace(
        stats,
        outbound=stats.outbound + (w if direction is Direction.OUTBOUND else 0.0),
        inbound=stats.inbound + (w if direction is Direction.INBOUND else 0.0),
        mutual=stats.mutual + (w if direction is Direction.MUTUAL else 0.0),
        count=stats.count + 1,
        two_way_count=stats.two_way_count + (1 if two_way else 0),
        first_at=_earlier(stats.first_at, at),
        last_at=_later(stats.last_at, at),
    )


def fold_exchange(
    stats: TieStats,
    at: datetime,
    *,
    is_give: bool,
    is_ask: bool,
    weight: float,
    half_life_days: float,
    ledger_half_life_days: float,
) -> TieStats:
    """Return `stats` with one ledger entry added: a give, or a take (an ask or something received)."""
    if at > stats.as_of:
        stats = decay_to(stats, at, half_life_days, ledger_half_life_days)
    w = weight * decay_factor(days_between(at, stats.as_of), ledger_half_life_days)
    return replace(
        stats,
        gives=stats.gives + (w if is_give else 0.0),
        takes=stats.takes + (0.0 if is_give else w),
        received=stats.received + (0.0 if is_give or is_ask else w),
        last_give_at=_later(stats.last_give_at, at) if is_give else stats.last_give_at,
        last_ask_at=_later(stats.last_ask_at, at) if is_ask else stats.last_ask_at,
    )
