"""Exports: your people as vCards and as a spreadsheet-safe CSV, what you owe as an iCalendar feed.

The complete backup (JSON) and its restore are in `services/backup.py`. Every export returns the file's bytes;
`write_atomically` puts them in place so that a reader never sees half a file.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from givefirst import __version__
from givefirst.domain.location import STATE_NAMES, US_STATES, mentions_remote
from givefirst.errors import InvalidInputError
from givefirst.services.context import App
from givefirst.services.relationships import relationship_from_row
from givefirst.store import backup as store
from givefirst.store import interactions as interactions_store
from givefirst.store import ledger as ledger_store
from givefirst.store import people as people_store

VCARD_VERSIONS = ("4.0", "3.0")
PRODID = f"-//givefirst//givefirst {__version__}//EN"


@dataclass(frozen=True)
class Export:
    """An export's bytes and how many records (people, calendar events) it holds."""

    data: bytes
    count: int


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, so it appears whole or not at all.

    A new file is readable by its owner only (exports hold private notes); an existing file keeps its mode.
    """
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInputError(f"cannot write {path}: folder {folder} does not exist")
    if path.is_dir():
        raise InvalidInputError(f"cannot write {path}: it is a folder")
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InvalidInputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InvalidInputError(f"cannot write {path}: {exc.strerror or exc}") from None


# People -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """One person as the contact exports see them."""

    row: Any  # a `store.backup.contact_rows` row
    identities: list[tuple[str, str, str | None]]
    tags: list[str]

    def values(self, kind: str) -> list[str]:
        return [v for k, v, _ in self.identities if k == kind]


def _contacts(app: App, include_me: bool) -> list[Contact]:
    with app.begin() as conn:
        rows = store.contact_rows(conn, include_me=include_me)
        found = store.identities_by_person(conn)
        tags = people_store.tags_by_person(conn)
    return [Contact(r, found.get(int(r.id), []), tags.get(int(r.id), [])) for r in rows]


def web_address(value: str) -> str:
    """Return a stored profile URL ("linkedin.com/in/jane") as a link a browser opens ("https://…")."""
    return value if "://" in value else f"https://{value}"


_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "st.", "bin", "al"}


def split_name(name: str) -> tuple[str, str, str]:
    """Return (given, additional, family) of a full name; particles ("van der", "de la") stay with the family.

    A single word is a given name; "Ana María de la Cruz" → ("Ana", "María", "de la Cruz").
    """
    words = name.split()
    if len(words) < 2:
        return name.strip(), "", ""
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return words[0], " ".join(words[1:start]), " ".join(words[start:])


def split_place(location: str | None) -> tuple[str, str, str] | None:
    """Return (locality, region, country) of "City, ST" / "City, Country" / "City, Region, Country", else None.

    A place that is not a postal one ("Remote", "somewhere on the East Coast") gives None: it goes in a note.
    """
    if not location or mentions_remote(location):
        return None
    parts = [p.strip() for p in location.split(",") if p.strip()]
    if len(parts) == 1:
        return parts[0], "", ""
    if len(parts) == 2:
        state = parts[1].upper() in US_STATES or parts[1].lower() in STATE_NAMES
        return (parts[0], parts[1], "") if state else (parts[0], "", parts[1])
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    return None


_TOKEN = re.compile(r"[^a-z0-9-]+")
_KNOWN_TYPES = {"work", "home", "other", "cell", "voice", "fax", "pager", "text", "video", "main", "internet"}
_TYPE_ALIASES = {"mobile": "cell", "iphone": "cell", "personal": "home", "business": "work", "office": "work"}


def vcard_type(label: str | None) -> str | None:
    """Return the vCard TYPE for an identity's label: a standard type, or an x-name for anything else."""
    if not label:
        return None
    token = _TOKEN.sub("-", label.strip().lower()).strip("-")
    token = _TYPE_ALIASES.get(token, token)
    if not token:
        return None
    return token if token in _KNOWN_TYPES or token.startswith("x-") else f"x-{token}"


def vcard_of(c: Contact, version: str) -> Any:
    import vobject

    r = c.row
    card = vobject.vCard()
    card.add("version").value = version
    card.add("prodid").value = PRODID
    card.add("uid").value = f"givefirst-{r.id}"
    credentials = (r.credentials or "").strip().lstrip(",").strip()
    card.add("fn").value = f"{r.name}, {credentials}" if credentials else str(r.name)
    given, additional, family = split_name(str(r.name))
    card.add("n").value = vobject.vcard.Name(family=family, given=given, additional=additional, suffix=credentials)
    for kind, value, label in c.identities:
        kind_type = vcard_type(label)
        if kind == "email":
            prop = card.add("email")
            prop.value = value
            types = (["internet"] if version == "3.0" else []) + ([kind_type] if kind_type else [])
        elif kind == "phone":
            prop = card.add("tel")
            if version == "4.0":
                prop.value = f"tel:{value}"
                prop.params["VALUE"] = ["uri"]
            else:
                prop.value = value
            types = [kind_type] if kind_type else []
        elif kind == "url":
            prop = card.add("url")
            prop.value = web_address(value)
            types = []
        else:
            continue
        if types:
            prop.params["TYPE"] = types
    if r.organization:
        card.add("org").value = [str(r.organization)]
    if r.title:
        card.add("title").value = str(r.title)
    notes = [str(r.notes)] if r.notes else []
    place = split_place(r.location)
    if place is not None:
        locality, region, country = place
        card.add("adr").value = vobject.vcard.Address(city=locality, region=region, country=country)
    elif r.location:
        notes.append(f"Location: {r.location}")
    if notes:
        card.add("note").value = "\n\n".join(notes)
    if c.tags:
        card.add("categories").value = list(c.tags)
    if r.birthday:
        card.add("bday").value = r.birthday.isoformat()
    return card


def export_vcard(app: App, version: str = "4.0", *, include_me: bool = False) -> Export:
    """Return every current person as vCards (4.0 or 3.0), the user only with `include_me`."""
    if version not in VCARD_VERSIONS:
        raise InvalidInputError(f"unknown vCard version {version!r}: choose 4.0 or 3.0")
    contacts = _contacts(app, include_me)
    text = "".join(vcard_of(c, version).serialize() for c in contacts)
    return Export(text.encode("utf-8"), len(contacts))


CSV_COLUMNS = (
    "id", "name", "emails", "phones", "urls", "organization", "title", "location", "tags", "tier", "strength",
    "last_contact", "how_met", "notes",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Return `text` so that no spreadsheet runs it: a cell that could start a formula gets a leading apostrophe.

    Excel, LibreOffice and Google Sheets read a cell starting with =, +, -, @ (or a tab or carriage return before
    one) as a formula, and a contact named `=HYPERLINK(…)` would become a live link (OWASP "CSV injection").
    """
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def export_csv(app: App) -> Export:
    """Return one CSV row per current person (UTF-8 with a BOM, so that Excel reads accents right)."""
    contacts = _contacts(app, include_me=False)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in contacts:
        r = c.row
        rel = relationship_from_row(r, app.now, app.weights)
        last = rel.stats.last_at.date().isoformat() if rel.stats.last_at else ""
        cells: list[str | int] = [
            int(r.id), str(r.name), "; ".join(c.values("email")), "; ".join(c.values("phone")),
            "; ".join(web_address(u) for u in c.values("url")), r.organization or "", r.title or "",
            r.location or "", ", ".join(c.tags), rel.tier.value, f"{rel.strength.score:.2f}", last, r.how_met or "",
            r.notes or "",
        ]  # fmt: skip
        writer.writerow([spreadsheet_safe(v) if isinstance(v, str) else v for v in cells])
    return Export(out.getvalue().encode("utf-8-sig"), len(contacts))


# Calendar -----------------------------------------------------------------------------------------------------


def _names(names: dict[int, str], ids: Sequence[int], me: int | None) -> str:
    return ", ".join(names.get(pid, "?") for pid in ids if pid != me) or "yourself"


def export_ics(app: App, days: int = 30, exported_at: datetime | None = None) -> Export:
    """Return an iCalendar feed of what is coming: follow-ups, promised gives and planned meetings.

    Follow-ups and promised gives are all-day events on their date, still-open ones from the past included (you
    still owe them); planned meetings are timed, from today to the end of the window. Every event has a stable
    UID, so a calendar subscribed to the feed updates events instead of duplicating them. Times are written as
    they were recorded — floating local times, as you typed them.
    """
    from icalendar import Calendar, Event, vDuration

    if days < 0:
        raise InvalidInputError("--days cannot be negative")
    today = app.now.date()
    end = today + timedelta(days=days)
    stamp = (exported_at or datetime.now(UTC)).replace(microsecond=0)
    stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)  # DTSTAMP is always UTC
    with app.begin() as conn:
        me = people_store.me_id(conn)
        follow_ups = [r for r in interactions_store.open_follow_ups(conn) if r.follow_up_on <= end]
        promises = [r for r in ledger_store.open_promises(conn) if r.due_on is not None and r.due_on <= end]
        planned = [r for r in interactions_store.planned(conn) if today <= r.occurred_at.date() <= end]
        who = interactions_store.participants(conn, [r.id for r in follow_ups] + [r.id for r in planned])
        names = store.names_of(conn, [p for ids in who.values() for p in ids] + [r.person_id for r in promises])

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "givefirst")
    calendar.add("x-wr-caldesc", "What you owe your network: follow-ups, promised gives and planned meetings")
    # How often a subscribed calendar should fetch the feed again (RFC 7986, and Outlook's older property).
    calendar.add("refresh-interval", vDuration(timedelta(hours=6)), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(timedelta(hours=6)))

    def event(uid: str, summary: str, description: str, start: date | datetime, finish: date | datetime) -> None:
        item = Event()
        item.add("uid", uid)
        item.add("dtstamp", stamp)
        item.add("summary", summary)
        item.add("description", description)
        item.add("dtstart", start)
        item.add("dtend", finish)
        item.add("transp", "TRANSPARENT" if not isinstance(start, datetime) else "OPAQUE")
        calendar.add_component(item)

    for r in follow_ups:
        people = _names(names, who.get(int(r.id), []), me)
        late = " (overdue)" if r.follow_up_on < today else ""
        after = f"After: {r.summary}\n" if r.summary else ""
        event(
            f"followup-{r.id}@givefirst", f"Follow up with {people}{late}",
            f"{after}When done: givefirst done followup:{r.id}", r.follow_up_on, r.follow_up_on + timedelta(days=1),
        )  # fmt: skip
    for r in promises:
        person = names.get(int(r.person_id), "?")
        late = " (overdue)" if r.due_on < today else ""
        event(
            f"promise-{r.id}@givefirst", f"Deliver to {person}: {r.description}{late}",
            f"You promised this on {r.occurred_at.date().isoformat()}.\nWhen done: givefirst done promise:{r.id}",
            r.due_on, r.due_on + timedelta(days=1),
        )  # fmt: skip
    for r in planned:
        people = _names(names, who.get(int(r.id), []), me)
        title = r.summary or f"{str(r.kind).capitalize()} with {people}"
        event(
            f"planned-{r.id}@givefirst", title, f"{str(r.kind).capitalize()} with {people}.",
            r.occurred_at, r.occurred_at + timedelta(hours=1),
        )  # fmt: skip
    return Export(calendar.to_ical(), len(follow_ups) + len(promises) + len(planned))
