"""Events (triage with reasons, the prep sheet, RSVP), the Network picture, and warm paths to a person."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from givefirst.web.context import (
    MAX_ID,
    flash,
    is_htmx,
    read_form,
    render,
    render_cached,
    request_app,
    text,
    web_state,
)
from givefirst.web.graph_layout import radial_layout

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
RSVPS = ("yes", "maybe", "no", "none")
TIERS = ("inner", "close", "active", "acquaintance", "dormant")


# Warm paths ----------------------------------------------------------------------------------------------------


def paths_data(request: Request, pid: int) -> dict[str, Any]:
    from givefirst.services.reach import find_paths

    app = request_app(request)
    return web_state(request).cache.get(
        ("paths", pid), app.now, lambda: find_paths(app, person=f"#{pid}", k=3).as_dict()
    )


@router.get("/people/{pid:int}/paths.json", tags=["people"], summary="The warmest paths to this person (≤ 3 hops)")
def paths_json(request: Request, pid: Id) -> dict[str, Any]:
    return paths_data(request, pid)


@router.get("/people/{pid:int}/paths", include_in_schema=False)
def paths_fragment(request: Request, pid: Id) -> Response:
    return render(request, "_paths.html", {"paths": paths_data(request, pid), "pid": pid})


# Events --------------------------------------------------------------------------------------------------------


def events_data(request: Request, days: int) -> dict[str, Any]:
    from givefirst.services.event_triage import rank_events

    app = request_app(request)
    return web_state(request).cache.get(
        ("events", days), app.now, lambda: {"days": days, "events": [e.as_dict() for e in rank_events(app, days=days)]}
    )


@router.get("/events.json", tags=["events"], summary="Upcoming events ranked by what you could give there")
def events_json(request: Request, days: int = Query(60, ge=1, le=3650)) -> dict[str, Any]:
    return events_data(request, days)


@router.get("/events", include_in_schema=False)
def events_page(request: Request, days: int = Query(60, ge=1, le=3650)) -> Response:
    return render_cached(request, ("events", days), "events.html",
                         lambda: {"data": events_data(request, days), "rsvps": RSVPS})  # fmt: skip


def event_data(request: Request, event_id: int) -> dict[str, Any]:
    from givefirst.services.event_triage import prep_sheet

    app = request_app(request)
    return web_state(request).cache.get(("event", event_id), app.now, lambda: prep_sheet(app, event_id))


@router.get("/events/{event_id:int}.json", tags=["events"], summary="An event's prep sheet: who, their needs, intros")
def event_json(request: Request, event_id: Id) -> dict[str, Any]:
    return event_data(request, event_id)


@router.get("/events/{event_id:int}", include_in_schema=False)
def event_page(request: Request, event_id: Id) -> Response:
    return render_cached(request, ("event", event_id), "event.html",
                         lambda: {"sheet": event_data(request, event_id), "rsvps": RSVPS, "flash": None})  # fmt: skip


class RsvpIn(BaseModel):
    answer: Literal["yes", "maybe", "no", "none"]


def _rsvp(request: Request, event_id: int, answer: str) -> str:
    from givefirst.services.events import rsvp

    message = rsvp(request_app(request), event_id, answer)
    web_state(request).cache.changed()
    return message


@router.post("/events/{event_id:int}/rsvp.json", tags=["events"], summary="Answer an event's invitation")
def rsvp_json(request: Request, event_id: Id, body: RsvpIn) -> dict[str, str]:
    return {"message": _rsvp(request, event_id, body.answer)}


@router.post("/events/{event_id:int}/rsvp", include_in_schema=False)
async def rsvp_form(request: Request, event_id: Id) -> Response:
    form = await read_form(request)
    answer = text(form, "answer")
    message = await run_in_threadpool(_rsvp, request, event_id, answer)
    if is_htmx(request):  # the buttons stay, the answer pressed: it can be changed
        return render(request, "_rsvp.html", {"eid": event_id, "answer": answer, "message": message})
    flash(request, message)
    return RedirectResponse(f"/events/{event_id}", status_code=303)


@router.get("/events/{event_id:int}.ics", include_in_schema=False)
def event_calendar(request: Request, event_id: Id) -> Response:
    from givefirst.services.event_calendar import event_ics

    name, body = event_ics(request_app(request), event_id)
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


# The network picture -------------------------------------------------------------------------------------------


class NetworkQuery(BaseModel):
    limit: int = 2000
    tier: list[Literal["inner", "close", "active", "acquaintance", "dormant"]] = []
    q: str = ""


def network_data(request: Request, limit: int, tiers: list[str], search: str) -> dict[str, Any]:
    from givefirst.services.network_map import network_map

    app = request_app(request)

    def compute() -> dict[str, Any]:
        data = network_map(app, limit=limit, tiers=tiers or None, search=search or None)
        where = radial_layout(data["nodes"])
        for node in data["nodes"]:
            node["x"], node["y"] = where[node["id"]]
        return data

    return web_state(request).cache.get(("network", limit, tuple(tiers), search), app.now, compute)


@router.get("/network.json", tags=["network"], summary="Your strongest ties and the ties among them, laid out")
def network_json(
    request: Request,
    limit: int = Query(2000, ge=1, le=5000),
    tier: list[Literal["inner", "close", "active", "acquaintance", "dormant"]] = Query([]),
    q: str = Query("", max_length=200),
) -> dict[str, Any]:
    return network_data(request, limit, list(tier), q)


@router.get("/network", include_in_schema=False)
def network_page(
    request: Request,
    limit: int = Query(2000, ge=1, le=5000),
    tier: list[Literal["inner", "close", "active", "acquaintance", "dormant"]] = Query([]),
    q: str = Query("", max_length=200),
) -> Response:
    from urllib.parse import urlencode

    source = "/network.json?" + urlencode({"limit": limit, "tier": list(tier), "q": q}, doseq=True)
    return render(request, "network.html", {"source": source, "limit": limit, "tiers": TIERS, "chosen": list(tier),
                                            "q": q})  # fmt: skip
