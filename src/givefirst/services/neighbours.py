"""Paths to many people at once (a place, an organization, a role) without loading the whole graph.

`path --place Florida` at 100,000 people has 11,000 targets. `load_network` read all 1,000,000 cached edges and
every tie's strength into dicts, and sorted every adjacency list, for a search (`domain.paths.best_paths`) that
looks at few of them: the user's ties, the targets' neighbours and the lists of the few neighbours a 3-hop
search walks out from before its bound stops it (5.4 s and 550 MB warm). `Neighbours` gives the search the
same adjacency lists, read from the edge cache by endpoint when it asks for them: the targets' in one go, any
other node's when the search reaches it, and the user's own ties as far as the search needs them — from a ceiling
on each tie's strength, refined batch by batch, or all at once as columns (`domain.tiescores`, the same strengths
as scoring each tie) when the search walks deep into them. The paths are the ones the whole network gives
(`tests/services/test_path_many.py`, `tests/services/test_path_ceilings.py`).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection, Iterable, Iterator, Sequence

from sqlalchemy import Connection

from givefirst.domain import graph as g
from givefirst.domain.paths import ListedEdges, SourceEdges, ranked_neighbours
from givefirst.services.context import App
from givefirst.services.graph import Network, add_user_ties, tie_of_row
from givefirst.services.graph_edges import bring_up_to_date
from givefirst.store import graph as store
from givefirst.store import stats as stats_store

Neighbour = tuple[float, int]  # (probability, node)


class Neighbours:
    """The adjacency lists of the network at "now", each read from the edge cache when first asked for.

    A node's list is what `load_network(...).adjacency` holds for it: its cached contact edges, and its edge to
    the user from their tie strength. The user's own list is their ties alone: the cache holds edges between two
    contacts only (`graph_edges.contact_edges` leaves the user out of every kind of evidence).

    The user's whole list (every tie's strength, computed as columns with numpy) is read only when it is asked
    for or the search walks deep into it. Before that, the search's questions about the user's edges
    (`source_edges`) are answered from a ceiling on each tie's strength that costs no date arithmetic
    (`store.stats.strength_bounds`), computing exact strengths batch by batch, best ceiling first, only until
    no other tie can matter; and the user's edges to the nodes whose lists are read are computed for them alone.
    """

    BATCH = 64  # exact strengths computed per statement
    WALK = 1024  # ties walked one batch at a time before the whole list is read instead (numpy's columns)

    def __init__(self, conn: Connection, app: App) -> None:
        self._conn = conn
        self._app = app
        self.me = app.me(conn)
        self.edges: dict[int, dict[int, float]] = {}  # every contact's list read, by node
        self._lists: dict[int, list[Neighbour]] = {}
        self._strength: dict[int, float] | None = None  # every tie's strength, once the whole list is read
        self._bounds: tuple[list[Neighbour], list[tuple[float, int]]] | None = None  # see `by_ceiling`
        self._exact: dict[int, float] = {}  # the user's edges computed batch by batch

    @property
    def strength(self) -> dict[int, float]:
        """Every tie's strength at "now", by person (the whole list read the first time this is asked)."""
        if self._strength is None:
            self._read_mine()
        assert self._strength is not None
        return self._strength

    @property
    def whole(self) -> bool:
        """Whether the user's whole list has been read."""
        return self._strength is not None

    def _read_mine(self) -> None:
        import numpy as np  # imported by the searches that read the user's whole list only

        from givefirst.domain.tiescores import strengths as strengths_of

        app = self._app
        columns = stats_store.strength_columns(self._conn)  # the strengths alone: not the tiers, dues and balances
        ids, strengths = columns.person_id, strengths_of(columns, app.now, app.weights)[0]
        self._strength = dict(zip(ids.tolist(), strengths.tolist(), strict=True))
        # Best first, ties by node, as `paths.ranked_neighbours` orders them: sorted as columns (100,000 ties).
        edges = g.user_edges(strengths)
        order = np.lexsort((ids, -edges))
        self._lists[self.me] = list(zip(edges[order].tolist(), ids[order].tolist(), strict=True))

    def read(self, nodes: Iterable[int]) -> None:
        """Read the lists of these nodes at once (those not read yet)."""
        wanted = {n for n in nodes if n not in self._lists}
        if not wanted:
            return
        found: dict[int, dict[int, float]] = {n: {} for n in wanted}
        for a, b, p in store.edges_touching(self._conn, sorted(wanted)):
            if a in found:
                found[a][b] = p
            if b in found:
                found[b][a] = p
        mine = self.user_edges(wanted)
        for node, edges in found.items():
            if node in mine:
                edges[self.me] = mine[node]
            self.edges[node] = edges
            self._lists[node] = ranked_neighbours(edges)

    def get(self, node: int, default: Sequence[Neighbour] = (), /) -> Sequence[Neighbour]:
        """Return a node's neighbours, most probable first (ties by node), as `best_paths` asks."""
        if node == self.me and not self.whole:
            self._read_mine()
        elif node not in self._lists:
            self.read([node])
        return self._lists[node] or default

    def source_edges(self, source: int) -> SourceEdges:
        """The source's edges for `best_paths`: the user's read as the search needs them."""
        return _UserEdges(self) if source == self.me and not self.whole else ListedEdges(self.get(source))

    def user_edges(self, nodes: Collection[int]) -> dict[int, float]:
        """The user's edge to each of these people (nodes that are not are left out)."""
        if self._strength is not None:
            return {n: g.user_edge(self._strength[n]) for n in nodes if n in self._strength}
        wanted = [n for n in nodes if n not in self._exact]
        for start in range(0, len(wanted), stats_store.CHUNK):
            for row in stats_store.relationship_rows_of(self._conn, wanted[start : start + stats_store.CHUNK]):
                self._exact[int(row.id)] = g.user_edge(tie_of_row(row, self._app)[1])
        return {n: self._exact[n] for n in nodes if n in self._exact}

    def by_ceiling(self) -> Iterator[Neighbour]:
        """Yield (a ceiling on the user's edge, node) for every tie, highest first, computing each as it goes."""
        if self._bounds is None:
            chosen: list[Neighbour] = []
            computed: list[tuple[float, int]] = []  # (raw bound, node): the ceiling grows with it
            for pid, strength, raw in stats_store.strength_bounds(self._conn, self._app.weights):
                if strength is not None:
                    chosen.append((g.user_edge(min(max(strength, 0.0), 1.0)), pid))
                else:
                    computed.append((-1.0 if raw is None else raw, pid))  # (none: never in touch, strength 0)
            chosen.sort(reverse=True)
            computed.sort(reverse=True)
            self._bounds = chosen, computed
        chosen, computed = self._bounds
        saturation = self._app.weights.saturation
        ceilings = ((g.user_edge(_strength_ceiling(raw, saturation)), pid) for raw, pid in computed)
        return heapq.merge(chosen, ceilings, key=lambda c: c[0], reverse=True)


class _UserEdges:
    """The user's edges, from ceilings refined batch by batch (`Neighbours.by_ceiling`), as `SourceEdges`."""

    def __init__(self, neighbours: Neighbours) -> None:
        self._n = neighbours

    def to(self, goal: Collection[int], k: int) -> list[Neighbour]:
        """Exact edges to the goal's people, best ceiling first, until the next ceiling is below the k-th."""
        return self._refine((c for c in self._n.by_ceiling() if c[1] in goal), k)

    def best(self) -> float:
        return next(iter(self.walk()), (0.0, 0))[0]  # (the walk's first edge: refined only that far)

    def of(self, nodes: Collection[int]) -> dict[int, float]:
        return self._n.user_edges(nodes)

    def walk(self) -> Iterator[Neighbour]:
        """Every edge best first: an edge is given once it is at least every ceiling not yet refined. After
        `Neighbours.WALK` of them, the rest from the whole list (the edges not given yet)."""
        given: set[int] = set()
        waiting: list[tuple[float, int]] = []  # (−edge, node): refined, not given yet
        stream = self._n.by_ceiling()
        upcoming = next(stream, None)
        while upcoming is not None or waiting:
            if len(given) >= Neighbours.WALK:
                for p, node in self._n.get(self._n.me):
                    if node not in given:
                        yield p, node
                return
            if upcoming is None or (waiting and -waiting[0][0] >= upcoming[0]):
                p, node = heapq.heappop(waiting)
                given.add(node)
                yield -p, node
                continue
            batch = [upcoming[1]]
            for upcoming in stream:
                if len(batch) == Neighbours.BATCH:
                    break
                batch.append(upcoming[1])
            else:
                upcoming = None
            for node, p in self._n.user_edges(batch).items():
                heapq.heappush(waiting, (-p, node))

    def _refine(self, candidates: Iterator[Neighbour], k: int) -> list[Neighbour]:
        """Return exact edges of `candidates` ((ceiling, node), highest first) until at least k are known and
        the next ceiling is below the k-th highest of them: no candidate left can rank among the k."""
        found: list[float] = []  # the k highest exact edges so far, lowest first
        out: list[Neighbour] = []
        pending: list[int] = []

        def compute() -> None:
            nonlocal found
            for node, p in self._n.user_edges(pending).items():
                out.append((p, node))
                found = sorted([*found, p])[-k:]
            pending.clear()

        for ceiling, node in candidates:
            if len(found) >= k and ceiling < found[0]:
                break
            pending.append(node)
            if len(pending) == Neighbours.BATCH:
                compute()
        compute()
        return out


def _strength_ceiling(raw: float, saturation: float) -> float:
    """A strength no lower than the tie's, from the bound on its raw strength (below 0: never in touch, 0)."""
    if raw < 0:
        return 0.0
    # A margin over the bound: the exact strength sums its terms in another order (a rounding apart).
    return min(max(1.0 - math.exp(-(raw * (1 + 1e-9) + 1e-12) / saturation), 0.0), 1.0)


def network_for_paths(conn: Connection, app: App) -> tuple[Network, Neighbours]:
    """Return the adjacency `best_paths` searches (it reads the targets' lists when it needs them), and a `Network`
    to explain the paths it finds (`explain_on`). The edge cache is brought up to date first."""
    bring_up_to_date(conn, app)
    neighbours = Neighbours(conn, app)
    net = Network(neighbours.me)
    net.from_cache = True
    return net, neighbours


def explain_on(conn: Connection, app: App, net: Network, neighbours: Neighbours, nodes: Iterable[int]) -> None:
    """Put in `net` what explaining paths through these nodes needs: their names, ties and the edges between them
    that were read."""
    people = set(nodes) - {net.me}
    add_user_ties(conn, app, net, stats_store.relationship_rows_of(conn, people))
    for a in people:
        for b, p in neighbours.edges.get(a, {}).items():
            if b in people:
                net.add(a, b, p)
