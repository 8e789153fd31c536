"""Paths to many people at once (a place, an organization, a role) without loading the whole graph.

`path --place Florida` at 100,000 people has 11,000 targets. `load_network` read all 1,000,000 cached edges and
every tie's strength into dicts, and sorted every adjacency list, for a search (`domain.paths.best_paths`) that
looks at few of them: the user's ties, the targets' neighbours and the lists of the few neighbours a 3-hop
search walks out from before its bound stops it (5.4 s and 550 MB warm). `Neighbours` gives the search the
same adjacency lists, read from the edge cache by endpoint when it asks for them: the targets' in one go, the
user's computed as columns (`domain.tiescores`, the same strengths as scoring each tie), any other node's when
the search reaches it. The paths are the ones the whole network gives (`tests/services/test_path_many.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection

from givefirst.domain import graph as g
from givefirst.domain.paths import ranked_neighbours
from givefirst.services.context import App
from givefirst.services.graph import Network, add_user_ties
from givefirst.services.graph_edges import bring_up_to_date
from givefirst.store import graph as store
from givefirst.store import stats as stats_store

Neighbour = tuple[float, int]  # (probability, node)


class Neighbours:
    """The adjacency lists of the network at "now", each read from the edge cache when first asked for.

    A node's list is what `load_network(...).adjacency` holds for it: its cached contact edges, and its edge to
    the user from their tie strength. The user's own list is their ties alone: the cache holds edges between two
    contacts only (`graph_edges.contact_edges` leaves the user out of every kind of evidence).
    """

    def __init__(self, conn: Connection, app: App) -> None:
        import numpy as np  # imported by the commands that search paths only

        from givefirst.domain.tiescores import strengths as strengths_of

        self._conn = conn
        self.me = app.me(conn)
        columns = stats_store.strength_columns(conn)  # the strengths alone: not the tiers, dues and balances
        ids, strengths = columns.person_id, strengths_of(columns, app.now, app.weights)[0]
        self.strength = dict(zip(ids.tolist(), strengths.tolist(), strict=True))
        self.edges: dict[int, dict[int, float]] = {}  # every contact's list read, by node
        # Best first, ties by node, as `paths.ranked_neighbours` orders them: sorted as columns (100,000 ties).
        edges = g.user_edges(strengths)
        order = np.lexsort((ids, -edges))
        self._lists: dict[int, list[Neighbour]] = {
            self.me: list(zip(edges[order].tolist(), ids[order].tolist(), strict=True))
        }

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
        for node, edges in found.items():
            strength = self.strength.get(node)
            if strength is not None:
                edges[self.me] = g.user_edge(strength)
            self.edges[node] = edges
            self._lists[node] = ranked_neighbours(edges)

    def get(self, node: int, default: Sequence[Neighbour] = (), /) -> Sequence[Neighbour]:
        """Return a node's neighbours, most probable first (ties by node), as `best_paths` asks."""
        if node not in self._lists:
            self.read([node])
        return self._lists[node] or default


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
