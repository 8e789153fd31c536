"""Building the graph of who knows whom from the database: the user's ties, and edges between contacts.

Contact-to-contact edges come from evidence (`domain/graph.py`) read in a handful of scans; they do not depend
on "now"'s hour, so they are cached in `graph_edges` under a fingerprint of the tables they are read from and
rebuilt only when that data changed. The user's own edges are tie strengths at "now", read from `tie_stats`
every time (one query, the same the daily plan makes).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
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
from givefirst.store import stats as stats_store
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
GRAPH_VERSION = "g2"  # bump when the evidence rules change: the cached edges are rebuilt


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


def _domain(address: str) -> str | None:
    domain = address.rpartition("@")[2].lower()
    return domain if domain and domain not in FREE_MAIL else None


def contact_edges(
    conn: Connection, now: datetime, among: Collection[int] | None = None
) -> list[tuple[int, int, float, list[Any]]]:
    """Return every contact-to-contact edge from the evidence: (first, second, strength, evidence rows).

    With `among`, only the edges between two of those people (each computed exactly as in the whole graph: a
    meeting's or an employer's size still counts everyone on it).
    """
    keep = None if among is None else set(among)
    # One dict per kind of evidence, keyed by the pair (lower id first): flat dicts keep 500,000 interactions fast.
    shared: dict[g.EvidenceKind, dict[Pair, list[float]]] = defaultdict(dict)  # pair → [count, Π(1 − p)]
    group: list[int] = []
    group_id, group_kind, group_at = -1, "", now
    rows = store.shared_interactions(conn, g.MAX_GROUP, involving=None if keep is None else sorted(keep))
    for iid, pid, kind, at in (*rows, (-2, -1, "", now)):
        if iid != group_id:
            read = g.interaction_probability(group_kind, len(group) - 1, (now - group_at).days) if group else None
            if read is not None:
                slots, miss = shared[read[0]], 1.0 - read[1]
                inside = group if keep is None else [p for p in group if p in keep]
                for i, a in enumerate(inside):
                    for b in inside[i + 1 :]:
                        pair = (a, b) if a < b else (b, a)
                        slot = slots.get(pair)
                        if slot is None:
                            slots[pair] = [1.0, miss]
                        else:
                            slot[0] += 1.0
                            slot[1] *= miss
            group, group_id, group_kind, group_at = [], iid, kind, at
        group.append(pid)

    # One employer counts once per pair: the most telling group (the smallest) wins.
    # (1, name) for an organization, (0, domain) for a company email domain: at equal size the name is kept.
    groups: dict[tuple[int, str], set[int]] = defaultdict(set)
    for pid, org in store.employers(conn):
        groups[(1, org)].add(pid)
    for pid, address in store.email_addresses(conn):
        domain = _domain(address)
        if domain:
            groups[(0, domain)].add(pid)
    employer: dict[Pair, tuple[float, str]] = {}
    for (_, name), members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        p = g.employer_probability(len(members))
        if p is None:
            continue
        ordered = sorted(members if keep is None else members & keep)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                employer[(a, b)] = (p, name)  # smaller groups come later and overwrite: the best one stays

    recorded: dict[Pair, tuple[g.EvidenceKind, float, str]] = {}
    for a, b in store.introduced_pairs(conn):
        if a != b and (keep is None or (a in keep and b in keep)):
            recorded[(min(a, b), max(a, b))] = (g.EvidenceKind.INTRODUCED, g.INTRODUCED_P, "")
    linked: dict[Pair, tuple[float, str]] = {}
    for link in store.links(conn):
        if keep is not None and not (link.first_id in keep and link.second_id in keep):
            continue
        linked[(int(link.first_id), int(link.second_id))] = (g.link_probability(link.kind), str(link.kind))

    evidence: dict[Pair, list[Any]] = defaultdict(list)
    for kind, slots in shared.items():
        for pair, (count, miss) in slots.items():
            evidence[pair].append([kind.value, int(count), round(1.0 - miss, 6), ""])
    for pair, (p, name) in employer.items():
        evidence[pair].append([g.EvidenceKind.EMPLOYER.value, 1, round(p, 6), name])
    for pair, (kind, p, detail) in recorded.items():
        evidence[pair].append([kind.value, 1, p, detail])
    for pair, (p, detail) in linked.items():
        evidence[pair].append([g.EvidenceKind.LINK.value, 1, p, detail])
    return [(a, b, g.noisy_or(e[2] for e in ev), ev) for (a, b), ev in evidence.items()]


def load_network(conn: Connection, app: App, *, refresh: bool = False) -> Network:
    """Return the network at "now": contact edges from the cache (rebuilt when stale), the user's ties fresh."""
    tiestats.refresh_if_settings_changed(conn, app.weights)
    net = Network(app.me(conn))
    if not _rebuild_if_stale(conn, app, net, refresh=refresh):
        net.from_cache = True
        edges = net.edges
        for a, b, p in store.cached_edges(conn):
            edges.setdefault(a, {})[b] = p
            edges.setdefault(b, {})[a] = p
    _add_user_ties(conn, app, net)
    return net


def load_network_around(conn: Connection, app: App, targets: Collection[int], *, unless_known: bool = False) -> Network:
    """Return the part of the network every path of at most three hops to `targets` lies in.

    Such a path is you → x → y → t: t a target, y one of its neighbours, x one of y's. So the contact edges read
    are those of the targets and of their neighbours (by endpoint, from the cache), and the user's ties those
    to the people they reach: `best_paths` on it finds exactly the paths it finds on the whole network, without
    reading the whole graph or every tie's strength. A stale cache is rebuilt first, as `load_network` does.

    `unless_known`: when the user is in touch with every target (a path to them is no question), only the
    user's ties to them are read.
    """
    tiestats.refresh_if_settings_changed(conn, app.weights)
    goal = set(targets)
    if unless_known:
        net = Network(app.me(conn))
        rows = stats_store.relationship_rows_of(conn, goal)
        if rows and len(rows) == len(goal) and all(stats_from_row(r, 5) is not None and r.last_at for r in rows):
            _add_user_ties(conn, app, net, rows)
            return net
    if _cache_stale(conn):
        return load_network(conn, app)
    net = Network(app.me(conn))
    net.from_cache = True
    first = goal | {net.me}  # the user's own cached edges (a recorded link) are read as the whole graph reads them
    for a, b, p in store.edges_touching(conn, sorted(first)):
        net.add(a, b, p)
    ring = {n for t in goal for n in net.edges.get(t, ())} - first
    for a, b, p in store.edges_touching(conn, sorted(ring)):
        net.add(a, b, p)
    _add_user_ties(conn, app, net, stats_store.relationship_rows_of(conn, net.edges.keys() | goal))
    return net


def _cache_stale(conn: Connection) -> bool:
    return store.cached_fingerprint(conn) != f"{GRAPH_VERSION}:{store.fingerprint(conn)}"


def load_ego_network(
    conn: Connection, app: App, size: int, min_strength: float, strengths: Mapping[int, float] | None = None
) -> tuple[Network, list[int]]:
    """Return the user's `size` strongest ties (at least `min_strength`) and the network among them.

    Only the edges between those ties are read from the cache, or computed when it is stale: a few hundred edges
    rather than the whole graph. `strengths` (person id → tie strength), when the caller has them, saves
    computing everyone's again.
    """
    tiestats.refresh_if_settings_changed(conn, app.weights)
    net = Network(app.me(conn))
    if strengths is None:
        _add_user_ties(conn, app, net)
        strengths = net.user_strength
    ranked = sorted(((s, pid) for pid, s in strengths.items() if s >= min_strength and pid != net.me), reverse=True)
    members = [pid for _, pid in ranked[:size]]
    for pid in members:
        net.user_strength[pid] = strengths[pid]
        net.add(net.me, pid, g.user_edge(strengths[pid]))
    if not _cache_stale(conn):
        net.from_cache = True
        for a, b, p in store.cached_edges(conn, among=members):
            net.add(a, b, p)
    else:  # the cache is stale: the edges among these few, computed now, rather than rebuilding the whole graph
        for a, b, p, _ in contact_edges(conn, app.now, among=members):
            net.add(a, b, p)
    return net, members


def _rebuild_if_stale(conn: Connection, app: App, net: Network, *, refresh: bool = False) -> bool:
    """Rebuild the contact edges into the cache and into `net` when the evidence changed; say whether it did."""
    mark = f"{GRAPH_VERSION}:{store.fingerprint(conn)}"
    if not refresh and store.cached_fingerprint(conn) == mark:
        return False
    built = contact_edges(conn, app.now)
    store.save_edges(conn, built, mark, app.now)
    for a, b, p, ev in built:
        net.add(a, b, p)
        net.raw_evidence[(a, b)] = ev
    return True


def _add_user_ties(conn: Connection, app: App, net: Network, rows: Iterable[Any] | None = None) -> None:
    """Add the user's edge to everyone (or to the people of `rows`, `people.relationship_rows`'s columns)."""
    me = net.me
    for r in people_store.relationship_rows(conn) if rows is None else rows:
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
