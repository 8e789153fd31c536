"""The demo's introductions: needs and offers that share a trade, between members who may see each other's item
(the access rule itself decides), in every state an introduction can be in — proposed, half accepted,
connected, declined (and then never proposed again), and closed with each outcome."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from givefirst.hub.demo import content as T
from givefirst.hub.demo.cast import MOVER
from givefirst.hub.demo.records import DemoIntroduction, DemoItem, Scenario, public_id
from givefirst.hub.domain.access import Role, Viewer, Visibility, can_see

PER_CHAPTER = 12
ACROSS_CHAPTERS = 4
# (seeker's answer, helper's answer, outcome): the states shown, in turn
STATES: tuple[tuple[str, str, str | None], ...] = (
    ("pending", "pending", None),
    ("accepted", "pending", None),
    ("accepted", "accepted", "helped"),
    ("pending", "accepted", None),
    ("accepted", "accepted", None),
    ("declined", "pending", None),
    ("accepted", "accepted", "hired"),
    ("accepted", "declined", None),
    ("accepted", "accepted", "no_thanks"),
    ("accepted", "accepted", "helped"),
)


class _Pairs:
    def __init__(self, s: Scenario) -> None:
        chapters = {c.key: n for n, c in enumerate(s.chapters, 1)}
        self.members = {m.key: m for m in s.members}
        self.number = {m.key: n for n, m in enumerate(s.members, 1)}
        self.viewers = {m.key: Viewer(self.number[m.key], chapters[m.chapter], Role(m.role)) for m in s.members}
        self.chapter_no = {m.key: chapters[m.chapter] for m in s.members}

    def sees(self, viewer: str, item: DemoItem) -> bool:
        owner = item.member
        return can_see(self.viewers[viewer], self.number[owner], self.chapter_no[owner], Visibility(item.visibility))

    def fit(self, need: DemoItem, offer: DemoItem) -> bool:
        """Two members' items that share a tag, each visible to the other member (double opt-in needs both)."""
        return (
            need.member != offer.member
            and bool(set(need.tags) & set(offer.tags))
            and self.sees(offer.member, need)
            and self.sees(need.member, offer)
        )


def _introduce(
    s: Scenario,
    rng: random.Random,
    now: datetime,
    pairs: _Pairs,
    need: DemoItem,
    offer: DemoItem,
    state: tuple[str, str, str | None],
    *,
    proposer: str | None,
    event: str | None = None,
    at: datetime | None = None,
) -> None:
    seeker_answer, helper_answer, outcome = state
    seeker, helper = pairs.members[need.member], pairs.members[offer.member]
    start = max(need.created_at, offer.created_at)
    created = at or start + (now - start) * rng.uniform(0.2, 0.8)
    both = seeker_answer == helper_answer == "accepted"  # contact details are shared from then on
    connected = created + (now - created) * rng.uniform(0.1, 0.4) if both else None
    outcome_at = connected + (now - connected) * rng.uniform(0.3, 0.9) if connected and outcome else None
    thanks = outcome in ("helped", "hired") and rng.random() < 0.7
    s.introductions.append(
        DemoIntroduction(
            public_id=public_id(rng),
            kind="lead" if rng.random() < 0.2 else "referral",
            need=need.key,
            offer=offer.key,
            proposer=proposer,
            seeker=seeker.key,
            helper=helper.key,
            seeker_answer=seeker_answer,
            helper_answer=helper_answer,
            message=rng.choice(T.INTRO_MESSAGES).format(seeker=seeker.name.split()[0], helper=helper.name.split()[0]),
            created_at=created,
            event=event,
            connected_at=connected,
            outcome=outcome,
            outcome_note=rng.choice(T.OUTCOME_NOTES[outcome]) if outcome else "",
            outcome_at=outcome_at,
            seeker_thanks_public=thanks,
            helper_thanks_public=thanks and rng.random() < 0.85,
        )
    )
    if "declined" in state[:2]:
        by = seeker.key if seeker_answer == "declined" else helper.key
        s.declined.append((need.key, offer.key, by))


def _lead_of(s: Scenario, chapter: str) -> str:
    return next(m.key for m in s.members if m.chapter == chapter and m.role == "lead")


def add_introductions(s: Scenario, rng: random.Random, now: datetime) -> None:
    """Introductions in every chapter and a few across chapters, in every state; the mover's first."""
    pairs = _Pairs(s)
    open_items = [i for i in s.items if i.status == "open"]
    needs = [i for i in open_items if i.kind == "need"]
    offers_by_tag: dict[str, list[DemoItem]] = defaultdict(list)
    for offer in (i for i in open_items if i.kind == "offer"):
        for tag in offer.tags:
            offers_by_tag[tag].append(offer)
    used: set[tuple[str, str]] = set()
    chapter_of = {m.key: m.chapter for m in s.members}
    past_event = {e.chapter: e for e in s.events if e.starts_at < now}

    def pick(need: DemoItem, same_chapter: bool) -> DemoItem | None:
        found = [
            o
            for tag in need.tags
            for o in offers_by_tag.get(tag, ())
            if (need.key, o.key) not in used
            and (chapter_of[o.member] == chapter_of[need.member]) == same_chapter
            and pairs.fit(need, o)
        ]
        return rng.choice(found) if found else None

    # The story first: Fiona (AOP Florida's lead) puts Jordan in touch with Marcus before the move.
    by_member: dict[str, list[DemoItem]] = defaultdict(list)
    for item in open_items:
        by_member[item.member].append(item)
    tampa_need = next(i for i in by_member[MOVER] if i.kind == "need" and "tampa" in i.tags)
    marcus_offer = next(i for i in by_member["marcus"] if i.kind == "offer")
    _introduce(s, rng, now, pairs, tampa_need, marcus_offer, ("accepted", "pending", None), proposer="fiona")
    used.add((tampa_need.key, marcus_offer.key))
    # and a give in the chapter Jordan is leaving, made at its last meeting
    jordan_offer = next(i for i in by_member[MOVER] if i.kind == "offer" and "forecasting" in i.tags)
    for need in needs:
        if chapter_of[need.member] == "ny" and need.member != MOVER and pairs.fit(need, jordan_offer):
            event = past_event["ny"]
            _introduce(s, rng, now, pairs, need, jordan_offer, ("accepted", "accepted", "helped"),
                       proposer=_lead_of(s, "ny"), event=event.key, at=event.ends_at + timedelta(hours=2))  # fmt: skip
            used.add((need.key, jordan_offer.key))
            break

    shuffled = list(needs)
    rng.shuffle(shuffled)
    for chapter in s.chapters:
        made = 0
        for need in (n for n in shuffled if chapter_of[n.member] == chapter.key):
            if made == PER_CHAPTER:
                break
            found = pick(need, same_chapter=True)
            if found is None:
                continue
            meeting = past_event[chapter.key] if made % 4 == 1 else None  # a quarter made at the last meeting
            proposer = rng.choice((None, _lead_of(s, chapter.key), found.member))
            _introduce(s, rng, now, pairs, need, found, STATES[made % len(STATES)], proposer=proposer,
                       event=meeting.key if meeting else None,
                       at=meeting.ends_at + timedelta(hours=rng.randrange(1, 30)) if meeting else None)  # fmt: skip
            used.add((need.key, found.key))
            made += 1
    made = 0
    for need in shuffled:
        if made == ACROSS_CHAPTERS:
            break
        across = pick(need, same_chapter=False)
        if across is not None:
            _introduce(s, rng, now, pairs, need, across, STATES[(made * 3) % len(STATES)], proposer=None)
            used.add((need.key, across.key))
            made += 1
