"""Background jobs: a registry of handlers by kind, queueing, and running what is due.

Other parts of the hub plug their work in with `register(kind, handler)` (matching registers `match_item` and
`match_all`; the digests register theirs) and list their module in `HANDLER_MODULES`, so that a worker started
on its own (`givefirst hub worker`) knows every kind. A failed job is tried again later (1, 2, then 4 minutes),
then kept with its error for the lead or the operator to see.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from givefirst.hub.services.context import Hub
from givefirst.hub.store import jobs as store
from givefirst.hub.store import settings as stored_settings

Handler = Callable[[Hub, dict[str, Any]], object]
HANDLERS: dict[str, Handler] = {}
# Imported by `load_handlers`: each registers its kinds.
HANDLER_MODULES = ("givefirst.hub.services.matching", "givefirst.hub.services.digest")
MAX_ATTEMPTS = 3
STALE_LOCK = timedelta(minutes=15)  # a worker that died mid-job: another takes the job over after this
WORKER_SEEN = "worker_seen_at"  # a hub setting: when a worker last polled
WORKER_FRESH = timedelta(seconds=30)  # a worker seen this recently runs the jobs; else the web process does
log = logging.getLogger("givefirst.hub.jobs")


def register(kind: str, handler: Handler) -> None:
    """Make `handler(hub, payload)` the one that runs jobs of `kind`."""
    HANDLERS[kind] = handler


def load_handlers() -> None:
    for name in HANDLER_MODULES:
        importlib.import_module(name)


def _payload(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"))


def enqueue(
    hub: Hub, kind: str, payload: dict[str, Any], *, conn: Connection | None = None, run_after: datetime | None = None
) -> int:
    """Queue a job and return its id; the same job still waiting is not queued twice (its id is returned)."""
    if conn is None:
        with hub.engine.begin() as fresh:
            return enqueue(hub, kind, payload, conn=fresh, run_after=run_after)
    text = _payload(payload)
    found = store.pending_job(conn, kind, text)
    return found if found is not None else store.insert_job(conn, kind, text, run_after or hub.now())


def run_pending(hub: Hub, worker_name: str, *, limit: int = 10, job_id: int | None = None) -> int:
    """Claim up to `limit` due jobs (only `job_id` when given), run them, and return how many were run."""
    load_handlers()
    now = hub.now()
    with hub.engine.begin() as conn:
        taken = store.claim(conn, worker_name, now, now - STALE_LOCK, limit, job_id=job_id)
    for job in taken:
        handler = HANDLERS.get(job.kind)
        if handler is None:
            with hub.engine.begin() as conn:
                store.finish(conn, job.id, hub.now(), f"no handler for jobs of kind {job.kind!r}")
            continue
        try:
            handler(hub, json.loads(job.payload or "{}"))
        except Exception as exc:  # a job's failure is recorded on it; the worker goes on with the others
            log.exception("job %s (%s) failed", job.id, job.kind)
            message = f"{type(exc).__name__}: {exc}"[:2000]
            with hub.engine.begin() as conn:
                if job.attempts >= MAX_ATTEMPTS:
                    store.finish(conn, job.id, hub.now(), message)
                else:
                    store.retry(conn, job.id, hub.now() + timedelta(minutes=2 ** (job.attempts - 1)), message)
            continue
        with hub.engine.begin() as conn:
            store.finish(conn, job.id, hub.now())
    return len(taken)


def heartbeat(hub: Hub) -> None:
    """Note that a worker is polling, so the web process leaves the jobs to it."""
    with hub.engine.begin() as conn:
        stored_settings.put(conn, WORKER_SEEN, hub.now().isoformat())


def worker_alive(hub: Hub) -> bool:
    with hub.engine.connect() as conn:
        seen = stored_settings.get(conn, WORKER_SEEN)
    if not seen:
        return False
    try:
        return hub.now() - datetime.fromisoformat(seen) < WORKER_FRESH
    except ValueError:
        return False


def status(hub: Hub) -> dict[str, int]:
    with hub.engine.connect() as conn:
        return store.counts(conn)
