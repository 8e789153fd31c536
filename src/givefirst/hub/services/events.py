"""Chapter events: planning one, RSVPs, the door's check-in, and the conversations members follow up afterwards.

A member sees the events of their own chapter (admins every chapter's); any other event answers "no such event",
exactly like one that does not exist. Only the chapter's leads (and admins) plan events and run the door.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.hub.domain import events as rules
from givefirst.hub.domain.access import can_manage_chapter
from givefirst.hub.domain.events import Attendee, Event
from givefirst.hub.domain.model import Member
from givefirst.hub.services.context import Hub
from givefirst.hub.services.public_ids import new_public_id
from givefirst.hub.store import events as store
from givefirst.hub.store import members as stored_members

MAX_TITLE, MAX_PLACE, MAX_TEXT = 300, 300, 4000


class LeadsOnly(InvalidInputError):
    """Only the chapter's leads (and the association's admins) may do this; the web answers 403."""


def _may_see(member: Member, event: Event) -> bool:
    return member.viewer.is_admin or member.chapter_id == event.chapter_id


def find_event(hub: Hub, member: Member, public_id: str) -> Event:
    """Return the event `member` may see, or NotFoundError (for another chapter's event too: no probing)."""
    with hub.engine.connect() as conn:
        event = store.event_by_public_id(conn, public_id)
    if event is None or not _may_see(member, event):
        raise NotFoundError("there is no such event")
    return event


def require_lead(member: Member, chapter_id: int) -> None:
    if not can_manage_chapter(member.viewer, chapter_id):
        raise LeadsOnly("only this chapter's leads can do that")


def _clean(value: str | None, name: str, limit: int, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInputError(f"the event needs a {name}")
    if len(text) > limit:
        raise InvalidInputError(f"the {name} is longer than {limit} characters")
    return text


def create_event(
    hub: Hub,
    lead: Member,
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    place: str = "",
    description: str = "",
    chapter_id: int | None = None,
) -> Event:
    """Plan an event for the lead's chapter (an admin names the chapter)."""
    chapter = lead.chapter_id if chapter_id is None else chapter_id
    require_lead(lead, chapter)
    if ends_at is not None and ends_at <= starts_at:
        raise InvalidInputError("the event must end after it starts")
    with hub.engine.begin() as conn:
        return store.insert_event(
            conn,
            new_public_id(),
            chapter,
            lead.id,
            hub.now(),
            title=_clean(title, "title", MAX_TITLE, required=True),
            starts_at=starts_at,
            ends_at=ends_at,
            place=_clean(place, "place", MAX_PLACE),
            description=_clean(description, "description", MAX_TEXT),
        )


@dataclass(frozen=True)
class EventSummary:
    event: Event
    counts: dict[str, int]
    my_answer: str | None
    checked_in: bool


@dataclass(frozen=True)
class EventsPage:
    upcoming: list[EventSummary]
    past: list[EventSummary]
    follow_ups: list[dict[str, Any]]
    can_plan: bool


def events_page(hub: Hub, member: Member) -> EventsPage:
    """Return my chapter's upcoming events (soonest first), past ones (latest first) and my pending follow-ups."""
    now = hub.now()
    with hub.engine.connect() as conn:
        found = store.chapter_events(conn, member.chapter_id)
        ids = [e.id for e in found]
        counts = store.answer_counts(conn, ids)
        mine = store.my_answers(conn, member.id, ids)
        follow_ups = store.follow_ups(conn, member.id)
    summaries = [
        EventSummary(e, counts[e.id], mine.get(e.id, (None, None))[0], mine.get(e.id, (None, None))[1] is not None)
        for e in found
    ]
    for item in follow_ups:
        item["overdue"] = item["follow_up_due"] < now
    return EventsPage(
        upcoming=[s for s in summaries if not s.event.is_past(now)],
        past=[s for s in reversed(summaries) if s.event.is_past(now)],
        follow_ups=follow_ups,
        can_plan=can_manage_chapter(member.viewer, member.chapter_id),
    )


def rsvp(hub: Hub, member: Member, public_id: str, answer: str) -> str:
    """Record my answer (going, maybe, no) to an event of my chapter; a past event takes no more answers."""
    event = find_event(hub, member, public_id)
    try:
        chosen = rules.parse_answer(answer)
    except ValueError as exc:
        raise InvalidInputError(str(exc)) from None
    if event.is_past(hub.now()):
        raise InvalidInputError("this event is over: it takes no more answers")
    with hub.engine.begin() as conn:
        store.put_answer(conn, event.id, member.id, chosen.value, hub.now())
    return chosen.value


def check_in_token(hub: Hub, event: Event, member: Member) -> str:
    return rules.check_in_token(hub.secret, event.public_id, member.public_id)


def check_in_qr_svg(hub: Hub, event: Event, member: Member) -> str:
    """Return the member's check-in QR code for `event` as inline SVG (dark on white, readable in dark mode)."""
    import segno

    qr = segno.make(check_in_token(hub, event, member), error="m", micro=False)
    svg: str = qr.svg_inline(scale=5, border=3, dark="#000", light="#fff", omitsize=False)
    return svg


@dataclass(frozen=True)
class EventPage:
    event: Event
    past: bool
    started: bool
    counts: dict[str, int]
    my_answer: str | None
    checked_in: bool
    attendees: list[Attendee]
    qr_svg: str
    code: str
    can_lead: bool
    talked_with: list[dict[str, Any]] = field(default_factory=list)


def event_page(hub: Hub, member: Member, public_id: str) -> EventPage:
    """Return an event as a member of its chapter sees it: answers, who comes, my check-in code, my talks."""
    event = find_event(hub, member, public_id)
    now = hub.now()
    with hub.engine.connect() as conn:
        counts = store.answer_counts(conn, [event.id])[event.id]
        answer, checked = store.my_answers(conn, member.id, [event.id]).get(event.id, (None, None))
        coming = store.attendees(conn, event)
        talked = [f for f in store.follow_ups(conn, member.id, pending_only=False) if f["event_public_id"] == public_id]
    return EventPage(
        event=event,
        past=event.is_past(now),
        started=event.starts_at <= now,
        counts=counts,
        my_answer=answer,
        checked_in=checked is not None,
        attendees=coming,
        qr_svg=check_in_qr_svg(hub, event, member),
        code=rules.check_in_code(hub.secret, event.public_id, member.public_id),
        can_lead=can_manage_chapter(member.viewer, event.chapter_id),
        talked_with=talked,
    )


# --- the door ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Door:
    event: Event
    roster: list[Attendee]  # the chapter's members: those who said going or maybe first

    @property
    def checked_in(self) -> int:
        return sum(1 for a in self.roster if a.checked_in_at is not None)


def door(hub: Hub, lead: Member, public_id: str) -> Door:
    """Return the door's list for the lead: every member of the chapter, the expected ones first."""
    event = find_event(hub, lead, public_id)
    require_lead(lead, event.chapter_id)
    with hub.engine.connect() as conn:
        everyone = store.roster(conn, event)
        guests = [a for a in store.attendees(conn, event) if a.member_id not in {r.member_id for r in everyone}]
    order = {"going": 0, "maybe": 1}
    everyone = sorted(everyone + guests, key=lambda a: (order.get(a.answer or "", 2), a.name.lower()))
    return Door(event, everyone)


def check_in(hub: Hub, lead: Member, public_id: str, code: str) -> tuple[str, bool]:
    """Check in the member whose QR code was read (or whose code was typed); return their name and whether new.

    The QR code holds "member.CODE"; a typed code is the CODE alone, tried against the chapter's members (and
    those who answered): each code is an HMAC of this event and one member, so it names exactly one of them.
    """
    event = find_event(hub, lead, public_id)
    require_lead(lead, event.chapter_id)
    member_part, _, typed = "".join(code.split()).rpartition(".")  # public ids may hold "-": split first
    code_part = rules.normalise_code(typed)
    if not code_part:
        raise InvalidInputError("read a member's QR code, or type the code under it")
    with hub.engine.begin() as conn:
        if member_part:
            member = stored_members.member_by_public_id(conn, member_part)
            candidates = [member] if member is not None and not member.deleted else []
        else:
            candidates = store.chapter_members(conn, event.chapter_id)
            known = {m.id for m in candidates}
            for guest in store.attendees(conn, event):
                if guest.member_id not in known:
                    found = stored_members.member_by_id(conn, guest.member_id)
                    candidates += [found] if found is not None else []
        matched = [m for m in candidates if rules.code_matches(hub.secret, event.public_id, m.public_id, code_part)]
        if not matched:
            raise InvalidInputError(f"the code {code.strip()[:40]!r} is not a check-in code for this event")
        who = matched[0]
        fresh = store.check_in(conn, event.id, who.id, hub.now())
    return who.name, fresh


def check_in_member(hub: Hub, lead: Member, public_id: str, member_public_id: str) -> tuple[str, bool]:
    """Tick a member in by hand from the door's list (a member of the chapter, or one who answered)."""
    event = find_event(hub, lead, public_id)
    require_lead(lead, event.chapter_id)
    with hub.engine.begin() as conn:
        who = stored_members.member_by_public_id(conn, member_public_id)
        answered = who is not None and who.id in {a.member_id for a in store.attendees(conn, event)}
        if who is None or who.deleted or (who.chapter_id != event.chapter_id and not answered):
            raise NotFoundError("there is no such member")
        return who.name, store.check_in(conn, event.id, who.id, hub.now())


# --- after the meeting ---------------------------------------------------------------------------------------


def record_conversation(hub: Hub, member: Member, public_id: str, other_public_id: str, note: str = "") -> bool:
    """Record that I talked with another attendee; a follow-up is due 48 hours after the meeting."""
    event = find_event(hub, member, public_id)
    now = hub.now()
    if event.starts_at > now:
        raise InvalidInputError("conversations are recorded once the meeting has started")
    with hub.engine.begin() as conn:
        other = stored_members.member_by_public_id(conn, other_public_id)
        present = {a.member_id for a in store.attendees(conn, event)}
        if other is None or other.deleted or other.id not in present:
            raise NotFoundError("that member is not on this event's list")
        if other.id == member.id:
            raise InvalidInputError("record the people you talked with, not yourself")
        due = rules.follow_up_due(event.starts_at, event.ends_at, now)
        return store.add_conversation(conn, event.id, member.id, other.id, _clean(note, "note", MAX_TEXT), now, due)


def follow_up_done(hub: Hub, member: Member, public_id: str, other_public_id: str) -> None:
    event = find_event(hub, member, public_id)
    with hub.engine.begin() as conn:
        other = stored_members.member_by_public_id(conn, other_public_id)
        if other is None or not store.mark_followed_up(conn, event.id, member.id, other.id, hub.now()):
            raise NotFoundError("there is no such follow-up")


def pending_follow_ups(hub: Hub, member: Member) -> list[dict[str, Any]]:
    with hub.engine.connect() as conn:
        return store.follow_ups(conn, member.id)
