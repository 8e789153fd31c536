"""Chapters, members, events: recording them, importing invitations, RSVP and attendance with follow-ups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from givefirst.domain.date_bounds import EVENT, out_of_bounds
from givefirst.domain.model import Direction, InteractionKind
from givefirst.errors import AmbiguousError, InvalidInputError, NotFoundError
from givefirst.services import tiestats
from givefirst.services.choices import choose
from givefirst.services.context import App
from givefirst.services.people import resolve_person
from givefirst.store import events as store
from givefirst.store import interactions as interactions_store
from givefirst.store import people as people_store


class ChapterRole(StrEnum):
    MEMBER = "member"
    OFFICER = "officer"
    SPONSOR = "sponsor"  # sponsors the chapter (a company or a person backing it)


RSVPS = ("yes", "maybe", "no", "none")
FOLLOW_UP_DAYS = 1  # a follow-up falls due the day after the event: in the plan from the event day, done in 48 h
IMPORT_DAYS_BACK, IMPORT_DAYS_AHEAD = 30, 365


def resolve_chapter(conn: Connection, ref: str) -> int:
    """Return the id of the chapter `ref` names: an id, its exact name, or part of a single chapter's name."""
    text = ref.strip()
    if not text:
        raise InvalidInputError("a chapter is needed: give its name or id")
    if text.lstrip("#").isdigit():
        if store.chapter_row(conn, int(text.lstrip("#"))) is None:
            raise NotFoundError(f"no chapter with id {text.lstrip('#')}")
        return int(text.lstrip("#"))
    found = store.chapters_named(conn, text)
    if not found:
        raise NotFoundError(f"no chapter named {text!r} (see `givefirst chapter list`)")
    if len(found) > 1:
        listed = ", ".join(f"{c.name} (id {c.id})" for c in found[:6])
        raise AmbiguousError(f"{text!r} matches {len(found)} chapters: {listed}; use an id")
    return int(found[0].id)


def event_row(conn: Connection, event_id: int) -> Any:
    row = store.event_row(conn, event_id)
    if row is None:
        raise NotFoundError(f"no event with id {event_id} (see `givefirst events --all`)")
    return row


def add_chapter(app: App, organization: str, name: str, location: str | None) -> int:
    """Record a chapter of an organization (the organization is created when new)."""
    if not organization.strip() or not name.strip():
        raise InvalidInputError("a chapter needs an organization and a name, e.g. --org AOP 'AOP New York'")
    with app.begin() as conn:
        if store.chapters_named(conn, name.strip()) and any(
            c.name.lower() == name.strip().lower() for c in store.chapters_named(conn, name.strip())
        ):
            raise InvalidInputError(f"there is already a chapter named {name.strip()!r}")
        org = people_store.organization_id(conn, organization.strip())
        return store.add_chapter(conn, org, name.strip(), location, app.now)


def list_chapters(app: App) -> list[dict[str, Any]]:
    with app.begin() as conn:
        rows = store.chapter_rows(conn)
        members = store.members(conn, [int(r.id) for r in rows])
        out = []
        for r in rows:
            mine = [m for m in members.get(int(r.id), []) if m.is_me]
            sponsor = None
            if mine and mine[0].sponsor_id:
                sponsor = people_store.person_row(conn, mine[0].sponsor_id).name
            out.append({"id": r.id, "name": r.name, "organization": r.organization, "location": r.location,
                        "members": int(r.members), "you_are_a_member": bool(mine),
                        "your_sponsor": sponsor})  # fmt: skip
        return out


def chapter_members(app: App, ref: str) -> dict[str, Any]:
    with app.begin() as conn:
        cid = resolve_chapter(conn, ref)
        row = store.chapter_row(conn, cid)
        members = store.members(conn, [cid]).get(cid, [])
        names = {int(m.id): str(m.name) for m in members}
        return {"id": cid, "name": row.name, "location": row.location,
                "members": [{"id": int(m.id), "name": "you" if m.is_me else m.name, "role": m.role,
                             "sponsor": names.get(m.sponsor_id) or (people_store.person_row(conn, m.sponsor_id).name
                                                                     if m.sponsor_id else None)}
                            for m in members]}  # fmt: skip


def add_member(app: App, person: str, chapter: str, *, role: str = "member", sponsor: str | None = None,
               since: date | None = None) -> str:  # fmt: skip
    """Add someone (or "me") to a chapter, with their role and sponsor; return a sentence saying so."""
    role = choose(ChapterRole, role, "role").value
    with app.begin() as conn:
        cid = resolve_chapter(conn, chapter)
        pid = resolve_person(conn, app, person)
        sponsor_id = resolve_person(conn, app, sponsor) if sponsor else None
        if sponsor_id == pid:
            raise InvalidInputError("a member cannot sponsor themselves")
        new = store.set_member(conn, cid, pid, role, sponsor_id, since)
        name = "You" if pid == app.me(conn) else people_store.person_row(conn, pid).name
        chapter_name = store.chapter_row(conn, cid).name
    verb = "joined" if new else "updated in"
    return f"{name} {verb} {chapter_name} as {role}" + (f", sponsored by {sponsor}" if sponsor else "")


def remove_member(app: App, person: str, chapter: str) -> str:
    with app.begin() as conn:
        cid = resolve_chapter(conn, chapter)
        pid = resolve_person(conn, app, person)
        if store.remove_member(conn, cid, pid) == 0:
            raise NotFoundError("that person is not a member of that chapter")
    return "Removed from the chapter"


@dataclass
class EventInput:
    title: str
    starts_at: datetime
    ends_at: datetime | None = None
    location: str | None = None
    chapter: str | None = None
    expected: list[str] = field(default_factory=list)
    notes: str = ""


def add_event(app: App, data: EventInput) -> int:
    """Record an event and the people expected there; return its id."""
    if not data.title.strip():
        raise InvalidInputError("an event needs a title")
    if data.ends_at is not None and data.ends_at < data.starts_at:
        raise InvalidInputError("an event cannot end before it starts")
    if refused := out_of_bounds(data.starts_at.date(), app.now.date(), EVENT, "the date"):
        raise InvalidInputError(refused)
    with app.begin() as conn:
        cid = resolve_chapter(conn, data.chapter) if data.chapter else None
        location = data.location
        if location is None and cid is not None:
            location = store.chapter_row(conn, cid).location
        pids = [resolve_person(conn, app, p) for p in data.expected]
        eid = store.add_event(conn, {"title": data.title.strip(), "starts_at": data.starts_at, "ends_at": data.ends_at,
                                     "location": location, "chapter_id": cid, "notes": data.notes,
                                     "created_at": app.now})  # fmt: skip
        me = app.me(conn)
        for pid in dict.fromkeys(pids):
            if pid != me:
                store.set_event_person(conn, eid, pid, "expected")
    return eid


def expect(app: App, event_id: int, people: list[str]) -> int:
    """Add people expected at an event; return how many."""
    with app.begin() as conn:
        event_row(conn, event_id)
        me = app.me(conn)
        pids = [p for p in dict.fromkeys(resolve_person(conn, app, ref) for ref in people) if p != me]
        for pid in pids:
            store.set_event_person(conn, event_id, pid, "expected")
    return len(pids)


def rsvp(app: App, event_id: int, answer: str) -> str:
    if answer not in RSVPS:
        raise InvalidInputError(f"RSVP {answer!r}? Answer yes, maybe, no or none")
    with app.begin() as conn:
        row = event_row(conn, event_id)
        store.update_event(conn, event_id, {"rsvp": answer})
    return f"RSVP {answer} to {row.title} on {row.starts_at:%a %d %b}"


def attended(app: App, event_id: int, met: list[str], note: str = "") -> str:
    """Mark an event attended; everyone met is logged (a touch) with a follow-up due within 48 hours."""
    with app.begin() as conn:
        row = event_row(conn, event_id)
        if row.starts_at.date() > app.now.date():
            raise InvalidInputError(f"{row.title} is on {row.starts_at:%Y-%m-%d}: mark it attended after it happens")
        me = app.me(conn)
        pids = [p for p in dict.fromkeys(resolve_person(conn, app, ref) for ref in met) if p != me]
        store.update_event(conn, event_id, {"attended": True, "rsvp": "yes"})
        for pid in pids:
            store.set_event_person(conn, event_id, pid, "met")
        if pids:
            summary = note or f"Met at {row.title}"
            external = f"event-{event_id}-met"
            if interactions_store.find_external(conn, "event", external) is None:
                interactions_store.insert_interaction(
                    conn, occurred_at=row.starts_at, kind=InteractionKind.EVENT.value,
                    direction=Direction.MUTUAL.value, person_ids=pids, summary=summary, source="event",
                    external_id=external, planned=False,
                    follow_up_on=row.starts_at.date() + timedelta(days=FOLLOW_UP_DAYS), now=app.now,
                )  # fmt: skip
            tiestats.refresh(conn, pids, app.weights)
    follow = f"; follow-ups for {len(pids)} in `givefirst today`" if pids else ""
    return f"Attended {row.title}{follow}"


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unknown_attendees: int = 0


def import_events(app: App, path: Path, chapter: str | None = None) -> ImportReport:
    """Import the events of an .ics file (invitations saved from a chapter's mailing list); idempotent by UID."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    with app.begin() as conn:
        cid = resolve_chapter(conn, chapter) if chapter else None
        return store_events(conn, app, read_events(conn, app, data, path.name), cid)


def read_events(conn: Connection, app: App, data: bytes, name: str) -> list[Any]:
    """Return the EventRecords and ParseIssues of an iCalendar file, in the window events are imported from."""
    from givefirst.ingest.ics_events import parse_ics_events
    from givefirst.ingest.records import UnreadableFileError

    me = app.me(conn)
    mine = frozenset(v for k, v, _ in people_store.identities_of(conn, me) if k == "email")
    window = (app.now - timedelta(days=IMPORT_DAYS_BACK), app.now + timedelta(days=IMPORT_DAYS_AHEAD))
    try:
        return list(parse_ics_events(data, name, me=mine, window_start=window[0], window_end=window[1]))
    except UnreadableFileError as exc:
        raise InvalidInputError(str(exc)) from None


def store_events(conn: Connection, app: App, records: list[Any], cid: int | None, source: str = "ics") -> ImportReport:
    """Add or update (by `source` and UID) the events read from a calendar, with the people expected there.

    The one path for events from files (`event import`), feeds and calendar sources, inside the caller's
    transaction.
    """
    from givefirst.ingest.ics_events import EventRecord

    report = ImportReport()
    me = app.me(conn)
    for rec in records:
        if not isinstance(rec, EventRecord):
            report.skipped.append((rec.origin, rec.reason))
            continue
        values = {"title": rec.title[:300], "starts_at": rec.starts_at, "ends_at": rec.ends_at,
                  "location": rec.location, "chapter_id": cid}  # fmt: skip
        if values["location"] is None and cid is not None:
            values["location"] = store.chapter_row(conn, cid).location
        eid = store.event_by_external(conn, source, rec.external_id)
        if eid is None:
            eid = store.add_event(conn, {**values, "source": source, "external_id": rec.external_id,
                                         "created_at": app.now})  # fmt: skip
            report.added += 1
        else:
            store.update_event(conn, eid, values)
            report.updated += 1
        for who in rec.attendees:
            pid = people_store.person_by_identity(conn, "email", who.email) if who.email else None
            if pid is None and who.name:
                named = people_store.people_named(conn, who.name)
                pid = named[0][0] if len(named) == 1 else None
            if pid is None:
                report.unknown_attendees += 1
            elif pid != me:
                store.set_event_person(conn, eid, pid, "expected")
    return report
