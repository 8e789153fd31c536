"""The demo's meetings: in each chapter, one held last week or so (RSVPs, check-ins at the door, conversations
with their 48-hour follow-ups) and one coming up (RSVPs so far)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from givefirst.hub.demo import content as T
from givefirst.hub.demo.cast import MOVER
from givefirst.hub.demo.records import DemoConversation, DemoEvent, DemoMember, DemoRsvp, Scenario, public_id

FOLLOW_UP = timedelta(hours=48)


def _weekday_evening(day: date, zone: str, at: time = time(18, 30)) -> datetime:
    """`day` moved to the nearest Tuesday–Thursday, at `at` local time, as naive UTC."""
    while day.weekday() not in (1, 2, 3):
        day += timedelta(days=1)
    local = datetime.combine(day, at, tzinfo=ZoneInfo(zone))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _event(s: Scenario, rng: random.Random, chapter: str, starts: datetime, topic: str, lead: str) -> DemoEvent:
    spec = next(c for c in T.CHAPTERS if c.key == chapter)
    title = rng.choice(T.MEETING_TITLES).format(chapter=spec.name, topic=topic)
    event = DemoEvent(
        key=f"e{len(s.events) + 1}",
        public_id=public_id(rng),
        chapter=chapter,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place=rng.choice(spec.venues),
        description=(
            f"{topic[0].upper()}{topic[1:]}. Bring one need and one offer: the room is planned around who can help "
            "whom. Doors open 30 minutes before; check in with your QR code at the door."
        ),
        created_by=lead,
        created_at=starts - timedelta(days=rng.randrange(21, 35)),
    )
    s.events.append(event)
    return event


def _past(s: Scenario, rng: random.Random, now: datetime, event: DemoEvent, members: list[DemoMember]) -> None:
    present: list[str] = []
    for m in members:
        if m.joined_at > event.created_at or rng.random() > 0.5:
            continue
        answer = rng.choices(("going", "maybe", "no"), weights=(70, 15, 15))[0]
        came = (answer == "going" and rng.random() < 0.85) or (answer == "maybe" and rng.random() < 0.35)
        checked = event.starts_at - timedelta(minutes=rng.randrange(-40, 30)) if came else None
        answered = event.created_at + (event.starts_at - event.created_at) * rng.random()
        s.rsvps.append(DemoRsvp(event.key, m.key, answer, answered, checked))
        if came:
            present.append(m.key)
    for member in present:
        for other in rng.sample(present, min(len(present), rng.choice((0, 1, 1, 2, 3)))):
            if other == member or any(
                c.event == event.key and c.member == member and c.other == other for c in s.conversations
            ):
                continue
            recorded = event.ends_at + timedelta(minutes=rng.randrange(5, 600))
            due = recorded + FOLLOW_UP
            done = due + timedelta(hours=rng.uniform(-40, 30)) if due < now and rng.random() < 0.6 else None
            s.conversations.append(
                DemoConversation(event.key, member, other, rng.choice(T.CONVERSATION_NOTES), recorded, due, done)
            )


def _upcoming(s: Scenario, rng: random.Random, now: datetime, event: DemoEvent, members: list[DemoMember]) -> None:
    for m in members:
        if m.key != MOVER and rng.random() > 0.3:
            continue
        answer = "going" if m.key == MOVER else rng.choices(("going", "maybe", "no"), weights=(65, 25, 10))[0]
        answered = max(event.created_at, m.joined_at) + (now - max(event.created_at, m.joined_at)) * rng.random()
        s.rsvps.append(DemoRsvp(event.key, m.key, answer, min(answered, now)))


def add_events(s: Scenario, rng: random.Random, now: datetime, by_chapter: dict[str, list[DemoMember]]) -> None:
    """A past and an upcoming meeting for every chapter, created by one of its leads."""
    topics = list(T.MEETING_TOPICS)
    rng.shuffle(topics)
    for n, spec in enumerate(T.CHAPTERS):
        members = by_chapter[spec.key]
        lead = next(m.key for m in members if m.role == "lead")
        past_day = (now - timedelta(days=rng.randrange(12, 16))).date()
        # 12 to 15 days back, moved forward to a Tuesday–Thursday: at least six days ago
        past = _event(s, rng, spec.key, _weekday_evening(past_day, spec.timezone), topics[2 * n], lead)
        _past(s, rng, now, past, members)
        next_day = (now + timedelta(days=rng.randrange(6, 15))).date()
        upcoming = _event(s, rng, spec.key, _weekday_evening(next_day, spec.timezone), topics[2 * n + 1], lead)
        _upcoming(s, rng, now, upcoming, members)
