"""Event mode: an event's prep sheet cut down to what fits a phone screen while you are in the room.

The same facts and reasons as the prep sheet (`event_triage.prep_sheet`), one line per person: who is here and
who is still expected, the few people you can help there and how, who there can help your open needs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from givefirst.services.context import App
from givefirst.services.event_triage import prep_sheet
from givefirst.store import events as store

FEW = 5  # people shown under "you can help" and "can help you"; the rest are counted, not listed
PRESENT = ("here", "met")  # event_people statuses of someone in the room
LIVE_BEFORE, LIVE_AFTER = timedelta(hours=6), timedelta(days=30)  # the event /live opens: on now, or next


def live_view(app: App, event_id: int) -> dict[str, Any]:
    """Return event mode for one event (see the module's docstring)."""
    sheet = prep_sheet(app, event_id)
    people = sheet["people"]

    def brief(p: dict[str, Any], line: str | None = None) -> dict[str, Any]:
        return {"id": p["id"], "name": p["name"], "organization": p["organization"], "status": p["status"],
                "here": p["status"] in PRESENT, "line": line}  # fmt: skip

    helpable = [p for p in people if p["you_can_help"]]
    helpers = [p for p in people if p["for_you"]]
    return {
        "event": {**sheet["event"], "when": day_and_time(sheet["event"]["starts_at"], app.now)},
        "why_go": [r for r in sheet["why_go"] if not r.startswith(" ")][:3],  # the headlines; details are below
        "help": [brief(p, p["you_can_help"][0]) for p in helpable[:FEW]],
        "help_more": max(0, len(helpable) - FEW),
        "helps_you": [brief(p, p["for_you"][0]) for p in helpers[:FEW]],
        "helps_you_more": max(0, len(helpers) - FEW),
        "introductions": sheet["introductions"][:3],
        "here": [brief(p) for p in people if p["status"] in PRESENT],
        "expected": [brief(p) for p in people if p["status"] not in PRESENT],
    }


def day_and_time(starts_at: str, now: datetime) -> str:
    """When an event is, as a phone shows it: "today 18:00", "tomorrow 09:30", "Wed 9 Dec 18:00" (with the year
    when it is not this one) — event mode opens on the next event, which may be days away."""
    at = datetime.fromisoformat(starts_at)
    days = (at.date() - now.date()).days
    if days == 0:
        day = "today"
    elif days == 1:
        day = "tomorrow"
    elif days == -1:
        day = "yesterday"
    else:
        day = f"{at:%a} {at.day} {at:%b}" + (f" {at.year}" if at.year != now.year else "")
    return f"{day} {at:%H:%M}"


def current_event(app: App) -> int | None:
    """Return the id of the event on now (started in the last hours) or else the next one, None if none."""
    with app.begin() as conn:
        rows = store.event_rows(conn, start=app.now - LIVE_BEFORE, end=app.now + LIVE_AFTER)
    return int(rows[0].id) if rows else None
