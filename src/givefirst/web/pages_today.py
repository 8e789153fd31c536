"""Today (the plan, with done, snooze and log in one click), Stats, sign-in and the health check."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from givefirst.domain.model import ItemKind
from givefirst.web import charts
from givefirst.web.context import is_htmx, read_form, render, render_cached, request_app, text, web_state
from givefirst.web.security import SESSION_COOKIE

router = APIRouter()

SECTION_TITLES = {
    ItemKind.OWE.value: "What you owe",
    ItemKind.GIVE.value: "Give first",
    ItemKind.KEEP_IN_TOUCH.value: "Keep in touch",
    ItemKind.DORMANT.value: "Revive a dormant tie",
    ItemKind.UPCOMING.value: "Coming up",
}
LOG_KINDS = ("message", "email", "call", "video", "meeting")


def plan_data(request: Request) -> dict[str, Any]:
    """Return today's plan as plain data, each item with a mailto: link when its person has an email."""
    from givefirst.services.people import emails_of
    from givefirst.services.plan import today

    app = request_app(request)

    def compute() -> dict[str, Any]:
        items = today(app)
        emails = emails_of(app, [pid for i in items for pid, _ in i.people])
        out = []
        for i in items:
            to = [emails[pid] for pid, _ in i.people if pid in emails]
            mailto = None
            if to:
                mailto = f"mailto:{quote(','.join(to), safe='@,')}?subject={quote(i.title)}&body={quote(i.message)}"
            out.append(
                {
                    "key": i.key,
                    "kind": i.kind.value,
                    "section": SECTION_TITLES.get(i.kind.value, i.kind.value),
                    "people": [{"id": pid, "name": n} for pid, n in i.people],
                    "title": i.title,
                    "why": list(i.why),
                    "message": i.message,
                    "mailto": mailto,
                    "command": i.command,
                    "score": round(i.score, 4),
                }
            )
        return {"date": app.now.date().isoformat(), "items": out}

    return web_state(request).cache.get(("today",), app.now, compute)


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    return RedirectResponse("/today", status_code=303)


@router.get("/today", include_in_schema=False)
def today_page(request: Request) -> Response:
    return render_cached(request, "today", "today.html", lambda: {"plan": plan_data(request), "log_kinds": LOG_KINDS})


@router.get("/today.json", tags=["today"], summary="Today's plan: a short, ranked, give-first list of actions")
def today_json(request: Request) -> dict[str, Any]:
    return plan_data(request)


class DoneIn(BaseModel):
    key: str = Field(description="The item's key, e.g. touch:12", max_length=60)
    note: str = Field("", description="What you did or said", max_length=4000)
    kind: str = Field("message", description="How: message, email, call, video, meeting", max_length=20)


class SnoozeIn(BaseModel):
    key: str = Field(description="The item's key, e.g. touch:12", max_length=60)
    days: int = Field(7, ge=1, le=365)


def _done(request: Request, key: str, note: str, kind: str) -> dict[str, str]:
    from givefirst.services.activity import parse_interaction_kind
    from givefirst.services.plan import done

    outcome = done(request_app(request), key, note, parse_interaction_kind(kind))
    web_state(request).cache.changed()
    return {"key": outcome.key, "message": outcome.message}


def _snooze(request: Request, key: str, days: int) -> dict[str, str]:
    from givefirst.services.plan import snooze

    outcome = snooze(request_app(request), key, days)
    web_state(request).cache.changed()
    return {"key": outcome.key, "message": outcome.message}


@router.post("/today/done.json", tags=["today"], summary="Mark a plan item done and record it")
def done_json(request: Request, body: DoneIn) -> dict[str, str]:
    return _done(request, body.key, body.note, body.kind)


@router.post("/today/snooze.json", tags=["today"], summary="Put a plan item off for some days")
def snooze_json(request: Request, body: SnoozeIn) -> dict[str, str]:
    return _snooze(request, body.key, body.days)


@router.post("/today/done", include_in_schema=False)
async def done_form(request: Request) -> Response:
    form = await read_form(request)
    kind = text(form, "kind") or "message"
    result = await run_in_threadpool(_done, request, text(form, "key"), text(form, "note"), kind)
    if is_htmx(request):
        return render(request, "_item_result.html", {"result": result, "state": "done"})
    return RedirectResponse("/today", status_code=303)


@router.post("/today/snooze", include_in_schema=False)
async def snooze_form(request: Request) -> Response:
    form = await read_form(request)
    raw = text(form, "days") or "7"
    days = int(raw) if raw.isdigit() else 0
    result = await run_in_threadpool(_snooze, request, text(form, "key"), days)
    if is_htmx(request):
        return render(request, "_item_result.html", {"result": result, "state": "snoozed"})
    return RedirectResponse("/today", status_code=303)


def stats_data(request: Request) -> dict[str, Any]:
    from givefirst.services.network import list_people
    from givefirst.services.stats import network_stats

    app = request_app(request)

    def compute() -> dict[str, Any]:
        data = network_stats(app)
        risky = list_people(app, at_risk=True, sort="due", limit=15)
        data["ties_at_risk"] = [r.as_dict() for r in risky]
        return data

    return web_state(request).cache.get(("stats",), app.now, compute)


@router.get("/stats", include_in_schema=False)
def stats_page(request: Request) -> Response:
    def build() -> dict[str, Any]:
        data = stats_data(request)
        return {"stats": data, "balance_chart": charts.ledger_bars(data["ledger_by_month"]),
                "tier_chart": charts.tier_bars(data["tiers"])}  # fmt: skip

    return render_cached(request, "stats", "stats.html", build)


@router.get("/stats.json", tags=["stats"], summary="Network health: tiers, ties due and at risk, give/ask balance")
def stats_json(request: Request) -> dict[str, Any]:
    return stats_data(request)


@router.get("/healthz.json", tags=["server"], summary="The server answers (a trivial endpoint)")
async def health() -> dict[str, bool]:
    return {"ok": True}


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = Query("/today", max_length=500)) -> Response:
    return render(request, "login.html", {"next": _local(next), "error": None})


@router.post("/login", include_in_schema=False)
async def login(request: Request) -> Response:
    form = await read_form(request)
    guard = web_state(request).guard
    target = _local(text(form, "next"))
    if guard.token is None or not guard.token_ok(text(form, "token")):
        return render(request, "login.html", {"next": target, "error": "That is not the token."}, status=401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, guard.new_session(authenticated=True), httponly=True, samesite="strict")
    return response


def _local(target: str) -> str:
    """Return `target` when it is a path on this server, else the Today page (no open redirect)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/today"
