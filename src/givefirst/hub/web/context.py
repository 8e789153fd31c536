"""What every hub page shares: the hub, the signed-in member, rendering, and the guards' dependencies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from givefirst.errors import GivefirstError
from givefirst.hub.domain.model import Member
from givefirst.hub.services.context import Hub

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
# the personal app's templates come second, for the macros both share (the SVG chart of web/charts.py)
templates.env.loader = ChoiceLoader(
    [FileSystemLoader(HERE / "templates"), FileSystemLoader(HERE.parents[1] / "web" / "templates")]
)
CSRF_FIELD = "csrf_token"
NAV = (
    ("board", "Board"),
    ("help", "Whom I can help"),
    ("introductions", "Introductions"),
    ("events", "Events"),
    ("members", "Members"),
)


class SignInRequired(GivefirstError):
    """The page needs a signed-in member (a page answers with the login page, JSON with 401)."""


class Forbidden(GivefirstError):
    """The member may not do this (JSON 403); hidden items answer 404 instead, so they cannot be probed."""


def hub_of(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


def member_or_none(request: Request) -> Member | None:
    found: Member | None = getattr(request.state, "member", None)
    return found


async def member_required(request: Request) -> Member:
    """A route's dependency: the signed-in member (session cookie or API token), else SignInRequired.

    `async` although it awaits nothing: FastAPI runs a plain `def` dependency in the thread pool, a hop that cost
    more than this check on every signed-in request."""
    member = member_or_none(request)
    if member is None:
        raise SignInRequired("sign in first")
    return member


def render(
    request: Request, name: str, context: dict[str, Any], status: int = 200, *, csrf: str | None = None
) -> HTMLResponse:
    """Render a page; `csrf` replaces the session's token (the page cache renders a placeholder there)."""
    member = member_or_none(request)
    nav = list(NAV)
    if member is not None and member.role.value in ("lead", "admin"):
        nav.append(("lead", "My chapter"))
    base = {
        "member": member,
        "csrf_token": getattr(request.state, "csrf", "") if csrf is None else csrf,
        "csrf_field": CSRF_FIELD,
        "nav": nav if member is not None else [],
        "section": context.get("section", ""),
    }
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
