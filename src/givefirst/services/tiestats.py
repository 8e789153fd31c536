"""Keeping `tie_stats` true: recompute a relationship's running sums from its history after any change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from givefirst.domain.decay import fold_exchange, fold_interaction
from givefirst.domain.model import Direction, ExchangeKind, InteractionKind, TieStats
from givefirst.domain.weights import Weights
from givefirst.store import interactions as interactions_store
from givefirst.store import ledger as ledger_store
from givefirst.store import stats as stats_store
from givefirst.store.schema import people


def ledger_event(row: Any) -> tuple[datetime, bool, bool] | None:
    """Return (when, is_give, is_ask) for a ledger row that counts, or None for one that does not."""
    if row.direction == "gave":
        return (row.completed_at or row.occurred_at, True, False) if row.status == "done" else None
    if row.direction == "asked":
        return row.occurred_at, False, True  # an ask draws on the relationship whatever the answer
    if row.direction == "received" and row.status == "done":
        return row.completed_at or row.occurred_at, False, False
    return None


def compute_stats(interaction_rows: Iterable[Any], exchange_rows: Iterable[Any], w: Weights) -> TieStats | None:
    """Fold a relationship's whole history, in time order, into its running statistics."""
    events: list[tuple[datetime, int, Any]] = [(r.occurred_at, 0, r) for r in interaction_rows]
    for r in exchange_rows:
        event = ledger_event(r)
        if event is not None:
            events.append((event[0], 1, (r, event)))
    if not events:
        return None
    events.sort(key=lambda e: (e[0], e[1]))
    stats = TieStats(as_of=events[0][0])
    for at, is_exchange, payload in events:
        if is_exchange:
            row, (_, is_give, is_ask) = payload
            weight = w.exchange_weights.get(ExchangeKind(row.kind), 1.0)
            stats = fold_exchange(
                stats,
                at,
                is_give=is_give,
                is_ask=is_ask,
                weight=weight,
                half_life_days=w.half_life_days,
                ledger_half_life_days=w.ledger_half_life_days,
            )
        else:
            kind = InteractionKind(payload.kind)
            stats = fold_interaction(
                stats,
                at,
                kind,
                Direction(payload.direction),
                w.kind_weights.get(kind, 1.0),
                w.half_life_days,
                w.ledger_half_life_days,
            )
    return stats


def refresh(conn: Connection, person_ids: Iterable[int], w: Weights) -> None:
    """Recompute and store the statistics of these people from their interactions and ledger."""
    for pid in set(person_ids):
        stats = compute_stats(interactions_store.real_history(conn, pid), ledger_store.history_of(conn, pid), w)
        if stats is None:
            stats_store.delete(conn, pid)
        else:
            stats_store.save(conn, pid, stats, w.half_life_days, w.ledger_half_life_days)


def refresh_if_settings_changed(conn: Connection, w: Weights) -> int:
    """Recompute everyone when the half-lives in the settings differ from those the sums were kept with."""
    if stats_store.stale_count(conn, w.half_life_days, w.ledger_half_life_days) == 0:
        return 0
    ids = [int(pid) for pid in conn.execute(select(people.c.id)).scalars()]
    refresh(conn, ids, w)
    return len(ids)
