"""Introductions the user brokers: create, take each step (double opt-in), close with an outcome, list and show.

Every step is one transaction: the introduction's new state, its step row, the interaction the step is logged
as, the follow-up it leaves in the daily plan, and — once introduced — a give to both sides in the ledger.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from givefirst.domain import introductions as flow
from givefirst.domain.introductions import Action, IllegalStep, IntroState, Outcome, Side
from givefirst.domain.model import Direction, ExchangeDirection, ExchangeKind, ExchangeStatus, InteractionKind
from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services import tiestats
from givefirst.services.choices import choose
from givefirst.services.context import App
from givefirst.services.intro_views import IntroView as IntroView  # (the views live there; importable from here)
from givefirst.services.intro_views import Party as Party
from givefirst.services.intro_views import Result as Result
from givefirst.services.intro_views import StepView as StepView
from givefirst.services.intro_views import intro_row, intro_view, side_of
from givefirst.services.intro_views import list_introductions as list_introductions
from givefirst.services.intro_views import show as show
from givefirst.services.ledger import record_in
from givefirst.services.people import resolve_person
from givefirst.store import interactions as interactions_store
from givefirst.store import introductions as store
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store

# How each step reads in a timeline, and in the plan's "following up after …" for the steps that leave a follow-up:
# an ask (nudge after a week), a yes (the next move is yours) and the introduction (how did it go?).
SUMMARIES = {
    IntroState.SUGGESTED: "suggested introducing {first} and {second}",
    IntroState.ASKED_FIRST: "asking about an introduction to {second}",
    IntroState.FIRST_AGREED: "saying yes to an introduction to {second}",
    IntroState.ASKED_SECOND: "asking about an introduction to {first}",
    IntroState.SECOND_AGREED: "saying yes to an introduction to {first}",
    IntroState.INTRODUCED: "the introduction of {first} and {second}",
    IntroState.CLOSED: "how the introduction of {first} and {second} went: {outcome}",
    IntroState.NO_ANSWER: "no answer about an introduction to {other}",
}
STEP_KINDS = ("email", "message", "call", "video", "meeting")


def parse_outcome(text: str) -> Outcome:
    aliases = {"job": "hired", "hire": "hired", "meeting": "met", "help": "helped", "none": "nothing", "no": "nothing"}
    return choose(Outcome, text, "outcome", aliases)


def parse_state(text: str) -> IntroState:
    aliases = {"open": "suggested", "done": "closed", "no_reply": "no_answer", "new": "suggested"}
    return choose(IntroState, text, "state", aliases)


def parse_via(text: str) -> InteractionKind:
    """Return how a step happened: email, message, call, video or meeting."""
    aliases = {"text": "message", "dm": "message", "phone": "call", "zoom": "video", "coffee": "meeting"}
    kind = choose(InteractionKind, text, "way of getting in touch", aliases)
    if kind.value not in STEP_KINDS:
        raise InvalidInputError(f"a step happens by {', '.join(STEP_KINDS)}, not {text!r}")
    return kind


def _check_when(app: App, at: datetime | None, after: datetime | None = None) -> datetime:
    when = at or app.now
    if when > app.now:
        raise InvalidInputError("a step cannot be recorded in the future; record it once it has happened")
    if after is not None and when < after:
        raise InvalidInputError(
            f"this step cannot come before the previous one ({after:%Y-%m-%d %H:%M}); steps are recorded in order "
            "(date a new introduction earlier with `givefirst intro new --on`)"
        )
    return when


def _log(
    conn: Connection,
    app: App,
    *,
    pids: list[int],
    kind: InteractionKind,
    direction: Direction,
    summary: str,
    at: datetime,
    follow_up_days: int | None,
) -> int:
    iid = interactions_store.insert_interaction(
        conn,
        occurred_at=at,
        kind=kind.value,
        direction=direction.value,
        person_ids=pids,
        summary=summary,
        source="intro",
        external_id=None,
        planned=False,
        follow_up_on=at.date() + timedelta(days=follow_up_days) if follow_up_days is not None else None,
        now=app.now,
    )
    tiestats.refresh(conn, pids, app.weights)
    return iid


def _summary(state: IntroState, first: str, second: str, *, other: str = "", outcome: str = "", note: str = "") -> str:
    text = SUMMARIES.get(state, "")
    text = text.format(first=first, second=second, other=other, outcome=outcome) if text else ""
    return "; ".join(x for x in (text, note.strip()) if x)


def create(
    app: App,
    first_ref: str | None,
    second_ref: str | None,
    *,
    reason: str = "",
    need_id: int | None = None,
    offer_id: int | None = None,
    direct: bool = False,
    note: str = "",
    at: datetime | None = None,
) -> Result:
    """Start an introduction between two people (the first is asked first), or for a need and an offer.

    With a need and an offer, the people default to their holders (the one with the need is asked first) and
    the reason to their texts. Refused: the same person twice, the user as a side, two people already introduced
    or with an introduction under way, and a need and offer pair that already had one (unless it went unanswered).
    """
    when = _check_when(app, at)
    notes: list[str] = []
    with app.begin() as conn:
        me = app.me(conn)
        need = _item(conn, "need", need_id)
        offer = _item(conn, "offer", offer_id)
        first = resolve_person(conn, app, first_ref) if first_ref else None
        second = resolve_person(conn, app, second_ref) if second_ref else None
        holders = [int(x.person_id) for x in (need, offer) if x is not None]
        if first is None and second is None:
            if need is None or offer is None:
                raise InvalidInputError("name the two people to introduce, or give both --need and --offer")
            first, second = int(need.person_id), int(offer.person_id)
        elif first is None or second is None:
            named = first if first is not None else second
            others = [h for h in holders if h != named]
            if not others:
                raise InvalidInputError("name the two people to introduce (or give a need and an offer of theirs)")
            first, second = (named, others[0]) if first is not None else (others[0], named)
        assert first is not None and second is not None
        if first == second:
            raise InvalidInputError("an introduction needs two different people")
        if me in (first, second):
            raise InvalidInputError(
                "you are the one making the introduction: name the two people you introduce "
                "(for your own asks use `givefirst ask`)"
            )
        for which, item in (("need", need), ("offer", offer)):
            if item is not None and int(item.person_id) not in (first, second):
                holder = people_store.person_row(conn, int(item.person_id)).name
                raise InvalidInputError(f"{which} #{item.id} is {holder}'s, who is not part of this introduction")
        if need is not None and offer is not None and need.person_id == offer.person_id:
            raise InvalidInputError(f"need #{need.id} and offer #{offer.id} belong to the same person")
        names = {pid: str(people_store.person_row(conn, pid).name) for pid in (first, second)}
        _refuse_duplicates(conn, first, second, names, need_id, offer_id, notes)
        if not reason.strip():
            if need is None and offer is None:
                raise InvalidInputError(
                    "say why they should meet with --reason (it goes into the drafts), or give --need/--offer"
                )
            reason = _reason_from(need, offer, names)
        intro_id = store.insert_introduction(
            conn,
            {
                "first_id": first,
                "second_id": second,
                "need_id": need_id,
                "offer_id": offer_id,
                "reason": " ".join(reason.split()),
                "state": IntroState.SUGGESTED.value,
                "direct": direct,
                "created_at": when,
                "updated_at": when,
            },
        )
        summary = _summary(IntroState.SUGGESTED, names[first], names[second], note=note)
        iid = _log(conn, app, pids=[first, second], kind=InteractionKind.NOTE, direction=Direction.OUTBOUND,
                   summary=summary, at=when, follow_up_days=None)  # fmt: skip
        store.insert_step(conn, introduction_id=intro_id, state=IntroState.SUGGESTED.value, at=when,
                          interaction_id=iid, note=note.strip())  # fmt: skip
        return Result(intro_view(conn, app, intro_row(conn, intro_id)), tuple(notes))


def _item(conn: Connection, which: str, item_id: int | None) -> Any | None:
    if item_id is None:
        return None
    row = needs_store.item_row(conn, which, item_id)
    if row is None:
        raise NotFoundError(f"no {which} with id {item_id} (see `givefirst {which}s --all`)")
    if row.status != "open":
        raise InvalidInputError(f"{which} #{item_id} is {row.status}; reopen it first (givefirst close {which} "
                                f"{item_id} --as open)")  # fmt: skip
    return row


def _reason_from(need: Any | None, offer: Any | None, names: dict[int, str]) -> str:
    parts = []
    if need is not None:
        parts.append(f"{names[int(need.person_id)]} — “{need.text}”")
    if offer is not None:
        parts.append(f"{names[int(offer.person_id)]} — “{offer.text}”")
    return "; ".join(parts)


def _refuse_duplicates(
    conn: Connection,
    a: int,
    b: int,
    names: dict[int, str],
    need_id: int | None,
    offer_id: int | None,
    notes: list[str],
) -> None:
    for row in store.between(conn, a, b):
        if row.state in store.OPEN_STATES:
            raise InvalidInputError(
                f"introduction #{row.id} between {names[a]} and {names[b]} is already under way ({row.state}); "
                f"see `givefirst intro show {row.id}`"
            )
        if row.state in (IntroState.INTRODUCED.value, IntroState.CLOSED.value):
            raise InvalidInputError(
                f"you already introduced {names[a]} and {names[b]} (introduction #{row.id}, "
                f"{(row.introduced_at or row.updated_at):%Y-%m-%d}); they know each other now"
            )
        if row.state == IntroState.DECLINED.value:
            notes.append(f"note: introduction #{row.id} between them was declined on {row.updated_at:%Y-%m-%d}")
    if need_id is not None and offer_id is not None:
        for row in store.for_need_and_offer(conn, need_id, offer_id):
            if row.state != IntroState.NO_ANSWER.value:
                raise InvalidInputError(
                    f"need #{need_id} and offer #{offer_id} already have introduction #{row.id} ({row.state}); "
                    "a pair is introduced once"
                )


def parse_side(conn: Connection, app: App, row: Any, view: IntroView, text: str) -> Side:
    """Return the side `text` names: A/first, B/second, me, or the name of one of the two people."""
    key = text.strip().lower()
    if key in ("a", "1", "first"):
        return Side.FIRST
    if key in ("b", "2", "second"):
        return Side.SECOND
    if key in ("me", "i", "myself", "you"):
        return Side.ME
    pid = resolve_person(conn, app, text)
    side = side_of(row, view.first, view.second, pid, app.me(conn))
    if side is None:
        raise InvalidInputError(
            f"{text!r} is not part of introduction #{row.id}: say A ({view.first.name}), B ({view.second.name}) or me"
        )
    return side


def take_step(
    app: App,
    intro_id: int,
    action: Action,
    *,
    who: str | None = None,
    outcome: Outcome | None = None,
    direct: bool = False,
    via: InteractionKind | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Result:
    """Take one step of an introduction, all of it in one transaction, and return where it stands now."""
    with app.begin() as conn:
        row = intro_row(conn, intro_id)
        view = intro_view(conn, app, row, with_steps=False)
        when = _check_when(app, at, row.updated_at)
        side = parse_side(conn, app, row, view, who) if who else None
        try:
            t = flow.apply(view.intro, action, who=side, outcome=outcome, direct=direct)
        except IllegalStep as exc:
            raise InvalidInputError(view.fill(str(exc))) from None
        if t.swap_sides:  # the second was asked first: they become the first
            view = replace(view, first=view.second, second=view.first)
            store.update_introduction(conn, intro_id, {"first_id": view.first.id, "second_id": view.second.id})
        ids = {Side.FIRST: view.first.id, Side.SECOND: view.second.id}
        pids = [ids[s] for s in t.concerns if s is not Side.ME]
        state = t.after.state
        a, b = view.first.name, view.second.name
        other = b if t.concerns == (Side.FIRST,) else a
        if state is IntroState.DECLINED:
            decliner = {Side.FIRST: a, Side.SECOND: b, Side.ME: "you"}[t.after.declined_by or Side.ME]
            summary = f"{decliner} declined the introduction of {a} and {b}"
            summary = "; ".join(x for x in (summary, note.strip()) if x)
        else:
            summary = _summary(state, a, b, other=other, outcome=outcome.value if outcome else "", note=note)
        kind = InteractionKind.NOTE if t.direction is None else (via or InteractionKind.EMAIL)
        for done in store.open_follow_ups(conn, intro_id):  # an answer settles the nudge before it
            interactions_store.mark_follow_up_done(conn, done)
        iid = _log(conn, app, pids=pids, kind=kind, direction=t.direction or Direction.OUTBOUND, summary=summary,
                   at=when, follow_up_days=t.follow_up_days)  # fmt: skip
        store.insert_step(conn, introduction_id=intro_id, state=state.value, at=when, interaction_id=iid,
                          note=note.strip())  # fmt: skip
        values: dict[str, Any] = {
            "state": state.value,
            "direct": t.after.direct,
            "outcome": t.after.outcome.value if t.after.outcome else None,
            "updated_at": when,
        }
        if state is IntroState.DECLINED:
            values["declined_by_id"] = {Side.FIRST: view.first.id, Side.SECOND: view.second.id}.get(
                t.after.declined_by or Side.ME, app.me(conn)
            )
        if state is IntroState.INTRODUCED:
            values["introduced_at"] = when
        if state in flow.TERMINAL:
            values["closed_at"] = when
        store.update_introduction(conn, intro_id, values)
        notes = _consequences(conn, app, row, view, state, outcome, when)
        return Result(intro_view(conn, app, intro_row(conn, intro_id)), tuple(notes))


def _consequences(
    conn: Connection,
    app: App,
    row: Any,
    view: IntroView,
    state: IntroState,
    outcome: Outcome | None,
    when: datetime,
) -> list[str]:
    """Record what a step means beyond itself: gives to both sides, the follow-up, a need met."""
    notes: list[str] = []
    if state is IntroState.INTRODUCED:
        for person, other in ((view.first, view.second), (view.second, view.first)):
            record_in(conn, app, person.id, ExchangeDirection.GAVE, f"Introduced to {other.name}: {view.reason}",
                      kind=ExchangeKind.INTRODUCTION, status=ExchangeStatus.DONE, at=when, need_id=row.need_id,
                      offer_id=row.offer_id)  # fmt: skip
        follow = (when + timedelta(days=flow.HOW_DID_IT_GO_DAYS)).date()
        notes.append(f"Recorded a give to {view.first.name} and to {view.second.name}.")
        notes.append(f"The plan will remind you to ask how it went on {follow.isoformat()}.")
    if state is IntroState.CLOSED and outcome in flow.NEED_MET and row.need_id is not None:
        need = needs_store.item_row(conn, "need", row.need_id)
        if need is not None and need.status == "open":
            needs_store.set_status(conn, "need", int(row.need_id), "met", when)
            from givefirst.services import hub_publish  # a published need: closed on its hub at the next sync

            hub_publish.mark_closed(conn, "need", int(row.need_id), "met", when)
            notes.append(f"Marked need #{row.need_id} met: {need.text}")
    return notes


def take_next(app: App, intro_id: int, **kwargs: Any) -> Result:
    """Take the step that naturally comes next (asked, agreed, introduced); closing needs an outcome."""
    view = show(app, intro_id)
    nxt = view.next
    if nxt.action is None:
        raise InvalidInputError(f"introduction #{intro_id} is {view.status}; nothing more to do")
    if nxt.action is Action.CLOSE and kwargs.get("outcome") is None:
        raise InvalidInputError(
            f"they were introduced; say how it went: givefirst intro close {intro_id} --outcome "
            "hired|met|helped|nothing"
        )
    return take_step(app, intro_id, nxt.action, **kwargs)
