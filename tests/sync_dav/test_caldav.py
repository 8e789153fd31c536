"""CalDAV sources against a real Radicale: meetings become interactions, events without attendees events."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from givefirst.services.context import App
from givefirst.services.sync import add_source, run_sync
from givefirst.store.schema import events, interaction_people, interactions, people
from tests.sync_dav.servers import PASSWORD, USER, Radicale


def vevent(uid: str, summary: str, start: str, *lines: str) -> str:
    body = "".join(f"{line}\r\n" for line in lines)
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//radicale//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:{start}\r\nDURATION:PT1H\r\nSUMMARY:{summary}\r\n"
            f"{body}END:VEVENT\r\nEND:VCALENDAR\r\n")  # fmt: skip


MEETING = ("ORGANIZER;CN=Jordan:mailto:me@example.com", "ATTENDEE;CN=Ann Lee;PARTSTAT=ACCEPTED:mailto:ann@acme.example")


@pytest.fixture
def calendar(app: App, radicale: Radicale, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DAV_TEST_PASSWORD", PASSWORD)
    url = radicale.collection("calendar")
    radicale.put(url + "lunch.ics", vevent("lunch-1", "Lunch with Ann", "20261120T170000Z", *MEETING), "text/calendar")
    radicale.put(url + "mixer.ics", vevent("mixer-1", "AOP chapter mixer", "20261210T230000Z",
                                           "LOCATION:Hotel Edison, New York"), "text/calendar")  # fmt: skip
    add_source(app, "work-cal", "caldav", {"url": url, "user": USER, "password_env": "DAV_TEST_PASSWORD",
                                           "me": ["me@example.com"]}, 0)  # fmt: skip
    return url


def sync(app: App) -> dict[str, int]:
    result = run_sync(app, "work-cal")
    assert result.error is None, result.error
    return result.report.totals()


def meetings(app: App) -> list[tuple[str, str]]:
    with app.begin() as conn:
        query = (
            select(interactions.c.summary, people.c.name)
            .join(interaction_people, interaction_people.c.interaction_id == interactions.c.id)
            .join(people, people.c.id == interaction_people.c.person_id)
            .order_by(interactions.c.summary)
        )
        return [(str(s), str(n)) for s, n in conn.execute(query)]


def event_titles(app: App) -> list[str]:
    with app.begin() as conn:
        return [str(t) for t in conn.execute(select(events.c.title).order_by(events.c.title)).scalars()]


def test_meetings_become_interactions_and_lone_events_become_events(
    app: App, radicale: Radicale, calendar: str
) -> None:
    first = sync(app)
    assert first["interactions added"] == 1 and first["events added"] == 1
    assert meetings(app) == [("Lunch with Ann", "Ann Lee")]
    assert event_titles(app) == ["AOP chapter mixer"]
    assert sync(app) == {}  # nothing changed on the server: nothing fetched

    radicale.put(calendar + "lunch.ics", vevent("lunch-1", "Lunch with Ann (moved)", "20261121T170000Z", *MEETING),
                 "text/calendar")  # fmt: skip
    coffee = vevent("coffee-1", "Coffee with Raj", "20261118T140000Z", "ORGANIZER:mailto:raj@example.org",
                    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com")  # fmt: skip
    radicale.put(calendar + "coffee.ics", coffee, "text/calendar")
    second = sync(app)
    assert second["interactions added"] == 2  # the moved lunch (replaced, not doubled) and the coffee
    assert meetings(app) == [("Coffee with Raj", "Raj"), ("Lunch with Ann (moved)", "Ann Lee")]


def test_objects_deleted_on_the_server_take_what_they_produced(app: App, radicale: Radicale, calendar: str) -> None:
    sync(app)
    radicale.delete(calendar + "mixer.ics")
    radicale.delete(calendar + "lunch.ics")
    assert sync(app)["removed"] == 2
    assert event_titles(app) == [] and meetings(app) == []
    with app.begin() as conn:  # Ann stays: she is a person now, whatever happened to the lunch
        assert conn.execute(select(func.count()).select_from(people).where(people.c.name == "Ann Lee")).scalar() == 1
