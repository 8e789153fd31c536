"""`/help` ("whom I can help this week") and `/introductions` (double opt-in), as pages and as JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from givefirst.hub.domain.introductions import KINDS, OUTCOMES
from givefirst.hub.domain.model import Member
from givefirst.hub.services import helping, introductions
from givefirst.hub.web.context import hub_of, member_required, render
from givefirst.hub.web.pagecache import Built, cached_page

router = APIRouter()
Signed = Annotated[Member, Depends(member_required)]
MESSAGES = {
    "proposed": "Proposed. Both sides answer before anything is shared.",
    "accepted": "Accepted.", "declined": "Declined: the hub will not propose this pair again.",
    "outcome": "Thank you: the outcome is recorded.", "thanks": "Saved.",
}  # fmt: skip


@router.get("/help", response_class=HTMLResponse, include_in_schema=False)
async def help_page(request: Request, member: Signed) -> HTMLResponse:
    def build() -> Built:
        return "board_help.html", {"section": "help", "found": helping.whom_i_can_help(hub_of(request), member),
                                   "kinds": KINDS}  # fmt: skip

    return await cached_page(request, member, "help", (), build)


@router.get("/api/v1/help", tags=["introductions"])
def help_json(request: Request, member: Signed) -> dict[str, Any]:
    """Whom you can help this week: the visible needs your offers meet (best first, with the engine's signals),
    and pairs of two other members you could introduce."""
    return helping.whom_i_can_help(hub_of(request), member).as_dict()


@router.get("/introductions", response_class=HTMLResponse, include_in_schema=False)
def introductions_page(request: Request, member: Signed) -> HTMLResponse:
    found = introductions.introductions_of(hub_of(request), member)
    waiting = [v for v in found if v.intro.waiting_for(member.id)]
    others = [v for v in found if not v.intro.waiting_for(member.id)]
    return render(request, "board_introductions.html", {"section": "introductions", "waiting": waiting,
                                                        "others": others, "outcomes": OUTCOMES})  # fmt: skip


@router.get("/introductions/{public_id}", response_class=HTMLResponse, include_in_schema=False)
def introduction_page(request: Request, member: Signed, public_id: str, m: str = "") -> HTMLResponse:
    view = introductions.get(hub_of(request), member, public_id)
    context = {"section": "introductions", "v": view, "message": MESSAGES.get(m, ""), "outcomes": OUTCOMES}
    return render(request, "board_introduction.html", context)


def _back(view: introductions.IntroView, message: str) -> RedirectResponse:
    return RedirectResponse(f"/introductions/{view.intro.public_id}?m={message}", status_code=303)


@router.post("/introductions", include_in_schema=False)
def propose_form(
    request: Request, member: Signed, need: Annotated[str, Form()], offer: Annotated[str, Form()],
    kind: Annotated[str, Form()] = "lead", message: Annotated[str, Form()] = "",
) -> RedirectResponse:  # fmt: skip
    return _back(introductions.propose(hub_of(request), member, need, offer, kind=kind, message=message), "proposed")


@router.post("/introductions/offer", include_in_schema=False)
def offer_form(
    request: Request, member: Signed, need: Annotated[str, Form()], message: Annotated[str, Form()] = ""
) -> RedirectResponse:
    return _back(introductions.offer_help(hub_of(request), member, need, message), "proposed")


@router.post("/introductions/{public_id}/answer", include_in_schema=False)
def answer_form(request: Request, member: Signed, public_id: str, answer: Annotated[str, Form()]) -> RedirectResponse:
    accept = answer == "accept"
    view = introductions.answer(hub_of(request), member, public_id, accept)
    return _back(view, "accepted" if accept else "declined")


@router.post("/introductions/{public_id}/outcome", include_in_schema=False)
def outcome_form(
    request: Request, member: Signed, public_id: str, outcome: Annotated[str, Form()],
    note: Annotated[str, Form()] = "", thanks_public: Annotated[str, Form()] = "",
) -> RedirectResponse:  # fmt: skip
    view = introductions.record_outcome(hub_of(request), member, public_id, outcome, note=note,
                                        thanks_public=thanks_public == "1")  # fmt: skip
    return _back(view, "outcome")


@router.post("/introductions/{public_id}/thanks", include_in_schema=False)
def thanks_form(
    request: Request, member: Signed, public_id: str, public: Annotated[str, Form()] = ""
) -> RedirectResponse:
    return _back(introductions.set_thanks(hub_of(request), member, public_id, public == "1"), "thanks")


class ProposeIn(BaseModel):
    need: str = Field(description="the need's public id")
    offer: str | None = Field(None, description="the offer's public id; leave out to offer your own help")
    kind: str = Field("lead", description="referral (the member with the need asked to be put in touch) or lead")
    message: str = ""


class AnswerIn(BaseModel):
    accept: bool


class OutcomeIn(BaseModel):
    outcome: str = Field(description="helped, hired or no_thanks")
    note: str = ""
    thanks_public: bool = False


@router.get("/api/v1/introductions", tags=["introductions"])
def introductions_json(request: Request, member: Signed) -> list[dict[str, Any]]:
    """The introductions you take part in (either side, or as the one who proposed), newest first."""
    return [v.as_dict() for v in introductions.introductions_of(hub_of(request), member)]


@router.get("/api/v1/introductions/{public_id}", tags=["introductions"])
def introduction_json(request: Request, member: Signed, public_id: str) -> dict[str, Any]:
    """One introduction you take part in; contact details once both sides accepted."""
    return introductions.get(hub_of(request), member, public_id).as_dict()


@router.post("/api/v1/introductions", status_code=201, tags=["introductions"])
def propose_json(request: Request, member: Signed, body: ProposeIn) -> dict[str, Any]:
    """Propose an introduction of a need's owner to an offer's owner, or (no offer) offer your own help."""
    hub = hub_of(request)
    if body.offer is None:
        return introductions.offer_help(hub, member, body.need, body.message).as_dict()
    return introductions.propose(hub, member, body.need, body.offer, kind=body.kind, message=body.message).as_dict()


@router.post("/api/v1/introductions/{public_id}/answer", tags=["introductions"])
def answer_json(request: Request, member: Signed, public_id: str, body: AnswerIn) -> dict[str, Any]:
    """Accept or decline; a declined pair is never proposed again."""
    return introductions.answer(hub_of(request), member, public_id, body.accept).as_dict()


@router.post("/api/v1/introductions/{public_id}/outcome", tags=["introductions"])
def outcome_json(request: Request, member: Signed, public_id: str, body: OutcomeIn) -> dict[str, Any]:
    """Record how it went; thanks are public only when both sides agree."""
    return introductions.record_outcome(hub_of(request), member, public_id, body.outcome, note=body.note,
                                        thanks_public=body.thanks_public).as_dict()  # fmt: skip
