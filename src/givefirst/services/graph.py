"""Building the graph of who knows whom from the database: the user's ties, and edges between contacts.

Contact-to-contact edges come from evidence and are cached, kept up to date as the evidence changes
(`services/graph_edges.py`). The user's own edges are tie strengths at "now", read from `tie_stats` every time
(one query, the same the daily plan makes).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from givefirst.domain import graph as g
from givefirst.domain.model import TieStats
from givefirst.domain.paths import sort_adjacency
from givefirst.domain.strength import strength_score
from givefirst.services import tiestats
from givefirst.services.context import App
from givefirst.services.graph_edges import GRAPH_VERSION, Pair, bring_up_to_date, contact_edges
from givefirst.store import graph as store
from givefirst.store import people as people_store
from givefirst.store import stats as stats_store
from givefirst.store.stats import stats_from_row

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["GRAPH_VERSION", "Network", "contact_edges", "load_ego_network", "load_network", "load_network_around"]


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

    def fetch_evidence(self, conn: Connection, pairs: Iterable[tuple[int, int]]) -> None:
        """Read the evidence of these edges from the cache when it was not loaded with the graph."""
        wanted = sorted({(min(a, b), max(a, b)) for a, b in pairs if self.me not in (a, b)} - self.raw_evidence.keys())
        if wanted:
            self.raw_evidence.update(store.cached_evidence(conn, wanted))

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


def load_network(conn: Connection, app: App, *, refresh: bool = False) -> Network:
    """Return the network at "now": contact edges from the cache (brought up to date first), the user's ties fresh.

    `refresh`: build the contact edges whole again even when the cache is current.
    """
    tiestats.refresh_if_settings_changed(conn, app.weights)
    net = Network(app.me(conn))
    # A whole rebuild is written to the cache as it is made, and read back from it like a current cache.
    net.from_cache = bring_up_to_date(conn, app, force=refresh).state != "rebuilt"
    edges = net.edges
    for a, b, p in store.cached_edges(conn):
        edges.setdefault(a, {})[b] = p
        edges.setdefault(b, {})[a] = p
    add_user_ties(conn, app, net)
    return net


def load_network_around(conn: Connection, app: App, targets: Collection[int], *, unless_known: bool = False) -> Network:
    """Return the part of the network every path of at most three hops to `targets` lies in.

    Such a path is you → x → y → t: t a target, y one of its neighbours, x one of y's. So the contact edges read
    are those of the targets and of their neighbours (by endpoint, from the cache), and the user's ties those
    to the people they reach: `best_paths` on it finds exactly the paths it finds on the whole network, without
    reading the whole graph or every tie's strength. The cache is brought up to date first, as `load_network` does.

    `unless_known`: when the user is in touch with every target (a path to them is no question), only the
    user's ties to them are read.
    """
    tiestats.refresh_if_settings_changed(conn, app.weights)
    goal = set(targets)
    if unless_known:
        net = Network(app.me(conn))
        rows = stats_store.relationship_rows_of(conn, goal)
        if rows and len(rows) == len(goal) and all(stats_from_row(r, 5) is not None and r.last_at for r in rows):
            add_user_ties(conn, app, net, rows)
            return net
    bring_up_to_date(conn, app)
    net = Network(app.me(conn))
    net.from_cache = True
    first = goal | {net.me}  # the user's own cached edges (a recorded link) are read as the whole graph reads them
    for a, b, p in store.edges_touching(conn, sorted(first)):
        net.add(a, b, p)
    ring = {n for t in goal for n in net.edges.get(t, ())} - first
    for a, b, p in store.edges_touching(conn, sorted(ring)):
        net.add(a, b, p)
    add_user_ties(conn, app, net, stats_store.relationship_rows_of(conn, net.edges.keys() | goal))
    return net


def load_ego_network(
    conn: Connection, app: App, size: int, min_strength: float, strengths: Mapping[int, float] | None = None
) -> tuple[Network, list[int]]:
    """Return the user's `size` strongest ties (at least `min_strength`) and the network among them.

    Only the edges between those ties are read from the cache once it is brought up to date, or computed when
    only a whole rebuild would bring it up to date: a few hundred edges rather than the whole graph. `strengths`
    (person id → tie strength), when the caller has them, saves computing everyone's again.
    """
    tiestats.refresh_if_settings_changed(conn, app.weights)
    net = Network(app.me(conn))
    if strengths is None:
        add_user_ties(conn, app, net)
        strengths = net.user_strength
    ranked = sorted(((s, pid) for pid, s in strengths.items() if s >= min_strength and pid != net.me), reverse=True)
    members = [pid for _, pid in ranked[:size]]
    for pid in members:
        net.user_strength[pid] = strengths[pid]
        net.add(net.me, pid, g.user_edge(strengths[pid]))
    if bring_up_to_date(conn, app, whole=False).state != "stale":
        net.from_cache = True
        for a, b, p in store.cached_edges(conn, among=members):
            net.add(a, b, p)
    else:  # the edges among these few, computed now, rather than rebuilding the whole graph
        for a, b, p, _ in contact_edges(conn, app.now, among=members):
            net.add(a, b, p)
    return net, members


def add_user_ties(conn: Connection, app: App, net: Network, rows: Iterable[Any] | None = None) -> None:
    """Add the user's edge to everyone (or to the people of `rows`, `people.relationship_rows`'s columns)."""
    me = net.me
    for r in people_store.relationship_rows(conn) if rows is None else rows:
        pid = int(r.id)
        net.names[pid] = str(r.name)
        stats, strength = tie_of_row(r, app)
        if stats is not None:
            net.stats[pid] = stats
        net.user_strength[pid] = strength
        net.add(me, pid, g.user_edge(strength))


def tie_of_row(row: Any, app: App) -> tuple[TieStats | None, float]:
    """Return the statistics and the strength at "now" of the user's tie in a `relationship_rows` row (no
    statistics and no chosen strength: never in touch, strength 0)."""
    stats = stats_from_row(row, 5)
    if stats is None and row.strength_override is None:
        return None, 0.0
    stats = stats or TieStats(as_of=app.now)
    return stats, strength_score(stats, app.now, app.weights, row.strength_override)
