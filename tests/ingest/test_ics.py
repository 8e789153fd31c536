"""The iCalendar parser: golden files, every real test-suite file, edge cases and fuzzing."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from givefirst.ingest import ics
from givefirst.ingest.ics import MAX_OCCURRENCES, parse_ics, parse_ics_folder
from givefirst.ingest.records import InteractionRecord, ParseIssue, Participant, Record, UnreadableFileError

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "ics"
GOLDEN = HERE / "golden" / "ics"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REAL = SHARED / "realdata" / "ics"

ME = frozenset({"pat@example.org"})
OWN_WINDOW = {"window_start": datetime(2024, 1, 1), "window_end": datetime(2026, 1, 1)}
REAL_ME = frozenset({"rembrand@daxlab.com"})  # the organizer in calendars__property_params.ics
REAL_WINDOW = {"window_start": datetime(1990, 1, 1), "window_end": datetime(2030, 1, 1)}


def _parse(
    data: bytes,
    name: str,
    me: frozenset[str] = ME,
    /,
    *,
    window_start: datetime = OWN_WINDOW["window_start"],
    window_end: datetime = OWN_WINDOW["window_end"],
) -> list[Record]:
    return list(parse_ics(data, name, me=me, window_start=window_start, window_end=window_end))


def _serialise(records: Iterable[Record]) -> list[dict[str, Any]]:
    def plain(value: object) -> str:
        assert isinstance(value, date | datetime), value
        return value.isoformat()

    rows = [{"type": type(record).__name__, **dataclasses.asdict(record)} for record in records]
    loaded: list[dict[str, Any]] = json.loads(json.dumps(rows, default=plain))  # tuples become lists, as on disk
    return loaded


def _check_golden(records: list[Record], golden: Path) -> None:
    if os.environ.get("GIVEFIRST_WRITE_GOLDEN"):  # to draft a new golden; review it by eye before committing
        golden.write_text(json.dumps(_serialise(records), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert _serialise(records) == expected


# --- golden files -------------------------------------------------------------------------------------------

OWN_FILES = sorted(path.name for path in DATA.glob("*.ics"))


@pytest.mark.parametrize("file_name", OWN_FILES)
def test_own_samples_match_their_golden(file_name: str) -> None:
    records = _parse((DATA / file_name).read_bytes(), file_name)
    _check_golden(records, GOLDEN / f"{Path(file_name).stem}.json")


REAL_GOLDEN = [
    "icalendar/calendars__property_params.ics",
    "icalendar/events__issue_101_icalendar_chokes_on_umlauts_in_organizer.ics",
    "icalendar/calendars__issue_156_RDATE_with_PERIOD_TZID_khal.ics",
    "icalendar/calendars__issue_722_missing_timezones.ics",
    "icalendar/calendars__multiple_timezones.ics",
    "icalendar/calendars__parsing_error.ics",
    "icalendar/calendars__issue_1081_invalid_rrule_freq.ics",
    "icalendar/calendars__broken_dtstart.ics",
    "vobject/radicale-0827.ics",
    "vobject/vobject_0050.ics",
]


@pytest.mark.parametrize("relative", REAL_GOLDEN)
def test_real_samples_match_their_golden(relative: str) -> None:
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is not here")
    path = REAL / relative
    records = _parse(path.read_bytes(), path.name, REAL_ME, **REAL_WINDOW)
    _check_golden(records, GOLDEN / f"real-{relative.replace('/', '-').removesuffix('.ics')}.json")


# --- every real file ----------------------------------------------------------------------------------------

# file -> (interaction records, issues), or None when the whole file is unreadable. Most of these test-suite
# events have no attendees (personal events) or no DTSTART, so issues dominate; see REAL_GOLDEN for details.
REAL_COUNTS: dict[str, tuple[int, int] | None] = {
    "icalendar/alarms__example.ics": None,  # a bare VALARM
    "icalendar/alarms__rfc_5545_absolute_alarm_example.ics": None,
    "icalendar/alarms__rfc_5545_end.ics": None,
    "icalendar/alarms__start_date.ics": None,
    "icalendar/availabilities__rfc_7953_1.ics": None,  # a bare VAVAILABILITY
    "icalendar/availabilities__rfc_7953_2.ics": None,
    "icalendar/calendars__alarm_etar_future.ics": (0, 1),
    "icalendar/calendars__alarm_etar_notification.ics": (0, 1),
    "icalendar/calendars__alarm_etar_notification_clicked.ics": (0, 1),
    "icalendar/calendars__alarm_google_acknowledged.ics": (0, 1),  # its only ATTENDEE is inside a VALARM
    "icalendar/calendars__alarm_google_future.ics": (0, 1),
    "icalendar/calendars__alarm_thunderbird_2_future.ics": (0, 1),
    "icalendar/calendars__alarm_thunderbird_2_notification_5_min_postponed.ics": (0, 1),
    "icalendar/calendars__alarm_thunderbird_2_notification_5_min_postponed_and_closed.ics": (0, 1),
    "icalendar/calendars__alarm_thunderbird_2_notification_5_min_postponed_and_popped_up.ics": (0, 1),
    "icalendar/calendars__alarm_thunderbird_2_notification_popped_up.ics": (0, 1),
    "icalendar/calendars__alarm_thunderbird_closed.ics": (0, 1),
    "icalendar/calendars__alarm_thunderbird_future.ics": (0, 1),
    "icalendar/calendars__alarm_thunderbird_snoozed_until_1457.ics": (0, 1),
    "icalendar/calendars__america_new_york.ics": (0, 1),
    "icalendar/calendars__america_new_york_forward_reference.ics": (0, 1),  # two DTSTARTs
    "icalendar/calendars__big_bad_calendar.ics": None,  # no END:VCALENDAR
    "icalendar/calendars__bom_calendar.ics": (0, 0),
    "icalendar/calendars__broken_dtstart.ics": (0, 1),
    "icalendar/calendars__broken_ical.ics": (0, 1),
    "icalendar/calendars__calendar_with_unicode.ics": (0, 0),
    "icalendar/calendars__created_calendar_with_unicode_fields.ics": (0, 3),
    "icalendar/calendars__empty.ics": (0, 0),
    "icalendar/calendars__empty_RDATE.ics": (0, 0),
    "icalendar/calendars__example.ics": (0, 3),
    "icalendar/calendars__fuzz_testcase_0_char_in_component_name.ics": None,  # NUL bytes
    "icalendar/calendars__fuzz_testcase_invalid_month.ics": None,
    "icalendar/calendars__fuzz_testcase_vtimezone_lone_cr.ics": None,
    "icalendar/calendars__invalid_duration.ics": (0, 1),
    "icalendar/calendars__issue_104_broken_calendar.ics": None,  # a bare "X" line in the VCALENDAR
    "icalendar/calendars__issue_1050_all_components.ics": (0, 1),
    "icalendar/calendars__issue_1050_calendar_with_events_and_todos.ics": (0, 2),
    "icalendar/calendars__issue_1050_empty_calendar.ics": (0, 0),
    "icalendar/calendars__issue_1050_forward_timezone_reference.ics": (0, 1),
    "icalendar/calendars__issue_1050_multiple_calendars.ics": (0, 2),
    "icalendar/calendars__issue_1050_simple_calendar.ics": (0, 1),
    "icalendar/calendars__issue_1050_timezone_only_calendar.ics": (0, 0),
    "icalendar/calendars__issue_1050_uid_in_description.ics": (0, 2),
    "icalendar/calendars__issue_1081_empty_rdate.ics": (0, 1),
    "icalendar/calendars__issue_1081_event_with_rrule.ics": (0, 1),
    "icalendar/calendars__issue_1081_freebusy_comma_separated.ics": (0, 0),
    "icalendar/calendars__issue_1081_invalid_rrule_freq.ics": (0, 1),
    "icalendar/calendars__issue_1081_invalid_start_and_end.ics": (0, 1),
    "icalendar/calendars__issue_1081_invalid_start_valid_end.ics": (0, 1),
    "icalendar/calendars__issue_1081_list_of_properties.ics": (0, 1),
    "icalendar/calendars__issue_1081_tzid_param.ics": (0, 1),
    "icalendar/calendars__issue_1081_with_summary.ics": (0, 1),
    "icalendar/calendars__issue_1231_recurrence.ics": (0, 1),
    "icalendar/calendars__issue_1238.ics": (0, 0),
    "icalendar/calendars__issue_127_categories_with_commas.ics": (0, 1),
    "icalendar/calendars__issue_1426.ics": (0, 1),
    "icalendar/calendars__issue_1426_value_parameters.ics": (0, 1),
    "icalendar/calendars__issue_1549_binary_attachment.ics": (0, 1),
    "icalendar/calendars__issue_1561_image_value.ics": (0, 4),
    "icalendar/calendars__issue_156_RDATE_with_PERIOD_TZID_khal.ics": (1, 0),
    "icalendar/calendars__issue_156_RDATE_with_PERIOD_TZID_khal_2.ics": (1, 0),
    "icalendar/calendars__issue_1633_freebusy_with_dates.ics": (0, 0),
    "icalendar/calendars__issue_1633_rdate_with_dates.ics": (0, 1),
    "icalendar/calendars__issue_1633_rdate_with_dates_and_tzid.ics": (0, 1),
    "icalendar/calendars__issue_165_missing_event.ics": (0, 1),
    "icalendar/calendars__issue_168_expected_output.ics": (0, 1),
    "icalendar/calendars__issue_168_input.ics": (0, 1),
    "icalendar/calendars__issue_178_component_with_invalid_name_represented.ics": None,
    "icalendar/calendars__issue_178_custom_component_contains_other.ics": None,
    "icalendar/calendars__issue_178_custom_component_inside_other.ics": (0, 0),
    "icalendar/calendars__issue_218_bad_tzid.ics": (0, 1),
    "icalendar/calendars__issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics": (0, 1),
    "icalendar/calendars__issue_27_multiple_periods_in_freebusy_multiple_freebusies.ics": (0, 0),
    "icalendar/calendars__issue_27_multiple_periods_in_freebusy_one_freebusy.ics": (0, 0),
    "icalendar/calendars__issue_313_globally_unique_tzid.ics": (0, 3),
    "icalendar/calendars__issue_321_assert_dst_offset_is_not_false.ics": (0, 1),
    "icalendar/calendars__issue_322_expected_calendar.ics": (0, 1),
    "icalendar/calendars__issue_348_exception_parsing_value.ics": (0, 1),
    "icalendar/calendars__issue_350.ics": (0, 1),
    "icalendar/calendars__issue_351_whitespace_in_property_and_params.ics": (0, 1),
    "icalendar/calendars__issue_466_convert_tzid_with_slash.ics": (0, 1),
    "icalendar/calendars__issue_466_respect_unique_timezone.ics": (0, 1),
    "icalendar/calendars__issue_526_calendar_with_different_events.ics": (0, 2),
    "icalendar/calendars__issue_526_calendar_with_event_subset.ics": (0, 1),
    "icalendar/calendars__issue_526_calendar_with_events.ics": (0, 2),
    "icalendar/calendars__issue_526_calendar_with_shuffeled_events.ics": (0, 2),
    "icalendar/calendars__issue_722_missing_VTIMEZONE_custom.ics": (0, 1),
    "icalendar/calendars__issue_722_missing_timezones.ics": (0, 3),
    "icalendar/calendars__issue_722_timezone_transition_ambiguity.ics": (0, 4),
    "icalendar/calendars__issue_798_freebusy.ics": (0, 0),
    "icalendar/calendars__issue_798_related_to.ics": (0, 2),
    "icalendar/calendars__issue_82_expected_output.ics": (0, 1),
    "icalendar/calendars__issue_836_do_not_quote_tzid.ics": (0, 1),
    "icalendar/calendars__multiple_calendar_components.ics": (0, 3),
    "icalendar/calendars__multiple_timezones.ics": (0, 3),
    "icalendar/calendars__pacific_fiji.ics": (0, 1),
    "icalendar/calendars__parsing_error.ics": (0, 2),
    "icalendar/calendars__parsing_error_in_UTC_offset.ics": None,
    "icalendar/calendars__period_with_timezone.ics": (0, 1),
    "icalendar/calendars__pr_480_summary_with_colon.ics": None,  # no END:VCALENDAR
    "icalendar/calendars__property_params.ics": (1, 0),
    "icalendar/calendars__rfc_5545_RDATE_example.ics": (0, 6),
    "icalendar/calendars__rfc_6868.ics": (0, 1),
    "icalendar/calendars__rfc_7256_multi_value_parameters.ics": (0, 2),
    "icalendar/calendars__rfc_7265_appendix_example_1_ical.ics": (0, 1),
    "icalendar/calendars__rfc_7265_appendix_example_2_ical.ics": (0, 1),
    "icalendar/calendars__rfc_7265_example_1.ics": (0, 0),
    "icalendar/calendars__rfc_7529.ics": (0, 4),  # RSCALE rules the library cannot follow
    "icalendar/calendars__rfc_7953_3.ics": (0, 0),
    "icalendar/calendars__rfc_7986_conferences.ics": (0, 1),
    "icalendar/calendars__rfc_7986_image.ics": (0, 2),
    "icalendar/calendars__rfc_7986_properties.ics": (0, 0),
    "icalendar/calendars__rfc_9253_examples.ics": (0, 2),
    "icalendar/calendars__rfc_9253_gap.ics": (0, 2),
    "icalendar/calendars__rfc_9253_related_to.ics": (0, 1),
    "icalendar/calendars__small_bad_calendar.ics": None,  # no END:VCALENDAR
    "icalendar/calendars__time.ics": (0, 0),
    "icalendar/calendars__timezone_rdate.ics": (0, 1),
    "icalendar/calendars__timezone_same_start.ics": (0, 1),
    "icalendar/calendars__timezone_same_start_and_offset.ics": (0, 1),
    "icalendar/calendars__timezoned.ics": (0, 1),
    "icalendar/calendars__x_location.ics": (0, 1),  # 3437 personal occurrences, counted in one issue
    "icalendar/events__event_with_escaped_character1.ics": (0, 1),
    "icalendar/events__event_with_escaped_character2.ics": (0, 1),
    "icalendar/events__event_with_escaped_character3.ics": (0, 1),
    "icalendar/events__event_with_escaped_character4.ics": (0, 1),
    "icalendar/events__event_with_escaped_characters.ics": (0, 1),
    "icalendar/events__event_with_recurrence.ics": (0, 1),
    "icalendar/events__event_with_recurrence_exdates_on_different_lines.ics": (0, 1),
    "icalendar/events__event_with_rsvp.ics": (0, 1),
    "icalendar/events__event_with_unicode_fields.ics": (0, 1),
    "icalendar/events__event_with_unicode_organizer.ics": (0, 1),
    "icalendar/events__issue_100_transformed_doctests_into_unittests.ics": (0, 1),
    "icalendar/events__issue_101_icalendar_chokes_on_umlauts_in_organizer.ics": (1, 0),
    "icalendar/events__issue_104_mark_events_broken.ics": (0, 1),
    "icalendar/events__issue_112_missing_tzinfo_on_exdate.ics": (0, 1),
    "icalendar/events__issue_156_RDATE_with_PERIOD.ics": (0, 1),
    "icalendar/events__issue_156_RDATE_with_PERIOD_list.ics": (0, 1),
    "icalendar/events__issue_157_removes_trailing_semicolon.ics": (0, 1),
    "icalendar/events__issue_184_broken_representation_of_period.ics": (0, 1),
    "icalendar/events__issue_355_url_escaping.ics": (0, 1),
    "icalendar/events__issue_355_url_escaping_2.ics": (0, 1),
    "icalendar/events__issue_355_url_escaping_empty_param.ics": (0, 1),
    "icalendar/events__issue_464_invalid_rdate.ics": (0, 1),
    "icalendar/events__issue_53_description_parsed_properly.ics": (0, 1),
    "icalendar/events__issue_64_event_with_ascii_summary.ics": (0, 1),
    "icalendar/events__issue_64_event_with_non_ascii_summary.ics": (0, 1),
    "icalendar/events__issue_70_rrule_causes_attribute_error.ics": (0, 1),
    "icalendar/events__issue_82_expected_output.ics": (0, 1),
    "icalendar/events__rfc_7265_example_4.ics": (0, 1),
    "icalendar/events__rfc_7265_request_status.ics": (0, 1),
    "icalendar/events__rfc_9074_example_1.ics": (0, 1),
    "icalendar/events__rfc_9074_example_2.ics": (0, 1),
    "icalendar/events__rfc_9074_example_3.ics": (0, 1),
    "icalendar/events__rfc_9074_example_4.ics": (0, 1),
    "icalendar/events__rfc_9074_example_proximity.ics": (0, 1),
    "icalendar/freebusy__example.ics": None,  # a bare VFREEBUSY
    "icalendar/journals__example.ics": None,  # a bare VJOURNAL
    "icalendar/timezones__issue_237_brazilia_standard.ics": None,  # bare VTIMEZONEs
    "icalendar/timezones__issue_53_tzid_parsed_properly.ics": None,
    "icalendar/timezones__issue_55_parse_error_on_utc_offset_with_seconds.ics": None,
    "icalendar/timezones__pacific_fiji.ics": None,
    "icalendar/todos__example.ics": None,  # a bare VTODO
    "vobject/ms_tzid.ics": (0, 1),
    "vobject/radicale-0816.ics": (0, 1),
    "vobject/radicale-0827.ics": (0, 2),
    "vobject/ruby_rrule.ics": (0, 1),
    "vobject/simple_test.ics": (0, 1),
    "vobject/timezones.ics": None,
    "vobject/tz_us_eastern.ics": None,
    "vobject/tzid_8bit.ics": (0, 1),
    "vobject/vobject_0050.ics": (1, 0),
    "vobject/vtodo.ics": (0, 0),
}


def test_every_real_file_parses_with_the_expected_counts() -> None:
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is not here")
    found = sorted(path.relative_to(REAL).as_posix() for path in REAL.rglob("*.ics"))
    assert found == sorted(REAL_COUNTS), "the real samples changed: update REAL_COUNTS"
    for relative in found:
        path = REAL / relative
        try:
            records = _parse(path.read_bytes(), path.name, REAL_ME, **REAL_WINDOW)
        except UnreadableFileError as exc:
            assert REAL_COUNTS[relative] is None, f"{relative}: {exc}"
            assert str(exc).startswith(f"{path.name}: ")
            continue
        interactions = sum(isinstance(record, InteractionRecord) for record in records)
        issues = sum(isinstance(record, ParseIssue) for record in records)
        assert (interactions, issues) == REAL_COUNTS[relative], relative
        assert interactions + issues == len(records), relative


def test_real_folder_reads_every_file_and_reports_the_unreadable_ones() -> None:
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is not here")
    files = [(path.name, path.read_bytes()) for path in sorted(REAL.rglob("*.ics"))]
    records = list(parse_ics_folder(files, me=REAL_ME, **REAL_WINDOW))
    skipped = [record for record in records if isinstance(record, ParseIssue) and "#" not in record.origin]
    assert len(skipped) == sum(counts is None for counts in REAL_COUNTS.values())
    assert all(issue.reason.startswith("the whole file was skipped: ") for issue in skipped)
    expected = sum(counts[0] for counts in REAL_COUNTS.values() if counts is not None)
    assert sum(isinstance(record, InteractionRecord) for record in records) == expected


# --- behaviour ----------------------------------------------------------------------------------------------


def _calendar(*events: str, head: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{head}{body}END:VCALENDAR\r\n".encode()


MEETING = "UID:m1\r\nDTSTART:20250102T030405Z\r\nSUMMARY:Catch-up\r\nATTENDEE;CN=Kim:mailto:kim@example.com"


def test_a_meeting_with_someone_is_a_mutual_meeting_interaction() -> None:
    [record] = _parse(_calendar(MEETING), "cal.ics")
    assert record == InteractionRecord(
        source="ics",
        external_id="m1",
        origin="cal.ics#m1",
        occurred_at=datetime(2025, 1, 2, 3, 4, 5),
        kind="meeting",
        direction="mutual",
        participants=(Participant(name="Kim", email="kim@example.com"),),
        summary="Catch-up",
    )


def test_the_window_includes_its_start_and_excludes_its_end() -> None:
    at_start = _parse(
        _calendar(MEETING), "cal.ics", window_start=datetime(2025, 1, 2, 3, 4, 5), window_end=datetime(2026, 1, 1)
    )
    at_end = _parse(
        _calendar(MEETING), "cal.ics", window_start=datetime(2024, 1, 1), window_end=datetime(2025, 1, 2, 3, 4, 5)
    )
    assert len(at_start) == 1
    assert at_end == []


def test_aware_window_bounds_are_read_in_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    window = {"window_start": datetime(2025, 1, 2, 5, 4, 6, tzinfo=plus_two), "window_end": datetime(2026, 1, 1)}
    assert _parse(_calendar(MEETING), "cal.ics", **window) == []  # the start is 03:04:06 UTC, just after


def test_re_importing_the_same_file_gives_the_same_external_ids() -> None:
    data = (DATA / "meetings.ics").read_bytes()
    first = [record.external_id for record in _parse(data, "meetings.ics") if isinstance(record, InteractionRecord)]
    again = [record.external_id for record in _parse(data, "meetings.ics") if isinstance(record, InteractionRecord)]
    assert first == again
    assert len(set(first)) == len(first)


def test_a_repeating_meeting_is_one_interaction_per_occurrence_with_stable_ids() -> None:
    event = MEETING.replace("UID:m1", "UID:weekly") + "\r\nRRULE:FREQ=WEEKLY;COUNT=3"
    records = _parse(_calendar(event), "cal.ics")
    assert [record.external_id for record in records if isinstance(record, InteractionRecord)] == [
        "weekly@2025-01-02T03:04:05",
        "weekly@2025-01-09T03:04:05",
        "weekly@2025-01-16T03:04:05",
    ]
    # a narrower window reads fewer occurrences, under the same ids
    narrow = _parse(_calendar(event), "cal.ics", window_start=datetime(2025, 1, 5), window_end=datetime(2025, 1, 12))
    assert [record.external_id for record in narrow if isinstance(record, InteractionRecord)] == [
        "weekly@2025-01-09T03:04:05"
    ]


def test_an_endless_daily_meeting_is_capped_with_an_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_OCCURRENCES == 10_000
    monkeypatch.setattr(ics, "MAX_OCCURRENCES", 500)  # the same code path, faster
    event = MEETING + "\r\nRRULE:FREQ=DAILY"
    records = _parse(_calendar(event), "cal.ics", window_start=datetime(2000, 1, 1), window_end=datetime(2060, 1, 1))
    interactions = [record for record in records if isinstance(record, InteractionRecord)]
    assert len(interactions) == 500
    assert interactions[-1].occurred_at == datetime(2025, 1, 2, 3, 4, 5) + timedelta(days=499)
    assert isinstance(records[-1], ParseIssue)
    assert "more than 500 times" in records[-1].reason


@pytest.mark.parametrize("end", ["DTEND:20250101T030405Z", "DTEND:not-a-time", "DURATION:-PT1H"])
def test_a_broken_or_backward_end_does_not_lose_a_repeating_meeting(end: str) -> None:
    event = f"{MEETING}\r\n{end}\r\nRRULE:FREQ=DAILY;COUNT=2"
    records = _parse(_calendar(event), "cal.ics")
    assert [record.occurred_at for record in records if isinstance(record, InteractionRecord)] == [
        datetime(2025, 1, 2, 3, 4, 5),
        datetime(2025, 1, 3, 3, 4, 5),
    ]


@pytest.mark.parametrize("frequency", ["SECONDLY", "MINUTELY", "HOURLY"])
def test_rules_repeating_within_the_day_are_not_meetings(frequency: str) -> None:
    [issue] = _parse(_calendar(f"{MEETING}\r\nRRULE:FREQ={frequency}"), "cal.ics")
    assert isinstance(issue, ParseIssue)
    assert issue.reason.startswith("it repeats every ") and issue.reason.endswith("not a meeting")


def test_personal_occurrences_are_counted_in_one_issue() -> None:
    event = "UID:gym\r\nDTSTART:20250106T070000Z\r\nRRULE:FREQ=WEEKLY;COUNT=5\r\nSUMMARY:Gym"
    assert _parse(_calendar(event), "cal.ics") == [
        ParseIssue("cal.ics#gym", "no other attendees (a personal event) (5 occurrences)")
    ]


def test_the_user_is_recognised_whatever_the_case_and_never_a_participant() -> None:
    event = MEETING + "\r\nORGANIZER;CN=Me:MAILTO:Pat@Example.ORG"
    [record] = _parse(_calendar(event), "cal.ics", frozenset({"PAT@example.org"}))
    assert isinstance(record, InteractionRecord)
    assert [person.email for person in record.participants] == ["kim@example.com"]


def test_an_invalid_address_keeps_the_name_and_drops_the_email_with_a_warning() -> None:
    event = MEETING + "\r\nATTENDEE;CN=Nameless Host:mailto:not-an-address\r\nATTENDEE:mailto:also@bad"
    [record, *warnings] = _parse(_calendar(event), "cal.ics")
    assert isinstance(record, InteractionRecord)
    assert record.participants == (Participant("Kim", "kim@example.com"), Participant("Nameless Host", None))
    about = "cal.ics, event 'Catch-up': "
    assert warnings == [
        ParseIssue("cal.ics#m1", f"{about}an attendee 'Nameless Host' has an invalid address "
                   "'mailto:not-an-address': kept by name only"),
        ParseIssue("cal.ics#m1", f"{about}an attendee with an invalid address 'mailto:also@bad' left out"),
    ]  # fmt: skip


def test_google_calendar_addresses_are_not_people() -> None:
    organizer = "ORGANIZER;CN=Unknown Organizer:mailto:unknownorganizer@calendar.google.com"
    event = f"UID:g\r\nDTSTART:20250102T030405Z\r\n{organizer}"
    assert _parse(_calendar(event), "cal.ics") == [ParseIssue("cal.ics#g", "no other attendees (a personal event)")]


def test_the_same_person_twice_is_one_participant() -> None:
    event = MEETING + "\r\nORGANIZER:mailto:KIM@example.com\r\nATTENDEE;CN=Kim Lo:mailto:kim@example.com"
    [record] = _parse(_calendar(event), "cal.ics")
    assert isinstance(record, InteractionRecord)
    assert record.participants == (Participant("Kim", "kim@example.com"),)


def test_a_utf16_file_with_byte_order_mark_is_read() -> None:
    data = _calendar(MEETING).decode().encode("utf-16")
    assert len(_parse(data, "cal.ics")) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"  \r\n", "the file is empty"),
        (b"\x00\x01\x02BEGIN", "not a text file"),
        (b"BEGIN:VCALENDAR\x00\r\nEND:VCALENDAR\r\n", "not a text file"),
        (b"\x81\x8d\x8f\x90\x9d", "not text in a known encoding"),
        (b"Name,Email\r\nKim,kim@example.com\r\n", "not an iCalendar file"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim\r\nEND:VCARD\r\n", "it holds VCARD"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n", "incomplete"),
        (b"BEGIN:VCALENDAR\r\nX\r\nEND:VCALENDAR\r\n", "not a readable iCalendar file"),
        (b"\xff\xfeB\xd8", "byte-order mark"),
    ],
)
def test_a_file_that_is_not_icalendar_is_unreadable(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFileError, match=f"^bad.ics: .*{message}"):
        parse_ics(data, "bad.ics", me=ME, **OWN_WINDOW)


def test_the_folder_reader_ignores_other_names_and_reports_unreadable_files() -> None:
    files = [
        ("notes.txt", b"not a calendar"),
        ("cal.ICS", _calendar(MEETING)),
        ("broken.ics", b"garbage"),
        ("nested/cancel.ics", (DATA / "cancellation.ics").read_bytes()),
    ]
    records = list(parse_ics_folder(files, me=ME, **OWN_WINDOW))
    assert [type(record).__name__ for record in records] == ["InteractionRecord", "ParseIssue", "ParseIssue"]
    assert records[1] == ParseIssue(
        "broken.ics", "the whole file was skipped: not an iCalendar file (it does not start with BEGIN:VCALENDAR)"
    )
    assert isinstance(records[2], ParseIssue)
    assert records[2].origin == "nested/cancel.ics#mixer-2025-10@example.org"


# --- fuzzing ------------------------------------------------------------------------------------------------

SAMPLE = (DATA / "meetings.ics").read_bytes()
SAMPLE_LINES = [line for name in OWN_FILES for line in (DATA / name).read_bytes().splitlines()]
FUZZ_WINDOW = {"window_start": datetime(2025, 1, 1), "window_end": datetime(2026, 1, 1)}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_survives(data: bytes) -> None:
    """Parse and check that only records come out, or UnreadableFileError is raised: never anything else."""
    try:
        records = list(parse_ics(data, "fuzz.ics", me=ME, **FUZZ_WINDOW))
    except UnreadableFileError as exc:
        assert str(exc).startswith("fuzz.ics: ")
        return
    for record in records:
        assert isinstance(record, InteractionRecord | ParseIssue)
        if isinstance(record, InteractionRecord):
            assert record.occurred_at.tzinfo is None
            assert FUZZ_WINDOW["window_start"] <= record.occurred_at < FUZZ_WINDOW["window_end"]


@FUZZ
@given(st.binary(max_size=3000))
def test_fuzz_random_bytes(data: bytes) -> None:
    assert_survives(data)


@FUZZ
@given(st.integers(min_value=0, max_value=len(SAMPLE)))
def test_fuzz_truncated_file(cut: int) -> None:
    assert_survives(SAMPLE[:cut])


@FUZZ
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=len(SAMPLE) - 1), st.binary(max_size=3)), max_size=8))
def test_fuzz_mutated_bytes(edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(SAMPLE)
    for position, replacement in edits:
        data[position : position + 1] = replacement  # replace, delete (empty) or insert (longer)
    assert_survives(bytes(data))


@FUZZ
@given(st.lists(st.sampled_from(SAMPLE_LINES), max_size=60), st.booleans())
def test_fuzz_shuffled_lines(lines: list[bytes], wrap: bool) -> None:
    body = b"\r\n".join(lines)
    assert_survives(b"BEGIN:VCALENDAR\r\n" + body + b"\r\nEND:VCALENDAR\r\n" if wrap else body)
