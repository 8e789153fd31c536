"""Today (the plan, with done, snooze and log in one click), Stats, sign-in and the health check."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi import Path as FastPath
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from givefirst.domain.model import ItemKind
from givefirst.domain.plan import PlanItem
from givefirst.errors import InvalidInputError
from givefirst.web import charts
from givefirst.web.context import (
    flash,
    is_htmx,
    read_form,
    render,
    render_cached,
    request_app,
    session_id,
    text,
    web_state,
)
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
    from givefirst.services.people import emails_of, me_is_set
    from givefirst.services.plan import today

    app = request_app(request)

    def compute() -> dict[str, Any]:
        items = today(app)
        emails = emails_of(app, [pid for i in items for pid, _ in i.people])
        out = []
        for i in items:
            to = [emails[pid] for pid in mail_recipients(i) if pid in emails]
            mailto = None
            if len(to) == 1:
                mailto = f"mailto:{quote(to[0], safe='@')}?subject={quote(i.title)}&body={quote(i.message)}"
            event_id = int(i.key.split(":")[1]) if i.key.startswith("event:") else None
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
                    "event_id": event_id,
                    "command": i.command,
                    "score": round(i.score, 4),
                }
            )
        return {"date": app.now.date().isoformat(), "items": out, "me_set": me_is_set(app)}

    return web_state(request).cache.get(("today",), app.now, compute)


def mail_recipients(item: PlanItem) -> list[int]:
    """Return whom an item's suggested message may be mailed to: one person, never a list of people.

    A give item that proposes an introduction goes to the person asked first only (double opt-in: the other
    must not learn of their need before they agree); an event, a planned meeting or a meeting to confirm is a
    note to yourself (its actions are the prep sheet, the RSVP and the calendar); a follow-up after a meeting
    with several people is written to each of them, not to all in one To: line.
    """
    pids = [pid for pid, _ in item.people]
    if item.kind is ItemKind.UPCOMING or item.key.startswith("confirm:"):
        return []
    if item.kind is ItemKind.GIVE:
        return pids[:1]
    return pids if len(pids) == 1 else []


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


def _done(request: Request, key: str, note: str, kind: str) -> dict[str, str | None]:
    from givefirst.services.activity import parse_interaction_kind
    from givefirst.services.plan import done

    outcome = done(request_app(request), key, note, parse_interaction_kind(kind))
    web_state(request).cache.changed()
    return {"key": outcome.key, "message": outcome.message, "undo": _keep_undo(request, outcome)}


def _snooze(request: Request, key: str, days: int) -> dict[str, str | None]:
    from givefirst.services.plan import snooze

    outcome = snooze(request_app(request), key, days)
    web_state(request).cache.changed()
    return {"key": outcome.key, "message": outcome.message, "undo": _keep_undo(request, outcome)}


def _keep_undo(request: Request, outcome: Any) -> str | None:
    if not outcome.undo:
        return None
    return web_state(request).undos.keep(session_id(request), outcome.undo, outcome.message)


def _undo(request: Request, token: str) -> str:
    from givefirst.services.plan import undo

    found = web_state(request).undos.take(session_id(request), token)
    if found is None:
        raise InvalidInputError("that can no longer be undone from here (it is past the time, or undone already)")
    steps, message = found
    undo(request_app(request), steps)
    web_state(request).cache.changed()
    return f"Undone: {message}"


@router.post("/today/done.json", tags=["today"], summary="Mark a plan item done and record it")
def done_json(request: Request, body: DoneIn) -> dict[str, str | None]:
    return _done(request, body.key, body.note, body.kind)


@router.post("/today/snooze.json", tags=["today"], summary="Put a plan item off for some days")
def snooze_json(request: Request, body: SnoozeIn) -> dict[str, str | None]:
    return _snooze(request, body.key, body.days)


class UndoIn(BaseModel):
    undo: str = Field(description="The `undo` token a done or a snooze answered with", max_length=64)


@router.post("/today/undo.json", tags=["today"], summary="Take back a done or a snooze (for 15 minutes)")
def undo_json(request: Request, body: UndoIn) -> dict[str, str]:
    return {"message": _undo(request, body.undo)}


@router.post("/today/done", include_in_schema=False)
async def done_form(request: Request) -> Response:
    form = await read_form(request)
    kind = text(form, "kind") or "message"
    result = await run_in_threadpool(_done, request, text(form, "key"), text(form, "note"), kind)
    if is_htmx(request):
        return render(request, "_item_result.html", {"result": result, "state": "done"})
    flash(request, str(result["message"]), undo=f"/today/undo/{result['undo']}" if result["undo"] else None)
    return RedirectResponse("/today", status_code=303)


@router.post("/today/snooze", include_in_schema=False)
async def snooze_form(request: Request) -> Response:
    form = await read_form(request)
    raw = text(form, "days") or "7"
    days = int(raw) if raw.isdigit() and len(raw) < 5 else 0
    result = await run_in_threadpool(_snooze, request, text(form, "key"), days)
    if is_htmx(request):
        return render(request, "_item_result.html", {"result": result, "state": "snoozed"})
    flash(request, str(result["message"]), undo=f"/today/undo/{result['undo']}" if result["undo"] else None)
    return RedirectResponse("/today", status_code=303)


@router.post("/today/undo/{token}", include_in_schema=False)
async def undo_form(request: Request, token: str = FastPath(max_length=64)) -> Response:
    message = await run_in_threadpool(_undo, request, token)
    flash(request, message)
    return RedirectResponse("/today", status_code=303)


def stats_data(request: Request) -> dict[str, Any]:
    from givefirst.services.people_view import everyone, ordered_people, page_of
    from givefirst.services.stats import network_stats

    app = request_app(request)

    def compute() -> dict[str, Any]:
        cols = everyone(app)  # read once for both (0.45 s at 100,000 people)
        data = network_stats(app, cols)
        risky = page_of(app, ordered_people(app, at_risk=True, sort="due", everyone_read=cols)[:15])
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
    state = web_state(request)
    guard = state.guard
    target = _local(text(form, "next"))
    client = request.client.host if request.client else "unknown"
    wait = state.logins.wait_seconds(client)
    if wait:
        error = f"Too many wrong tokens from this address: wait {wait} seconds, then try again."
        refused = render(request, "login.html", {"next": target, "error": error}, status=429)
        refused.headers["retry-after"] = str(wait)
        return refused
    if guard.token is None or not guard.token_ok(text(form, "token")):
        state.logins.failed(client)
        return render(request, "login.html", {"next": target, "error": "That is not the token."}, status=401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, guard.new_session(authenticated=True), httponly=True, samesite="strict")
    return response


def _local(target: str) -> str:
    """Return `target` when it is a path on this server, else the Today page (no open redirect)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/today"
