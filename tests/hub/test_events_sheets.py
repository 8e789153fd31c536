"""Prep sheets: each attendee's page and the lead's room sheet, from the engine's pairs, within what each may see."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from givefirst.hub.domain.access import Role, Visibility
from givefirst.hub.services import sheets
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.store.schema import introductions
from tests.hub import factory


def _member(hub: Hub, member_id: int):  # type: ignore[no-untyped-def]
    with hub.engine.connect() as conn:
        return stored_members.member_by_id(conn, member_id)


def _room(hub: Hub):  # type: ignore[no-untyped-def]
    """A chapter meeting: Ana can help Bo (web design), Cy can help Ana (taxes), Dee (absent) could help Bo."""
    ny = factory.chapter(hub)
    old = hub.now() - timedelta(days=400)
    lead = factory.update_member(hub, factory.member(hub, ny, "Lena", Role.LEAD), joined_at=old)
    ana = factory.update_member(hub, factory.member(hub, ny, "Ana"), joined_at=old)
    bo = factory.update_member(hub, factory.member(hub, ny, "Bo"), joined_at=old)
    cy = factory.member(hub, ny, "Cy")  # joined today: a newcomer
    dee = factory.update_member(hub, factory.member(hub, ny, "Dee"), joined_at=old)
    event = factory.event(hub, ny, days=2)
    for who in (lead, ana, bo, cy):
        factory.rsvp(hub, event, who, "going" if who != cy else "maybe")
    factory.rsvp(hub, event, dee, "no")
    # Ana and Bo have come to an earlier meeting; Lena too
    earlier = factory.event(hub, ny, "October", days=-30)
    for who in (lead, ana, bo):
        factory.rsvp(hub, earlier, who, checked_in=True)
    ana_offer = factory.item(hub, ana, "offer", "I build websites")
    bo_need = factory.item(hub, bo, "need", "a new website for my bakery")
    ana_need = factory.item(hub, ana, "need", "help with my taxes")
    cy_offer = factory.item(hub, cy, "offer", "tax returns for freelancers")
    dee_offer = factory.item(hub, dee, "offer", "bakery marketing")
    bo_need2 = factory.item(hub, bo, "need", "a bakery marketing plan")
    cy_need = factory.item(hub, cy, "need", "a sailing partner")  # nobody in the chapter can help
    factory.match(hub, bo_need, ana_offer, 0.92)
    factory.match(hub, ana_need, cy_offer, 0.88)
    factory.match(hub, bo_need2, dee_offer, 0.9)  # Dee is not coming
    factory.match(hub, bo_need2, ana_offer, 0.2)  # too weak to show
    return locals()


def test_an_attendee_sees_whom_they_can_help_and_who_can_help_them(hub: Hub) -> None:
    r = _room(hub)
    sheet = sheets.attendee_sheet(hub, _member(hub, r["ana"]), r["event"])
    assert [(p.seeker_name, p.need.text) for p in sheet.i_can_help] == [("Bo", "a new website for my bakery")]
    assert [(p.helper_name, p.offer.text) for p in sheet.can_help_me] == [("Cy", "tax returns for freelancers")]
    assert sheet.attending and sheet.attendee_count == 4
    page = factory.client(hub, r["ana"]).get(f"/events/{r['event']}/sheet")
    assert "a new website for my bakery" in page.text and "hub-print.css" in page.text
    bo_sheet = sheets.attendee_sheet(hub, _member(hub, r["bo"]), r["event"])
    assert [p.helper_name for p in bo_sheet.can_help_me] == ["Ana"]  # Dee is not coming; the weak pair is left out
    assert bo_sheet.i_can_help == []
    api = factory.client(hub, r["bo"]).get(f"/api/v1/events/{r['event']}/sheet").json()
    assert api["can_help_me"][0]["member_name"] == "Ana" and api["i_can_help"] == []


def test_a_sheet_never_shows_an_item_its_reader_may_not_see(hub: Hub) -> None:
    r = _room(hub)
    secret = factory.item(hub, r["bo"], "need", "a confidential loan", Visibility.LEADS)
    factory.match(hub, secret, r["ana_offer"], 0.95)
    sheet = sheets.attendee_sheet(hub, _member(hub, r["ana"]), r["event"])
    assert "a confidential loan" not in [p.need.text for p in sheet.i_can_help]
    page = factory.client(hub, r["ana"]).get(f"/events/{r['event']}/sheet")
    assert "confidential" not in page.text
    # the lead may see it, but the room sheet does not pair Ana with what Ana may not see
    room = sheets.room_sheet(hub, _member(hub, r["lead"]), r["event"])
    assert "a confidential loan" not in [p.need.text for p in room.pairs]
    # someone in the room could answer it: it is not "unanswered", it is the lead's to broker in person
    assert "a confidential loan" not in [u.need.text for u in room.unanswered]


def test_the_room_sheet_pairs_newcomers_and_unanswered_needs(hub: Hub) -> None:
    r = _room(hub)
    room = sheets.room_sheet(hub, _member(hub, r["lead"]), r["event"])
    assert [(p.helper_name, p.seeker_name) for p in room.pairs] == [("Ana", "Bo"), ("Cy", "Ana")]
    assert [a.name for a in room.newcomers] == ["Cy"]
    unanswered = {u.need.text: u.nobody_in_chapter for u in room.unanswered}
    assert unanswered == {"a bakery marketing plan": False, "a sailing partner": True}
    page = factory.client(hub, r["lead"]).get(f"/events/{r['event']}/room")
    assert "Who should meet whom" in page.text and "nobody in the chapter either" in page.text


def test_the_lead_suggests_an_introduction_that_shows_on_both_sheets(hub: Hub) -> None:
    r = _room(hub)
    browser = factory.client(hub, r["lead"])
    room = sheets.room_sheet(hub, _member(hub, r["lead"]), r["event"])
    pair = room.pairs[0]
    form = {"csrf_token": browser.csrf, "need": pair.need.public_id, "offer": pair.offer.public_id}  # type: ignore[attr-defined]
    assert "Introduction suggested" in browser.post(f"/events/{r['event']}/room/suggest", data=form).text
    assert "suggested (or declined) before" in browser.post(f"/events/{r['event']}/room/suggest", data=form).text
    with hub.engine.connect() as conn:
        row = conn.execute(select(introductions)).one()
    assert (row.seeker_id, row.helper_id, row.proposer_id, row.kind) == (r["bo"], r["ana"], r["lead"], "lead")
    assert row.seeker_answer == row.helper_answer == "pending"  # both still answer: double opt-in
    ana_sheet = sheets.attendee_sheet(hub, _member(hub, r["ana"]), r["event"])
    assert [(s.other_name, s.i_help, s.answered) for s in ana_sheet.suggested] == [("Bo", True, False)]
    bogus = dict(form, need=r["bo_need2"] and "nope")
    assert browser.post(f"/events/{r['event']}/room/suggest", data=bogus).status_code == 404
    member = factory.client(hub, r["ana"])
    assert member.post(f"/events/{r['event']}/room/suggest", data=dict(form, csrf_token=member.csrf)).status_code == 403  # type: ignore[attr-defined]


def test_a_deleted_member_leaves_every_sheet(hub: Hub) -> None:
    r = _room(hub)
    factory.update_member(hub, r["bo"], deleted_at=hub.now(), name="deleted member")
    room = sheets.room_sheet(hub, _member(hub, r["lead"]), r["event"])
    assert "deleted member" not in [a.name for a in room.attendees]
    assert [(p.helper_name, p.seeker_name) for p in room.pairs] == [("Cy", "Ana")]
    assert sheets.attendee_sheet(hub, _member(hub, r["ana"]), r["event"]).i_can_help == []


def test_a_first_meeting_counts_only_since_the_hub_records_the_chapters_meetings(hub: Hub) -> None:
    ny = factory.chapter(hub)
    long_ago = hub.now() - timedelta(days=900)
    lead = factory.update_member(hub, factory.member(hub, ny, "Lena", Role.LEAD), joined_at=long_ago)
    veteran = factory.update_member(hub, factory.member(hub, ny, "Vic"), joined_at=long_ago)
    later = factory.update_member(hub, factory.member(hub, ny, "Lu"), joined_at=hub.now() - timedelta(days=200))
    first = factory.event(hub, ny, "The first meeting on the hub", days=-300)
    factory.rsvp(hub, first, lead, checked_in=True)
    event = factory.event(hub, ny, days=3)
    for who in (veteran, later):
        factory.rsvp(hub, event, who, "going")
    room = sheets.room_sheet(hub, _member(hub, lead), event)
    # Lu joined after the hub began recording and has never been checked in; Vic may have come for years before
    assert [a.name for a in room.newcomers] == ["Lu"]
    opening = sheets.room_sheet(hub, _member(hub, lead), first)  # nothing recorded before it: joined dates only
    assert opening.newcomers == []
