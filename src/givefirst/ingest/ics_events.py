"""iCalendar (.ics) files as events: a chapter's meeting invitations become events, with or without attendees.

`ingest.ics` reads a calendar as the user's meetings with people, and skips an event with nobody else on it.
An invitation from a chapter's mailing list is exactly such an event — a time, a place, a title, perhaps a few
attendees — so this parser reads every VEVENT in the window as an `EventRecord`, reusing the reading, decoding,
time-zone and repetition rules of `ingest.ics` (same UIDs, same naive-UTC times). Cancelled events, and events
the user declined, come back as ParseIssues; attendees who declined are not listed (they are not expected).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import icalendar
from icalendar.cal.component import Component

from givefirst.ingest import ics
from givefirst.ingest import ics_values as values
from givefirst.ingest.records import ParseIssue, Participant


@dataclass(frozen=True)
class EventRecord:
    external_id: str  # the UID, or UID@original start for one occurrence of a repeating event
    origin: str
    starts_at: datetime  # naive UTC
    ends_at: datetime | None
    title: str
    location: str | None
    attendees: tuple[Participant, ...] = ()  # never the user, nor anyone who declined


def _end_of(event: Component) -> datetime | None:
    return values._as_utc_moment(values._value(event.get("DTEND")))


def _record(event: Component, external_id: str, origin: str, start: datetime, me: frozenset[str]) -> EventRecord | str:
    outcome = ics._people_or_reason(event, False, me)
    if outcome in (ics.CANCELLED, ics.DECLINED):
        return str(outcome)
    people = () if isinstance(outcome, str) else outcome  # a personal event is still an event
    return EventRecord(
        external_id=external_id,
        origin=origin,
        starts_at=start,
        ends_at=_end_of(event),
        title=values._text(event, "SUMMARY") or "(untitled event)",
        location=values._text(event, "LOCATION") or None,
        attendees=people,
    )


def parse_ics_events(
    data: bytes, name: str, *, me: frozenset[str], window_start: datetime, window_end: datetime
) -> Iterator[EventRecord | ParseIssue]:
    """Return an EventRecord per event (or occurrence) starting in the window, a ParseIssue per skipped one.

    Raises UnreadableFileError at once when the file is not an iCalendar file.
    """
    components = ics._read(data, name)
    mine = frozenset(a.strip().lower() for a in me)
    start_at, end_at = values._as_naive_utc(window_start), values._as_naive_utc(window_end)
    return _events(ics._series_of(components), name, mine, start_at, end_at)


def _events(series: list[ics._Series], name: str, me: frozenset[str], lo: datetime, hi: datetime
            ) -> Iterator[EventRecord | ParseIssue]:  # fmt: skip
    for one in series:
        origin = f"{name}#{one.label}"
        base_id = one.uid or origin
        if one.cancelled:
            yield ParseIssue(origin, ics.CANCELLED_BY_METHOD)
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if not ics._repeats(one.events):
                event = max(one.events, key=values._sequence)
                start, problem = values._start_of(event)
                if start is None:
                    yield ParseIssue(origin, problem)
                elif lo <= start < hi:
                    found = _record(event, base_id, origin, start, me)
                    yield ParseIssue(origin, found) if isinstance(found, str) else found
                continue
            calendar = icalendar.Calendar()
            for event in one.events:
                if not (values._start_of(event)[1] or values._rule_problem(event)):
                    values._drop_unusable_end(event)
                    calendar.add_component(event)
            if not calendar.subcomponents:
                yield ParseIssue(origin, "the repetition of this event cannot be read")
                continue
            try:
                occurrences, _ = ics._occurrences(calendar, lo, hi, one.zones)
            except Exception as exc:  # the library's many errors for rules it cannot follow
                yield ParseIssue(origin, f"the repetition of this event cannot be worked out ({values._say(exc)})")
                continue
            for start, original, component in occurrences:
                found = _record(component, f"{base_id}@{original.isoformat()}", origin, start, me)
                yield ParseIssue(origin, found) if isinstance(found, str) else found
