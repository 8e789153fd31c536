"""The lead's dashboard: /lead (charts and tables), /api/v1/lead (its JSON twin), /lead/export/<table>.csv.

Only the chapter's leads and the association's admins (who pick a chapter with ?chapter=slug); anyone else gets
403 (or 404 for a chapter that is not theirs to read).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from givefirst.hub.domain.model import Member
from givefirst.hub.services import lead
from givefirst.hub.web.context import hub_of, member_required, render
from givefirst.hub.web.pages_events import lead_only
from givefirst.web.charts import grouped_bars

router = APIRouter()
SERIES = (
    ("introductions", "asked", "introductions made"),
    ("connected", "received", "connected"),
    ("gives", "gave", "gives"),
)


@router.get("/lead", response_class=HTMLResponse, include_in_schema=False)
def lead_page(request: Request, chapter: str | None = None, me: Member = Depends(member_required)) -> HTMLResponse:
    board = lead_only(lead.dashboard, hub_of(request), me, chapter)
    chart = grouped_bars(board.months, SERIES)
    query = f"?chapter={board.chapter.slug}" if chapter else ""
    context = {"board": board, "months_chart": chart, "tables": lead.TABLES, "query": query, "section": "lead"}
    return render(request, "events_lead.html", context)


class DashboardOut(BaseModel):
    chapter: dict[str, str]
    months: list[dict[str, Any]]
    stale_needs: list[dict[str, Any]]
    quiet: list[dict[str, Any]]
    newcomers: list[dict[str, Any]]
    events: list[dict[str, Any]]
    moving: list[dict[str, Any]]


@router.get("/api/v1/lead", tags=["lead"])
def api_lead(request: Request, chapter: str | None = None, me: Member = Depends(member_required)) -> DashboardOut:
    """The lead's dashboard as data: gives and introductions per month, needs open over 30 days that nobody can
    meet, members going quiet, new members without a first give, event outcomes and moving members."""
    board = lead_only(lead.dashboard, hub_of(request), me, chapter)
    return DashboardOut(**board.as_json())


@router.get("/lead/export/{name}.csv", tags=["lead"])
def lead_export(
    name: str, request: Request, chapter: str | None = None, me: Member = Depends(member_required)
) -> Response:
    """One table of the dashboard as CSV: months, stale_needs, quiet, newcomers, events or moving."""
    text = lead_only(lead.export_csv, hub_of(request), me, name, chapter)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}.csv"'},
    )
