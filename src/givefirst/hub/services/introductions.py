"""Introductions through the hub: proposing one, each side's answer, outcomes, public thanks, and the figures.

A member proposes an introduction of a need's owner (the seeker) to an offer's owner (the helper), or offers
their own help on a need. The side that proposed counts as having accepted; the other answers. Contact details
(e-mail) appear to the two only once both accepted; a "no" ends it and the pair of members is never proposed
again — by `/help`, by matching, or by anyone else. An introduction is seen only by the two sides and the member
who proposed it: to anyone else it does not exist.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.hub.domain import introductions as rules
from givefirst.hub.domain.access import can_see
from givefirst.hub.domain.introductions import ACCEPTED, Introduction
from givefirst.hub.domain.matching import Group, may_meet
from givefirst.hub.domain.model import HubItem, Member
from givefirst.hub.services.context import Hub
from givefirst.hub.services.items import get_item
from givefirst.hub.services.public_ids import new_public_id
from givefirst.hub.store import introductions as store
from givefirst.hub.store import members as member_store
from givefirst.hub.store.schema import matches


@dataclass(frozen=True)
class IntroView:
    """An introduction as one of its members sees it."""

    intro: Introduction
    my_side: str  # seeker | helper | proposer
    seeker: str
    helper: str
    proposer: str  # "" when the hub proposed it
    need_text: str
    offer_text: str
    contact: dict[str, str] = field(default_factory=dict)  # name → e-mail, once both accepted (the two sides only)

    @property
    def kind_label(self) -> str:
        return rules.KINDS[self.intro.kind]

    def as_dict(self) -> dict[str, object]:
        i = self.intro
        return {
            "id": i.public_id, "kind": i.kind, "kind_label": self.kind_label, "state": i.state,
            "your_side": self.my_side, "seeker": self.seeker, "helper": self.helper, "proposer": self.proposer or None,
            "need": self.need_text, "offer": self.offer_text or None, "message": i.message,
            "seeker_answer": i.seeker_answer, "helper_answer": i.helper_answer,
            "created_at": i.created_at.isoformat(),
            "connected_at": i.connected_at.isoformat() if i.connected_at else None,
            "outcome": i.outcome, "outcome_note": i.outcome_note,
            "thanks_public": i.thanked_publicly, "contact": self.contact,
        }  # fmt: skip


def _group(member: Member, item: HubItem) -> Group:
    return Group(member.chapter_id, member.role, item.visibility)


def _owner(hub: Hub, member_id: int) -> Member:
    with hub.engine.connect() as conn:
        found = member_store.member_by_id(conn, member_id)
    if found is None or found.deleted:
        raise NotFoundError("that member has left the hub")
    return found


def propose(
    hub: Hub, proposer: Member, need_public_id: str, offer_public_id: str | None = None, *, kind: str = "lead",
    message: str = "", helper: Member | None = None,
) -> IntroView:  # fmt: skip
    """Propose introducing the owner of a need to the owner of an offer (or to `helper`, offering themself)."""
    kind, message = rules.clean_kind(kind), rules.clean_message(message)
    need = get_item(hub, proposer, need_public_id)
    offer = get_item(hub, proposer, offer_public_id) if offer_public_id else None
    if need.kind != "need" or (offer is not None and offer.kind != "offer"):
        raise InvalidInputError("an introduction puts a need in touch with an offer")
    if need.status != "open" or (offer is not None and offer.status != "open"):
        raise InvalidInputError("that need or offer is closed")
    seeker = _owner(hub, need.member_id)
    helping = _owner(hub, offer.member_id) if offer is not None else helper
    if helping is None:
        raise InvalidInputError("name the offer (or the member) that could help")
    if helping.id == seeker.id:
        raise InvalidInputError("that is the same member on both sides")
    # Each side will read the other's item: both must be allowed to (a leads-only need stays with the leads).
    if not can_see(helping.viewer, seeker.id, seeker.chapter_id, need.visibility) or (
        offer is not None and not may_meet(_group(seeker, need), _group(helping, offer))
    ):
        raise InvalidInputError("these two members may not see each other's items, so the hub cannot introduce them")
    now = hub.now()
    with hub.engine.begin() as conn:
        if store.declined_between(conn, seeker.id, helping.id):
            raise InvalidInputError("an introduction between these two members was declined; it is not proposed again")
        if store.live_intro_for(conn, need.id, helping.id) is not None:
            raise InvalidInputError("this need and this member have already been introduced")
        seeker_answer = ACCEPTED if proposer.id == seeker.id else rules.PENDING
        helper_answer = ACCEPTED if proposer.id == helping.id else rules.PENDING
        intro_id = store.insert_intro(
            conn,
            {"public_id": new_public_id(), "kind": kind, "need_id": need.id,
             "offer_id": offer.id if offer else None, "proposer_id": proposer.id, "seeker_id": seeker.id,
             "helper_id": helping.id, "seeker_answer": seeker_answer, "helper_answer": helper_answer,
             "message": message, "created_at": now},
        )  # fmt: skip
        intro = store.intro_by_id(conn, intro_id)
    assert intro is not None
    return _view(hub, intro, proposer)


def offer_help(hub: Hub, helper: Member, need_public_id: str, message: str = "") -> IntroView:
    """Offer the member's own help on a need: a referral (the need was posted to be answered), with the
    member's offer the engine paired with it, when there is one."""
    need = get_item(hub, helper, need_public_id)
    with hub.engine.connect() as conn:
        from sqlalchemy import select

        from givefirst.hub.store.schema import items

        offer_id = conn.execute(
            select(items.c.public_id).join(matches, matches.c.offer_id == items.c.id)
            .where(matches.c.need_id == need.id, items.c.member_id == helper.id, items.c.status == "open")
            .order_by(matches.c.score.desc()).limit(1)
        ).scalar()  # fmt: skip
    return propose(hub, helper, need_public_id, offer_id, kind="referral", message=message, helper=helper)


def _mine(hub: Hub, member: Member, public_id: str) -> Introduction:
    with hub.engine.connect() as conn:
        intro = store.intro_by_public_id(conn, public_id)
    if intro is None or intro.side_of(member.id) is None:
        raise NotFoundError(f"there is no introduction {public_id!r}")
    return intro


def answer(hub: Hub, member: Member, public_id: str, accept: bool) -> IntroView:
    """Accept or decline an introduction; a "no" is remembered so the pair is never proposed again."""
    intro = _mine(hub, member, public_id)
    column = rules.answer_field(intro, member.id)
    now = hub.now()
    with hub.engine.begin() as conn:
        store.update_intro(conn, intro.id, {column: ACCEPTED if accept else rules.DECLINED})
        updated = store.intro_by_id(conn, intro.id)
        assert updated is not None
        if updated.state == "connected":
            store.update_intro(conn, intro.id, {"connected_at": now})
        elif updated.state == "declined":
            store.add_declined(conn, updated, member.id, now)
        final = store.intro_by_id(conn, intro.id)
    assert final is not None
    return _view(hub, final, member)


def record_outcome(
    hub: Hub, member: Member, public_id: str, outcome: str, *, note: str = "", thanks_public: bool = False
) -> IntroView:
    """Record how it went (either side; the last word stands) and whether this side agrees to thank publicly."""
    intro = _mine(hub, member, public_id)
    value = rules.check_outcome(intro, member.id, outcome)
    side = intro.side_of(member.id)
    values: dict[str, object] = {"outcome": value, "outcome_note": rules.clean_message(note),
                                 "outcome_at": hub.now(), f"{side}_thanks_public": bool(thanks_public)}  # fmt: skip
    with hub.engine.begin() as conn:
        store.update_intro(conn, intro.id, values)
        final = store.intro_by_id(conn, intro.id)
    assert final is not None
    return _view(hub, final, member)


def set_thanks(hub: Hub, member: Member, public_id: str, public: bool) -> IntroView:
    """Agree (or no longer agree) to thank publicly; the thanks shows only when both sides agree."""
    intro = _mine(hub, member, public_id)
    side = intro.side_of(member.id)
    if side not in ("seeker", "helper") or intro.state != "connected":
        raise InvalidInputError("the two members introduced agree to public thanks, once connected")
    with hub.engine.begin() as conn:
        store.update_intro(conn, intro.id, {f"{side}_thanks_public": public})
        final = store.intro_by_id(conn, intro.id)
    assert final is not None
    return _view(hub, final, member)


def _view(hub: Hub, intro: Introduction, member: Member) -> IntroView:
    return _views(hub, [intro], member)[0]


def _views(hub: Hub, found: list[Introduction], member: Member) -> list[IntroView]:
    with hub.engine.connect() as conn:
        people = store.names(conn, {p for i in found for p in (i.seeker_id, i.helper_id, i.proposer_id) if p})
        texts = store.item_texts(conn, {t for i in found for t in (i.need_id, i.offer_id) if t})
    out = []
    for i in found:
        side = i.side_of(member.id) or ""

        def name(member_id: int | None) -> str:
            return people[member_id][0] if member_id in people else "a former member"

        contact: dict[str, str] = {}
        if i.state == "connected" and side in ("seeker", "helper"):
            contact = {people[p][0]: people[p][2] for p in (i.seeker_id, i.helper_id) if p in people}
        out.append(IntroView(
            i, side, name(i.seeker_id), name(i.helper_id), name(i.proposer_id) if i.proposer_id else "",
            texts.get(i.need_id or 0, ("", "(the need was deleted)"))[1],
            texts.get(i.offer_id or 0, ("", ""))[1], contact,
        ))  # fmt: skip
    return out


def get(hub: Hub, member: Member, public_id: str) -> IntroView:
    return _view(hub, _mine(hub, member, public_id), member)


def introductions_of(hub: Hub, member: Member) -> list[IntroView]:
    with hub.engine.connect() as conn:
        found = store.intros_of(conn, member.id)
    return _views(hub, found, member)


@dataclass(frozen=True)
class Thanks:
    seeker: str
    helper: str
    need: str
    outcome: str
    note: str
    at: datetime | None


def thanks_wall(hub: Hub, viewer: Member, limit: int = 10) -> list[Thanks]:
    """Return the public thanks the viewer may see (the need behind each must be visible to them)."""
    with hub.engine.connect() as conn:
        rows = store.thanks_wall(conn, viewer.viewer, limit)
    return [Thanks(r.seeker_name, r.helper_name, r.need_text, rules.OUTCOMES.get(r.outcome, r.outcome),
                   r.outcome_note, r.outcome_at) for r in rows]  # fmt: skip


@dataclass
class ChapterFigures:
    """A chapter's gives and introductions per month (YYYY-MM), and how introductions ended."""

    chapter_id: int
    since: datetime
    introductions: dict[str, int] = field(default_factory=dict)  # proposed, by month
    connected: dict[str, int] = field(default_factory=dict)  # both accepted, by month
    gives: dict[str, int] = field(default_factory=dict)  # helped or hired, by the month it was recorded
    referrals: int = 0
    leads: int = 0
    declined: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # helped / hired / no_thanks

    def months(self) -> list[str]:
        return sorted(set(self.introductions) | set(self.connected) | set(self.gives))

    def as_dict(self) -> dict[str, object]:
        return {"chapter_id": self.chapter_id, "since": self.since.isoformat(),
                "months": [{"month": m, "introductions": self.introductions.get(m, 0),
                            "connected": self.connected.get(m, 0), "gives": self.gives.get(m, 0)}
                           for m in self.months()],
                "referrals": self.referrals, "leads": self.leads, "declined": self.declined,
                "outcomes": self.outcomes}  # fmt: skip


def chapter_figures(hub: Hub, chapter_id: int, since: datetime) -> ChapterFigures:
    """Return the chapter's figures since `since`: introductions in which one of its members is a side, and gives
    (an introduction that helped or got someone hired) made by its members. For the lead's dashboard."""
    figures = ChapterFigures(chapter_id, since)
    intros, connected, gives, outcomes = Counter[str](), Counter[str](), Counter[str](), Counter[str]()
    with hub.engine.connect() as conn:
        rows = store.chapter_rows(conn, chapter_id, since)
    for r in rows:
        if r.created_at >= since:
            intros[r.created_at.strftime("%Y-%m")] += 1
            figures.referrals += r.kind == "referral"
            figures.leads += r.kind == "lead"
            figures.declined += rules.DECLINED in (r.seeker_answer, r.helper_answer)
        if r.connected_at is not None and r.connected_at >= since:
            connected[r.connected_at.strftime("%Y-%m")] += 1
        if r.outcome and r.outcome_at is not None and r.outcome_at >= since:
            outcomes[r.outcome] += 1
            if r.outcome in ("helped", "hired") and r.helper_chapter == chapter_id:
                gives[r.outcome_at.strftime("%Y-%m")] += 1
    figures.introductions, figures.connected, figures.gives = dict(intros), dict(connected), dict(gives)
    figures.outcomes = dict(outcomes)
    return figures
