"""Chapter events, RSVPs, check-ins and the conversations members record after a meeting (the only SQL for them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select, update
from sqlalchemy.exc import IntegrityError

from givefirst.hub.domain.events import ATTENDING, Attendee, Event
from givefirst.hub.domain.model import Member
from givefirst.hub.store.members import member_from_row
from givefirst.hub.store.schema import conversations, declined_pairs, events, introductions, members, rsvps


def _event(row: Any) -> Event:
    return Event(
        id=row.id,
        public_id=row.public_id,
        chapter_id=row.chapter_id,
        title=row.title,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        place=row.place,
        description=row.description,
    )


def insert_event(
    conn: Connection, public_id: str, chapter_id: int, created_by: int, now: datetime, **fields: Any
) -> Event:
    conn.execute(
        events.insert().values(
            public_id=public_id, chapter_id=chapter_id, created_by=created_by, created_at=now, **fields
        )
    )
    found = event_by_public_id(conn, public_id)
    assert found is not None
    return found


def update_event(conn: Connection, event_id: int, **fields: Any) -> None:
    conn.execute(update(events).where(events.c.id == event_id).values(**fields))


def event_by_public_id(conn: Connection, public_id: str) -> Event | None:
    row = conn.execute(select(events).where(events.c.public_id == public_id)).first()
    return _event(row) if row is not None else None


def event_by_id(conn: Connection, event_id: int) -> Event | None:
    row = conn.execute(select(events).where(events.c.id == event_id)).first()
    return _event(row) if row is not None else None


def chapter_events(conn: Connection, chapter_id: int, *, since: datetime | None = None) -> list[Event]:
    query = select(events).where(events.c.chapter_id == chapter_id)
    if since is not None:
        query = query.where(events.c.starts_at >= since)
    return [_event(r) for r in conn.execute(query.order_by(events.c.starts_at, events.c.id))]


def next_event(conn: Connection, chapter_id: int, now: datetime) -> Event | None:
    row = conn.execute(
        select(events)
        .where(events.c.chapter_id == chapter_id, events.c.starts_at >= now)
        .order_by(events.c.starts_at, events.c.id)
        .limit(1)
    ).first()
    return _event(row) if row is not None else None


def answer_counts(conn: Connection, event_ids: list[int]) -> dict[int, dict[str, int]]:
    """Return, per event, how many answered going, maybe and no, and how many were checked in."""
    counts: dict[int, dict[str, int]] = {e: {"going": 0, "maybe": 0, "no": 0, "checked_in": 0} for e in event_ids}
    if not event_ids:
        return counts
    rows = conn.execute(
        select(rsvps.c.event_id, rsvps.c.answer, func.count(), func.count(rsvps.c.checked_in_at))
        .join(members, members.c.id == rsvps.c.member_id)
        .where(rsvps.c.event_id.in_(event_ids), members.c.deleted_at.is_(None))
        .group_by(rsvps.c.event_id, rsvps.c.answer)
    )
    for event_id, answer, n, checked in rows:
        counts[event_id][answer] = counts[event_id].get(answer, 0) + int(n)
        counts[event_id]["checked_in"] += int(checked)
    return counts


def my_answers(conn: Connection, member_id: int, event_ids: list[int]) -> dict[int, tuple[str, datetime | None]]:
    if not event_ids:
        return {}
    rows = conn.execute(
        select(rsvps.c.event_id, rsvps.c.answer, rsvps.c.checked_in_at).where(
            rsvps.c.member_id == member_id, rsvps.c.event_id.in_(event_ids)
        )
    )
    return {r.event_id: (r.answer, r.checked_in_at) for r in rows}


def put_answer(conn: Connection, event_id: int, member_id: int, answer: str, now: datetime) -> None:
    """Record (or change) a member's RSVP; a check-in already made stays."""
    changed = conn.execute(
        update(rsvps)
        .where(rsvps.c.event_id == event_id, rsvps.c.member_id == member_id)
        .values(answer=answer, answered_at=now)
    ).rowcount
    if not changed:
        conn.execute(rsvps.insert().values(event_id=event_id, member_id=member_id, answer=answer, answered_at=now))


def check_in(conn: Connection, event_id: int, member_id: int, now: datetime) -> bool:
    """Check a member in; one who never answered (or said no, and came) is counted as going. False if already in."""
    row = conn.execute(
        select(rsvps.c.checked_in_at).where(rsvps.c.event_id == event_id, rsvps.c.member_id == member_id)
    ).first()
    if row is None:
        conn.execute(
            rsvps.insert().values(
                event_id=event_id, member_id=member_id, answer="going", answered_at=now, checked_in_at=now
            )
        )
        return True
    if row.checked_in_at is not None:
        return False
    conn.execute(
        update(rsvps)
        .where(rsvps.c.event_id == event_id, rsvps.c.member_id == member_id)
        .values(answer="going", checked_in_at=now)
    )
    return True


def roster(conn: Connection, event: Event) -> list[Attendee]:
    """Return every current member of the event's chapter with their answer (None when they gave none)."""
    rows = conn.execute(
        select(
            members.c.id,
            members.c.public_id,
            members.c.name,
            members.c.joined_at,
            rsvps.c.answer,
            rsvps.c.checked_in_at,
        )
        .select_from(members.outerjoin(rsvps, and_(rsvps.c.member_id == members.c.id, rsvps.c.event_id == event.id)))
        .where(members.c.chapter_id == event.chapter_id, members.c.deleted_at.is_(None))
        .order_by(members.c.name, members.c.id)
    )
    return [Attendee(r.id, r.public_id, r.name, r.joined_at, r.answer, r.checked_in_at) for r in rows]


def attendees(conn: Connection, event: Event) -> list[Attendee]:
    """Return who comes (going or maybe) or came (checked in), members of any chapter, by name."""
    rows = conn.execute(
        select(
            members.c.id,
            members.c.public_id,
            members.c.name,
            members.c.joined_at,
            rsvps.c.answer,
            rsvps.c.checked_in_at,
        )
        .join(members, members.c.id == rsvps.c.member_id)
        .where(
            rsvps.c.event_id == event.id,
            members.c.deleted_at.is_(None),
            (rsvps.c.answer.in_(ATTENDING)) | rsvps.c.checked_in_at.is_not(None),
        )
        .order_by(members.c.name, members.c.id)
    )
    return [Attendee(r.id, r.public_id, r.name, r.joined_at, r.answer, r.checked_in_at) for r in rows]


def meetings_attended_before(conn: Connection, member_ids: list[int], before: datetime) -> dict[int, int]:
    """Return how many earlier meetings each member was checked in at (0 for a first meeting)."""
    if not member_ids:
        return {}
    rows = conn.execute(
        select(rsvps.c.member_id, func.count())
        .join(events, events.c.id == rsvps.c.event_id)
        .where(rsvps.c.member_id.in_(member_ids), rsvps.c.checked_in_at.is_not(None), events.c.starts_at < before)
        .group_by(rsvps.c.member_id)
    )
    found = {int(m): int(n) for m, n in rows}
    return {m: found.get(m, 0) for m in member_ids}


def first_meeting_before(conn: Connection, chapter_id: int, before: datetime) -> datetime | None:
    """Return when the chapter's first meeting the hub knows of began, if one began before `before`."""
    found = conn.execute(
        select(func.min(events.c.starts_at)).where(events.c.chapter_id == chapter_id, events.c.starts_at < before)
    ).scalar()
    return found if isinstance(found, datetime) else None


def chapter_members(conn: Connection, chapter_id: int) -> list[Member]:
    rows = conn.execute(
        select(members)
        .where(members.c.chapter_id == chapter_id, members.c.deleted_at.is_(None))
        .order_by(members.c.name, members.c.id)
    )
    return [member_from_row(r) for r in rows]


def chapter_leads(conn: Connection, chapter_id: int) -> list[Member]:
    return [m for m in chapter_members(conn, chapter_id) if m.role.value == "lead"]


# --- conversations and their follow-ups ----------------------------------------------------------------------


def add_conversation(
    conn: Connection, event_id: int, member_id: int, other_id: int, note: str, now: datetime, due: datetime
) -> bool:
    """Record that `member_id` talked with `other_id` at the event; False when it was recorded already."""
    try:
        with conn.begin_nested():
            conn.execute(
                conversations.insert().values(
                    event_id=event_id,
                    member_id=member_id,
                    other_id=other_id,
                    note=note,
                    recorded_at=now,
                    follow_up_due=due,
                )
            )
    except IntegrityError:
        return False
    return True


def follow_ups(conn: Connection, member_id: int, *, pending_only: bool = True) -> list[dict[str, Any]]:
    """Return a member's conversations with the event and the other member, the oldest due first."""
    other = members.alias("other")
    query = (
        select(
            conversations.c.id,
            conversations.c.note,
            conversations.c.follow_up_due,
            conversations.c.followed_up_at,
            events.c.public_id.label("event_public_id"),
            events.c.title.label("event_title"),
            other.c.public_id.label("other_public_id"),
            other.c.name.label("other_name"),
        )
        .join(events, events.c.id == conversations.c.event_id)
        .join(other, other.c.id == conversations.c.other_id)
        .where(conversations.c.member_id == member_id, other.c.deleted_at.is_(None))
        .order_by(conversations.c.follow_up_due, conversations.c.id)
    )
    if pending_only:
        query = query.where(conversations.c.followed_up_at.is_(None))
    return [dict(r._mapping) for r in conn.execute(query)]


def mark_followed_up(conn: Connection, event_id: int, member_id: int, other_id: int, now: datetime) -> bool:
    """Mark `member_id`'s follow-up of their talk with `other_id` done; False when there is no such talk."""
    return bool(
        conn.execute(
            update(conversations)
            .where(
                conversations.c.event_id == event_id,
                conversations.c.member_id == member_id,
                conversations.c.other_id == other_id,
                conversations.c.followed_up_at.is_(None),
            )
            .values(followed_up_at=now)
        ).rowcount
    )


def event_conversation_counts(conn: Connection, event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Return, per event, how many conversations were recorded and how many were followed up."""
    if not event_ids:
        return {}
    rows = conn.execute(
        select(conversations.c.event_id, func.count(), func.count(conversations.c.followed_up_at))
        .where(conversations.c.event_id.in_(event_ids))
        .group_by(conversations.c.event_id)
    )
    found = {int(e): (int(n), int(d)) for e, n, d in rows}
    return {e: found.get(e, (0, 0)) for e in event_ids}


# --- introductions a lead suggests for a meeting (double opt-in: both answer on /introductions) ---------------


def suggest_introduction(
    conn: Connection,
    public_id: str,
    event_id: int,
    need_id: int,
    offer_id: int,
    seeker_id: int,
    helper_id: int,
    proposer_id: int,
    message: str,
    now: datetime,
) -> bool:
    """Store a lead's suggestion unless the same pair is already suggested or one side declined the other before.

    Its kind is "lead" (BNI's word: a tip, nobody asked to be called); both members still answer before contact
    details are shared, as with every introduction.
    """
    low, high = min(seeker_id, helper_id), max(seeker_id, helper_id)
    declined = conn.execute(
        select(func.count())
        .select_from(declined_pairs)
        .where(declined_pairs.c.member_low == low, declined_pairs.c.member_high == high)
    ).scalar_one()
    same = conn.execute(
        select(func.count())
        .select_from(introductions)
        .where(introductions.c.need_id == need_id, introductions.c.offer_id == offer_id)
    ).scalar_one()
    if declined or same:
        return False
    conn.execute(
        introductions.insert().values(
            public_id=public_id,
            kind="lead",
            need_id=need_id,
            offer_id=offer_id,
            proposer_id=proposer_id,
            seeker_id=seeker_id,
            helper_id=helper_id,
            message=message,
            event_id=event_id,
            created_at=now,
        )
    )
    return True


def event_introductions(conn: Connection, event_id: int) -> list[dict[str, Any]]:
    """Return the introductions made at (or for) an event, with both members' names and ids."""
    seeker, helper = members.alias("seeker"), members.alias("helper")
    rows = conn.execute(
        select(
            introductions.c.public_id,
            introductions.c.need_id,
            introductions.c.offer_id,
            introductions.c.seeker_id,
            introductions.c.helper_id,
            introductions.c.seeker_answer,
            introductions.c.helper_answer,
            introductions.c.connected_at,
            introductions.c.outcome,
            introductions.c.message,
            seeker.c.name.label("seeker_name"),
            helper.c.name.label("helper_name"),
        )
        .join(seeker, seeker.c.id == introductions.c.seeker_id)
        .join(helper, helper.c.id == introductions.c.helper_id)
        .where(introductions.c.event_id == event_id)
        .order_by(introductions.c.created_at, introductions.c.id)
    )
    return [dict(r._mapping) for r in rows]
