"""At the event, on a phone: event mode (`/events/ID/live`), quick capture, check-in and a give in one tap.

Every form answers with a redirect (post/redirect/get: a reload never records twice) and has a JSON twin.
`POST /capture.json` is also what the phone replays for a capture made offline (static/outbox.js): it fetches a
fresh CSRF token from `/capture/token.json` first, because the session may have changed while it was offline,
and sends the capture's client id, so a capture that reaches the server twice is recorded once.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from givefirst.errors import GivefirstError, InvalidInputError
from givefirst.services.capture import CaptureInput, LooksKnownError, capture, check_in, give_at_event
from givefirst.web.context import MAX_ID, as_id, csrf_token, read_form, render, request_app, text, web_state

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
FLASH = {"captured": "Saved. The follow-up is in Today.", "checkin": "Checked in.", "gave": "Give recorded."}


def live_data(request: Request, event_id: int) -> dict[str, Any]:
    from givefirst.services.event_live import live_view

    app = request_app(request)
    return web_state(request).cache.get(("live", event_id), app.now, lambda: live_view(app, event_id))


@router.get("/live", include_in_schema=False)
def live_now(request: Request) -> Response:
    """The phone's home screen: the event on now, or the next one."""
    from givefirst.services.event_live import current_event

    event_id = current_event(request_app(request))
    if event_id is None:
        return render(request, "live/none.html", {})
    return RedirectResponse(f"/events/{event_id}/live", status_code=303)


@router.get("/events/{event_id:int}/live.json", tags=["events"], summary="Event mode: who is here, whom to help")
def live_json(request: Request, event_id: Id) -> dict[str, Any]:
    return live_data(request, event_id)


@router.get("/events/{event_id:int}/live", include_in_schema=False)
def live_page(
    request: Request,
    event_id: Id,
    ok: Literal["", "captured", "checkin", "gave"] = Query(""),
    pid: int = Query(0, ge=0, le=MAX_ID),
    at: Literal["", "help", "expected"] = Query(""),
) -> Response:
    data = live_data(request, event_id)
    flash = None
    if ok:
        everyone = data["here"] + data["expected"]
        name = next((p["name"] for p in everyone if p["id"] == pid), None)
        flash = (f"{name}: " if name else "") + FLASH[ok]
    context = {"data": data, "flash": flash, "flash_at": at, "form": {}, "error": None}
    return render(request, "live/event.html", context)


# Check in, give ------------------------------------------------------------------------------------------------


class PersonIn(BaseModel):
    person_id: int = Field(ge=1, le=MAX_ID)


class GiveIn(PersonIn):
    what: str = Field(max_length=500)


def _changed(request: Request) -> None:
    web_state(request).cache.changed()


@router.post("/events/{event_id:int}/live/checkin.json", tags=["events"], summary="Mark someone as here")
def checkin_json(request: Request, event_id: Id, body: PersonIn) -> dict[str, str]:
    message = check_in(request_app(request), event_id, body.person_id)
    _changed(request)
    return {"message": message}


@router.post("/events/{event_id:int}/live/checkin", include_in_schema=False)
async def checkin_form(request: Request, event_id: Id) -> Response:
    form = await read_form(request)
    pid = as_id(text(form, "person_id"))
    if pid is None:
        raise InvalidInputError("choose whom to check in")
    await run_in_threadpool(check_in, request_app(request), event_id, pid)
    _changed(request)
    return _back(event_id, "checkin", pid, "help" if text(form, "back") == "help" else "expected")


@router.post("/events/{event_id:int}/live/give.json", tags=["events"], summary="Record a give made at the event")
def give_json(request: Request, event_id: Id, body: GiveIn) -> dict[str, str]:
    message = give_at_event(request_app(request), event_id, body.person_id, body.what)
    _changed(request)
    return {"message": message}


@router.post("/events/{event_id:int}/live/give", include_in_schema=False)
async def give_form(request: Request, event_id: Id) -> Response:
    form = await read_form(request)
    pid = as_id(text(form, "person_id"))
    if pid is None:
        raise InvalidInputError("choose whom you gave to")
    await run_in_threadpool(give_at_event, request_app(request), event_id, pid, text(form, "what"))
    _changed(request)
    return _back(event_id, "gave", pid, "help")


def _back(event_id: int, ok: str, pid: int, at: str = "") -> RedirectResponse:
    """Back to event mode with what was done; `at`, the list the tap came from, is where the page lands and says it
    (a phone scrolled down the Expected list stays there to check in the next person)."""
    query = urlencode({"ok": ok, "pid": pid, **({"at": at} if at else {})})
    return RedirectResponse(f"/events/{event_id}/live?{query}" + (f"#{at}" if at else "#main"), status_code=303)


# Quick capture -------------------------------------------------------------------------------------------------


class CaptureIn(BaseModel):
    name: str = Field("", max_length=300)
    organization: str = Field("", max_length=300)
    which: Literal["need", "offer"] = "need"
    text: str = Field("", max_length=2000)
    event_id: int | None = Field(None, ge=1, le=MAX_ID)
    email: str = Field("", max_length=320)
    known_id: int | None = Field(None, ge=1, le=MAX_ID)
    new: bool = False
    client_id: str = Field("", max_length=64)


@router.get("/capture/token.json", tags=["capture"], summary="The session's CSRF token, for replaying captures")
def capture_token(request: Request) -> dict[str, str]:
    # Only a page of this origin can read it (no CORS), and only with this session's cookie.
    return {"csrf_token": csrf_token(request)}


@router.post("/capture.json", tags=["capture"], summary="Record someone you just met, with a follow-up in Today",
             responses={409: {"description": "They look like someone you know: `candidates` lists who"}})  # fmt: skip
def capture_json(request: Request, body: CaptureIn) -> Response:
    try:
        done = capture(request_app(request), CaptureInput(**body.model_dump()))
    except LooksKnownError as exc:
        return JSONResponse({"error": str(exc), "candidates": [k.as_dict() for k in exc.candidates]}, status_code=409)
    _changed(request)
    return JSONResponse(done.as_dict())


@router.get("/capture", include_in_schema=False)
def capture_page(request: Request, event: int = Query(0, ge=0, le=MAX_ID)) -> Response:
    return render(request, "live/capture.html", {"form": {"event_id": event or ""}, "error": None, "known": []})


@router.post("/capture", include_in_schema=False)
async def capture_form(request: Request) -> Response:
    form = await read_form(request)
    fields = {k: text(form, k) for k in ("name", "organization", "which", "text", "email", "client_id", "event_id")}
    event_id = as_id(fields["event_id"])
    data = CaptureInput(
        name=fields["name"], organization=fields["organization"], which=fields["which"] or "need",
        text=fields["text"], event_id=event_id, email=fields["email"], known_id=as_id(text(form, "known_id")),
        new=text(form, "new") == "1", client_id=fields["client_id"],
    )  # fmt: skip
    try:
        done = await run_in_threadpool(capture, request_app(request), data)
    except LooksKnownError as exc:
        return render(request, "live/capture.html", {"form": fields, "error": None, "known": exc.candidates})
    except GivefirstError as exc:
        return render(request, "live/capture.html", {"form": fields, "error": str(exc), "known": []}, status=400)
    _changed(request)
    if event_id is not None:
        return _back(event_id, "captured", done.person_id)
    return RedirectResponse(f"/people/{done.person_id}", status_code=303)
