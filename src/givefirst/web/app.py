"""The web app: `create_app(settings)` builds it; `givefirst serve` runs it; tests drive it in-process.

Thin like the CLI: every route calls a function in `services/` and renders the result, as an HTML page or as its
JSON twin at the same path with `.json`. What is specific to the web lives here: sessions, CSRF, headers, error
pages, the read cache and the import jobs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from givefirst.config import Settings
from givefirst.errors import AmbiguousError, GivefirstError, InvalidInputError, NotFoundError
from givefirst.web.context import ONCE_FIELD, WebState, flash, render
from givefirst.web.errors import validation_message
from givefirst.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SAFE_METHODS,
    SECURITY_HEADERS,
    SESSION_COOKIE,
    Guard,
    is_loopback,
)

HERE = Path(__file__).parent
PUBLIC_PATHS = ("/static/", "/login", "/healthz.json", "/sw.js", "/manifest.webmanifest")  # the last two: the PWA
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

API_DESCRIPTION = """The JSON twin of every page of the givefirst web app: the same data the pages show.

Reading needs nothing more than a session (or `Authorization: Bearer TOKEN` when the server has a token).
Every request that changes something needs the session's CSRF token in the `X-CSRF-Token` header.
Errors are `{"error": "what went wrong"}` with 400 (bad input), 404 (not found) or 409 (ambiguous).
"""


def create_app(
    settings: Settings,
    *,
    token: str | None = None,
    host: str = "127.0.0.1",
    now: datetime | None = None,
    background_sync: bool = False,
) -> FastAPI:
    """Return the web app on the database the settings name (opened, and migrated if needed, here).

    `host` is the address the server binds to: on loopback, requests must name a loopback host too (a web page
    elsewhere cannot reach the app by DNS rebinding); `now` fixes the clock (tests); `background_sync` runs the
    live sources' due syncs while the app runs (`givefirst serve`).
    """
    state = WebState.open(settings, Guard.create(token), now=now)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        runner = None
        if background_sync:
            from givefirst.web.sync_runner import SyncRunner

            runner = SyncRunner(state)
            runner.start()
            _app.state.sync_runner = runner
        yield
        if runner is not None:
            runner.stop()
        state.close()

    app = FastAPI(
        lifespan=lifespan,
        title="givefirst",
        summary="Give-first networking on your own machine.",
        description=API_DESCRIPTION,
        version="1",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(csrf_protect)],
    )
    app.state.web = state
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    from givefirst.web import (
        pages_connect,
        pages_import,
        pages_people,
        pages_reach,
        pages_setup,
        pages_today,
        sync_runner,
    )

    for module in (pages_today, pages_people, pages_connect, pages_reach, pages_import, pages_setup, sync_runner):
        app.include_router(module.router)
    from givefirst.web import pages_heard  # issue 14

    app.include_router(pages_heard.router)
    from givefirst.web import pages_hubs  # issue 16: the hubs joined

    app.include_router(pages_hubs.router)

    # At the event, on a phone (issue 12, part 2): event mode, quick capture, the QR card, the PWA.
    from givefirst.web import pages_card, pages_live, pwa

    for module in (pages_live, pages_card, pwa):
        app.include_router(module.router)

    # The search on every page (`/` or Ctrl/Cmd-K): people and pages.
    from givefirst.web import pages_search

    app.include_router(pages_search.router)
    app.state.bind_host = host  # the phone page builds the LAN login link from it

    _error_handlers(app)
    app.add_middleware(SessionMiddleware, guard=state.guard, loopback_only=is_loopback(host))

    return app


async def csrf_protect(request: Request) -> None:
    """Refuse a state-changing request without the session's CSRF token (header or form field)."""
    if request.method in SAFE_METHODS:
        return
    web: WebState = request.app.state.web
    session_id = request.scope.get("givefirst_session", ("", False))[0]
    offered = request.headers.get(CSRF_HEADER)
    if offered is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form(max_files=web.limits.max_files, max_part_size=web.limits.max_field_bytes)
        value = form.get(CSRF_FIELD)
        offered = value if isinstance(value, str) else None
    if not web.guard.csrf_ok(session_id, offered):
        raise CsrfError
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form(max_files=web.limits.max_files, max_part_size=web.limits.max_field_bytes)
        once = form.get(ONCE_FIELD)
        if isinstance(once, str) and once:
            if not web.onces.claim(once):
                raise SentTwiceError
            request.scope["givefirst_once"] = once  # released if the request is refused (nothing recorded)


class CsrfError(Exception):
    """A state-changing request came without the right CSRF token."""


class SentTwiceError(Exception):
    """A form came a second time with the same one-time token: it was recorded the first time."""


def back_to(path: str) -> str:
    """Return the page a form posted to `path` belongs to (where to go after it, or after a refusal)."""
    parts = [p for p in path.split("/") if p]
    if not parts or parts[0] in ("today", "login"):
        return "/today"
    if parts[0] == "introductions":
        return "/connect"
    if parts[0] in ("people", "events") and len(parts) >= 2 and parts[1].isdigit():
        return f"/{parts[0]}/{parts[1]}"
    if parts[0] == "import" and len(parts) >= 2 and parts[1] == "merges":
        return "/import/merges"
    return f"/{parts[0]}" if parts[0] in ("people", "events", "connect", "import", "stats", "network") else "/today"


def _reload_target(request: Request) -> str:
    """Return the page to reload after a refusal: the page the request came from when HTMX says so."""
    from urllib.parse import urlsplit

    current = request.headers.get("hx-current-url")
    if current:
        found = urlsplit(current)
        if found.path.startswith("/") and not found.path.startswith("//") and "\\" not in current:
            return found.path + (f"?{found.query}" if found.query else "")
    return request.url.path if request.method in SAFE_METHODS else back_to(request.url.path)


def wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or request.url.path == "/openapi.json"


def _error_handlers(app: FastAPI) -> None:
    def respond(request: Request, status: int, message: str) -> Response:
        once = request.scope.get("givefirst_once")
        if once:  # refused: nothing was recorded, so the same form may be sent again (after going back)
            request.app.state.web.onces.release(once)
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=status)
        if request.headers.get("hx-request"):
            return render(request, "_error.html", {"message": message}, status=status)
        return render(request, "error.html", {"message": message, "status": status}, status=status)

    @app.exception_handler(GivefirstError)
    async def givefirst_error(request: Request, exc: GivefirstError) -> Response:
        status = 404 if isinstance(exc, NotFoundError) else 409 if isinstance(exc, AmbiguousError) else 400
        if not isinstance(exc, InvalidInputError | NotFoundError | AmbiguousError):
            status = 503 if "locked" in str(exc) else 400
        return respond(request, status, str(exc))

    @app.exception_handler(CsrfError)
    async def csrf_error(request: Request, exc: CsrfError) -> Response:
        if request.scope.get("givefirst_expired"):
            message = "Your session expired (the server was restarted): reload the page, then try again."
        else:
            message = "This form has expired or came from elsewhere: reload the page, then try again."
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=403)
        context = {"message": message, "reload": _reload_target(request)}
        if request.headers.get("hx-request"):
            return render(request, "_error.html", context, status=403)
        return render(request, "error.html", {**context, "status": 403}, status=403)

    @app.exception_handler(SentTwiceError)
    async def sent_twice(request: Request, exc: SentTwiceError) -> Response:
        message = "That form was sent twice; it was recorded once."
        if request.headers.get("hx-request"):
            return render(request, "_error.html", {"message": message, "kind": "ok"}, status=409)
        flash(request, message)
        return RedirectResponse(back_to(request.url.path), status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: "there is no such page", 405: "this page cannot do that"}
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code not in messages else None
        return respond(request, exc.status_code, message or messages.get(exc.status_code, "request refused"))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return respond(request, 422, validation_message(exc))

    @app.exception_handler(DataError)
    async def data_error(request: Request, exc: DataError) -> Response:
        # A value the database refuses, such as a NUL character in text on PostgreSQL: the input's fault.
        return respond(request, 400, "that input holds a character the database cannot store")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, OperationalError) and "locked" in str(exc):
            return respond(request, 503, "the database is busy; try again in a moment")
        import logging

        logging.getLogger("givefirst.web").exception("unexpected error on %s", request.url.path)
        return respond(request, 500, "something went wrong on our side; the details are in the server's log")


class SessionMiddleware:
    """Sessions, the access token, the Host check and the security headers, for every request (pure ASGI)."""

    def __init__(self, app: ASGIApp, guard: Guard, loopback_only: bool) -> None:
        self.app = app
        self.guard = guard
        self.loopback_only = loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path: str = scope["path"]
        if self.loopback_only and not _host_ok(headers.get("host", "")):
            await _plain(send, 421, "This server only answers to localhost / 127.0.0.1.")
            return
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:
            cookie = SimpleCookie()
        found = self.guard.read_session(cookie[SESSION_COOKIE].value if SESSION_COOKIE in cookie else None)
        set_cookie: str | None = None
        if found is None and SESSION_COOKIE in cookie:
            scope["givefirst_expired"] = True  # signed by an earlier run of the server (a restart)
        if found is None:
            set_cookie = self.guard.new_session(authenticated=self.guard.token is None)
            found = self.guard.read_session(set_cookie)
            assert found is not None
        session_id, authenticated = found
        if self.guard.token is not None and not authenticated:
            bearer = headers.get("authorization", "")
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            if bearer.startswith("Bearer ") and self.guard.token_ok(bearer.removeprefix("Bearer ")):
                authenticated = True
            elif "token" in query and scope["method"] == "GET" and self.guard.token_ok(query["token"][0]):
                # The link the server printed: trade the token for a session, and drop it from the address bar.
                set_cookie = self.guard.new_session(authenticated=True)
                rest = {k: v for k, v in query.items() if k != "token"}
                target = path + ("?" + urlencode(rest, doseq=True) if rest else "")
                await _redirect(send, target, set_cookie)
                return
            elif not path.startswith(PUBLIC_PATHS):
                if scope.get("givefirst_expired") and headers.get("hx-request") and scope["method"] not in SAFE_METHODS:
                    await _expired_fragment(send, set_cookie)  # said where the answer goes, not dropped
                elif path.endswith(".json") or path == "/openapi.json" or scope["method"] not in SAFE_METHODS:
                    expired = (
                        "Your session expired (the server was restarted). " if scope.get("givefirst_expired") else ""
                    )
                    await _plain(
                        send, 401, expired + "Sign in first: open the link the server printed, or send the token."
                    )
                else:
                    await _redirect(send, "/login?" + urlencode({"next": path}), set_cookie)
                return
        scope["givefirst_session"] = (session_id, authenticated)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                if set_cookie is not None:
                    extra.append((b"set-cookie", _cookie_header(set_cookie).encode()))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _host_ok(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return is_loopback(name) or name.startswith("[::1]")


def _cookie_header(value: str) -> str:
    return f"{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict"


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _expired_fragment(send: Send, cookie: str | None) -> None:
    body = (
        b'<p class="error" role="alert">Your session expired (the server was restarted): '
        b'<a class="button secondary" href="/login">sign in again</a></p>'
    )
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    if cookie is not None:
        headers.append((b"set-cookie", _cookie_header(cookie).encode()))
    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, target: str, cookie: str | None) -> None:
    headers = [(b"location", target.encode()), (b"content-length", b"0")]
    if cookie is not None:
        headers.append((b"set-cookie", _cookie_header(cookie).encode()))
    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


__all__ = ["HTMLResponse", "create_app"]
