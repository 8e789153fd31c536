"""Warm paths: to a person, an organization, a place or a role, through the people the user knows.

The graph comes from `services.graph`; the search is `domain.paths.best_paths`; this module resolves what the
user asked for into target people, then explains each path: every hop's probability and evidence, the ask
readiness of each person the user would be talking to, and a give-first opener for the first ask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from givefirst.domain import messages
from givefirst.domain.goals import Target
from givefirst.domain.paths import Path, best_paths
from givefirst.domain.readiness import AskReadiness, ask_readiness
from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services import matching
from givefirst.services.context import App
from givefirst.services.graph import Network, load_network_around
from givefirst.services.people import resolve_person
from givefirst.services.relationships import relationship_from_row
from givefirst.services.targets import target_people
from givefirst.store import people as people_store


@dataclass(frozen=True)
class Hop:
    source_id: int
    source: str
    target_id: int
    target: str
    probability: float
    why: str
    readiness: AskReadiness | None  # of the user's relationship with `target`, when there is one

    def as_dict(self) -> dict[str, Any]:
        r = self.readiness
        return {
            "from": {"id": self.source_id, "name": self.source},
            "to": {"id": self.target_id, "name": self.target},
            "probability": round(self.probability, 4),
            "evidence": self.why,
            "ask_readiness": None
            if r is None
            else {"verdict": r.verdict.value, "reasons": list(r.reasons), "in_favour": list(r.strengths)},
        }


@dataclass(frozen=True)
class WarmPath:
    score: float
    hops: tuple[Hop, ...]
    target_reason: str  # why the last person is a target ("in Tampa, FL")
    explanation: str
    opener: str  # the message to send the first person: never holds the private hint below
    give_first: str | None = None  # a hint for the user: what to give them first (shown beside the opener)

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "hops": [h.as_dict() for h in self.hops],
            "target_reason": self.target_reason,
            "explanation": self.explanation,
            "opener": self.opener,
            "give_first": self.give_first,
        }


@dataclass
class PathResult:
    target: str  # what was asked for, in words
    target_count: int  # how many people are in the target
    paths: list[WarmPath] = field(default_factory=list)
    direct: str | None = None  # the person is a direct tie: no path, just this (why you can write to them)

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "people_in_target": self.target_count,
            "paths": [p.as_dict() for p in self.paths],
            "direct": self.direct,
        }


def _gives_for(conn: Connection, app: App, pid: int, me: int) -> str | None:
    """Return the best give-first offer toward `pid` from the matching engine's cached suggestions (no re-scoring)."""
    found = matching.cached(conn, app, person_id=pid, limit=5)
    for need, offer, _ in found:
        if need.person_id != pid:
            continue
        if offer.person_id == me:
            return f"you could offer “{offer.text}” for their need “{need.text}”"
        other = people_store.person_row(conn, offer.person_id)
        return f"you could introduce them to {other.name if other else 'a contact'} for their need “{need.text}”"
    return None


def _readiness(conn: Connection, app: App, pids: set[int]) -> dict[int, AskReadiness]:
    out: dict[int, AskReadiness] = {}
    if not pids:
        return out
    for row in people_store.list_people(conn, person_ids=sorted(pids)):
        rel = relationship_from_row(row, app.now, app.weights)
        if rel.stats.last_at is None and row.strength_override is None:
            continue  # never in touch: no relationship to judge
        out[rel.person_id] = ask_readiness(rel.stats, app.now, app.weights, strength=rel.strength.score,
                                           cadence_days=rel.due.cadence_days)  # fmt: skip
    return out


def explain_paths(conn: Connection, app: App, net: Network, found: list[Path], reasons: dict[int, str],
                  purpose: str) -> list[WarmPath]:  # fmt: skip
    """Return the paths with each hop's evidence and readiness, an explanation and a give-first opener."""
    people = {n for p in found for n in p.nodes if n != net.me}
    net.fetch_evidence(conn, [(a, b) for p in found for a, b in zip(p.nodes[:-1], p.nodes[1:], strict=True)])
    ready = _readiness(conn, app, people)
    names = dict(net.names)
    out = []
    for path in found:
        hops = tuple(
            Hop(a, "you" if a == net.me else names.get(a, "?"), b, names.get(b, "?"), p, net.why(a, b), ready.get(b))
            for a, b, p in zip(path.nodes[:-1], path.nodes[1:], path.probabilities, strict=True)
        )
        first, last = hops[0], hops[-1]
        give = _gives_for(conn, app, first.target_id, net.me)
        if path.hops == 1:
            explanation = f"You know {first.target} directly ({first.why})."
        else:
            chain = " → ".join(h.target for h in hops)
            weakest = min(hops, key=lambda h: h.probability)
            explanation = (
                f"Ask {first.target} ({first.why}); {len(hops) - 1} more hop{'s' if len(hops) > 2 else ''} to "
                f"{last.target} via {chain}. The weakest link is {weakest.source} → {weakest.target} "
                f"({weakest.probability:.2f}: {weakest.why})."
            )
        next_name = hops[1].target if len(hops) > 1 else None
        last_at = net.stats[first.target_id].last_at if first.target_id in net.stats else None
        recent = last_at is not None and (app.now - last_at).days <= 30
        opener = messages.path_opener(first.target, next_name, purpose, recent)
        out.append(WarmPath(path.score, hops, reasons.get(last.target_id, ""), explanation, opener, give))
    return out


def find_paths(
    app: App,
    *,
    person: str | None = None,
    target: Target | None = None,
    k: int = 3,
    max_hops: int = 3,
) -> PathResult:
    """Return the k warmest paths (at most `max_hops` hops) to a person or to anyone in the target."""
    if k < 1:
        raise InvalidInputError("--k must be at least 1")
    if not 1 <= max_hops <= 3:
        raise InvalidInputError("--max-hops must be 1, 2 or 3: a fourth-hand introduction is not warm")
    target = target or Target()
    if person is None and target.empty:
        raise InvalidInputError("say whom to reach: a person, or --org, --place, --role or --tag")
    with app.begin() as conn:
        if person is not None:
            pid = resolve_person(conn, app, person)
            # A path to one person lies in their neighbourhood: that part of the graph, not the whole of it.
            net = load_network_around(conn, app, [pid], unless_known=True)
            if pid == net.me:
                raise InvalidInputError("that is you: name someone else to reach")
            reasons = {pid: ""}
            described = net.names.get(pid, person)
            purpose = f"hoping to meet {described}"
            stats = net.stats.get(pid)
            if stats is not None and stats.last_at is not None:  # in touch: write to them, no introduction
                net.fetch_evidence(conn, [(net.me, pid)])
                known = f"You know {described} directly ({net.why(net.me, pid)}): write to them, no introduction."
                return PathResult(described, 1, [], known)
            found = best_paths(net.adjacency, net.me, reasons.keys(), k=k + 1, max_hops=max_hops)
            found = [p for p in found if p.hops > 1][:k]  # never in touch: whoever can introduce you is the path
        else:
            reasons = target_people(conn, target)
            if not reasons:
                raise NotFoundError(f"nobody in your network is {target.describe().removeprefix('someone ')}")
            described = target.describe()
            purpose = f"looking to meet {described}"
            # Many targets: the lists the search asks for, read as it asks (not the whole graph).
            from givefirst.services.neighbours import explain_on, network_for_paths  # numpy: imported when used

            net, neighbours = network_for_paths(conn, app)
            found = best_paths(neighbours, net.me, reasons.keys(), k=k, max_hops=max_hops)
            explain_on(conn, app, net, neighbours, (n for p in found for n in p.nodes))
        return PathResult(described, len(reasons), explain_paths(conn, app, net, found, reasons, purpose))
