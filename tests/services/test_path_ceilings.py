"""Paths to many people without the user's whole list of ties (`services.neighbours`): every ceiling
(`store.stats.strength_bounds`) is at least the edge it bounds, whatever the weights and the day; the search on
ceilings refined batch by batch finds the paths the whole network gives, however small the batches; and a place
the user knows well is answered without reading every tie. On SQLite and, with GIVEFIRST_TEST_DATABASE_URL,
PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from givefirst.domain.goals import Target
from givefirst.domain.model import InteractionKind
from givefirst.domain.paths import best_paths
from givefirst.domain.weights import Weights
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.graph import load_network
from givefirst.services.neighbours import Neighbours, network_for_paths
from givefirst.services.people import PersonInput, add_person
from givefirst.services.reach import target_people
from tests.conftest import NOW
from tests.services import test_people_paging
from tests.services.test_path_many import TARGETS, _random_network

HEAVY = Weights(two_way_factor=0.0, one_way_factor=3.0, ledger_factor=5.0, history_weight=0.0, saturation=2.0)


@pytest.mark.parametrize("seed", [1, 2])
def test_every_ceiling_is_at_least_the_edge_it_bounds(app: App, seed: int) -> None:
    test_people_paging.random_network(app, seed)  # silent for years, never in touch, chosen strengths
    checked = 0
    for weights in [*test_people_paging.WEIGHTS, HEAVY]:
        app.settings = replace(app.settings, weights=weights)
        for days in (-400, 0, 30, 900):  # a day before the statistics were computed too: no decay at all
            app.now = NOW + timedelta(days=days)
            with app.begin() as conn:
                exact = Neighbours(conn, app)
                ceilings = list(exact.by_ceiling())
                assert [c for c, _ in ceilings] == sorted((c for c, _ in ceilings), reverse=True)
                edges = exact.user_edges([node for _, node in ceilings])
                whole = Neighbours(conn, app).get(exact.me)  # every strength at once, as columns
            assert sorted(edges.items()) == sorted((node, p) for p, node in whole)
            assert all(ceiling >= edges[node] for ceiling, node in ceilings)
            checked += len(ceilings)
    app.settings, app.now = replace(app.settings, weights=Weights()), NOW
    assert checked > 1000


@pytest.mark.parametrize(("batch", "walk"), [(1, 2), (3, 7), (64, 1024)])
@pytest.mark.parametrize("seed", [1, 3])
def test_refined_ceilings_give_the_whole_network_s_paths(
    app: App, seed: int, batch: int, walk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Neighbours, "BATCH", batch)
    monkeypatch.setattr(Neighbours, "WALK", walk)
    _random_network(app, seed)
    compared = 0
    with app.begin() as conn:
        whole = load_network(conn, app)
        for target in TARGETS:
            goal = target_people(conn, target)
            for hops in (1, 2, 3):
                for k in (1, 2, 3, 6):
                    _, neighbours = network_for_paths(conn, app)
                    expected = best_paths(whole.adjacency, whole.me, goal.keys(), k=k, max_hops=hops)
                    assert best_paths(neighbours, whole.me, goal.keys(), k=k, max_hops=hops) == expected
                    compared += len(expected)
        # The walk gives every edge once, best first, whether it ends in the whole list or not.
        walked = list(Neighbours(conn, app).source_edges(whole.me).walk())
    assert [p for p, _ in walked] == sorted((p for p, _ in walked), reverse=True)
    assert sorted(walked) == sorted(whole.adjacency[whole.me])
    assert compared > 0


def test_a_place_the_user_knows_well_is_answered_without_every_tie(app: App) -> None:
    names = _random_network(app, 2)
    for name in ("Ada Close", "Ben Close", "Cy Close"):  # the user's strongest ties, all in Tampa
        add_person(app, PersonInput(name=name, location="Tampa, FL"))
        for day in range(1, 200, 3):
            log_interaction(app, [name], kind=InteractionKind.CALL, at=NOW - timedelta(days=day))
    log_interaction(app, names[:2], kind=InteractionKind.MEETING, at=NOW - timedelta(days=1))
    with app.begin() as conn:
        goal = target_people(conn, Target(place="Florida"))
        whole = load_network(conn, app)
        _, neighbours = network_for_paths(conn, app)
        found = best_paths(neighbours, whole.me, goal.keys(), k=3)
        assert found == best_paths(whole.adjacency, whole.me, goal.keys(), k=3)
        assert {whole.names[p.nodes[-1]] for p in found} == {"Ada Close", "Ben Close", "Cy Close"}
        assert not neighbours.whole and neighbours.edges == {}  # neither every tie nor any target's list read
        # Four paths: a longer one may enter, so the targets' lists are read, but still not every tie.
        four = best_paths(neighbours, whole.me, goal.keys(), k=4)
        assert four == best_paths(whole.adjacency, whole.me, goal.keys(), k=4)
        assert neighbours.edges and not neighbours.whole
