"""Moving members: when a member's "moving to" (or location) falls in another chapter's region, hand them over.

The hub proposes the handoff (a `handoffs` row) and shows the mover both sides, as the issue's story asks: warm
introductions into the new chapter — its leads, and the members there whose needs the mover's offers can meet —
and where they can still help in the chapter they are leaving. Both chapters' leads see it on their dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.hub.domain import events as rules
from givefirst.hub.domain.access import can_see
from givefirst.hub.domain.model import Chapter, Member
from givefirst.hub.domain.regions import proposed_move
from givefirst.hub.services.context import Hub
from givefirst.hub.store import events as stored_events
from givefirst.hub.store import handoffs as store
from givefirst.hub.store import members as stored_members
from givefirst.hub.store.handoffs import Handoff
from givefirst.hub.store.pairs import MatchedPair, pairs_of_helper


def refresh(hub: Hub, member: Member) -> Handoff | None:
    """Propose the handoff `member`'s places call for (once per target chapter); return the live one, if any.

    A handoff the member dismissed is not proposed again for the same chapter; a new "moving to" elsewhere is.
    """
    with hub.engine.begin() as conn:
        chapters = stored_members.all_chapters(conn)
        move = proposed_move(member.chapter_id, member.location, member.moving_to, chapters)
        if move is None:
            return None
        found = store.latest_for(conn, member.id, move.to_chapter.id)
        if found is None:
            return store.propose(conn, member.id, member.chapter_id, move.to_chapter.id, hub.now())
        return found if found.status != "dismissed" else None


def propose_all(hub: Hub) -> int:
    """Scan every member with a location or "moving to" and propose the handoffs due; return how many are new."""
    with hub.engine.connect() as conn:
        movers = store.members_with_places(conn)
    made = 0
    for member in movers:
        with hub.engine.connect() as conn:
            before = store.latest_for(conn, member.id)
        after = refresh(hub, member)
        made += after is not None and (before is None or before.id != after.id)
    return made


@dataclass(frozen=True)
class MovingPage:
    handoff: Handoff | None
    from_chapter: Chapter | None
    to_chapter: Chapter | None
    new_leads: list[Member]
    help_there: list[MatchedPair]  # needs in the new chapter the mover's offers can meet
    help_here: list[MatchedPair]  # needs in the chapter they leave that they can still meet


def _one_per_seeker(pairs: list[MatchedPair], limit: int = 12) -> list[MatchedPair]:
    seen: set[int] = set()
    out = []
    for pair in pairs:
        if pair.need.member_id not in seen:
            seen.add(pair.need.member_id)
            out.append(pair)
    return out[:limit]


def moving_page(hub: Hub, member: Member) -> MovingPage:
    """Return what the mover should see: the handoff, the new chapter's leads and needs, the old chapter's needs."""
    handoff = refresh(hub, member)
    if handoff is None:
        return MovingPage(None, None, None, [], [], [])
    viewer = member.viewer
    with hub.engine.connect() as conn:
        chapters = {c.id: c for c in stored_members.all_chapters(conn)}
        leads = stored_events.chapter_leads(conn, handoff.to_chapter_id)
        there = pairs_of_helper(conn, member.id, rules.HELP_THRESHOLD, seeker_chapter_id=handoff.to_chapter_id)
        here = pairs_of_helper(conn, member.id, rules.HELP_THRESHOLD, seeker_chapter_id=handoff.from_chapter_id)

    def visible(pairs: list[MatchedPair]) -> list[MatchedPair]:
        return _one_per_seeker(
            [p for p in pairs if can_see(viewer, p.need.member_id, p.need.member_chapter_id, p.need.visibility)]
        )

    return MovingPage(
        handoff=handoff,
        from_chapter=chapters.get(handoff.from_chapter_id),
        to_chapter=chapters.get(handoff.to_chapter_id),
        new_leads=leads,
        help_there=visible(there),
        help_here=visible(here),
    )


def answer(hub: Hub, member: Member, status: str) -> None:
    """The mover accepts the handoff (the new chapter's leads are told) or dismisses it."""
    if status not in ("accepted", "dismissed"):
        raise InvalidInputError(f"a handoff is accepted or dismissed, not {status!r}")
    handoff = refresh(hub, member)
    if handoff is None:
        raise NotFoundError("there is no handoff to answer")
    with hub.engine.begin() as conn:
        store.answer(conn, handoff.id, status, hub.now())


def chapter_handoffs(hub: Hub, chapter_id: int) -> tuple[list[tuple[Handoff, Member]], list[tuple[Handoff, Member]]]:
    """Return the chapter's live handoffs: members moving in, members moving out."""
    with hub.engine.connect() as conn:
        found = store.of_chapter(conn, chapter_id)
    return [h for h in found if h[0].to_chapter_id == chapter_id], [
        h for h in found if h[0].from_chapter_id == chapter_id
    ]
