"""Logging interactions: a dated touchpoint with one or more people."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from givefirst.domain.date_bounds import TOUCH, out_of_bounds
from givefirst.domain.model import Direction, InteractionKind
from givefirst.errors import InvalidInputError
from givefirst.services import tiestats
from givefirst.services.choices import choose
from givefirst.services.context import App
from givefirst.services.people import resolve_person
from givefirst.store import interactions as store

# Meetings and calls are two-way by nature; a message is assumed sent by the user unless told otherwise.
DEFAULT_DIRECTION = {
    InteractionKind.MEETING: Direction.MUTUAL,
    InteractionKind.CALL: Direction.MUTUAL,
    InteractionKind.VIDEO: Direction.MUTUAL,
    InteractionKind.EVENT: Direction.MUTUAL,
    InteractionKind.MESSAGE: Direction.OUTBOUND,
    InteractionKind.EMAIL: Direction.OUTBOUND,
    InteractionKind.NOTE: Direction.OUTBOUND,
}


def parse_interaction_kind(text: str) -> InteractionKind:
    aliases = {"coffee": "meeting", "lunch": "meeting", "zoom": "video", "text": "message", "dm": "message"}
    return choose(InteractionKind, text, "kind", aliases)


def parse_direction(text: str) -> Direction:
    aliases = {"out": "outbound", "sent": "outbound", "in": "inbound", "received": "inbound", "both": "mutual"}
    return choose(Direction, text, "direction", aliases)


def log_interaction(
    app: App,
    refs: Sequence[str],
    *,
    kind: InteractionKind = InteractionKind.MESSAGE,
    direction: Direction | None = None,
    at: datetime | None = None,
    summary: str = "",
    follow_up_on: date | None = None,
    source: str = "manual",
    external_id: str | None = None,
) -> int:
    """Record an interaction with the people `refs` names and return its id.

    One in the future is *planned*: it shows in the plan as upcoming and counts toward strength only once
    confirmed. An (source, external id) already stored is not stored twice.
    """
    if not refs:
        raise InvalidInputError("name at least one person the interaction was with")
    when = at or app.now
    if source == "manual" and (refused := out_of_bounds(when.date(), app.now.date(), TOUCH, "the date")):
        raise InvalidInputError(refused)
    with app.begin() as conn:
        me = app.me(conn)
        pids = []
        for ref in refs:
            pid = resolve_person(conn, app, ref)
            if pid == me:
                raise InvalidInputError("you take part in every interaction; name the other people only")
            if pid not in pids:
                pids.append(pid)
        if external_id is not None:
            existing = store.find_external(conn, source, external_id)
            if existing is not None:
                return existing
        planned = when > app.now
        iid = store.insert_interaction(
            conn,
            occurred_at=when,
            kind=kind.value,
            direction=(direction or DEFAULT_DIRECTION[kind]).value,
            person_ids=pids,
            summary=summary.strip(),
            source=source,
            external_id=external_id,
            planned=planned,
            follow_up_on=follow_up_on,
            now=app.now,
        )
        if not planned:
            tiestats.refresh(conn, pids, app.weights)
    return iid
