"""Exponential time decay and the running decayed sums kept per relationship.

A decayed sum S(t) = Σ wᵢ · 2^(−(t − tᵢ)/h) can be stored as a value and the moment it is valid at; moving it
to a later t multiplies by 2^(−Δt/h). Adding one more term is O(1), so the daily plan never rescans history.
This is how Roth et al. (KDD 2010, "Suggesting friends using the implicit social graph") keep Gmail's
interaction rank current.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
    return stats._replace(
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
    return stats._replace(
        outbound=stats.outbound + (w if direction is Direction.OUTBOUND else 0.0),
        inbound=stats.inbound + (w if direction is Direction.INBOUND else 0.0),
        mutual=stats.mutual + (w if direction is Direction.MUTUAL else 0.0),
        touches=stats.touches + 1,
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
    return stats._replace(
        gives=stats.gives + (w if is_give else 0.0),
        takes=stats.takes + (0.0 if is_give else w),
        received=stats.received + (0.0 if is_give or is_ask else w),
        last_give_at=_later(stats.last_give_at, at) if is_give else stats.last_give_at,
        last_ask_at=_later(stats.last_ask_at, at) if is_ask else stats.last_ask_at,
    )


def fold_history(
    interactions: Iterable[tuple[datetime, InteractionKind, Direction]],
    exchanges: Iterable[tuple[datetime, float, bool, bool]],
    kind_weights: Mapping[InteractionKind, float],
    half_life_days: float,
    ledger_half_life_days: float,
) -> TieStats | None:
    """Return the statistics of a whole history, the same as folding each event in turn, but much faster.

    `interactions` are (when, kind, direction); `exchanges` are (when, weight, is_give, is_ask). Rebuilding the
    record for every event costs microseconds each; a large network has hundreds of thousands of events, so
    this keeps plain running numbers and builds the record once (it is checked against `fold_interaction` and
    `fold_exchange` by the tests).
    """
    events: list[tuple[datetime, int, float, int]] = []  # (when, 0 interaction / 1 exchange, weight, code)
    for at, kind, direction in interactions:
        if kind is not InteractionKind.NOTE:
            code = 0 if direction is Direction.OUTBOUND else 1 if direction is Direction.INBOUND else 2
            events.append((at, 0, kind_weights.get(kind, 1.0), code))
    for at, weight, is_give, is_ask in exchanges:
        events.append((at, 1, weight, 0 if is_give else 1 if is_ask else 2))
    if not events:
        return None
    events.sort(key=lambda e: (e[0], e[1]))
    sums = [0.0, 0.0, 0.0]  # outbound, inbound, mutual
    gives = takes = received = 0.0
    t_contact = t_ledger = events[0][0]
    touches = two_way = 0
    first_at = last_at = last_ask = last_give = None
    for at, is_exchange, weight, code in events:
        if is_exchange:
            f = decay_factor(days_between(t_ledger, at), ledger_half_life_days)
            gives, takes, received = gives * f, takes * f, received * f
            t_ledger = at
            if code == 0:
                gives += weight
                last_give = at
            else:
                takes += weight
                if code == 1:
                    last_ask = at
                else:
                    received += weight
        else:
            f = decay_factor(days_between(t_contact, at), half_life_days)
            sums[0], sums[1], sums[2] = sums[0] * f, sums[1] * f, sums[2] * f
            t_contact = at
            sums[code] += weight
            touches += 1
            two_way += code != 0
            first_at = first_at or at
            last_at = at
    as_of = events[-1][0]
    f = decay_factor(days_between(t_contact, as_of), half_life_days)
    g = decay_factor(days_between(t_ledger, as_of), ledger_half_life_days)
    return TieStats(
        as_of=as_of, outbound=sums[0] * f, inbound=sums[1] * f, mutual=sums[2] * f, gives=gives * g,
        takes=takes * g, received=received * g, touches=touches, two_way_count=two_way, first_at=first_at,
        last_at=last_at, last_ask_at=last_ask, last_give_at=last_give,
    )  # fmt: skip
