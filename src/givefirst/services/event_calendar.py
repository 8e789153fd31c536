"""One event as an iCalendar file, for "Add to calendar": the user's own copy of the event, nobody invited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from givefirst.services.context import App
from givefirst.services.events import event_row
from givefirst.services.export import PRODID


def event_ics(app: App, event_id: int) -> tuple[str, bytes]:
    """Return (a file name, the .ics bytes) of one event: its time, place and a link to its prep sheet.

    No attendees are written: the file is for the user's own calendar, and a calendar that saw attendees might
    offer to invite them. Times are written as they were recorded (floating local times).
    """
    from icalendar import Calendar, Event

    with app.begin() as conn:
        row = event_row(conn, event_id)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    item = Event()
    item.add("uid", f"event-{event_id}@givefirst")
    item.add("dtstamp", datetime.now(UTC).replace(microsecond=0))
    item.add("summary", str(row.title))
    item.add("dtstart", row.starts_at)
    item.add("dtend", row.ends_at or row.starts_at + timedelta(hours=2))
    if row.location:
        item.add("location", str(row.location))
    item.add("description", f"Prep sheet: givefirst event prep {event_id}")
    calendar.add_component(item)
    safe = "".join(c if c.isalnum() else "-" for c in str(row.title).lower()).strip("-")[:60] or "event"
    return f"{safe}.ics", calendar.to_ical()
