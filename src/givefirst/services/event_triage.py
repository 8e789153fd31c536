"""Which events are worth going to, and why — and a prep sheet for the one you go to.

The facts of an event (who is expected, how warm each tie is, whom the user can help there, who reaches a goal)
are gathered here from the store and the matching engine's cached suggestions; the scoring is
`domain.events.triage`. The daily plan uses the same facts for its "upcoming" items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection

from givefirst.domain.events import Attendee, EventFacts, Triage, triage
from givefirst.domain.goals import place_matches, warmth
from givefirst.domain.match_score import MatchScore
from givefirst.domain.model import NeedOrOffer
from givefirst.errors import InvalidInputError
from givefirst.services.context import App
from givefirst.services.events import event_row
from givefirst.services.goals import Goal, goal_reasons, open_goals
from givefirst.services.relationships import Relationship, relationship_from_row
from givefirst.store import events as store
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store

MAX_LISTED = 5000  # people whose needs are read by id; more (a very large chapter) and every need's pairs are read

Suggestions = Sequence[tuple[NeedOrOffer, NeedOrOffer, MatchScore]]
Attending = dict[int, dict[int, str]]  # event id → {person id: status}


@dataclass(frozen=True)
class RankedEvent:
    row: Any
    facts: EventFacts
    triage: Triage

    def as_dict(self) -> dict[str, Any]:
        r = self.row
        return {
            "id": r.id, "title": r.title, "starts_at": r.starts_at.isoformat(), "location": self.facts.location,
            "chapter": r.chapter, "rsvp": r.rsvp, "attended": bool(r.attended),
            "score": round(self.triage.score, 4), "parts": {k: round(v, 4) for k, v in self.triage.parts.items()},
            "reasons": list(self.triage.reasons),
            "people": [{"id": a.person_id, "name": a.name, "warmth": a.warmth, "status": a.status}
                       for a in self.facts.attendees],
        }  # fmt: skip


def _attendees(conn: Connection, rows: Sequence[Any], me: int) -> Attending:
    """Return event id → {person id: status} from the people listed at it and its chapter's members."""
    listed = store.event_people_of(conn, [int(r.id) for r in rows])
    chapter_ids = sorted({int(r.chapter_id) for r in rows if r.chapter_id is not None})
    members = store.members(conn, chapter_ids)
    out: dict[int, dict[int, str]] = {}
    for r in rows:
        people: dict[int, str] = {}
        for m in members.get(int(r.chapter_id), []) if r.chapter_id is not None else []:
            if int(m.id) != me:
                people[int(m.id)] = "member"
        for pid, status in listed.get(int(r.id), []):
            people[pid] = status
        out[int(r.id)] = people
    return out


def _whose_needs(me: int, who: Attending) -> list[int] | None:
    """Return the people whose needs `event_facts` reads (the events' attendees `who` and the user), or None
    (every need's) when they are too many to list in one query: the rest of the network's pairs are never read
    there (at 100,000 people, reading all of them took seconds)."""
    people = {me} | {p for present in who.values() for p in present}
    return sorted(people) if len(people) <= MAX_LISTED else None


def _their_needs(conn: Connection, app: App, people: list[int] | None) -> list[int] | None:
    """Return the open needs of `people` (None: every need): the only lists the events' facts read, so the only
    ones made whole when the lists are shallow after an import (`matching.deepen_needs`)."""
    if people is None:
        return None
    return [n.id for n in needs_store.open_items(conn, "need", app.now.date(), people=people)]


def event_facts(conn: Connection, app: App, rows: Sequence[Any], suggestions: Suggestions, goals: list[Goal],
                who: Attending | None = None) -> list[tuple[EventFacts, dict[int, Relationship]]]:  # fmt: skip
    """Return the facts triage reads for each event row, with the attendees' relationships (`who`: the events'
    attendees, when the caller has read them with `_attendees`)."""
    me = app.me(conn)
    who = _attendees(conn, rows, me) if who is None else who
    everyone = sorted({p for people in who.values() for p in people})
    rels = {int(r.id): relationship_from_row(r, app.now, app.weights)
            for r in people_store.list_people(conn, person_ids=everyone)} if everyone else {}  # fmt: skip
    offerer_ids = sorted({o.person_id for _, o, _ in suggestions if o.person_id != me and o.person_id not in rels})
    strength = {pid: r.strength.score for pid, r in rels.items()}
    names = {pid: r.name for pid, r in rels.items()}
    if offerer_ids:  # (their names read with their strengths: not one query per suggestion naming them)
        for row in people_store.list_people(conn, person_ids=offerer_ids):
            strength[int(row.id)] = relationship_from_row(row, app.now, app.weights).strength.score
            names[int(row.id)] = str(row.name)
    reasons = goal_reasons(conn, goals) if goals else {}
    broker_min = app.plan_settings.broker_min_strength
    out = []
    for r in rows:
        present = who.get(int(r.id), {})
        helps: dict[int, list[str]] = {}
        serves: dict[int, list[str]] = {}
        pairs: list[str] = []
        for need, offer, _ in suggestions:
            if need.person_id in present:
                if offer.person_id == me:
                    helps.setdefault(need.person_id, []).append(f"needs “{need.text}” — your offer: “{offer.text}”")
                elif offer.person_id in present:
                    pairs.append(f"{names[need.person_id]} → {names[offer.person_id]}: {need.text}")
                    helps.setdefault(need.person_id, []).append(
                        f"needs “{need.text}” — introduce them to {names[offer.person_id]}, also there"
                    )
                elif strength.get(offer.person_id, 0.0) >= broker_min:
                    offerer = names[offer.person_id]
                    helps.setdefault(need.person_id, []).append(
                        f"needs “{need.text}” — introduce them to {offerer} (“{offer.text}”)"
                    )
            if need.person_id == me and offer.person_id in present:
                serves.setdefault(offer.person_id, []).append(f"offers “{offer.text}” for your “{need.text}”")
        attendees = []
        for pid, status in present.items():
            rel = rels.get(pid)
            if rel is None:
                continue
            heat = warmth(rel.tier, rel.due.due, rel.due.at_risk, rel.stats.two_way_count)
            attendees.append(Attendee(pid, rel.name, status, heat, tuple(helps.get(pid, ())),
                                      tuple(serves.get(pid, ())), reasons.get(pid)))  # fmt: skip
        attendees.sort(key=lambda a: (not a.helps, a.warmth != "cooling", a.name))
        where = r.location or r.chapter_location
        goal_place = next((g.title for g in goals if g.place and place_matches(where, g.place)), None)
        facts = EventFacts(int(r.id), str(r.title), r.starts_at, where, tuple(attendees), tuple(dict.fromkeys(pairs)),
                           goal_place, bool(goals))  # fmt: skip
        out.append((facts, {a.person_id: rels[a.person_id] for a in attendees}))
    return out


def rank_events(app: App, *, days: int = 60, include_past: bool = False) -> list[RankedEvent]:
    """Return upcoming events (the next `days` days) ranked by triage, best first."""
    if days < 1:
        raise InvalidInputError("--days must be at least 1")
    with app.begin() as conn:
        start = None if include_past else app.now - timedelta(hours=3)
        rows = store.event_rows(conn, start=start, end=app.now + timedelta(days=days))
        if not rows:
            return []
        from givefirst.services import matching  # the matcher (70 ms to import) only when there are events

        me = app.me(conn)
        who = _attendees(conn, rows, me)
        whose = _whose_needs(me, who)
        matching.ensure_fresh(conn, app, depth=matching.shown_depth(app), needs=_their_needs(conn, app, whose))
        found = matching.cached(conn, app, need_people=whose)
        facts = event_facts(conn, app, rows, found, open_goals(conn), who)
    ranked = [RankedEvent(row, f, triage(f)) for row, (f, _) in zip(rows, facts, strict=True)]
    ranked.sort(key=lambda e: (-e.triage.score, e.row.starts_at, e.row.id))
    return ranked


def prep_sheet(app: App, event_id: int) -> dict[str, Any]:
    """Return who is likely at an event, what they need, what the user can offer, and whom to introduce."""
    with app.begin() as conn:
        row = event_row(conn, event_id)
        from givefirst.services import matching

        me = app.me(conn)
        who = _attendees(conn, [row], me)
        whose = _whose_needs(me, who)
        matching.ensure_fresh(conn, app, depth=matching.shown_depth(app), needs=_their_needs(conn, app, whose))
        found = matching.cached(conn, app, need_people=whose)
        [(facts, rels)] = event_facts(conn, app, [row], found, open_goals(conn), who)
        needs_of: dict[int, list[str]] = {}
        for need in needs_store.open_items(conn, "need", app.now.date()):
            if need.person_id in rels:
                needs_of.setdefault(need.person_id, []).append(need.text)
        my_offers = [o.text for o in needs_store.open_items(conn, "offer", app.now.date()) if o.person_id == me]
    result = triage(facts)
    people = []
    for a in facts.attendees:
        rel = rels[a.person_id]
        people.append({
            "id": a.person_id, "name": a.name, "organization": rel.organization, "title": rel.title,
            "status": a.status, "warmth": a.warmth, "tier": rel.tier.value,
            "last_contact": None if rel.stats.last_at is None else rel.stats.last_at.date().isoformat(),
            "needs": needs_of.get(a.person_id, []), "you_can_help": list(a.helps), "for_you": list(a.serves_me),
            "goal": a.goal,
        })  # fmt: skip
    useful = sorted({h.split("your offer: ", 1)[1].strip("“”") for a in facts.attendees for h in a.helps
                     if "your offer: " in h})  # fmt: skip
    return {
        "event": {"id": row.id, "title": row.title, "starts_at": row.starts_at.isoformat(), "location": facts.location,
                  "chapter": row.chapter, "rsvp": row.rsvp},
        "why_go": list(result.reasons),
        "people": people,
        "what_you_can_offer": useful or my_offers[:5],
        "introductions": list(facts.intro_pairs),
    }  # fmt: skip
