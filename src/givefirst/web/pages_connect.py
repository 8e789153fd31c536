"""Connect: match suggestions with their explanations, and the board of introductions by state."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from givefirst.errors import GivefirstError, InvalidInputError
from givefirst.web.context import (
    MAX_ID,
    as_id,
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

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=MAX_ID)]

# The board's columns: the double opt-in path, then what is finished.
COLUMNS = (
    ("suggested", "Suggested"),
    ("asked_first", "Asked A"),
    ("first_agreed", "A agreed"),
    ("asked_second", "Asked B"),
    ("second_agreed", "B agreed"),
    ("introduced", "Introduced"),
    ("finished", "Finished"),
)
FINISHED = {"closed", "declined", "no_answer"}
StepName = Literal["next", "decline", "no_answer", "close"]
OUTCOMES = ("hired", "met", "helped", "nothing")


def _draft(app: Any, intro_id: int) -> dict[str, Any] | None:
    """Return the message the introduction needs now, with its mailto: link, or None when nothing is due."""
    from givefirst.services.drafts import draft, mailto

    try:
        d = draft(app, intro_id)
    except InvalidInputError:
        return None
    return {**d.to_json(), "text": d.text, "mailto": mailto(d)}


def connect_data(request: Request, min_score: float | None = None) -> dict[str, Any]:
    from givefirst.services.introductions import list_introductions
    from givefirst.services.matching import suggestions

    app = request_app(request)

    def compute() -> dict[str, Any]:
        found = suggestions(app, min_score=min_score, limit=15)
        views = list_introductions(app, include_finished=True)
        board: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in COLUMNS}
        for v in views:
            column = "finished" if v.state.value in FINISHED else v.state.value
            if column == "finished" and len(board["finished"]) >= 12:
                continue
            board[column].append(v.to_json())
        return {"suggestions": [s.as_dict() for s in found], "board": board}

    return web_state(request).cache.get(("connect", min_score), app.now, compute)


@router.get("/connect", include_in_schema=False)
def connect_page(request: Request) -> Response:
    def build() -> dict[str, Any]:
        return {"data": connect_data(request), "columns": COLUMNS, "outcomes": OUTCOMES, "flash": None, "draft": None}

    notes = web_state(request).flashes.take(session_id(request))
    if notes:  # after a step: its message and the draft the next step needs, once
        drafts = [n["draft"] for n in notes if n.get("draft")]
        return render(request, "connect.html", {**build(), "flashes": notes, "draft": drafts[-1] if drafts else None})
    return render_cached(request, "connect", "connect.html", build)


@router.get("/connect.json", tags=["connect"], summary="Match suggestions and the introductions board")
def connect_json(request: Request, min_score: float | None = Query(None, ge=0.0, le=1.0)) -> dict[str, Any]:
    return connect_data(request, min_score)


class IntroIn(BaseModel):
    need_id: int | None = Field(None, ge=1, le=MAX_ID)
    offer_id: int | None = Field(None, ge=1, le=MAX_ID)
    first: str | None = Field(None, max_length=200, description="The person asked first (name, email or id)")
    second: str | None = Field(None, max_length=200)
    reason: str = Field("", max_length=2000)


def _create(request: Request, body: IntroIn) -> dict[str, Any]:
    from givefirst.services.introductions import create

    app = request_app(request)
    result = create(app, body.first, body.second, reason=body.reason, need_id=body.need_id, offer_id=body.offer_id)
    web_state(request).cache.changed()
    return {**result.view.to_json(), "notes": list(result.notes), "draft": _draft(app, result.view.id)}


@router.post("/introductions.json", tags=["connect"], summary="Suggest an introduction (for a need and an offer)")
def create_json(request: Request, body: IntroIn) -> dict[str, Any]:
    return _create(request, body)


@router.post("/introductions", include_in_schema=False)
async def create_form(request: Request) -> Response:
    form = await read_form(request)
    need, offer = text(form, "need_id"), text(form, "offer_id")
    body = IntroIn(
        need_id=as_id(need), offer_id=as_id(offer),
        first=text(form, "first") or None, second=text(form, "second") or None, reason=text(form, "reason"),
    )  # fmt: skip
    created = await run_in_threadpool(_create, request, body)
    message = f"Suggested introduction #{created['id']}: {created['first']['name']} → {created['second']['name']}."
    flash(request, message, draft=created["draft"])
    return RedirectResponse("/connect#board", status_code=303)


class StepIn(BaseModel):
    step: StepName = "next"
    outcome: Literal["hired", "met", "helped", "nothing"] | None = None
    note: str = Field("", max_length=2000)


def _step(request: Request, intro_id: int, body: StepIn) -> dict[str, Any]:
    from givefirst.domain.introductions import Action
    from givefirst.services.introductions import parse_outcome, take_next, take_step

    app = request_app(request)
    if body.step == "next":
        result = take_next(app, intro_id, note=body.note)
    elif body.step == "close":
        if body.outcome is None:
            raise InvalidInputError("say how it went: hired, met, helped or nothing")
        result = take_step(app, intro_id, Action.CLOSE, outcome=parse_outcome(body.outcome), note=body.note)
    else:
        result = take_step(app, intro_id, Action(body.step), note=body.note)
    web_state(request).cache.changed()
    return {**result.view.to_json(), "notes": list(result.notes), "draft": _draft(app, intro_id)}


@router.post("/introductions/{intro_id:int}/step.json", tags=["connect"], summary="Advance an introduction by one step")
def step_json(request: Request, intro_id: Id, body: StepIn) -> dict[str, Any]:
    return _step(request, intro_id, body)


@router.post("/introductions/{intro_id:int}/step", include_in_schema=False)
async def step_form(request: Request, intro_id: Id) -> Response:
    form = await read_form(request)
    step = text(form, "step") or "next"
    outcome = text(form, "outcome") or None
    if step not in ("next", "decline", "no_answer", "close") or (outcome is not None and outcome not in OUTCOMES):
        raise InvalidInputError("unknown step for an introduction")
    body = StepIn(step=step, outcome=outcome, note=text(form, "note"))  # type: ignore[arg-type]
    try:
        moved = await run_in_threadpool(_step, request, intro_id, body)
    except GivefirstError as exc:
        if is_htmx(request):  # shown above the board, which stays as it was
            data = await run_in_threadpool(connect_data, request)
            board = {"data": data, "columns": COLUMNS, "outcomes": OUTCOMES, "flash": None, "draft": None}
            return render(request, "_board.html", {**board, "error": str(exc)})
        raise
    message = f"Introduction #{moved['id']}: {moved['status']}."
    if not is_htmx(request):
        flash(request, message, draft=moved["draft"])
        return RedirectResponse("/connect#board", status_code=303)
    data = await run_in_threadpool(connect_data, request)
    context: dict[str, Any] = {"data": data, "columns": COLUMNS, "outcomes": OUTCOMES, "flash": message}
    context["draft"] = moved["draft"]
    return render(request, "_board.html", context)


@router.get("/introductions/{intro_id:int}/draft.json", tags=["connect"], summary="The message an intro needs now")
def draft_json(request: Request, intro_id: Id) -> dict[str, Any]:
    from givefirst.services.introductions import show

    app = request_app(request)
    show(app, intro_id)  # a missing introduction is a 404, not "nothing to draft"
    return {"draft": _draft(app, intro_id)}


@router.get("/introductions", include_in_schema=False)
def introductions_redirect() -> RedirectResponse:
    return RedirectResponse("/connect#board", status_code=303)
