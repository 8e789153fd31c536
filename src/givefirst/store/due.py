"""Every tie's raw strength at "now", computed in SQL, so that `people --due` scores in Python only the few
that may be due (`services.due_candidates`) rather than building every relationship of the network.

The raw strength is the sum of `domain.strength.strength_parts`: the decayed two-way and one-way contact, the
decayed gives and favours received, the history term. The same SQL runs on SQLite and PostgreSQL: dates become
day numbers with `julianday` on SQLite and the epoch on PostgreSQL (`day_number`); `exp` is SQLite's math
function, registered from Python where the SQLite library was built without it (`store.database`).

On SQLite every mention of a stored date parses it again (about 0.06 µs; no common subexpression is shared),
while "now", a bound parameter, is computed once per statement. So each date is written no more often than the
arithmetic needs (`_larger`, `_smaller` rather than a CASE that repeats its operand): the plan's shortlist query
parses seven a row, not eleven (docs/benchmarks.md, "The warm plan, fourth pass").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, and_, case, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from givefirst.domain.weights import Weights
from givefirst.store.schema import people, tie_stats


class day_number(FunctionElement[float]):
    """A moment as a number of days (fractional), on one scale for every date of a database."""

    type = Float()
    inherit_cache = True


@compiles(day_number)
def _day_number_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"julianday({compiler.process(element.clauses, **kw)})"


@compiles(day_number, "postgresql")
def _day_number_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) / 86400.0)"


class _larger(FunctionElement[float]):
    """The larger of two numbers (NULL when the first is NULL: the operands here are never NULL otherwise)."""

    type = Float()
    inherit_cache = True


class _smaller(FunctionElement[float]):
    """The smaller of two numbers (as `_larger`)."""

    type = Float()
    inherit_cache = True


@compiles(_larger)
def _larger_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"  # (two arguments: SQLite's scalar max)


@compiles(_smaller)
def _smaller_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"min({compiler.process(element.clauses, **kw)})"


@compiles(_larger, "postgresql")
def _larger_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(_smaller, "postgresql")
def _smaller_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"LEAST({compiler.process(element.clauses, **kw)})"


def _days_since(column: Any, now: datetime) -> Any:
    return day_number(literal(now)) - day_number(column)


def _decay(days: Any, half_life_days: float) -> Any:
    """SQL for `domain.decay.decay_factor`: 2^(−days/half-life), 1 when no time has passed.

    exp(−max(days, 0)·k): exactly 1.0 for days ≤ 0 (exp(−0.0)), as the CASE it replaces, with `days` (two date
    parses) written once."""
    return func.exp(-_larger(days, literal(0.0)) * (math.log(2) / half_life_days))


def contact_sum(w: Weights) -> Any:
    """SQL over tie_stats: the two-way and one-way contact of the raw strength before its decay,
    mutual + two_way_factor · min(out, in) + one_way_factor · |out − in|."""
    out, inb = tie_stats.c.outbound, tie_stats.c.inbound
    smaller = case((out < inb, out), else_=inb)
    difference = case((out < inb, inb - out), else_=out - inb)
    return tie_stats.c.mutual + w.two_way_factor * smaller + w.one_way_factor * difference


def given_and_received(w: Weights) -> Any:
    """SQL over tie_stats: the gives and favours received of the raw strength before their decay."""
    return w.ledger_factor * (tie_stats.c.gives + tie_stats.c.received)


def raw_strength(now: datetime, w: Weights) -> Any:
    """SQL over tie_stats: the raw strength at `now` (the sum of `domain.strength.strength_parts`)."""
    days = _days_since(tie_stats.c.as_of, now)
    contact = _decay(days, w.half_life_days) * contact_sum(w)
    ledger = given_and_received(w) * _decay(days, w.ledger_half_life_days)
    span_years = (day_number(tie_stats.c.last_at) - day_number(tie_stats.c.first_at)) / 365.25
    depth = 1.0 - func.exp(-tie_stats.c.two_way_count / w.history_full_count)
    # min(span / full, 1): the quotient is at least 1 exactly when span ≥ full (division is monotonic), so this
    # is the CASE on span ≥ full it replaces, with the two dates parsed once.
    spread = _smaller(span_years / w.history_full_years, literal(1.0))
    history = case(
        (or_(tie_stats.c.first_at.is_(None), tie_stats.c.last_at.is_(None)), literal(0.0)),
        else_=w.history_weight * depth * spread,
    )
    return contact + ledger + history


# The user chose something for this person (a strength, a tier or a cadence): always read whole, never bounded.
CHOSEN = or_(
    people.c.strength_override.is_not(None), people.c.tier_override.is_not(None), people.c.cadence_days.is_not(None)
)


def due_test(
    raw: Any,
    since: Any,
    *,
    steps: Sequence[tuple[float, int | None]],
    weakest: int | None,
    floor: float | None,
    slack: float,
) -> list[Any]:
    """`services.due_candidates.DueFilter.may_be_due` for a tie nobody chose anything for, as SQL conditions (all to
    hold) on its raw strength and days since its last interaction (`since`, NULL when never in touch).

    The cadence of the tier the raw strength (± `slack`) gives — `steps` (raw threshold, days) best first, else
    `weakest` — has passed, and the raw strength is not below `floor`. `raw` and `since` are columns of a
    materialized query: each is written several times here, and computing them in place would repeat the work.
    """
    high, low = raw * (1 + slack) + slack, raw * (1 - slack) - slack
    longest = since * (1 + slack) + slack

    def days(d: int | None) -> Any:  # a cadence of no days is never passed: NULL, as no cadence
        return literal(d if d is not None and d > 0 else None, Integer)

    def cadence(x: Any) -> Any:
        return case(*((x >= t, days(d)) for t, d in steps), else_=days(weakest)) if steps else days(weakest)

    # (The cadence's "> 0" is in `days`: each CASE is written, and evaluated, once.)
    test = [since.is_not(None), or_(*(c <= longest for c in map(cadence, (high, low))))]
    if floor is not None:
        test.append(high >= floor)
    return test


def may_be_due(
    now: datetime,
    w: Weights,
    silent_since: datetime | None,
    *,
    steps: Sequence[tuple[float, int | None]],
    weakest: int | None,
    floor: float | None,
    slack: float,
) -> ColumnElement[bool]:
    """A condition on people (for `store.people.list_people`'s `where`): the person may be due at `now`.

    Everyone the user chose a strength, tier or cadence for, and the ties `due_test` keeps among those whose last
    interaction is at or before `silent_since` (every tie when None): what `DueFilter.may_be_due` keeps, found in
    one statement that returns only them (reading every tie's two numbers into Python to test them there was 70 of
    the 150 ms `people --due` took at 20,000 people). Each tie's raw strength is computed once (a MATERIALIZED
    common table expression), not once per test.
    """
    facts = (
        select(people.c.id, CHOSEN.label("chosen"), raw_strength(now, w).label("raw"),
               _days_since(tie_stats.c.last_at, now).label("since"))
        .select_from(people.join(tie_stats, tie_stats.c.person_id == people.c.id))
        .where(people.c.merged_into_id.is_(None), people.c.is_me.is_(False))
    )  # fmt: skip
    if silent_since is not None:
        facts = facts.where(or_(tie_stats.c.last_at <= silent_since, CHOSEN))
    f = facts.cte("due_facts").prefix_with("MATERIALIZED").c
    test = due_test(f.raw, f.since, steps=steps, weakest=weakest, floor=floor, slack=slack)
    return people.c.id.in_(select(f.id).where(or_(f.chosen, and_(*test))))
