"""Brokerage by matrices gives networkx's effective size and constraint, on any graph."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain.brokerage import ego_brokerage

weights = st.floats(min_value=0.01, max_value=1.0, allow_nan=False)


@st.composite
def graphs(draw: st.DrawFn) -> dict[int, dict[int, float]]:
    n = draw(st.integers(min_value=1, max_value=14))
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    adjacency: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for a, b in chosen:
        w = draw(weights)
        adjacency[a][b] = adjacency[b][a] = w
    return adjacency


def _networkx(ego: int, adjacency: dict[int, dict[int, float]]) -> tuple[float, float]:
    graph = nx.Graph()
    graph.add_nodes_from(adjacency)
    for a, nbrs in adjacency.items():
        for b, w in nbrs.items():
            graph.add_edge(a, b, weight=w)
    return nx.effective_size(graph, nodes=[ego])[ego], nx.constraint(graph, nodes=[ego], weight="weight")[ego]


@settings(max_examples=200, deadline=None)
@given(graphs())
def test_equals_networkx_on_random_graphs(adjacency: dict[int, dict[int, float]]) -> None:
    ego = 0
    got = ego_brokerage(ego, list(adjacency), adjacency)
    size, constraint = _networkx(ego, adjacency)
    if not adjacency[ego]:
        assert got.contacts == 0 and got.effective_size is None and got.constraint is None
        assert math.isnan(size)
        return
    assert got.contacts == len(adjacency[ego])
    assert got.effective_size == pytest.approx(size, rel=1e-9, abs=1e-9)
    assert got.constraint == pytest.approx(constraint, rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(graphs(), st.data())
def test_only_the_induced_graph_counts(adjacency: dict[int, dict[int, float]], data: st.DataObject) -> None:
    members = data.draw(st.lists(st.sampled_from(sorted(adjacency)), unique=True))
    keep = {0, *members}
    induced = {a: {b: w for b, w in nbrs.items() if b in keep} for a, nbrs in adjacency.items() if a in keep}
    got, want = ego_brokerage(0, members, adjacency), ego_brokerage(0, list(induced), induced)
    assert (got.contacts, got.ties_among, got.effective_size) == (want.contacts, want.ties_among, want.effective_size)
    assert got.constraint == (None if want.constraint is None else pytest.approx(want.constraint, rel=1e-12))


def test_a_star_is_all_holes_and_a_clique_is_closed() -> None:
    star = {0: {1: 1.0, 2: 1.0, 3: 1.0}, 1: {0: 1.0}, 2: {0: 1.0}, 3: {0: 1.0}}
    got = ego_brokerage(0, [1, 2, 3], star)
    assert got.effective_size == 3 and got.efficiency == 1
    assert got.constraint == pytest.approx(3 * (1 / 3) ** 2)
    clique = {a: {b: 1.0 for b in range(4) if b != a} for a in range(4)}
    closed = ego_brokerage(0, [1, 2, 3], clique)
    assert closed.effective_size == 1 and closed.ties_among == 3
    assert closed.constraint > got.constraint


def test_an_edge_known_from_one_side_joins_both() -> None:
    one_sided = {0: {1: 0.5}, 1: {}}
    assert ego_brokerage(0, [1], one_sided).contacts == 1
    assert ego_brokerage(1, [0], one_sided).contacts == 1
