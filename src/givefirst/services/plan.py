"""The daily plan: gather the snapshot, build the plan, and act on its items (done, snooze)."""

from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from givefirst.domain.introductions import Intro, IntroState
from givefirst.domain.match_score import MatchScore
from givefirst.domain.model import (
    Direction,
    ExchangeDirection,
    ExchangeKind,
    ExchangeStatus,
    InteractionKind,
    NeedOrOffer,
    Tier,
    TieStats,
)
from givefirst.domain.plan import (
    EventItem,
    IntroNudge,
    PersonView,
    PlanInput,
    PlanItem,
    PlanSettings,
    Promise,
    Touchpoint,
    build_plan,
    shortlist_size,
    touch_score,
    touch_scores,
)
from givefirst.domain.plan_model import REAL_TIE_MIN
from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services import matching, tiestats
from givefirst.services.context import App
from givefirst.services.due_candidates import SLACK, DueFilter, counts_at_employer, raw_for
from givefirst.services.people import resolve_person
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
from givefirst.store.stats import stats_from_row

ITEM_KEY = re.compile(r"^(promise|followup|confirm|give|touch|revive|upcoming|event|ask|chapter):(\d+)(?::(\d+))?$")


def gather(conn: Connection, app: App, *, whole: bool = True, size: int | None = None) -> PlanInput:
    """Read everything the plan needs in a handful of queries (no per-person queries).

    `whole=False`: only the people `build_plan` can make something of (`_plan_rows`), not everyone — the
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
    suggestions = _suggestions(conn, app)
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
        rows, strong = _plan_rows(conn, app, settings, me, revivals, snoozed_people, snoozed_items, goal_reasons)
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
        given_pairs=ledger_store.given_pairs(conn),
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


def _chapter_gives(conn: Connection, app: App, people: dict[int, PersonView]) -> list[Any]:
    """The needs pulled from the user's chapter hubs that their or their contacts' offers meet (issue 16).

    Brokers outside the plan's shortlist are read here and added to `people`: the builder names them."""
    from givefirst.services.hub_matching import chapter_gives  # loads the engine only when a board has needs

    return chapter_gives(conn, app, people)


def _plan_rows(conn: Connection, app: App, settings: PlanSettings, me: int, revivals_this_week: int,
               snoozed_people: frozenset[int], snoozed_items: frozenset[str],
               goal_reasons: dict[int, str]) -> tuple[list[Any], list[Any]]:  # fmt: skip
    """Return the relationship rows of everyone `build_plan` may rank or count (a superset: the builder decides,
    as on the whole network), found in a few queries.

    A tie is a candidate to keep in touch only when it may be due (`due_candidates.DueFilter`'s test, in SQL);
    to revive only when dormant (silent `dormant_years`, `REAL_TIE_MIN` two-way touches, or a chosen tier) and
    revivals are left this week; and those are ranked by their employer's count of inner, close or active ties,
    which only people there with the strength of an active tie (or a chosen strength or tier) can add to.
    Every bound is rounded in the tie's favour, as `due_candidates` does; the people items name are added by
    `gather`.

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
    # Goal people are read whole anyway (`gather` adds everyone the plan names); a tie never in touch is not kept
    # warm. The rest by raw strength, best first: `DueFilter.ceiling`, above every bound, falls with it.
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


def _suggestions(conn: Connection, app: App) -> list[tuple[NeedOrOffer, NeedOrOffer, MatchScore]]:
    """Return the engine's best cached pairs (scoring only what changed since the last run)."""
    matching.ensure_fresh(conn, app)
    s = app.plan_settings
    return matching.cached(conn, app, min_score=s.match_threshold, limit=s.give_candidates)


def today(app: App, size: int | None = None) -> list[PlanItem]:
    """Return today's plan (at most `size` items, default from the settings)."""
    settings = app.plan_settings if size is None else replace(app.plan_settings, size=size)
    if settings.size < 1:
        raise InvalidInputError("the plan needs room for at least one item")
    with app.begin() as conn:
        data = gather(conn, app, whole=False, size=settings.size)
    return build_plan(data, app.now, app.weights, settings)


def _nudge(row: Any | None) -> IntroNudge | None:
    """Return what the plan needs of an introduction still in play, None for none or one that is over."""
    if row is None:
        return None
    intro = Intro(IntroState(row.state), bool(row.direct))
    if intro.is_final:
        return None
    return IntroNudge(int(row.id), intro, int(row.first_id), int(row.second_id))


# What a Done or a Snooze wrote, so that it can be taken back (`undo`): (what, row id, the value before).
UndoStep = tuple[str, int, str]


@dataclass(frozen=True)
class Outcome:
    key: str
    message: str
    undo: tuple[UndoStep, ...] = ()  # empty: this action cannot be undone here (an introduction has its own steps)


def _participants(conn: Connection, interaction_id: int) -> list[int]:
    return interactions_store.participants(conn, [interaction_id]).get(interaction_id, [])


def _log_touch(conn: Connection, app: App, pids: list[int], summary: str, kind: InteractionKind) -> int:
    iid = interactions_store.insert_interaction(
        conn, occurred_at=app.now, kind=kind.value, direction=Direction.OUTBOUND.value, person_ids=pids,
        summary=summary, source="plan", external_id=None, planned=False, follow_up_on=None, now=app.now,
    )  # fmt: skip
    tiestats.refresh(conn, pids, app.weights)
    return iid


def _said(summary: str, note: str) -> str:
    """Return a touch's summary: what the item was, and what the user said about it when they said something."""
    note = note.strip()
    return f"{summary} — {note}" if note else summary


def _name(conn: Connection, pid: int) -> str:
    return str(people_store.person_row(conn, pid).name)


def done(
    app: App,
    key: str,
    note: str = "",
    kind: InteractionKind = InteractionKind.MESSAGE,
    answer: tuple[str, str] | None = None,
) -> Outcome:
    """Mark a plan item done: record what it stands for (a give, a touch, a confirmed meeting...).

    `answer`: ("need" or "offer", text) — what the person said they need or can offer, recorded for them in
    the same step (on a check-in, a revival or the give-first question).
    """
    m = ITEM_KEY.match(key.strip())
    if not m:
        raise InvalidInputError(f"{key!r} is not a plan item; the keys are shown by `givefirst today`")
    what, first, second = m.group(1), int(m.group(2)), m.group(3)
    if answer is not None and what not in ("touch", "revive", "ask"):
        raise InvalidInputError("an answer (--need or --offer) goes with a check-in, a revival or an ask item")
    if what == "chapter":  # a chapter's need: the hub is asked first, then the ledger (services/hub_matching)
        if second is None:
            raise InvalidInputError(f"{key!r} is not a plan item; a chapter item looks like chapter:12:34")
        from givefirst.services.hub_matching import act

        said, _ = act(app, key.strip(), first, int(second), note)
        return Outcome(key, said)
    if what == "give":
        if second is None:
            raise InvalidInputError(f"{key!r} is not a plan item; a give item looks like give:12:34")
        with app.begin() as conn:
            brokered = _brokered(conn, app, first, int(second))
        if brokered:  # someone else's offer: the item starts an introduction, which keeps its own transactions
            return _start_introduction(app, key, first, int(second), note)
    with app.begin() as conn:
        person: int | None = None
        steps: list[UndoStep] = []
        if what == "promise":
            row = ledger_store.exchange_row(conn, first)
            if row is None or row.direction != "gave":
                raise NotFoundError(f"no promised give with id {first}")
            ledger_store.set_status(conn, first, ExchangeStatus.DONE.value, app.now)
            steps.append(("exchange_status", first, str(row.status)))
            # What the user said (how, and the note) reaches the timeline as a touch with them.
            iid = _log_touch(conn, app, [int(row.person_id)], _said(f"Delivered: {row.description}", note), kind)
            steps.append(("interaction", iid, ""))
            person, message = int(row.person_id), f"Delivered to {_name(conn, row.person_id)}: {row.description}"
        elif what in ("followup", "confirm", "upcoming"):
            row = interactions_store.interaction_row(conn, first)
            if row is None:
                raise NotFoundError(f"no interaction with id {first}")
            pids = _participants(conn, first)
            names = ", ".join(_name(conn, p) for p in pids)
            if what == "followup":
                interactions_store.mark_follow_up_done(conn, first)
                steps.append(("follow_up", first, ""))
                iid = _log_touch(conn, app, pids, note or f"Followed up after: {row.summary}", kind)
                steps.append(("interaction", iid, ""))
                message = f"Followed up with {names}"
            elif what == "confirm":
                interactions_store.confirm_planned(conn, first)
                steps.append(("planned", first, ""))
                tiestats.refresh(conn, pids, app.weights)
                message = f"Confirmed: {row.summary or row.kind} with {names}"
            else:
                sid = plan_state.add_snooze(conn, person_id=None, item_key=key, until=row.occurred_at, now=app.now)
                steps.append(("snooze", sid, ""))
                message = f"Going to {row.summary or 'the meeting'} on {row.occurred_at:%a %d %b}"
        elif what == "event":
            row = events_store.event_row(conn, first)
            if row is None:
                raise NotFoundError(f"no event with id {first}")
            events_store.update_event(conn, first, {"rsvp": "yes"})
            steps.append(("rsvp", first, str(row.rsvp or "none")))
            sid = plan_state.add_snooze(conn, person_id=None, item_key=key, until=row.starts_at, now=app.now)
            steps.append(("snooze", sid, ""))
            message = f"Going to {row.title} on {row.starts_at:%a %d %b} (RSVP yes; prep: givefirst event prep {first})"
        elif what == "give":  # one of the user's own offers (the brokered ones returned above)
            message, person, written = _do_give(conn, app, first, int(second or 0), note, kind)
            steps += written
        elif what in ("touch", "revive", "ask"):
            person = first
            if people_store.person_row(conn, person) is None:
                raise NotFoundError(f"no person with id {person}")
            verb = {"touch": "Checked in with", "revive": "Reconnected with", "ask": "Asked"}[what]
            default = "Asked what they're working on and how I could help" if what == "ask" else f"{verb} them"
            iid = _log_touch(conn, app, [person], note or default, kind)
            steps.append(("interaction", iid, ""))
            message = f"{verb} {_name(conn, person)}" + (" what they're working on" if what == "ask" else "")
            if what == "ask":  # attention given, nothing asked: a give in the ledger
                from givefirst.services.ledger import record_in  # (not imported by `today`)

                eid = record_in(conn, app, person, ExchangeDirection.GAVE, note or default, kind=ExchangeKind.OTHER,
                                status=ExchangeStatus.DONE)  # fmt: skip
                steps.append(("exchange", eid, ""))
            if answer is not None:
                message += "; " + _record_answer(conn, app, person, *answer)
        aid = plan_state.record_action(
            conn, item_key=key, kind="dormant" if what == "revive" else what, action="done", person_id=person,
            at=app.now,
        )  # fmt: skip
        steps.append(("action", aid, ""))
    # An answer recorded in the same step is a need or offer of its own (`givefirst close` ends it): no undo here.
    return Outcome(key, message, tuple(steps) if answer is None else ())


def _record_answer(conn: Connection, app: App, person: int, which: str, text: str) -> str:
    """Record what the person said they need or offer (matched at once); return what was recorded."""
    if which not in ("need", "offer") or not text.strip():
        raise InvalidInputError("say what they need (--need TEXT) or can offer (--offer TEXT)")
    row = people_store.person_row(conn, person)
    item_id = needs_store.insert_item(
        conn, which, person_id=person, text=" ".join(text.split()), tags=(), location=row.location,
        expires_on=None, created_at=app.now,
    )  # fmt: skip
    matching.refresh(conn, app, need_id=item_id if which == "need" else None)
    return f"recorded their {which} #{item_id}"


def _brokered(conn: Connection, app: App, need_id: int, offer_id: int) -> bool:
    """Return True when the give item pairs someone's need with another person's offer: an introduction."""
    need = needs_store.item_row(conn, "need", need_id)
    offer = needs_store.item_row(conn, "offer", offer_id)
    if need is None or offer is None:
        raise NotFoundError(f"no need {need_id} with offer {offer_id}")
    return int(offer.person_id) != app.me(conn)


def _start_introduction(app: App, key: str, need_id: int, offer_id: int, note: str) -> Outcome:
    """Done with "Offer X an introduction to Y": the introduction starts, and X has been asked (double opt-in).

    Two steps, each its own transaction: should the second fail, the introduction waits, suggested, for
    `givefirst intro asked`.
    """
    from givefirst.domain.introductions import Action
    from givefirst.services import introductions

    started = introductions.create(app, None, None, need_id=need_id, offer_id=offer_id)
    asked = introductions.take_step(app, started.view.id, Action.ASK, note=note)
    view = asked.view
    with app.begin() as conn:
        plan_state.record_action(
            conn, item_key=key, kind="give", action="done", person_id=view.first.id, at=app.now
        )  # fmt: skip
    return Outcome(
        key,
        f"Asked {view.first.name} whether they would like an introduction to {view.second.name} "
        f"(introduction #{view.id}); when they answer: givefirst intro agreed {view.id} (or declined)",
    )


def _do_give(conn: Connection, app: App, need_id: int, offer_id: int, note: str,
             how: InteractionKind) -> tuple[str, int, list[UndoStep]]:  # fmt: skip
    """Done with "Give X: your offer": the give is recorded in the ledger and logged as a touch (how it went)."""
    need = needs_store.item_row(conn, "need", need_id)
    offer = needs_store.item_row(conn, "offer", offer_id)
    if need is None or offer is None:
        raise NotFoundError(f"no need {need_id} with offer {offer_id}")
    from givefirst.services.ledger import record_in  # (not imported by `today`)

    needer = int(need.person_id)
    kind = ExchangeKind.JOB_LEAD if "job" in offer.tags.split(",") else ExchangeKind.OTHER
    eid = record_in(conn, app, needer, ExchangeDirection.GAVE, note or offer.text, kind=kind,
                    status=ExchangeStatus.DONE, need_id=need_id, offer_id=offer_id)  # fmt: skip
    iid = _log_touch(conn, app, [needer], _said(f"Gave: {offer.text}", note), how)
    return f"Gave {_name(conn, needer)}: {offer.text}", needer, [("exchange", eid, ""), ("interaction", iid, "")]


def snooze(app: App, target: str, days: int = 7) -> Outcome:
    """Put off a plan item (a key such as touch:12) or everything about a person, for `days` days."""
    if days < 1:
        raise InvalidInputError("snooze for at least one day")
    until = app.now + timedelta(days=days)
    with app.begin() as conn:
        m = ITEM_KEY.match(target.strip())
        if m:
            key = target.strip()
            what = describe_item(conn, m.group(1), int(m.group(2)), m.group(3))
            sid = plan_state.add_snooze(conn, person_id=None, item_key=key, until=until, now=app.now)
            aid = plan_state.record_action(conn, item_key=key, kind=key.split(":")[0], action="snoozed",
                                           person_id=None, at=app.now)  # fmt: skip
            return Outcome(key, f"Snoozed {what} until {until:%a %d %b}", (("snooze", sid, ""), ("action", aid, "")))
        pid = resolve_person(conn, app, target)
        sid = plan_state.add_snooze(conn, person_id=pid, item_key=None, until=until, now=app.now)
        aid = plan_state.record_action(conn, item_key=f"person:{pid}", kind="person", action="snoozed",
                                       person_id=pid, at=app.now)  # fmt: skip
        return Outcome(f"person:{pid}", f"Snoozed {_name(conn, pid)} until {until:%a %d %b}",
                       (("snooze", sid, ""), ("action", aid, "")))  # fmt: skip


def describe_item(conn: Connection, what: str, first: int, second: str | None) -> str:
    """Return a plan item's subject in words ("your promise to Ana Ruiz"); NotFoundError when it does not exist."""
    if what == "promise":
        row = ledger_store.exchange_row(conn, first)
        if row is None:
            raise NotFoundError(f"no promised give with id {first}")
        return f"your promise to {_name(conn, row.person_id)}"
    if what in ("followup", "confirm", "upcoming"):
        if interactions_store.interaction_row(conn, first) is None:
            raise NotFoundError(f"no interaction with id {first}")
        names = ", ".join(_name(conn, p) for p in _participants(conn, first)) or "them"
        return {"followup": "the follow-up with ", "confirm": "the meeting with ", "upcoming": "the meeting with "}[
            what
        ] + names
    if what == "event":
        event = events_store.event_row(conn, first)
        if event is None:
            raise NotFoundError(f"no event with id {first}")
        return str(event.title)
    if what == "give":
        need = needs_store.item_row(conn, "need", first)
        offer = None if second is None else needs_store.item_row(conn, "offer", int(second))
        if need is None or offer is None:
            raise NotFoundError(f"no need {first} with offer {second}")
        return f"the give to {_name(conn, need.person_id)}"
    if what == "chapter":
        from givefirst.store.hub_board import board_item

        found = board_item(conn, first)
        if found is None:
            raise NotFoundError(f"no chapter need {first}")
        return f"{found.member_name}'s need from the {found.chapter or found.hub_name} chapter"
    if people_store.person_row(conn, first) is None:
        raise NotFoundError(f"no person with id {first}")
    return f"{'checking in' if what == 'touch' else 'reconnecting'} with {_name(conn, first)}"


def undo(app: App, steps: tuple[UndoStep, ...]) -> None:
    """Take back what a Done or a Snooze wrote (its `Outcome.undo`), in reverse order, in one transaction."""
    from givefirst.store import plan_undo

    with app.begin() as conn:
        touched: set[int] = set()
        for what, row_id, before in reversed(steps):
            if what == "interaction":
                touched.update(_participants(conn, row_id))
                plan_undo.delete_interaction(conn, row_id)
            elif what == "exchange":
                row = ledger_store.exchange_row(conn, row_id)
                if row is not None:
                    touched.add(int(row.person_id))
                plan_undo.delete_exchange(conn, row_id)
            elif what == "exchange_status":
                row = ledger_store.exchange_row(conn, row_id)
                if row is not None:
                    touched.add(int(row.person_id))
                plan_undo.set_exchange_status(conn, row_id, before)
            elif what == "follow_up":
                plan_undo.reopen_follow_up(conn, row_id)
            elif what == "planned":
                touched.update(_participants(conn, row_id))
                plan_undo.plan_again(conn, row_id)
            elif what == "rsvp":
                plan_undo.set_rsvp(conn, row_id, before)
            elif what == "snooze":
                plan_undo.delete_snooze(conn, row_id)
            elif what == "action":
                plan_undo.delete_action(conn, row_id)
            else:
                raise InvalidInputError(f"cannot undo {what!r}")
        if touched:
            tiestats.refresh(conn, sorted(touched), app.weights)
