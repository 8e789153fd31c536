"""The board (open needs and offers across the association, as far as each member may see) and a member's own
needs and offers (`/me/items`), as pages and as JSON (`/api/v1/board`, `/api/v1/items`).

Adding or editing an item queues its matching; when no worker (`givefirst hub worker`) has polled lately, this
process runs the queued jobs itself right after sending the response, so a one-process hub still matches.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup, escape
from pydantic import BaseModel, Field

from givefirst.hub.domain.access import VISIBILITY_LABELS, Visibility
from givefirst.hub.domain.model import HubItem, Member
from givefirst.hub.services import introductions, items, jobs
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as member_store
from givefirst.hub.web.context import hub_of, member_required, render
from givefirst.hub.web.pagecache import Built, cache_of, cached_page

router = APIRouter()
Signed = Annotated[Member, Depends(member_required)]
MESSAGES = {"added": "Added. The hub is looking for who can help.", "saved": "Saved.", "closed": "Closed."}


def run_jobs_after_response(hub: Hub, background: BackgroundTasks) -> None:
    """Run the queued jobs after the response when no worker is polling (a one-process hub still matches)."""
    if not jobs.worker_alive(hub):
        background.add_task(jobs.run_pending, hub, f"web-{os.getpid()}", limit=5)


class ItemOut(BaseModel):
    id: str = Field(description="the item's public id")
    kind: str
    text: str
    tags: list[str]
    location: str | None
    visibility: str
    status: str
    created_at: datetime
    expires_on: date | None = None


class BoardItemOut(ItemOut):
    member: str = Field(description="the owner's name")
    member_id: str = Field(description="the owner's public id")
    chapter: str


class BoardOut(BaseModel):
    items: list[BoardItemOut]
    page: int
    next_page: int | None


class ItemIn(BaseModel):
    kind: str = Field(description="need or offer")
    text: str
    tags: list[str] = Field(default_factory=list)
    location: str | None = None
    visibility: Visibility = Visibility.CHAPTER


class ItemEdit(BaseModel):
    text: str
    tags: list[str] = Field(default_factory=list)
    location: str | None = None
    visibility: Visibility = Visibility.CHAPTER


def _out(item: HubItem) -> ItemOut:
    return ItemOut(id=item.public_id, kind=item.kind, text=item.text, tags=list(item.tags), location=item.location,
                   visibility=item.visibility.value, status=item.status, created_at=item.created_at,
                   expires_on=item.expires_on)  # fmt: skip


def _query(
    chapter: str | None, kind: str | None, tag: str | None, place: str | None, q: str | None, page: int, hub: Hub
) -> items.BoardQuery:
    chapter_id = None
    if chapter:
        with hub.engine.connect() as conn:
            found = {c.slug: c.id for c in member_store.all_chapters(conn)}
        if chapter not in found:
            from givefirst.errors import InvalidInputError

            raise InvalidInputError(f"there is no chapter {chapter!r}")
        chapter_id = found[chapter]
    return items.BoardQuery(chapter_id=chapter_id, kind=kind or None, tag=tag or None, place=place or None,
                            text=q or None, page=page)  # fmt: skip


BoardParams = Annotated[str | None, Query(max_length=200)]
CHAPTER_OPTIONS = ("part", "chapter-options")  # a page-cache key no member's page has (pages are keyed by member)


def chapter_options(request: Request, chosen: str) -> Markup:
    """The board's chapter filter as `<option>`s, `chosen` (a slug) selected.

    Every member may filter by every chapter, so the list is the same for all: built once per data version in
    each worker (kept in the page cache) rather than rendered into each member's page, where 200 chapters were a
    quarter of a built board's CPU. A write empties it with the pages; GIVEFIRST_HUB_PAGE_CACHE=off keeps nothing.
    """
    version: int | None = getattr(request.state, "data_version", None)
    cache = cache_of(request)
    stored = cache.get(version, CHAPTER_OPTIONS) if version is not None else None
    if stored is None:
        with hub_of(request).engine.connect() as conn:  # only when not kept: no pool check-out otherwise
            listed = member_store.all_chapters(conn)
        stored = "".join(f'<option value="{escape(c.slug)}">{escape(c.name)}</option>' for c in listed).encode()
        if version is not None:
            cache.put(version, CHAPTER_OPTIONS, stored)
    html = stored.decode()
    if chosen:
        plain = f'<option value="{escape(chosen)}">'
        html = html.replace(plain, plain[:-1] + " selected>", 1)
    return Markup(html)


@router.get("/board", response_class=HTMLResponse, include_in_schema=False)
async def board_page(
    request: Request, member: Signed, chapter: BoardParams = None, kind: BoardParams = None, tag: BoardParams = None,
    place: BoardParams = None, q: BoardParams = None, page: int = 1,
) -> HTMLResponse:  # fmt: skip
    params = {"chapter": chapter or "", "kind": kind or "", "tag": tag or "", "place": place or "", "q": q or ""}

    def build() -> Built:
        hub = hub_of(request)
        found = items.board(hub, member, _query(chapter, kind, tag, place, q, page, hub))
        options = chapter_options(request, params["chapter"])
        from urllib.parse import urlencode

        def link(n: int) -> str:
            return "/board?" + urlencode({**{k: v for k, v in params.items() if v}, "page": n})

        return "board_board.html", {
            "section": "board", "found": found, "chapter_options": options, "query": params, "member": member,
            "thanks": introductions.thanks_wall(hub, member, 5),
            "prev": link(found.page - 1) if found.page > 1 else "",
            "next": link(found.page + 1) if found.has_next else "", "filtered": any(params.values()),
        }  # fmt: skip

    return await cached_page(request, member, "board", (*params.values(), page), build)


@router.get("/api/v1/board", response_model=BoardOut, tags=["board"])
def board_json(
    request: Request, member: Signed, chapter: BoardParams = None, kind: BoardParams = None, tag: BoardParams = None,
    place: BoardParams = None, q: BoardParams = None, page: int = 1,
) -> BoardOut:  # fmt: skip
    """Open needs and offers you may see, newest first, 50 a page: filter by chapter (slug), kind, tag, place (a
    metro area finds its towns) and words (`q`, each word's beginning)."""
    hub = hub_of(request)
    found = items.board(hub, member, _query(chapter, kind, tag, place, q, page, hub))
    rows = [BoardItemOut(**_out(r.item).model_dump(), member=r.owner_name, member_id=r.owner_public_id,
                         chapter=r.chapter_name) for r in found.rows]  # fmt: skip
    return BoardOut(items=rows, page=found.page, next_page=found.page + 1 if found.has_next else None)


@router.get("/me/items", response_class=HTMLResponse, include_in_schema=False)
def my_items_page(request: Request, member: Signed, m: str = "") -> HTMLResponse:
    return render(request, "board_items.html", {
        "section": "me", "items": items.my_items(hub_of(request), member), "message": MESSAGES.get(m, ""),
        "visibilities": VISIBILITY_LABELS, "edit": None,
    })  # fmt: skip


@router.get("/board/new", include_in_schema=False)
def new_item_page() -> RedirectResponse:
    return RedirectResponse("/me/items#add", status_code=303)


@router.post("/me/items", include_in_schema=False)
def add_item_form(
    request: Request, member: Signed, background: BackgroundTasks, kind: Annotated[str, Form()],
    text: Annotated[str, Form()], tags: Annotated[str, Form()] = "", location: Annotated[str, Form()] = "",
    visibility: Annotated[str, Form()] = "chapter",
) -> RedirectResponse:  # fmt: skip
    hub = hub_of(request)
    items.add_item(hub, member, kind, text, tags=tags, location=location or None, visibility=visibility)
    run_jobs_after_response(hub, background)
    return RedirectResponse("/me/items?m=added", status_code=303)


@router.get("/me/items/{public_id}", response_class=HTMLResponse, include_in_schema=False)
def edit_item_page(request: Request, member: Signed, public_id: str) -> HTMLResponse:
    hub = hub_of(request)
    mine = items.my_items(hub, member)
    found = next((i for i in mine if i.public_id == public_id), None)
    if found is None:
        from givefirst.errors import NotFoundError

        raise NotFoundError(f"you have no need or offer {public_id!r}")
    return render(request, "board_items.html", {"section": "me", "items": mine, "message": "",
                                                 "visibilities": VISIBILITY_LABELS, "edit": found})  # fmt: skip


@router.post("/me/items/{public_id}", include_in_schema=False)
def edit_item_form(
    request: Request, member: Signed, background: BackgroundTasks, public_id: str, text: Annotated[str, Form()],
    tags: Annotated[str, Form()] = "", location: Annotated[str, Form()] = "",
    visibility: Annotated[str, Form()] = "chapter",
) -> RedirectResponse:  # fmt: skip
    hub = hub_of(request)
    items.edit_item(hub, member, public_id, text=text, tags=tags, location=location or None, visibility=visibility)
    run_jobs_after_response(hub, background)
    return RedirectResponse("/me/items?m=saved", status_code=303)


@router.post("/me/items/{public_id}/close", include_in_schema=False)
def close_item_form(request: Request, member: Signed, public_id: str) -> RedirectResponse:
    items.close_item(hub_of(request), member, public_id)
    return RedirectResponse("/me/items?m=closed", status_code=303)


@router.get("/api/v1/items", response_model=list[ItemOut], tags=["board"])
def my_items_json(request: Request, member: Signed) -> list[ItemOut]:
    """Your own needs and offers, open first."""
    return [_out(i) for i in items.my_items(hub_of(request), member)]


@router.post("/api/v1/items", response_model=ItemOut, status_code=201, tags=["board"])
def add_item_json(request: Request, member: Signed, background: BackgroundTasks, body: ItemIn) -> ItemOut:
    """Add a need or an offer in your own words; the hub matches it in the background."""
    hub = hub_of(request)
    found = items.add_item(hub, member, body.kind, body.text, tags=body.tags, location=body.location,
                           visibility=body.visibility)  # fmt: skip
    run_jobs_after_response(hub, background)
    return _out(found)


@router.get("/api/v1/items/{public_id}", response_model=ItemOut, tags=["board"])
def item_json(request: Request, member: Signed, public_id: str) -> ItemOut:
    """One need or offer you may see (404 otherwise, as for one that does not exist)."""
    return _out(items.get_item(hub_of(request), member, public_id))


@router.put("/api/v1/items/{public_id}", response_model=ItemOut, tags=["board"])
def edit_item_json(
    request: Request, member: Signed, background: BackgroundTasks, public_id: str, body: ItemEdit
) -> ItemOut:
    """Change one of your open needs or offers."""
    hub = hub_of(request)
    found = items.edit_item(hub, member, public_id, text=body.text, tags=body.tags, location=body.location,
                            visibility=body.visibility)  # fmt: skip
    run_jobs_after_response(hub, background)
    return _out(found)


@router.post("/api/v1/items/{public_id}/close", response_model=ItemOut, tags=["board"])
def close_item_json(request: Request, member: Signed, public_id: str) -> ItemOut:
    """Close one of your needs or offers: it leaves the board."""
    return _out(items.close_item(hub_of(request), member, public_id))
