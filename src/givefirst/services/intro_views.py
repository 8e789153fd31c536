"""Introductions as the user sees them: each side as they are now, the steps taken, the need and offer met
(`IntroView`); `show` one, `list_introductions`. The steps themselves are taken in `services.introductions`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from givefirst.domain import introductions as flow
from givefirst.domain.introductions import Intro, IntroState, NextStep, Outcome, Side
from givefirst.errors import NotFoundError
from givefirst.services.context import App
from givefirst.services.people import resolve_person
from givefirst.store import introductions as store
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store


@dataclass(frozen=True)
class Party:
    id: int
    name: str
    emails: tuple[str, ...]


@dataclass(frozen=True)
class StepView:
    state: IntroState
    at: datetime
    note: str
    interaction_id: int | None


@dataclass(frozen=True)
class IntroView:
    """An introduction as people read it: names, texts, where it stands and what comes next."""

    id: int
    first: Party
    second: Party
    reason: str
    state: IntroState
    direct: bool
    outcome: Outcome | None
    declined_by: Side | None
    need_id: int | None
    need: str | None
    offer_id: int | None
    offer: str | None
    created_at: datetime
    updated_at: datetime
    introduced_at: datetime | None
    closed_at: datetime | None
    steps: tuple[StepView, ...] = ()

    @property
    def intro(self) -> Intro:
        return Intro(self.state, self.direct, self.outcome, self.declined_by)

    def fill(self, text: str) -> str:
        """Put the names and the id into a text of the state machine ({first}, {second}, {id})."""
        return text.format(first=self.first.name, second=self.second.name, id=self.id)

    @property
    def status(self) -> str:
        return self.fill(flow.describe(self.intro))

    @property
    def next(self) -> NextStep:
        return flow.next_step(self.intro)

    @property
    def next_text(self) -> str:
        return self.fill(self.next.text)

    def to_json(self) -> dict[str, Any]:
        nxt = self.next
        return {
            "id": self.id,
            "first": {"id": self.first.id, "name": self.first.name, "emails": list(self.first.emails)},
            "second": {"id": self.second.id, "name": self.second.name, "emails": list(self.second.emails)},
            "reason": self.reason,
            "state": self.state.value,
            "status": self.status,
            "direct": self.direct,
            "outcome": self.outcome.value if self.outcome else None,
            "declined_by": self.declined_by.value if self.declined_by else None,
            "need_id": self.need_id,
            "need": self.need,
            "offer_id": self.offer_id,
            "offer": self.offer,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "introduced_at": self.introduced_at.isoformat() if self.introduced_at else None,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "next": {
                "action": nxt.action.value if nxt.action else None,
                "concerns": [s.value for s in nxt.concerns],
                "text": self.fill(nxt.text),
            },
            "steps": [
                {"state": s.state.value, "at": s.at.isoformat(), "note": s.note, "interaction_id": s.interaction_id}
                for s in self.steps
            ],
        }


@dataclass(frozen=True)
class Result:
    """An introduction after a command, with what else happened (gives recorded, a need met, warnings)."""

    view: IntroView
    notes: tuple[str, ...] = field(default_factory=tuple)


def party(conn: Connection, pid: int) -> Party:
    """Return a side of an introduction as they are now: someone merged into another record is that record."""
    row = people_store.person_row(conn, pid)
    while row.merged_into_id is not None:
        row = people_store.person_row(conn, row.merged_into_id)
    pid = int(row.id)
    emails = tuple(value for kind, value, _ in people_store.identities_of(conn, pid) if kind == "email")
    return Party(pid, str(row.name), emails)


def side_of(row: Any, first: Party, second: Party, pid: int | None, me: int) -> Side | None:
    if pid is None:
        return None
    if pid in (row.first_id, first.id):
        return Side.FIRST
    if pid in (row.second_id, second.id):
        return Side.SECOND
    return Side.ME if pid == me else None


def intro_view(conn: Connection, app: App, row: Any, *, with_steps: bool = True) -> IntroView:
    need = needs_store.item_row(conn, "need", row.need_id) if row.need_id is not None else None
    offer = needs_store.item_row(conn, "offer", row.offer_id) if row.offer_id is not None else None
    steps = store.steps_of(conn, int(row.id)) if with_steps else []
    first, second = party(conn, int(row.first_id)), party(conn, int(row.second_id))
    return IntroView(
        id=int(row.id),
        first=first,
        second=second,
        reason=str(row.reason),
        state=IntroState(row.state),
        direct=bool(row.direct),
        outcome=Outcome(row.outcome) if row.outcome else None,
        declined_by=side_of(row, first, second, row.declined_by_id, app.me(conn)),
        need_id=row.need_id,
        need=str(need.text) if need is not None else None,
        offer_id=row.offer_id,
        offer=str(offer.text) if offer is not None else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
        introduced_at=row.introduced_at,
        closed_at=row.closed_at,
        steps=tuple(StepView(IntroState(s.state), s.at, str(s.note), s.interaction_id) for s in steps),
    )


def intro_row(conn: Connection, intro_id: int) -> Any:
    row = store.introduction_row(conn, intro_id)
    if row is None:
        raise NotFoundError(f"no introduction with id {intro_id} (see `givefirst intro list --all`)")
    return row


def show(app: App, intro_id: int) -> IntroView:
    with app.begin() as conn:
        return intro_view(conn, app, intro_row(conn, intro_id))


def list_introductions(
    app: App, *, states: list[IntroState] | None = None, person: str | None = None, include_finished: bool = False
) -> list[IntroView]:
    """Return introductions, open ones first: those still in play unless `include_finished` or `states` say."""
    with app.begin() as conn:
        pid = resolve_person(conn, app, person) if person else None
        wanted = [s.value for s in states] if states else None
        if wanted is None and not include_finished:
            wanted = [s.value for s in IntroState if s not in flow.TERMINAL]
        rows = store.list_introductions(conn, states=wanted, person_id=pid)
        return [intro_view(conn, app, r, with_steps=False) for r in rows]
