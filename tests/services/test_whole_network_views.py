"""Stats and the Network data, computed as columns, equal what scoring each relationship in turn gives.

The straightforward versions (as they were before the columnar scores: `relationship_from_row` for everyone,
the whole graph loaded) are written out here and compared on the demo network and on random networks.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from givefirst.domain.model import InteractionKind, Tier
from givefirst.domain.reciprocity import overall_balance
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.demo import build_demo
from givefirst.services.graph import load_network
from givefirst.services.network import list_people
from givefirst.services.network_map import network_map
from givefirst.services.people_view import ordered_people, page_of
from givefirst.services.relationships import Relationship, relationship_from_row
from givefirst.services.stats import network_stats
from givefirst.store import people as people_store
from givefirst.store.schema import people
from tests.services.test_tiescores import build_network


def _relationships(app: App, search: str | None = None) -> list[Relationship]:
    with app.begin() as conn:
        return [relationship_from_row(r, app.now, app.weights) for r in people_store.list_people(conn, search=search)]


def straightforward_stats(app: App) -> dict[str, Any]:
    rels = _relationships(app)
    tiers = Counter(r.tier for r in rels)
    known = [r for r in rels if r.stats.last_at is not None]
    balance = overall_balance((r.stats for r in rels), app.now, app.weights)
    share = balance.give_share
    return {
        "people": len(rels),
        "tiers": [tiers.get(t, 0) for t in Tier],
        "due": sum(1 for r in rels if r.due.due),
        "at_risk": sum(1 for r in rels if r.due.at_risk),
        "dormant": tiers.get(Tier.DORMANT, 0),
        "dormant_share": round(tiers.get(Tier.DORMANT, 0) / len(known), 4) if known else 0.0,
        "never_contacted": len(rels) - len(known),
        "balance": (round(balance.gives, 3), round(balance.takes, 3), None if share is None else round(share, 4)),
        "most_giving_to": [
            {"name": r.name, "balance": round(r.balance, 2)}
            for r in sorted(rels, key=lambda r: -r.balance)[:3]
            if r.balance > 0
        ],
        "most_owed": [
            {"name": r.name, "balance": round(r.balance, 2)}
            for r in sorted(rels, key=lambda r: r.balance)[:3]
            if r.balance < 0
        ],
    }


def columnar_stats(app: App) -> dict[str, Any]:
    data = network_stats(app)
    b = data["balance"]
    share = b["give_share"]
    return {
        "people": data["people"],
        "tiers": [t["count"] for t in data["tiers"]],
        **{k: data[k] for k in ("due", "at_risk", "dormant", "dormant_share", "never_contacted")},
        "balance": (b["gives"], b["takes"], share),
        "most_giving_to": data["most_giving_to"],
        "most_owed": data["most_owed"],
    }


def straightforward_map(app: App, limit: int, tiers: set[Tier], search: str | None, min_edge: float) -> dict[str, Any]:
    with app.begin() as conn:
        net = load_network(conn, app)
    rels = _relationships(app, search)
    chosen = sorted((r for r in rels if r.tier in tiers), key=lambda r: (-r.strength.score, r.person_id))[:limit]
    ids = {r.person_id for r in chosen}
    edges = [(a, b, p) for a in ids for b, p in net.edges.get(a, {}).items() if a < b and b in ids and p >= min_edge]
    edges.sort(key=lambda e: (-e[2], e[0], e[1]))
    return {
        "people_in_network": len(rels),
        "shown": len(chosen),
        "nodes": [
            {
                "id": r.person_id,
                "name": r.name,
                "tier": r.tier.value,
                "strength": round(r.strength.score, 4),
                "organization": r.organization,
            }
            for r in chosen
        ],
        "edges": [[a, b, round(p, 4)] for a, b, p in edges[: 2 * limit]],
    }


@pytest.fixture
def demo(app: App) -> App:
    build_demo(app)
    return app


def test_stats_on_the_demo_equal_the_straightforward_ones(demo: App) -> None:
    assert columnar_stats(demo) == straightforward_stats(demo)
    later = App(engine=demo.engine, settings=demo.settings, now=demo.now + timedelta(days=900))
    assert columnar_stats(later) == straightforward_stats(later)


@pytest.mark.parametrize("seed", [5, 6])
def test_stats_on_random_networks_equal_the_straightforward_ones(app: App, seed: int) -> None:
    build_network(app, seed, 300)
    assert columnar_stats(app) == straightforward_stats(app)


@pytest.mark.parametrize("seed", [8, 9])
def test_the_stats_page_s_one_read_gives_what_two_reads_give(app: App, seed: int) -> None:
    """The Stats page reads everyone's columns once (in the list's order) for its figures and its ties at risk."""
    from givefirst.services.people_view import everyone

    build_network(app, seed, 300)
    cols = everyone(app)
    assert network_stats(app, cols) == network_stats(app)
    for sort in ("due", "name"):
        assert ordered_people(app, at_risk=True, sort=sort, everyone_read=cols) == ordered_people(
            app, at_risk=True, sort=sort
        )


@pytest.mark.parametrize(
    ("limit", "tiers", "search", "min_edge"),
    [(2000, set(Tier), None, 0.05), (25, {Tier.CLOSE, Tier.ACTIVE}, None, 0.0), (40, set(Tier), "a", 0.05)],
)
def test_the_network_data_on_the_demo_equals_the_straightforward_one(
    demo: App, limit: int, tiers: set[Tier], search: str | None, min_edge: float
) -> None:
    expected = straightforward_map(demo, limit, tiers, search, min_edge)
    got = network_map(demo, limit=limit, tiers=[t.value for t in tiers], search=search, min_edge=min_edge)
    assert got == expected
    assert expected["edges"] and expected["nodes"]  # something to compare


def test_the_network_data_with_a_stale_graph_equals_the_straightforward_one(demo: App) -> None:
    with demo.begin() as conn:  # a new person changes the evidence: the graph's cache is stale
        people_store.insert_person(conn, {"name": "Zed Newcomer"}, demo.now)
    got = network_map(demo, limit=60)
    assert got == straightforward_map(demo, 60, set(Tier), None, 0.05)


@pytest.mark.parametrize("sort", ["name", "strength", "recent", "due"])
@pytest.mark.parametrize(
    "filters",
    [{}, {"tier": "acquaintance"}, {"due": True}, {"due": True, "include_weak": True}, {"at_risk": True},
     {"search": "a"}, {"search": "ada", "tier": "active"}],
)  # fmt: skip
def test_a_people_page_equals_the_slice_of_the_whole_list(app: App, sort: str, filters: dict[str, Any]) -> None:
    build_network(app, 7, 300)
    expected = list_people(app, sort=sort, **filters)
    ids = ordered_people(app, sort=sort, **filters)
    assert ids == [r.person_id for r in expected]
    assert [r.as_dict() for r in page_of(app, ids[20:70])] == [r.as_dict() for r in expected[20:70]]
    if not filters:
        assert len(ids) == 300


def test_the_people_pages_of_the_demo_equal_the_whole_list(demo: App) -> None:
    for sort in ("name", "strength", "recent", "due"):
        expected = list_people(demo, sort=sort)
        ids = ordered_people(demo, sort=sort)
        assert ids == [r.person_id for r in expected]
        assert [r.as_dict() for r in page_of(demo, ids[:50])] == [r.as_dict() for r in expected[:50]]


def test_stats_count_real_interactions_not_planned_ones(app: App) -> None:
    build_network(app, 8, 20)
    with app.begin() as conn:
        pids = [int(p) for p in conn.execute(select(people.c.id).where(people.c.is_me.is_(False))).scalars()]
    log_interaction(app, [str(pids[0])], kind=InteractionKind.CALL, at=app.now - timedelta(days=2))
    log_interaction(app, [str(pids[1]), str(pids[2])], kind=InteractionKind.MEETING, at=app.now - timedelta(days=9))
    log_interaction(app, [str(pids[3])], kind=InteractionKind.MEETING, at=app.now + timedelta(days=3))  # planned
    assert network_stats(app)["interactions"] == 2
