"""The raw strength in SQL (`store.due.raw_strength`) is, bit for bit, the CASE form it replaced (each date parsed
once where it can be), and within rounding of the Python sum (`domain.strength.strength_parts`); `store.stats
.plan_rows` and `store.due.may_be_due` keep exactly the ties `DueFilter.may_be_due` keeps, also with a cadence of
no days. On SQLite and, with GIVEFIRST_TEST_DATABASE_URL, PostgreSQL."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import case, func, literal, or_, select

from givefirst.domain.model import Tier
from givefirst.domain.plan_model import REAL_TIE_MIN
from givefirst.domain.strength import strength_parts
from givefirst.domain.weights import Weights
from givefirst.services.context import App
from givefirst.services.due_candidates import SLACK, DueFilter
from givefirst.store import due as due_store
from givefirst.store import stats as stats_store
from givefirst.store.due import day_number, raw_strength
from givefirst.store.schema import people, tie_stats
from tests.services.test_people_paging import WEIGHTS, random_network

# A cadence of no days for a tier (never passed) and none at all for another: `plan_rows` writes both as NULL.
ODD_CADENCES = replace(Weights(), cadence_days={**Weights().cadence_days, Tier.ACTIVE: 0, Tier.CLOSE: None})  # type: ignore[dict-item]


def _old_raw_strength(now: datetime, w: Weights) -> Any:
    """The expression as it was before (store/due.py at planwarm): the reference the new one must equal."""
    out, inb = tie_stats.c.outbound, tie_stats.c.inbound
    smaller = case((out < inb, out), else_=inb)
    difference = case((out < inb, inb - out), else_=out - inb)
    days = day_number(literal(now)) - day_number(tie_stats.c.as_of)

    def decay(half_life: float) -> Any:
        return case((days <= 0, literal(1.0)), else_=func.exp(-days * (math.log(2) / half_life)))

    sums = tie_stats.c.mutual + w.two_way_factor * smaller + w.one_way_factor * difference
    contact = decay(w.half_life_days) * sums
    ledger = w.ledger_factor * (tie_stats.c.gives + tie_stats.c.received) * decay(w.ledger_half_life_days)
    span_years = (day_number(tie_stats.c.last_at) - day_number(tie_stats.c.first_at)) / 365.25
    depth = 1.0 - func.exp(-tie_stats.c.two_way_count / w.history_full_count)
    spread = case((span_years >= w.history_full_years, literal(1.0)), else_=span_years / w.history_full_years)
    history = case(
        (or_(tie_stats.c.first_at.is_(None), tie_stats.c.last_at.is_(None)), literal(0.0)),
        else_=w.history_weight * depth * spread,
    )
    return contact + ledger + history


def _strength_facts(conn: Any, now: datetime, w: Weights, silent_since: datetime | None) -> list[Any]:
    """(person id, raw strength, days since the last interaction, chosen) of every current person with tie
    statistics silent since `silent_since` or chosen: the straightforward read `DueFilter.may_be_due` tests."""
    chosen = or_(
        people.c.strength_override.is_not(None), people.c.tier_override.is_not(None), people.c.cadence_days.is_not(None)
    )
    query = (
        select(people.c.id, raw_strength(now, w), day_number(literal(now)) - day_number(tie_stats.c.last_at), chosen)
        .select_from(people.join(tie_stats, tie_stats.c.person_id == people.c.id))
        .where(people.c.merged_into_id.is_(None), people.c.is_me.is_(False))
    )
    if silent_since is not None:
        query = query.where(or_(tie_stats.c.last_at <= silent_since, chosen))
    return list(conn.execute(query).all())


@pytest.mark.parametrize("seed", [4, 5])
def test_the_raw_strength_is_the_case_form_and_the_python_sum(app: App, seed: int) -> None:
    random_network(app, seed)  # (as_of a few days after the last touch for some: the decay's "no time" branch)
    with app.begin() as conn:
        stats = stats_store.load(conn)
        for w in [*WEIGHTS, Weights(history_full_years=0.5)]:
            for now in (app.now, app.now + timedelta(days=300), app.now - timedelta(days=400)):
                query = select(people.c.id, raw_strength(now, w), _old_raw_strength(now, w)).select_from(
                    people.outerjoin(tie_stats, tie_stats.c.person_id == people.c.id)
                )
                rows = conn.execute(query).all()
                assert len(rows) > 100
                for pid, new, old in rows:
                    assert new == old, (pid, w, now)  # identical, NULL for no statistics included
                    if pid in stats:
                        python = sum(strength_parts(stats[pid], now, w))
                        # (SQLite's day numbers keep milliseconds: `SLACK` covers the difference.)
                        assert new == pytest.approx(python, rel=SLACK, abs=SLACK)
                    else:
                        assert new is None


@pytest.mark.parametrize("seed", [6, 7])
def test_plan_rows_keeps_the_ties_that_may_be_due(app: App, seed: int) -> None:
    random_network(app, seed)
    for w in [*WEIGHTS, ODD_CADENCES]:
        due = DueFilter(w, include_weak=False)
        for days in (0, 40, 400):
            now = app.now + timedelta(days=days)
            with app.begin() as conn:
                facts = {int(r[0]): r for r in _strength_facts(conn, now, w, None)}
                rows = stats_store.plan_rows(
                    conn, now, w, strong_raw=math.inf, silent_days=None, real_min=REAL_TIE_MIN, due_steps=due.steps,
                    due_weakest=due.weakest, due_floor=due.floor, slack=SLACK,
                )  # fmt: skip
            found = {int(r.id) for r in rows if not r.kept}
            expected = {
                pid for pid, (_, raw, since, chosen) in facts.items()
                if not chosen and since is not None and due.may_be_due(raw, since, False)
            }  # fmt: skip
            assert found == expected, (w, days)
            assert any(r.kept for r in rows)  # (the chosen ones)


@pytest.mark.parametrize("seed", [8, 9])
def test_the_due_condition_keeps_the_ties_that_may_be_due(app: App, seed: int) -> None:
    """`store.due.may_be_due`, the condition `people --due` reads its list with, keeps what the straightforward read
    and `DueFilter.may_be_due` keep: the chosen and the ties that may be due, silent since the cut or not."""
    random_network(app, seed)
    for w in [*WEIGHTS, ODD_CADENCES]:
        for include_weak in (False, True):
            due = DueFilter(w, include_weak=include_weak)
            for days, silent in ((0, None), (40, 3), (400, 30)):
                now = app.now + timedelta(days=days)
                since = None if silent is None else now - timedelta(days=silent)
                with app.begin() as conn:
                    facts = _strength_facts(conn, now, w, since)
                    condition = due_store.may_be_due(
                        now, w, since, steps=due.steps, weakest=due.weakest, floor=due.floor, slack=SLACK
                    )
                    found = {int(i) for i in conn.execute(select(people.c.id).where(condition)).scalars()}
                expected = {int(pid) for pid, raw, s, chosen in facts if due.may_be_due(raw, s, bool(chosen))}
                assert found == expected, (w, include_weak, days)
                assert expected  # (the chosen ones at least)
