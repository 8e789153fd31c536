"""Chapter events on the web: /events, an event's page, RSVP, the door, prep sheets, follow-ups and /moving.

Thin: each route calls `hub.services.events`, `sheets` or `moving` and renders the result (or JSON under
/api/v1/). A lead-only action by a member answers 403; another chapter's event answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from givefirst.hub.domain.model import Member
from givefirst.hub.services import events, moving, sheets
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.web import timefmt
from givefirst.hub.web.context import Forbidden, hub_of, member_required, render, templates

router = APIRouter()
T = TypeVar("T")

# What a redirect tells the next page, by code: never text from the query string (it would be anyone's to write).
NOTICES = {
    "created": "The event is on the chapter's calendar.",
    "answered": "Your answer is saved.",
    "checked_in": "Checked in.",
    "already_in": "Already checked in.",
    "talked": "Saved: a follow-up is on your events page.",
    "talked_again": "You had recorded that conversation already.",
    "followed_up": "Follow-up marked done.",
    "suggested": "Introduction suggested: both members are asked on their introductions page.",
    "suggested_before": "That introduction was suggested (or declined) before.",
    "moving_accepted": "Thank you: the new chapter's leads will see you coming.",
    "moving_dismissed": "Dismissed: we will not propose this move again.",
}
templates.env.globals["local_time"] = timefmt.show


def lead_only(call: Callable[..., T], *args: Any) -> T:
    """Run a lead-only service call; a member who is not a lead of the chapter gets 403, not a 400."""
    try:
        return call(*args)
    except events.LeadsOnly as exc:
        raise Forbidden(str(exc)) from None


def _tz(hub: Hub, chapter_id: int) -> str:
    with hub.engine.connect() as conn:
        return next((c.timezone for c in stored_members.all_chapters(conn) if c.id == chapter_id), "UTC")


def _notice(request: Request) -> str:
    return NOTICES.get(request.query_params.get("ok", ""), "")


def _back(path: str, code: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?ok={code}", status_code=303)


# --- pages ---------------------------------------------------------------------------------------------------


@router.get("/events", response_class=HTMLResponse, include_in_schema=False)
def events_list(request: Request, me: Member = Depends(member_required)) -> HTMLResponse:
    hub = hub_of(request)
    page = events.events_page(hub, me)
    context = {"page": page, "tz": _tz(hub, me.chapter_id), "notice": _notice(request), "section": "events"}
    return render(request, "events_list.html", context)


@router.post("/events", include_in_schema=False)
def events_create(
    request: Request,
    title: str = Form(""),
    starts: str = Form(""),
    ends: str = Form(""),
    place: str = Form(""),
    description: str = Form(""),
    me: Member = Depends(member_required),
) -> RedirectResponse:
    hub = hub_of(request)
    tz = _tz(hub, me.chapter_id)
    starts_at = timefmt.from_form(starts, tz, "start", required=True)
    assert starts_at is not None
    ends_at = timefmt.from_form(ends, tz, "end")
    event = lead_only(
        lambda: events.create_event(
            hub, me, title=title, starts_at=starts_at, ends_at=ends_at, place=place, description=description
        )
    )
    return _back(f"/events/{event.public_id}", "created")


@router.get("/events/{public_id}", response_class=HTMLResponse, include_in_schema=False)
def event_detail(public_id: str, request: Request, me: Member = Depends(member_required)) -> HTMLResponse:
    hub = hub_of(request)
    page = events.event_page(hub, me, public_id)
    context = {"page": page, "tz": _tz(hub, page.event.chapter_id), "notice": _notice(request), "section": "events"}
    return render(request, "events_detail.html", context)


@router.post("/events/{public_id}/rsvp", include_in_schema=False)
def event_rsvp(
    public_id: str, request: Request, answer: str = Form(""), me: Member = Depends(member_required)
) -> RedirectResponse:
    events.rsvp(hub_of(request), me, public_id, answer)
    return _back(f"/events/{public_id}", "answered")


@router.get("/events/{public_id}/sheet", response_class=HTMLResponse, include_in_schema=False)
def event_sheet(public_id: str, request: Request, me: Member = Depends(member_required)) -> HTMLResponse:
    hub = hub_of(request)
    sheet = sheets.attendee_sheet(hub, me, public_id)
    return render(request, "events_sheet.html", {"sheet": sheet, "tz": _tz(hub, sheet.event.chapter_id)})


@router.get("/events/{public_id}/room", response_class=HTMLResponse, include_in_schema=False)
def event_room(public_id: str, request: Request, me: Member = Depends(member_required)) -> HTMLResponse:
    hub = hub_of(request)
    room = lead_only(sheets.room_sheet, hub, me, public_id)
    past = room.event.is_past(hub.now())
    context = {"room": room, "tz": _tz(hub, room.event.chapter_id), "notice": _notice(request), "past": past}
    return render(request, "events_room.html", context)


@router.post("/events/{public_id}/room/suggest", include_in_schema=False)
def event_suggest(
    public_id: str,
    request: Request,
    need: str = Form(""),
    offer: str = Form(""),
    me: Member = Depends(member_required),
) -> RedirectResponse:
    made = lead_only(sheets.suggest, hub_of(request), me, public_id, need, offer)
    return _back(f"/events/{public_id}/room", "suggested" if made else "suggested_before")


@router.get("/events/{public_id}/door", response_class=HTMLResponse, include_in_schema=False)
def event_door(public_id: str, request: Request, me: Member = Depends(member_required)) -> HTMLResponse:
    hub = hub_of(request)
    door = lead_only(events.door, hub, me, public_id)
    latest = sorted((a for a in door.roster if a.checked_in_at), key=lambda a: a.checked_in_at or datetime.min)
    context = {
        "door": door,
        "tz": _tz(hub, door.event.chapter_id),
        "notice": _notice(request),
        "latest": latest[-1] if latest else None,
    }
    return render(request, "events_door.html", context)


@router.post("/events/{public_id}/door", include_in_schema=False)
def event_door_code(
    public_id: str, request: Request, code: str = Form(""), me: Member = Depends(member_required)
) -> RedirectResponse:
    _, fresh = lead_only(events.check_in, hub_of(request), me, public_id, code)
    return _back(f"/events/{public_id}/door", "checked_in" if fresh else "already_in")


@router.post("/events/{public_id}/door/tick", include_in_schema=False)
def event_door_tick(
    public_id: str, request: Request, member: str = Form(""), me: Member = Depends(member_required)
) -> RedirectResponse:
    _, fresh = lead_only(events.check_in_member, hub_of(request), me, public_id, member)
    return _back(f"/events/{public_id}/door", "checked_in" if fresh else "already_in")


@router.post("/events/{public_id}/talked", include_in_schema=False)
def event_talked(
    public_id: str,
    request: Request,
    other: str = Form(""),
    note: str = Form(""),
    me: Member = Depends(member_required),
) -> RedirectResponse:
    fresh = events.record_conversation(hub_of(request), me, public_id, other, note)
    return _back(f"/events/{public_id}", "talked" if fresh else "talked_again")


@router.post("/events/{public_id}/follow-ups/{other}/done", include_in_schema=False)
def event_followed_up(
    public_id: str, other: str, request: Request, me: Member = Depends(member_required)
) -> RedirectResponse:
    events.follow_up_done(hub_of(request), me, public_id, other)
    return _back("/events", "followed_up")


@router.get("/moving", response_class=HTMLResponse, include_in_schema=False)
def moving_page(request: Request, me: Member = Depends(member_required)) -> HTMLResponse:
    page = moving.moving_page(hub_of(request), me)
    return render(request, "events_moving.html", {"page": page, "notice": _notice(request), "section": "me"})


@router.post("/moving", include_in_schema=False)
def moving_answer(request: Request, answer: str = Form(""), me: Member = Depends(member_required)) -> RedirectResponse:
    moving.answer(hub_of(request), me, answer)
    return _back("/moving", f"moving_{answer}")


# --- JSON ----------------------------------------------------------------------------------------------------


class EventOut(BaseModel):
    public_id: str
    title: str
    starts_at: datetime  # UTC
    ends_at: datetime | None
    place: str
    description: str
    going: int
    maybe: int
    no: int
    checked_in: int
    my_answer: str | None


class FollowUpOut(BaseModel):
    event_public_id: str
    event_title: str
    other_public_id: str
    other_name: str
    note: str
    due: datetime


class EventsOut(BaseModel):
    upcoming: list[EventOut]
    past: list[EventOut]
    follow_ups: list[FollowUpOut]


def _event_out(summary: events.EventSummary) -> EventOut:
    e, c = summary.event, summary.counts
    return EventOut(
        public_id=e.public_id,
        title=e.title,
        starts_at=e.starts_at,
        ends_at=e.ends_at,
        place=e.place,
        description=e.description,
        going=c.get("going", 0),
        maybe=c.get("maybe", 0),
        no=c.get("no", 0),
        checked_in=c.get("checked_in", 0),
        my_answer=summary.my_answer,
    )


@router.get("/api/v1/events", tags=["events"])
def api_events(request: Request, me: Member = Depends(member_required)) -> EventsOut:
    """My chapter's upcoming events (soonest first), past ones (latest first), and my pending follow-ups."""
    page = events.events_page(hub_of(request), me)
    return EventsOut(
        upcoming=[_event_out(s) for s in page.upcoming],
        past=[_event_out(s) for s in page.past],
        follow_ups=[
            FollowUpOut(
                event_public_id=f["event_public_id"],
                event_title=f["event_title"],
                other_public_id=f["other_public_id"],
                other_name=f["other_name"],
                note=f["note"],
                due=f["follow_up_due"],
            )
            for f in page.follow_ups
        ],
    )


class AttendeeOut(BaseModel):
    public_id: str
    name: str
    answer: str | None
    checked_in: bool


class EventDetailOut(BaseModel):
    event: EventOut
    attendees: list[AttendeeOut]
    check_in_code: str


@router.get("/api/v1/events/{public_id}", tags=["events"])
def api_event(public_id: str, request: Request, me: Member = Depends(member_required)) -> EventDetailOut:
    """One event of my chapter: counts, who comes, and my check-in code (what my QR code holds)."""
    hub = hub_of(request)
    page = events.event_page(hub, me, public_id)
    summary = events.EventSummary(page.event, page.counts, page.my_answer, page.checked_in)
    return EventDetailOut(
        event=_event_out(summary),
        attendees=[
            AttendeeOut(public_id=a.public_id, name=a.name, answer=a.answer, checked_in=a.checked_in_at is not None)
            for a in page.attendees
        ],
        check_in_code=events.check_in_token(hub, page.event, me),
    )


class RsvpIn(BaseModel):
    answer: str


@router.post("/api/v1/events/{public_id}/rsvp", tags=["events"])
def api_rsvp(public_id: str, body: RsvpIn, request: Request, me: Member = Depends(member_required)) -> dict[str, str]:
    """Answer an event: going, maybe or no."""
    return {"answer": events.rsvp(hub_of(request), me, public_id, body.answer)}


class SheetLineOut(BaseModel):
    member_public_id: str
    member_name: str
    need: str
    offer: str
    score: float


class SheetOut(BaseModel):
    event_public_id: str
    i_can_help: list[SheetLineOut]
    can_help_me: list[SheetLineOut]
    suggested_introductions: list[str]


@router.get("/api/v1/events/{public_id}/sheet", tags=["events"])
def api_sheet(public_id: str, request: Request, me: Member = Depends(member_required)) -> SheetOut:
    """My prep sheet for a meeting: whom there I can help and how, and who there can help me."""
    sheet = sheets.attendee_sheet(hub_of(request), me, public_id)
    return SheetOut(
        event_public_id=sheet.event.public_id,
        i_can_help=[
            SheetLineOut(
                member_public_id=p.seeker_public_id,
                member_name=p.seeker_name,
                need=p.need.text,
                offer=p.offer.text,
                score=round(p.score, 3),
            )
            for p in sheet.i_can_help
        ],
        can_help_me=[
            SheetLineOut(
                member_public_id=p.helper_public_id,
                member_name=p.helper_name,
                need=p.need.text,
                offer=p.offer.text,
                score=round(p.score, 3),
            )
            for p in sheet.can_help_me
        ],
        suggested_introductions=[s.public_id for s in sheet.suggested],
    )


class MovingLineOut(BaseModel):
    member_public_id: str
    member_name: str
    need: str
    offer: str


class MovingOut(BaseModel):
    status: str | None  # proposed | accepted; None: nothing to hand over
    from_chapter: str | None
    to_chapter: str | None
    new_leads: list[str]
    help_there: list[MovingLineOut]
    help_here: list[MovingLineOut]


@router.get("/api/v1/moving", tags=["events"])
def api_moving(request: Request, me: Member = Depends(member_required)) -> MovingOut:
    """My move, when my "moving to" (or location) falls in another chapter: its leads, the needs there I can
    meet, and those I can still meet in the chapter I leave."""
    page = moving.moving_page(hub_of(request), me)

    def lines(pairs: list[Any]) -> list[MovingLineOut]:
        return [
            MovingLineOut(
                member_public_id=p.seeker_public_id, member_name=p.seeker_name, need=p.need.text, offer=p.offer.text
            )
            for p in pairs
        ]

    return MovingOut(
        status=page.handoff.status if page.handoff else None,
        from_chapter=page.from_chapter.name if page.from_chapter else None,
        to_chapter=page.to_chapter.name if page.to_chapter else None,
        new_leads=[lead.name for lead in page.new_leads],
        help_there=lines(page.help_there),
        help_here=lines(page.help_here),
    )
