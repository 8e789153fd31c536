"""Hub introductions in the member's own records: each one they take part in is recorded once here, in the ledger
(as the helper, a give promised, done when the outcome is helped or hired; as the seeker, help received) and in
the timeline ("Hub introduction: …"), linked to the other member once they are a local person.

The other member becomes a local person only with their consent on the hub: when both sides accepted and the
hub shares the contact; an existing person with that e-mail address is linked instead of a new one.
`hub intros`, `hub answer` and `hub outcome` record locally at once what the hub answered.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from givefirst.domain.model import Direction, ExchangeDirection, ExchangeKind, ExchangeStatus, InteractionKind
from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services import tiestats
from givefirst.services.context import App
from givefirst.services.hub_client import HubClient, HubUnreachable
from givefirst.services.ledger import record_in
from givefirst.store import hub_intros as store
from givefirst.store import hub_links
from givefirst.store import interactions as interactions_store
from givefirst.store import ledger as ledger_store
from givefirst.store import people as people_store
from givefirst.store.hub_links import HubLink

SIDES = ("seeker", "helper")
GAVE_OUTCOMES = ("helped", "hired")  # the help was given: the promised give is done
OUTCOMES = ("helped", "hired", "no_thanks")


def _other(intro: dict[str, Any]) -> str:
    return str(intro["helper"] if intro.get("your_side") == "seeker" else intro["seeker"])


def _email_of(intro: dict[str, Any], link: HubLink) -> str | None:
    """Return the other side's e-mail from the hub's `contact` (name → e-mail of both sides, once connected)."""
    contact: dict[str, str] = dict(intro.get("contact") or {})
    other = _other(intro)
    if other in contact:
        return contact[other] or None
    rest = [e for n, e in contact.items() if n != link.member_name]
    return rest[0] if len(rest) == 1 and rest[0] else None


def _person_for(conn: Connection, app: App, link: HubLink, intro: dict[str, Any]) -> int | None:
    """Return the local person the other side is, made from the shared contact when they are not one yet."""
    from givefirst.ingest.identity import normalize_email

    email = _email_of(intro, link)
    if email is None:
        return None  # not connected, or the hub shares no contact: they stay a hub member only
    address = normalize_email(email)
    found = people_store.person_by_identity(conn, "email", address)
    if found is not None:
        return found
    # Not by name: an e-mail address attached to the wrong namesake would merge two people's mail. A namesake
    # already here is left for `givefirst merge`.
    how = f"Hub introduction ({link.chapter} chapter)" if link.chapter else f"Hub introduction ({link.name})"
    found = people_store.insert_person(conn, {"name": _other(intro), "how_met": how, "met_on": app.now.date()}, app.now)
    people_store.add_identity(conn, found, "email", address)
    return found


def _summary(intro: dict[str, Any], link: HubLink) -> str:
    where = f" ({link.chapter} chapter)" if link.chapter else ""
    return f"Hub introduction: {intro['helper']} helps {intro['seeker']} with “{intro['need']}”{where}"


def _write_ledger(conn: Connection, app: App, link: HubLink, intro: dict[str, Any], person: int) -> tuple[int, int]:
    """Record the introduction in the ledger and the timeline; return (exchange id, interaction id)."""
    helper = intro.get("your_side") == "helper"
    what = f"{'Help for' if helper else 'Help from'} {_other(intro)} (hub introduction): {intro['need']}"
    eid = record_in(conn, app, person, ExchangeDirection.GAVE if helper else ExchangeDirection.RECEIVED, what,
                    kind=ExchangeKind.INTRODUCTION, status=ExchangeStatus.PROMISED)  # fmt: skip
    iid = interactions_store.insert_interaction(
        conn, occurred_at=app.now, kind=InteractionKind.NOTE.value, direction=Direction.MUTUAL.value,
        person_ids=[person], summary=_summary(intro, link), source=f"hub:{link.name}",
        external_id=f"intro:{intro['id']}", planned=False, follow_up_on=None, now=app.now,
    )  # fmt: skip
    tiestats.refresh(conn, [person], app.weights)
    return eid, iid


def _write_outcome(
    conn: Connection, app: App, link: HubLink, intro: dict[str, Any], row_values: dict[str, Any]
) -> None:
    """The outcome reached the ledger (the give done, or declined) and the timeline, once."""
    outcome = str(intro["outcome"])
    exchange_id, person = row_values.get("exchange_id"), row_values.get("person_id")
    if exchange_id is not None and ledger_store.exchange_row(conn, exchange_id) is not None:
        status = ExchangeStatus.DONE if outcome in GAVE_OUTCOMES else ExchangeStatus.DECLINED
        ledger_store.set_status(conn, exchange_id, status.value, app.now)
    if person is not None:
        external = f"intro:{intro['id']}:outcome"
        if interactions_store.find_external(conn, f"hub:{link.name}", external) is None:
            note = str(intro.get("outcome_note") or "").strip()
            summary = f"Hub introduction outcome: {outcome.replace('_', ' ')}" + (f" — {note}" if note else "")
            interactions_store.insert_interaction(
                conn, occurred_at=app.now, kind=InteractionKind.NOTE.value, direction=Direction.MUTUAL.value,
                person_ids=[person], summary=f"{summary} ({intro['need']})", source=f"hub:{link.name}",
                external_id=external, planned=False, follow_up_on=None, now=app.now,
            )  # fmt: skip
        tiestats.refresh(conn, [person], app.weights)


def record_intro(conn: Connection, app: App, link: HubLink, intro: dict[str, Any]) -> str | None:
    """Record one introduction as the hub shows it; return a line for the report when something new was written."""
    public_id = str(intro["id"])
    row = store.intro_row(conn, link.id, public_id)
    values: dict[str, Any] = {"state": str(intro["state"]), "outcome": intro.get("outcome")}
    if row is not None:
        values |= {"person_id": row.person_id, "interaction_id": row.interaction_id, "exchange_id": row.exchange_id}
    said: list[str] = [] if row is not None else [f"introduction {public_id}: {intro['state']}"]
    if intro.get("your_side") in SIDES:
        if values.get("person_id") is None:
            values["person_id"] = _person_for(conn, app, link, intro)
            if values["person_id"] is not None:
                said.append(f"{_other(intro)} is now in your network")
        if values["person_id"] is not None and values.get("exchange_id") is None:
            values["exchange_id"], values["interaction_id"] = _write_ledger(conn, app, link, intro, values["person_id"])
            said.append("recorded in your ledger and timeline")
        if intro.get("outcome") and (row is None or row.outcome != intro["outcome"] or
                                     (row.exchange_id is None and values.get("exchange_id"))):  # fmt: skip
            _write_outcome(conn, app, link, intro, values)
            said.append(f"outcome {intro['outcome']}")
    if row is not None and row.state != values["state"]:
        said.insert(0, f"introduction {public_id}: {intro['state']}")
    store.save(conn, link.id, public_id, values, app.now)
    return "; ".join(said) or None


# --- the CLI's use cases --------------------------------------------------------------------------------------


def pick_link(app: App, name: str | None) -> HubLink:
    """Return the hub named, or the only one joined."""
    with app.begin() as conn:
        links = hub_links.all_links(conn)
    if name:
        found = [x for x in links if x.name == name]
        if not found:
            raise NotFoundError(f"no hub named {name!r}; `givefirst hub status` lists the hubs joined")
        return found[0]
    if not links:
        raise NotFoundError("no hub joined yet: givefirst hub join URL")
    if len(links) > 1:
        raise InvalidInputError(f"say which hub: --hub {' or --hub '.join(x.name for x in links)}")
    return links[0]


def _client(link: HubLink, client: HubClient | None) -> HubClient:
    from givefirst.services.hub_membership import open_client

    return client or open_client(link)


def listing(app: App, link: HubLink, client: HubClient | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """Return the introductions as the hub shows them (recorded here on the way), or the local rows and why when
    the hub does not answer."""
    try:
        with _client(link, client) as hub:
            found = hub.introductions()
    except HubUnreachable as exc:
        with app.begin() as conn:
            rows = store.intro_rows(conn, link.id)
        return [{"id": r.public_id, "state": r.state, "outcome": r.outcome} for r in rows], str(exc)
    with app.begin() as conn:
        for intro in found:
            record_intro(conn, app, link, intro)
    return found, None


def answer(app: App, link: HubLink, public_id: str, accept: bool, client: HubClient | None = None) -> str:
    """Accept or decline an introduction on the hub, and record here at once what it became."""
    with _client(link, client) as hub:
        intro = hub.answer(public_id, accept)
    with app.begin() as conn:
        said = record_intro(conn, app, link, intro)
    return f"{'Accepted' if accept else 'Declined'} introduction {public_id}: {intro['state']}" + (
        f" ({said})" if said else ""
    )


def outcome(
    app: App, link: HubLink, public_id: str, value: str, note: str = "", client: HubClient | None = None
) -> str:
    """Record how an introduction went, on the hub and here (ledger and timeline)."""
    if value not in OUTCOMES:
        raise InvalidInputError(f"{value!r} is not an outcome: say helped, hired or no_thanks")
    with _client(link, client) as hub:
        intro = hub.outcome(public_id, value, note)
    with app.begin() as conn:
        said = record_intro(conn, app, link, intro)
    return f"Introduction {public_id}: {value}" + (f" ({said})" if said else "")
