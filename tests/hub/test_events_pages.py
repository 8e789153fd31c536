"""Chapter events on the web: planning, RSVP, the check-in QR code at the door, conversations and follow-ups."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from givefirst.hub.domain import events as rules
from givefirst.hub.domain.access import Role
from givefirst.hub.services.context import Hub
from givefirst.hub.store.schema import conversations, events, rsvps
from tests.hub import factory


def _csrf(browser: object) -> str:
    return browser.csrf  # type: ignore[attr-defined,no-any-return]


def test_a_lead_plans_an_event_and_members_of_the_chapter_answer(hub: Hub) -> None:
    ny = factory.chapter(hub, "New York")
    lead = factory.member(hub, ny, "Lena Lead", Role.LEAD)
    ana = factory.member(hub, ny, "Ana")
    browser = factory.client(hub, lead)
    response = browser.post(
        "/events",
        data={
            "csrf_token": _csrf(browser),
            "title": "December meeting",
            "starts": "2026-12-10T18:30",
            "ends": "2026-12-10T20:30",
            "place": "Room 4",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    public_id = response.headers["location"].split("/")[2].split("?")[0]
    with hub.engine.connect() as conn:
        row = conn.execute(select(events).where(events.c.public_id == public_id)).one()
    assert row.title == "December meeting" and row.starts_at.hour == 18  # the chapter's zone is UTC here

    member = factory.client(hub, ana)
    page = member.get("/events")
    assert "December meeting" in page.text and "Plan an event" not in page.text
    answered = member.post(f"/events/{public_id}/rsvp", data={"csrf_token": _csrf(member), "answer": "going"})
    assert "Your answer is saved." in answered.text and 'aria-pressed="true"' in answered.text
    assert member.get("/api/v1/events").json()["upcoming"][0] == {
        "public_id": public_id,
        "title": "December meeting",
        "starts_at": "2026-12-10T18:30:00",
        "ends_at": "2026-12-10T20:30:00",
        "place": "Room 4",
        "description": "",
        "going": 1,
        "maybe": 0,
        "no": 0,
        "checked_in": 0,
        "my_answer": "going",
    }
    bad = member.post(f"/events/{public_id}/rsvp", data={"csrf_token": _csrf(member), "answer": "yes please"})
    assert bad.status_code == 400 and "going, maybe or no" in bad.text


def test_members_cannot_plan_and_other_chapters_cannot_see(hub: Hub) -> None:
    ny, fl = factory.chapter(hub, "New York"), factory.chapter(hub, "Florida", "Tampa, FL")
    ana = factory.member(hub, ny, "Ana")
    florida_lead = factory.member(hub, fl, "Flo", Role.LEAD)
    admin = factory.member(hub, fl, "Ada", Role.ADMIN)
    public_id = factory.event(hub, ny)
    member = factory.client(hub, ana)
    refused = member.post("/events", data={"csrf_token": _csrf(member), "title": "Mine", "starts": "2026-12-01 18:00"})
    assert refused.status_code == 403
    assert member.get(f"/events/{public_id}/door").status_code == 403
    assert member.get(f"/events/{public_id}/room").status_code == 403
    stranger = factory.client(hub, florida_lead)
    for path in (f"/events/{public_id}", f"/events/{public_id}/door", f"/events/{public_id}/sheet"):
        assert stranger.get(path).status_code == 404, path
    assert stranger.get(f"/api/v1/events/{public_id}").json() == {"error": "there is no such event"}
    assert stranger.get("/api/v1/events/nope").json() == {"error": "there is no such event"}  # the same answer
    assert factory.client(hub, admin).get(f"/events/{public_id}/door").status_code == 200
    assert factory.client(hub).get("/api/v1/events").status_code == 401


def test_check_in_at_the_door_by_qr_code_typed_code_and_by_hand(hub: Hub) -> None:
    ny = factory.chapter(hub)
    lead = factory.member(hub, ny, "Lena", Role.LEAD)
    ana, bo, cy = (factory.member(hub, ny, n) for n in ("Ana", "Bo", "Cy"))
    factory.update_member(hub, ana, public_id="an-a_public-id")  # token_urlsafe ids may hold dashes
    public_id = factory.event(hub, ny, days=0)
    factory.rsvp(hub, public_id, ana, "going")
    ana_page = factory.client(hub, ana).get(f"/events/{public_id}")
    assert "<svg" in ana_page.text and "Your check-in code" in ana_page.text
    shown = re.search(r"<code>(\w{5})-(\w{5})</code>", ana_page.text)
    assert shown is not None
    token = factory.client(hub, ana).get(f"/api/v1/events/{public_id}").json()["check_in_code"]
    assert token.endswith("." + shown.group(1) + shown.group(2))

    door = factory.client(hub, lead)
    csrf = _csrf(door)
    assert "Ana" in door.get(f"/events/{public_id}/door").text
    response = door.post(f"/events/{public_id}/door", data={"csrf_token": csrf, "code": token})
    assert "Checked in. Ana" in response.text
    again = door.post(f"/events/{public_id}/door", data={"csrf_token": csrf, "code": token})
    assert "Already checked in." in again.text
    bo_code = rules.check_in_code(hub.secret, public_id, _public_id(hub, bo))
    typed = door.post(f"/events/{public_id}/door", data={"csrf_token": csrf, "code": f"{bo_code[:5]}-{bo_code[5:]}"})
    assert "Checked in. Bo" in typed.text  # Bo never answered: the typed code alone found him
    wrong = door.post(
        f"/events/{public_id}/door", data={"csrf_token": csrf, "code": f"{_public_id(hub, bo)}.AAAAAAAAAA"}
    )
    assert wrong.status_code == 400 and "not a check-in code for this event" in wrong.text
    other_event = factory.event(hub, ny, "Another")
    stale = door.post(f"/events/{other_event}/door", data={"csrf_token": csrf, "code": token})
    assert stale.status_code == 400  # Ana's code is for the first event only
    ticked = door.post(f"/events/{public_id}/door/tick", data={"csrf_token": csrf, "member": _public_id(hub, cy)})
    assert "Checked in. Cy" in ticked.text
    with hub.engine.connect() as conn:
        checked = conn.execute(select(rsvps.c.member_id, rsvps.c.answer).where(rsvps.c.checked_in_at.is_not(None)))
        assert sorted(checked) == sorted([(ana, "going"), (bo, "going"), (cy, "going")])
    assert "3 in" in door.get(f"/events/{public_id}/door").text
    assert "You are checked in." in factory.client(hub, ana).get(f"/events/{public_id}").text


def _public_id(hub: Hub, member_id: int) -> str:
    from givefirst.hub.store.schema import members

    with hub.engine.connect() as conn:
        return str(conn.execute(select(members.c.public_id).where(members.c.id == member_id)).scalar_one())


def test_conversations_get_a_follow_up_48_hours_after_the_meeting_until_done(hub: Hub) -> None:
    ny = factory.chapter(hub)
    ana, bo = factory.member(hub, ny, "Ana"), factory.member(hub, ny, "Bo")
    public_id = factory.event(hub, ny, days=-1, hours=2)
    factory.rsvp(hub, public_id, ana, checked_in=True)
    factory.rsvp(hub, public_id, bo, checked_in=True)
    browser = factory.client(hub, ana)
    csrf = _csrf(browser)
    saved = browser.post(
        f"/events/{public_id}/talked", data={"csrf_token": csrf, "other": _public_id(hub, bo), "note": "send the deck"}
    )
    assert "a follow-up is on your events page" in saved.text
    again = browser.post(f"/events/{public_id}/talked", data={"csrf_token": csrf, "other": _public_id(hub, bo)})
    assert "recorded that conversation already" in again.text
    with hub.engine.connect() as conn:
        due = conn.execute(select(conversations.c.follow_up_due)).scalar_one()
    assert due == hub.now() - timedelta(days=1) + timedelta(hours=2 + 48)
    listing = browser.get("/events")
    assert "Follow-ups" in listing.text and "send the deck" in listing.text
    follow_ups = browser.get("/api/v1/events").json()["follow_ups"]
    assert [f["other_name"] for f in follow_ups] == ["Bo"]
    myself = browser.post(f"/events/{public_id}/talked", data={"csrf_token": csrf, "other": _public_id(hub, ana)})
    assert myself.status_code == 400
    done = browser.post(f"/events/{public_id}/follow-ups/{_public_id(hub, bo)}/done", data={"csrf_token": csrf})
    assert "Follow-up marked done." in done.text and "send the deck" not in done.text
    # Bo cannot mark Ana's follow-up, and a past meeting takes no RSVP
    bo_browser = factory.client(hub, bo)
    refused = bo_browser.post(
        f"/events/{public_id}/follow-ups/{_public_id(hub, ana)}/done", data={"csrf_token": _csrf(bo_browser)}
    )
    assert refused.status_code == 404
    late = bo_browser.post(f"/events/{public_id}/rsvp", data={"csrf_token": _csrf(bo_browser), "answer": "going"})
    assert late.status_code == 400 and "over" in late.text


def test_a_conversation_before_the_meeting_or_with_a_stranger_is_refused(hub: Hub) -> None:
    ny = factory.chapter(hub)
    ana, bo = factory.member(hub, ny, "Ana"), factory.member(hub, ny, "Bo")
    upcoming = factory.event(hub, ny, days=3)
    past = factory.event(hub, ny, days=-2)
    browser = factory.client(hub, ana)
    early = browser.post(
        f"/events/{upcoming}/talked", data={"csrf_token": _csrf(browser), "other": _public_id(hub, bo)}
    )
    assert early.status_code == 400 and "once the meeting has started" in early.text
    absent = browser.post(f"/events/{past}/talked", data={"csrf_token": _csrf(browser), "other": _public_id(hub, bo)})
    assert absent.status_code == 404  # Bo did not come
