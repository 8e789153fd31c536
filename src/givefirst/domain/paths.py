"""Warm paths: the k most probable chains of introductions from the user to someone, at most three hops.

A path's score is the product of its edges' probabilities — the chance every hop holds — so the best path is
the shortest one on −log p. The hop limit is part of the question (a fourth-hand introduction is not warm), and
with it the k best paths can be found exactly without a general k-shortest-paths search:

* 1 hop: the user → t, for each target t the user knows;
* 2 hops: the user → y → t, where y knows both;
* 3 hops: the user → x → y → t.

The targets' neighbours are collected once (y with its best k ways into the targets); 2-hop paths join them
with the user's own ties, 3-hop paths walk out from each y to the user's ties. Adjacency lists are sorted by
probability, so a branch is dropped as soon as even its best continuation cannot beat the k-th path found so
far. A path ends at the first target it reaches (someone in Florida needs no second Floridian), never visits a
node twice, and never passes through the user. The result equals the best of all simple paths of at most three
hops, which the tests check against networkx's `all_simple_paths`.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


class Adjacency(Protocol):
    """Node → [(probability, neighbour)], best first: a dict of lists, or anything that reads them when asked.

    Such an adjacency may also offer `read(nodes)`, to read the lists of many nodes it will be asked for at
    once, and `source_edges(source)`, the source's own edges as `SourceEdges` (so that the search need not
    read the source's whole list when only part of it matters).
    """

    def get(self, node: int, default: Sequence[tuple[float, int]], /) -> Sequence[tuple[float, int]]: ...


class SourceEdges(Protocol):
    """The source's edges, as the search uses them."""

    def to(self, goal: Collection[int], k: int) -> Iterable[tuple[float, int]]:
        """The edges to nodes of `goal`: at least every one that may be among the k most probable of them."""
        ...

    def best(self) -> float:
        """The probability of the most probable edge (0 without any)."""
        ...

    def walk(self) -> Iterable[tuple[float, int]]:
        """Every edge, best first (ties in any order): the search stops walking when the rest cannot matter."""
        ...

    def of(self, nodes: Collection[int]) -> Mapping[int, float]:
        """The probability of the edge to each of these nodes that has one (others may be there too)."""
        ...


class ListedEdges:
    """`SourceEdges` from the source's whole list, best first."""

    def __init__(self, mine: Sequence[tuple[float, int]]) -> None:
        self._mine = mine
        self._by_node: dict[int, float] | None = None

    def to(self, goal: Collection[int], k: int) -> list[tuple[float, int]]:
        return [(p, t) for p, t in self._mine if t in goal]

    def best(self) -> float:
        return self._mine[0][0] if self._mine else 0.0

    def walk(self) -> Sequence[tuple[float, int]]:
        return self._mine

    def of(self, nodes: Collection[int]) -> dict[int, float]:
        if self._by_node is None:
            self._by_node = {x: p for p, x in self._mine}
        return self._by_node


MAX_HOPS = 3


@dataclass(frozen=True, slots=True)
class Path:
    nodes: tuple[int, ...]  # the user first, the target last
    probabilities: tuple[float, ...]  # one per hop

    @property
    def score(self) -> float:
        return path_score(self.probabilities)

    @property
    def hops(self) -> int:
        return len(self.probabilities)

    @property
    def cost(self) -> float:
        """Return Σ −log p: the length of the path for a shortest-path search."""
        return sum(-math.log(p) for p in self.probabilities)


def path_score(probabilities: Sequence[float]) -> float:
    """Return the product of the hops' probabilities."""
    return math.prod(probabilities)


def ranked_neighbours(nbrs: Mapping[int, float]) -> list[tuple[float, int]]:
    """Return one node's adjacency list best first (ties by node id) from {neighbour: probability}."""
    return sorted(((p, m) for m, p in nbrs.items()), key=lambda e: (-e[0], e[1]))


def sort_adjacency(edges: Mapping[int, Mapping[int, float]]) -> dict[int, list[tuple[float, int]]]:
    """Return adjacency lists best first (ties by node id) from node → {neighbour: probability}."""
    return {n: ranked_neighbours(nbrs) for n, nbrs in edges.items()}


class _Best:
    """The k best paths seen so far under a total order: score, then fewer hops, then node ids."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.heap: list[tuple[float, int, tuple[int, ...], Path]] = []  # the worst kept path on top

    def floor(self) -> float:
        return self.heap[0][0] if len(self.heap) >= self.k else 0.0

    def push(self, nodes: tuple[int, ...], probabilities: tuple[float, ...]) -> None:
        path = Path(nodes, probabilities)
        entry = (path.score, -len(nodes), tuple(-n for n in nodes), path)
        if len(self.heap) < self.k:
            heapq.heappush(self.heap, entry)
        elif entry[:3] > self.heap[0][:3]:
            heapq.heapreplace(self.heap, entry)

    def paths(self) -> list[Path]:
        return [e[3] for e in sorted(self.heap, key=lambda e: e[:3], reverse=True)]


def best_paths(
    adj: Adjacency, source: int, targets: Collection[int], k: int = 3, max_hops: int = MAX_HOPS
) -> list[Path]:
    """Return the k most probable simple paths of at most `max_hops` hops from `source` to any target."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if not 1 <= max_hops <= MAX_HOPS:
        raise ValueError(f"paths have between 1 and {MAX_HOPS} hops")
    goal = set(targets)
    goal.discard(source)
    best = _Best(k)
    source_edges = getattr(adj, "source_edges", None)
    mine: SourceEdges = source_edges(source) if callable(source_edges) else ListedEdges(adj.get(source, ()))
    for p, t in mine.to(goal, k):
        best.push((source, t), (p,))
    if max_hops == 1 or not goal:
        return best.paths()
    # A longer path scores no more than its first hop, and ranks after a shorter one of equal score: when k
    # one-hop paths are at least as probable as the user's best tie, none can enter (nor need the targets' lists).
    if len(best.heap) >= k and best.floor() >= mine.best():
        return best.paths()
    # y → its best k ways into the targets (y itself not a target: the path would have ended there)
    read = getattr(adj, "read", None)  # an adjacency read as it is asked for can read the targets' lists at once
    if callable(read):
        read(goal)
    into: dict[int, list[tuple[float, int]]] = {}
    for t in goal:
        for p, y in adj.get(t, ()):
            if y != source and y not in goal:
                into.setdefault(y, []).append((p, t))
    for ways in into.values():
        ways.sort(key=lambda w: (-w[0], w[1]))
        del ways[k:]
    # (A path is pushed unless it is below the k-th path found so far, which only rises: the order in which
    # paths are found changes what is pushed, never the k best.)
    for p1, y in mine.walk():
        if p1 < best.floor():
            break
        for p2, t in into.get(y, ()):
            if p1 * p2 < best.floor():
                break
            best.push((source, y, t), (p1, p2))
    if max_hops == 2:
        return best.paths()
    for y in sorted(into, key=lambda n: (-into[n][0][0], n)):
        top = into[y][0][0]
        if top < best.floor():
            break
        onward = adj.get(y, ())
        reachable = []  # the nodes the loop below may reach (the floor only rises)
        for p2, x in onward:
            if p2 * top < best.floor():
                break
            reachable.append(x)
        reach = mine.of(reachable)
        for p2, x in onward:
            if p2 * top < best.floor():
                break
            if x not in reach or x in goal:
                continue
            p1 = reach[x]
            for p3, t in into[y]:
                if p1 * p2 * p3 < best.floor():
                    break
                best.push((source, x, y, t), (p1, p2, p3))
    return best.paths()
