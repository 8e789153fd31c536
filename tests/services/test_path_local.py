"""A path to one person searches that person's neighbourhood (`load_network_around`): the same paths as the
whole network gives, on random networks, with the edge cache fresh and stale."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from givefirst.domain.model import InteractionKind
from givefirst.domain.paths import best_paths
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.graph import load_network, load_network_around
from givefirst.services.links import link
from givefirst.services.people import PersonInput, add_person, set_me
from givefirst.services.reach import find_paths
from givefirst.store import graph as graph_store
from givefirst.store import stats as stats_store
from tests.conftest import NOW

ORGS = ("Acme", "Globex", "Initech", None, None)
KINDS = (InteractionKind.MEETING, InteractionKind.CALL, InteractionKind.EMAIL, InteractionKind.EVENT)


def random_network(
    app: App,
    seed: int,
    *,
    people: int = 24,
    meetings: int = 40,
    sizes: tuple[int, ...] = (1, 2, 2, 3, 4),
    places: tuple[str | None, ...] = (),
) -> tuple[list[int], list[str]]:
    """Build a random network (people at organizations and, with `places`, somewhere; meetings; links); return
    the people's ids and names."""
    rng = random.Random(seed)
    set_me(app, PersonInput(name="Jordan Reyes"))
    names = [f"Person {seed}-{i}" for i in range(people)]
    ids = [add_person(app, PersonInput(name=n, organization=rng.choice(ORGS),
                                       location=rng.choice(places) if places else None)) for n in names]  # fmt: skip
    for _ in range(meetings):  # group meetings make the contact edges; some with the user alone make ties
        group = rng.sample(names, rng.choice(sizes))
        log_interaction(app, group, kind=rng.choice(KINDS), at=NOW - timedelta(days=rng.randint(1, 900)))
    for _ in range(6):
        a, b = rng.sample(names, 2)
        link(app, a, b, rng.choice(("friend", "colleague", "knows")))
    return ids, names


def _random_network(app: App, seed: int) -> list[int]:
    return random_network(app, seed)[0]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_neighbourhood_gives_the_whole_networks_paths(app: App, seed: int) -> None:
    ids = _random_network(app, seed)
    with app.begin() as conn:
        assert graph_store.cache_mark(conn) is None
        load_network_around(conn, app, ids[:1])  # no cache yet: the whole graph is built into it first
        assert graph_store.cache_mark(conn) is not None
        whole = load_network(conn, app)
        assert whole.from_cache
        compared = 0
        for pid in ids:
            around = load_network_around(conn, app, [pid])
            assert around.from_cache
            assert around.edge_count < whole.edge_count or len(ids) < 3
            for hops in (1, 2, 3):
                expected = best_paths(whole.adjacency, whole.me, [pid], k=4, max_hops=hops)
                got = best_paths(around.adjacency, around.me, [pid], k=4, max_hops=hops)
                assert got == expected, (pid, hops)
                compared += len(expected)
            assert around.names[pid] == whole.names[pid]
            assert around.stats.get(pid) == whole.stats.get(pid)
    assert compared > 0


def test_find_paths_to_a_person_is_unchanged(app: App) -> None:
    ids = _random_network(app, 7)
    with app.begin() as conn:  # two never in touch: reached through others
        for pid in ids[:2]:
            stats_store.delete(conn, pid)
    kinds: set[bool] = set()
    for pid in ids:
        found = find_paths(app, person=str(pid), k=3)
        kinds.add(bool(found.direct))
        with app.begin() as conn:
            whole = load_network(conn, app)
            expected = [p for p in best_paths(whole.adjacency, whole.me, [pid], k=4) if p.hops > 1][:3]
        if found.direct:  # known directly: no introduction to look for, and the tie said as the whole graph says it
            assert whole.stats[pid].last_at is not None
            assert f"({whole.why(whole.me, pid)})" in found.direct
            continue
        assert pid not in whole.stats or whole.stats[pid].last_at is None
        assert [(h.source_id, h.target_id) for p in found.paths for h in p.hops] == [
            (a, b) for p in expected for a, b in zip(p.nodes[:-1], p.nodes[1:], strict=True)
        ]
    assert kinds == {True, False}
