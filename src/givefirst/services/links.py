"""Relationships between contacts that the user records: evidence for the graph of who knows whom."""

from __future__ import annotations

from givefirst.domain.graph import LINK_KINDS
from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services.context import App
from givefirst.services.people import resolve_person
from givefirst.store import people as people_store
from givefirst.store import reach as store


def link(app: App, first: str, second: str, kind: str = "knows", note: str = "") -> str:
    """Record that two contacts know each other (as colleagues, friends...); return a sentence saying so."""
    kind = kind.strip().lower()
    if kind not in LINK_KINDS:
        raise InvalidInputError(f"unknown relationship {kind!r}: choose one of {', '.join(LINK_KINDS)}")
    with app.begin() as conn:
        a, b = resolve_person(conn, app, first), resolve_person(conn, app, second)
        me = app.me(conn)
        if me in (a, b):
            raise InvalidInputError("your own ties come from your history; link two of your contacts")
        if a == b:
            raise InvalidInputError("name two different people")
        new = store.link(conn, a, b, kind, note.strip(), app.now)
        names = people_store.person_row(conn, a).name, people_store.person_row(conn, b).name
    return f"{'Linked' if new else 'Updated'}: {names[0]} and {names[1]} ({kind})"


def unlink(app: App, first: str, second: str) -> str:
    with app.begin() as conn:
        a, b = resolve_person(conn, app, first), resolve_person(conn, app, second)
        if store.unlink(conn, a, b) == 0:
            raise NotFoundError("no relationship recorded between them")
    return "Unlinked"
