"""The give/ask ledger: recording gives, favours received and asks, and whether an ask is ready."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection

from givefirst.domain.date_bounds import PROMISE, out_of_bounds
from givefirst.domain.model import ExchangeDirection, ExchangeKind, ExchangeStatus
from givefirst.domain.readiness import AskReadiness, ask_readiness
from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services import tiestats
from givefirst.services.choices import choose
from givefirst.services.context import App
from givefirst.services.people import resolve_person
from givefirst.services.relationships import Relationship, relationship_from_row
from givefirst.store import ledger as store
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store


def parse_kind(text: str) -> ExchangeKind:
    aliases = {"intro": "introduction", "lead": "job_lead", "job": "job_lead", "favor": "favour", "info": "information"}
    return choose(ExchangeKind, text, "kind", aliases)


def record(
    app: App,
    ref: str,
    direction: ExchangeDirection,
    description: str,
    *,
    kind: ExchangeKind = ExchangeKind.OTHER,
    status: ExchangeStatus = ExchangeStatus.DONE,
    requested: bool = False,
    at: datetime | None = None,
    due_on: date | None = None,
    need_id: int | None = None,
    offer_id: int | None = None,
) -> int:
    """Record one ledger entry with the person `ref` names and return its id."""
    if not description.strip():
        raise InvalidInputError("say what was given or asked, for example 'intro to a Tampa CFO'")
    if due_on is not None and (refused := out_of_bounds(due_on, app.now.date(), PROMISE, "the due date")):
        raise InvalidInputError(refused)
    with app.begin() as conn:
        pid = resolve_person(conn, app, ref)
        if pid == app.me(conn):
            raise InvalidInputError("the ledger records exchanges with other people, not with yourself")
        eid = record_in(
            conn, app, pid, direction, description, kind=kind, status=status, requested=requested,
            at=at, due_on=due_on, need_id=need_id, offer_id=offer_id,
        )  # fmt: skip
    return eid


def record_in(
    conn: Connection,
    app: App,
    pid: int,
    direction: ExchangeDirection,
    description: str,
    *,
    kind: ExchangeKind,
    status: ExchangeStatus,
    requested: bool = False,
    at: datetime | None = None,
    due_on: date | None = None,
    need_id: int | None = None,
    offer_id: int | None = None,
) -> int:
    """Record a ledger entry inside an open transaction and refresh the relationship's statistics."""
    eid = store.insert_exchange(
        conn,
        person_id=pid,
        direction=direction.value,
        kind=kind.value,
        description=description.strip(),
        status=status.value,
        requested=requested,
        occurred_at=at or app.now,
        due_on=due_on,
        need_id=need_id,
        offer_id=offer_id,
        now=app.now,
    )
    tiestats.refresh(conn, [pid], app.weights)
    return eid


def set_status(app: App, exchange_id: int, status: ExchangeStatus) -> int:
    """Mark a ledger entry promised, done or declined; return the person's id."""
    with app.begin() as conn:
        row = store.exchange_row(conn, exchange_id)
        if row is None:
            raise NotFoundError(f"no ledger entry with id {exchange_id}")
        store.set_status(conn, exchange_id, status.value, app.now)
        tiestats.refresh(conn, [row.person_id], app.weights)
        return int(row.person_id)


def give_first_alternatives(conn: Connection, app: App, pid: int) -> tuple[str, ...]:
    """Return give-first actions toward a person: the matching engine's best ways to meet their open needs."""
    from givefirst.services import matching

    today = app.now.date()
    their_needs = [n for n in needs_store.open_items(conn, "need", today) if n.person_id == pid]
    if not their_needs:
        return ()
    me = app.me(conn)
    # (only their needs' lists are read: only those are made whole, if the lists are shallow after an import)
    matching.ensure_fresh(conn, app, depth=matching.shown_depth(app), needs=[n.id for n in their_needs])
    found = matching.cached(conn, app, person_id=pid)
    out: list[str] = []
    for need, offer, _ in found:
        if need.person_id != pid:
            continue
        if offer.person_id == me:
            out.append(f"Give first: offer them “{offer.text}” (they need “{need.text}”)")
        else:
            other = people_store.person_row(conn, offer.person_id)
            name = other.name if other else "a contact"
            out.append(f"Give first: introduce them to {name}, who offers “{offer.text}” (they need “{need.text}”)")
    if not out:
        out.append(f"Give first: help with what they need — “{their_needs[0].text}”")
    return tuple(out[:3])


def readiness_for(conn: Connection, app: App, pid: int, rel: Relationship | None = None) -> AskReadiness:
    """Return the ask readiness of the relationship with `pid` at "now"."""
    if rel is None:
        rel = relationship_from_row(
            people_store.list_people(conn, include_me=True, person_ids=[pid])[0], app.now, app.weights
        )
    promises = sum(1 for r in store.open_promises(conn) if r.person_id == pid)
    return ask_readiness(
        rel.stats,
        app.now,
        app.weights,
        strength=rel.strength.score,
        cadence_days=rel.due.cadence_days,
        open_promises=promises,
        alternatives=give_first_alternatives(conn, app, pid),
    )


@dataclass(frozen=True)
class AskResult:
    exchange_id: int | None  # None on a dry run
    person_id: int
    name: str
    readiness: AskReadiness  # as it stood before the ask was recorded


def ask(
    app: App, ref: str, description: str, *, kind: ExchangeKind = ExchangeKind.OTHER, record_it: bool = True
) -> AskResult:
    """Judge an ask's readiness, then record it (unless `record_it` is False): warn, never block."""
    with app.begin() as conn:
        pid = resolve_person(conn, app, ref)
        if pid == app.me(conn):
            raise InvalidInputError("you cannot ask yourself")
        readiness = readiness_for(conn, app, pid)
        name = people_store.person_row(conn, pid).name
        eid = None
        if record_it:
            eid = record_in(conn, app, pid, ExchangeDirection.ASKED, description, kind=kind,
                            status=ExchangeStatus.PROMISED)  # fmt: skip
    return AskResult(eid, pid, str(name), readiness)
