"""The jobs table: background work (matching passes, digests) any number of workers share.

A worker claims jobs by stamping them (`locked_at`, `locked_by`) in a short transaction; on PostgreSQL the rows
are read `FOR UPDATE SKIP LOCKED`, so two workers polling at once take different jobs instead of waiting on
each other. SQLite has one writer at a time: the conditional update alone makes a claim exclusive there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, or_, select, update

from givefirst.hub.store.schema import jobs


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    payload: str
    attempts: int


def insert_job(conn: Connection, kind: str, payload: str, run_after: datetime) -> int:
    return int(conn.scalar(insert(jobs).values(kind=kind, payload=payload, run_after=run_after).returning(jobs.c.id)))


def pending_job(conn: Connection, kind: str, payload: str) -> int | None:
    """Return the id of a job of this kind and payload not yet started, so the same work is not queued twice."""
    return conn.execute(
        select(jobs.c.id).where(
            jobs.c.kind == kind, jobs.c.payload == payload, jobs.c.done_at.is_(None), jobs.c.locked_at.is_(None)
        )
    ).scalar()


def claim(
    conn: Connection, worker: str, now: datetime, stale: datetime, limit: int, *, job_id: int | None = None
) -> list[Job]:
    """Stamp up to `limit` due jobs as this worker's and return them (a lock older than `stale` is taken over)."""
    free = or_(jobs.c.locked_at.is_(None), jobs.c.locked_at < stale)
    query = select(jobs.c.id).where(jobs.c.done_at.is_(None), jobs.c.run_after <= now, free)
    if job_id is not None:
        query = query.where(jobs.c.id == job_id)
    query = query.order_by(jobs.c.run_after, jobs.c.id).limit(limit)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    taken: list[Job] = []
    for candidate in conn.scalars(query).all():
        done = conn.execute(
            update(jobs)
            .where(jobs.c.id == candidate, jobs.c.done_at.is_(None), free)
            .values(locked_at=now, locked_by=worker[:100], attempts=jobs.c.attempts + 1)
        ).rowcount
        if done:
            row = conn.execute(select(jobs).where(jobs.c.id == candidate)).one()
            taken.append(Job(row.id, row.kind, row.payload, row.attempts))
    return taken


def finish(conn: Connection, job_id: int, now: datetime, error: str | None = None) -> None:
    conn.execute(update(jobs).where(jobs.c.id == job_id).values(done_at=now, error=error))


def retry(conn: Connection, job_id: int, run_after: datetime, error: str) -> None:
    conn.execute(update(jobs).where(jobs.c.id == job_id).values(locked_at=None, locked_by=None, run_after=run_after,
                                                                   error=error))  # fmt: skip


def counts(conn: Connection) -> dict[str, int]:
    """Return how many jobs are waiting, running and failed (for the worker's report)."""
    waiting = conn.execute(select(func.count()).where(jobs.c.done_at.is_(None), jobs.c.locked_at.is_(None))).scalar()
    running = conn.execute(select(func.count()).where(jobs.c.done_at.is_(None), jobs.c.locked_at.is_not(None))).scalar()
    failed = conn.execute(select(func.count()).where(jobs.c.done_at.is_not(None), jobs.c.error.is_not(None))).scalar()
    return {"waiting": int(waiting or 0), "running": int(running or 0), "failed": int(failed or 0)}
