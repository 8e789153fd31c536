"""The values of iCalendar properties as `ingest.ics` reads them: start times in naive UTC, repeat rules it can
follow, texts and parameters, whatever shape the library hands them over in (a list, a broken value), time
zones the library does not know (Outlook's display names, a TZID without its VTIMEZONE), and the reasons a
file cannot be read, in words."""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any

from icalendar.cal.component import Component
from icalendar.prop import vBroken

try:  # CLDR's Windows zone ids ("W. Europe Standard Time") to Olson names, as the library keeps them
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
except ImportError:  # pragma: no cover - older icalendar: it still knows the ids itself
    WINDOWS_TO_OLSON = {}

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


# --- time zones the library does not know ---------------------------------------------------------------------

_ZONED = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")  # the date-times a TZID applies to
# Outlook writes a zone's display name as its TZID: "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"
_DISPLAY_NAME = re.compile(r"^\(\s*(?:UTC|GMT)\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?\s*\)\s*(.*)$", re.IGNORECASE)


def _place_in_zones(event: Component) -> tuple[list[str], list[tzinfo]]:
    """Give the date-times whose TZID the library did not know the zone it stands for; return notes and zones.

    The library leaves such a time floating (naive). Here a Windows zone id or display name becomes its Olson
    zone; what cannot be placed surely is read at the offset its display name gives, else as UTC, and comes
    back as a note naming the TZID (one per TZID) for the import report. The zones given are returned too.
    """
    notes: list[str] = []
    zones: list[tzinfo] = []
    for key in _ZONED:
        for prop in _as_list(event.get(key)):
            if isinstance(prop, vBroken) or not hasattr(prop, "params"):
                continue
            tzid = _param(prop.params, "TZID", "")
            items = getattr(prop, "dts", None) or [prop]
            naive = [
                moment for item in items for moment in _moments(getattr(item, "dt", None)) if moment.tzinfo is None
            ]
            if not tzid or not naive:
                continue
            zone, note = _zone_for(tzid, naive[0].year)
            if note and note not in notes:
                notes.append(note)
            if zone not in zones:
                zones.append(zone)
            for item in items:
                item.dt = _in_zone(item.dt, zone)
    return notes, zones


def _moments(value: Any) -> list[datetime]:
    """Return the date-times in a value: itself, or those of a period (start, end or duration)."""
    values = value if isinstance(value, tuple) else (value,)
    return [one for one in values if isinstance(one, datetime)]


def _in_zone(value: Any, zone: tzinfo) -> Any:
    """Return the value with its floating date-times placed in the zone (a period: each of its ends)."""
    if isinstance(value, tuple):
        return tuple(_in_zone(one, zone) for one in value)
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value


@lru_cache(maxsize=256)
def _zone_for(tzid: str, year: int) -> tuple[tzinfo, str]:
    """Return the zone an unknown TZID stands for, and a note when that zone is a guess ("" when it is sure)."""
    cleaned = tzid.strip().strip('"').strip()
    for name in (WINDOWS_TO_OLSON.get(cleaned), cleaned):
        if name and "/" in name:
            try:
                return zoneinfo.ZoneInfo(name), ""
            except (ValueError, KeyError, OSError):  # not a zone name (ZoneInfoNotFoundError is a KeyError)
                pass
    shown = cleaned if len(cleaned) <= 80 else cleaned[:77] + "..."
    label = _DISPLAY_NAME.match(cleaned)
    if label is None:
        return UTC, (
            f"its time zone {shown!r} is unknown (no VTIMEZONE in the file describes it): its times were read "
            "as UTC and may be hours off"
        )
    sign, hours, minutes, places = label.groups()
    offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0)) * (-1 if sign == "-" else 1)
    if abs(offset) > timedelta(hours=14):  # no zone on Earth is further from UTC
        return UTC, f"its time zone {shown!r} is not a real one: its times were read as UTC and may be hours off"
    for place in re.split(r",|&|\band\b", places):
        for name in _zones_by_place().get(place.strip().replace(" ", "_").lower(), ()):
            zone = zoneinfo.ZoneInfo(name)
            if offset in {datetime(year, month, 15, tzinfo=zone).utcoffset() for month in (1, 7)}:
                return zone, ""  # "(UTC+01:00) Amsterdam, ..." is Europe/Amsterdam
    if offset == timedelta(0) and "coordinated universal time" in places.lower():
        return UTC, ""
    stated = f"UTC{'-' if offset < timedelta(0) else '+'}{abs(offset) // timedelta(hours=1):02d}:" + (
        f"{abs(offset) % timedelta(hours=1) // timedelta(minutes=1):02d}"
    )
    return timezone(offset), (
        f"its time zone {shown!r} is not one this program can place: its times were read at {stated} all year "
        "and may be an hour off in summer time"
    )


@lru_cache(maxsize=1)
def _zones_by_place() -> dict[str, tuple[str, ...]]:
    """Return the Olson zones by the lower-cased last part of their name ("amsterdam": ("Europe/Amsterdam",))."""
    found: dict[str, list[str]] = {}
    for name in sorted(zoneinfo.available_timezones()):
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/")):
            found.setdefault(name.rsplit("/", 1)[1].lower(), []).append(name)
    return {place: tuple(names) for place, names in found.items()}


# --- why a file cannot be read ----------------------------------------------------------------------------------

# Python's own words for a slip inside a library: they say nothing to a person about their file
_INTERNAL = re.compile(
    r"values to unpack|object has no attribute|not subscriptable|not iterable|unsupported operand|out of range"
    r"|invalid literal for|takes \d+ positional|unhashable|NoneType",
    re.IGNORECASE,
)
_NEWLINES = re.compile(r"\r?\n")


def _unreadable(text: str, exc: Exception) -> str:
    """Return why the library could not read the file, in words: "a line could not be read: line N ...".

    The line is the one the library was reading when it failed, or else the first holding a stray control
    character; without either, what the library said (never Python's own message).
    """
    message = " ".join(str(exc).split())
    internal = not isinstance(exc, ValueError) or not message or bool(_INTERNAL.search(message))
    failing = _failing_line(exc) or ""
    number = _line_number(text, failing) if failing else None
    # BEGIN: or END: failing means what it opens or closes could not be read (a VTIMEZONE, built at its END)
    whole = failing.upper().startswith(("BEGIN:", "END:"))
    if number is not None and not internal and not whole:
        why = "it is not NAME:VALUE" if ":" not in failing else _short(message)
        return f"a line could not be read: line {number} ({why}): {_shown(failing)}"
    stray = _stray_character(text)
    if stray is not None:
        number, line, what = stray
        return f"a line could not be read: line {number} holds {what}: {_shown(line)}"
    if number is not None and whole:
        component = failing.partition(":")[2].strip().upper()[:40]
        return f"the {component} ending on line {number} could not be read" + ("" if internal else f" ({message})")
    if number is not None:
        return f"a line could not be read: line {number}: {_shown(failing)}"
    return "its content could not be read" if internal else _short(message)


def _failing_line(exc: BaseException) -> str | None:
    """Return the content line the library was parsing when it raised, if its traceback shows one."""
    found: str | None = None
    seen: set[int] = set()
    error: BaseException | None = exc
    while error is not None and id(error) not in seen:  # the error, then the one it was raised from or during
        seen.add(id(error))
        trace = error.__traceback__
        while trace is not None:
            line = (
                trace.tb_frame.f_locals.get("line") if trace.tb_frame.f_code.co_name == "parse_content_lines" else None
            )
            if isinstance(line, str) and line:
                found = str(line)
            trace = trace.tb_next
        if found is not None:
            return found
        error = error.__cause__ or error.__context__
    return None


def _line_number(text: str, content_line: str) -> int | None:
    """Return the number of the file's line where a content line (long lines unfolded) starts, or None."""
    for number, joined in _logical_lines(text):
        if joined == content_line:
            return number
    return None


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Return each content line of the text, unfolded, with the number of the line it starts on."""
    lines: list[tuple[int, str]] = []
    for number, physical in enumerate(_NEWLINES.split(text), 1):
        if physical[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + physical[1:])
        elif physical:
            lines.append((number, physical))
    return lines


def _stray_character(text: str) -> tuple[int, str, str] | None:
    """Return the first line holding a control character (a lone carriage return, a form feed), and which."""
    for number, physical in enumerate(_NEWLINES.split(text), 1):
        if "\r" in physical:
            return number, physical, "a carriage return (CR) that does not end it"
        for character in physical:
            if (ord(character) < 32 and character != "\t") or character in "\x7f\x85\u2028\u2029":
                return number, physical, f"a control character (U+{ord(character):04X})"
    return None


def _shown(line: str) -> str:
    """Return a line of the file as it can be shown: quoted, its control characters escaped, cut when long."""
    return repr(line if len(line) <= 70 else line[:67] + "...")


def _short(message: str) -> str:
    return message if len(message) <= 160 else message[:157] + "..."
