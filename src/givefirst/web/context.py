"""What every route shares: the server's state, an App per request, form reading and template rendering."""

from __future__ import annotations

import secrets
import threading
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
from givefirst.web.cache import ReadCache
from givefirst.web.security import CSRF_FIELD, Guard

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
        )
        env.filters["ago"] = messages.ago
        env.filters["plural"] = plural  # {{ n | plural("day") }}: "1 day", "2 days"
        env.filters["pct"] = lambda v: f"{100 * float(v):.0f}%"
        return cls(settings=settings, engine=engine, guard=guard, cache=ReadCache(settings.database), env=env,
                   fixed_now=now)  # fmt: skip

    def app(self) -> App:
        """Return an App for one request: the shared engine, "now" read afresh (unless the clock is fixed)."""
        return App(engine=self.engine, settings=self.settings, now=self.fixed_now or current_time(self.settings))

    def close(self) -> None:
        self.engine.dispose()


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def request_app(request: Request) -> App:
    return web_state(request).app()


def csrf_token(request: Request) -> str:
    session_id = request.scope.get("givefirst_session", ("", False))[0]
    return web_state(request).guard.csrf_token(session_id)


def _html(request: Request, template: str, context: dict[str, Any], token: str) -> str:
    state = web_state(request)
    section = request.url.path.strip("/").split("/")[0].removesuffix(".json") or "today"
    full = {
        "request_path": request.url.path,
        "csrf_field": CSRF_FIELD,
        "csrf_token": token,
        "nav": NAV,
        "section": section,
        "database": state.settings.database,
        **context,
    }
    return state.env.get_template(template).render(full)


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """Render a template with what every page needs (the CSRF token, the navigation)."""
    return HTMLResponse(_html(request, template, context, csrf_token(request)), status_code=status)


def render_cached(request: Request, key: Hashable, template: str, build: Callable[[], dict[str, Any]]) -> HTMLResponse:
    """Render a page that depends on the database only, reusing the HTML while the database is unchanged.

    The page is rendered once with a random placeholder where the CSRF token goes, and each response puts the
    session's own token there: sessions never share a token, and the page is not rendered again.
    """
    state = web_state(request)
    now = state.fixed_now or current_time(state.settings)
    page = state.cache.get(("html", key), now, lambda: _html(request, template, build(), state.placeholder))
    return HTMLResponse(page.replace(state.placeholder, csrf_token(request)))


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
