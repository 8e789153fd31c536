"""Getting started from the web: who you are, a first event, a goal, a chapter, and warm paths to an organization
or a place — what the CLI's `me`, `event add`, `goal add`, `chapter add` and `path --org/--place` do."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from givefirst.errors import GivefirstError
from givefirst.web.context import flash, read_form, render, request_app, text, web_state

router = APIRouter()

ME_FIELDS = ("me_name", "me_email", "me_location")
EVENT_FIELDS = ("ev_title", "ev_date", "ev_time", "ev_location", "ev_chapter")
GOAL_FIELDS = ("goal_title", "goal_place", "goal_role", "goal_tag")
CHAPTER_FIELDS = ("ch_org", "ch_name", "ch_location")


def setup_data(request: Request) -> dict[str, Any]:
    """Return what the start page shows: you, how many people, your chapters, goals and upcoming events."""
    from givefirst.services.events import list_chapters
    from givefirst.services.goals import list_goals
    from givefirst.services.network import profile

    app = request_app(request)
    me = profile(app, "me", 1).as_dict()
    people = web_state(request).cache.get(("people-count",), app.now, lambda: _people_count(app))
    return {
        "me": me,
        "me_set": me["name"] != "Me",
        "people": people,
        "chapters": list_chapters(app),
        "goals": [g.as_dict() for g in list_goals(app)],
    }


def _people_count(app: Any) -> int:
    from givefirst.services.network import list_people

    return len(list_people(app))


def _start_page(request: Request, form: dict[str, str], errors: dict[str, str], status: int = 200) -> Response:
    data = setup_data(request)
    if not form and data["me_set"]:
        form = {"me_name": data["me"]["name"], "me_location": data["me"]["location"] or ""}
    return render(request, "start.html", {"data": data, "form": form, "errors": errors}, status=status)


@router.get("/start", include_in_schema=False)
def start_page(request: Request) -> Response:
    return _start_page(request, {}, {})


async def _values(request: Request, fields: tuple[str, ...]) -> dict[str, str]:
    form = await read_form(request)
    return {k: text(form, k) for k in fields}


def _changed(request: Request, message: str, target: str = "/start#main") -> Response:
    # (A fragment of its own: a redirect without one keeps the form's, "#goal", and the message at the top of the
    # page would be out of sight.)
    web_state(request).cache.changed()
    flash(request, message)
    return RedirectResponse(target, status_code=303)


@router.post("/start/me", include_in_schema=False)
async def set_me_form(request: Request) -> Response:
    from givefirst.services.people import PersonInput, email_problem, set_me

    values = await _values(request, ME_FIELDS)
    errors: dict[str, str] = {}
    if not values["me_name"]:
        errors["me_name"] = "Your name, as people know you."
    if values["me_email"] and (problem := email_problem(values["me_email"])):
        errors["me_email"] = problem
    if not errors:
        data = PersonInput(name=values["me_name"], emails=[values["me_email"]] if values["me_email"] else [],
                           location=values["me_location"] or None)  # fmt: skip
        try:
            await run_in_threadpool(set_me, request_app(request), data)
        except GivefirstError as exc:
            errors["me_email" if "email" in str(exc).lower() else "me_name"] = str(exc)
        else:
            return _changed(request, f"Hello, {values['me_name']}: givefirst knows who you are.")
    return _start_page(request, values, errors, status=400)


def _when(values: dict[str, str], errors: dict[str, str]) -> datetime | None:
    try:
        day = date.fromisoformat(values["ev_date"])
    except ValueError:
        errors["ev_date"] = "A date like 2026-03-01."
        return None
    try:
        at = time.fromisoformat(values["ev_time"]) if values["ev_time"] else time(18, 0)
    except ValueError:
        errors["ev_time"] = "A time like 18:30."
        return None
    return datetime.combine(day, at)


@router.post("/events/new", include_in_schema=False)
async def add_event_form(request: Request) -> Response:
    from givefirst.services.events import EventInput, add_event

    values = await _values(request, EVENT_FIELDS)
    errors: dict[str, str] = {}
    if not values["ev_title"]:
        errors["ev_title"] = "What is it called? e.g. “AOP Tampa chapter meeting”."
    starts = _when(values, errors)
    if not errors and starts is not None:
        data = EventInput(title=values["ev_title"], starts_at=starts, location=values["ev_location"] or None,
                          chapter=values["ev_chapter"] or None)  # fmt: skip
        try:
            event_id = await run_in_threadpool(add_event, request_app(request), data)
        except GivefirstError as exc:
            message = str(exc)
            errors["ev_chapter" if "chapter" in message.lower() else "ev_date" if "date" in message else "ev_title"] = (
                message[:1].upper() + message[1:] + "."
            )
        else:
            return _changed(request, f"Added the event {values['ev_title']}.", f"/events/{event_id}#main")
    return _start_page(request, values, errors, status=400)


@router.post("/start/goal", include_in_schema=False)
async def add_goal_form(request: Request) -> Response:
    from givefirst.services.goals import add_goal

    values = await _values(request, GOAL_FIELDS)
    errors: dict[str, str] = {}
    if not values["goal_title"]:
        errors["goal_title"] = "Say what you are working toward, e.g. “Move to Florida”."
    elif not (values["goal_place"] or values["goal_role"] or values["goal_tag"]):
        errors["goal_place"] = "Say whom it is about: a place, role words or a tag."
    if not errors:
        try:
            await run_in_threadpool(add_goal, request_app(request), values["goal_title"],
                                    place=values["goal_place"] or None, roles=values["goal_role"],
                                    tags=values["goal_tag"])  # fmt: skip
        except GivefirstError as exc:
            errors["goal_place" if "place" in str(exc).lower() else "goal_title"] = str(exc)
        else:
            return _changed(request, f"Added your goal: {values['goal_title']}. Today ranks what serves it first.")
    return _start_page(request, values, errors, status=400)


@router.post("/start/chapter", include_in_schema=False)
async def add_chapter_form(request: Request) -> Response:
    from givefirst.services.events import add_chapter

    values = await _values(request, CHAPTER_FIELDS)
    errors: dict[str, str] = {}
    if not values["ch_org"]:
        errors["ch_org"] = "The organization, e.g. “AOP”."
    if not values["ch_name"]:
        errors["ch_name"] = "The chapter's name, e.g. “AOP Tampa”."
    if not errors:
        try:
            await run_in_threadpool(add_chapter, request_app(request), values["ch_org"], values["ch_name"],
                                    values["ch_location"] or None)  # fmt: skip
        except GivefirstError as exc:
            errors["ch_name"] = str(exc)
        else:
            return _changed(request, f"Added the chapter {values['ch_name']}.")
    return _start_page(request, values, errors, status=400)


@router.get("/paths", include_in_schema=False)
def paths_page(
    request: Request,
    org: str = Query("", max_length=200),
    place: str = Query("", max_length=200),
    role: str = Query("", max_length=200),
) -> Response:
    """Warm paths to anyone at an organization, in a place or with a role (`givefirst path --org/--place/--role`)."""
    from givefirst.domain.goals import Target, split_words
    from givefirst.services.reach import find_paths

    form = {"org": org, "place": place, "role": role}
    result, error = None, None
    if org or place or role:
        target = Target(place=place or None, roles=split_words(role), organization=org or None)
        try:
            result = find_paths(request_app(request), target=target, k=5).as_dict()
        except GivefirstError as exc:
            error = str(exc)
    return render(request, "paths.html", {"form": form, "result": result, "error": error})
