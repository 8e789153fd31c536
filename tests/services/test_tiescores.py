"""The columnar scores (`domain/tiescores.py`, read by `store.stats.tie_columns`) equal the straightforward ones.

Random networks in a real database: every person's strength, tier, due status, risk, what is at stake and balance
from `score(tie_columns(conn))` must be exactly those of `relationship_from_row` over `people.list_people`, in the
same order — including people without statistics, the user's overrides (out of range too), a cadence of 0,
statistics dated after "now" and histories of one touch.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import insert

from givefirst.domain.model import Tier
from givefirst.domain.tiescores import score, strengths
from givefirst.domain.weights import Weights
from givefirst.services.context import App
from givefirst.services.relationships import relationship_from_row
from givefirst.store import people as people_store
from givefirst.store import stats as stats_store
from givefirst.store.schema import people, tie_stats

NOW = datetime(2026, 11, 25, 12, 0)


def _moment(rng: random.Random) -> datetime:
    return NOW - timedelta(days=rng.uniform(-30, 4000), microseconds=rng.randrange(1_000_000))


def build_network(app: App, seed: int, n: int) -> None:
    rng = random.Random(seed)
    names = ["Ada", "Bo", "Cy", "Di", "Ed", "ada", "Zoë", "Émile"]
    with app.begin() as conn:
        app.me(conn)
        person_rows, stat_rows = [], []
        for i in range(n):
            pid = 1000 + i
            person_rows.append(
                {
                    "id": pid,
                    "name": f"{rng.choice(names)} {rng.randrange(30)}",  # namesakes: the order by id matters
                    "created_at": NOW,
                    "updated_at": NOW,
                    "strength_override": rng.choice([None] * 8 + [0.5, 1.4, -0.2]),
                    "tier_override": rng.choice([None] * 8 + [t.value for t in Tier]),
                    "cadence_days": rng.choice([None] * 8 + [0, -3, 7, 365]),
                    "merged_into_id": None,
                }
            )
            if rng.random() < 0.1:
                continue  # never in touch: no statistics
            first = _moment(rng) if rng.random() < 0.9 else None
            last = None if first is None else min(NOW + timedelta(days=5), first + timedelta(days=rng.uniform(0, 3000)))
            stat_rows.append(
                {
                    "person_id": pid,
                    "as_of": last or _moment(rng),
                    "half_life_days": 180.0,
                    "ledger_half_life_days": 365.0,
                    **{k: rng.choice([0.0, rng.uniform(0, 40)]) for k in ("outbound", "inbound", "mutual")},
                    **{k: rng.choice([0.0, rng.uniform(0, 6)]) for k in ("gives", "takes", "received")},
                    "touches": rng.choice([0, 1, 2, 3, rng.randrange(500)]),
                    "two_way_count": rng.randrange(60),
                    "first_at": first,
                    "last_at": last,
                }
            )
        conn.execute(insert(people), person_rows)
        if stat_rows:
            conn.execute(insert(tie_stats), stat_rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_columnar_scores_equal_the_straightforward_ones(app: App, seed: int) -> None:
    build_network(app, seed, 400)
    weights = Weights(half_life_days=90.0 + seed, dormant_years=2.0) if seed == 3 else Weights()
    for now in (NOW, NOW + timedelta(days=400 * seed, seconds=seed)):
        with app.begin() as conn:
            rels = [relationship_from_row(r, now, weights) for r in people_store.list_people(conn)]
            got = score(stats_store.tie_columns(conn), now, weights)
        assert got.person_id.tolist() == [r.person_id for r in rels]
        assert got.strength.tolist() == [r.strength.score for r in rels]
        assert [got.tier_of(i) for i in range(len(rels))] == [r.tier for r in rels]
        assert got.due.tolist() == [r.due.due for r in rels]
        assert got.past_cadence.tolist() == [r.due.past_cadence for r in rels]
        assert got.at_risk.tolist() == [r.due.at_risk for r in rels]
        assert got.at_stake.tolist() == [r.at_stake for r in rels]
        assert got.balance.tolist() == [r.balance for r in rels]
        assert got.contacted.tolist() == [r.stats.last_at is not None for r in rels]
        tiers = {got.tier_of(i) for i in range(len(rels))}
        assert len(tiers) >= 4 and any(got.due) and any(got.at_risk)  # the cases are exercised


def test_an_empty_network_scores_nothing(app: App) -> None:
    with app.begin() as conn:
        app.me(conn)
        got = score(stats_store.tie_columns(conn), NOW, Weights())
    assert len(got.person_id) == 0 and got.strength.tolist() == []


@pytest.mark.parametrize("seed", [4, 5])
def test_the_strengths_alone_equal_the_whole_scores_strengths(app: App, seed: int) -> None:
    """`strength_columns` + `strengths` (the path search's read) give every person the strength `score` gives."""
    build_network(app, seed, 300)
    with app.begin() as conn:  # a person merged away and the user are left out by both reads
        conn.execute(people.update().where(people.c.id == 1003).values(merged_into_id=1004))
        expected = score(stats_store.tie_columns(conn, ordered=False), NOW, Weights())
        columns = stats_store.strength_columns(conn)
    got = strengths(columns, NOW, Weights())[0]
    assert 1003 not in columns.person_id.tolist() and len(columns) == len(expected.person_id) == 299
    assert dict(zip(columns.person_id.tolist(), got.tolist(), strict=True)) == dict(
        zip(expected.person_id.tolist(), expected.strength.tolist(), strict=True)
    )
    assert not columns.has_stats.all() and (~np.isnan(columns.strength_override)).any()  # both cases exercised


def test_an_empty_network_has_no_strengths(app: App) -> None:
    with app.begin() as conn:
        app.me(conn)
        columns = stats_store.strength_columns(conn)
    assert len(columns) == 0 and strengths(columns, NOW, Weights())[0].tolist() == []
