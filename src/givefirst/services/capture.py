"""At the event, on a phone: quick capture of someone just met, check-in, a give recorded in one tap.

A quick capture is one transaction: the person (or the one already known, when the user says so), what they need
or offer in their own words, "met at" the event, and a touch with a follow-up due the day after (so it is in
Today within 48 hours). A name that looks like someone already known is not added blindly: the capture stops with
`LooksKnownError`, which lists who it could be, and the user answers "this is X" (`known_id`) or "someone new"
(`new`). A capture made offline on the phone carries a client id and is replayed when the server is reachable
again; the id is the touch's external id, so a replay that arrives twice records once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from givefirst.domain.model import Direction, ExchangeDirection, ExchangeKind, ExchangeStatus, InteractionKind
from givefirst.errors import AmbiguousError, InvalidInputError, NotFoundError
from givefirst.ingest.identity import normalize_email
from givefirst.ingest.names import comparable_name
from givefirst.services import matching, tiestats
from givefirst.services.context import App
from givefirst.services.events import FOLLOW_UP_DAYS, event_row
from givefirst.services.ledger import record_in
from givefirst.services.merging import NAME_WITH_SUPPORT, lookalike_profiles
from givefirst.services.people import email_problem
from givefirst.store import events as events_store
from givefirst.store import interactions as interactions_store
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store

SOURCE = "capture"  # the touches quick capture records carry this source (and the client id as external id)
CLIENT_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
MAX_TEXT = 2000
HERE = "here"  # event_people status of someone checked in (the column holds at most 10 characters)


@dataclass(frozen=True)
class Known:
    """Someone already known whom a captured name could be."""

    id: int
    name: str
    organization: str | None
    reasons: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "organization": self.organization, "reasons": self.reasons}


class LooksKnownError(AmbiguousError):
    """The captured name looks like someone already known: say which, or that this is someone new."""

    def __init__(self, name: str, candidates: list[Known]) -> None:
        listed = ", ".join(f"{k.name} (id {k.id})" for k in candidates)
        super().__init__(f"{name} looks like someone you already know: {listed}; pick them or say it is someone new")
        self.name = name
        self.candidates = candidates


@dataclass
class CaptureInput:
    name: str
    organization: str = ""
    which: str = "need"  # need | offer: what they said, in their words
    text: str = ""
    event_id: int | None = None
    email: str = ""
    known_id: int | None = None  # the user said: this is someone I already know
    new: bool = False  # the user said: someone new, whatever the look-alikes
    client_id: str = ""  # set by the phone for an offline capture: a replay records once


@dataclass(frozen=True)
class Captured:
    person_id: int
    name: str
    new_person: bool
    item_id: int | None
    follow_up_on: date
    already: bool  # this client id was recorded before: nothing new was written

    @property
    def message(self) -> str:
        if self.already:
            return f"{self.name} was already saved"
        who = "Added" if self.new_person else "Noted"
        return f"{who} {self.name}; follow up by {self.follow_up_on:%a %d %b} (it is in Today)"

    def as_dict(self) -> dict[str, Any]:
        return {"person_id": self.person_id, "name": self.name, "new_person": self.new_person,
                "item_id": self.item_id, "follow_up_on": self.follow_up_on.isoformat(), "already": self.already,
                "message": self.message}  # fmt: skip


def lookalikes_of(conn: Connection, name: str, organization: str = "", email: str | None = None) -> list[Known]:
    """Return people already known whom `name` could be, best first (the rules of the merge look-alikes).

    An email already on file is certain; otherwise a name as alike as `merging.NAME_WITH_SUPPORT` (the merge
    proposals ask for more, or for corroboration, because they compare everyone with everyone; here one name
    typed in a hurry is compared, and a wrong guess costs one tap: "Ana Ruis" is asked about Ana Ruiz). A bare
    first name ("Ana") also finds the known Ana Ruiz: at an event people give their first name, and the user is
    better asked than left with two Anas.
    """
    from rapidfuzz import fuzz, process

    found: dict[int, Known] = {}
    if email:
        pid = people_store.person_by_identity(conn, "email", email)
        if pid is not None and not people_store.person_row(conn, pid).is_me:
            row = people_store.person_row(conn, pid)
            found[pid] = Known(pid, str(row.name), row.organization, f"{email} is theirs")
    wanted = comparable_name(name)
    org = organization.strip().lower() or None
    profiles = lookalike_profiles(conn)
    choices = {pid: p.name for pid, p in profiles.items() if p.name}
    hits = process.extract(wanted, choices, scorer=fuzz.token_sort_ratio, score_cutoff=NAME_WITH_SUPPORT, limit=8)
    single = len(wanted.split()) == 1
    for _, score, pid in hits:
        same_org = bool(org and profiles[pid].organization == org)
        if score >= NAME_WITH_SUPPORT:
            reasons = f"names {score:.0f}% alike" + (f", both at {organization.strip()}" if same_org else "")
            found.setdefault(pid, _known(conn, pid, reasons))
    if single and wanted:
        for pid, p in profiles.items():
            if p.name.split()[:1] == [wanted] and pid not in found and len(found) < 5:
                found[pid] = _known(conn, pid, "same first name")
    return list(found.values())[:5]


def _known(conn: Connection, pid: int, reasons: str) -> Known:
    row = people_store.person_row(conn, pid)
    return Known(pid, str(row.name), row.organization, reasons)


def _check(data: CaptureInput) -> tuple[str, str]:
    name = " ".join(data.name.split())
    if not name and data.known_id is None:
        raise InvalidInputError("a quick capture needs a name: the one they told you is enough")
    if data.which not in ("need", "offer"):
        raise InvalidInputError(f"what they said is a need or an offer, not {data.which!r}")
    if len(data.text) > MAX_TEXT or len(name) > 300 or len(data.organization) > 300:
        raise InvalidInputError(f"that is more than a quick capture holds (at most {MAX_TEXT} characters)")
    if data.client_id and not CLIENT_ID.match(data.client_id):
        raise InvalidInputError("client_id: letters, digits and dashes only (8 to 64)")
    if data.email.strip() and (problem := email_problem(data.email)):
        raise InvalidInputError(problem)
    return name, normalize_email(data.email) if data.email.strip() else ""


def capture(app: App, data: CaptureInput) -> Captured:
    """Record someone just met (see the module's docstring); raise LooksKnownError when they may be known."""
    name, email = _check(data)
    try:
        return _capture(app, data, name, email)
    except IntegrityError:
        # The same offline capture sent twice at once (the page and the service worker both back online): the
        # unique (source, external id) let one through and rolled this one back whole; answer as a replay.
        if not data.client_id:
            raise
        with app.begin() as conn:
            earlier = interactions_store.find_external(conn, SOURCE, data.client_id)
            if earlier is None:
                raise
            return _replayed(conn, earlier)


def _capture(app: App, data: CaptureInput, name: str, email: str) -> Captured:
    with app.begin() as conn:
        me = app.me(conn)
        if data.client_id:
            earlier = interactions_store.find_external(conn, SOURCE, data.client_id)
            if earlier is not None:
                return _replayed(conn, earlier)
        event = event_row(conn, data.event_id) if data.event_id is not None else None
        where = f"Met at {event.title}" if event is not None else "Met in person"
        if data.known_id is not None:
            row = people_store.person_row(conn, data.known_id)
            if row is None or row.merged_into_id is not None or int(row.id) == me:
                raise NotFoundError(f"no person with id {data.known_id} to add this to")
            pid, new_person, name = int(row.id), False, str(row.name)
        else:
            if not data.new:
                candidates = lookalikes_of(conn, name, data.organization, email or None)
                if candidates:
                    raise LooksKnownError(name, candidates)
            elif email and people_store.person_by_identity(conn, "email", email) is not None:
                raise InvalidInputError(f"{email} belongs to someone you already know: pick them instead")
            values: dict[str, Any] = {"name": name, "how_met": where, "met_on": app.now.date()}
            if data.organization.strip():
                values["organization_id"] = people_store.organization_id(conn, data.organization.strip())
            pid, new_person = people_store.insert_person(conn, values, app.now), True
            if email:
                people_store.add_identity(conn, pid, "email", email)
        item_id = None
        said = " ".join(data.text.split())
        if said:
            item_id = needs_store.insert_item(conn, data.which, person_id=pid, text=said, tags=[],
                                              location=people_store.person_row(conn, pid).location,
                                              expires_on=None, created_at=app.now)  # fmt: skip
            matching.refresh(conn, app, need_id=item_id if data.which == "need" else None)
        if event is not None:
            events_store.set_event_person(conn, int(event.id), pid, "met")
        follow_up_on = app.now.date() + timedelta(days=FOLLOW_UP_DAYS)
        # The plan words it "following up after <summary>"; what they said is on their need or offer already.
        summary = f"we met at {event.title}" if event is not None else "we met"
        interactions_store.insert_interaction(
            conn, occurred_at=app.now, kind=(InteractionKind.EVENT if event else InteractionKind.MEETING).value,
            direction=Direction.MUTUAL.value, person_ids=[pid], summary=summary[:1000], source=SOURCE,
            external_id=data.client_id or None, planned=False, follow_up_on=follow_up_on, now=app.now,
        )  # fmt: skip
        tiestats.refresh(conn, [pid], app.weights)
    return Captured(pid, name, new_person, item_id, follow_up_on, already=False)


def _replayed(conn: Connection, interaction_id: int) -> Captured:
    pid = interactions_store.participants(conn, [interaction_id])[interaction_id][0]
    row = interactions_store.interaction_row(conn, interaction_id)
    assert row is not None  # found by its external id a moment ago, in this transaction
    name = str(people_store.person_row(conn, pid).name)
    return Captured(pid, name, False, None, row.follow_up_on or row.occurred_at.date(), already=True)


def check_in(app: App, event_id: int, person_id: int) -> str:
    """Mark someone as here at the event (they were expected, or you just spotted them)."""
    with app.begin() as conn:
        event = event_row(conn, event_id)
        row = people_store.person_row(conn, person_id)
        if row is None or row.merged_into_id is not None or int(row.id) == app.me(conn):
            raise NotFoundError(f"no person with id {person_id}")
        events_store.set_event_person(conn, event_id, person_id, HERE)
    return f"{row.name} is here at {event.title}"


def give_at_event(app: App, event_id: int, person_id: int, what: str) -> str:
    """Record a give done at the event (an introduction made, a lead passed), with the person checked in."""
    if not what.strip():
        raise InvalidInputError("say what you gave, e.g. 'introduced her to Ben'")
    with app.begin() as conn:
        event = event_row(conn, event_id)
        row = people_store.person_row(conn, person_id)
        if row is None or row.merged_into_id is not None or int(row.id) == app.me(conn):
            raise NotFoundError(f"no person with id {person_id}")
        record_in(conn, app, person_id, ExchangeDirection.GAVE, " ".join(what.split())[:500],
                  kind=ExchangeKind.OTHER, status=ExchangeStatus.DONE, at=app.now)  # fmt: skip
        events_store.set_event_person(conn, event_id, person_id, HERE)
    return f"Gave to {row.name} at {event.title}: {' '.join(what.split())[:80]}"
