"""The values of iCalendar properties as `ingest.ics` reads them: start times in naive UTC, repeat rules it can
follow, texts and parameters, whatever shape the library hands them over in (a list, a broken value)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from icalendar.cal.component import Component
from icalendar.prop import vBroken

_TOO_FREQUENT = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})  # no meeting repeats so often; such rules only cost time
_RULE_LABELS = {
    "RRULE": "repeat rule (RRULE)",
    "RDATE": "extra dates (RDATE)",
    "EXDATE": "excluded dates (EXDATE)",
    "RECURRENCE-ID": "changed occurrence (RECURRENCE-ID)",
}


def _start_of(event: Component) -> tuple[datetime | None, str]:
    """Return the event's DTSTART in naive UTC, or None and why it cannot be read."""
    prop = event.get("DTSTART")
    if prop is None:
        return None, "the event has no start time (DTSTART)"
    if isinstance(prop, list):
        return None, "the event has more than one start time (DTSTART)"
    if isinstance(prop, vBroken):
        return None, f"the start time (DTSTART) cannot be read: {str(prop)!r}"
    value = _value(prop)
    if not isinstance(value, date):  # a datetime is a date too
        return None, "the start time (DTSTART) is not a date or a date and time"
    start = _as_utc_moment(value)
    if start is None:
        return (
            None,
            f"the start time (DTSTART) {value.isoformat()} cannot be converted to UTC (too close to year 1 or 9999)",
        )
    return start, ""


def _drop_unusable_end(event: Component) -> None:
    """Remove an end (DTEND, DURATION) that is unreadable or before the start, so the library cannot trip on it.

    Only the start of a meeting matters here, and a bad end must not lose a whole series.
    """
    start = _start_of(event)[0]
    end = event.get("DTEND")
    end_moment = _as_utc_moment(_value(end))
    if isinstance(end, list | vBroken) or (end_moment is not None and start is not None and end_moment < start):
        del event["DTEND"]
    duration = event.get("DURATION")
    length = _value(duration)
    if isinstance(duration, list | vBroken) or (isinstance(length, timedelta) and length < timedelta(0)):
        del event["DURATION"]


def _rule_problem(event: Component) -> str:
    """Return why the event's repetition cannot be followed, or "" when it can."""
    for key, label in _RULE_LABELS.items():
        for prop in _as_list(event.get(key)):
            if isinstance(prop, vBroken):
                return f"its {label} cannot be read: {str(prop)!r}"
            moments = [getattr(item, "dt", None) for item in getattr(prop, "dts", [])]
            if any(isinstance(moment, time) for moment in moments):
                return f"a value of its {label} is a time of day without a date"
    for rule in _as_list(event.get("RRULE")):
        frequencies = rule.get("FREQ") if isinstance(rule, dict) else None
        frequency = str(_as_list(frequencies)[0]).upper() if _as_list(frequencies) else ""
        if frequency in _TOO_FREQUENT:
            return f"it repeats every {frequency.removesuffix('LY').lower()} (RRULE FREQ={frequency}): not a meeting"
    return ""


def _value(prop: Any) -> Any:
    """Return the date or datetime inside a parsed property, or None."""
    if prop is None or isinstance(prop, (list, vBroken)):
        return None
    return getattr(prop, "dt", None)


def _as_utc_moment(value: Any) -> datetime | None:
    """Return a date or datetime as a naive UTC datetime (a date: noon UTC that day), or None."""
    if isinstance(value, datetime):
        try:
            return _as_naive_utc(value)
        except (OverflowError, ValueError):  # a moment outside the years Python can hold once converted
            return None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, 12)
    return None


def _as_naive_utc(moment: datetime) -> datetime:
    """Return the moment in naive UTC; a naive (floating) moment is taken to be UTC already."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=None)
    return moment.astimezone(UTC).replace(tzinfo=None)


def _text(component: Component, key: str) -> str:
    """Return a text property stripped ("" when absent; the first when repeated)."""
    values = _as_list(component.get(key))
    return str(values[0]).strip() if values else ""


# Conferencing boilerplate in event descriptions: not what anyone said. A line of it is dropped; Google's and
# Teams's separators start a block of it that runs to the end.
_JOIN_BLOCK = re.compile(r"^\s*(?:-::~[:~]*|_{20,}|Join (?:Zoom|Microsoft Teams|with Google Meet)\b)", re.IGNORECASE)
_JOIN_LINE = re.compile(
    r"https?://|\b(?:meeting id|passcode|password|dial[- ]?in|one tap mobile|join by phone|phone numbers?"
    r"|pin:|conference id|find your local number|invitation from google calendar)\b",
    re.IGNORECASE,
)
MAX_DESCRIPTION = 4000  # kept of a description: notes and agendas are shorter; longer ones are pasted documents


def _description(event: Component) -> str:
    """Return an event's DESCRIPTION as notes: the conferencing boilerplate (links, dial-ins) left out, capped."""
    kept: list[str] = []
    for line in _text(event, "DESCRIPTION").replace("\r\n", "\n").split("\n"):
        if _JOIN_BLOCK.match(line):
            break
        if not _JOIN_LINE.search(line):
            kept.append(line.strip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return text if len(text) <= MAX_DESCRIPTION else text[:MAX_DESCRIPTION].rstrip() + "…"


def _param(params: Any, key: str, default: str) -> str:
    """Return a property parameter as stripped text (the first of a list)."""
    value = params.get(key) if hasattr(params, "get") else None
    values = _as_list(value)
    return str(values[0]).strip() if values else default


def _sequence(event: Component) -> int:
    """Return the event's SEQUENCE (its revision number), 0 when absent or unreadable."""
    try:
        return int(str(_as_list(event.get("SEQUENCE"))[0]))
    except (IndexError, ValueError):
        return 0


def _as_list(value: Any) -> list[Any]:
    """Return a property value that may be absent, single or repeated as a list."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def _say(exc: Exception) -> str:
    """Return an exception as one short line for a person."""
    message = " ".join(str(exc).split())
    if len(message) > 160:
        message = message[:157] + "..."
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
