"""What every route shares: the server's state, an App per request, form reading and template rendering."""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import Engine

from givefirst.config import Settings
from givefirst.domain import messages
from givefirst.domain.words import plural
from givefirst.services.context import App, current_time
from givefirst.store.database import open_database
from givefirst.store.stamp import data_stamp
from givefirst.web.cache import ReadCache
from givefirst.web.security import CSRF_FIELD, Guard, LoginThrottle

HERE = Path(__file__).parent
MAX_ID = 2**53  # ids beyond this cannot exist (and would overflow SQLite's integers)
NAV = (
    ("today", "Today"), ("people", "People"), ("connect", "Connect"), ("events", "Events"), ("network", "Network"),
    ("stats", "Stats"), ("import", "Import"),
)  # fmt: skip


@dataclass(frozen=True)
class Limits:
    max_upload_bytes: int = 50 * 1024 * 1024  # one import request, all files together
    max_files: int = 20
    max_field_bytes: int = 64 * 1024  # a text field (notes, messages)


ONCE_FIELD = "form_once"


class OneTimeTokens:
    """The one-time tokens forms carry, so that a form sent twice (a double click, a reload) records once.

    Every rendered form gets a fresh random token; the first request that presents it claims it, and a second
    request with the same token is refused. Remembered in memory (the newest `limit`): a server restart signs
    everyone out anyway, so an older page's form could not be sent again.
    """

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self._used: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, token: str) -> bool:
        """Return True the first time a token is seen, False for every later time."""
        with self._lock:
            if token in self._used:
                return False
            self._used[token] = None
            if len(self._used) > self.limit:
                self._used.popitem(last=False)
            return True

    def release(self, token: str) -> None:
        """Forget a claimed token whose request recorded nothing (it was refused): the form may be sent again."""
        with self._lock:
            self._used.pop(token, None)


class Flashes:
    """Messages a redirect leaves for the page it leads to (post/redirect/get), per session, shown once."""

    def __init__(self, per_session: int = 5, sessions: int = 10_000) -> None:
        self.per_session, self.sessions = per_session, sessions
        self._pending: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, session_id: str, entry: dict[str, Any]) -> None:
        with self._lock:
            queue = self._pending.setdefault(session_id, [])
            queue.append(entry)
            del queue[: -self.per_session]
            self._pending.move_to_end(session_id)
            while len(self._pending) > self.sessions:
                self._pending.popitem(last=False)

    def pending(self, session_id: str) -> bool:
        return session_id in self._pending

    def take(self, session_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return self._pending.pop(session_id, [])


class Undos:
    """What a Done or a Snooze wrote, kept for a while so the page can offer to take it back (per session)."""

    def __init__(self, minutes: int = 15, limit: int = 10_000) -> None:
        self.seconds, self.limit = minutes * 60, limit
        self._kept: OrderedDict[str, tuple[str, float, Any, str]] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, session: str, steps: Any, message: str) -> str:
        """Keep the steps to undo an action; return the token that undoes it."""
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._kept[token] = (session, time.monotonic() + self.seconds, steps, message)
            while len(self._kept) > self.limit:
                self._kept.popitem(last=False)
        return token

    def take(self, session: str, token: str) -> tuple[Any, str] | None:
        """Return (steps, message) for a token of this session still in time, once; None otherwise."""
        with self._lock:
            found = self._kept.get(token)
            if found is None or found[0] != session:
                return None
            del self._kept[token]
        return (found[2], found[3]) if time.monotonic() <= found[1] else None


@dataclass
class WebState:
    settings: Settings
    engine: Engine
    guard: Guard
    cache: ReadCache
    env: Environment
    fixed_now: datetime | None = None
    limits: Limits = field(default_factory=Limits)
    jobs: dict[str, Any] = field(default_factory=dict)
    jobs_lock: threading.Lock = field(default_factory=threading.Lock)
    placeholder: str = field(default_factory=lambda: secrets.token_hex(16))
    once_placeholder: str = field(default_factory=lambda: "once-" + secrets.token_hex(16))
    onces: OneTimeTokens = field(default_factory=lambda: OneTimeTokens())
    flashes: Flashes = field(default_factory=lambda: Flashes())
    undos: Undos = field(default_factory=lambda: Undos())
    logins: LoginThrottle = field(default_factory=lambda: LoginThrottle())

    @classmethod
    def open(cls, settings: Settings, guard: Guard, now: datetime | None = None) -> WebState:
        if settings.database_is_default and "://" not in settings.database:
            Path(settings.database).parent.mkdir(parents=True, exist_ok=True)
        engine = open_database(settings.database)
        env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=True,  # every piece of user or imported text is escaped, whatever the file name
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # Compiled once: without this, every render stats each template file (and its parents and imports)
            # to see whether it changed, some ten system calls a page. The files change only with the code.
            auto_reload=False,
        )
        env.filters["ago"] = messages.ago
        env.filters["plural"] = plural  # {{ n | plural("day") }}: "1 day", "2 days"
        env.filters["pct"] = lambda v: f"{100 * float(v):.0f}%"
        cache = ReadCache(settings.database, read_stamp=_stamp_reader(engine), pages=_page_cache_on())
        return cls(settings=settings, engine=engine, guard=guard, cache=cache, env=env, fixed_now=now)

    def app(self) -> App:
        """Return an App for one request: the shared engine, "now" read afresh (unless the clock is fixed)."""
        return App(engine=self.engine, settings=self.settings, now=self.fixed_now or current_time(self.settings))

    def close(self) -> None:
        self.engine.dispose()


def _stamp_reader(engine: Engine) -> Callable[[], Hashable | None] | None:
    """Return how to ask a database server what identifies its contents (None for an SQLite file)."""
    if engine.dialect.name == "sqlite":
        return None

    def read() -> Hashable | None:
        with engine.connect() as conn:
            return data_stamp(conn)

    return read


def _page_cache_on() -> bool:
    """Whole rendered pages are reused unless GIVEFIRST_WEB_PAGE_CACHE=off (to measure what a page costs)."""
    return os.environ.get("GIVEFIRST_WEB_PAGE_CACHE", "on").strip().lower() not in ("off", "0", "no", "false")


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def request_app(request: Request) -> App:
    return web_state(request).app()


def csrf_token(request: Request) -> str:
    session_id = request.scope.get("givefirst_session", ("", False))[0]
    return web_state(request).guard.csrf_token(session_id)


def session_id(request: Request) -> str:
    return str(request.scope.get("givefirst_session", ("", False))[0])


def flash(request: Request, message: str, **extra: Any) -> None:
    """Leave a message for the next page this session loads (after a redirect): what was just recorded."""
    web_state(request).flashes.add(session_id(request), {"message": message, **extra})


def _html(request: Request, template: str, context: dict[str, Any], token: str) -> str:
    state = web_state(request)
    section = request.url.path.strip("/").split("/")[0].removesuffix(".json") or "today"
    full = {
        "request_path": request.url.path,
        "csrf_field": CSRF_FIELD,
        "csrf_token": token,
        "once_field": ONCE_FIELD,
        "once": state.once_placeholder,
        "flashes": [],
        "nav": NAV,
        "section": section,
        "database": state.settings.database,
        **context,
    }
    return state.env.get_template(template).render(full)


def _with_onces(state: WebState, page: str) -> str:
    """Give every form on the page its own fresh one-time token.

    One random draw a response, numbered form by form: each token is still unique and unguessable, and a page of
    fourteen forms no longer asks the system for randomness fourteen times (on a cached Today page under twenty
    clients those calls were 29 % of the server's time)."""
    parts = page.split(state.once_placeholder)
    if len(parts) == 1:
        return page
    base = secrets.token_urlsafe(16)
    out = [parts[0]]
    for n, part in enumerate(parts[1:], 1):
        out += (f"{base}.{n}", part)
    return "".join(out)


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """Render a template with what every page needs (the CSRF token, the navigation, the messages left for it).

    Fragments (an HTMX answer, a template whose name starts with `_`) leave the messages for the next page.
    """
    state = web_state(request)
    once = request.scope.get("givefirst_once")
    if status >= 400 and once:  # the form was refused (nothing recorded): it may be sent again
        state.onces.release(once)
    if not template.startswith("_") and not is_htmx(request) and "flashes" not in context:
        context = {**context, "flashes": state.flashes.take(session_id(request))}
    return HTMLResponse(_with_onces(state, _html(request, template, context, csrf_token(request))), status_code=status)


def render_cached(request: Request, key: Hashable, template: str, build: Callable[[], dict[str, Any]]) -> HTMLResponse:
    """Render a page that depends on the database only, reusing the HTML while the database is unchanged.

    The page is rendered once with a random placeholder where the CSRF token goes, and each response puts the
    session's own token there: sessions never share a token, and the page is not rendered again.
    """
    state = web_state(request)
    if not state.cache.pages or state.flashes.pending(session_id(request)):
        return render(request, template, build())  # built afresh: the page cache is off, or a message is waiting
    now = state.fixed_now or current_time(state.settings)
    page = state.cache.get(("html", key), now, lambda: _html(request, template, build(), state.placeholder))
    return HTMLResponse(_with_onces(state, page.replace(state.placeholder, csrf_token(request))))


async def read_form(request: Request) -> dict[str, Any]:
    """Return a submitted form as a dict (text fields as strings; repeated fields as lists)."""
    limits = web_state(request).limits
    form = await request.form(max_files=limits.max_files, max_part_size=limits.max_field_bytes)
    out: dict[str, Any] = {}
    for key in form:
        values = form.getlist(key)
        out[key] = values if len(values) > 1 or key.endswith("[]") else values[0]
    return out


def text(form: dict[str, Any], key: str) -> str:
    value = form.get(key, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return value.strip() if isinstance(value, str) else ""


def as_id(value: str) -> int | None:
    """Return a form field as a row id, None when it is not one."""
    return int(value) if value.isdigit() and len(value) < 16 and 0 < int(value) <= MAX_ID else None


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"
