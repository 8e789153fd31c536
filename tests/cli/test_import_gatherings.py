"""`import ics` with an all-hands in it: kept as an event, not as a hundred relationships, and the report says so."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text

from givefirst.store.database import database_url
from tests.cli.test_user_story import ok
from tests.conftest import Cli

CALENDAR = Path(__file__).resolve().parents[1] / "ingest" / "data" / "ics-gatherings" / "town-hall.ics"
ME = "pat@example.org"


def rows(db: str, query: str) -> list[tuple[object, ...]]:
    engine = create_engine(database_url(db))
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(query))]
    finally:
        engine.dispose()


def test_an_all_hands_is_an_event_not_a_hundred_ties(cli: Cli, db_url: str) -> None:
    dry = ok(cli("import", "ics", str(CALENDAR), "--me", ME, "--dry-run"))
    assert "'Q3 town hall' (104 invitees) kept as an event, not as 104 touches" in dry.out
    assert rows(db_url, "SELECT count(*) FROM events") == [(0,)]

    first = ok(cli("import", "ics", str(CALENDAR), "--me", ME))
    # the lunch and the 15-person offsite are meetings: their 15 people are ties; the CEO, only ever at
    # the all-hands and the staff meetings, is not
    assert "15 added" in first.out and "2 added" in first.out  # people; interactions
    assert "1 × imported, but 'Q3 town hall' (104 invitees) kept as an event, not as 104 touches" in first.out
    assert "3 × imported, but 'Weekly staff meeting' (16 invitees) kept as an event" in first.out
    people = json.loads(ok(cli("people", "--json")).out)
    assert len(people) == 15 and "Dana Whitfield" not in {p["name"] for p in people}

    events = rows(db_url, "SELECT title, location FROM events ORDER BY starts_at")
    assert events == [("Weekly staff meeting", None)] * 3 + [("Q3 town hall", "Auditorium / Teams")]
    linked = rows(db_url, "SELECT e.title, count(*) FROM event_people p JOIN events e ON e.id = p.event_id "
                          "WHERE p.status = 'expected' GROUP BY e.title ORDER BY e.title")  # fmt: skip
    assert linked == [("Q3 town hall", 15), ("Weekly staff meeting", 45)]  # the people known, at each

    again = json.loads(ok(cli("import", "ics", str(CALENDAR), "--me", ME, "--json")).out)
    assert again["totals"]["events updated"] == 4 and "events added" not in again["totals"]
    assert again["totals"].get("added", 0) == 0 and again["totals"]["interactions unchanged"] == 2
    assert rows(db_url, "SELECT count(*) FROM events") == [(4,)]
