"""A page cache for the busiest pages (the board, "whom I can help"), per web process, keyed so that it can never
serve a page to someone who may not see it, nor a page older than the data.

The key holds:

- **the data version** (`hub.store.versioning`): a counter that triggers bump in every transaction writing a
  table these pages read (items, matches, members, introductions...). It is read *before* the page is built, so
  the page is at least as new as the version it is stored under; any write makes every stored page unreachable.
- **the member**: their id, chapter, role and name (what they may see and what the header shows). Pages are
  never shared between members — the safe choice, since the board and /help depend on who asks (their own items'
  Edit buttons, their offers' matches, the access rule).
- **the page and its query** (filters, page number), and **today's date** (items expire by date).

The session's CSRF token is not in the stored page: it is rendered as a random placeholder, replaced by the
asking session's token on every answer, so two sessions of one member never see each other's token. Requests
without a session token (API bearer tokens) are built every time and not stored.

Bounded by bytes (least recently used out first); pages of an older version are dropped when a newer one is
seen; GIVEFIRST_HUB_PAGE_CACHE=off stores nothing (to measure what a page costs to build). Each worker process
has its own; they agree through the version, which lives in the database.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from givefirst.hub.domain.model import Member
from givefirst.hub.web.context import hub_of, render

MAX_BYTES = 48 * 1024 * 1024  # ~1,000 board pages of 50 items a worker
# Stands in for the session's CSRF token in a stored page; random per process, so no page or input can hold it.
PLACEHOLDER = "csrfslot" + secrets.token_hex(16)

Built = tuple[str, dict[str, Any]]  # a template's name and its context


def page_cache_on() -> bool:
    """Pages are reused unless GIVEFIRST_HUB_PAGE_CACHE=off (to measure what a page costs to build)."""
    return os.environ.get("GIVEFIRST_HUB_PAGE_CACHE", "on").strip().lower() not in ("off", "0", "no", "false")


class PageCache:
    """Rendered pages (bytes, CSRF placeholder inside) by key, for one data version at a time."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.version = -1
        self.size = 0
        self.hits = self.misses = 0
        self._pages: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()  # used from the event loop; a lock in case a sync route ever calls it

    def get(self, version: int, key: Hashable) -> bytes | None:
        with self._lock:
            found = self._pages.get(key) if version == self.version else None
            if found is None:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return found

    def put(self, version: int, key: Hashable, body: bytes) -> None:
        with self._lock:
            if version < self.version:
                return  # built from an older version than pages already stored: nobody will ask for it
            if version > self.version:
                self._pages.clear()
                self.size, self.version = 0, version
            old = self._pages.pop(key, None)
            self.size -= len(old) if old is not None else 0
            if len(body) > self.max_bytes:
                return
            self._pages[key] = body
            self.size += len(body)
            while self.size > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self.size -= len(dropped)


def cache_of(request: Request) -> PageCache:
    found: PageCache = request.app.state.page_cache  # made by create_hub_app
    return found


async def cached_page(
    request: Request, member: Member, page: str, params: tuple[Hashable, ...], build: Callable[[], Built]
) -> HTMLResponse:
    """Answer `page` for `member` from the cache, or build it (`build` returns the template and its context).

    Awaited by `async` routes: a page found in the cache is answered on the event loop, with no thread-pool hop
    and no database round trip (the guard read the data version with the session); only building one runs in
    the thread pool (its queries are blocking calls).
    """
    csrf: str = getattr(request.state, "csrf", "")
    # Read by the guard in the session's statement, before this page is built: a page stored under it is at least
    # as new as the version says. None without a session (an API token) or without a counter: build every time.
    version: int | None = getattr(request.state, "data_version", None)
    if not csrf or version is None:
        return await run_in_threadpool(lambda: render(request, *build()))
    cache = cache_of(request)
    key = (page, params, hub_of(request).now().date(), member)  # the whole member: id, chapter, role, name...
    body = cache.get(version, key)
    if body is None:

        def build_page() -> bytes:
            name, context = build()
            return bytes(render(request, name, context, csrf=PLACEHOLDER).body)

        body = await run_in_threadpool(build_page)
        cache.put(version, key, body)
    return HTMLResponse(body.replace(PLACEHOLDER.encode(), csrf.encode()))
