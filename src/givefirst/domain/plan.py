"""The daily plan: a short, ranked list of give-first actions built from a snapshot of the network.

Sections, in the order DESIGN.md gives them:

1. owe — promised gives not yet done, follow-ups that fell due, planned meetings to confirm;
2. give — an open need someone has that one of the user's giveables or another contact's offer serves;
3. keep-in-touch — relationships past their cadence, weighted by strength, at-risk ties first;
4. dormant — a real relationship silent for years, while fewer than `dormant_per_week` were revived this week;
5. upcoming — a planned meeting or event soon, with whom the user could help there.

Each section has a quota so one kind cannot crowd out the rest; what is left of the cap goes to the next best
items of any kind. Every item says who, why, a suggested message and the command that marks it done. What the
plan reads and returns (the snapshot, the settings, the items) is in `plan_model.py`.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from givefirst.domain import messages
from givefirst.domain.cadence import DueStatus, at_stake, due_status
from givefirst.domain.decay import days_between
from givefirst.domain.dormant import DormantFacts, Revival, revival
from givefirst.domain.give_first import asks_first
from givefirst.domain.introductions import Action, IntroState, next_step
from givefirst.domain.match_score import is_live
from givefirst.domain.model import ItemKind, NeedOrOffer, Tier
from givefirst.domain.plan_model import (
    CHAPTER_MESSAGE,
    FRESH_FOLLOW_UP_DAYS,
    GOAL_BOOST,
    REAL_TIE_MIN,
    ChapterGive,
    EventItem,
    IntroNudge,
    PersonView,
    PlanInput,
    PlanItem,
    PlanSettings,
    Promise,
    Touchpoint,
    shown_floor,
)
from givefirst.domain.strength import history_term, is_dormant, strength_score, tier_for
from givefirst.domain.weights import Weights
from givefirst.domain.words import plural

# What to type once an introduction's next step is taken.
_INTRO_COMMANDS = {
    Action.ASK: "asked {id}",
    Action.AGREE: "agreed {id} (or declined / no-answer)",
    Action.INTRODUCE: "introduced {id}",
    Action.CLOSE: "close {id} --outcome hired|met|helped|nothing",
}


def _rotation(person_id: int, now: datetime) -> float:
    """Return a stable pseudo-random number in [0, 1) per person and ISO week, to vary revival picks."""
    year, week, _ = now.isocalendar()
    digest = hashlib.blake2b(f"{person_id}:{year}:{week}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def touch_score(stake: float, goal: bool) -> float:
    """Return the score of keeping in touch with a due tie from what is at stake in it (`cadence.at_stake`) and
    whether it reaches a goal; never lower for more at stake."""
    return 0.5 + 0.5 * min(stake + (GOAL_BOOST if goal else 0.0), 1.0 + GOAL_BOOST)


def shortlist_size(s: PlanSettings) -> int:
    """How many of the best candidates of a section the plan considers (the rest can never be shown)."""
    return 3 * s.size


class _Builder:
    def __init__(self, data: PlanInput, now: datetime, w: Weights, s: PlanSettings) -> None:
        self.data, self.now, self.w, self.s = data, now, w, s
        self.names = {pid: p.name for pid, p in data.people.items()}
        self.active = {pid for pid in data.people if pid not in data.snoozed_people}
        self.needs_by_person: dict[int, list[NeedOrOffer]] = {}
        for need in data.needs:
            if is_live(need, now):
                self.needs_by_person.setdefault(need.person_id, []).append(need)
        self._strength: dict[int, float] = {}
        self._tier: dict[int, Tier] = {}
        self.revivals: dict[int, Revival] = {}
        # What the matching engine says the user could give each person, and what each could give the user.
        self.my_gives: dict[int, str] = {}
        self.serves_me: dict[int, str] = {}
        for need, offer, scored in data.suggestions:  # the pairs shown (a need's best one from a lower bar)
            if scored.score < shown_floor(s):
                continue
            if offer.person_id == data.me_id and need.person_id not in self.my_gives:
                self.my_gives[need.person_id] = f"“{offer.text}” for their “{need.text}”"
            if need.person_id == data.me_id and offer.person_id not in self.serves_me:
                self.serves_me[offer.person_id] = f"“{offer.text}” for your “{need.text}”"

    def goal_boost(self, pids: Iterable[int], why: list[str]) -> float:
        """Return the boost for items about people who reach a goal, adding the reason to `why`."""
        for pid in pids:
            reason = self.data.goal_reasons.get(pid)
            if reason:
                why.append(reason)
                return GOAL_BOOST
        return 0.0

    def strength(self, pid: int) -> float:
        if pid not in self._strength:
            p = self.data.people[pid]
            self._strength[pid] = strength_score(p.stats, self.now, self.w, p.strength_override)
        return self._strength[pid]

    def due(self, pid: int) -> DueStatus:
        """The tie's due status, with the strength floor (a tier or cadence the user set is always kept)."""
        p = self.data.people[pid]
        return due_status(p.stats, self.tier(pid), self.now, self.w, p.cadence_override,
                          strength=self.strength(pid), chosen=p.tier_override is not None)  # fmt: skip

    def tier(self, pid: int) -> Tier:
        if pid not in self._tier:
            p = self.data.people[pid]
            if p.tier_override is None and is_dormant(p.stats, self.now, self.w):
                self._tier[pid] = Tier.DORMANT  # years of silence decide it: no need to work out the strength
            else:
                self._tier[pid] = tier_for(self.strength(pid), p.stats, self.now, self.w, p.tier_override)
        return self._tier[pid]

    def allowed(self, key: str, pids: Iterable[int]) -> bool:
        return key not in self.data.snoozed_items and all(pid in self.active for pid in pids)

    def who(self, pids: Iterable[int]) -> tuple[tuple[int, str], ...]:
        return tuple((pid, self.names[pid]) for pid in pids if pid in self.names)

    # 1. what the user owes -------------------------------------------------------------------------------------
    def owe(self) -> list[PlanItem]:
        items: list[PlanItem] = []
        today = self.now.date()
        for p in self.data.promises:
            key = f"promise:{p.exchange_id}"
            if not self.allowed(key, [p.person_id]):
                continue
            name = self.names.get(p.person_id, "?")
            why = [f"you promised this {messages.ago(days_between(p.created_at, self.now))}"]
            if p.requested:
                why.append(f"{messages.first_name(name)} asked you for it")
            late = 0.0
            if p.due_on is not None:
                late = (today - p.due_on).days
                why.append(f"due {p.due_on.isoformat()}" + (f" — {late:.0f} days late" if late > 0 else ""))
            items.append(
                PlanItem(
                    key,
                    ItemKind.OWE,
                    self.who([p.person_id]),
                    f"Deliver to {name}: {p.description}",
                    tuple(why),
                    messages.deliver_promise(name, p.description),
                    3.0 + min(max(late, 0.0), 30.0) / 30.0,
                )
            )
        for f in self.data.follow_ups:
            key = f"followup:{f.interaction_id}"
            if f.follow_up_on is None or (f.follow_up_on - today).days > self.s.follow_up_lead_days:
                continue
            if not self.allowed(key, f.person_ids):
                continue
            names = ", ".join(self.names.get(pid, "?") for pid in f.person_ids)
            # Right after a meeting or an event people still remember the conversation: a follow-up within 48 hours
            # lands; a week later it is a cold note. Fresh ones come first.
            fresh = f.introduction is None and 0 <= days_between(f.at, self.now) <= FRESH_FOLLOW_UP_DAYS
            fu_why: tuple[str, ...] = (
                f"you meant to follow up by {f.follow_up_on.isoformat()}",
                f"after: {f.summary}" if f.summary else "",
                "while they still remember you: within 48 hours of meeting" if fresh else "",
            )
            title, message = f"Follow up with {names}", messages.follow_up(names, f.summary)
            if f.introduction is not None:
                title, message, fu_why = self.introduction_step(f.introduction, fu_why[0])
            items.append(
                PlanItem(
                    key,
                    ItemKind.OWE,
                    self.who(f.person_ids),
                    title,
                    tuple(x for x in fu_why if x),
                    message,
                    2.5 + min((today - f.follow_up_on).days, 14) / 14 + (1.0 if fresh else 0.0),
                )
            )
        for t in self.data.planned:
            key = f"confirm:{t.interaction_id}"
            if t.at >= self.now or not self.allowed(key, t.person_ids):  # not yet past: it is upcoming
                continue
            names = ", ".join(self.names.get(pid, "?") for pid in t.person_ids)
            items.append(
                PlanItem(
                    key,
                    ItemKind.OWE,
                    self.who(t.person_ids),
                    f"Confirm: {t.summary or 'meeting'}",
                    (f"planned for {t.at.date().isoformat()} with {names}; did it happen?",),
                    messages.confirm_meeting(names, t.summary),
                    2.0,
                )
            )
        return items

    # 2. give opportunities ---------------------------------------------------------------------------------------
    def give(self) -> list[PlanItem]:
        me = self.data.me_id
        items: list[PlanItem] = []
        seen_needs: set[int] = set()
        for need, offer, scored in self.data.suggestions:
            if need.id in seen_needs or (need.id, offer.id) in self.data.given_pairs:
                continue
            if scored.score < shown_floor(self.s):
                continue
            if need.person_id not in self.active or (offer.person_id != me and offer.person_id not in self.active):
                continue
            if offer.person_id != me and self.strength(offer.person_id) < self.s.broker_min_strength:
                continue  # the user cannot vouch for someone they barely know
            key = f"give:{need.id}:{offer.id}"
            pids = [need.person_id] if offer.person_id == me else [need.person_id, offer.person_id]
            if not self.allowed(key, pids):
                continue
            seen_needs.add(need.id)
            needer = self.names[need.person_id]
            why = [f"{messages.first_name(needer)} needs: {need.text}"]
            parts = ", ".join(f"{s.name} {s.points:+.2f}" for s in scored.signals if abs(s.points) >= 0.005)
            why.append(f"match {scored.score:.2f}: {parts}")
            broker = 0.5 + 0.5 * self.strength(need.person_id)
            if offer.person_id == me:
                title = f"Give {needer}: {offer.text}"
                msg = messages.pass_on_giveable(needer, need.text, offer.text)
            else:
                offerer = self.names[offer.person_id]
                title = f"Offer {needer} an introduction to {offerer}"  # double opt-in: the needer first
                why.insert(1, f"{messages.first_name(offerer)} offers: {offer.text}")
                msg = messages.introduce(needer, offerer, need.text, offer.text)
                broker = 0.5 + 0.25 * (self.strength(need.person_id) + self.strength(offer.person_id))
            boost = self.goal_boost(pids, why)
            score = 1.0 + scored.score * broker + boost
            items.append(PlanItem(key, ItemKind.GIVE, self.who(pids), title, tuple(why), msg, score))
        return items

    def chapter_give(self) -> list[PlanItem]:
        """Needs on a chapter hub's board the user can meet: with their own offer (they offer help on the hub) or a
        contact's (they offer help on the hub without naming the contact, and broker it themselves)."""
        me = self.data.me_id
        items: list[PlanItem] = []
        seen: set[int] = set()
        used: set[int] = set()  # an offer once a plan: six people wanting the same mock interview is one action
        ranked = sorted(self.data.chapter_gives, key=lambda c: (-c.score, c.board_id, c.offer.id))
        for c in ranked:
            if c.board_id in seen or c.offer.id in used or c.score < self.s.match_threshold:
                continue
            mine = c.offer.person_id == me
            if not mine and (c.offer.person_id not in self.active
                             or self.strength(c.offer.person_id) < self.s.broker_min_strength):  # fmt: skip
                continue  # as for the plan's own gives: only someone the user knows well enough to vouch for
            key = f"chapter:{c.board_id}:{c.offer.id}"
            pids = [] if mine else [c.offer.person_id]
            if not self.allowed(key, pids):
                continue
            seen.add(c.board_id)
            used.add(c.offer.id)
            origin = f"from the {c.chapter} chapter" if c.chapter else "from your chapter hub"
            why = [f"{origin}: {messages.first_name(c.member_name)} needs: {c.need_text}"]
            if mine:
                title = f"Help {c.member_name} ({origin}): {c.offer.text}"
                broker = 0.5
            else:
                offerer = self.names[c.offer.person_id]
                title = f"Put {c.member_name} ({origin}) in touch with {offerer}"
                why.append(f"{messages.first_name(offerer)} offers: {c.offer.text} (not named to the hub)")
                broker = 0.5 + 0.25 * self.strength(c.offer.person_id)
            why.append(f"match {c.score:.2f}; done offers your help on the hub")
            if c.hub_note:
                why.append(f"the hub did not answer the last sync ({c.hub_note}); done will try it again")
            items.append(PlanItem(key, ItemKind.GIVE, self.who(pids), title, tuple(why), CHAPTER_MESSAGE,
                                  1.0 + c.score * broker))  # fmt: skip
        return items

    def introduction_step(self, nudge: IntroNudge, when: str) -> tuple[str, str, tuple[str, ...]]:
        """Return the title, message and reasons of a follow-up an introduction left: its next step."""
        first, second = self.names.get(nudge.first_id, "?"), self.names.get(nudge.second_id, "?")
        step = next_step(nudge.intro)
        command = _INTRO_COMMANDS.get(step.action, "show {id}") if step.action else "show {id}"
        then = f"then: givefirst intro {command.format(id=nudge.intro_id)}"
        label = f"introduction #{nudge.intro_id}: {first} → {second}"
        if step.action is Action.AGREE:  # asked a while ago, no answer yet: a gentle nudge
            asked, other = (first, second) if nudge.intro.state is IntroState.ASKED_FIRST else (second, first)
            return (
                f"Nudge {asked} about the introduction to {other}",
                messages.intro_nudge(asked, other),
                (label, f"no answer yet; {when}", then),
            )
        title = step.text.format(first=first, second=second)
        return title, f"(a draft to send: givefirst intro draft {nudge.intro_id})", (label, when, then)

    def opener_for(self, pid: int) -> str | None:
        needs = self.needs_by_person.get(pid)
        if needs:
            return f"you mentioned {messages.need_phrase(needs[0].text)} — I may be able to help"
        return None

    # 3. keeping in touch ---------------------------------------------------------------------------------------
    def shortlist(self, scored: list[tuple[float, str, int]]) -> list[tuple[float, str, int]]:
        """Return the best (score, key, person) candidates: a large network has thousands due, the plan a few."""
        return heapq.nsmallest(shortlist_size(self.s), scored, key=lambda c: (-c[0], c[1]))

    def candidates(self) -> tuple[list[tuple[float, str, int]], list[tuple[float, str, int]]]:
        """Return the scored (score, key, person) candidates to keep in touch with and to revive, in one pass."""
        touch: list[tuple[float, str, int]] = []
        revive: list[tuple[float, str, int]] = []
        revivals_left = self.data.revivals_this_week < self.s.dormant_per_week
        snoozed = self.data.snoozed_items
        dormant: list[int] = []
        for pid in self.active:
            p = self.data.people[pid]
            if p.stats.last_at is None and p.cadence_override is None:
                continue  # never in touch: nothing to keep warm yet, nothing to revive
            tier = self.tier(pid)
            if tier is Tier.DORMANT:
                key = f"revive:{pid}"
                real = p.stats.two_way_count >= REAL_TIE_MIN  # one chat at a conference is not a relationship
                if revivals_left and real and p.stats.last_at is not None and key not in snoozed:
                    dormant.append(pid)
                if p.cadence_override is None:
                    continue  # a dormant tie is revived, a few a week, not kept in touch on a cadence
            due = self.due(pid)
            key = f"touch:{pid}"
            if due.due and key not in snoozed:  # due: past its cadence and above the strength floor
                stake = at_stake(self.strength(pid), due)  # strength × urgency (domain/cadence.py)
                touch.append((touch_score(stake, pid in self.data.goal_reasons), key, pid))
        for r in self.rank_dormant(dormant):
            # Past closeness alone picks the usual suspects; relevance, gives, novelty and a weekly rotation
            # bring others (domain/dormant.py).
            revive.append((0.4 + 0.5 * (0.85 * r.score + 0.15 * _rotation(r.person_id, self.now)),
                           f"revive:{r.person_id}", r.person_id))  # fmt: skip
        return touch, revive

    def rank_dormant(self, pids: Iterable[int]) -> list[Revival]:
        """Return the revival scores of these dormant ties (domain/dormant.py), best first."""
        active_at: dict[str, int] = dict(self.data.active_ties_at)
        for pid, tier in self._tier.items():
            org = self.data.organizations.get(pid)
            if org and tier in (Tier.INNER, Tier.CLOSE, Tier.ACTIVE):
                active_at[org] = active_at.get(org, 0) + 1
        out = []
        for pid in pids:
            p = self.data.people[pid]
            org = self.data.organizations.get(pid)
            needs = self.needs_by_person.get(pid)
            facts = DormantFacts(
                person_id=pid,
                name=p.name,
                years_silent=days_between(p.stats.last_at or self.now, self.now) / 365.25,
                two_way_count=p.stats.two_way_count,
                closeness=history_term(p.stats, self.w) / self.w.history_weight,
                goal=self.data.goal_reasons.get(pid),
                serves_me=self.serves_me.get(pid),
                can_give=self.my_gives.get(pid),
                open_need=needs[0].text if needs else None,
                organization=org,
                active_ties_there=None if org is None else active_at.get(org, 0),
            )
            self.revivals[pid] = revival(facts)
            out.append(self.revivals[pid])
        out.sort(key=lambda r: (-r.score, r.person_id))
        return out

    def keep_in_touch(self, scored: list[tuple[float, str, int]]) -> list[PlanItem]:
        items = []
        for score, key, pid in self.shortlist(scored):
            p = self.data.people[pid]
            strength, tier = self.strength(pid), self.tier(pid)
            due = self.due(pid)
            why = [f"{tier.value} tie (strength {strength:.2f}), every {plural(due.cadence_days or 0, 'day')}"]
            if due.days_since is not None:
                why.append(f"last real contact {messages.ago(due.days_since)}")
            if due.at_risk and due.usual_gap_days:
                why.append(f"at risk: silent {due.days_since or 0:.0f} days, usually every {due.usual_gap_days:.0f}")
            opener = self.opener_for(pid)
            if opener:
                why.append(f"open need: {self.needs_by_person[pid][0].text}")
            if pid in self.data.goal_reasons:
                why.append(self.data.goal_reasons[pid])
            if asks_first(tier, self.needs_by_person.get(pid, ()), self.now):  # the give-first question (issue 14)
                if f"ask:{pid}" in self.data.snoozed_items:
                    continue
                why.append("nothing known that they need lately: ask — a give of attention, not an ask")
                title = f"Ask {p.name} what they're working on and how you could help"
                message = messages.give_first_question(p.name)
                items.append(PlanItem(f"ask:{pid}", ItemKind.KEEP_IN_TOUCH, self.who([pid]), title, tuple(why),
                                      message, score))  # fmt: skip
                continue
            title, message = f"Check in with {p.name}", messages.check_in(p.name, opener)
            items.append(PlanItem(key, ItemKind.KEEP_IN_TOUCH, self.who([pid]), title, tuple(why), message, score))
        return items

    # 4. dormant ties -------------------------------------------------------------------------------------------
    def dormant(self, scored: list[tuple[float, str, int]]) -> list[PlanItem]:
        items = []
        for score, key, pid in self.shortlist(scored):
            p = self.data.people[pid]
            years = days_between(p.stats.last_at or self.now, self.now) / 365.25
            found = self.revivals.get(pid)
            why = list(found.reasons) if found else [f"last contact {messages.ago(years * 365.25)}"]
            opener = self.opener_for(pid)
            if pid in self.my_gives:
                opener = f"I came across something that may help with what you're after: {self.my_gives[pid]}"
            title, message = f"Revive your tie with {p.name}", messages.revive(p.name, years, opener)
            items.append(PlanItem(key, ItemKind.DORMANT, self.who([pid]), title, tuple(why), message, score))
        return items

    # 5. upcoming -----------------------------------------------------------------------------------------------
    def upcoming(self) -> list[PlanItem]:
        items: list[PlanItem] = []
        for t in self.data.planned:
            ahead = days_between(self.now, t.at)
            key = f"upcoming:{t.interaction_id}"
            if ahead < 0 or ahead > self.s.upcoming_days or key in self.data.snoozed_items:
                continue
            present = [pid for pid in t.person_ids if pid in self.active]
            if not present:
                continue
            helpable = [pid for pid in present if pid in self.needs_by_person]
            names = [self.names[pid] for pid in helpable]
            why = [f"on {t.at.strftime('%a %d %b %H:%M')} with {len(present)} of your contacts"]
            why += [f"{self.names[pid]} needs: {self.needs_by_person[pid][0].text}" for pid in helpable[:3]]
            items.append(
                PlanItem(
                    key,
                    ItemKind.UPCOMING,
                    self.who(present),
                    f"Go to {t.summary or 'the meeting'}",
                    tuple(why),
                    messages.upcoming(t.summary or "the meeting", names),
                    0.6 + 0.1 * min(len(helpable), 4) - 0.01 * ahead,
                )
            )
        for e in self.data.events:
            ahead = days_between(self.now, e.starts_at)
            key = f"event:{e.event_id}"
            if ahead < 0 or ahead > self.s.upcoming_days or key in self.data.snoozed_items:
                continue
            present = [pid for pid in e.person_ids if pid in self.active]
            why = [f"on {e.starts_at.strftime('%a %d %b %H:%M')}", *(r.strip() for r in e.reasons)]
            items.append(
                PlanItem(key, ItemKind.UPCOMING, self.who(present), f"Go to {e.title}", tuple(why),
                         messages.upcoming(e.title, list(e.helpable)), 0.6 + 0.5 * e.score - 0.005 * ahead)
            )  # fmt: skip
        return items


def build_plan(data: PlanInput, now: datetime, w: Weights, s: PlanSettings) -> list[PlanItem]:
    """Return today's plan: at most `s.size` items, in section order, best first within a section."""
    b = _Builder(data, now, w, s)
    touch, revive = b.candidates()
    sections = {
        ItemKind.OWE: b.owe(),
        ItemKind.GIVE: b.give() + b.chapter_give(),  # the chapter's needs share the give quota
        ItemKind.KEEP_IN_TOUCH: b.keep_in_touch(touch),
        ItemKind.DORMANT: b.dormant(revive),
        ItemKind.UPCOMING: b.upcoming(),
    }
    for items in sections.values():
        items.sort(key=lambda i: (-i.score, i.key))
    quotas = {
        ItemKind.OWE: max(2, math.ceil(s.size / 2)),
        ItemKind.UPCOMING: 1 if s.size < 10 else 2,
        ItemKind.GIVE: max(2, math.ceil(s.size / 4)),  # two a day by default; a longer plan shows more gives
        ItemKind.DORMANT: 1,
        ItemKind.KEEP_IN_TOUCH: s.size,
    }
    chosen: list[PlanItem] = []
    people_used: set[int] = set()

    def take(item: PlanItem) -> bool:
        # One suggestion per person a day keeps the plan varied.
        pids = {pid for pid, _ in item.people}
        if item.kind in (ItemKind.OWE, ItemKind.UPCOMING):
            chosen.append(item)  # obligations and events never crowd out, nor are crowded out by, other items
            return True
        if pids & people_used:
            return False
        chosen.append(item)
        people_used.update(pids)
        return True

    priority = (ItemKind.OWE, ItemKind.UPCOMING, ItemKind.GIVE, ItemKind.DORMANT, ItemKind.KEEP_IN_TOUCH)
    taken: dict[ItemKind, int] = dict.fromkeys(priority, 0)

    def fill(kind: ItemKind, limit: int) -> None:
        for item in sections[kind]:
            if len(chosen) >= s.size or taken[kind] >= limit:
                return
            if item not in chosen and take(item):
                taken[kind] += 1

    # First one of each kind, so that a busy day still shows the whole give-first habit; then each kind up
    # to its quota in priority order (owed items first); then the best of whatever is left.
    for kind in priority:
        fill(kind, 1)
    for kind in priority:
        fill(kind, quotas[kind])
    leftovers = sorted(
        (i for items in sections.values() for i in items if i not in chosen), key=lambda i: (-i.score, i.key)
    )  # a short list: `in chosen` stays cheap
    for item in leftovers:
        if len(chosen) >= s.size:
            break
        # Revivals are rationed to a few a week: one a day at most, even when the plan has room.
        if item.kind is ItemKind.DORMANT and taken[ItemKind.DORMANT] >= quotas[ItemKind.DORMANT]:
            continue
        if take(item):
            taken[item.kind] += 1
    order = list(sections)
    chosen.sort(key=lambda i: (order.index(i.kind), -i.score, i.key))
    return chosen


def touch_scores(data: PlanInput, now: datetime, w: Weights, s: PlanSettings) -> list[tuple[float, str, int]]:
    """Return the (score, key, person) of every tie in `data.people` the plan would ask to keep in touch with,
    scored as `build_plan` scores them: what lets a caller keep only the ties that reach the plan's shortlist."""
    b = _Builder(replace(data, revivals_this_week=max(data.revivals_this_week, s.dormant_per_week)), now, w, s)
    return b.candidates()[0]


def dormant_ties(data: PlanInput, now: datetime, w: Weights, s: PlanSettings) -> list[Revival]:
    """Return every dormant tie worth a revival, ranked as the plan ranks them (without the weekly rotation)."""
    b = _Builder(replace(data, revivals_this_week=0), now, w, replace(s, dormant_per_week=max(s.dormant_per_week, 1)))
    b.candidates()
    return sorted(b.revivals.values(), key=lambda r: (-r.score, r.person_id))


__all__ = [
    "CHAPTER_MESSAGE",
    "FRESH_FOLLOW_UP_DAYS",
    "GOAL_BOOST",
    "REAL_TIE_MIN",
    "ChapterGive",
    "EventItem",
    "IntroNudge",
    "PersonView",
    "PlanInput",
    "PlanItem",
    "PlanSettings",
    "Promise",
    "Touchpoint",
    "build_plan",
    "dormant_ties",
    "touch_score",
    "touch_scores",
]
