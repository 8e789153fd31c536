"""Calendar imports through the real service: the user's own address is needed, what a calendar says in warnings
reaches the report, and a failed import leaves the database as it was."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from givefirst.services.context import App
from givefirst.services.importer import ImportOptions, import_paths
from givefirst.services.me import add_my_address
from givefirst.services.network import list_people
from givefirst.store.schema import metadata

NEEDS_ME = "importing a calendar needs your own address: pass --me you@example.com (or: givefirst me add ADDRESS)"

CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//givefirst tests//EN
BEGIN:VEVENT
UID:one-to-one
DTSTART:20261102T150000Z
SUMMARY:1:1 Jane / Chris
ORGANIZER;CN=Chris Aldana:mailto:chris@example.com
ATTENDEE;CN=Chris Aldana;PARTSTAT=ACCEPTED:mailto:chris@example.com
ATTENDEE;CN=Jane Roe;PARTSTAT=ACCEPTED:mailto:jane.roe@example.com
ATTENDEE;CN=Dan Decliner;PARTSTAT=DECLINED:mailto:dan@example.com
END:VEVENT
BEGIN:VEVENT
UID:apple-lunch
DTSTART;TZID=Customized Time Zone:20261118T103000
SUMMARY:Lunch
ORGANIZER;CN=Chris Aldana;EMAIL=chris@example.com:urn:uuid:0000-1111
ATTENDEE;CN=Ravi Shankar;EMAIL=ravi@example.in;PARTSTAT=ACCEPTED:urn:uuid:2222-3333
ATTENDEE;CN=Bad@Addr:mailto:not an email
END:VEVENT
END:VCALENDAR
"""


def _write(tmp_path: Path, text: str = CALENDAR, name: str = "work.ics") -> str:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode())
    return str(path)


def _rows(app: App) -> dict[str, int]:
    with app.begin() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in metadata.sorted_tables}


def test_a_calendar_is_refused_while_none_of_the_user_s_addresses_is_known(app: App, tmp_path: Path) -> None:
    path = _write(tmp_path)
    before = _rows(app)
    for options in (ImportOptions(), ImportOptions(dry_run=True)):
        report = import_paths(app, "ics", [path], options)
        assert [unit.error for unit in report.failed] == [f"{path}: {NEEDS_ME}"]
    assert _rows(app) == before  # nobody added, not even the user


def test_me_given_with_the_import_lets_it_in_and_the_user_is_no_contact(app: App, tmp_path: Path) -> None:
    report = import_paths(app, "ics", [_write(tmp_path)], ImportOptions(me=frozenset({"chris@example.com"})))
    assert not report.failed
    assert report.totals()["interactions added"] == 2
    assert sorted(person.name for person in list_people(app)) == ["Jane Roe", "Ravi Shankar"]  # no Dan, no Chris


def test_an_address_on_the_user_s_record_is_enough(app: App, tmp_path: Path) -> None:
    add_my_address(app, "chris@example.com")
    report = import_paths(app, "ics", [_write(tmp_path)])
    assert not report.failed
    assert sorted(person.name for person in list_people(app)) == ["Jane Roe", "Ravi Shankar"]


def test_a_guessed_zone_and_an_invalid_attendee_are_warnings_naming_the_file_and_event(app: App, tmp_path: Path
                                                                                      ) -> None:  # fmt: skip
    path = _write(tmp_path)
    report = import_paths(app, "ics", [path], ImportOptions(me=frozenset({"chris@example.com"})))
    [unit] = report.units
    assert unit.counts.get("skipped", 0) == 0 and unit.counts["warnings"] == 2
    warnings = {reason for origin, reason, imported in unit.notes if imported and origin == f"{path}#apple-lunch"}
    assert warnings == {
        f"{path}, event 'Lunch': its time zone 'Customized Time Zone' is unknown (no VTIMEZONE in the file "
        "describes it): its times were read as UTC and may be hours off",
        f"{path}, event 'Lunch': an attendee 'Bad@Addr' with an invalid address 'mailto:not an email' left out",
    }


def test_an_unreadable_calendar_changes_nothing_and_says_which_line(app: App, tmp_path: Path) -> None:
    add_my_address(app, "chris@example.com")
    good = _write(tmp_path)
    broken = _write(tmp_path, CALENDAR.replace("END:VCALENDAR", "X\nEND:VCALENDAR"), "broken.ics")
    before = _rows(app)
    report = import_paths(app, "ics", [broken])
    assert [unit.error for unit in report.failed] == [
        f"{broken}: not a readable iCalendar file: a line could not be read: line 21 (it is not NAME:VALUE): 'X'"
    ]
    assert _rows(app) == before
    assert not import_paths(app, "ics", [good]).failed  # the good one still imports
