"""Large meetings from a calendar import: kept as events, not as a touch with every person invited.

A 100-person all-hands is not 100 relationships. `ingest.ics` hands over a meeting with more than
`ImportOptions.max_attendees` other people as a GatheringRecord; this keeps it as an event (the same row
`givefirst event import` makes of the same UID) with the people already known linked as expected there, and
says so in the import report. Nobody becomes a new person from it, and no tie grows stronger.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection

from givefirst.ingest.records import GatheringRecord
from givefirst.services.importer_writer import Tally
from givefirst.store import events as events_store
from givefirst.store import people as people_store


def gathering_note(record: GatheringRecord) -> str:
    """The report's line about one large meeting (the same for each occurrence, so a series counts as one)."""
    n = len(record.attendees)
    return f"{record.title!r} ({n} invitees) kept as an event, not as {n} touches: a gathering is not {n} ties"


def keep_as_events(conn: Connection, records: Iterable[GatheringRecord], tally: Tally, now: datetime) -> None:
    """Write each large meeting as an event (once per UID and occurrence), linking the attendees already known."""
    me = people_store.me_id(conn)
    for rec in records:
        values = {"title": rec.title[:300], "starts_at": rec.starts_at, "ends_at": rec.ends_at,
                  "location": (rec.location or "")[:200] or None}  # fmt: skip
        event_id = events_store.event_by_external(conn, rec.source, rec.external_id)
        if event_id is not None:
            events_store.update_event(conn, event_id, values)  # its people keep what the user made of them
            tally.counts["events updated"] += 1
            continue
        event_id = events_store.add_event(
            conn, {**values, "source": rec.source, "external_id": rec.external_id, "created_at": now}
        )
        tally.counts["events added"] += 1
        known = {pid for who in rec.attendees if who.email
                 and (pid := people_store.person_by_identity(conn, "email", who.email)) is not None}  # fmt: skip
        for pid in sorted(known - {me}):
            events_store.set_event_person(conn, event_id, pid, "expected")
        tally.counts["event attendees linked"] += len(known - {me})
