"""`today` reads only the people the plan can use (`services.plan._plan_rows`): the same plan as from everyone,
on random networks, for several weights, dates, plan sizes and with the week's revivals used up or not; and of
the ties that may be due, only those whose bound reaches the plan's shortlist (the same shortlist)."""

from __future__ import annotations

import heapq
import random
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import update

from givefirst.domain.model import TieStats
from givefirst.domain.plan import build_plan, dormant_ties, shortlist_size, touch_scores
from givefirst.domain.plan_model import PlanInput
from givefirst.domain.weights import Weights
from givefirst.services.context import App
from givefirst.services.plan import gather
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store
from givefirst.store import plan_state
from givefirst.store import stats as stats_store
from givefirst.store.schema import people
from tests.conftest import NOW
from tests.services.test_people_paging import WEIGHTS, random_network


def _employers_and_needs(app: App, seed: int) -> None:
    """Employers for most people (a dormant tie is ranked by its employer's active ties), open needs, a snooze."""
    rng = random.Random(seed)
    with app.begin() as conn:
        ids = [int(r.id) for r in people_store.list_people(conn)]
        orgs = [people_store.organization_id(conn, f"Org {n}") for n in range(6)]
        for pid in ids:
            if rng.random() < 0.7:
                conn.execute(update(people).where(people.c.id == pid).values(organization_id=rng.choice(orgs)))
        for n, pid in enumerate(rng.sample(ids, 25)):
            needs_store.insert_item(conn, "need", person_id=pid, text=f"Looking for help with topic {n}", tags=(),
                                    location=None, expires_on=None, created_at=NOW - timedelta(days=n))  # fmt: skip
        recent = {  # strong ties in touch lately: not due, not dormant, yet counted at their employer
            pid: TieStats(as_of=NOW - timedelta(days=d), outbound=8.0, inbound=8.0, mutual=20.0, touches=40,
                          two_way_count=30, first_at=NOW - timedelta(days=2000), last_at=NOW - timedelta(days=d))
            for pid, d in zip(rng.sample(ids, 30), range(30), strict=True)
        }  # fmt: skip
        silent = {  # real ties silent for years, each at an employer where one recent strong tie is the only other
            pid: TieStats(as_of=NOW - timedelta(days=2000), outbound=3.0, inbound=3.0, mutual=5.0, touches=12,
                          two_way_count=10, first_at=NOW - timedelta(days=4000), last_at=NOW - timedelta(days=2000))
            for pid in rng.sample([i for i in ids if i not in recent], 10)
        }  # fmt: skip
        stats_store.save_many(conn, recent | silent, app.weights.half_life_days, app.weights.ledger_half_life_days)
        for n, pair in enumerate(zip(recent, silent, strict=False)):  # 30 recent, 10 silent
            org = people_store.organization_id(conn, f"Solo {n}")
            conn.execute(update(people).where(people.c.id.in_(pair)).values(organization_id=org))
        # One recent tie the user calls dormant, at an employer with one other recent strong tie.
        chosen, other = list(recent)[10:12]  # in touch 10 and 11 days ago: not due either
        org = people_store.organization_id(conn, "Chosen")
        conn.execute(update(people).where(people.c.id == chosen).values(tier_override="dormant", organization_id=org))
        conn.execute(update(people).where(people.c.id == other).values(organization_id=org))
        plan_state.add_snooze(conn, person_id=rng.choice(ids), item_key=None, until=NOW + timedelta(days=900), now=NOW)


def _plans(app: App) -> tuple[list, list, int, int]:  # type: ignore[type-arg]
    with app.begin() as conn:
        whole, short = gather(conn, app), gather(conn, app, whole=False)
    s, w = app.plan_settings, app.weights
    if s.dormant_per_week > 0:  # revivals left: every dormant tie is ranked (by its employer's active ties) alike
        assert dormant_ties(short, app.now, w, s) == dormant_ties(whole, app.now, w, s)
    return (build_plan(whole, app.now, w, s), build_plan(short, app.now, w, s), len(whole.people),
            len(short.people))  # fmt: skip


@pytest.mark.parametrize("seed", [11, 12])
def test_the_shortlist_gives_the_plan_of_the_whole_network(app: App, seed: int) -> None:
    random_network(app, seed, size=220)
    _employers_and_needs(app, seed)
    smaller = 0
    kinds: set[str] = set()
    for weights in [*WEIGHTS, Weights(tier_thresholds=(0.9, 0.5, 0.0)), Weights(dormant_years=1.0)]:
        for days in (0, 30, 400, 1500):
            for size, revivals in ((7, 1), (60, 1), (60, 0)):
                app.settings = replace(app.settings, weights=weights)
                app.settings = replace(app.settings, plan=replace(app.plan_settings, size=size,
                                                                  dormant_per_week=revivals))  # fmt: skip
                app.now = NOW + timedelta(days=days)
                whole, short, everyone, few = _plans(app)
                assert short == whole, (weights, days, size, revivals)
                kinds |= {item.kind.value for item in whole}
                smaller += few < everyone
    assert smaller > 0  # the shortlist did leave people out
    assert {"keep-in-touch", "dormant"} <= kinds  # and the plans had ties to keep and to revive


def _best(data: PlanInput, app: App) -> list[tuple[float, str, int]]:
    """The keep-in-touch shortlist `build_plan` takes its items from."""
    scored = touch_scores(data, app.now, app.weights, app.plan_settings)
    return heapq.nsmallest(shortlist_size(app.plan_settings), scored, key=lambda c: (-c[0], c[1]))


@pytest.mark.parametrize("seed", [21, 22])
def test_only_due_ties_that_may_reach_the_shortlist_are_read(app: App, seed: int) -> None:
    random_network(app, seed, size=300)
    with app.begin() as conn:  # the ties most at stake put off: the plan reads on past them to fill its shortlist
        ranked = sorted(touch_scores(gather(conn, app), app.now, app.weights, app.plan_settings), reverse=True)
        for n, (_, key, pid) in enumerate(ranked[:40]):
            plan_state.add_snooze(conn, person_id=pid if n % 4 == 0 else None, item_key=None if n % 4 == 0 else key,
                                  until=NOW + timedelta(days=900), now=NOW)  # fmt: skip
    pruned = 0
    settings = [*WEIGHTS, Weights(at_risk_gap_multiple=2.0), Weights(at_risk_gap_multiple=30.0, saturation=3.0)]
    for weights in settings:
        for days in (0, 45, 400):
            for size in (1, 2, 4, 7):
                app.settings = replace(app.settings, weights=weights)
                app.settings = replace(app.settings, plan=replace(app.plan_settings, size=size))
                app.now = NOW + timedelta(days=days)
                with app.begin() as conn:
                    whole, short = gather(conn, app), gather(conn, app, whole=False)
                assert _best(short, app) == _best(whole, app), (weights, days, size)
                s, w = app.plan_settings, app.weights
                assert build_plan(short, app.now, w, s) == build_plan(whole, app.now, w, s), (weights, days, size)
                due = len(touch_scores(whole, app.now, w, s))
                pruned += len(touch_scores(short, app.now, w, s)) < due
    assert pruned > 0  # some due ties were left unread


def test_weaker_ties_more_at_stake_are_read_past_the_strongest(app: App) -> None:
    """The strongest due ties are barely overdue; weaker ones long silent and at risk score higher: the reading
    goes on past the strongest, by raw strength, as far as a weaker one may still beat them."""
    with app.begin() as conn:
        ids = [people_store.insert_person(conn, {"name": f"Person {n}"}, NOW) for n in range(40)]
        strong = {  # inner ties a day past their cadence, in touch every ten days: not at risk
            pid: TieStats(as_of=NOW - timedelta(days=15), outbound=10.0, inbound=10.0, mutual=30.0 + n / 10,
                          touches=200, two_way_count=150, first_at=NOW - timedelta(days=2000),
                          last_at=NOW - timedelta(days=15))
            for n, pid in enumerate(ids[:30])
        }  # fmt: skip
        slipping = {  # active ties silent 400 days, usually every 8: overdue three times over, at risk
            pid: TieStats(as_of=NOW, mutual=7.0 + n / 10, touches=50, two_way_count=10,
                          first_at=NOW - timedelta(days=800), last_at=NOW - timedelta(days=400))
            for n, pid in enumerate(ids[30:])
        }  # fmt: skip
        stats_store.save_many(conn, strong | slipping, app.weights.half_life_days, app.weights.ledger_half_life_days)
    for size in (1, 2):
        app.settings = replace(app.settings, plan=replace(app.plan_settings, size=size))
        with app.begin() as conn:
            whole, short = gather(conn, app), gather(conn, app, whole=False)
        assert _best(short, app) == _best(whole, app)
        assert {pid for _, _, pid in _best(whole, app)} <= set(slipping)  # (the case this test is about)
        assert len(short.people) < len(whole.people)
