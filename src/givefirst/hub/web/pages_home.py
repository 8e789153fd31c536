"""The front door: `/` sends a member to their board and anyone else to sign in; `/healthz.json` for probes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import text

from givefirst.hub.web.context import hub_of, member_or_none

router = APIRouter()


@router.get("/", include_in_schema=False)
def home(request: Request) -> RedirectResponse:
    return RedirectResponse("/board" if member_or_none(request) is not None else "/login", status_code=303)


@router.get("/healthz.json", tags=["hub"])
def health(request: Request) -> dict[str, str]:
    """Answers when the web worker is up and reaches its database (for load balancers and compose)."""
    # AUTOCOMMIT: one round trip, where a transaction adds a BEGIN and a ROLLBACK (probes ask often)
    with hub_of(request).engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("SELECT 1"))
    return {"status": "ok"}


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> RedirectResponse:
    """Sign out: the session row is deleted, so the cookie is worth nothing on any worker."""
    from givefirst.hub.services import sessions
    from givefirst.hub.web.app import SESSION_COOKIE

    sessions.end(hub_of(request), request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
