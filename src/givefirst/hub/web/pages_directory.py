"""Other members and running a chapter's membership: /members, /members/{public_id}, roles, invites, the audit log.

A member that the viewer may not see answers exactly as one that does not exist (404, same page), so public ids
cannot be probed.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from givefirst.errors import GivefirstError
from givefirst.hub.domain.access import Role
from givefirst.hub.domain.model import Member
from givefirst.hub.services import audit, members, profiles
from givefirst.hub.web.context import Forbidden, hub_of, render
from givefirst.hub.web.pages_members import Me, MemberOut, allowed, member_out

router = APIRouter()


@router.get("/members", include_in_schema=False)
def directory_page(request: Request, me: Me, q: str = "", chapter: str = "", page: int = 1) -> Response:
    found = profiles.directory(hub_of(request), me, chapter_slug=chapter[:80], query=q, page=page)
    return render(request, "members_list.html", {"section": "members", "d": found})


@router.get("/members/{public_id}", include_in_schema=False)
def member_page(request: Request, me: Me, public_id: str) -> Response:
    found = profiles.profile(hub_of(request), me, public_id[:40])
    return render(request, "members_member.html", {"section": "members", "p": found, "roles": list(Role)})


@router.post("/members/{public_id}/role", include_in_schema=False)
def member_role(request: Request, me: Me, public_id: str, role: Annotated[str, Form(max_length=10)] = "") -> Response:
    if not me.viewer.is_admin:
        raise Forbidden("only an admin can change a member's role")
    try:
        chosen = Role(role)
    except ValueError:
        raise Forbidden("choose member, lead or admin") from None
    with allowed():
        members.set_role(hub_of(request), me, public_id[:40], chosen)
    return RedirectResponse(f"/members/{public_id}", status_code=303)


# --- the lead's pages: invites and the audit log -------------------------------------------------------------


def _lead_only(me: Member) -> None:
    if me.role is Role.MEMBER:
        raise Forbidden("only chapter leads and admins can do this")


def _invites_context(request: Request, me: Member, chapter_slug: str, **extra: Any) -> dict[str, Any]:
    hub = hub_of(request)
    with allowed():
        chapter, chapters = members.invite_chapters(hub, me, chapter_slug[:80])
        invites = members.recent_invites(hub, me, chapter.id)
    return {
        "section": "lead",
        "chapter": chapter,
        "chapters": chapters,
        "sponsors": profiles.directory(hub, me, chapter_slug=chapter.slug, page_size=1000).members,
        "roles": list(Role) if me.viewer.is_admin else [Role.MEMBER],
        "invites": invites,
        "form": {"email": "", "sponsor": "", "role": "member"},
        **extra,
    }


@router.get("/lead/invites", include_in_schema=False)
def invites_page(request: Request, me: Me, chapter: str = "") -> Response:
    _lead_only(me)
    return render(request, "members_invites.html", _invites_context(request, me, chapter))


@router.post("/lead/invites", include_in_schema=False)
def invites_create(
    request: Request,
    me: Me,
    chapter: Annotated[str, Form(max_length=80)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    sponsor: Annotated[str, Form(max_length=40)] = "",
    role: Annotated[str, Form(max_length=10)] = "member",
) -> Response:
    """Make an invite link and show it this once (only its hash is kept)."""
    _lead_only(me)
    hub = hub_of(request)
    context = _invites_context(request, me, chapter)
    try:
        chosen = Role(role)
    except ValueError:
        chosen = Role.MEMBER
    try:
        target = context["chapter"]
        sponsor_id = None
        if sponsor:
            sponsor_id = profiles.profile(hub, me, sponsor).member.id  # only a member the lead may see
        with allowed():
            token = members.create_invite(hub, me, target.id, role=chosen, email=email or None, sponsor_id=sponsor_id)
    except GivefirstError as exc:
        form = {"email": email, "sponsor": sponsor, "role": role}
        return render(request, "members_invites.html", {**context, "form": form, "error": str(exc)}, 400)
    context = _invites_context(request, me, chapter, link=members.invite_url(hub, token, str(request.base_url)))
    return render(request, "members_invites.html", context)


@router.get("/lead/audit", include_in_schema=False)
def audit_page(request: Request, me: Me, before: int | None = None) -> Response:
    with allowed():
        entries = audit.entries(hub_of(request), me, limit=100, before_id=before)
    return render(request, "members_audit.html", {"section": "lead", "entries": entries})


# --- JSON ----------------------------------------------------------------------------------------------------


class MemberLine(BaseModel):
    id: str
    name: str
    chapter: str
    headline: str


class DirectoryOut(BaseModel):
    chapter: str | None
    total: int
    page: int
    pages: int
    members: list[MemberLine]


@router.get("/api/v1/members", tags=["members"], response_model=DirectoryOut)
def api_directory(request: Request, me: Me, q: str = "", chapter: str = "", page: int = 1) -> DirectoryOut:
    """The members of my chapter (an admin: of `chapter`, or of every chapter), 50 a page, searchable by `q`."""
    d = profiles.directory(hub_of(request), me, chapter_slug=chapter[:80], query=q, page=page)
    return DirectoryOut(
        chapter=d.chapter.slug if d.chapter else None,
        total=d.total,
        page=d.page,
        pages=d.pages,
        members=[
            MemberLine(id=m.public_id, name=m.name, chapter=d.chapter_names.get(m.chapter_id, ""), headline=m.headline)
            for m in d.members
        ],
    )


@router.get("/api/v1/members/{public_id}", tags=["members"], response_model=MemberOut)
def api_member(request: Request, me: Me, public_id: str) -> MemberOut:
    """A member as I may see them (404 when hidden, exactly as when missing); never their e-mail."""
    return member_out(profiles.profile(hub_of(request), me, public_id[:40]))
