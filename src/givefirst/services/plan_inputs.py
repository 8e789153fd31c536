"""The daily plan's inputs: everything `build_plan` reads, gathered in a handful of queries (`gather`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from givefirst.domain.introductions import Intro, IntroState
from givefirst.domain.match_score import MatchScore
from givefirst.domain.model import NeedOrOffer
from givefirst.domain.plan import EventItem, IntroNudge, PersonView, PlanInput, Promise, Touchpoint
from givefirst.services import match_depth, matching, tiestats
from givefirst.services.context import App
from givefirst.services.due_candidates import counts_at_employer
from givefirst.services.plan_shortlist import person_view, plan_rows
from givefirst.store import events as events_store
from givefirst.store import graph as graph_store
from givefirst.store import interactions as interactions_store
from givefirst.store import introductions as intros_store
from givefirst.store import ledger as ledger_store
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store
from givefirst.store import plan_state
from givefirst.store import reach as reach_store
from givefirst.store import stats as stats_store


def gather(conn: Connection, app: App, *, whole: bool = True, size: int | None = None) -> PlanInput:
    """Read everything the plan needs in a handful of queries (no per-person queries).

    `whole=False`: only the people `build_plan` can make something of (`plan_shortlist.plan_rows`), not everyone — the
    same plan of `size` items (default from the settings) from a fraction of the network. `dormant_ties` and
    anything else reading every tie keep `whole`.
    """
    now, today = app.now, app.now.date()
    tiestats.refresh_if_settings_changed(conn, app.weights)
    me = app.me(conn)
    follow_rows = interactions_store.open_follow_ups(conn)
    planned_rows = interactions_store.planned(conn)
    nudges = intros_store.by_step_interactions(conn, [int(r.id) for r in follow_rows])
    who = interactions_store.participants(conn, [r.id for r in follow_rows] + [r.id for r in planned_rows])
    snoozed_people, snoozed_items = plan_state.active_snoozes(conn, now)
    week_start = datetime.combine(today - timedelta(days=today.weekday()), datetime.min.time())
    given = ledger_store.given_pairs(conn)  # (read once: the engine's suggestions leave them out too)
    suggestions = _suggestions(conn, app, given)
    goals = _open_goals(conn)
    goal_reasons = _goal_reasons(conn, goals)
    events = _events(conn, app, suggestions, goals)
    promises = [
        Promise(int(r.id), int(r.person_id), str(r.description), r.occurred_at, r.due_on, bool(r.requested))
        for r in ledger_store.open_promises(conn)
    ]
    revivals = plan_state.actions_since(conn, "dormant", "done", week_start)
    among: set[int] | None = None
    strong: list[Any] = []
    if whole:
        rows = people_store.relationship_rows(conn)
    else:
        named = {p.person_id for p in promises} | {pid for pids in who.values() for pid in pids}
        named |= {x.person_id for pair in suggestions for x in pair[:2]} | goal_reasons.keys()
        named |= {pid for e in events for pid in e.person_ids}
        named |= {int(n.first_id) for n in nudges.values()} | {int(n.second_id) for n in nudges.values()}
        settings = app.plan_settings if size is None else replace(app.plan_settings, size=size)
        rows, strong = plan_rows(conn, app, settings, me, revivals, snoozed_people, snoozed_items, goal_reasons)
        found = {int(r.id) for r in rows}
        rows += stats_store.relationship_rows_of(conn, named - found)
    people = {int(r.id): person_view(r, now) for r in rows}
    chapter = _chapter_gives(conn, app, people)  # (may add the brokers it names to `people`)
    counted: dict[int, int] = {}  # employer id → its active ties not in `people`
    if not whole:
        # The strong ties not read whole are counted at their employer (an active tie there ranks a dormant one);
        # those too close to a boundary to tell are read, and the plan classifies them as it does everyone.
        close_call = []
        for f in strong:
            pid = int(f.id)
            if pid not in people and pid not in snoozed_people:  # (the plan does not classify a snoozed tie)
                counts = counts_at_employer(app.weights, f.raw, f.since, f.two_way_count)
                if counts is None:
                    close_call.append(pid)
                elif counts:
                    counted[int(f.organization_id)] = counted.get(int(f.organization_id), 0) + 1
        people.update((int(r.id), person_view(r, now)) for r in stats_store.relationship_rows_of(conn, close_call))
        among = set(people)
    members, org_names = graph_store.employer_ids(conn, None if among is None else sorted(among))
    active_ties_at: dict[str, int] = {}
    for org, n in counted.items():  # (employers of one name count together, as the plan counts them)
        active_ties_at[org_names[org]] = active_ties_at.get(org_names[org], 0) + n
    return PlanInput(
        me_id=me,
        people=people,
        promises=promises,
        follow_ups=[
            Touchpoint(
                int(r.id),
                r.occurred_at,
                tuple(who.get(int(r.id), ())),
                str(r.summary),
                r.follow_up_on,
                _nudge(nudges.get(int(r.id))),
            )
            for r in follow_rows
        ],
        planned=[
            Touchpoint(int(r.id), r.occurred_at, tuple(who.get(int(r.id), ())), str(r.summary)) for r in planned_rows
        ],
        needs=needs_store.open_items(conn, "need", today, people=among),  # (the plan looks needs up by person)
        # (no offers: the plan's gives are the engine's suggestions, which carry their offers)
        given_pairs=given,
        suggestions=suggestions,
        snoozed_people=snoozed_people,
        snoozed_items=snoozed_items,
        revivals_this_week=revivals,
        goal_reasons=goal_reasons,
        organizations={pid: org_names[org] for pid, org in members.items()},  # (names shared between people)
        active_ties_at=active_ties_at,
        events=events,
        chapter_gives=chapter,
    )


def _chapter_gives(conn: Connection, app: App, people: dict[int, PersonView]) -> list[Any]:
    """The needs pulled from the user's chapter hubs that their or their contacts' offers meet (issue 16).

    Brokers outside the plan's shortlist are read here and added to `people`: the builder names them."""
    from givefirst.services.hub_matching import chapter_gives  # loads the engine only when a board has needs

    return chapter_gives(conn, app, people)


# Goals and events are read by every plan but exist in few networks: their services (the graph, paths, triage)
# are imported only when there is one, which keeps `givefirst today` within its start-up budget.
def _open_goals(conn: Connection) -> list[Any]:
    if not reach_store.goal_rows(conn, open_only=True):
        return []
    from givefirst.services.goals import open_goals

    return open_goals(conn)


def _goal_reasons(conn: Connection, goals: list[Any]) -> dict[int, str]:
    if not goals:
        return {}
    from givefirst.services.goals import goal_reasons

    return goal_reasons(conn, goals)


def _events(conn: Connection, app: App, suggestions: list[tuple[NeedOrOffer, NeedOrOffer, MatchScore]],
            goals: list[Any]) -> list[EventItem]:  # fmt: skip
    """Return the upcoming events the user has not declined, triaged (domain/events.py)."""
    end = app.now + timedelta(days=app.plan_settings.upcoming_days + 1)
    rows = [r for r in events_store.event_rows(conn, start=app.now, end=end) if r.rsvp != "no" and not r.attended]
    if not rows:
        return []
    from givefirst.domain.events import triage
    from givefirst.services.event_triage import event_facts

    out = []
    for facts, _ in event_facts(conn, app, rows, suggestions, goals):
        result = triage(facts)
        out.append(
            EventItem(
                facts.event_id,
                facts.title,
                facts.starts_at,
                tuple(a.person_id for a in facts.attendees),
                result.score,
                result.reasons[:4],
                tuple(a.name for a in facts.attendees if a.helps),
            )
        )
    return out


def _suggestions(conn: Connection, app: App,
                 given: frozenset[tuple[int, int]]) -> list[tuple[NeedOrOffer, NeedOrOffer, MatchScore]]:  # fmt: skip
    """Return the engine's best cached pairs (scoring only what changed since the last run).

    After an import, the full pass keeps only the pairs that could be among the best the plan reads (with room for
    the pairs already given); when what is read turns out not to be the best of all (introductions made since,
    freshness), the lists are made whole and read again."""
    s = app.plan_settings
    depth = matching.shown_depth(app)
    matching.ensure_fresh(conn, app, depth=depth, top=2 * s.give_candidates + len(given))
    found = matching.cached(conn, app, limit=s.give_candidates, given=given)
    if match_depth.deep_enough(conn, found, s.give_candidates, depth):
        return found
    matching.ensure_fresh(conn, app, depth=depth)
    return matching.cached(conn, app, limit=s.give_candidates, given=given)


def _nudge(row: Any | None) -> IntroNudge | None:
    """Return what the plan needs of an introduction still in play, None for none or one that is over."""
    if row is None:
        return None
    intro = Intro(IntroState(row.state), bool(row.direct))
    if intro.is_final:
        return None
    return IntroNudge(int(row.id), intro, int(row.first_id), int(row.second_id))
