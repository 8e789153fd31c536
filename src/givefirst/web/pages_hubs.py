"""The Hubs page: the chapter hubs joined (`givefirst hub status`), a "Sync now" button, and the "Publish to"
choices the need/offer form of the user's own page offers. Thin: services/hub_membership, hub_sync, hub_publish.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from givefirst.web.context import flash, render, request_app, web_state

router = APIRouter()


@router.get("/hubs.json", tags=["hubs"], summary="The chapter hubs joined: sync state, published items, reports")
def hubs_json(request: Request) -> list[dict[str, Any]]:
    from givefirst.services import hub_membership

    return hub_membership.status(request_app(request))


@router.get("/hubs", include_in_schema=False)
def hubs_page(request: Request) -> Response:
    from givefirst.services import hub_membership

    return render(request, "hubs.html", {"hubs": hub_membership.status(request_app(request)), "section": "hubs"})


@router.post("/hubs/sync", include_in_schema=False)
async def sync_now(request: Request) -> Response:
    from givefirst.services import hub_sync

    results = await run_in_threadpool(hub_sync.sync, request_app(request))
    web_state(request).cache.changed()
    for r in results:
        flash(request, f"{r.name}: synced ({len(r.lines)} change(s))" if r.ok else f"{r.name}: skipped, {r.error}")
    if not results:
        flash(request, "No hub joined yet.")
    return RedirectResponse("/hubs", status_code=303)
