"""Live sources while `givefirst serve` runs: due syncs in a background thread, and their state for the Import page.

One thread wakes every `interval` seconds and syncs the sources that are due, one after another (a sync holds
its source's claim in the database, so a `givefirst sync` from cron at the same moment skips it rather than
reading it twice). A failed sync is recorded on the source and shown on the Import page; the thread goes on.
After a round that synced, `heard` reads what is new (the sources turned off for heard are left out), so that
Today's Heard section has what the new mail and meetings say without a visit to the Heard page.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from fastapi import APIRouter, Request

from givefirst.web.context import WebState, request_app

log = logging.getLogger("givefirst.sync")
router = APIRouter()
INTERVAL = 60.0  # seconds between looks at what is due: schedules are in minutes


class SyncRunner:
    def __init__(self, state: WebState, interval: float = INTERVAL) -> None:
        self.state, self.interval = state, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs = 0  # syncs run (or found busy) since the server started

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="givefirst-sync", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)  # a sync in progress finishes its unit, or is rolled back at exit

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_due()
            except Exception:  # the server must outlive a broken database read; the next round retries
                log.exception("background sync failed")
            self._stop.wait(self.interval)

    def run_due(self) -> None:
        from givefirst.services.sync import due_sources, run_sync

        synced = False
        for name in due_sources(self.state.app()):
            if self._stop.is_set():
                return
            result = run_sync(self.state.app(), name)
            self.runs += 1
            if result.error:
                log.warning("sync of %s failed: %s", name, result.error)
            synced = synced or result.ok
            if result.report.totals().get("interactions added") or result.report.totals().get("added"):
                self.state.cache.changed()
        if synced:  # a sync may also have kept bodies of mail already there: the scan reads only what is new
            self.hear()

    def hear(self) -> None:
        """Read what the syncs brought in for needs and offers, leaving out the sources turned off."""
        from givefirst.services import heard

        report = heard.scan(self.state.app())
        if report.proposed or report.broadcast:
            self.state.cache.changed()


def sources_data(request: Request) -> list[dict[str, Any]]:
    from givefirst.services.sync import list_sources

    return [s.as_dict() for s in list_sources(request_app(request))]


@router.get("/import/sources.json", tags=["import"], summary="The saved live sources: last sync, result, next due")
def sources_json(request: Request) -> list[dict[str, Any]]:
    data = sources_data(request)
    for source in data:
        source.pop("config", None)  # where the password comes from stays off the wire
    return data
