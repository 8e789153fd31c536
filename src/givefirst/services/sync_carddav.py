"""CardDAV sources: address books pulled incrementally, and edits made in givefirst pushed back.

A sync has three steps, so that an interruption never leaves anything half-written:

1. ask the server what changed (sync token, else ETags) and fetch the changed cards - nothing is written yet;
2. write them, the deletions and the new sync token in one transaction per address book;
3. push every card whose name, organization, title, emails or phones were edited in givefirst since the last
   sync, one PUT with If-Match each, recording each success as it lands.

Identity: a card is a person keyed by ("carddav:<source name>", UID), like the vCard importer's records, so that a
re-sync updates instead of duplicating, and the importer's merge by email and phone applies.

Edits are found by a three-way comparison per field: `server` is the card as last pulled or pushed, `local` the
person right after that sync. A field that differs from `local` was edited here; one whose new server value
differs from `server` was edited there. Edited on one side, that side's value goes to the other; edited on both
sides to different values, the server's version wins and the local edit is written into the person's notes and
the report. A card deleted on the server unlinks its person, who stays in givefirst with all their history.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection

from givefirst.errors import InvalidInputError
from givefirst.ingest.identity import normalize_email, normalize_phone
from givefirst.ingest.names import split_credentials
from givefirst.ingest.records import ContactRecord, ParseIssue, Record, UnreadableFileError
from givefirst.ingest.vcard import parse_vcards
from givefirst.ingest.vcard_write import CardEdit, edit_card
from givefirst.services import credentials
from givefirst.services.context import App
from givefirst.services.importer_writer import Tally, Writer
from givefirst.services.sync import SyncJob
from givefirst.services.sync_dav_client import (
    ADDRESSBOOK,
    DavConnection,
    Kind,
    PreconditionFailedError,
    SourceUnreachableError,
)
from givefirst.store import dav_state
from givefirst.store import people as people_store

FIELDS = ("name", "organization", "title", "emails", "phones")
LISTS = ("emails", "phones")
BOTH_SIDES = "edited on both sides"
_KNOWN = {"url", "user", "extra", *credentials.WAYS}


def check_dav_config(kind: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """Return the config of a CardDAV or CalDAV source: a URL, perhaps a user (and --me), where the password is."""
    unknown = sorted(k for k in set(given) - _KNOWN - ({"me"} if kind == "caldav" else set()) if given[k])
    if unknown:
        raise InvalidInputError(f"a {kind} source takes no --{unknown[0].replace('_', '-')}")
    extra = dict(given.get("extra") or {})
    if extra:
        raise InvalidInputError(f"a {kind} source has no setting {sorted(extra)[0]!r} (--set)")
    url = str(given.get("url") or "").strip()
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise InvalidInputError(f"a {kind} source needs --url http(s)://server/path (the address book's or calendar's)")
    config: dict[str, Any] = {"url": url}
    if given.get("user"):
        config["user"] = str(given["user"]).strip()
    if given.get("me"):
        config["me"] = sorted({m.strip().lower() for m in given["me"]})
    for key in credentials.WAYS:
        if given.get(key):
            config[key] = given[key]
    return config


AUTH_STATE = "auth"  # the state key that says the server took Basic credentials ("basic") on an earlier sync


def connect(job: SyncJob) -> DavConnection:
    config = job.source.config
    basic = job.state.get(AUTH_STATE) == "basic"
    return DavConnection(str(config["url"]), config.get("user"), job.secret(), basic_first=basic)


def remember_auth(job: SyncJob, dav: DavConnection, unit: str) -> None:
    """Keep whether the server took Basic credentials, so that the next sync sends them first (one round trip
    less: see `sync_dav_client`). Written only when it changes."""
    scheme = "basic" if dav.basic_auth else None
    if job.state.get(AUTH_STATE) != scheme:
        job.write(unit, [], {AUTH_STATE: scheme})


def known_collections(job: SyncJob, dav: DavConnection) -> list[str]:
    """Return [the source's URL] when an earlier sync found it to be the collection itself, else [].

    Asking again costs a request that a server like Radicale answers slowly for a large collection, and
    the sync token's REPORT fails clearly if the collection is gone. A principal or home URL is asked each time,
    so that an address book or calendar added on the server is found.
    """
    return [dav.url] if f"token:{dav.url}" in job.state else []


def source_key(kind: str, name: str) -> str:
    """Return the `source` people, interactions and events of a saved source carry (the columns hold 40)."""
    return f"{kind}:{name}"[:40]


class CardDavKind:
    name = "carddav"
    help = "a CardDAV address book (--url, --user): contacts pulled, your edits to them pushed back"
    secret_required = False  # a server on this machine may need none
    errors: tuple[type[BaseException], ...] = ()

    def check_config(self, given: Mapping[str, Any]) -> dict[str, Any]:
        return check_dav_config("carddav", given)

    def describe(self, config: Mapping[str, Any]) -> str:
        return f"{config.get('user') or 'no login'} at {config.get('url')}"

    def sync(self, job: SyncJob) -> None:
        dav = connect(job)
        books = known_collections(job, dav) or dav.collections(ADDRESSBOOK)
        if not books:
            raise SourceUnreachableError(f"{job.source.config['url']}: no address book there (give its URL)")
        for book in books:
            _pull(job, dav, book)
            _push(job, dav, book)
        remember_auth(job, dav, books[0])


KIND = CardDavKind()


# --- pull ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pulled:
    """What changed in one collection since the last sync, fetched whole before anything is written."""

    collection_id: int
    fetched: dict[str, tuple[str | None, str]]  # href -> (ETag, text) of new and changed items
    gone: list[str]  # hrefs known here that the server no longer has
    token: str | None  # the collection's new sync token


def pull_changes(job: SyncJob, dav: DavConnection, collection: str, kind: Kind) -> Pulled | None:
    """Ask the server what changed in `collection` (by sync token, else ETags) and fetch it; None: nothing did."""
    with job.app.begin() as conn:
        cid = dav_state.collection_id(conn, job.source.id, collection)
        known = dav_state.etags(conn, cid)
    token = job.state.get(f"token:{collection}")
    changes = dav.changes(collection, token, known)
    fetched = dav.fetch(collection, kind, changes.changed) if changes.changed else {}
    gone = [h for h in changes.deleted if h in known] + [h for h in changes.changed if h not in fetched and h in known]
    if not (fetched or gone) and changes.token == token:
        return None
    return Pulled(cid, fetched, gone, changes.token)


def _pull(job: SyncJob, dav: DavConnection, book: str) -> None:
    app, key = job.app, source_key("carddav", job.source.name)
    pulled = pull_changes(job, dav, book, ADDRESSBOOK)
    if pulled is None:
        return  # nothing changed: nothing to write
    cid, fetched, gone = pulled.collection_id, pulled.fetched, pulled.gone
    tally = Tally()

    def write(conn: Connection) -> list[Record]:
        """Everything of this address book lands together, with its new token (job.write's transaction)."""
        writer, same = Writer(conn, app, tally), _normaliser(app)
        prior = dav_state.items(conn, cid)
        where = dav_state.current_people(conn, [int(p.person_id) for p in prior.values() if p.person_id])
        new: list[tuple[str, str | None, str, ContactRecord]] = []
        for href, (etag, text) in sorted(fetched.items()):
            record = _record(text, href, key, tally)
            if record is None:
                continue
            pid = where.get(int(prior[href].person_id)) if href in prior and prior[href].person_id else None
            if pid is None:  # a new card, or one whose person was deleted here: the importer's path, in batches
                writer.contact(record)
                new.append((href, etag, text, record))
            else:
                _apply(conn, app, writer, same, (cid, href, etag, text), (record, prior[href], pid), tally)
        writer.flush()
        pids = {href: writer.current(writer.sources[(r.source, r.external_id)][0]) for href, _, _, r in new}
        fields = dav_state.person_fields(conn, pids.values())
        for href, etag, text, record in new:
            values = {"etag": etag, "uid": record.external_id, "person_id": pids[href],
                      "server": _server_fields(record, same), "local": fields[pids[href]], "raw": text}  # fmt: skip
            dav_state.save_item(conn, cid, href, values, new=href not in prior)
        for href in gone:
            _forget(conn, cid, href, key, tally)
        return []

    job.write(book, write, {f"token:{book}": pulled.token})
    add_to_report(job, book, tally)
    both = [reason for _, reason, _ in tally.notes if reason.startswith(BOTH_SIDES)]
    if both:  # said once for the unit too, where the CLI shows it
        names = ", ".join(reason.split("your edit is in ", 1)[-1].split("'s notes", 1)[0] for reason in both)
        job.note(book, book, f"{len(both)} edited both here and on the server: the server's version was kept and "
                             f"your edit written into their notes ({names})")  # fmt: skip


def add_to_report(job: SyncJob, unit: str, tally: Tally) -> None:
    """Add what a step of the sync did to the unit's report."""
    target = job.unit(unit)
    for name, count in tally.counts.items():
        target.counts[name] = target.counts.get(name, 0) + count
    target.notes.extend(tally.notes)


def _record(text: str, href: str, key: str, tally: Tally) -> ContactRecord | None:
    """Return the contact of one card resource, or None (with the reason in the report)."""
    name = href.rsplit("/", 1)[-1]
    try:
        records = list(parse_vcards(text.encode("utf-8"), name))
    except UnreadableFileError as exc:
        tally.skip(href, str(exc))
        return None
    for record in records:
        if isinstance(record, ParseIssue):
            tally.skip(href, record.reason)
        elif isinstance(record, ContactRecord):
            uid = record.external_id if record.external_id != record.origin else href
            return replace(record, source=key, external_id=uid, origin=href)
    return None


Normaliser = Callable[[str, str], str]  # (kind, value) -> the value as identities store it


def _server_fields(record: ContactRecord, same: Normaliser) -> dict[str, Any]:
    """Return the five fields of a card as givefirst stores them (emails and phones normalised, sorted)."""
    found: dict[str, set[str]] = {"email": set(), "phone": set()}
    for kind, values in (("email", record.emails), ("phone", record.phones)):
        for item in values:
            with contextlib.suppress(InvalidInputError):  # the import reports it; here it only cannot be compared
                found[kind].add(same(kind, item.value))
    return {"name": record.name, "organization": record.organization or "", "title": record.title or "",
            "emails": sorted(found["email"]), "phones": sorted(found["phone"])}  # fmt: skip


def _apply(conn: Connection, app: App, writer: Writer, same: Normaliser, item: tuple[int, str, str | None, str],
           known: tuple[ContactRecord, Any, int], tally: Tally) -> None:  # fmt: skip
    """Write a card changed on the server into its person: the server's edits merged with the local ones."""
    cid, href, etag, text = item
    record, prior, pid = known
    server = _server_fields(record, same)
    old_server, old_local = dav_state.loads(prior.server), dav_state.loads(prior.local)
    local = dav_state.person_fields(conn, [pid])[pid]
    conflicts, changed = [], False
    for field in FIELDS:
        there, here = server[field] != old_server.get(field), local[field] != old_local.get(field)
        if there and here and server[field] != local[field]:
            conflicts.append((field, local[field], server[field]))
        if there and (not here or server[field] != local[field]):
            _set_local(conn, app, writer, pid, field, local[field], server[field], record)
            changed = True
    if conflicts:
        _keep_in_notes(conn, app, pid, conflicts, tally, href)
    # location, notes, birthday, tags: filled when empty, as an import does (the five fields are settled above)
    changed |= writer.fill(pid, replace(record, organization=None, title=None))
    pid = writer.current(pid)
    tally.counts["updated" if changed else "unchanged"] += 1
    local_now = dav_state.person_fields(conn, [pid])[pid]
    dav_state.save_item(conn, cid, href, {"etag": etag, "uid": record.external_id, "person_id": pid,
                                          "server": server, "local": local_now, "raw": text})  # fmt: skip


def _set_local(conn: Connection, app: App, writer: Writer, pid: int, field: str, old: Any, new: Any,
               record: ContactRecord) -> None:  # fmt: skip
    """Give the person the server's value of one field (for emails and phones: what it added and removed)."""
    if field == "name":
        name, credentials = split_credentials(new)
        people_store.update_person(conn, pid, {"name": name or new, "credentials": credentials}, app.now)
    elif field == "organization":
        people_store.update_person(conn, pid, {"organization_id": writer.organization_id(new)}, app.now)
    elif field == "title":
        people_store.update_person(conn, pid, {"title": new or None}, app.now)
    else:
        kind = "email" if field == "emails" else "phone"
        for value in set(old) - set(new):
            people_store.remove_identity(conn, pid, kind, value)
            writer.identities.pop((kind, value), None)
        for value in sorted(set(new) - set(old)):
            writer.attach(writer.current(pid), kind, value, None, f"{record.source} {record.origin}")


def _keep_in_notes(conn: Connection, app: App, pid: int, conflicts: list[tuple[str, Any, Any]], tally: Tally,
                   href: str) -> None:  # fmt: skip
    """Write the local edits the server's version replaced into the person's notes, and say so in the report."""
    said = "; ".join(f"{field} was {_shown(mine)} here, {_shown(theirs)} on the server"
                     for field, mine, theirs in conflicts)  # fmt: skip
    row = people_store.person_row(conn, pid)
    line = f"[{app.now:%Y-%m-%d}] Edited here and on the address book server; the server's version was kept: {said}."
    notes = f"{row.notes}\n\n{line}" if row.notes else line
    people_store.update_person(conn, pid, {"notes": notes}, app.now)
    tally.counts["conflicts"] += 1
    tally.warn(href, f"{BOTH_SIDES}, the server's version kept; your edit is in {row.name}'s notes ({said})")


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value) if value else "(none)"
    return repr(value) if value else "(empty)"


def _forget(conn: Connection, cid: int, href: str, key: str, tally: Tally) -> None:
    prior = dav_state.item(conn, cid, href)
    if prior is None:
        return
    dav_state.unlink_person(conn, key, str(prior.uid or href))
    dav_state.delete_item(conn, cid, href)
    tally.counts["removed"] += 1
    tally.warn(href, "deleted on the server: the person stays in givefirst, no longer linked to the address book")


# --- push ------------------------------------------------------------------------------------------------------


def pending_edits(conn: Connection, collection_id: int) -> list[tuple[Any, dict[str, Any]]]:
    """Return (item, fields now) for every card of the address book whose person was edited since the last sync."""
    cards = dav_state.linked_items(conn, collection_id)
    where = dav_state.current_people(conn, [int(c.person_id) for c in cards])
    now = {int(c.id): where.get(int(c.person_id)) for c in cards}
    fields = dav_state.person_fields(conn, [p for p in now.values() if p is not None])
    found = []
    for card in cards:
        pid = now[int(card.id)]
        if pid is not None and fields.get(pid) != dav_state.loads(card.local):
            found.append((card, fields[pid]))
    return found


def _push(job: SyncJob, dav: DavConnection, book: str) -> None:
    app, tally = job.app, Tally()
    with app.begin() as conn:
        cid = dav_state.collection_id(conn, job.source.id, book)
        pending = pending_edits(conn, cid)
    same = _normaliser(app)
    try:
        for card, fields in pending:
            local = dav_state.loads(card.local)
            changed = [f for f in FIELDS if fields[f] != local.get(f)]
            values: dict[str, Any] = {f: tuple(fields[f]) if f in LISTS else fields[f] for f in changed}
            try:
                text = edit_card(str(card.raw), CardEdit(**values), same)
            except UnreadableFileError as exc:
                tally.skip(str(card.href), str(exc))
                continue
            try:
                etag = dav.put(str(card.href), text, card.etag, ADDRESSBOOK)
            except PreconditionFailedError:
                tally.warn(
                    str(card.href), "changed on the server while your edit was pushed; the next sync merges them"
                )
                continue
            if etag is None:  # the server did not say: ask, so that the next push can still use If-Match
                etag = dav.fetch(book, ADDRESSBOOK, [str(card.href)]).get(str(card.href), (None, ""))[0]
            record = _record(text, str(card.href), source_key("carddav", job.source.name), Tally())
            server = _server_fields(record, same) if record is not None else fields
            with app.begin() as conn:  # each push is recorded as it lands: an interruption loses none
                dav_state.save_item(conn, cid, str(card.href), {"etag": etag, "server": server, "local": fields,
                                                                "raw": text})  # fmt: skip
            tally.counts["pushed"] += 1
    finally:
        add_to_report(job, book, tally)


def _normaliser(app: App) -> Normaliser:
    email = functools.partial(normalize_email, provider_rules=app.settings.email_provider_rules)
    phone = functools.partial(normalize_phone, region=app.settings.default_region)
    return lambda kind, value: email(value) if kind == "email" else phone(value)
