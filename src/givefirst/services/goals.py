"""Goals: what the user is working toward, who reaches it, how warm those ties are, and what serves it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from givefirst.domain.goals import Target, place_matches, split_words, warmth
from givefirst.domain.words import plural
from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services.context import App
from givefirst.services.relationships import relationship_from_row
from givefirst.services.targets import target_people
from givefirst.store import events as events_store
from givefirst.store import people as people_store
from givefirst.store import reach as store

if TYPE_CHECKING:
    from givefirst.services.neighbours import Neighbours
    from givefirst.services.reach import WarmPath


@dataclass(frozen=True)
class Goal:
    id: int
    title: str
    place: str | None
    roles: tuple[str, ...]
    tags: tuple[str, ...]
    status: str

    @property
    def target(self) -> Target:
        return Target(place=self.place, roles=self.roles, tags=self.tags)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "place": self.place, "roles": list(self.roles),
                "tags": list(self.tags), "status": self.status}  # fmt: skip


def _goal(row: Any) -> Goal:
    return Goal(int(row.id), str(row.title), row.place, split_words(row.roles), split_words(row.tags), str(row.status))


def add_goal(app: App, title: str, *, place: str | None = None, roles: str = "", tags: str = "") -> Goal:
    """Record a goal; it needs a place, role words or tags to know whom it is about."""
    if not title.strip():
        raise InvalidInputError("a goal needs a title, e.g. 'Move to Florida'")
    target = Target(place=place, roles=split_words(roles), tags=split_words(tags))
    if target.empty:
        raise InvalidInputError("say what the goal is about: --place Florida, --role product or --tag fintech")
    if place:
        from givefirst.domain.goals import places_of

        if not places_of(place):
            raise InvalidInputError(f"unknown place {place!r}: name a US state, a city or a region (Florida, Tampa)")
    with app.begin() as conn:
        gid = store.add_goal(conn, {"title": title.strip(), "place": place, "roles": ",".join(target.roles),
                                    "tags": ",".join(target.tags), "created_at": app.now})  # fmt: skip
        return _goal(store.goal_row(conn, gid))


def list_goals(app: App, *, all_goals: bool = False) -> list[Goal]:
    with app.begin() as conn:
        return [_goal(r) for r in store.goal_rows(conn, open_only=not all_goals)]


def _row(conn: Connection, goal_id: int) -> Any:
    row = store.goal_row(conn, goal_id)
    if row is None:
        raise NotFoundError(f"no goal with id {goal_id} (see `givefirst goal list`)")
    return row


def finish_goal(app: App, goal_id: int) -> Goal:
    with app.begin() as conn:
        _row(conn, goal_id)
        store.set_goal_status(conn, goal_id, "done", app.now)
        return _goal(store.goal_row(conn, goal_id))


def open_goals(conn: Connection) -> list[Goal]:
    return [_goal(r) for r in store.goal_rows(conn, open_only=True)]


def goal_reasons(conn: Connection, goals: list[Goal]) -> dict[int, str]:
    """Return person id → why they reach an open goal ("toward “Move to Florida”: in Tampa, FL")."""
    out: dict[int, str] = {}
    for goal in goals:
        for pid, reason in target_people(conn, goal.target).items():
            out.setdefault(pid, f"toward your goal “{goal.title}”: {reason}")
    return out


BRIDGE_EDGE = 0.2  # a contact knows someone in the goal well enough to introduce them (two meetings of three)


def _bridges(neighbours: Neighbours, inside: Iterable[int], active: float) -> list[tuple[int, int]]:
    """Return (id, people in the goal they know) of the user's active ties outside the goal who know people in
    it, those who know most first (then the stronger tie, then the lower id). Counted from the goal's people's
    own lists, which the path search has read: an edge is the same from either end."""
    goal = set(inside)
    known: Counter[int] = Counter()
    for t in goal:
        for other, p in neighbours.edges.get(t, {}).items():
            if other not in goal and p >= BRIDGE_EDGE:
                known[other] += 1
    strength = neighbours.strength
    out = [(pid, n) for pid, n in known.items() if strength.get(pid, -1.0) >= active]
    out.sort(key=lambda b: (-b[1], -strength[b[0]], b[0]))
    return out


@dataclass
class Coverage:
    goal: Goal
    people: int  # in the goal
    by_warmth: dict[str, int]
    warm: list[tuple[int, str, str]] = field(default_factory=list)  # (id, name, why) of the warmest in it
    paths: list[WarmPath] = field(default_factory=list)
    bridges: list[tuple[int, str, int]] = field(default_factory=list)  # (id, name, people in the goal they know)
    events: list[dict[str, Any]] = field(default_factory=list)
    chapters: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "goal": self.goal.as_dict(),
            "people_in_goal": self.people,
            "coverage": self.by_warmth,
            "warmest": [{"id": i, "name": n, "why": w} for i, n, w in self.warm],
            "paths": [p.as_dict() for p in self.paths],
            "bridges": [{"id": i, "name": n, "knows_in_goal": c} for i, n, c in self.bridges],
            "events": self.events,
            "chapters": self.chapters,
        }


def coverage(app: App, goal_id: int, k: int = 3) -> Coverage:
    """Return how the network reaches a goal: ties in it by warmth, the best paths in, events and chapters."""
    with app.begin() as conn:
        goal = _goal(_row(conn, goal_id))
        reasons = target_people(conn, goal.target)
        rels = [relationship_from_row(r, app.now, app.weights)
                for r in people_store.list_people(conn, person_ids=sorted(reasons))] if reasons else []  # fmt: skip
        counts: Counter[str] = Counter()
        for rel in rels:
            counts[warmth(rel.tier, rel.due.due, rel.due.at_risk, rel.stats.two_way_count)] += 1
        warmest = sorted(rels, key=lambda r: -r.strength.score)[:5]
        from givefirst.domain.paths import best_paths  # the path search: for `goal show` only
        from givefirst.services.neighbours import explain_on, network_for_paths  # (numpy)
        from givefirst.services.reach import explain_paths

        net, neighbours = network_for_paths(conn, app)
        neighbours.read(reasons.keys())  # the bridges are counted from the goal's people's lists
        found = best_paths(neighbours, net.me, reasons.keys(), k=k)
        ties = _bridges(neighbours, reasons.keys(), app.weights.tier_thresholds[2])
        explain_on(conn, app, net, neighbours, [n for p in found for n in p.nodes] + [pid for pid, _ in ties])
        purpose = f"working toward “{goal.title}”"
        paths = explain_paths(conn, app, net, found, reasons, purpose)
        bridges = [(pid, net.names.get(pid, "?"), n) for pid, n in ties]
        events = []
        for ev in events_store.event_rows(conn, start=app.now):
            where = ev.location or ev.chapter_location
            if goal.place and place_matches(where, goal.place):
                events.append({"id": ev.id, "title": ev.title, "starts_at": ev.starts_at.isoformat(),
                               "location": where, "why": f"in {where}"})  # fmt: skip
        chapters = []
        rows = events_store.chapter_rows(conn)
        members = events_store.members(conn, [int(c.id) for c in rows])
        for ch in rows:
            inside = [m.name for m in members.get(int(ch.id), []) if int(m.id) in reasons]
            if goal.place and place_matches(ch.location, goal.place):
                why = f"meets in {ch.location}" + (
                    f"; {len(inside)} of your contacts {'is a member' if len(inside) == 1 else 'are members'}"
                    if inside
                    else ""
                )
            elif inside:
                why = f"{plural(len(inside), 'member')} can reach the goal: {', '.join(inside[:3])}"
            else:
                continue
            me_member = any(bool(m.is_me) for m in members.get(int(ch.id), []))
            chapters.append({"id": ch.id, "name": ch.name, "location": ch.location, "why": why,
                             "you_are_a_member": me_member})  # fmt: skip
    return Coverage(
        goal=goal,
        people=len(reasons),
        by_warmth={w: counts.get(w, 0) for w in ("warm", "cooling", "dormant", "cold")},
        warm=[
            (r.person_id, r.name, f"{r.tier.value}, strength {r.strength.score:.2f}; {reasons[r.person_id]}")
            for r in warmest
        ],
        paths=paths,
        bridges=bridges,
        events=events,
        chapters=chapters,
    )
