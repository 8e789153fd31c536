"""Getting in and my own account: /login, /join/{token}, /me (profile, API tokens, export, deletion), /api/v1/me.

Passkeys, the second way in, are in pages_passkeys; this module lists them on /me.

Sessions are rows in the database; the browser holds the secret in an HttpOnly, SameSite=Lax cookie, marked
Secure when the request came over https (uvicorn `--proxy-headers` behind a TLS proxy) or when
GIVEFIRST_HUB_SECURE_COOKIES=1 says the hub is only ever reached over https.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from givefirst.errors import GivefirstError, InvalidInputError
from givefirst.hub.domain.members import NotAllowedError
from givefirst.hub.domain.model import Member
from givefirst.hub.services import account, api_tokens, members, passkeys, profiles, sessions
from givefirst.hub.web.context import Forbidden, hub_of, member_or_none, member_required, render

router = APIRouter()
Me = Annotated[Member, Depends(member_required)]


@contextmanager
def allowed() -> Iterator[None]:
    """Turn a service's "not allowed" into the web's 403."""
    try:
        yield
    except NotAllowedError as exc:
        raise Forbidden(str(exc)) from None


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def same_origin(request: Request) -> bool:
    """Refuse sign-in forms posted from other sites (login CSRF), by what the browser says of the form's page.

    Sec-Fetch-Site is the browser's own verdict; Origin is checked when it names a site (with this hub's
    `Referrer-Policy: no-referrer`, browsers send "null" for their own forms, which says nothing either way).
    """
    if request.headers.get("sec-fetch-site") in ("cross-site", "same-site"):
        return False
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return True
    return urlsplit(origin).netloc.lower() == (request.headers.get("host") or "").lower()


def set_session_cookie(request: Request, response: Response, member_id: int) -> None:
    """Open a session for `member_id` and hand its secret to the browser (a password's or a passkey's sign-in)."""
    from givefirst.hub.services.sessions import SESSION_DAYS
    from givefirst.hub.web.app import SESSION_COOKIE

    secure = request.url.scheme == "https" or os.environ.get("GIVEFIRST_HUB_SECURE_COOKIES") == "1"
    response.set_cookie(
        SESSION_COOKIE,
        sessions.start(hub_of(request), member_id),
        max_age=SESSION_DAYS * 86400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
    )


def _signed_in(request: Request, member_id: int, to: str) -> RedirectResponse:
    response = RedirectResponse(to, status_code=303)
    set_session_cookie(request, response, member_id)
    return response


def safe_next(target: str) -> str:
    """Only a path on this hub: never `//elsewhere` or a full URL (open redirects)."""
    if target.startswith("/") and not target.startswith(("//", "/\\", "/login", "/join/")):
        return target
    return "/"  # and never back to signing in, which would send a signed-in browser round in circles


# --- signing in ----------------------------------------------------------------------------------------------


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/") -> Response:
    if member_or_none(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    context = {"next": safe_next(next), "email": "", "association": members.association_name(hub_of(request))}
    return render(request, "members_login.html", context)


@router.post("/login", include_in_schema=False)
def login_submit(
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=4096)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    hub = hub_of(request)
    context: dict[str, Any] = {"next": safe_next(next), "email": email, "association": members.association_name(hub)}
    if not same_origin(request):
        return render(request, "members_login.html", {**context, "error": "sign in from this hub's own page"}, 403)
    try:
        member = members.login(hub, email, password, client_address(request))
    except members.SignInRefused as exc:
        status = 429 if exc.retry_minutes is not None else 401
        return render(request, "members_login.html", {**context, "error": str(exc)}, status)
    return _signed_in(request, member.id, safe_next(next))


@router.get("/join/{token}", include_in_schema=False)
def join_page(request: Request, token: str) -> Response:
    hub = hub_of(request)
    try:
        invite = members.check_invite(hub, token)
    except InvalidInputError as exc:
        return render(request, "members_join.html", {"problem": str(exc), "token": ""}, 400)
    form = {"name": "", "email": invite.email or ""}
    return render(request, "members_join.html", {"invite": invite, "token": token, "form": form})


@router.post("/join/{token}", include_in_schema=False)
def join_submit(
    request: Request,
    token: str,
    name: Annotated[str, Form(max_length=400)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=4096)] = "",
) -> Response:
    hub = hub_of(request)
    try:
        invite = members.check_invite(hub, token)
    except InvalidInputError as exc:
        return render(request, "members_join.html", {"problem": str(exc), "token": ""}, 400)
    form = {"name": name, "email": invite.email or email}
    if not same_origin(request):
        context = {"invite": invite, "token": token, "form": form, "error": "join from this hub's own page"}
        return render(request, "members_join.html", context, 403)
    try:
        member = members.join(hub, token, name, invite.email or email, password)
    except GivefirstError as exc:
        return render(
            request, "members_join.html", {"invite": invite, "token": token, "form": form, "error": str(exc)}, 400
        )
    return _signed_in(request, member.id, "/me?welcome=1")


# --- my profile ----------------------------------------------------------------------------------------------


def _me_context(request: Request, me: Member, **extra: Any) -> dict[str, Any]:
    hub = hub_of(request)
    mine = profiles.my_profile(hub, me)
    form = {
        "name": me.name,
        "headline": me.headline,
        "location": me.location or "",
        "moving_to": me.moving_to or "",
        "moving_on": me.moving_on.isoformat() if me.moving_on else "",
        "digest_opt_out": me.digest_opt_out,
    }
    return {
        "section": "me",
        "me": mine,
        "form": form,
        "prompts": profiles.sponsor_prompts(hub, me),
        "tokens": profiles.tokens(hub, me),
        "passkeys": passkeys.passkeys_of(hub, me),
        "passkey_added": request.query_params.get("passkey") == "1",
        "welcome": request.query_params.get("welcome") == "1",
        "saved": request.query_params.get("saved") == "1",
        **extra,
    }


@router.get("/me", include_in_schema=False)
def me_page(request: Request, me: Me) -> Response:
    return render(request, "members_me.html", _me_context(request, me))


@router.post("/me", include_in_schema=False)
def me_save(
    request: Request,
    me: Me,
    name: Annotated[str, Form(max_length=400)] = "",
    headline: Annotated[str, Form(max_length=2000)] = "",
    location: Annotated[str, Form(max_length=400)] = "",
    moving_to: Annotated[str, Form(max_length=400)] = "",
    moving_on: Annotated[str, Form(max_length=20)] = "",
    digest_opt_out: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    hub = hub_of(request)
    try:
        when = date.fromisoformat(moving_on) if moving_on.strip() else None
    except ValueError:
        when = None
        error: str | None = f"moving date: {moving_on!r} is not a date (YYYY-MM-DD)"
    else:
        error = None
    if error is None:
        try:
            profiles.update_profile(
                hub,
                me,
                name=name,
                headline=headline,
                location=location,
                moving_to=moving_to,
                moving_on=when,
                digest_opt_out=bool(digest_opt_out),
            )
        except InvalidInputError as exc:
            error = str(exc)
    if error is not None:
        form = {
            "name": name,
            "headline": headline,
            "location": location,
            "moving_to": moving_to,
            "moving_on": moving_on,
            "digest_opt_out": bool(digest_opt_out),
        }
        context = {**_me_context(request, me), "form": form, "error": error}
        return render(request, "members_me.html", context, 400)
    return RedirectResponse("/me?saved=1", status_code=303)


@router.post("/me/tokens", include_in_schema=False)
def token_create(request: Request, me: Me, name: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Make an API token and show it this once (only its hash is kept), so this answer is a page, not a redirect."""
    if not name.strip():
        return render(request, "members_me.html", _me_context(request, me, token_error="name the token"), 400)
    token = api_tokens.create(hub_of(request), me.id, name)
    return render(request, "members_me.html", _me_context(request, me, new_token=token, new_token_name=name))


@router.post("/me/tokens/revoke", include_in_schema=False)
def token_revoke(request: Request, me: Me, token_id: Annotated[int, Form()]) -> Response:
    api_tokens.revoke(hub_of(request), me.id, token_id)  # someone else's id revokes nothing
    return RedirectResponse("/me#tokens", status_code=303)


@router.get("/me/export.json", tags=["me"])
def me_export(request: Request, me: Me) -> JSONResponse:
    """Everything the hub keeps about me, as one JSON document (profile, items, introductions, RSVPs)."""
    data = account.export(hub_of(request), me)
    filename = f"givefirst-hub-{me.public_id}.json"
    return JSONResponse(data, headers={"content-disposition": f'attachment; filename="{filename}"'})


@router.post("/me/delete", include_in_schema=False)
def me_delete(request: Request, me: Me, confirm: Annotated[str, Form(max_length=50)] = "") -> Response:
    from givefirst.hub.web.app import SESSION_COOKIE

    try:
        account.delete_account(hub_of(request), me, confirm)
    except InvalidInputError as exc:
        return render(request, "members_me.html", _me_context(request, me, delete_error=str(exc)), 400)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- JSON ----------------------------------------------------------------------------------------------------


class SponsorOut(BaseModel):
    name: str
    id: str | None  # the sponsor's public id, when you may open their page


class ItemOut(BaseModel):
    id: str
    kind: str
    text: str
    tags: list[str]
    location: str | None


class MemberOut(BaseModel):
    """A member as another member sees them: never their e-mail."""

    id: str
    name: str
    chapter: str
    chapter_slug: str
    role: str
    headline: str
    location: str | None
    moving_to: str | None
    moving_on: date | None
    sponsor: SponsorOut | None
    items: list[ItemOut]


class SponsorPromptOut(BaseModel):
    id: str
    name: str
    joined_on: date
    open_offers: int
    open_needs: int
    suggestion: str


class MeOut(MemberOut):
    """My own profile: what others see, plus my e-mail, settings and the members I sponsor who have not given."""

    email: str
    digest_opt_out: bool
    sponsor_prompts: list[SponsorPromptOut]
    association: str = Field("", description="the association this hub serves (as `hub init` named it)")


def member_out(found: profiles.Profile) -> MemberOut:
    m = found.member
    return MemberOut(
        id=m.public_id,
        name=m.name,
        chapter=found.chapter.name,
        chapter_slug=found.chapter.slug,
        role=m.role.value,
        headline=m.headline,
        location=m.location,
        moving_to=m.moving_to,
        moving_on=m.moving_on,
        sponsor=SponsorOut(name=found.sponsor.name, id=found.sponsor.public_id) if found.sponsor else None,
        items=[
            ItemOut(id=i.public_id, kind=i.kind, text=i.text, tags=list(i.tags), location=i.location)
            for i in found.items
        ],
    )


@router.get("/api/v1/me", tags=["me"], response_model=MeOut)
def api_me(request: Request, me: Me) -> MeOut:
    """My profile, settings and sponsor prompts."""
    hub = hub_of(request)
    prompts = [
        SponsorPromptOut(
            id=p.public_id,
            name=p.name,
            joined_on=p.joined_on,
            open_offers=p.open_offers,
            open_needs=p.open_needs,
            suggestion=p.suggestion,
        )
        for p in profiles.sponsor_prompts(hub, me)
    ]
    seen = member_out(profiles.my_profile(hub, me))
    return MeOut(**seen.model_dump(), email=me.email, digest_opt_out=me.digest_opt_out, sponsor_prompts=prompts,
                 association=members.association_name(hub))  # fmt: skip
