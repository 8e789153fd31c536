"""Passkeys on the web: /me's "Add a passkey" and the login page's "Sign in with a passkey".

The browser side is /static/hub-passkeys.js (the CSP allows only the app's own scripts): it asks for options,
calls navigator.credentials.create/get, and posts the answer back as JSON. Those four endpoints answer JSON,
errors as `{"error": "..."}`; removing a passkey is an ordinary form. Changes made with a session carry the
CSRF token in `X-CSRF-Token` (the web guard checks it); signing in has no session yet, so it is refused when
the browser says the request came from another site, as the password form is.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from givefirst.errors import InvalidInputError
from givefirst.hub.domain.model import Member
from givefirst.hub.services import passkeys
from givefirst.hub.services.members import SignInRefused
from givefirst.hub.web.context import hub_of, member_required
from givefirst.hub.web.pages_members import client_address, safe_next, same_origin, set_session_cookie

router = APIRouter()
Me = Annotated[Member, Depends(member_required)]
BODY_LIMIT = 64 * 1024  # a passkey's answer is a few kilobytes; anything far larger is not one


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _body(request: Request) -> dict[str, Any] | None:
    """The request's JSON object, or None when it is not one (or too large to be a passkey's answer).

    Only a JSON request is read: the guard has already read a form's body, looking for its CSRF field.
    """
    if not request.headers.get("content-type", "").startswith("application/json"):
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > BODY_LIMIT:
            return None
        chunks.append(chunk)
    try:
        found = json.loads(b"".join(chunks) or b"null")
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def _site(request: Request) -> passkeys.Site:
    return passkeys.site(hub_of(request), str(request.base_url))


# --- my passkeys ---------------------------------------------------------------------------------------------


@router.post("/me/passkeys/options", include_in_schema=False)
async def register_options(request: Request, me: Me) -> Response:
    hub = hub_of(request)
    try:
        options = await run_in_threadpool(passkeys.registration_options, hub, me, _site(request))
    except InvalidInputError as exc:
        return _error(str(exc))
    return JSONResponse(options)


@router.post("/me/passkeys", include_in_schema=False)
async def register(request: Request, me: Me) -> Response:
    body = await _body(request)
    if body is None:
        return _error("send the passkey's answer as a JSON object")
    name, credential = body.get("name"), body.get("credential")
    if not isinstance(name, str) or not isinstance(credential, dict):
        return _error("send the passkey's name and the device's answer")
    try:
        added = await run_in_threadpool(passkeys.register, hub_of(request), me, _site(request), name, credential)
    except InvalidInputError as exc:
        return _error(str(exc))
    return JSONResponse({"name": added.name, "next": "/me?passkey=1#passkeys"})


@router.post("/me/passkeys/remove", include_in_schema=False)
def remove(request: Request, me: Me, passkey_id: Annotated[int, Form()]) -> Response:
    passkeys.remove(hub_of(request), me, passkey_id)  # another member's id: NotFoundError, a 404 page
    return RedirectResponse("/me#passkeys", status_code=303)


# --- signing in ----------------------------------------------------------------------------------------------


@router.post("/login/passkey/options", include_in_schema=False)
async def login_options(request: Request) -> Response:
    if not same_origin(request):
        return _error("sign in from this hub's own page", 403)
    try:
        options = await run_in_threadpool(
            passkeys.authentication_options, hub_of(request), _site(request), client_address(request)
        )
    except SignInRefused as exc:
        return _error(str(exc), 429 if exc.retry_minutes is not None else 400)
    except InvalidInputError as exc:
        return _error(str(exc))
    return JSONResponse(options)


@router.post("/login/passkey", include_in_schema=False)
async def login(request: Request) -> Response:
    if not same_origin(request):
        return _error("sign in from this hub's own page", 403)
    body = await _body(request)
    if body is None or not isinstance(body.get("credential"), dict):
        return _error("send the passkey's answer as a JSON object")
    next_ = body.get("next")
    target = safe_next(next_ if isinstance(next_, str) else "/")
    try:
        member = await run_in_threadpool(
            passkeys.authenticate, hub_of(request), _site(request), body["credential"], client_address(request)
        )
    except SignInRefused as exc:
        return _error(str(exc), 429 if exc.retry_minutes is not None else 401)
    except InvalidInputError as exc:
        return _error(str(exc))
    response = JSONResponse({"next": target})
    await run_in_threadpool(set_session_cookie, request, response, member.id)
    return response
