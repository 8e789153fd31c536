"""The daily plan: build it (`today`) and act on its items (done, snooze, undo).

What the plan reads is gathered in `plan_inputs` (its shortlist of ties in `plan_shortlist`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy import Connection

from givefirst.domain.model import (
    Direction,
    ExchangeDirection,
    ExchangeKind,
    ExchangeStatus,
    InteractionKind,
)
from givefirst.domain.plan import PlanItem, build_plan
from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services import matching, tiestats
from givefirst.services.context import App
from givefirst.services.people import resolve_person
from givefirst.services.plan_inputs import gather
from givefirst.services.plan_shortlist import person_view
from givefirst.store import events as events_store
from givefirst.store import interactions as interactions_store
from givefirst.store import ledger as ledger_store
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store
from givefirst.store import plan_state

__all__ = [  # (`gather` and `person_view` are defined in plan_inputs and plan_shortlist)
    "ITEM_KEY",
    "Outcome",
    "UndoStep",
    "describe_item",
    "done",
    "gather",
    "person_view",
    "snooze",
    "today",
    "undo",
]

ITEM_KEY = re.compile(r"^(promise|followup|confirm|give|touch|revive|upcoming|event|ask|chapter):(\d+)(?::(\d+))?$")


def today(app: App, size: int | None = None) -> list[PlanItem]:
    """Return today's plan (at most `size` items, default from the settings)."""
    settings = app.plan_settings if size is None else replace(app.plan_settings, size=size)
    if settings.size < 1:
        raise InvalidInputError("the plan needs room for at least one item")
    with app.begin() as conn:
        data = gather(conn, app, whole=False, size=settings.size)
    return build_plan(data, app.now, app.weights, settings)


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
