"""What a person sees after each tap on a phone: the message where the page lands, errors beside the form they
concern, event mode staying where the tap was, dates that cannot be meant refused, every error of a form at once."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from givefirst.domain.model import Direction, InteractionKind
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.events import EventInput, add_event
from tests.conftest import NOW
from tests.web.conftest import Seeded, csrf


def section(page: str, anchor: str) -> str:
    """The part of a page from the element with this id to the next card."""
    start = page.index(f'id="{anchor}"')
    end = page.find('class="card', start + 1)
    return page[start : end if end > 0 else len(page)]


def test_the_message_after_a_form_on_a_persons_page_is_where_the_page_lands(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    cases = (
        ("log", {"kind": "call", "summary": "caught up", "csrf_token": token}, "Logged. call: caught up"),
        ("items", {"which": "need", "item_text": "A CPA who knows payroll", "csrf_token": token}, "Recorded the need."),
        ("ledger", {"what": "gave", "description": "a lead on a CFO role", "csrf_token": token}, "Recorded what you"),
    )
    for anchor, form, said in cases:
        r = web.post(f"/people/{seeded.cy}/{anchor}", data=form, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/people/{seeded.cy}#{anchor}"
        page = web.get(r.headers["location"]).text
        assert said in section(page, anchor), anchor  # beside the form the page scrolls to
        assert said not in page[: page.index(f'id="{anchor}"')]  # not only at the top, out of sight


def test_a_forms_errors_come_back_where_the_form_is(web: TestClient, seeded: Seeded) -> None:
    page = web.get(f"/people/{seeded.cy}").text
    for anchor in ("log", "items", "ledger"):  # the re-rendered page lands on the form, its errors beside the fields
        assert re.search(rf'action="/people/{seeded.cy}/{anchor}#{anchor}"', page), anchor
    start = web.get("/start").text
    for action in ("/start/me#me", "/events/new#event", "/start/goal#goal", "/start/chapter#chapter"):
        assert f'action="{action}"' in start, action
    # A success leaves the form's fragment behind: the message at the top of the page is in sight.
    r = web.post("/start/goal", data={"goal_title": "Move to Florida", "goal_place": "Florida",
                                      "csrf_token": csrf(web)}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/start#main"


def test_dates_nobody_means_are_refused_with_the_reason(web: TestClient, app: App, seeded: Seeded) -> None:
    token = csrf(web)
    r = web.post(f"/people/{seeded.cy}/ledger", data={"what": "promised", "description": "send the deck",
                                                       "due_on": "1990-05-05", "csrf_token": token})  # fmt: skip
    assert r.status_code == 400 and "the due date 1990-05-05 is more than a year ago; check the year" in r.text
    assert 'value="send the deck"' in r.text
    assert "1990-05-05" not in web.get("/today").text  # nothing recorded
    for day in ("1800-01-01", "9999-12-31"):
        r = web.post("/events/new", data={"ev_title": "Chapter meeting", "ev_date": day, "csrf_token": token})
        assert r.status_code == 400 and f"The date {day} is more than" in r.text, day
    r = web.post("/events/new", data={"ev_title": "Chapter meeting", "ev_date": "2026-12-09", "csrf_token": token},
                 follow_redirects=False)  # fmt: skip
    assert r.status_code == 303


def test_event_mode_says_which_day_and_lands_where_the_tap_was(web: TestClient, app: App, seeded: Seeded) -> None:
    in_three_days = add_event(app, EventInput("Chapter meeting", NOW + timedelta(days=3), location="Tampa, FL",
                                              expected=[f"#{seeded.ana}", f"#{seeded.ben}"]))  # fmt: skip
    page = web.get(f"/events/{in_three_days}/live").text
    when = (NOW + timedelta(days=3)).strftime("%a %-d %b %H:%M")
    assert f">{when}</time>" in page
    token = csrf(web)
    r = web.post(f"/events/{in_three_days}/live/checkin",
                 data={"person_id": str(seeded.ana), "back": "expected", "csrf_token": token},
                 follow_redirects=False)  # fmt: skip
    assert r.headers["location"].endswith("#expected")
    landed = web.get(r.headers["location"]).text
    assert "Ana Ruiz: Checked in." in landed[landed.index('id="expected"') :]
    r = web.post(f"/events/{in_three_days}/live/give", data={"person_id": str(seeded.ben), "what": "a CFO lead",
                                                             "csrf_token": token}, follow_redirects=False)  # fmt: skip
    assert r.headers["location"].endswith("&at=help#help")
    landed = web.get(r.headers["location"]).text
    assert "Ben Ortiz: Give recorded." in section(landed, "help")
    tonight = add_event(app, EventInput("Mixer", NOW + timedelta(hours=3)))
    assert f">today {(NOW + timedelta(hours=3)):%H:%M}</time>" in web.get(f"/events/{tonight}/live").text


def test_accepting_what_was_heard_says_so(web: TestClient, app: App, seeded: Seeded) -> None:
    log_interaction(app, [f"#{seeded.cy}"], kind=InteractionKind.MESSAGE, direction=Direction.INBOUND,
                    summary="I'm looking for a bookkeeper who knows restaurant payroll.",
                    at=NOW - timedelta(days=3), source="linkedin")  # fmt: skip
    [c] = web.get("/heard.json").json()["candidates"]
    page = web.post(f"/heard/{c['id']}", data={"action": "accept", "csrf_token": csrf(web)}).text
    assert "Recorded as Cy Young&#39;s need." in page


def test_editing_a_person_shows_every_error_at_once_in_plain_words(web: TestClient, seeded: Seeded) -> None:
    r = web.post(f"/people/{seeded.cy}/edit", data={"name": "Cy Young", "email": "tomas@@x", "tier": "auto",
                                                     "cadence": "soon", "csrf_token": csrf(web)})  # fmt: skip
    assert r.status_code == 400
    assert "That does not look like an email address (name@example.com)." in r.text
    assert "A number of days" in r.text  # the cadence's error too, not one at a time
    assert "invalid email" not in r.text
