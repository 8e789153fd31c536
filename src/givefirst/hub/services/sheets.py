"""Prep sheets for a meeting: each attendee's page, and the lead's sheet for the whole room.

Built from the engine's pairs (the `matches` table) among the members who said going or maybe (or were checked
in). Each sheet shows only what its reader may see: an attendee's sheet passes every item through
`domain.access.can_see` for that attendee, the room sheet for the lead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.hub.domain import events as rules
from givefirst.hub.domain.access import Role, Viewer, can_see
from givefirst.hub.domain.events import Attendee, Event
from givefirst.hub.domain.model import HubItem, Member
from givefirst.hub.services.context import Hub
from givefirst.hub.services.events import find_event, require_lead
from givefirst.hub.services.public_ids import new_public_id
from givefirst.hub.store import events as store
from givefirst.hub.store import pairs as stored_pairs
from givefirst.hub.store.pairs import MatchedPair


def _sees(viewer: Viewer, item: HubItem) -> bool:
    return can_see(viewer, item.member_id, item.member_chapter_id, item.visibility)


@dataclass(frozen=True)
class Suggested:
    public_id: str
    other_name: str
    i_help: bool  # True: I am the helper in this introduction
    answered: bool  # I have answered it already


@dataclass(frozen=True)
class Sheet:
    event: Event
    me: Member
    attending: bool
    i_can_help: list[MatchedPair]  # my offers ↔ attendees' needs
    can_help_me: list[MatchedPair]  # attendees' offers ↔ my needs
    suggested: list[Suggested]
    attendee_count: int


def attendee_sheet(hub: Hub, member: Member, public_id: str) -> Sheet:
    """Return my one-page sheet for a meeting: whom there I can help and how, who can help me, and the
    introductions the lead suggests."""
    event = find_event(hub, member, public_id)
    with hub.engine.connect() as conn:
        coming = store.attendees(conn, event)
        ids = {a.member_id for a in coming} | {member.id}
        pairs = stored_pairs.pairs_among(conn, ids, rules.HELP_THRESHOLD)
        introductions = store.event_introductions(conn, event.id)
    viewer = member.viewer
    # one line per other member and direction: their best pair stands for the rest
    i_help = _best_per_person(p for p in pairs if p.offer.member_id == member.id and _sees(viewer, p.need))
    helped = _best_per_person(p for p in pairs if p.need.member_id == member.id and _sees(viewer, p.offer))
    suggested = []
    for intro in introductions:
        if member.id not in (intro["seeker_id"], intro["helper_id"]):
            continue
        mine_helper = intro["helper_id"] == member.id
        answer = intro["helper_answer"] if mine_helper else intro["seeker_answer"]
        other = intro["seeker_name"] if mine_helper else intro["helper_name"]
        suggested.append(Suggested(intro["public_id"], other, mine_helper, answer != "pending"))
    return Sheet(
        event=event,
        me=member,
        attending=member.id in {a.member_id for a in coming},
        i_can_help=i_help,
        can_help_me=helped,
        suggested=suggested,
        attendee_count=len(coming),
    )


def _mutual(pair: MatchedPair) -> bool:
    helper = Viewer(pair.offer.member_id, pair.offer.member_chapter_id, Role.MEMBER)
    seeker = Viewer(pair.need.member_id, pair.need.member_chapter_id, Role.MEMBER)
    return _sees(helper, pair.need) and _sees(seeker, pair.offer)


def _best_per_person(pairs: Iterable[MatchedPair]) -> list[MatchedPair]:
    seen: set[tuple[int, int]] = set()
    out: list[MatchedPair] = []
    for pair in pairs:
        key = (pair.need.member_id, pair.offer.member_id)
        if key not in seen:
            seen.add(key)
            out.append(pair)
    return out


@dataclass(frozen=True)
class Unanswered:
    need: HubItem
    owner_name: str
    owner_public_id: str
    nobody_in_chapter: bool  # False: someone in the chapter could, just not in this room


@dataclass(frozen=True)
class RoomSheet:
    event: Event
    attendees: list[Attendee]
    pairs: list[MatchedPair]  # who should meet whom, best first
    newcomers: list[Attendee]
    unanswered: list[Unanswered]
    introductions: list[dict[str, object]]


def room_sheet(hub: Hub, lead: Member, public_id: str) -> RoomSheet:
    """Return the lead's sheet for the room: best pairs among attendees, newcomers, needs nobody can answer yet."""
    event = find_event(hub, lead, public_id)
    require_lead(lead, event.chapter_id)
    viewer = lead.viewer
    with hub.engine.connect() as conn:
        coming = store.attendees(conn, event)
        ids = [a.member_id for a in coming]
        found = stored_pairs.pairs_among(conn, ids, rules.HELP_THRESHOLD)
        before = store.meetings_attended_before(conn, ids, event.starts_at)
        records_since = store.first_meeting_before(conn, event.chapter_id, event.starts_at)
        needs = [n for n in stored_pairs.open_needs_of(conn, ids) if _sees(viewer, n[0])]
        helpers = stored_pairs.best_helpers(conn, [n[0].id for n in needs])
        introductions = store.event_introductions(conn, event.id)
    # a pair is proposed only when the lead may see both items and each member the other's (as a plain member)
    visible = [p for p in found if _sees(viewer, p.need) and _sees(viewer, p.offer) and _mutual(p)]
    by_key = {(p.need.id, p.offer.id): p for p in visible}
    chosen = rules.best_pairs(
        rules.Pair(p.need.member_id, p.offer.member_id, p.need.id, p.offer.id, p.score) for p in visible
    )
    room = set(ids)
    unanswered = []
    for need, owner_name, owner_pid in needs:
        able = [h for h in helpers[need.id] if h[2] >= rules.HELP_THRESHOLD]
        if any(owner in room for owner, _, _ in able):
            continue
        unanswered.append(Unanswered(need, owner_name, owner_pid, not any(ch == event.chapter_id for _, ch, _ in able)))
    now = hub.now()
    return RoomSheet(
        event=event,
        attendees=coming,
        pairs=[by_key[(c.need_id, c.offer_id)] for c in chosen],
        newcomers=[
            a
            for a in coming
            if rules.is_newcomer(a.joined_at, before.get(a.member_id, 0), min(now, event.starts_at), records_since)
        ],
        unanswered=unanswered,
        introductions=introductions,
    )


def suggest(hub: Hub, lead: Member, public_id: str, need_public_id: str, offer_public_id: str) -> bool:
    """Suggest, for this meeting, the introduction of a pair from the room sheet; False if already suggested.

    The pair must be one the room sheet shows (both attending, both sides visible); otherwise NotFoundError.
    """
    sheet = room_sheet(hub, lead, public_id)
    for pair in sheet.pairs:
        if pair.need.public_id == need_public_id and pair.offer.public_id == offer_public_id:
            break
    else:
        raise NotFoundError("that pair is not on this meeting's room sheet")
    if sheet.event.is_past(hub.now()):
        raise InvalidInputError("this meeting is over: suggest introductions on the board instead")
    message = f"Suggested by {lead.name} for {sheet.event.title}: {pair.need.text[:200]}"
    with hub.engine.begin() as conn:
        return store.suggest_introduction(
            conn,
            new_public_id(),
            sheet.event.id,
            pair.need.id,
            pair.offer.id,
            pair.need.member_id,
            pair.offer.member_id,
            lead.id,
            message,
            hub.now(),
        )
