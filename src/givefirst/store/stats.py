"""Reading and writing the running tie statistics (`tie_stats`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select
from sqlalchemy import delete as sql_delete

from givefirst.domain.model import TieStats
from givefirst.store.schema import tie_stats

# TieStats's fields after `as_of`, in its own order, so that a row can be unpacked straight into it.
_FIELDS = TieStats._fields[1:]
STATS_COLUMNS = tuple(tie_stats.c[name] for name in ("as_of", *_FIELDS))


def row_to_stats(row: Any) -> TieStats:
    """Build TieStats from any row carrying the tie_stats columns."""
    return TieStats(as_of=row.as_of, **{f: getattr(row, f) for f in _FIELDS})


def stats_from_row(row: Any, start: int) -> TieStats | None:
    """Unpack TieStats from a row whose columns from `start` on are STATS_COLUMNS (None without statistics)."""
    return None if row[start] is None else TieStats._make(row[start:])


def load(conn: Connection, person_ids: Sequence[int] | None = None) -> dict[int, TieStats]:
    query = select(tie_stats)
    if person_ids is not None:
        query = query.where(tie_stats.c.person_id.in_(list(person_ids)))
    return {int(r.person_id): row_to_stats(r) for r in conn.execute(query)}


def save(conn: Connection, person_id: int, stats: TieStats, half_life: float, ledger_half_life: float) -> None:
    values = {f: getattr(stats, f) for f in _FIELDS}
    delete(conn, person_id)
    conn.execute(
        insert(tie_stats).values(
            person_id=person_id,
            as_of=stats.as_of,
            half_life_days=half_life,
            ledger_half_life_days=ledger_half_life,
            **values,
        )
    )


def delete(conn: Connection, person_id: int) -> None:
    conn.execute(sql_delete(tie_stats).where(tie_stats.c.person_id == person_id))


def delete_all(conn: Connection) -> None:
    conn.execute(sql_delete(tie_stats))


def save_many(conn: Connection, rows: dict[int, TieStats], half_life: float, ledger_half_life: float) -> None:
    """Replace the statistics of many people at once (bulk loads and recomputation)."""
    if not rows:
        return
    ids = list(rows)
    for start in range(0, len(ids), 5000):
        conn.execute(sql_delete(tie_stats).where(tie_stats.c.person_id.in_(ids[start : start + 5000])))
    payload = [
        dict(
            person_id=pid,
            as_of=s.as_of,
            half_life_days=half_life,
            ledger_half_life_days=ledger_half_life,
            **{f: getattr(s, f) for f in _FIELDS},
        )
        for pid, s in rows.items()
    ]
    conn.execute(insert(tie_stats), payload)


def stale_count(conn: Connection, half_life: float, ledger_half_life: float) -> int:
    """Return how many rows were computed with other half-lives than the current settings."""
    query = (
        select(func.count())
        .select_from(tie_stats)
        .where(or_(tie_stats.c.half_life_days != half_life, tie_stats.c.ledger_half_life_days != ledger_half_life))
    )
    return int(conn.execute(query).scalar_one())
