"""Chapter events' pure rules: RSVP answers, the door's check-in code, follow-ups, newcomers and the room's pairs.

No I/O: the signing key and "now" are passed in. The check-in code is an HMAC of the event and the member with
the hub's secret, so a code read at the door proves which member it was issued to, for this event only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FOLLOW_UP_AFTER = timedelta(hours=48)  # the rule: a conversation at a meeting is followed up within 2 days
NEWCOMER_DAYS = 90  # joined this recently: the lead's room sheet asks someone to welcome them
# A pair at or above this calibrated chance is "someone who can help" on the hub's lists: the mover's page, the
# digest, the meeting sheets, the lead's needs nobody can meet, the pairs /help offers to introduce (the needs
# /help lists below it are shown apart, as weaker matches). Lower than the personal plan's display threshold
# (0.85, `match_calibration.DISPLAY_THRESHOLD`), which picks the few things a person is told to do today: these
# are lists a member reads and chooses from, and every introduction they lead to is double opt-in. Chosen by
# rule m8 with a per-set floor of 80 % instead of 85 %: the lowest step of 0.05 at which, there and at every
# higher step, at least 90 % of the pairs shown on the dev, second and third sets pooled are useful, at least 80 %
# on each set alone, and no need without a match is shown anything — 0.70 (dev 94 % of 33, second 91 % of 56,
# third 83 % of 23; at 0.65 the pooled sets fall to 89 %; the fourth set, not used to choose, 91 % of 33; false
# rate 0 on all four; docs/hub-events.md). At 0.85 the demo's mover was told of no need on either side: "I can
# review your S&OP process" ↔ "Need an operations consultant to reset our S&OP and demand forecast" scores 0.83.
HELP_THRESHOLD = 0.70
CODE_LENGTH = 10  # base32 characters of the HMAC typed at the door: 50 bits, readable aloud


class Answer(StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    NO = "no"


ATTENDING = (Answer.GOING.value, Answer.MAYBE.value)


def parse_answer(value: str) -> Answer:
    """Return the RSVP answer named by `value`, or raise ValueError naming the ones allowed."""
    try:
        return Answer(value.strip().lower())
    except ValueError:
        raise ValueError(f"an RSVP is going, maybe or no, not {value!r}") from None


def check_in_code(secret: bytes, event_public_id: str, member_public_id: str) -> str:
    """Return the short code (base32) that checks `member` in at `event`: typed at the door or read from the QR."""
    digest = hmac.new(secret, f"check-in|{event_public_id}|{member_public_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH]


def check_in_token(secret: bytes, event_public_id: str, member_public_id: str) -> str:
    """Return what the member's QR code holds: their public id and the code, so the door needs no lookup by code."""
    return f"{member_public_id}.{check_in_code(secret, event_public_id, member_public_id)}"


def normalise_code(typed: str) -> str:
    """Return a typed or scanned code without the spaces and dashes people add, in capitals (base32 is)."""
    return "".join(typed.split()).replace("-", "").strip()


def code_matches(secret: bytes, event_public_id: str, member_public_id: str, code: str) -> bool:
    expected = check_in_code(secret, event_public_id, member_public_id)
    return hmac.compare_digest(expected, code.upper())


def follow_up_due(event_start: datetime, event_end: datetime | None, recorded_at: datetime) -> datetime:
    """Return when a conversation at the event should be followed up: 48 hours after the meeting ends.

    A conversation recorded later than that is due at once (the reminder still stands until it is done).
    """
    return max((event_end or event_start) + FOLLOW_UP_AFTER, recorded_at)


def is_newcomer(
    joined_at: datetime, events_attended_before: int, now: datetime, records_since: datetime | None = None
) -> bool:
    """Return True for a member who joined fewer than 90 days ago or comes to their first meeting.

    `records_since`: when the chapter's first meeting the hub knows of began (None: this is the first). Only a
    member who joined after it and was checked in at none since comes to a first meeting *that the hub can
    tell*: a chapter that starts using the hub has no check-ins from before, and its long-standing members are
    not newcomers for that (at the demo's second meetings 25 of 31 attendees were, before this rule).
    """
    if now - joined_at < timedelta(days=NEWCOMER_DAYS):
        return True
    return events_attended_before == 0 and records_since is not None and joined_at >= records_since


@dataclass(frozen=True, slots=True)
class Pair:
    """A need of `seeker` that an offer of `helper` may answer, with the engine's score."""

    seeker_id: int
    helper_id: int
    need_id: int
    offer_id: int
    score: float


def best_pairs(candidates: Iterable[Pair], *, per_member: int = 3, limit: int = 30) -> list[Pair]:
    """Return who should meet whom: the best pair of each two members, best first, each member in a few at most.

    Two members meet once however many of their items match (their best pair stands for the rest), and nobody
    is handed more than `per_member` conversations, so that the room's time is spread over more people.
    """
    best: dict[tuple[int, int], Pair] = {}
    for pair in candidates:
        if pair.seeker_id == pair.helper_id or pair.score < HELP_THRESHOLD:
            continue
        key = (min(pair.seeker_id, pair.helper_id), max(pair.seeker_id, pair.helper_id))
        if key not in best or pair.score > best[key].score:
            best[key] = pair
    taken: dict[int, int] = {}
    chosen: list[Pair] = []
    for pair in sorted(best.values(), key=lambda p: (-p.score, p.need_id, p.offer_id)):
        if taken.get(pair.seeker_id, 0) >= per_member or taken.get(pair.helper_id, 0) >= per_member:
            continue
        chosen.append(pair)
        taken[pair.seeker_id] = taken.get(pair.seeker_id, 0) + 1
        taken[pair.helper_id] = taken.get(pair.helper_id, 0) + 1
        if len(chosen) >= limit:
            break
    return chosen


def zone(name: str) -> ZoneInfo:
    """Return the chapter's time zone; one this machine does not know is read as UTC (and shown as such)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_time(moment: datetime, tz: str) -> datetime:
    """Return a stored moment (naive, UTC) in the chapter's zone, as members read it."""
    return moment.replace(tzinfo=UTC).astimezone(zone(tz))


def iso_week(moment: datetime) -> str:
    """Return the ISO week of `moment` as the digests table keys it: 2026-W48."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(value: str) -> str:
    """Return `value` as a canonical ISO week (2026-W05), or raise ValueError saying what a week looks like."""
    head, sep, tail = value.strip().upper().partition("-W")
    if not sep or not head.isdigit() or not tail.isdigit() or not 1 <= int(tail) <= 53:
        raise ValueError(f"a week is written 2026-W49 (ISO year and week), not {value!r}")
    return f"{int(head)}-W{int(tail):02d}"


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    public_id: str
    chapter_id: int
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    description: str

    def is_past(self, now: datetime) -> bool:
        return (self.ends_at or self.starts_at) < now


@dataclass(frozen=True, slots=True)
class Attendee:
    """A member's answer to one event: going, maybe or no, and when they were checked in at the door."""

    member_id: int
    public_id: str
    name: str
    joined_at: datetime
    answer: str | None  # None: never answered, checked in without an RSVP is "going"
    checked_in_at: datetime | None
