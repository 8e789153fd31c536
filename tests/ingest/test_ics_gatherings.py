"""Large meetings in a calendar: every attendee kept, on a GatheringRecord instead of a touch with each."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from givefirst.ingest.ics import parse_ics
from givefirst.ingest.records import GatheringRecord, InteractionRecord, Record
from tests.ingest.test_ics import _check_golden

HERE = Path(__file__).resolve().parent
FILE = HERE / "data" / "ics-gatherings" / "town-hall.ics"
ME = frozenset({"pat@example.org"})
WINDOW = {"window_start": datetime(2025, 1, 1), "window_end": datetime(2026, 1, 1)}


def parse(max_attendees: int | None) -> list[Record]:
    return list(parse_ics(FILE.read_bytes(), FILE.name, me=ME, max_attendees=max_attendees, **WINDOW))


def test_golden_with_the_import_cap() -> None:
    _check_golden(parse(15), HERE / "golden" / "ics-gatherings" / "town-hall.json")


def test_more_than_the_cap_is_a_gathering_with_every_attendee() -> None:
    records = parse(15)
    gatherings = [r for r in records if isinstance(r, GatheringRecord)]
    meetings = [r for r in records if isinstance(r, InteractionRecord)]
    town_hall = next(g for g in gatherings if g.title == "Q3 town hall")
    assert len(town_hall.attendees) == 104  # the organizer and 103 staff; not the user, not the room
    assert town_hall.location == "Auditorium / Teams" and town_hall.ends_at == datetime(2025, 9, 18, 17)
    assert town_hall.starts_at == datetime(2025, 9, 18, 16)
    assert "pat@example.org" not in {a.email for a in town_hall.attendees}
    staff = [g for g in gatherings if g.title == "Weekly staff meeting"]
    assert len(staff) == 3 and all(len(g.attendees) == 16 for g in staff)  # each occurrence, 16 > 15
    assert len({g.external_id for g in staff}) == 3  # the ids of occurrences, as for meetings
    assert sorted(m.summary for m in meetings) == ["Lunch", "Planning offsite"]  # 2 and exactly 15 others
    assert len(next(m for m in meetings if m.summary == "Planning offsite").participants) == 15


def test_without_a_cap_everyone_is_a_touch() -> None:
    records = parse(None)
    assert not [r for r in records if isinstance(r, GatheringRecord)]
    town_hall = next(r for r in records if isinstance(r, InteractionRecord) and r.summary == "Q3 town hall")
    assert len(town_hall.participants) == 104


def test_the_same_ids_whichever_way_it_is_read() -> None:
    """A meeting that grows past the cap keeps its id, so re-imports and `event import` find the same event."""
    capped = {r.external_id for r in parse(15) if isinstance(r, GatheringRecord | InteractionRecord)}
    uncapped = {r.external_id for r in parse(None) if isinstance(r, InteractionRecord)}
    assert capped == uncapped
