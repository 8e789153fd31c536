"""Adding, editing, finding and listing people."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection

from givefirst.domain.model import Tier
from givefirst.errors import AmbiguousError, InvalidInputError, NotFoundError
from givefirst.ingest.identity import fold_email, normalize_email, normalize_phone, normalize_url
from givefirst.services.choices import choose
from givefirst.services.context import App
from givefirst.store import people as store

_ID = re.compile(r"^#?(\d+)$")


def resolve_person(conn: Connection, app: App, ref: str) -> int:
    """Return the id of the person `ref` names: "me", an id ("12" or "#12"), an email, or a name.

    A name matches exactly (ignoring case) first, then as part of a name; several matches are an
    AmbiguousError that lists them with their ids, so the user can pick one.
    """
    text = ref.strip()
    if not text:
        raise InvalidInputError("a person is needed: give a name, an email or an id")
    if text.lower() == "me":
        return app.me(conn)
    if m := _ID.match(text):
        pid = int(m.group(1))
        row = store.person_row(conn, pid)
        if row is None:
            raise NotFoundError(f"no person with id {pid}")
        while row.merged_into_id is not None:  # someone merged away is found where they went
            row = store.person_row(conn, row.merged_into_id)
        return int(row.id)
    if "@" in text:
        found = store.person_by_identity(conn, "email", text.lower())
        if found is None:
            raise NotFoundError(f"no person with the email {text}")
        return found
    matches = store.people_named(conn, text)
    if not matches:
        raise NotFoundError(f"no person named {text!r} (try `givefirst people --search {text.split()[0]}`)")
    if len(matches) > 1:
        listed = ", ".join(f"{name} (id {pid})" for pid, name in matches[:8])
        more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
        raise AmbiguousError(f"{text!r} matches {len(matches)} people: {listed}{more}; use an id or an email")
    return matches[0][0]


def email_problem(text: str) -> str | None:
    """Return why `text` is not an email address, in words for a form ("name@example.com" as the example), or None
    when it is one: the same check as storing it (`ingest.identity.normalize_email`)."""
    try:
        normalize_email(text)
    except InvalidInputError as exc:
        detail = str(exc).split(": ", 1)[-1]  # (after "invalid email '…'", which the form shows beside the field)
        return f"That does not look like an email address (name@example.com). {detail}"
    return None


def clean_tags(tags: Sequence[str]) -> list[str]:
    """Return tags lower-cased, trimmed, with commas splitting several in one argument."""
    out: list[str] = []
    for raw in tags:
        for part in raw.split(","):
            tag = "-".join(part.strip().lower().split())
            if tag and tag not in out:
                out.append(tag)
    return out


@dataclass
class PersonInput:
    """What a user can say about a person; None means "leave as it is" when editing."""

    name: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    organization: str | None = None
    title: str | None = None
    location: str | None = None
    tags: list[str] = field(default_factory=list)
    how_met: str | None = None
    met_on: date | None = None
    introduced_by: str | None = None
    notes: str | None = None
    tier: str | None = None  # "auto" clears an override
    cadence_days: int | None = None  # 0 clears an override
    strength: float | None = None  # negative clears an override


def _identities(app: App, data: PersonInput) -> list[tuple[str, str]]:
    found = [("email", normalize_email(e, app.settings.email_provider_rules)) for e in data.emails]
    if data.phones:  # a number typed without a country code is read in the user's region, never a guessed one
        from givefirst.services.regions import phone_region

        with app.begin() as conn:
            region = phone_region(conn, app).code
        found += [("phone", normalize_phone(p, region)) for p in data.phones]
    found += [("url", normalize_url(u)) for u in data.urls]
    return found


def _columns(conn: Connection, app: App, data: PersonInput) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if data.name is not None:
        name = " ".join(data.name.split())
        if not name:
            raise InvalidInputError("a person's name cannot be empty")
        values["name"] = name
    for key in ("title", "location", "how_met", "notes", "met_on"):
        value = getattr(data, key)
        if value is not None:
            values[key] = value.strip() or None if isinstance(value, str) else value
    if data.organization is not None:
        org = data.organization.strip()
        values["organization_id"] = store.organization_id(conn, org) if org else None
    if data.introduced_by is not None:
        values["introduced_by_id"] = resolve_person(conn, app, data.introduced_by)
    if data.tier is not None:
        if data.tier == "auto":
            values["tier_override"] = None
        else:
            values["tier_override"] = choose(Tier, data.tier, "tier", also=", or auto").value
    if data.cadence_days is not None:
        if data.cadence_days < 0:
            raise InvalidInputError("cadence must be a number of days (0 clears your override)")
        values["cadence_days"] = data.cadence_days or None
    if data.strength is not None:
        if data.strength > 1:
            raise InvalidInputError("a strength override lies between 0 and 1 (a negative value clears it)")
        values["strength_override"] = None if data.strength < 0 else data.strength
    return values


def add_person(app: App, data: PersonInput) -> int:
    """Add a person and return their id; an email, phone or URL already known is an error naming its owner."""
    if not data.name or not data.name.strip():
        raise InvalidInputError("a person needs a name")
    idents = _identities(app, data)
    with app.begin() as conn:
        app.me(conn)
        pid = store.insert_person(conn, _columns(conn, app, data), app.now)
        for kind, value in idents:
            store.add_identity(conn, pid, kind, value)
        store.add_tags(conn, pid, clean_tags(data.tags))
    return pid


def edit_person(
    app: App, ref: str, data: PersonInput, *, remove_tags: Sequence[str] = (), remove_emails: Sequence[str] = ()
) -> int:
    """Change what `data` sets on the person `ref` names (identities and tags are added); return their id."""
    idents = _identities(app, data)
    with app.begin() as conn:
        pid = resolve_person(conn, app, ref)
        values = _columns(conn, app, data)
        if values:
            store.update_person(conn, pid, values, app.now)
        for kind, value in idents:
            store.add_identity(conn, pid, kind, value)
        for email in remove_emails:
            address = normalize_email(email)
            if not (store.remove_identity(conn, pid, "email", address)
                    or store.remove_identity(conn, pid, "email", fold_email(address))):  # fmt: skip
                raise NotFoundError(f"{email} is not one of this person's emails")
        store.add_tags(conn, pid, clean_tags(data.tags))
        store.remove_tags(conn, pid, clean_tags(remove_tags))
    return pid


def set_me(app: App, data: PersonInput) -> int:
    """Make sure the user exists as a person ("me") and record what `data` says about them."""
    with app.begin() as conn:
        pid = app.me(conn)
    return edit_person(app, f"#{pid}", data)


def me_is_set(app: App) -> bool:
    """Return True once the user has said who they are (not the placeholder "Me" made on first use)."""
    with app.begin() as conn:
        pid = store.me_id(conn)
        return pid is not None and str(store.person_row(conn, pid).name) != "Me"


def tag_names(app: App) -> list[str]:
    """Return every tag in use, alphabetically (for filters and pickers)."""
    with app.begin() as conn:
        return store.tag_names(conn)


def emails_of(app: App, person_ids: Sequence[int]) -> dict[int, str]:
    """Return one email address per person, for those who have one (for mailto: links)."""
    if not person_ids:
        return {}
    with app.begin() as conn:
        return store.emails_of(conn, person_ids)


def tag_people(app: App, person_ids: Sequence[int], add: Sequence[str], remove: Sequence[str] = ()) -> int:
    """Add and remove tags on several people at once; return how many people were changed."""
    added, removed = clean_tags(add), clean_tags(remove)
    if not added and not removed:
        raise InvalidInputError("name a tag to add or remove")
    with app.begin() as conn:
        pids = sorted({resolve_person(conn, app, f"#{pid}") for pid in person_ids})
        for pid in pids:
            store.add_tags(conn, pid, added)
            store.remove_tags(conn, pid, removed)
    return len(pids)
