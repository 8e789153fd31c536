"""Your card as a QR code (a vCard of what you choose to share), and the phone's login link as a QR code.

`/phone` answers only a browser on this machine: it shows the link that carries the access token, so it must
never be served to the network it lets in.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from givefirst.web.context import render, request_app, web_state
from givefirst.web.lan import login_url
from givefirst.web.security import is_loopback

router = APIRouter()
NO_STORE = {"cache-control": "no-store"}


def _card(request: Request, share: list[str], chosen: bool) -> Any:
    from givefirst.services.card import my_card

    return my_card(request_app(request), set(share) if chosen else None)


ShareQuery = Query([], max_length=40, description="Fields to put on the card: organization, title, location, "
                   "email0, phone0, url0… (see `fields` in the answer); without `chosen`, the defaults")  # fmt: skip


@router.get("/card.json", tags=["card"], summary="Your card: the fields you can share and the vCard")
def card_json(request: Request, share: list[str] = ShareQuery, chosen: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = _card(request, share, chosen).as_dict()
    return data


@router.get("/card.vcf", include_in_schema=False)  # a file to download, not part of the JSON API
def card_vcf(request: Request, share: list[str] = ShareQuery, chosen: bool = False) -> Response:
    card = _card(request, share, chosen)
    return Response(card.vcard, media_type="text/vcard; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="card.vcf"'})  # fmt: skip


@router.get("/card.svg", include_in_schema=False)
def card_svg(request: Request, share: list[str] = ShareQuery, chosen: bool = False) -> Response:
    from givefirst.services.card import qr_svg

    card = _card(request, share, chosen)
    return Response(qr_svg(card.vcard, title=f"{card.name}'s card"), media_type="image/svg+xml")


@router.get("/card", include_in_schema=False)
def card_page(request: Request, share: list[str] = ShareQuery, chosen: bool = False) -> Response:
    card = _card(request, share, chosen)
    query = urlencode({"chosen": 1, "share": [f.key for f in card.fields if f.shared]}, doseq=True)
    return render(request, "live/card.html", {"card": card, "query": query})


# The phone's login link ----------------------------------------------------------------------------------------


def _phone_link(request: Request) -> str | None:
    if request.client is None or not is_loopback(request.client.host):
        raise HTTPException(404)  # as if it did not exist: only this machine may see the token
    port = request.url.port or 80
    return login_url(request.app.state.bind_host, port, web_state(request).guard.token)


@router.get("/phone", include_in_schema=False)
def phone_page(request: Request) -> Response:
    link = _phone_link(request)
    response = render(request, "live/phone.html", {"link": link})
    response.headers.update(NO_STORE)
    return response


@router.get("/phone/qr.svg", include_in_schema=False)
def phone_qr(request: Request) -> Response:
    from givefirst.services.card import qr_svg

    link = _phone_link(request)
    if link is None:
        raise HTTPException(404)
    return Response(qr_svg(link, title="Sign in to givefirst"), media_type="image/svg+xml", headers=NO_STORE)
