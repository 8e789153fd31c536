"""The jobs table: claims are exclusive (SKIP LOCKED on PostgreSQL), handlers plug in, failures are retried."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from givefirst.hub.services import jobs
from givefirst.hub.services.context import Hub
from givefirst.hub.store import jobs as store
from givefirst.hub.store.schema import jobs as table


def test_two_workers_polling_at_once_take_different_jobs(hub: Hub) -> None:
    if hub.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: the second claim waits instead of skipping")
    for n in range(4):
        jobs.enqueue(hub, "test_kind", {"n": n})
    now = hub.now()
    with hub.engine.connect() as first, hub.engine.connect() as second:
        one = first.begin()
        mine = store.claim(first, "w1", now, now - timedelta(minutes=15), 2)
        two = second.begin()
        theirs = store.claim(second, "w2", now, now - timedelta(minutes=15), 4)  # does not wait for the first
        assert len(mine) == 2 and len(theirs) == 2
        assert not {j.id for j in mine} & {j.id for j in theirs}
        one.commit()
        two.commit()


def test_registered_handlers_run_and_failures_are_retried_then_kept(hub: Hub) -> None:
    seen: list[dict[str, Any]] = []

    def handler(_hub: Hub, payload: dict[str, Any]) -> None:
        if payload.get("fail"):
            raise RuntimeError("the SMTP server said no")
        seen.append(payload)

    jobs.register("test_digest", handler)
    assert jobs.enqueue(hub, "test_digest", {"member": 1}) == jobs.enqueue(hub, "test_digest", {"member": 1})
    failing = jobs.enqueue(hub, "test_digest", {"fail": True})
    assert jobs.run_pending(hub, "w") == 2 and seen == [{"member": 1}]
    with hub.engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == failing)).one()
    assert row.done_at is None and row.locked_at is None and "SMTP" in row.error and row.run_after > hub.now()
    for _attempt in range(2):  # tried again later, three times in all, then kept with its error
        with hub.engine.begin() as conn:
            conn.execute(table.update().where(table.c.id == failing).values(run_after=hub.now()))
        assert jobs.run_pending(hub, "w") == 1
    with hub.engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == failing)).one()
    assert row.done_at is not None and row.attempts == 3
    assert jobs.status(hub) == {"waiting": 0, "running": 0, "failed": 1}


def test_the_web_runs_jobs_only_when_no_worker_polls(hub: Hub) -> None:
    assert not jobs.worker_alive(hub)
    jobs.heartbeat(hub)
    assert jobs.worker_alive(hub)
