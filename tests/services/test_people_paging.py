"""The quick ways of listing people and needs give exactly what the straightforward ones give, on random networks.

`people --due` scores only the ties that SQL finds may be due (services/due_candidates.py); listings by name and
the needs and offers read one page with LIMIT. Each is compared here with the obvious computation: every
relationship built in Python, every item read, then filtered, sorted and cut.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import update

from givefirst.domain.model import InteractionKind, Tier, TieStats
from givefirst.domain.weights import Weights
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.needs import items_page, list_items
from givefirst.services.network import SORTS, people_page
from givefirst.services.relationships import Relationship, relationship_from_row
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store
from givefirst.store import stats as stats_store
from givefirst.store.schema import tie_stats
from tests.conftest import NOW

NAMES = ("Ana", "Ben", "Chen", "Dana", "Eli", "Fay", "Gus", "Hana")


def random_network(app: App, seed: int, size: int = 160) -> None:
    """People with random tie statistics (some silent for years, some never in touch) and a few overrides."""
    rng = random.Random(seed)
    w = app.weights
    with app.begin() as conn:
        stats: dict[int, TieStats] = {}
        for n in range(size):
            values: dict[str, object] = {"name": f"{rng.choice(NAMES)} {n % 7}"}  # names repeat: ties on the sort
            if rng.random() < 0.05:
                values["strength_override"] = round(rng.random(), 2)
            if rng.random() < 0.05:
                values["tier_override"] = rng.choice(list(Tier)).value
            if rng.random() < 0.05:
                values["cadence_days"] = rng.choice([0, 7, 30, 400])
            pid = people_store.insert_person(conn, values, NOW)
            if rng.random() < 0.1:
                continue  # never in touch: no statistics
            last = NOW - timedelta(days=rng.expovariate(1 / 400), seconds=rng.randrange(86400))
            first = last - timedelta(days=rng.expovariate(1 / 900))
            touches = rng.randint(1, 80)
            scale = rng.choice([0.05, 0.5, 3.0, 20.0])
            stats[pid] = TieStats(
                as_of=last + timedelta(days=rng.choice([0, 0, 3])),
                outbound=rng.random() * scale,
                inbound=rng.random() * scale * rng.choice([0, 1]),
                mutual=rng.random() * scale * rng.choice([0, 1]),
                gives=rng.random() * rng.choice([0, 0, 2]),
                takes=rng.random(),
                received=rng.random() * rng.choice([0, 1]),
                touches=touches,
                two_way_count=rng.randint(0, touches),
                first_at=first,
                last_at=last if rng.random() > 0.03 else None,
            )
        stats_store.save_many(conn, stats, w.half_life_days, w.ledger_half_life_days)


def use_weights(app: App, weights: Weights) -> None:
    """Score with these weights, the random sums standing for sums kept with their half-lives (as a refresh from
    the interactions would keep them: a list reading stale sums recomputes them, and this network has none)."""
    app.settings = replace(app.settings, weights=weights)
    with app.begin() as conn:
        conn.execute(
            update(tie_stats).values(
                half_life_days=weights.half_life_days, ledger_half_life_days=weights.ledger_half_life_days
            )
        )


def straightforward(app: App, due: bool, include_weak: bool) -> list[Relationship]:
    with app.begin() as conn:
        rows = people_store.list_people(conn)
    rels = [relationship_from_row(row, app.now, app.weights) for row in rows]
    if due:
        rels = [r for r in rels if (r.due.past_cadence if include_weak else r.due.due)]
    return sorted(rels, key=SORTS["due" if due else "name"])


WEIGHTS = [
    Weights(),
    Weights(due_min_strength=0.3, tier_thresholds=(0.7, 0.4, 0.15), half_life_days=60.0),
    Weights(due_min_strength=0.0, history_weight=4.0, saturation=5.0, ledger_half_life_days=30.0),
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_due_people_are_those_the_whole_network_gives(app: App, seed: int) -> None:
    random_network(app, seed)
    for weights in WEIGHTS:
        use_weights(app, weights)
        for days in (0, 20, 200, 900):
            app.now = NOW + timedelta(days=days)
            for include_weak in (False, True):
                expected = straightforward(app, due=True, include_weak=include_weak)
                found, total = people_page(app, due=True, include_weak=include_weak, sort="due")
                assert found == expected
                assert total == len(expected)
                page, total = people_page(app, due=True, include_weak=include_weak, sort="due", limit=5)
                assert page == expected[:5] and total == len(expected)
    use_weights(app, Weights())
    app.now = NOW
    assert len(straightforward(app, due=True, include_weak=False)) >= 5  # the networks do have due ties


@pytest.mark.parametrize("seed", [4, 5])
def test_a_page_sorted_as_columns_is_the_start_of_the_list_built_in_full(app: App, seed: int) -> None:
    # With a limit, people_page filters and sorts the rows as columns and scores only the page in full; without
    # one it builds every Relationship. Every sort with each filter: the page is the whole list's start.
    random_network(app, seed)
    for days in (0, 300):
        app.now = NOW + timedelta(days=days)
        for sort in SORTS:
            for options in ({"due": True}, {"due": True, "include_weak": True}, {"at_risk": True}, {"tier": "close"},
                            {"tier": "dormant"}, {"search": "a"}, {}):  # fmt: skip
                whole, total = people_page(app, sort=sort, **options)  # type: ignore[arg-type]
                assert total == len(whole)
                for limit in (1, 7):
                    page, count = people_page(app, sort=sort, limit=limit, **options)  # type: ignore[arg-type]
                    assert (page, count) == (whole[:limit], len(whole)), (sort, options, limit)
    app.now = NOW


def test_a_page_by_name_is_the_start_of_the_whole_list(app: App) -> None:
    random_network(app, 7, size=60)
    everyone = straightforward(app, due=False, include_weak=False)
    for limit in (1, 5, 59, 60, 61, None, 0):
        page, total = people_page(app, limit=limit)
        assert page == (everyone[:limit] if limit else everyone)
        assert total == len(everyone)
    page, total = people_page(app, search="ana", limit=2)
    named = [r for r in everyone if "ana" in r.name.lower()]  # Ana and Hana
    assert page == named[:2] and total == len(named)


def test_a_page_of_needs_is_the_start_of_the_whole_list(app: App) -> None:
    random_network(app, 8, size=12)
    with app.begin() as conn:
        ids = [r.id for r in people_store.list_people(conn)]
        for n in range(30):
            expires = date(2026, 1, 1) + timedelta(days=n * 20) if n % 3 else None
            item = needs_store.insert_item(
                conn, "need", person_id=ids[n % len(ids)], text=f"need {n}", tags=["a", "b"], location=None,
                expires_on=expires, created_at=NOW,
            )  # fmt: skip
            if n % 5 == 0:
                needs_store.set_status(conn, "need", item, "met", NOW)
    for include_closed in (False, True):
        everything = list_items(app, "need", None, include_closed)
        assert 5 < len(everything) < 30  # some expired or met
        for limit in (1, 7, len(everything), len(everything) + 1, None):
            page, total = items_page(app, "need", None, include_closed, limit)
            assert page == (everything[:limit] if limit else everything)
            assert total == len(everything)


def test_now_before_the_statistics_changes_nothing(app: App) -> None:
    """A pretend "today" before the last interaction: no decay is undone, nobody is past a cadence wrongly."""
    random_network(app, 9, size=80)
    app.now = datetime(2020, 1, 1, 12)
    for include_weak in (False, True):
        assert people_page(app, due=True, include_weak=include_weak, sort="due")[0] == straightforward(
            app, due=True, include_weak=include_weak
        )


def test_due_people_after_a_change_of_half_life_are_scored_on_sums_kept_with_it(app: App) -> None:
    # The stored sums are decayed with the half-lives of the settings they were kept with; after the settings
    # change, `people --due` recomputes them first (as `today` and `stats` do) rather than score stale sums.
    with app.begin() as conn:
        ids = [people_store.insert_person(conn, {"name": f"Ana {n}"}, NOW) for n in range(12)]
    for n, pid in enumerate(ids):
        for k in range(1 + n % 4):
            at = NOW - timedelta(days=40 + 25 * n + 90 * k)
            log_interaction(app, [str(pid)], kind=InteractionKind.MEETING, at=at)
    app.settings = replace(app.settings, weights=Weights(half_life_days=20.0, ledger_half_life_days=40.0))
    found, total = people_page(app, due=True, include_weak=True, sort="due")
    with app.begin() as conn:
        assert stats_store.stale_count(conn, 20.0, 40.0) == 0  # recomputed with the new half-lives
    page, _ = people_page(app, due=True, include_weak=True, sort="due", limit=3)
    expected = straightforward(app, due=True, include_weak=True)
    assert found == expected and total == len(expected) and page == expected[:3]
    assert len(expected) >= 3
