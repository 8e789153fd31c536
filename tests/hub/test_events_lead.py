"""The lead's dashboard: figures per month, needs nobody can meet, quiet members, newcomers, meetings; CSV; access."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from givefirst.hub.domain.access import Role, Visibility
from givefirst.hub.services.context import Hub
from tests.hub import factory


def _chapter(hub: Hub) -> dict[str, int | str]:
    now = hub.now()
    ny = factory.chapter(hub, "New York")
    old = now - timedelta(days=300)
    lead = factory.update_member(hub, factory.member(hub, ny, "Lena", Role.LEAD), last_seen_at=now, joined_at=old)
    quiet = factory.update_member(
        hub, factory.member(hub, ny, "Quinn"), joined_at=old, last_seen_at=now - timedelta(days=90)
    )
    giver = factory.update_member(
        hub, factory.member(hub, ny, "Gil"), joined_at=old, last_seen_at=now - timedelta(days=90)
    )
    newbie = factory.update_member(
        hub, factory.member(hub, ny, "Nell"), joined_at=now - timedelta(days=10), sponsor_id=giver
    )
    # Gil gave last month and two weeks ago (he is not quiet: a give counts as a sign of life)
    factory.introduction(
        hub, quiet, giver, outcome="helped", outcome_at=now - timedelta(days=35), connected_at=now - timedelta(days=40)
    )
    factory.introduction(
        hub, newbie, giver, outcome="hired", outcome_at=now - timedelta(days=14), connected_at=now - timedelta(days=15)
    )
    past = factory.event(hub, ny, "October meeting", days=-20)
    factory.introduction(hub, newbie, quiet, event_id=_event_id(hub, past))
    factory.rsvp(hub, past, newbie, checked_in=True)
    factory.rsvp(hub, past, quiet, checked_in=True)
    stale = factory.aged_item(hub, quiet, "need", "a translator for Finnish", 45)
    met = factory.aged_item(hub, newbie, "need", "a logo", 45)
    fresh = factory.aged_item(hub, newbie, "need", "a lawyer", 5)
    offer = factory.item(hub, giver, "offer", "logo design")
    factory.match(hub, met, offer, 0.9)
    factory.match(hub, stale, offer, 0.1)
    secret = factory.aged_item(hub, quiet, "need", "a discreet debt adviser", 60, visibility=Visibility.LEADS)
    del fresh, secret
    return {"ny": ny, "lead": lead, "quiet": quiet, "giver": giver, "newbie": newbie, "past": past}


def _event_id(hub: Hub, public_id: str) -> int:
    from sqlalchemy import select

    from givefirst.hub.store.schema import events

    with hub.engine.connect() as conn:
        return int(conn.execute(select(events.c.id).where(events.c.public_id == public_id)).scalar_one())


def test_the_dashboard_figures(hub: Hub) -> None:
    c = _chapter(hub)
    data = factory.client(hub, int(c["lead"])).get("/api/v1/lead").json()
    months = {m["month"]: m for m in data["months"]}
    assert len(data["months"]) == 12 and data["months"][-1]["month"] == "2026-11"
    assert months["2026-10"] == {"month": "2026-10", "introductions": 0, "connected": 1, "gives": 1}
    assert months["2026-11"] == {"month": "2026-11", "introductions": 3, "connected": 1, "gives": 1}
    assert [n["need"] for n in data["stale_needs"]] == ["a discreet debt adviser", "a translator for Finnish"]
    assert data["stale_needs"][1]["best_score"] == 0.1 and data["stale_needs"][1]["days_open"] == 45
    assert [q["member"] for q in data["quiet"]] == ["Quinn"]
    assert data["newcomers"] == [
        {
            "member": "Nell",
            "member_public_id": data["newcomers"][0]["member_public_id"],
            "joined": "2026-11-15T12:00",
            "sponsor": "Gil",
        }
    ]
    assert data["events"][0]["event"] == "October meeting" and data["events"][0]["introductions"] == 1


def test_the_page_draws_the_chart_and_exports_csv(hub: Hub) -> None:
    c = _chapter(hub)
    browser = factory.client(hub, int(c["lead"]))
    page = browser.get("/lead")
    assert page.status_code == 200 and "<svg" in page.text and "a translator for Finnish" in page.text
    assert 'class="gave"' in page.text  # the personal app's chart, its colours
    export = browser.get("/lead/export/stale_needs.csv")
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [r["need"] for r in rows] == ["a discreet debt adviser", "a translator for Finnish"]
    empty = browser.get("/lead/export/moving.csv").text
    assert empty.strip() == "member,member_public_id,direction,from,to,moving_to,status"
    assert browser.get("/lead/export/members.csv").status_code == 404


def test_a_formula_in_a_need_is_not_run_by_a_spreadsheet(hub: Hub) -> None:
    c = _chapter(hub)
    factory.aged_item(hub, int(c["quiet"]), "need", '=HYPERLINK("http://evil")', 40)
    text = factory.client(hub, int(c["lead"])).get("/lead/export/stale_needs.csv").text
    assert "'=HYPERLINK" in text


def test_only_the_chapters_leads_and_admins(hub: Hub) -> None:
    c = _chapter(hub)
    fl = factory.chapter(hub, "Florida", "Tampa, FL")
    florida_lead = factory.member(hub, fl, "Flo", Role.LEAD)
    admin = factory.member(hub, fl, "Ada", Role.ADMIN)
    member = factory.client(hub, int(c["newbie"]))
    assert member.get("/lead").status_code == 403
    assert member.get("/api/v1/lead").status_code == 403
    assert member.get("/lead/export/quiet.csv").status_code == 403
    stranger = factory.client(hub, florida_lead)
    ny_slug = stranger.get("/api/v1/lead").json()["chapter"]  # Flo's own dashboard is Florida's
    assert ny_slug["name"] == "Florida"
    from sqlalchemy import select

    from givefirst.hub.store.schema import chapters

    with hub.engine.connect() as conn:
        slug = conn.execute(select(chapters.c.slug).where(chapters.c.id == c["ny"])).scalar_one()
    assert stranger.get(f"/api/v1/lead?chapter={slug}").status_code == 404
    assert stranger.get(f"/lead/export/quiet.csv?chapter={slug}").status_code == 404
    admin_view = factory.client(hub, admin).get(f"/api/v1/lead?chapter={slug}").json()
    assert admin_view["chapter"]["name"] == "New York" and [q["member"] for q in admin_view["quiet"]] == ["Quinn"]
    assert factory.client(hub).get("/api/v1/lead").status_code == 401
