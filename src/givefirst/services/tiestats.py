"""Keeping `tie_stats` true: recompute a relationship's running sums from its history after any change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from givefirst.domain.decay import fold_history
from givefirst.domain.model import Direction, ExchangeKind, InteractionKind, TieStats
from givefirst.domain.weights import Weights
from givefirst.store import interactions as interactions_store
from givefirst.store import ledger as ledger_store
from givefirst.store import stats as stats_store


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
    contacts = [(r.occurred_at, InteractionKind(r.kind), Direction(r.direction)) for r in interaction_rows]
    events = [_ledger_tuple(r, w) for r in exchange_rows]
    ledger = [e for e in events if e is not None]
    return fold_history(contacts, ledger, w.kind_weights, w.half_life_days, w.ledger_half_life_days)


def _ledger_tuple(row: Any, w: Weights) -> tuple[datetime, float, bool, bool] | None:
    event = ledger_event(row)
    if event is None:
        return None
    at, is_give, is_ask = event
    return at, w.exchange_weights.get(ExchangeKind(row.kind), 1.0), is_give, is_ask


def refresh(conn: Connection, person_ids: Iterable[int], w: Weights) -> None:
    """Recompute and store the statistics of these people from their interactions and ledger."""
    for pid in set(person_ids):
        stats = compute_stats(interactions_store.real_history(conn, pid), ledger_store.history_of(conn, pid), w)
        if stats is None:
            stats_store.delete(conn, pid)
        else:
            stats_store.save(conn, pid, stats, w.half_life_days, w.ledger_half_life_days)


def refresh_all(conn: Connection, w: Weights) -> int:
    """Recompute everyone's statistics from two scans of the history (not two queries per person)."""
    contacts: dict[int, list[tuple[datetime, InteractionKind, Direction]]] = {}
    for pid, at, kind, direction in interactions_store.all_real_history(conn):
        contacts.setdefault(int(pid), []).append((at, InteractionKind(kind), Direction(direction)))
    ledger: dict[int, list[Any]] = {}
    for row in ledger_store.all_history(conn):
        ledger.setdefault(int(row.person_id), []).append(row)
    computed = {}
    for pid in contacts.keys() | ledger.keys():
        events = [_ledger_tuple(r, w) for r in ledger.get(pid, ())]
        stats = fold_history(contacts.get(pid, ()), [e for e in events if e is not None], w.kind_weights,
                             w.half_life_days, w.ledger_half_life_days)  # fmt: skip
        if stats is not None:
            computed[pid] = stats
    stats_store.delete_all(conn)
    stats_store.save_many(conn, computed, w.half_life_days, w.ledger_half_life_days)
    return len(computed)


def refresh_if_settings_changed(conn: Connection, w: Weights) -> int:
    """Recompute everyone when the half-lives in the settings differ from those the sums were kept with."""
    if stats_store.stale_count(conn, w.half_life_days, w.ledger_half_life_days) == 0:
        return 0
    return refresh_all(conn, w)
