"""CalDAV sources against a real Radicale: meetings become interactions, events without attendees events; what
the calendar warns about is a warning (the meeting imported), as `givefirst import ics` says it; and no calendar is
read while none of the user's addresses is known."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from givefirst.ingest.ics import DECLINED
from givefirst.services.context import App
from givefirst.services.importer import ImportOptions, import_paths
from givefirst.services.me import add_my_address
from givefirst.services.sync import add_source, run_sync
from givefirst.store.schema import events, interaction_people, interactions, metadata, people
from tests.conftest import Cli
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


def calendar_object(*events_lines: tuple[str, ...]) -> str:
    """A calendar object of VEVENTs given as their lines (a series and its changed occurrences share one)."""
    body = "".join(
        "BEGIN:VEVENT\r\nDTSTAMP:20261101T000000Z\r\n" + "".join(f"{line}\r\n" for line in lines) + "END:VEVENT\r\n"
        for lines in events_lines
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//macOS 14.0//EN\r\n{body}END:VCALENDAR\r\n"


ME = "me@example.com"
WEEKLY = ("UID:weekly-amy", "SUMMARY:Weekly with Amy", "DURATION:PT30M", f"ORGANIZER:mailto:{ME}")
# What a real calendar holds that the ics import warns about, and one event it skips.
WARNED = {
    "lunch.ics": calendar_object((  # Apple: the zone of a custom time, addresses in EMAIL=, a mistyped attendee
        "UID:apple-lunch", "SUMMARY:Lunch", "DTSTART;TZID=Customized Time Zone:20261118T103000", "DURATION:PT1H",
        f"ORGANIZER;CN=Jordan;EMAIL={ME}:urn:uuid:0000-1111",
        "ATTENDEE;CN=Ravi Shankar;EMAIL=ravi@example.in;PARTSTAT=ACCEPTED:urn:uuid:2222-3333",
        "ATTENDEE;CN=Bad@Addr:mailto:not an email",
    )),
    "east.ics": calendar_object((  # Outlook: a zone by its display name, with no place to put it
        "UID:east-call", "SUMMARY:East coast call", "DURATION:PT1H",
        'DTSTART;TZID="(UTC-05:00) Eastern Time (US & Canada)":20261110T090000',
        "ORGANIZER;CN=Pat Doe:mailto:pat@example.org", f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{ME}",
    )),
    "planning.ics": calendar_object((  # Dan declined: not met, and nothing to say about it
        "UID:planning", "SUMMARY:Planning", "DTSTART:20261102T150000Z", "DURATION:PT1H", f"ORGANIZER:mailto:{ME}",
        "ATTENDEE;CN=Jane Roe;PARTSTAT=ACCEPTED:mailto:jane.roe@example.com",
        "ATTENDEE;CN=Dan Decliner;PARTSTAT=DECLINED:mailto:dan@example.com",
    )),
    "weekly.ics": calendar_object(  # Amy declined one week of three: the series imported, that week said
        (*WEEKLY, "DTSTART:20261102T090000Z", "RRULE:FREQ=WEEKLY;COUNT=3",
         "ATTENDEE;CN=Amy Accepter;PARTSTAT=ACCEPTED:mailto:amy@example.com"),
        (*WEEKLY, "RECURRENCE-ID:20261109T090000Z", "DTSTART:20261109T090000Z",
         "ATTENDEE;CN=Amy Accepter;PARTSTAT=DECLINED:mailto:amy@example.com"),
    ),
    "dinner.ics": calendar_object((  # declined by the user: not a meeting they had, skipped
        "UID:board-dinner", "SUMMARY:Board dinner", "DTSTART:20261105T190000Z", "DURATION:PT2H",
        "ORGANIZER;CN=Boss:mailto:boss@example.com", f"ATTENDEE;PARTSTAT=DECLINED:mailto:{ME}",
    )),
}  # fmt: skip
COUNTED = ("interactions added", "warnings", "skipped")


def test_what_a_calendar_warns_about_is_a_warning_and_the_meeting_is_imported(
    app: App, other_app: App, radicale: Radicale, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DAV_TEST_PASSWORD", PASSWORD)
    url = radicale.collection("calendar")
    for name, text in WARNED.items():
        radicale.put(url + name, text, "text/calendar")
    add_source(app, "work-cal", "caldav", {"url": url, "user": USER, "password_env": "DAV_TEST_PASSWORD",
                                           "me": [ME]}, 0)  # fmt: skip
    result = run_sync(app, "work-cal")
    assert result.error is None, result.error
    totals = result.report.totals()
    assert {key: totals.get(key, 0) for key in COUNTED} == {"interactions added": 5, "warnings": 4, "skipped": 1}
    assert meetings(app) == [
        ("East coast call", "Pat Doe"), ("Lunch", "Ravi Shankar"), ("Planning", "Jane Roe"),
        ("Weekly with Amy", "Amy Accepter"), ("Weekly with Amy", "Amy Accepter"),
    ]  # fmt: skip  # no Dan, no "Bad@Addr"
    said = sorted(note for unit in result.report.units for note in unit.notes)
    assert [(origin, kept) for origin, _, kept in said] == [
        ("dinner.ics#board-dinner", False), ("east.ics#east-call", True), ("lunch.ics#apple-lunch", True),
        ("lunch.ics#apple-lunch", True), ("weekly.ics#weekly-amy", True),
    ]  # fmt: skip
    assert said[0][1] == DECLINED
    assert "lunch.ics, event 'Lunch': its time zone 'Customized Time Zone' is unknown" in said[2][1] + said[3][1]

    # `givefirst import ics` of the same calendar, exported as files, counts and says the same
    folder = tmp_path / "export"
    folder.mkdir()
    for name in WARNED:
        (folder / name).write_text(radicale.get(url + name), encoding="utf-8")
    imported = import_paths(other_app, "ics", [str(folder)], ImportOptions(me=frozenset({ME})))
    assert {key: imported.totals().get(key, 0) for key in COUNTED} == {key: totals.get(key, 0) for key in COUNTED}
    assert sorted(
        (origin.removeprefix(f"{folder}/"), reason.replace(f"{folder}/", ""), kept)
        for unit in imported.units for origin, reason, kept in unit.notes
    ) == said  # fmt: skip


NEEDS_ME = (
    "syncing a calendar needs your own address: givefirst me add ADDRESS (or: --me you@example.com when adding the"
    " source)"
)


def _rows(app: App) -> dict[str, int]:
    with app.begin() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in metadata.sorted_tables}


def test_a_calendar_is_not_synced_while_none_of_the_user_s_addresses_is_known(
    app: App, own_radicale: Radicale, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAV_TEST_PASSWORD", PASSWORD)
    url = own_radicale.collection("calendar")
    own_radicale.put(url + "lunch.ics", vevent("lunch-1", "Lunch with Ann", "20261120T170000Z", *MEETING),
                     "text/calendar")  # fmt: skip
    add_source(app, "work-cal", "caldav", {"url": url, "user": USER, "password_env": "DAV_TEST_PASSWORD"}, 0)
    before = _rows(app)
    own_radicale.stop()  # refused before the server is asked anything: not "cannot be reached"
    assert run_sync(app, "work-cal").error == NEEDS_ME
    own_radicale.start()
    assert run_sync(app, "work-cal").error == NEEDS_ME
    assert _rows(app) == before  # no sync token, no person: the next sync reads the calendar from its start
    add_my_address(app, ME)  # on the user's record: enough, as for `givefirst import ics`
    assert sync(app)["interactions added"] == 1
    assert meetings(app) == [("Lunch with Ann", "Ann Lee")]


def test_the_refusal_from_the_command_line(cli: Cli, radicale: Radicale, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAV_PASSWORD", PASSWORD)
    url = radicale.collection("calendar")
    radicale.put(url + "lunch.ics", vevent("lunch-1", "Lunch with Ann", "20261120T170000Z", *MEETING), "text/calendar")
    assert (
        cli("source", "add", "cal", "caldav", "--url", url, "--user", USER, "--password-env", "DAV_PASSWORD").code == 0
    )
    failed = cli("sync", "cal")
    assert failed.code == 1 and "Traceback" not in failed.out + failed.err
    assert f"failed: {NEEDS_ME}" in failed.out
    assert cli("me", "add", ME).code == 0
    done = cli("sync", "cal", "--json")
    assert done.code == 0 and json.loads(done.out)[0]["totals"]["interactions added"] == 1


def test_a_repeating_event_of_the_user_alone_becomes_events_and_is_no_skip(
    app: App, radicale: Radicale, calendar: str
) -> None:
    gym = calendar_object(("UID:gym", "SUMMARY:Gym", "DTSTART:20261201T070000Z", "DURATION:PT1H",
                           "RRULE:FREQ=WEEKLY;COUNT=3"))  # fmt: skip
    radicale.put(calendar + "gym.ics", gym, "text/calendar")
    result = run_sync(app, "work-cal")
    assert result.error is None, result.error
    totals = result.report.totals()
    assert totals["events added"] == 4 and totals.get("skipped", 0) == 0  # the mixer and three weeks of gym
    assert [note for unit in result.report.units for note in unit.notes] == []
