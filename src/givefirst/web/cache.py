"""A small read cache for what the pages derive from the whole network (the plan, the people list, a profile).

Reading the plan or scoring every relationship takes a while on 20,000 people, so the web app keeps the last
results and reuses them while nothing has changed. "Nothing has changed" is known for an SQLite file without
asking it: any commit, from this server or from the CLI in another process, changes the size or the
modification time of the database file or its write-ahead log. On PostgreSQL a counter that every writing
transaction bumps says it (`store/stamp.py`): one small query per request. The server's own writes also bump a
counter of its own. Entries also carry the hour, so "3 days ago" and what is due move on with the clock.

Whole rendered pages are kept too (`render_cached`), unless `pages` is off (GIVEFIRST_WEB_PAGE_CACHE=off): the
benchmarks turn it off to measure what a page costs to build from the derived data.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, TypeVar, cast

T = TypeVar("T")


class ReadCache:
    def __init__(
        self,
        database: str,
        size: int = 2048,
        *,
        read_stamp: Callable[[], Hashable | None] | None = None,
        pages: bool = True,
    ) -> None:
        """`read_stamp` asks a database that is not a file what identifies its contents (None: unknown)."""
        self._paths: tuple[str, ...] | None = None
        if "://" not in database:
            base = os.path.abspath(os.path.expanduser(database))
            self._paths = (base, f"{base}-wal")
        self._read_stamp = read_stamp
        self.pages = pages
        self._size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.generation = 0

    @property
    def enabled(self) -> bool:
        return self._paths is not None or self._read_stamp is not None

    def changed(self) -> None:
        """Forget everything: this server has just written."""
        with self._lock:
            self.generation += 1
            self._entries.clear()

    def stamp(self) -> Hashable | None:
        """Return what identifies the database's current contents, None when that cannot be known."""
        if self._paths is None:
            found = self._read_stamp() if self._read_stamp is not None else None
            return None if found is None else (self.generation, found)
        parts: list[int] = [self.generation]
        for path in self._paths:
            try:
                st = os.stat(path)
            except FileNotFoundError:
                parts += [0, 0]
                continue
            parts += [st.st_mtime_ns, st.st_size]
        return tuple(parts)

    def get(self, key: Hashable, now: datetime, compute: Callable[[], T]) -> T:
        """Return the cached value for `key` at the database's current state and hour, computing it if needed.

        One request computes a missing value while the others asking for it wait for that result (twenty
        clients opening Today at once compute the plan once, not twenty times).
        """
        stamp = self.stamp()
        if stamp is None:
            return compute()
        found, cached = self._lookup(key, stamp, now)
        if found:
            return cast(T, cached)
        with self._lock:
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            stamp = self.stamp()
            found, cached = self._lookup(key, stamp, now)
            if found:
                return cast(T, cached)
            for _ in range(2):
                # A value is kept under the stamp read before it was computed: what it read is at least that
                # new. Under a stamp read after, it could be served for a state it never saw (a write that
                # committed after the compute read the table it changed).
                before = stamp
                value = compute()
                stamp = self.stamp()
                if stamp == before:
                    break
                # The database changed while computing: reading it may itself write (the match cache brought up
                # to date), or another process wrote. Computed again from the new state, the value is current.
            with self._lock:
                if before is not None:
                    self._entries[(key, before, now.date(), now.hour)] = value
                    while len(self._entries) > self._size:
                        self._entries.popitem(last=False)
                self._computing.pop(key, None)
            return value

    def _lookup(self, key: Hashable, stamp: Hashable, now: datetime) -> tuple[bool, Any]:
        full = (key, stamp, now.date(), now.hour)
        with self._lock:
            if full in self._entries:
                self._entries.move_to_end(full)
                return True, self._entries[full]
        return False, None
