"""Saved live sources and where each one's incremental reading stands (mail waits in `store.mail`, as imports' does)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, or_, select, update

from givefirst.store.schema import live_source_state, live_sources


# sources ---------------------------------------------------------------------------------------------------
def add_source(conn: Connection, name: str, kind: str, config: str, every_minutes: int, now: datetime) -> int:
    values = {"name": name, "kind": kind, "config": config, "every_minutes": every_minutes, "created_at": now}
    return int(conn.execute(insert(live_sources).values(**values).returning(live_sources.c.id)).scalar_one())


def source_by_name(conn: Connection, name: str) -> Row[Any] | None:
    return conn.execute(select(live_sources).where(live_sources.c.name == name)).first()


def all_sources(conn: Connection) -> list[Row[Any]]:
    return list(conn.execute(select(live_sources).order_by(live_sources.c.name)))


def set_config(conn: Connection, source_id: int, config: str) -> None:
    conn.execute(update(live_sources).where(live_sources.c.id == source_id).values(config=config))


def remove_source(conn: Connection, source_id: int) -> None:
    """Delete a source with its state (cascade); the interactions it brought in stay."""
    # no cascade on SQLite without foreign keys
    conn.execute(delete(live_source_state).where(live_source_state.c.source_id == source_id))
    conn.execute(delete(live_sources).where(live_sources.c.id == source_id))


def claim(conn: Connection, source_id: int, now: datetime, stale_before: datetime) -> bool:
    """Mark the source as syncing, unless another sync holds it (one that started after `stale_before`)."""
    result = conn.execute(
        update(live_sources)
        .where(
            live_sources.c.id == source_id,
            or_(live_sources.c.running_since.is_(None), live_sources.c.running_since < stale_before),
        )
        .values(running_since=now, last_started_at=now)
    )
    return result.rowcount == 1


def finish(conn: Connection, source_id: int, now: datetime, result: str, error: str | None, totals: str) -> None:
    conn.execute(
        update(live_sources)
        .where(live_sources.c.id == source_id)
        .values(running_since=None, last_finished_at=now, last_result=result, last_error=error, last_totals=totals)
    )


# incremental state -----------------------------------------------------------------------------------------
def load_state(conn: Connection, source_id: int) -> dict[str, str]:
    rows = conn.execute(
        select(live_source_state.c.key, live_source_state.c.value).where(live_source_state.c.source_id == source_id)
    )
    return {str(key): str(value) for key, value in rows}


def save_state(conn: Connection, source_id: int, updates: Mapping[str, str | None]) -> None:
    """Set (or, for None, delete) state keys of a source."""
    if not updates:
        return
    table = live_source_state
    conn.execute(delete(table).where(table.c.source_id == source_id, table.c.key.in_(list(updates))))
    rows = [{"source_id": source_id, "key": k, "value": v} for k, v in updates.items() if v is not None]
    if rows:
        conn.execute(insert(table), rows)
