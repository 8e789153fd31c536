"""Small builders shared by the domain tests: TieStats made through the real fold functions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from hypothesis import strategies as st

from givefirst.domain.decay import fold_exchange, fold_interaction
from givefirst.domain.model import Direction, ExchangeDirection, ExchangeKind, InteractionKind, TieStats
from givefirst.domain.weights import Weights

W = Weights()
NOW = datetime(2026, 11, 25, 12)
EPOCH = datetime(2000, 1, 1)

REAL_KINDS = [k for k in InteractionKind if k is not InteractionKind.NOTE]


def ago(days: float, now: datetime = NOW) -> datetime:
    return now - timedelta(days=days)


def empty(as_of: datetime = EPOCH) -> TieStats:
    return TieStats(as_of=as_of)


def interact(
    stats: TieStats,
    at: datetime,
    kind: InteractionKind = InteractionKind.MEETING,
    direction: Direction = Direction.MUTUAL,
    w: Weights = W,
) -> TieStats:
    """Fold one interaction in with the weight of its kind, as the store does."""
    return fold_interaction(stats, at, kind, direction, w.kind_weights[kind], w.half_life_days, w.ledger_half_life_days)


def exchange(
    stats: TieStats,
    at: datetime,
    direction: ExchangeDirection,
    kind: ExchangeKind = ExchangeKind.ADVICE,
    w: Weights = W,
) -> TieStats:
    """Fold one ledger entry in: a give, an ask, or something received."""
    return fold_exchange(
        stats,
        at,
        is_give=direction is ExchangeDirection.GAVE,
        is_ask=direction is ExchangeDirection.ASKED,
        weight=w.exchange_weights[kind],
        half_life_days=w.half_life_days,
        ledger_half_life_days=w.ledger_half_life_days,
    )


Event = tuple[datetime, InteractionKind, Direction]
LedgerEvent = tuple[datetime, ExchangeDirection, ExchangeKind]


def history(
    events: Iterable[Event] = (),
    ledger: Iterable[LedgerEvent] = (),
    as_of: datetime = EPOCH,
    w: Weights = W,
) -> TieStats:
    """Fold interactions, then ledger entries, into fresh stats valid at `as_of`."""
    stats = empty(as_of)
    for at, kind, direction in events:
        stats = interact(stats, at, kind, direction, w)
    for when, ex_direction, ex_kind in ledger:
        stats = exchange(stats, when, ex_direction, ex_kind, w)
    return stats


# Hypothesis strategies ------------------------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2026, 11, 25, 12))
events = st.tuples(moments, st.sampled_from(list(InteractionKind)), st.sampled_from(list(Direction)))
real_events = st.tuples(moments, st.sampled_from(REAL_KINDS), st.sampled_from(list(Direction)))
ledger_events = st.tuples(moments, st.sampled_from(list(ExchangeDirection)), st.sampled_from(list(ExchangeKind)))


@st.composite
def histories(draw: st.DrawFn, max_events: int = 20, max_ledger: int = 8) -> TieStats:
    """Arbitrary stats built by the real folds, in arbitrary order, from an arbitrary starting `as_of`."""
    evs = draw(st.lists(events, max_size=max_events))
    led = draw(st.lists(ledger_events, max_size=max_ledger))
    as_of = draw(moments)
    return history(evs, led, as_of=as_of)
