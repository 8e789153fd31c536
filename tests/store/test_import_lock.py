"""The import lock in one process: held, waited for, refused, released; one database never blocks another."""

from __future__ import annotations

import os
import threading
import time

import pytest

from givefirst.services.context import App
from givefirst.store.database import create_db_engine
from givefirst.store.import_lock import ImportBusyError, describe_holder, import_lock


def test_a_held_lock_refuses_then_releases(app: App) -> None:
    told: list[str] = []
    with import_lock(app.engine, wait_seconds=0):
        with pytest.raises(ImportBusyError) as refused, import_lock(app.engine, wait_seconds=0, on_wait=told.append):
            pass
        assert f"by pid {os.getpid()}" in str(refused.value) and "nothing was imported" in str(refused.value)
        assert told == []  # not waiting: nothing to announce
        waited = import_lock(app.engine, wait_seconds=0.3, on_wait=told.append)
        with pytest.raises(ImportBusyError, match="gave up after waiting"), waited:
            pass
        assert len(told) == 1 and told[0].startswith("started ") and f"by pid {os.getpid()}" in told[0]
    with import_lock(app.engine, wait_seconds=0):  # released: free at once
        pass


def test_a_waiting_import_starts_when_the_first_ends(app: App) -> None:
    order: list[str] = []
    holding = threading.Event()

    def first() -> None:
        with import_lock(app.engine, wait_seconds=0):
            holding.set()
            time.sleep(0.5)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    assert holding.wait(10)
    with import_lock(app.engine, wait_seconds=30, on_wait=lambda who: order.append("waiting")):
        order.append("second runs")
    thread.join()
    assert order == ["waiting", "first done", "second runs"]


def test_another_database_is_not_blocked(app: App, other_app: App) -> None:
    inside = []  # a blocked lock would raise ImportBusyError at once (wait_seconds=0) and never get here
    with import_lock(app.engine, wait_seconds=0), import_lock(other_app.engine, wait_seconds=0):
        inside.append(True)
    assert inside == [True]


def test_an_in_memory_database_needs_no_lock() -> None:
    engine = create_db_engine("sqlite://")
    inside = []
    with import_lock(engine, wait_seconds=0), import_lock(engine, wait_seconds=0):
        inside.append(True)
    assert inside == [True]


def test_describing_the_holder() -> None:
    assert describe_holder(None) == "" and describe_holder("something else") == ""
    assert describe_holder("givefirst import pid 12 on elsewhere since 2020-01-02T03:04Z") == (
        f"started 2020-01-02 {time.strftime('%H:%M', time.localtime(1577934240))} by pid 12 on elsewhere"
    )
