"""The iCalendar parser on what real exports do that the plain cases do not: Apple's EMAIL parameter, attendees who
declined, time zones the library does not know, invalid addresses, and files it cannot read at all.

The golden files for these are in data/ics (apple-email-parameter, declined-attendees, outlook-zone-names,
invalid-attendees) and run with the others in test_ics.py; here are the rules one at a time.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from givefirst.ingest import ics
from givefirst.ingest.ics import DECLINED, DECLINED_BY_ALL, parse_ics
from givefirst.ingest.ics_events import EventRecord, parse_ics_events
from givefirst.ingest.records import (
    GatheringRecord,
    InteractionRecord,
    ParseIssue,
    Participant,
    Record,
    UnreadableFileError,
)
from tests.conftest import SHARED

ME = frozenset({"pat@example.org"})
WINDOW = {"window_start": datetime(2024, 1, 1), "window_end": datetime(2026, 1, 1)}
REAL = SHARED / "realdata" / "ics"


def _calendar(*events: str, head: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{head}{body}END:VCALENDAR\r\n".encode()


def _parse(data: bytes, me: frozenset[str] = ME, **options: object) -> list[Record]:
    return list(parse_ics(data, "cal.ics", me=me, **WINDOW, **options))  # type: ignore[arg-type]


def _meetings(records: list[Record]) -> list[InteractionRecord]:
    return [record for record in records if isinstance(record, InteractionRecord)]


def _issues(records: list[Record]) -> list[str]:
    return [record.reason for record in records if isinstance(record, ParseIssue)]


START = "UID:m1\r\nDTSTART:20250102T030405Z\r\nSUMMARY:Catch-up"


# --- 1. Apple: the address in the EMAIL parameter ---------------------------------------------------------------


def test_the_email_parameter_gives_the_address_of_a_urn_uuid_attendee() -> None:
    event = f"{START}\r\nATTENDEE;CN=Ravi Shankar;EMAIL=ravi@example.in;PARTSTAT=ACCEPTED:urn:uuid:2222-3333"
    [meeting] = _parse(_calendar(event))
    assert isinstance(meeting, InteractionRecord)
    assert meeting.participants == (Participant("Ravi Shankar", "ravi@example.in"),)


def test_the_user_is_recognised_by_the_email_parameter() -> None:
    organizer = "ORGANIZER;CN=Pat Quinn;EMAIL=Pat@Example.org:urn:uuid:0000-1111"
    event = f"{START}\r\n{organizer}\r\nATTENDEE;CN=Kim;EMAIL=kim@example.com:urn:uuid:2"
    [meeting] = _parse(_calendar(event))
    assert isinstance(meeting, InteractionRecord)
    assert [person.name for person in meeting.participants] == ["Kim"]  # not Pat: the user is not a contact


def test_the_user_declining_is_recognised_by_the_email_parameter() -> None:
    event = (
        f"{START}\r\nORGANIZER:mailto:kim@example.com\r\nATTENDEE;EMAIL=pat@example.org;PARTSTAT=DECLINED:urn:uuid:1"
    )
    assert _parse(_calendar(event)) == [ParseIssue("cal.ics#m1", DECLINED)]


def test_a_mailto_address_wins_over_the_email_parameter() -> None:
    event = f"{START}\r\nATTENDEE;CN=Lee;EMAIL=lee.old@example.com:mailto:lee@example.com"
    [meeting] = _parse(_calendar(event))
    assert isinstance(meeting, InteractionRecord)
    assert meeting.participants == (Participant("Lee", "lee@example.com"),)


def test_an_invalid_email_parameter_keeps_the_name_with_a_warning() -> None:
    event = f"{START}\r\nATTENDEE;CN=Ravi;EMAIL=ravi-at-example:urn:uuid:2"
    [meeting, warning] = _parse(_calendar(event))
    assert isinstance(meeting, InteractionRecord)
    assert meeting.participants == (Participant("Ravi", None),)
    assert warning == ParseIssue(
        "cal.ics#m1",
        "cal.ics, event 'Catch-up': an attendee 'Ravi' has an invalid EMAIL parameter 'ravi-at-example': "
        "kept by name only",
    )


# --- 3. attendees who declined ------------------------------------------------------------------------------


def test_an_attendee_who_declined_did_not_meet_the_user() -> None:
    event = (
        f"{START}\r\nORGANIZER:mailto:pat@example.org\r\n"
        "ATTENDEE;PARTSTAT=DECLINED;CN=Dan:mailto:dan@example.com\r\n"
        "ATTENDEE;PARTSTAT=ACCEPTED;CN=Amy:mailto:amy@example.com"
    )
    [meeting] = _parse(_calendar(event))
    assert isinstance(meeting, InteractionRecord)
    assert meeting.participants == (Participant("Amy", "amy@example.com"),)


def test_a_meeting_everyone_else_declined_is_not_a_meeting() -> None:
    event = f"{START}\r\nORGANIZER:mailto:pat@example.org\r\nATTENDEE;PARTSTAT=DECLINED:mailto:dan@example.com"
    assert _parse(_calendar(event)) == [ParseIssue("cal.ics#m1", DECLINED_BY_ALL)]


def test_an_organizer_who_declined_their_own_meeting_is_not_met() -> None:
    event = (
        f"{START}\r\nORGANIZER;CN=Olga:mailto:olga@example.com\r\n"
        "ATTENDEE;PARTSTAT=DECLINED;CN=Olga:mailto:olga@example.com\r\n"
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:pat@example.org\r\nATTENDEE;CN=Amy:mailto:amy@example.com"
    )
    [meeting] = _parse(_calendar(event))
    assert isinstance(meeting, InteractionRecord)
    assert [person.email for person in meeting.participants] == ["amy@example.com"]


def test_people_who_declined_do_not_count_towards_a_gathering() -> None:
    others = "".join(f"\r\nATTENDEE:mailto:p{n}@example.com" for n in range(3))
    declined = "".join(f"\r\nATTENDEE;PARTSTAT=DECLINED:mailto:d{n}@example.com" for n in range(3))
    [meeting] = _parse(_calendar(START + others + declined), max_attendees=3)
    assert isinstance(meeting, InteractionRecord)  # 3 others came: a meeting, not a gathering of 6
    [gathering] = _parse(_calendar(START + others + declined), max_attendees=2)
    assert isinstance(gathering, GatheringRecord)
    assert len(gathering.attendees) == 3


def test_an_event_lists_no_attendee_who_declined() -> None:
    event = f"{START}\r\nATTENDEE;PARTSTAT=DECLINED:mailto:dan@example.com\r\nATTENDEE:mailto:amy@example.com"
    [record] = parse_ics_events(_calendar(event), "cal.ics", me=ME, **WINDOW)
    assert isinstance(record, EventRecord)
    assert [person.email for person in record.attendees] == ["amy@example.com"]


# --- 4. time zones the library does not know -------------------------------------------------------------------

BERLIN = '"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"'


@pytest.mark.parametrize(
    ("tzid", "written", "utc"),
    [
        (BERLIN, "20250701T090000", datetime(2025, 7, 1, 7)),  # summer time: +2
        (BERLIN, "20250110T090000", datetime(2025, 1, 10, 8)),
        ('"(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi"', "20250110T090000", datetime(2025, 1, 10, 3, 30)),
        ('"(UTC+10:00) Canberra, Melbourne, Sydney"', "20250110T090000", datetime(2025, 1, 9, 22)),  # summer there
        ('"(UTC) Coordinated Universal Time"', "20250110T090000", datetime(2025, 1, 10, 9)),
        ("W. Europe Standard Time", "20250701T090000", datetime(2025, 7, 1, 7)),  # a Windows id
        ('"Eastern Standard Time "', "20250701T090000", datetime(2025, 7, 1, 13)),
    ],
)
def test_windows_zone_names_are_read_in_their_olson_zone_without_a_warning(tzid: str, written: str, utc: datetime
                                                                           ) -> None:  # fmt: skip
    event = f"UID:z\r\nDTSTART;TZID={tzid}:{written}\r\nSUMMARY:Call\r\nATTENDEE:mailto:kim@example.com"
    records = _parse(_calendar(event))
    assert [meeting.occurred_at for meeting in _meetings(records)] == [utc]
    assert _issues(records) == []


def test_a_display_name_with_no_known_place_is_read_at_its_offset_with_a_warning() -> None:
    event = (
        'UID:z\r\nDTSTART;TZID="(UTC-05:00) Eastern Time (US & Canada)":20250701T090000\r\nSUMMARY:Call\r\n'
        "ATTENDEE:mailto:kim@example.com"
    )
    [meeting, warning] = _parse(_calendar(event))
    assert isinstance(meeting, InteractionRecord) and meeting.occurred_at == datetime(2025, 7, 1, 14)
    assert warning == ParseIssue(
        "cal.ics#z",
        "cal.ics, event 'Call': its time zone '(UTC-05:00) Eastern Time (US & Canada)' is not one this program "
        "can place: its times were read at UTC-05:00 all year and may be an hour off in summer time",
    )


def test_an_unknown_zone_is_read_as_utc_with_a_warning_naming_it() -> None:
    event = (
        "UID:z\r\nDTSTART;TZID=Customized Time Zone:20250110T090000\r\n"
        "DTEND;TZID=Customized Time Zone:20250110T100000\r\nSUMMARY:Call\r\nATTENDEE:mailto:kim@example.com"
    )
    [meeting, warning] = _parse(_calendar(event))
    assert isinstance(meeting, InteractionRecord) and meeting.occurred_at == datetime(2025, 1, 10, 9)
    assert isinstance(warning, ParseIssue) and warning.origin == meeting.origin  # right after it: a warning
    assert warning.reason.startswith("cal.ics, event 'Call': its time zone 'Customized Time Zone' is unknown")
    assert "read as UTC" in warning.reason


def test_the_calendar_wide_zone_places_an_unknown_tzid() -> None:
    event = "UID:z\r\nDTSTART;TZID=Customized Time Zone:20250110T090000\r\nATTENDEE:mailto:kim@example.com"
    records = _parse(_calendar(event, head="X-WR-TIMEZONE:Europe/Berlin\r\n"))
    assert [meeting.occurred_at for meeting in _meetings(records)] == [datetime(2025, 1, 10, 8)]
    assert _issues(records) == []


def test_a_zone_with_its_vtimezone_is_not_a_guess() -> None:
    zone = (
        "BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
        "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    event = "UID:z\r\nDTSTART;TZID=Customized Time Zone:20250110T090000\r\nATTENDEE:mailto:kim@example.com"
    records = _parse(_calendar(event, head=zone))
    assert [meeting.occurred_at for meeting in _meetings(records)] == [datetime(2025, 1, 10, 7)]
    assert _issues(records) == []


def test_each_file_is_read_with_its_own_vtimezones_only() -> None:
    def zone(offset: str) -> str:
        return (
            "BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
            f"TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        )

    event = "UID:z\r\nDTSTART;TZID=Customized Time Zone:20250110T090000\r\nATTENDEE:mailto:kim@example.com"
    read = [_parse(_calendar(event, head=head)) for head in (zone("+0200"), zone("+0500"), "")]
    assert [[m.occurred_at.hour for m in _meetings(records)] for records in read] == [[7], [4], [9]]
    assert [len(_issues(records)) for records in read] == [0, 0, 1]  # the last one has none: UTC, and a warning


def test_a_repeating_meeting_in_a_guessed_zone_keeps_its_ids_and_warns_once() -> None:
    event = (
        f"UID:w\r\nDTSTART;TZID={BERLIN}:20250106T090000\r\nRRULE:FREQ=WEEKLY;UNTIL=20250120T090000\r\n"
        f"EXDATE;TZID={BERLIN}:20250113T090000\r\nSUMMARY:Weekly\r\nATTENDEE:mailto:kim@example.com"
    )
    records = _parse(_calendar(event))
    # the ids keep the wall-clock time as written: what they were when such zones were read as UTC
    assert [(m.external_id, m.occurred_at) for m in _meetings(records)] == [
        ("w@2025-01-06T09:00:00", datetime(2025, 1, 6, 8)),
        ("w@2025-01-20T09:00:00", datetime(2025, 1, 20, 8)),
    ]
    unknown = event.replace(BERLIN, "Nowhere")
    records = _parse(_calendar(unknown))
    assert len(_meetings(records)) == 2
    assert len(_issues(records)) == 1 and "'Nowhere' is unknown" in _issues(records)[0]


def test_events_are_placed_in_the_same_zones() -> None:
    event = f"UID:z\r\nDTSTART;TZID={BERLIN}:20250110T090000\r\nSUMMARY:Call"
    [record] = parse_ics_events(_calendar(event), "cal.ics", me=ME, **WINDOW)
    assert isinstance(record, EventRecord) and record.starts_at == datetime(2025, 1, 10, 8)


# --- 5. invalid addresses -----------------------------------------------------------------------------------


def test_an_attendee_with_an_invalid_address_and_no_name_is_left_out_with_a_warning() -> None:
    event = f"{START}\r\nATTENDEE;CN=Bad@Addr:mailto:not an email\r\nATTENDEE;CN=Kim:mailto:kim@example.com"
    [meeting, warning] = _parse(_calendar(event))
    assert isinstance(meeting, InteractionRecord)
    assert meeting.participants == (Participant("Kim", "kim@example.com"),)  # no person named "Bad@Addr"
    assert warning == ParseIssue(
        "cal.ics#m1", "cal.ics, event 'Catch-up': an attendee 'Bad@Addr' with an invalid address "
        "'mailto:not an email' left out"
    )  # fmt: skip


def test_an_attendee_line_the_library_cannot_read_is_a_warning() -> None:
    event = f'{START}\r\nATTENDEE;CN="Broken \r\n Quote:mailto:bq@example.com\r\nATTENDEE;CN=Kim:mailto:kim@example.com'
    [meeting, warning] = _parse(_calendar(event))
    assert isinstance(meeting, InteractionRecord) and len(meeting.participants) == 1
    assert isinstance(warning, ParseIssue)
    assert warning.reason == (
        "cal.ics, event 'Catch-up': an attendee's line could not be read and was left out: "
        "'ATTENDEE;CN=\"Broken Quote:mailto:bq@example.com'"
    )


def test_a_meeting_with_no_readable_attendee_says_why() -> None:
    event = f"{START}\r\nATTENDEE:mailto:\r\nORGANIZER:mailto:pat@example.org"
    assert _parse(_calendar(event)) == [
        ParseIssue(
            "cal.ics#m1",
            "cal.ics, event 'Catch-up': no other attendee could be read (an attendee with an empty address "
            "(mailto:) left out)",
        )
    ]


def test_an_address_written_as_the_name_is_the_email() -> None:
    event = f"{START}\r\nATTENDEE;CN=kim@example.com:invalid:nomail"
    [meeting] = _parse(_calendar(event))
    assert isinstance(meeting, InteractionRecord)
    assert meeting.participants == (Participant(None, "kim@example.com"),)


def test_warnings_about_each_occurrence_are_said_once_per_series() -> None:
    event = f"{START}\r\nRRULE:FREQ=DAILY;COUNT=3\r\nATTENDEE:mailto:\r\nATTENDEE:mailto:kim@example.com"
    records = _parse(_calendar(event))
    assert len(_meetings(records)) == 3
    assert _issues(records) == ["cal.ics, event 'Catch-up': an attendee with an empty address (mailto:) left out"]


# --- 6. files that cannot be read ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX\r\nEND:VCALENDAR\r\n",
            "a line could not be read: line 3 (it is not NAME:VALUE): 'X'",
        ),
        (
            b"BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:S\rX\nEND:VTIMEZONE\nEND:VCALENDAR\n",
            "a line could not be read: line 3 holds a carriage return (CR) that does not end it: 'TZID:S\\rX'",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Prague\r\nBEGIN:STANDARD\r\n"
            b"DTSTART:18500101T000000\r\nTZOFFSETFROM:+5744\r\nTZOFFSETTO:+5744\r\nEND:STANDARD\r\n"
            b"END:VTIMEZONE\r\nEND:VCALENDAR\r\n",
            "a line could not be read: line 6 (Offset must be less than 24 hours, was +5744): 'TZOFFSETFROM:+5744'",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n",
            "the VTIMEZONE ending on line 4 could not be read (at least one component is needed)",
        ),
        (
            b"BEGIN:VCALENDAR\r\nX-A:one\r\nBEGIN:V\r\nRRULE:FREQ=DAILY;\r\n BYMONTH=\r\nEND:V\r\nEND:VCALENDAR\r\n",
            "a line could not be read: line 4 (Invalid month: ''): 'RRULE:FREQ=DAILY;BYMONTH='",
        ),
    ],
)
def test_an_unreadable_line_is_named_with_its_number(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        parse_ics(data, "bad.ics", me=ME, **WINDOW)
    assert str(caught.value) == f"bad.ics: not a readable iCalendar file: {message}"


def test_python_s_own_messages_are_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    def slip(*_: object, **__: object) -> object:
        raise TypeError("'NoneType' object is not subscriptable")

    monkeypatch.setattr(ics.icalendar.Calendar, "from_ical", slip)
    with pytest.raises(UnreadableFileError) as caught:
        parse_ics(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "bad.ics", me=ME, **WINDOW)
    assert str(caught.value) == "bad.ics: not a readable iCalendar file: its content could not be read"


def test_the_real_unreadable_files_say_what_is_wrong_in_words() -> None:
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is not here")
    lone_cr = REAL / "icalendar" / "calendars__fuzz_testcase_vtimezone_lone_cr.ics"
    with pytest.raises(UnreadableFileError) as caught:
        parse_ics(lone_cr.read_bytes(), lone_cr.name, me=ME, **WINDOW)
    assert str(caught.value).startswith(
        f"{lone_cr.name}: not a readable iCalendar file: a line could not be read: line 2 holds a carriage return"
    )
    for path in sorted(REAL.rglob("*.ics")):
        try:
            list(parse_ics(path.read_bytes(), path.name, me=ME, **WINDOW))
        except UnreadableFileError as exc:
            assert str(exc).startswith(f"{path.name}: ")
            assert "Error:" not in str(exc) and "unpack" not in str(exc), str(exc)
