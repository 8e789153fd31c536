"""The web app as an installable app (PWA): the manifest and the service worker, served from the root.

The service worker must be served from `/` to look after every page (a worker's scope is its own folder), and
both files are public: the browser fetches the manifest without cookies, and neither holds anything private.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

router = APIRouter()
STATIC = Path(__file__).parent / "static"


@router.get("/sw.js", include_in_schema=False)
def service_worker() -> Response:
    # no-cache: a new version of the worker is picked up on the next visit, not a day later.
    return Response((STATIC / "sw.js").read_bytes(), media_type="text/javascript",
                    headers={"cache-control": "no-cache"})  # fmt: skip


@router.get("/manifest.webmanifest", include_in_schema=False)
def manifest() -> Response:
    return Response((STATIC / "manifest.webmanifest").read_bytes(), media_type="application/manifest+json")
