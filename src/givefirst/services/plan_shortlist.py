"""The plan's shortlist: the few people `build_plan` may rank or count, read as far as it needs them (`plan_rows`)."""

from __future__ import annotations

import heapq
import math
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from givefirst.domain.model import Tier, TieStats
from givefirst.domain.plan import PersonView, PlanInput, PlanSettings, shortlist_size, touch_score, touch_scores
from givefirst.domain.plan_model import REAL_TIE_MIN
from givefirst.services.context import App
from givefirst.services.due_candidates import SLACK, DueFilter, raw_for
from givefirst.store import stats as stats_store
from givefirst.store.stats import stats_from_row


def person_view(r: Any, now: datetime) -> PersonView:
    """The plan's view of one person from their relationship row (`people.relationship_rows`)."""
    return PersonView(
        id=int(r.id),
        name=str(r.name),
        stats=stats_from_row(r, 5) or TieStats(as_of=now),
        strength_override=r.strength_override,
        tier_override=Tier(r.tier_override) if r.tier_override else None,
        cadence_override=r.cadence_days,
    )


def plan_rows(conn: Connection, app: App, settings: PlanSettings, me: int, revivals_this_week: int,
               snoozed_people: frozenset[int], snoozed_items: frozenset[str],
               goal_reasons: dict[int, str]) -> tuple[list[Any], list[Any]]:  # fmt: skip
    """Return the relationship rows of everyone `build_plan` may rank or count (a superset: the builder decides,
    as on the whole network), found in a few queries.

    A tie is a candidate to keep in touch only when it may be due (`due_candidates.DueFilter`'s test, in SQL);
    to revive only when dormant (silent `dormant_years`, `REAL_TIE_MIN` two-way touches, or a chosen tier) and
    revivals are left this week; and those are ranked by their employer's count of inner, close or active ties,
    which only people there with the strength of an active tie (or a chosen strength or tier) can add to.
    Every bound is rounded in the tie's favour, as `due_candidates` does; the people items name are added by
    `plan_inputs.gather`.

    Of the ties that may be due the plan shows a few: they are read best bound first (`DueFilter.stake_bound`,
    at least what is at stake), scored exactly as the plan scores them (`domain.plan.touch_scores`), until the
    next bound is below the shortlist's last score — no tie left can reach the shortlist (`shortlist_size`).
    """
    w = app.weights
    active = w.tier_thresholds[2]
    # (Below 1: a raw strength high enough rounds the strength itself to 1.0, which a threshold of 1 admits.)
    strong = -1.0 if active <= 0 else raw_for(min(active, 1 - 1e-12), w) * (1 - SLACK) - SLACK
    silent = w.dormant_years * 365.25 - 1.0 if revivals_this_week < settings.dormant_per_week else None  # a day
    due = DueFilter(w, include_weak=False)
    facts = stats_store.plan_rows(
        conn, app.now, w, strong_raw=strong, silent_days=silent, real_min=REAL_TIE_MIN, due_steps=due.steps,
        due_weakest=due.weakest, due_floor=due.floor, slack=SLACK,
    )  # fmt: skip
    rows = stats_store.relationship_rows_of(conn, [int(f.id) for f in facts if f.kept])
    # Goal people are read whole anyway (`plan_inputs.gather` adds everyone the plan names); a tie never in touch
    # is not kept warm. The rest by raw strength, best first: `DueFilter.ceiling`, above every bound, falls with it.
    ties = sorted(
        (f for f in facts if not f.kept and f.since is not None and int(f.id) not in goal_reasons),
        key=lambda f: -f.raw,
    )
    wanted = shortlist_size(settings)
    best: list[float] = []  # the best exact scores so far, at most `wanted`
    pending: list[tuple[float, int]] = []  # (−the most a tie may score, id): bounded, not yet read
    bounded, chunk, page = 0, 4 * wanted, 2 * wanted
    while True:
        # Nothing unread may score above the shortlist's last: those bounded, and the rest below the ceiling.
        beyond = -math.inf
        if bounded < len(ties):
            beyond = touch_score(due.ceiling(ties[bounded].raw), False) * (1 + SLACK) + SLACK
        top = -pending[0][0] if pending else -math.inf
        if len(best) >= wanted and max(top, beyond) < best[-1]:
            break
        if bounded < len(ties) and beyond > top:  # the unbounded may hold better ties: bound the next ones
            for f in ties[bounded : bounded + chunk]:
                score = touch_score(due.stake_bound(f.raw, f.since, f.touches, f.span), False)
                heapq.heappush(pending, (-(score * (1 + SLACK) + SLACK), int(f.id)))
            bounded, chunk = bounded + chunk, 2 * chunk
            continue
        if not pending:
            break
        wanted_ids: list[int] = []  # the best bounded, as far as none unbounded may beat them
        while pending and len(wanted_ids) < page and -pending[0][0] >= beyond:
            wanted_ids.append(heapq.heappop(pending)[1])
        found = stats_store.relationship_rows_of(conn, wanted_ids)
        rows += found
        some = PlanInput(
            me_id=me,
            people={int(r.id): person_view(r, app.now) for r in found},
            snoozed_people=snoozed_people,
            snoozed_items=snoozed_items,
            goal_reasons=goal_reasons,
        )
        best = heapq.nlargest(wanted, best + [score for score, _, _ in touch_scores(some, app.now, w, settings)])
        page *= 2 if len(wanted_ids) == page else 1
    read = {int(r.id) for r in rows}
    return rows, [f for f in facts if f.strong and int(f.id) not in read]
