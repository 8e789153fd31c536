"""Paths to many people at once (`path --place`, `--org`, `--role`, `--tag`) search adjacency read as the search
asks for it (`services.neighbours`): the same paths, in the same order, as the whole network gives, on random
networks with the edge cache fresh and after writes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from givefirst.domain.goals import Target
from givefirst.domain.model import InteractionKind
from givefirst.domain.paths import best_paths
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.goals import BRIDGE_EDGE, add_goal, coverage
from givefirst.services.graph import load_network
from givefirst.services.links import link
from givefirst.services.neighbours import Neighbours, network_for_paths
from givefirst.services.people import PersonInput, add_person
from givefirst.services.reach import find_paths, target_people
from givefirst.store import stats as stats_store
from tests.conftest import NOW
from tests.services.test_path_local import random_network

PLACES = ("Tampa, FL", "Miami, FL", "Austin, TX", None)


def _random_network(app: App, seed: int) -> list[str]:
    return random_network(app, seed, people=30, meetings=50, sizes=(1, 1, 2, 3, 4), places=PLACES)[1]


TARGETS = [Target(place="Florida"), Target(organization="Acme"), Target(place="Austin")]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_paths_to_many_are_those_of_the_whole_network(app: App, seed: int) -> None:
    names = _random_network(app, seed)
    with app.begin() as conn:  # a few never in touch at all: only their floor edge to the user
        for pid in [int(r.id) for r in stats_store.relationship_rows_of(conn, range(1, 8))][:2]:
            stats_store.delete(conn, pid)
    compared = 0
    for _ in range(2):
        for target in TARGETS:
            with app.begin() as conn:
                goal = target_people(conn, target)
                if not goal:
                    continue
                whole = load_network(conn, app)
                net, neighbours = network_for_paths(conn, app)
                assert net.me == whole.me
                for hops in (1, 2, 3):
                    for k in (1, 3, 6):
                        expected = best_paths(whole.adjacency, whole.me, goal.keys(), k=k, max_hops=hops)
                        got = best_paths(neighbours, net.me, goal.keys(), k=k, max_hops=hops)
                        assert got == expected, (target, hops, k)
                        compared += len(expected)
            found = find_paths(app, target=target, k=3)
            assert [tuple(h.target_id for h in p.hops) for p in found.paths] == [
                p.nodes[1:] for p in best_paths(whole.adjacency, whole.me, goal.keys(), k=3)
            ]
            assert all(h.why and h.target != "?" for p in found.paths for h in p.hops)
        # writes after the cache was built: a new meeting, a link, a new tie
        log_interaction(app, names[:3], kind=InteractionKind.MEETING, at=NOW - timedelta(days=2))
        link(app, names[4], names[7], "friend")
        log_interaction(app, [names[5]], kind=InteractionKind.CALL, at=NOW - timedelta(days=1))
    assert compared > 0


def test_each_list_is_read_once_and_only_when_asked(app: App) -> None:
    _random_network(app, 9)
    with app.begin() as conn:
        load_network(conn, app)  # the cache built
        neighbours = Neighbours(conn, app)
        whole = load_network(conn, app)
        assert neighbours.edges == {}
        some = sorted(whole.edges)[1]
        assert list(neighbours.get(some)) == whole.adjacency[some]
        assert set(neighbours.edges) == {some}
        assert list(neighbours.get(whole.me)) == whole.adjacency[whole.me]
        assert neighbours.get(10_000, ()) == ()


def _reference_bridges(app: App, inside: set[int]) -> list[tuple[int, str, int]]:
    """`goals._bridges` as it was: every active tie's edges on the whole network."""
    with app.begin() as conn:
        net = load_network(conn, app)
    out = []
    for pid, strength in net.user_strength.items():
        if pid in inside or strength < app.weights.tier_thresholds[2]:
            continue
        known = sum(1 for other, p in net.edges.get(pid, {}).items() if other in inside and p >= BRIDGE_EDGE)
        if known:
            out.append((pid, net.names.get(pid, "?"), known))
    out.sort(key=lambda b: (-b[2], -net.user_strength[b[0]], b[0]))
    return out


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_a_goal_s_paths_and_bridges_are_those_of_the_whole_network(app: App, seed: int) -> None:
    names = _random_network(app, seed)
    add_person(app, PersonInput(name="Fay Tampa", location="Tampa, FL"))
    for name in ("Al Active", "Bo Active"):  # close ties who know Floridians: bridges
        add_person(app, PersonInput(name=name))
        for day in range(2, 120, 7):
            log_interaction(app, [name], kind=InteractionKind.CALL, at=NOW - timedelta(days=day))
        link(app, name, "Fay Tampa", "colleague")
    link(app, "Bo Active", names[0], "friend")
    goal = add_goal(app, "Move to Florida", place="Florida")
    cov = coverage(app, goal.id, k=4)
    with app.begin() as conn:
        inside = set(target_people(conn, goal.target))
        whole = load_network(conn, app)
    expected = best_paths(whole.adjacency, whole.me, inside, k=4)
    assert [(h.source_id, h.target_id, h.probability) for p in cov.paths for h in p.hops] == [
        hop for p in expected for hop in zip(p.nodes[:-1], p.nodes[1:], p.probabilities, strict=True)
    ]
    assert cov.bridges == _reference_bridges(app, inside)
    assert cov.paths and cov.bridges, "the network must have paths into the goal and bridges to compare"
