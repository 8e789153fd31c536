"""Building the graph of who knows whom from the database: the user's ties, and edges between contacts.

Contact-to-contact edges come from evidence (`domain/graph.py`) read in a handful of scans; they do not depend
on "now"'s hour, so they are cached in `graph_edges` under a fingerprint of the tables they are read from and
rebuilt only when that data changed. The user's own edges are tie strengths at "now", read from `tie_stats`
every time (one query, the same the daily plan makes).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from givefirst.domain import graph as g
from givefirst.domain.model import TieStats
from givefirst.domain.paths import sort_adjacency
from givefirst.domain.strength import strength_score
from givefirst.services import tiestats
from givefirst.services.context import App
from givefirst.store import graph as store
from givefirst.store import people as people_store
from givefirst.store.stats import stats_from_row

if TYPE_CHECKING:
    import networkx as nx

# Mail providers: an address there says nothing about an employer.
FREE_MAIL = frozenset((
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "hotmail.com", "outlook.com", "live.com", "msn.com",
    "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de", "web.de",
    "mail.com", "fastmail.com", "zoho.com", "yandex.ru", "qq.com", "163.com", "comcast.net", "verizon.net",
    "att.net", "mail.example", "example.com",
))  # fmt: skip

Pair = tuple[int, int]


@dataclass
class Network:
    """The user's network as the user can see it: symmetric edge probabilities and what each rests on."""

    me: int
    edges: dict[int, dict[int, float]] = field(default_factory=dict)
    # contact pairs, lower id first → their evidence, as stored (JSON text or rows), decoded when asked for
    raw_evidence: dict[Pair, Any] = field(default_factory=dict)
    user_strength: dict[int, float] = field(default_factory=dict)  # tie strength of each of the user's ties
    stats: dict[int, TieStats] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    from_cache: bool = False

    def add(self, a: int, b: int, p: float) -> None:
        self.edges.setdefault(a, {})[b] = p
        self.edges.setdefault(b, {})[a] = p

    def probability(self, a: int, b: int) -> float:
        return self.edges.get(a, {}).get(b, 0.0)

    def why(self, a: int, b: int) -> str:
        """Return what the edge between `a` and `b` rests on, in words."""
        if self.me in (a, b):
            other = b if a == self.me else a
            return f"your tie (strength {self.user_strength.get(other, 0.0):.2f})"
        return g.explain(self.evidence(a, b)) or "no evidence"

    def evidence(self, a: int, b: int) -> tuple[g.Evidence, ...]:
        """Return the evidence of the edge between two contacts."""
        raw = self.raw_evidence.get((min(a, b), max(a, b)))
        if raw is None:
            return ()
        rows = json.loads(raw) if isinstance(raw, str) else raw
        return tuple(g.Evidence(g.EvidenceKind(k), int(c), float(p), str(d)) for k, c, p, d in rows)

    @cached_property
    def adjacency(self) -> dict[int, list[tuple[float, int]]]:
        """Return adjacency lists, most probable first (what the path search walks)."""
        return sort_adjacency(self.edges)

    @property
    def edge_count(self) -> int:
        return sum(len(n) for n in self.edges.values()) // 2

    def graph(self, nodes: Iterable[int] | None = None) -> nx.Graph:
        """Return the network (or the part induced by `nodes`) as a networkx graph, edges weighted by probability."""
        import networkx as nx

        keep = None if nodes is None else set(nodes)
        graph = nx.Graph()
        for a, nbrs in self.edges.items():
            if keep is not None and a not in keep:
                continue
            graph.add_node(a)
            for b, p in nbrs.items():
                if a < b and (keep is None or b in keep):
                    graph.add_edge(a, b, weight=p)
        return graph


def _domain(address: str) -> str | None:
    domain = address.rpartition("@")[2].lower()
    return domain if domain and domain not in FREE_MAIL else None


def contact_edges(conn: Connection, now: datetime) -> list[tuple[int, int, float, list[Any]]]:
    """Return every contact-to-contact edge from the evidence: (first, second, strength, evidence rows)."""
    found: dict[Pair, dict[g.EvidenceKind, list[Any]]] = defaultdict(dict)  # kind → [count, miss, detail]

    def note(a: int, b: int, kind: g.EvidenceKind, p: float, detail: str = "", combine: bool = True) -> None:
        pair = (a, b) if a < b else (b, a)
        slot = found[pair].get(kind)
        if slot is None:
            found[pair][kind] = [1, 1.0 - p, detail]
        elif combine:
            slot[0] += 1
            slot[1] *= 1.0 - p
        elif 1.0 - p < slot[1]:  # one employer counts once: the most telling group wins
            slot[1], slot[2] = 1.0 - p, detail

    current: list[int] = []
    current_id, current_kind, current_at = -1, "", now
    rows = store.shared_interactions(conn, g.MAX_GROUP)
    for iid, pid, kind, at in (*rows, (-2, -1, "", now)):
        if iid != current_id:
            if len(current) >= 2:
                read = g.interaction_probability(current_kind, len(current) - 1, (now - current_at).days)
                if read is not None:
                    for i, a in enumerate(current):
                        for b in current[i + 1 :]:
                            note(a, b, read[0], read[1])
            current, current_id, current_kind, current_at = [], iid, kind, at
        current.append(pid)

    groups: dict[str, list[int]] = defaultdict(list)
    for pid, org in store.employers(conn):
        groups[org].append(pid)
    for pid, address in store.email_addresses(conn):
        domain = _domain(address)
        if domain:
            groups[domain].append(pid)
    for name, members in groups.items():
        unique = sorted(set(members))
        p = g.employer_probability(len(unique))
        if p is None:
            continue
        for i, a in enumerate(unique):
            for b in unique[i + 1 :]:
                note(a, b, g.EvidenceKind.EMPLOYER, p, name, combine=False)

    for a, b in store.introduced_pairs(conn):
        if a != b:
            note(a, b, g.EvidenceKind.INTRODUCED, g.INTRODUCED_P)
    for link in store.links(conn):
        note(int(link.first_id), int(link.second_id), g.EvidenceKind.LINK, g.link_probability(link.kind), link.kind,
             combine=False)  # fmt: skip

    out = []
    for (a, b), kinds in found.items():
        evidence = [[k.value, c, round(g.clamp(1.0 - miss), 6), d] for k, (c, miss, d) in kinds.items()]
        out.append((a, b, g.noisy_or(e[2] for e in evidence), evidence))
    return out


def load_network(conn: Connection, app: App, *, refresh: bool = False) -> Network:
    """Return the network at "now": contact edges from the cache (rebuilt when stale), the user's ties fresh."""
    tiestats.refresh_if_settings_changed(conn, app.weights)
    me = app.me(conn)
    net = Network(me)
    mark = store.fingerprint(conn)
    if refresh or store.cached_fingerprint(conn) != mark:
        built = contact_edges(conn, app.now)
        store.save_edges(conn, built, mark, app.now)
        for a, b, p, ev in built:
            net.add(a, b, p)
            net.raw_evidence[(a, b)] = ev
    else:
        net.from_cache = True
        for a, b, p, ev_text in store.cached_edges(conn):
            net.add(a, b, p)
            net.raw_evidence[(a, b)] = ev_text
    for r in people_store.relationship_rows(conn):
        pid = int(r.id)
        net.names[pid] = str(r.name)
        stats = stats_from_row(r, 5)
        if stats is None and r.strength_override is None:
            strength = 0.0
        else:
            stats = stats or TieStats(as_of=app.now)
            net.stats[pid] = stats
            strength = strength_score(stats, app.now, app.weights, r.strength_override)
        net.user_strength[pid] = strength
        net.add(me, pid, g.user_edge(strength))
    return net
