"""iCalendar (.ics) files: every meeting the user had with other people becomes an interaction.

Each VEVENT is read with `icalendar`; repeating events are expanded with `recurring-ical-events` inside the
import window. What is not a meeting with someone else — a cancelled or declined event, a personal event
with nobody else on it — comes back as a ParseIssue, so the import report can count it.

Decisions a service relies on:

- The window applies to every event, repeating or not: only occurrences that start in
  [window_start, window_end) are read; the others are skipped silently (they are not errors).
- external_id is the UID for a single event and "<UID>@<original start>" for one occurrence of a repeating
  event, the original start being its RECURRENCE-ID in naive UTC ISO form (so moving one occurrence keeps its
  id). An event without UID uses "<file name>#<position of the VEVENT in the file>" in place of the UID.
- Times: TZID with a VTIMEZONE, an Olson or Windows zone name, or UTC are converted to naive UTC; floating
  times and unknown zones are read as UTC (X-WR-TIMEZONE, Google's calendar-wide zone, is honoured); an
  all-day event (a DATE) happens at noon UTC that day.
- People are the ORGANIZER and ATTENDEEs other than the user (addresses in `me`), with a valid email from a
  mailto: address and/or a name from CN. Rooms, resources, groups (CUTYPE) and Google calendar addresses are
  not people and are left out.
- A meeting with more than `max_attendees` other people (an all-hands, a webinar) is not a touch with each of
  them: it comes back as a GatheringRecord, every attendee kept on it, for the service to keep as an event.
"""

from __future__ import annotations

import codecs
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import icalendar
import recurring_ical_events
import x_wr_timezone
from icalendar.cal.component import Component
from icalendar.prop import vBroken

from givefirst.domain.model import Direction, InteractionKind
from givefirst.errors import InvalidInputError
from givefirst.ingest.ics_values import (
    _as_list,
    _as_naive_utc,
    _as_utc_moment,
    _description,
    _drop_unusable_end,
    _param,
    _rule_problem,
    _say,
    _sequence,
    _start_of,
    _text,
    _value,
)
from givefirst.ingest.identity import normalize_email
from givefirst.ingest.records import (
    GatheringRecord,
    InteractionRecord,
    ParseIssue,
    Participant,
    Record,
    UnreadableFileError,
)

SOURCE = "ics"
MAX_OCCURRENCES = 10_000  # per repeating event inside the window: about 27 years of a daily meeting
_CHUNK = timedelta(days=366)  # repeating events are expanded a year at a time, so the work stays bounded
_MARGIN = timedelta(days=1)  # asked of the library on both sides of a chunk; we filter by start ourselves
_NOT_PEOPLE = frozenset({"ROOM", "RESOURCE", "GROUP"})  # CUTYPE values that are not a person to know

CANCELLED = "cancelled (STATUS:CANCELLED): the meeting did not take place"
CANCELLED_BY_METHOD = "cancelled (METHOD:CANCEL): the file cancels this meeting"
DECLINED = "declined by you (PARTSTAT=DECLINED): not a meeting you had"
PERSONAL = "no other attendees (a personal event)"


@dataclass
class _Series:
    """The VEVENTs of one file that share a UID (an event, its changed occurrences), or one without UID."""

    label: str  # the UID, or the position of the VEVENT in the file when it has none
    uid: str | None
    events: list[Component] = field(default_factory=list)
    cancelled: bool = False  # one of its calendars says METHOD:CANCEL


@dataclass(frozen=True)
class _Context:
    """What every event of one file is read against: the file name, the user's addresses, the window."""

    name: str
    me: frozenset[str]
    window_start: datetime
    window_end: datetime
    max_attendees: int | None = None  # more other people than this: a gathering, not a meeting


def parse_ics(
    data: bytes,
    name: str,
    *,
    me: frozenset[str],
    window_start: datetime,
    window_end: datetime,
    max_attendees: int | None = None,
) -> Iterator[Record]:
    """Return the records of one .ics file: an InteractionRecord per meeting, a ParseIssue per other event.

    A meeting with more than `max_attendees` other people is a GatheringRecord instead (None: no limit).
    Raises UnreadableFileError at once (before any record) when the file is not an iCalendar file.
    """
    components = _read(data, name)
    context = _Context(
        name=name,
        me=frozenset(address.strip().lower() for address in me),
        window_start=_as_naive_utc(window_start),
        window_end=_as_naive_utc(window_end),
        max_attendees=max_attendees,
    )
    return _records(_series_of(components), context)


def parse_ics_folder(
    files: Iterable[tuple[str, bytes]], *, me: frozenset[str], window_start: datetime, window_end: datetime
) -> Iterator[Record]:
    """Return the records of every .ics file among (name, bytes) pairs; other names are ignored.

    A file that cannot be read at all becomes one ParseIssue (origin: its name) and the others still import.
    """
    for name, data in files:
        if not name.lower().endswith(".ics"):
            continue
        try:
            records = parse_ics(data, name, me=me, window_start=window_start, window_end=window_end)
        except UnreadableFileError as exc:
            reason = str(exc).removeprefix(f"{name}: ")
            yield ParseIssue(origin=name, reason=f"the whole file was skipped: {reason}")
            continue
        yield from records


# --- reading the file -------------------------------------------------------------------------------------


def _read(data: bytes, name: str) -> list[Component]:
    """Return the top-level VCALENDAR and VEVENT components of the file, or raise UnreadableFileError."""
    text = _decode(data, name)
    if not text.lstrip().upper().startswith("BEGIN:"):
        raise UnreadableFileError(f"{name}: not an iCalendar file (it does not start with BEGIN:VCALENDAR)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. "globally unique TZID guessed": noise for the user
        try:
            components = icalendar.Calendar.from_ical(text, multiple=True)
        except Exception as exc:  # the library raises many kinds; all mean the same to the user
            raise UnreadableFileError(f"{name}: not a readable iCalendar file ({_say(exc)})") from None
    wanted: list[Component] = [component for component in components if component.name in ("VCALENDAR", "VEVENT")]
    if wanted:
        return wanted
    if not components:
        raise UnreadableFileError(f"{name}: the calendar is incomplete (no END:VCALENDAR); the file may be cut short")
    found = ", ".join(sorted({str(component.name) for component in components}))
    raise UnreadableFileError(f"{name}: not an iCalendar file (it holds {found}, no VCALENDAR)")


def _decode(data: bytes, name: str) -> str:
    """Return the file's text: UTF-8 (the standard), UTF-16 with a byte-order mark, or legacy Windows-1252."""
    if not data.strip():
        raise UnreadableFileError(f"{name}: the file is empty")
    boms = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
    text: str | None = None
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise UnreadableFileError(f"{name}: not valid {encoding} text despite its byte-order mark") from None
            break
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                # old Outlook exports are Windows-1252; it leaves five byte values undefined, so binary fails here
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise UnreadableFileError(f"{name}: not text in a known encoding (UTF-8 or Windows-1252)") from None
    if "\x00" in text:
        raise UnreadableFileError(f"{name}: not a text file (it holds NUL bytes)")
    return text


def _series_of(components: list[Component]) -> list[_Series]:
    """Return the VEVENTs of the file grouped by UID, in file order."""
    series: dict[str, _Series] = {}
    position = 0
    for component in components:
        cancelled = False
        if component.name == "VCALENDAR":
            cancelled = _text(component, "METHOD").upper() == "CANCEL"
            events = [sub for sub in _standard(component).subcomponents if sub.name == "VEVENT"]
        else:
            events = [component]  # a bare VEVENT, as some tools save a single event
        for event in events:
            position += 1
            uid = _text(event, "UID") or None
            key = f"UID:{uid}" if uid else f"#{position}"
            group = series.setdefault(key, _Series(label=uid or str(position), uid=uid))
            group.events.append(event)
            group.cancelled = group.cancelled or cancelled
    return list(series.values())


def _standard(calendar: Component) -> Component:
    """Return the calendar with Google's X-WR-TIMEZONE applied to its floating times (or as it is)."""
    if calendar.get("X-WR-TIMEZONE") is None:
        return calendar
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            standard: Component = x_wr_timezone.to_standard(calendar)
    except Exception:  # a broken calendar: read its times as they are written
        return calendar
    return standard


# --- events to records ------------------------------------------------------------------------------------


def _records(series: list[_Series], context: _Context) -> Iterator[Record]:
    """Return the records of every series, one series at a time."""
    for one in series:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            read = _repeating_records if _repeats(one.events) else _single_records
            records = read(one, context)
        yield from records


def _repeats(events: list[Component]) -> bool:
    """Return whether the events form a repeating series (a rule, extra dates or changed occurrences)."""
    return any(event.get(key) is not None for event in events for key in ("RRULE", "RDATE", "RECURRENCE-ID"))


def _single_records(series: _Series, context: _Context) -> list[Record]:
    """Return the record (or issue) of an event that happens once."""
    origin = f"{context.name}#{series.label}"
    issues: list[Record] = []
    # the same event saved twice (two exports merged): the latest version wins, as calendar programs do
    _, event = max(enumerate(series.events), key=lambda pair: (_sequence(pair[1]), pair[0]))
    if len(series.events) > 1:
        others = len(series.events) - 1
        copies = "copy" if others == 1 else "copies"
        issues.append(ParseIssue(origin, f"{others} older {copies} of this event (same UID) ignored"))
    start, problem = _start_of(event)
    if start is None:
        return [*issues, ParseIssue(origin, problem)]
    if not context.window_start <= start < context.window_end:
        return issues
    outcome = _people_or_reason(event, series.cancelled, context.me)
    if isinstance(outcome, str):
        return [*issues, ParseIssue(origin, outcome)]
    external_id = series.uid or f"{context.name}#{series.label}"
    return [*issues, _meeting(event, external_id, origin, start, outcome, context)]


def _repeating_records(series: _Series, context: _Context) -> list[Record]:
    """Return the records of each occurrence of a repeating event in the window, and one issue per reason."""
    origin = f"{context.name}#{series.label}"
    issues: list[Record] = []
    calendar = icalendar.Calendar()
    for event in series.events:
        problem = _start_of(event)[1] or _rule_problem(event)
        if problem:
            which = "a changed occurrence: " if event.get("RECURRENCE-ID") is not None else ""
            issues.append(ParseIssue(origin, which + problem))
            continue
        _drop_unusable_end(event)
        calendar.add_component(event)
    if not calendar.subcomponents:
        return issues
    try:
        occurrences, capped = _occurrences(calendar, context.window_start, context.window_end)
    except Exception as exc:  # the library's errors for rules it cannot follow, of many kinds
        return [*issues, ParseIssue(origin, f"the repetition of this event cannot be worked out ({_say(exc)})")]
    base_id = series.uid or f"{context.name}#{series.label}"
    records: list[Record] = []
    reasons: Counter[str] = Counter()
    for start, original_start, component in occurrences:
        outcome = _people_or_reason(component, series.cancelled, context.me)
        if isinstance(outcome, str):
            reasons[outcome] += 1
            continue
        external_id = f"{base_id}@{original_start.isoformat()}"
        records.append(_meeting(component, external_id, origin, start, outcome, context))
    for reason, count in reasons.items():
        issues.append(ParseIssue(origin, reason if count == 1 else f"{reason} ({count} occurrences)"))
    if capped:
        issues.append(
            ParseIssue(
                origin,
                f"the event repeats more than {MAX_OCCURRENCES} times in the import window; only the first "
                f"{MAX_OCCURRENCES} occurrences were read (narrow the window to import the rest)",
            )
        )
    return [*records, *issues]


def _occurrences(
    calendar: Component, window_start: datetime, window_end: datetime
) -> tuple[list[tuple[datetime, datetime, Component]], bool]:
    """Return (start, original start, component) of each occurrence starting in the window, and whether capped."""
    query = recurring_ical_events.of(calendar)
    first = min(start for event in calendar.subcomponents if (start := _start_of(event)[0]) is not None)
    found: dict[datetime, tuple[datetime, datetime, Component]] = {}
    # nothing happens long before the first start (extra dates before DTSTART are rare; a year's slack covers them)
    chunk_start = max(window_start, first - _CHUNK)
    while chunk_start < window_end and len(found) <= MAX_OCCURRENCES:
        chunk_end = min(chunk_start + _CHUNK, window_end)
        span = ((chunk_start - _MARGIN).replace(tzinfo=UTC), (chunk_end + _MARGIN).replace(tzinfo=UTC))
        for component in query.between(*span):
            start = _start_of(component)[0]
            if start is None or not chunk_start <= start < chunk_end:
                continue
            original = _as_utc_moment(_value(component.get("RECURRENCE-ID"))) or start
            found.setdefault(original, (start, original, component))
        chunk_start = chunk_end
    ordered = sorted(found.values(), key=lambda item: (item[0], item[1]))
    return ordered[:MAX_OCCURRENCES], len(ordered) > MAX_OCCURRENCES


def _meeting(
    event: Component, external_id: str, origin: str, start: datetime, people: tuple[Participant, ...], context: _Context
) -> InteractionRecord | GatheringRecord:
    """Return the meeting record of one event or occurrence: a touch with each person, or a gathering."""
    if context.max_attendees is not None and len(people) > context.max_attendees:
        end = _as_utc_moment(_value(event.get("DTEND")))
        return GatheringRecord(
            source=SOURCE, external_id=external_id, origin=origin, starts_at=start,
            ends_at=end if end is not None and end >= start else None,
            title=_text(event, "SUMMARY") or "(untitled meeting)", location=_text(event, "LOCATION") or None,
            attendees=people,
        )  # fmt: skip
    return InteractionRecord(
        source=SOURCE,
        external_id=external_id,
        origin=origin,
        occurred_at=start,
        kind=InteractionKind.MEETING.value,
        direction=Direction.MUTUAL.value,
        participants=people,
        summary=_text(event, "SUMMARY"),
        details=_description(event),
    )


def _people_or_reason(event: Component, cancelled: bool, me: frozenset[str]) -> tuple[Participant, ...] | str:
    """Return the other people at a meeting, or why the event is not a meeting with anyone."""
    if cancelled:
        return CANCELLED_BY_METHOD
    if _text(event, "STATUS").upper() == "CANCELLED":
        return CANCELLED
    people: dict[str, Participant] = {}
    declined = False
    addresses = [(prop, False) for prop in _as_list(event.get("ORGANIZER"))]
    addresses += [(prop, True) for prop in _as_list(event.get("ATTENDEE"))]
    for prop, is_attendee in addresses:
        if not isinstance(prop, str) or isinstance(prop, vBroken):
            continue
        params = getattr(prop, "params", {})
        raw, email = _email_of(str(prop))
        if raw in me or (email is not None and email in me):
            declined = declined or (is_attendee and _param(params, "PARTSTAT", "").upper() == "DECLINED")
            continue
        if _param(params, "CUTYPE", "").upper() in _NOT_PEOPLE or _is_google_calendar(email):
            continue
        name = _param(params, "CN", "") or None
        if name is not None and email is not None and name.lower() in (email, raw):
            name = None  # Google writes the address as the name when it knows none
        if email is None and name is None:
            continue
        key = email or f"name:{name}"
        known = people.get(key)
        if known is None or (known.name is None and name is not None):
            people[key] = Participant(name=name, email=email)
    if declined:
        return DECLINED
    if not people:
        return PERSONAL
    return tuple(people.values())


def _email_of(address: str) -> tuple[str, str | None]:
    """Return the address lower-cased without "mailto:", and the valid email in it (or None)."""
    raw = address.strip()
    if raw.lower().startswith("mailto:"):
        raw = raw[len("mailto:") :].strip()
    elif ":" in raw or "@" not in raw:
        return raw.lower(), None  # another scheme (urn:, tel:, invalid:nomail): no email
    return raw.lower(), _valid_email(raw)


def _is_google_calendar(email: str | None) -> bool:
    """Return whether the address is a Google calendar (shared, room, "unknownorganizer@"), not a person."""
    domain = (email or "").rpartition("@")[2]
    return domain == "calendar.google.com" or domain.endswith(".calendar.google.com")


@lru_cache(maxsize=4096)
def _valid_email(text: str) -> str | None:
    """Return the email in canonical form, or None when it is not a valid address."""
    try:
        return normalize_email(text)
    except InvalidInputError:
        return None
