"""Heard: needs and offers heard in messages and notes, reviewed in one step (accept, edit, reject, skip).

Opening the page reads what is new first (the scan is incremental and only adds derived rows, so a reload costs
little and changes nothing the user wrote). Every change redirects back (POST, then GET).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from givefirst.errors import InvalidInputError
from givefirst.web.context import MAX_ID, flash, read_form, render, request_app, text, web_state

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
SECTION_SIZE = 3  # candidates shown on Today


def heard_data(request: Request, limit: int = 50) -> dict[str, Any]:
    from dataclasses import asdict

    from givefirst.services import heard

    app = request_app(request)
    report = heard.scan(app)  # the sources turned off (heard off SOURCE, or the form below) are left out
    if report.proposed or report.broadcast:
        web_state(request).cache.changed()
    return {"scan": asdict(report), "candidates": heard.list_candidates(app, limit=limit),
            "open": heard.count_open(app)}  # fmt: skip


@router.get("/heard", include_in_schema=False)
def heard_page(request: Request) -> Response:
    from givefirst.services import heard

    data = heard_data(request)
    return render(request, "heard.html", {"data": data, "sources": heard.sources(request_app(request))})


class SourceIn(BaseModel):
    source: str = Field(..., min_length=1, max_length=100, description="A source from GET /heard/sources.json")
    on: bool = Field(..., description="false: heard leaves it out (remembered); true: reads it again")


@router.get("/heard/sources.json", tags=["heard"], summary="The sources heard reads, each on or off")
def sources_json(request: Request) -> list[dict[str, Any]]:
    from givefirst.services import heard

    return heard.sources(request_app(request))


def _switch(request: Request, body: SourceIn) -> dict[str, Any]:
    from givefirst.services import heard

    done = heard.set_source(request_app(request), body.source, body.on)
    web_state(request).cache.changed()  # Today's Heard section lists only the sources on
    return done


@router.post("/heard/sources.json", tags=["heard"], summary="Turn a source on or off for heard (remembered)")
def switch_json(request: Request, body: SourceIn) -> dict[str, Any]:
    return _switch(request, body)


@router.post("/heard/sources", include_in_schema=False)
async def switch_form(request: Request) -> Response:
    form = await read_form(request)
    state = text(form, "on")
    if state not in ("on", "off"):
        raise InvalidInputError("a source is turned on or off")
    await run_in_threadpool(_switch, request, SourceIn(source=text(form, "source"), on=state == "on"))
    return RedirectResponse("/heard#sources", status_code=303)


@router.get("/heard.json", tags=["heard"], summary="Needs and offers heard in messages and notes (reads new first)")
def heard_json(request: Request) -> dict[str, Any]:
    return heard_data(request)


@router.get("/heard/section", include_in_schema=False)
def heard_section(request: Request) -> Response:
    """The few surest candidates, for the Heard section of Today (loaded after the page)."""
    return render(request, "_heard_section.html", {"data": heard_data(request, SECTION_SIZE)})


class DecisionIn(BaseModel):
    action: Literal["accept", "reject", "skip"]
    text: str | None = Field(None, max_length=4000, description="When accepting: the text to record instead")


def _decide(request: Request, candidate_id: int, body: DecisionIn) -> dict[str, Any]:
    from givefirst.services import heard

    app = request_app(request)
    if body.action == "accept":
        done = heard.accept(app, candidate_id, body.text)
    else:
        done = heard.decide(app, candidate_id, "rejected" if body.action == "reject" else "skipped")
    web_state(request).cache.changed()
    return done


@router.post("/heard/{candidate_id:int}.json", tags=["heard"], summary="Accept, reject or skip a candidate")
def decide_json(request: Request, candidate_id: Id, body: DecisionIn) -> dict[str, Any]:
    return _decide(request, candidate_id, body)


@router.post("/heard/{candidate_id:int}", include_in_schema=False)
async def decide_form(request: Request, candidate_id: Id) -> Response:
    form = await read_form(request)
    action = text(form, "action")
    if action not in ("accept", "reject", "skip"):
        raise InvalidInputError("a candidate can be accepted, rejected or skipped")
    edited = text(form, "text") or None
    body = DecisionIn(action=action, text=edited)  # type: ignore[arg-type]
    done = await run_in_threadpool(_decide, request, candidate_id, body)
    whose = "your" if done["person"] == "you" else f"{done['person']}'s"
    flash(request, {"accept": f"Recorded as {whose} {done['kind']}.",
                    "skip": "Skipped: kept aside, not listed again.",
                    "reject": "Rejected: it will not be proposed again."}[action])  # fmt: skip
    back = text(form, "back")
    return RedirectResponse("/today" if back == "today" else "/heard", status_code=303)
