"""The hub's web app: `create_hub_app(hub)`; `givefirst hub serve` runs it; tests drive it in-process.

Thin like the personal app: every route calls a function in `hub.services` and renders the result, as a page or
as JSON under `/api/v1/` (described by the OpenAPI document at `/openapi.json`). Nothing lives in the process
that several workers could disagree about: sessions, rate limits and jobs are rows in the database.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from givefirst.errors import AmbiguousError, GivefirstError, InvalidInputError, NotFoundError
from givefirst.hub.services import sessions
from givefirst.hub.services.context import Hub
from givefirst.hub.web.context import CSRF_FIELD, Forbidden, SignInRequired, render
from givefirst.hub.web.pagecache import MAX_BYTES, PageCache, page_cache_on
from givefirst.web.errors import validation_message
from givefirst.web.security import CSRF_HEADER, SAFE_METHODS, SECURITY_HEADERS

SESSION_COOKIE = "givefirst_hub_session"
STATIC = Path(__file__).parents[2] / "web" / "static"  # the personal app's look, shared
API_DESCRIPTION = """The hub's JSON API: the same data its pages show, limited to what the member may see.

Scripts authenticate with `Authorization: Bearer TOKEN` (a token a member creates on their profile); a browser
session works too, and then every request that changes something needs the session's CSRF token in the
`X-CSRF-Token` header. Errors are `{"error": "what went wrong"}`; an item or member you may not see answers 404,
exactly as one that does not exist.
"""


class CsrfError(Exception):
    """A state-changing request came with a session cookie but without its CSRF token."""


class BadHost(Exception):
    """The request named a host this hub does not serve (DNS rebinding, a misrouted proxy)."""


# How many requests one worker runs in its thread pool at once (sync routes, the session read): the work there is
# CPU (the app, psycopg, the PostgreSQL backend it waits on) on a few cores, so more at once only queues it in
# the kernel and the GIL. At 50 clients on 2 cores with two workers, Starlette's default of 40 had ~25 threads and
# ~25 backends runnable at once: 1,100–1,500 requests/s, p95 75–150 ms; 4 gave 2,100–2,500/s and p95 about 30 ms
# (docs/benchmarks.md, "The hub at 50 clients: four threads a worker").
DEFAULT_THREADS = 4


def create_hub_app(
    hub: Hub, *, allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost"), threads: int = DEFAULT_THREADS
) -> FastAPI:
    """Return the hub's web app. `allowed_hosts`: the host names it answers to (without port); `*` for any;
    `threads`: how many requests it works on at once in its thread pool (set when a server starts it)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = threads  # the loop's own limiter
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="givefirst hub",
        summary="An association's members giving first together.",
        description=API_DESCRIPTION,
        version="1",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(guard)],
    )
    app.state.hub = hub
    app.state.allowed_hosts = allowed_hosts
    app.state.page_cache = PageCache(MAX_BYTES if page_cache_on() else 0)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    from givefirst.hub.web import (
        pages_board,
        pages_directory,
        pages_events,
        pages_home,
        pages_introductions,
        pages_lead,
        pages_members,
        pages_passkeys,
    )

    # The busiest pages' routers first: a request is matched against every route before its own (most of the
    # floor's routing time when /board came 30th). No path of one module matches a route of another (a test holds
    # this), so the order changes nothing else.
    for module in (
        pages_board, pages_introductions, pages_home, pages_members, pages_passkeys, pages_directory, pages_events,
        pages_lead,
    ):  # fmt: skip
        app.include_router(module.router)

    _error_handlers(app)

    app.add_middleware(SecurityHeaders)
    return app


class SecurityHeaders:
    """Adds the security headers (and `cache-control: no-store`) to every answer that has not set its own.

    A plain ASGI middleware: `@app.middleware("http")` (Starlette's BaseHTTPMiddleware) runs the app in a task and
    streams its answer through a memory channel, which cost a tenth of a cached page's CPU.
    """

    DEFAULTS = tuple((k.encode(), v.encode()) for k, v in {**SECURITY_HEADERS, "cache-control": "no-store"}.items())

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in self.DEFAULTS if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


async def guard(request: Request) -> None:
    """Every request: the Host check, the signed-in member (cookie or API token), and CSRF on changes."""
    allowed: tuple[str, ...] = request.app.state.allowed_hosts
    host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]").lower()
    if "*" not in allowed and host not in allowed:
        raise BadHost
    hub: Hub = request.app.state.hub
    request.state.member, request.state.csrf, request.state.by_token = None, "", False
    request.state.data_version = None  # a page is cached only under a version read with the session
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        from givefirst.hub.services import api_tokens

        # The database is read in the thread pool: a sync call here would stall every request of this worker.
        member = await run_in_threadpool(api_tokens.member_for, hub, authorization[7:].strip())
        if member is None:
            raise SignInRequired("that API token is not valid (revoked, or never issued)")
        request.state.member, request.state.by_token = member, True
        return  # a token is not sent by browsers on their own: no CSRF to fear
    secret = request.cookies.get(SESSION_COOKIE)
    # One thread-pool call, one statement: the session, its member and the data version the page cache needs.
    found = await run_in_threadpool(sessions.signed_in, hub, secret) if secret else None
    if found is not None:
        request.state.member, request.state.csrf, request.state.data_version = found
    if request.method in SAFE_METHODS or found is None:
        return  # without a session, a change can only be signing in, which checks its own credentials
    offered = request.headers.get(CSRF_HEADER)
    if offered is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        offered = value if isinstance(value, str) else None
    if not sessions.csrf_ok(request.state.csrf, offered):
        raise CsrfError


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path.endswith(".json")


def _error_handlers(app: FastAPI) -> None:
    def respond(request: Request, status: int, message: str) -> Response:
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=status)
        return render(request, "error.html", {"message": message, "status": status}, status=status)

    @app.exception_handler(SignInRequired)
    async def sign_in(request: Request, exc: SignInRequired) -> Response:
        if wants_json(request):
            return JSONResponse({"error": str(exc)}, status_code=401, headers={"www-authenticate": "Bearer"})
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return respond(request, 403, str(exc))

    @app.exception_handler(GivefirstError)
    async def givefirst_error(request: Request, exc: GivefirstError) -> Response:
        status = 404 if isinstance(exc, NotFoundError) else 409 if isinstance(exc, AmbiguousError) else 400
        if not isinstance(exc, InvalidInputError | NotFoundError | AmbiguousError):
            status = 400
        return respond(request, status, str(exc))

    @app.exception_handler(CsrfError)
    async def csrf_error(request: Request, exc: CsrfError) -> Response:
        return respond(request, 403, "This form has expired or came from elsewhere: reload the page, then try again.")

    @app.exception_handler(BadHost)
    async def bad_host(request: Request, exc: BadHost) -> Response:
        return JSONResponse({"error": "this hub does not answer to that host name"}, status_code=400)

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
        return respond(request, 400, "that input holds a character the database cannot store")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        logging.getLogger("givefirst.hub").exception("unexpected error on %s", request.url.path)
        return respond(request, 500, "something went wrong on our side; the details are in the server's log")
