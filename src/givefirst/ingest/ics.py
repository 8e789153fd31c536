"""iCalendar (.ics) files: every meeting the user had with other people becomes an interaction.

Each VEVENT is read with `icalendar`; repeating events are expanded with `recurring-ical-events` inside the
import window. What is not a meeting with someone else — a cancelled or declined event, a personal event
with nobody else on it — comes back as a ParseIssue, so the import report can count it.

Decisions a service relies on:

- The window applies to every event, repeating or not: only occurrences that start in
  [window_start, window_end) are read; the others are skipped silently (they are not errors).
- external_id is the UID for a single event and "<UID>@<original start>" for one occurrence of a repeating
  event, the original start being its RECURRENCE-ID in naive UTC ISO form (so moving one occurrence keeps its
  id); in a zone guessed for a TZID the library does not know (below), its wall-clock time as written, which
  is what it was before such zones were placed, so that importing the file again adds no second copy. An event
  without UID uses "<file name>#<position of the VEVENT in the file>" in place of the UID.
- Times: TZID with a VTIMEZONE, an Olson or Windows zone id, or UTC are converted to naive UTC; so is an
  Outlook display name ("(UTC+01:00) Amsterdam, Berlin, ...") when one of its places is an Olson zone at that
  offset. Floating times are read as UTC (X-WR-TIMEZONE, Google's calendar-wide zone, is honoured, for them
  and for unknown TZIDs). Any other TZID is read at the offset its display name gives, else as UTC, and the
  record comes with a warning naming the TZID. An all-day event (a DATE) happens at noon UTC that day.
- People are the ORGANIZER and ATTENDEEs other than the user (addresses in `me`), with a valid email from a
  mailto: address, else from the EMAIL parameter (RFC 7986; Apple writes urn:uuid: values), and/or a name from
  CN. The user is recognised by either address. Rooms, resources, groups (CUTYPE) and Google calendar
  addresses are not people and are left out; so are attendees who declined (PARTSTAT=DECLINED): they were not
  there. An attendee whose address is invalid is kept by name, or left out, with a warning.
- Warnings about a record (an attendee left out, a time zone guessed) are ParseIssues with the record's origin,
  right after it; they name the file and the event.
- A meeting with more than `max_attendees` other people (an all-hands, a webinar) is not a touch with each of
  them: it comes back as a GatheringRecord, every attendee kept on it, for the service to keep as an event.
"""

from __future__ import annotations

import codecs
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache

import icalendar
import recurring_ical_events
import x_wr_timezone
from icalendar.cal.component import Component
from icalendar.prop import vBroken
from icalendar.timezone import tzp

from givefirst.domain.model import Direction, InteractionKind
from givefirst.errors import InvalidInputError
from givefirst.ingest.ics_values import (
    _as_list,
    _as_naive_utc,
    _as_utc_moment,
    _description,
    _drop_unusable_end,
    _param,
    _place_in_zones,
    _rule_problem,
    _say,
    _sequence,
    _start_of,
    _text,
    _unreadable,
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
DECLINED_BY_ALL = "everyone else declined (PARTSTAT=DECLINED): not a meeting you had"
PERSONAL = "no other attendees (a personal event)"
UNREADABLE = "no other attendee could be read"  # followed by what was wrong with each


@dataclass
class _Series:
    """The VEVENTs of one file that share a UID (an event, its changed occurrences), or one without UID."""

    label: str  # the UID, or the position of the VEVENT in the file when it has none
    uid: str | None
    events: list[Component] = field(default_factory=list)
    cancelled: bool = False  # one of its calendars says METHOD:CANCEL
    zone_notes: list[str] = field(default_factory=list)  # time zones guessed for its times (see _place_in_zones)
    zones: list[tzinfo] = field(default_factory=list)  # the zones given to TZIDs the library did not know


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
            _forget_earlier_zones()
            components = icalendar.Calendar.from_ical(text, multiple=True)
        except Exception as exc:  # the library raises many kinds; all mean the same to the user
            raise UnreadableFileError(f"{name}: not a readable iCalendar file: {_unreadable(text, exc)}") from None
    wanted: list[Component] = [component for component in components if component.name in ("VCALENDAR", "VEVENT")]
    if wanted:
        return wanted
    if not components:
        raise UnreadableFileError(f"{name}: the calendar is incomplete (no END:VCALENDAR); the file may be cut short")
    found = ", ".join(sorted({str(component.name) for component in components}))
    raise UnreadableFileError(f"{name}: not an iCalendar file (it holds {found}, no VCALENDAR)")


def _forget_earlier_zones() -> None:
    """Make the library forget the VTIMEZONEs of the files read before: each file is read with its own only.

    The library keeps every VTIMEZONE it meets for the life of the process, and the first one of a TZID wins. But
    Outlook calls a zone of its own "Customized Time Zone" in every export, each time another one: an import of
    several files (or the web app, importing for days) would read one file's times in another file's zone.
    """
    tzp.use(tzp.name)  # the same provider, its cache of VTIMEZONEs emptied


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
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                zone_notes, zones = _place_in_zones(event)
            group.zone_notes += [note for note in zone_notes if note not in group.zone_notes]
            group.zones += [zone for zone in zones if zone not in group.zones]
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
    said: list[str] = []
    outcome = _people_or_reason(event, series.cancelled, context.me, said)
    about = _about(context.name, series)
    if isinstance(outcome, str):
        return [*issues, ParseIssue(origin, _why_not(outcome, said, about))]
    external_id = series.uid or f"{context.name}#{series.label}"
    meeting = _meeting(event, external_id, origin, start, outcome, context)
    return [*issues, meeting, *(ParseIssue(origin, f"{about}: {note}") for note in [*series.zone_notes, *said])]


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
        occurrences, capped = _occurrences(calendar, context.window_start, context.window_end, series.zones)
    except Exception as exc:  # the library's errors for rules it cannot follow, of many kinds
        return [*issues, ParseIssue(origin, f"the repetition of this event cannot be worked out ({_say(exc)})")]
    base_id = series.uid or f"{context.name}#{series.label}"
    records: list[Record] = []
    reasons: Counter[str] = Counter()
    about = _about(context.name, series)
    notes = list(series.zone_notes)
    for start, original_start, component in occurrences:
        said: list[str] = []
        outcome = _people_or_reason(component, series.cancelled, context.me, said)
        if isinstance(outcome, str):
            reasons[_why_not(outcome, said, about)] += 1
            continue
        notes += [note for note in said if note not in notes]
        external_id = f"{base_id}@{original_start.isoformat()}"
        records.append(_meeting(component, external_id, origin, start, outcome, context))
    if records:
        issues += [ParseIssue(origin, f"{about}: {note}") for note in notes]
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
    calendar: Component, window_start: datetime, window_end: datetime, guessed: Iterable[tzinfo] = ()
) -> tuple[list[tuple[datetime, datetime, Component]], bool]:
    """Return (start, original start, component) of each occurrence starting in the window, and whether capped.

    The original start is in naive UTC, or its wall-clock time in a `guessed` zone (see external_id above).
    """
    guessed = tuple(guessed)
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
            recurrence = _value(component.get("RECURRENCE-ID"))
            original = _as_utc_moment(recurrence) or start
            written = recurrence if isinstance(recurrence, datetime) else _value(component.get("DTSTART"))
            if guessed and isinstance(written, datetime) and written.tzinfo in guessed:
                original = written.replace(tzinfo=None)
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


def _about(file_name: str, series: _Series) -> str:
    """Return how a warning names the event: "cal.ics, event 'Lunch'" (its UID or position when untitled)."""
    title = _text(series.events[0], "SUMMARY")
    return f"{file_name}, event {title!r}" if title else f"{file_name}, event {series.label}"


def _why_not(reason: str, said: list[str], about: str) -> str:
    """Return why an event is not a meeting; when no attendee could be read, naming the event and each problem."""
    return f"{about}: {reason} ({'; '.join(said)})" if reason == UNREADABLE else reason


def _people_or_reason(
    event: Component, cancelled: bool, me: frozenset[str], notes: list[str] | None = None
) -> tuple[Participant, ...] | str:
    """Return the other people at a meeting, or why the event is not a meeting with anyone.

    What was left out on the way (an attendee whose address is invalid, a line that could not be read) is
    added to `notes`, when given, as one sentence each: warnings about the meeting, or, when that leaves
    nobody (UNREADABLE), why it is not one.
    """
    if cancelled:
        return CANCELLED_BY_METHOD
    if _text(event, "STATUS").upper() == "CANCELLED":
        return CANCELLED
    people: dict[str, Participant] = {}
    declined = False  # by the user
    absent: set[str] = set()  # the others who declined
    said: list[str] = [f"{what} could not be read and was left out: {line}" for what, line in _unread_lines(event)]
    addresses = [(prop, False) for prop in _as_list(event.get("ORGANIZER"))]
    addresses += [(prop, True) for prop in _as_list(event.get("ATTENDEE"))]
    for prop, is_attendee in addresses:
        if not isinstance(prop, str) or isinstance(prop, vBroken):
            continue
        params = getattr(prop, "params", {})
        raw, email, problem = _address_of(str(prop), params)
        said_no = is_attendee and _param(params, "PARTSTAT", "").upper() == "DECLINED"
        if raw in me or email in me or _email_parameter(params) in me:
            declined = declined or said_no
            continue
        if _param(params, "CUTYPE", "").upper() in _NOT_PEOPLE or _is_google_calendar(email):
            continue
        name = _param(params, "CN", "") or None
        if name is not None and email is not None and name.lower() in (email, raw):
            name = None  # Google writes the address as the name when it knows none
        if name is not None and "@" in name:  # an address in place of a name
            found = _valid_email(name) if email is None else None
            if found is not None and found in me:
                declined = declined or said_no
                continue
            email, name = email or found, None
        if said_no:
            absent.update(key for key in (email, name and f"name:{name}") if key)
            continue
        if problem and email is None:
            cn = _param(params, "CN", "")
            who = ("an attendee" if is_attendee else "the organizer") + (f" {cn!r}" if cn else "")
            said.append(f"{who} has {problem}: kept by name only" if name else f"{who} with {problem} left out")
        if email is None and name is None:
            continue
        key = email or f"name:{name}"
        known = people.get(key)
        if known is None or (known.name is None and name is not None):
            people[key] = Participant(name=name, email=email)
    if declined:
        return DECLINED
    present = tuple(person for key, person in people.items() if key not in absent)
    if not present and absent:
        return DECLINED_BY_ALL
    if notes is not None:
        notes += [note for note in said if note not in notes]
    if not present:
        return UNREADABLE if said else PERSONAL
    return present


def _address_of(address: str, params: object) -> tuple[str, str | None, str]:
    """Return an ORGANIZER or ATTENDEE value lower-cased without "mailto:", its valid email, and what is wrong.

    The email is that of a mailto: value, else of the EMAIL parameter (Apple's urn:uuid: values carry it there).
    What is wrong ("" when nothing) is said only of an address meant as an email that is not a valid one.
    """
    raw = address.strip()
    problem = ""
    if raw.lower().startswith("mailto:"):
        raw = raw[len("mailto:") :].strip()
        email = _valid_email(raw)
        if email is None:
            problem = f"an invalid address {address.strip()!r}" if raw else "an empty address (mailto:)"
    elif ":" in raw or "@" not in raw:
        email = None  # another scheme (urn:, tel:, invalid:nomail): no email of its own
    else:
        email = _valid_email(raw)
        problem = "" if email is not None else f"an invalid address {raw!r}"
    given = _param(params, "EMAIL", "")
    if email is None and given:
        email = _email_parameter(params)
        problem = "" if email is not None else f"an invalid EMAIL parameter {given!r}"
    return raw.lower(), email, problem


def _email_parameter(params: object) -> str | None:
    """Return the valid email of an EMAIL parameter (RFC 7986), or None."""
    given = _param(params, "EMAIL", "")
    return _valid_email(given[len("mailto:") :] if given.lower().startswith("mailto:") else given) if given else None


def _unread_lines(event: Component) -> list[tuple[str, str]]:
    """Return the ORGANIZER and ATTENDEE lines of the event that the library could not read, as (what, line)."""
    found: list[tuple[str, str]] = []
    for _, message in getattr(event, "errors", ()):
        line = str(message).removeprefix("Content line could not be parsed into parts: ")
        line = line.split("': ", 1)[0].removeprefix("'") if line != str(message) else ""
        what = {"ATTENDEE": "an attendee's line", "ORGANIZER": "the organizer's line"}.get(
            re.split(r"[;:]", line, maxsplit=1)[0].strip().upper()
        )
        if what is not None:
            found.append((what, repr(line if len(line) <= 80 else line[:77] + "...")))
    return found


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
