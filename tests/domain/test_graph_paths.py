"""Edge strength from evidence, and the k best warm paths: invariants (Hypothesis) and a brute-force check."""

from __future__ import annotations

import math
from itertools import pairwise

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain import graph as g
from givefirst.domain.paths import best_paths, path_score, sort_adjacency

probability = st.floats(min_value=0.0001, max_value=1.0, allow_nan=False)
evidence = st.builds(
    g.Evidence,
    st.sampled_from(list(g.EvidenceKind)),
    st.integers(min_value=1, max_value=50),
    probability,
)


@given(st.lists(evidence, max_size=8), evidence)
def test_edge_strength_is_a_probability_and_more_evidence_never_lowers_it(found: list[g.Evidence],
                                                                          more: g.Evidence) -> None:  # fmt: skip
    before = g.edge_strength(found)
    after = g.edge_strength([*found, more])
    assert 0.0 < before <= 1.0 and 0.0 < after <= 1.0
    assert after >= before - 1e-12
    assert after >= more.probability - 1e-12  # no edge is weaker than its strongest evidence


@given(st.sampled_from(["meeting", "call", "video", "event", "email", "message"]),
       st.integers(min_value=1, max_value=39), st.floats(min_value=0, max_value=20_000))  # fmt: skip
def test_a_shared_interaction_is_a_probability_weaker_in_crowds_and_with_age(
    kind: str, others: int, age: float
) -> None:
    read = g.interaction_probability(kind, others, age)
    assert read is not None
    _, p = read
    assert 0.0 < p <= 1.0
    crowd = g.interaction_probability(kind, others + 1, age)
    older = g.interaction_probability(kind, others, age + 365)
    if crowd is not None:
        assert crowd[1] <= p
    assert older is not None and older[1] <= p
    assert (
        g.interaction_probability(kind, others, age)[1]
        >= g.AGE_FLOOR * g.INTERACTION_BASE[kind][1] / math.sqrt(others) - 1e-12
    )  # old shared history keeps a floor


def test_what_says_nothing_is_no_evidence() -> None:
    assert g.interaction_probability("note", 1, 0) is None  # a note is not a meeting
    assert g.interaction_probability("email", g.MAX_GROUP, 0) is None  # a broadcast
    assert g.employer_probability(1) is None and g.employer_probability(g.EMPLOYER_MAX_GROUP + 1) is None
    assert g.employer_probability(5) == pytest.approx(g.EMPLOYER_BASE)
    assert g.employer_probability(100) < g.employer_probability(20)  # type: ignore[operator]


def test_recorded_links_are_the_strongest_evidence_and_explain_themselves() -> None:
    assert g.link_probability("family") > g.link_probability("colleague") > g.link_probability("knows")
    assert g.link_probability("nonsense") == g.link_probability("knows")
    found = [g.Evidence(g.EvidenceKind.MEETING, 3, 0.5), g.Evidence(g.EvidenceKind.LINK, 1, 0.7, "colleague")]
    assert g.explain(found) == "you recorded them as colleague; 3 meetings together"
    assert g.edge_strength(found) == pytest.approx(1 - 0.5 * 0.3)
    assert g.user_edge(0.0) == g.USER_FLOOR and g.user_edge(0.9) == 0.9


@st.composite
def networks(draw: st.DrawFn) -> tuple[dict[int, dict[int, float]], set[int]]:
    n = draw(st.integers(min_value=2, max_value=9))
    edges: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for a in range(n):
        for b in range(a + 1, n):
            if draw(st.booleans()):
                p = draw(st.sampled_from([0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9, 1.0]))
                edges[a][b] = edges[b][a] = p
    targets = set(draw(st.lists(st.integers(min_value=0, max_value=n - 1), min_size=1, max_size=3)))
    return edges, targets


def _brute_force(edges: dict[int, dict[int, float]], targets: set[int], hops: int) -> list[float]:
    """Every simple path of at most `hops` hops from 0 that ends at its first target, scores best first."""
    graph = nx.Graph()
    graph.add_nodes_from(edges)
    graph.add_edges_from((a, b) for a in edges for b in edges[a])
    scores = []
    for t in targets - {0}:
        for path in nx.all_simple_paths(graph, 0, t, cutoff=hops):
            if any(n in targets for n in path[1:-1]):
                continue
            scores.append(math.prod(edges[a][b] for a, b in pairwise(path)))
    return sorted(scores, reverse=True)


@settings(max_examples=300, deadline=None)
@given(networks(), st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=3))
def test_best_paths_are_the_k_most_probable_short_simple_paths(net: tuple[dict[int, dict[int, float]], set[int]],
                                                              k: int, hops: int) -> None:  # fmt: skip
    edges, targets = net
    found = best_paths(sort_adjacency(edges), 0, targets, k=k, max_hops=hops)
    expected = _brute_force(edges, targets, hops)[:k]
    assert [round(p.score, 9) for p in found] == [round(s, 9) for s in expected]
    for p in found:
        assert 1 <= p.hops <= hops and p.nodes[0] == 0 and p.nodes[-1] in targets
        assert len(set(p.nodes)) == len(p.nodes)  # simple: never through anyone twice, the user included
        assert 0 not in p.nodes[1:]
        assert p.score == pytest.approx(path_score(p.probabilities))
        assert 0.0 < p.score <= 1.0
        assert p.cost == pytest.approx(-math.log(p.score))
        assert all(edges[a][b] == q for a, b, q in zip(p.nodes, p.nodes[1:], p.probabilities, strict=False))
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)


def test_the_direct_tie_wins_over_a_weaker_chain_and_bad_arguments_are_refused() -> None:
    edges = {0: {1: 0.9, 2: 0.3}, 1: {0: 0.9, 3: 0.8}, 2: {0: 0.3, 3: 1.0}, 3: {1: 0.8, 2: 1.0}}
    adj = sort_adjacency(edges)
    found = best_paths(adj, 0, {3}, k=3)
    assert [p.nodes for p in found] == [(0, 1, 3), (0, 2, 3)]  # 0.72 then 0.3; no direct tie to 3
    assert best_paths(adj, 0, {0}) == []  # the user is never their own target
    with pytest.raises(ValueError):
        best_paths(adj, 0, {3}, k=0)
    with pytest.raises(ValueError):
        best_paths(adj, 0, {3}, max_hops=4)


class _Recording:
    """An adjacency that says which lists were asked for, one at a time or read at once."""

    def __init__(self, edges: dict[int, dict[int, float]]) -> None:
        self.lists = sort_adjacency(edges)
        self.asked: list[int] = []
        self.read_at_once: list[set[int]] = []

    def get(self, node: int, default: list[tuple[float, int]], /) -> list[tuple[float, int]]:
        self.asked.append(node)
        return self.lists.get(node, default)

    def read(self, nodes: set[int]) -> None:
        self.read_at_once.append(set(nodes))


def test_the_targets_lists_are_read_at_once_and_only_when_a_longer_path_could_enter() -> None:
    edges = {0: {1: 1.0, 2: 1.0, 3: 0.5}, 1: {0: 1.0, 4: 0.9}, 2: {0: 1.0}, 3: {0: 0.5, 4: 0.9}, 4: {1: 0.9, 3: 0.9}}
    strong = _Recording(edges)  # two targets the user knows as well as anyone: no longer path can beat them
    assert [p.nodes for p in best_paths(strong, 0, {1, 2}, k=2)] == [(0, 1), (0, 2)]
    assert strong.asked == [0] and strong.read_at_once == []
    weak = _Recording(edges)  # a target reached best through someone: its list and its neighbours' are read
    assert [p.nodes for p in best_paths(weak, 0, {4}, k=2)] == [(0, 1, 4), (0, 3, 4)]
    assert weak.read_at_once == [{4}] and weak.asked[:2] == [0, 4]
