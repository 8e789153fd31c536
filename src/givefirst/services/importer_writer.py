"""Writing parsed records: one person per real person, one interaction per external id, nothing twice.

New people and new interactions are buffered and written a thousand at a time (an address book of 30,000 in a
few seconds); a record already imported and unchanged since is recognised by its fingerprint without a query.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from givefirst.domain.model import InteractionKind
from givefirst.errors import InvalidInputError
from givefirst.ingest.identity import fold_email, normalize_email, normalize_url, read_phone, region_of_location
from givefirst.ingest.names import comparable_name, split_credentials
from givefirst.ingest.records import ContactRecord, InteractionRecord, Labeled, Participant
from givefirst.services.context import App
from givefirst.services.merging import merge_in
from givefirst.services.people import clean_tags
from givefirst.services.regions import phone_region
from givefirst.store import bulk
from givefirst.store import interactions as interactions_store
from givefirst.store import mail as mail_store
from givefirst.store import people as people_store
from givefirst.store import sources as sources_store

BATCH = 1000
_EMAIL = InteractionKind.EMAIL.value

Identity = tuple[str, str, str | None]  # kind, normalised value, label


@dataclass
class Tally:
    """What one import unit did, and why it skipped what it skipped."""

    counts: Counter[str] = field(default_factory=Counter)
    # (origin, reason, imported): tuples with the reasons interned, since an archive can skip 100,000 messages
    # for a dozen reasons and every one of them goes into the report.
    notes: list[tuple[str, str, bool]] = field(default_factory=list)

    def skip(self, origin: str, reason: str) -> None:
        self.counts["skipped"] += 1
        self.notes.append((origin, sys.intern(reason), False))

    def warn(self, origin: str, reason: str) -> None:
        """A record that was imported, less one detail (an unreadable birthday, a malformed address)."""
        self.counts["warnings"] += 1
        self.notes.append((origin, sys.intern(reason), True))


def fingerprint(rec: ContactRecord, region: str | None = None) -> str:
    """Return a digest of what a record says (not where it sat in the file).

    A record with a phone number written without a country code says something else in another region: the
    region is part of its digest, so that setting the region and importing again reads such numbers anew.
    Built from plain values rather than the dataclass's own repr, which is several times slower, and this runs
    for every row of every import.
    """
    said: tuple[object, ...] = (
        rec.source, rec.external_id, rec.name, tuple((e.value, e.label) for e in rec.emails),
        tuple((p.value, p.label) for p in rec.phones), rec.urls, rec.organization, rec.title, rec.location,
        rec.notes, str(rec.birthday), str(rec.met_on), rec.how_met, rec.tags,
    )  # fmt: skip
    if any(not p.value.lstrip().startswith("+") for p in rec.phones):
        said += (f"region:{region}",)
    said += (_READING,)
    return hashlib.sha1(repr(said).encode(), usedforsecurity=False).hexdigest()


# In every fingerprint: a change to how records are read makes records imported before read anew once
# (names-2: names in capitals keep every word, and names an older rule cut in two are given back).
_READING = "names-2"


@dataclass
class _NewPerson:
    values: dict[str, Any]
    organization: str | None  # written with the batch, so that thousands of new employers cost one statement
    idents: list[Identity]
    tags: list[str]
    source: tuple[str, str]
    fingerprint: str


class Writer:
    """Resolves and writes records inside one transaction, with the look-up indexes kept in memory."""

    def __init__(self, conn: Connection, app: App, tally: Tally) -> None:
        self.conn, self.app, self.tally = conn, app, tally
        self.me = app.me(conn)
        self.sources = sources_store.source_index(conn)
        self.identities = sources_store.identity_index(conn)
        self.fold = app.settings.email_provider_rules
        if self.fold:  # addresses stored before the rule was turned on still find their owner
            for (kind, value), pid in list(self.identities.items()):
                if kind == "email":
                    self.identities.setdefault((kind, fold_email(value)), pid)
        self._names: dict[str, list[int]] | None = None  # built on first use: only messages need it
        self.orgs = bulk.organization_ids(conn)
        self.tags = bulk.tag_ids(conn)
        self.redirect: dict[int, int] = {}  # people merged during this import → where they went
        self.external: dict[str, set[str]] = {}
        self.touched: set[int] = set()  # people whose interactions changed: their statistics need recomputing
        self.pending: list[_NewPerson] = []
        self.pending_keys: set[tuple[str, str]] = set()  # identities and sources of buffered people
        self.pending_interactions: list[tuple[dict[str, Any], list[int]]] = []
        self.fingerprints: list[tuple[str, str, str]] = []  # (source, external id, fingerprint) to update
        self.region = phone_region(conn, app)  # for numbers written without a country code
        self.seen: set[tuple[str, str]] = set()  # (source, external id) of the records of this import
        self._message_ids: dict[str, int] | None = None  # email message key -> interaction id, loaded on first use
        self._message_links: dict[int, tuple[str, set[int]]] | None = None  # id -> (direction, people): likewise
        self.buffered_keys: set[str] = set()  # message keys of the buffered interactions
        self.quiet = False  # while set, an email already stored as it is is not counted as unchanged
        self._details: dict[str, dict[str, str]] = {}  # source -> {external id: details}, loaded on first use

    @property
    def names(self) -> dict[str, list[int]]:
        """Return {comparable name: person ids}, for finding message participants known only by name."""
        if self._names is None:
            self.flush()
            self._names = {}
            for pid, name in sources_store.name_rows(self.conn):
                self._names.setdefault(comparable_name(name), []).append(pid)
        return self._names

    # identities ----------------------------------------------------------------------------------------------
    def knows(self, address: str) -> bool:
        """Return True when an email address belongs to someone in the network (not the user)."""
        try:
            value = normalize_email(address, provider_rules=self.fold)
        except InvalidInputError:
            return False
        if ("email", value) in self.pending_keys:
            self.flush()
        owner = self.identities.get(("email", value))
        return owner is not None and self.current(owner) != self.me

    def current(self, pid: int) -> int:
        while pid in self.redirect:
            pid = self.redirect[pid]
        return pid

    def _region_for(self, rec: ContactRecord) -> str | None:
        """Return the region a record's local numbers are read in: the country of its own address, else the user's.

        A contact in "Tampa, FL" has American numbers even in the address book of someone in Pune.
        """
        return region_of_location(rec.location) or self.region.code

    def _normalised(self, rec: ContactRecord) -> tuple[list[Identity], list[str]]:
        """Return the record's identities, and the numbers as written that a region now gives a country.

        A number without a country code is read in the user's region; with none known it stays as written (an
        identity of its own, never +1 or any other country by default).
        """
        found: list[Identity] = []
        superseded: list[str] = []
        email: Callable[[str], str] = functools.partial(normalize_email, provider_rules=self.fold)
        for item in rec.emails:
            try:
                found.append(("email", email(item.value), item.label))
            except InvalidInputError as exc:
                self.tally.warn(rec.origin, f"{exc} (the rest of the record was kept)")
        for item in rec.phones:
            try:
                phone = read_phone(item.value, self._region_for(rec))
            except InvalidInputError as exc:
                self.tally.warn(rec.origin, f"{exc} (the rest of the record was kept)")
                continue
            if phone.local:
                self.tally.counts["phones without country code"] += 1
                if phone.has_country:  # imported before as written, when no region was known
                    superseded.append(" ".join(item.value.split()))
            found.append(("phone", phone.value, item.label))
        for url in rec.urls:
            try:
                found.append(("url", normalize_url(url), None))
            except InvalidInputError as exc:
                self.tally.warn(rec.origin, f"{exc} (the rest of the record was kept)")
        unique: dict[tuple[str, str], Identity] = {}
        for ident in found:
            unique.setdefault((ident[0], ident[1]), ident)
        return list(unique.values()), superseded

    def attach(self, pid: int, kind: str, value: str, label: str | None, why: str) -> bool:
        """Give `pid` an identity; when someone else has it, they are the same person: merge them in."""
        owner = self.identities.get((kind, value))
        owner = None if owner is None else self.current(owner)
        if owner == pid:
            return False
        if owner is not None:
            kept, merged = (owner, pid) if owner == self.me else (pid, owner)
            merge_in(self.conn, self.app, kept, merged, f"same {kind} {value} ({why})")
            self.redirect[merged] = kept
            for key, holder in list(self.identities.items()):
                if holder == merged:
                    self.identities[key] = kept
            self.tally.counts["merged"] += 1
            return True
        people_store.add_identity(self.conn, pid, kind, value, label)
        self.identities[(kind, value)] = pid
        return True

    def organization_id(self, name: str | None) -> int | None:
        if not name or not name.strip():
            return None
        key = name.strip().lower()
        if key not in self.orgs:  # every known organization is in the cache: this one is new
            self.orgs[key] = bulk.insert_organization(self.conn, name)
        return self.orgs[key]

    # contacts ------------------------------------------------------------------------------------------------
    def known_digests(self) -> frozenset[str]:
        """Return what every imported record was last fingerprinted as (a parser's row digest, or `fingerprint`)."""
        return frozenset(digest for _, digest in self.sources.values() if digest)

    def contact(self, rec: ContactRecord) -> None:
        key = (rec.source, rec.external_id)
        digest = rec.digest or fingerprint(rec, self._region_for(rec))
        known = self.sources.get(key)
        # The same record twice in one import (a card exported twice, a repeated row) is not "unchanged": that
        # word is for what an earlier import brought in.
        again = key in self.seen
        self.seen.add(key)
        if known is not None and known[1] == digest:
            self.tally.counts["repeated" if again else "unchanged"] += 1
            return
        idents, superseded = self._normalised(rec)
        if key in self.pending_keys or any((k, v) in self.pending_keys for k, v, _ in idents):
            self.flush()  # it refers to someone still in the buffer: write them first
            known = self.sources.get(key)
        owners = list(dict.fromkeys(self.current(self.identities[(k, v)]) for k, v, _ in idents
                                    if (k, v) in self.identities))  # fmt: skip
        if known is None and not owners:
            self._buffer(rec, idents, key, digest)
            return
        pid, outcome = (self.current(known[0]), "unchanged") if known is not None else (owners[0], "matched")
        changed = False
        for kind, value, label in idents:
            changed |= self.attach(pid, kind, value, label, f"{rec.source} {rec.origin}")
        pid = self.current(pid)
        for written in superseded:  # the number now has its country: the form as written has done its job
            holder = self.identities.get(("phone", written))
            if holder is not None and self.current(holder) == pid:
                people_store.remove_identity(self.conn, pid, "phone", written)
                del self.identities[("phone", written)]
                changed = True
        changed |= self._whole_name(pid, rec)
        changed |= self.fill(pid, rec)
        if known is None:
            sources_store.add_source(self.conn, pid, rec.source, rec.external_id, self.app.now, digest)
        else:
            self.fingerprints.append((rec.source, rec.external_id, digest))  # written with the next flush
        self.sources[key] = (pid, digest)
        if outcome == "unchanged" and changed:
            outcome = "updated"
        if again:
            outcome = "repeated"
        self.tally.counts[outcome] += 1

    def _buffer(self, rec: ContactRecord, idents: list[Identity], key: tuple[str, str], digest: str) -> None:
        name, credentials = split_credentials(rec.name)
        values = {
            "name": name or rec.name,
            "credentials": credentials,
            "title": rec.title,
            "location": rec.location,
            "notes": rec.notes,
            "met_on": rec.met_on,
            "how_met": rec.how_met,
            "birthday": rec.birthday,
            "created_at": self.app.now,
            "updated_at": self.app.now,
        }  # fmt: skip
        organization = rec.organization.strip() if rec.organization and rec.organization.strip() else None
        self.pending.append(_NewPerson(values, organization, idents, clean_tags(rec.tags), key, digest))
        self.pending_keys.add(key)
        self.pending_keys.update((k, v) for k, v, _ in idents)
        self.tally.counts["added"] += 1
        if len(self.pending) >= BATCH:
            self.flush()

    def _whole_name(self, pid: int, rec: ContactRecord) -> bool:
        """Give back the words an older rule cut off a name as "credentials" ("NGUYEN THI" + "MINH ANH").

        Only when the stored name and credentials are exactly this record's name cut in two, and the rule of today
        cuts it elsewhere: a name the user edited is left alone.
        """
        row = people_store.person_row(self.conn, pid)
        if row is None or not row.credentials:
            return False
        name, credentials = split_credentials(rec.name)
        written = " ".join(rec.name.split())
        was_cut = written in (f"{row.name} {row.credentials}", f"{row.name}, {row.credentials}")
        if not was_cut or (name, credentials) == (row.name, row.credentials):
            return False
        people_store.update_person(self.conn, pid, {"name": name, "credentials": credentials}, self.app.now)
        return True

    def fill(self, pid: int, rec: ContactRecord) -> bool:
        """Fill the person's empty fields from the record (never overwrite what the user wrote)."""
        row = people_store.person_row(self.conn, pid)
        _, credentials = split_credentials(rec.name)
        offered = {
            "organization_id": self.organization_id(rec.organization), "title": rec.title, "location": rec.location,
            "notes": rec.notes, "met_on": rec.met_on, "how_met": rec.how_met, "credentials": credentials,
            "birthday": rec.birthday,
        }  # fmt: skip
        values = {k: v for k, v in offered.items() if v not in (None, "") and getattr(row, k) in (None, "")}
        if values:
            people_store.update_person(self.conn, pid, values, self.app.now)
        tags = [t for t in clean_tags(rec.tags) if t not in people_store.tags_of(self.conn, pid)]
        if tags:
            people_store.add_tags(self.conn, pid, tags)
        return bool(values or tags)

    # writing the buffers -------------------------------------------------------------------------------------
    def flush(self) -> None:
        """Write the buffered people, interactions and fingerprints."""
        if self.fingerprints:
            bulk.set_fingerprints(self.conn, self.fingerprints, self.app.now)
            self.fingerprints.clear()
        if self.pending:
            new_orgs = list(dict.fromkeys(p.organization for p in self.pending
                                          if p.organization and p.organization.lower() not in self.orgs))  # fmt: skip
            new_orgs = list({name.lower(): name for name in new_orgs}.values())
            for name, oid in zip(new_orgs, bulk.insert_organizations(self.conn, new_orgs), strict=True):
                self.orgs[name.lower()] = oid
            for p in self.pending:
                p.values["organization_id"] = self.orgs[p.organization.lower()] if p.organization else None
            ids = bulk.insert_people(self.conn, [p.values for p in self.pending])
            idents, sources, person_tags = [], [], []
            for pid, p in zip(ids, self.pending, strict=True):
                for kind, value, label in p.idents:
                    idents.append({"person_id": pid, "kind": kind, "value": value, "label": label})
                    self.identities[(kind, value)] = pid
                sources.append({"person_id": pid, "source": p.source[0], "external_id": p.source[1],
                                "fingerprint": p.fingerprint, "imported_at": self.app.now})  # fmt: skip
                self.sources[p.source] = (pid, p.fingerprint)
                for tag in p.tags:
                    if tag not in self.tags:
                        self.tags[tag] = people_store.tag_id(self.conn, tag)
                    person_tags.append({"person_id": pid, "tag_id": self.tags[tag]})
                if self._names is not None:
                    self._names.setdefault(comparable_name(p.values["name"]), []).append(pid)
            bulk.insert_rows(self.conn, "identities", idents)
            bulk.insert_rows(self.conn, "person_sources", sources)
            bulk.insert_rows(self.conn, "person_tags", person_tags)
            self.pending.clear()
            self.pending_keys.clear()
        if self.pending_interactions:
            ids = bulk.insert_interactions(self.conn, [row for row, _ in self.pending_interactions])
            pairs = list(zip(ids, self.pending_interactions, strict=True))
            links = [{"interaction_id": iid, "person_id": pid} for iid, (_, pids) in pairs for pid in pids]
            bulk.insert_rows(self.conn, "interaction_people", links)
            for iid, (row, pids) in pairs:
                key = row["message_key"]
                if key is not None:
                    if self._message_ids is not None:
                        self._message_ids[key] = iid
                    if self._message_links is not None:
                        self._message_links[iid] = (row["direction"], set(pids))
            self.pending_interactions.clear()
            self.buffered_keys.clear()

    # interactions --------------------------------------------------------------------------------------------
    def _participant(self, p: Participant, source: str, origin: str) -> int | None:
        email = functools.partial(normalize_email, provider_rules=self.fold)
        for kind, raw, norm in (("email", p.email, email), ("url", p.profile_url, normalize_url)):
            if raw:
                try:
                    value = norm(raw)
                except InvalidInputError:
                    continue
                if (kind, value) in self.pending_keys:
                    self.flush()
                if (kind, value) in self.identities:
                    return self.current(self.identities[(kind, value)])
        if p.name and not p.email:
            # A name alone (LinkedIn messages name people, and older exports give no profile URL) finds the one
            # person of that name. An unknown email address never does: that would merge namesakes silently;
            # they become a new person and `merge --review` proposes the pair.
            if self.pending:
                self.flush()
            same = {self.current(pid) for pid in self.names.get(comparable_name(p.name), [])}
            if len(same) == 1:
                pid = same.pop()
                if p.profile_url:
                    with contextlib.suppress(InvalidInputError):
                        self.attach(pid, "url", normalize_url(p.profile_url), None, f"{source} {origin}")
                return pid
        if not (p.name or p.email or p.profile_url):
            return None
        # Someone the user actually corresponded or met with, not yet known: they become a person.
        email_local = (p.email or "").split("@")[0].replace(".", " ").title()
        record = ContactRecord(
            source=source, external_id=f"participant:{p.email or p.profile_url or p.name}", origin=origin,
            name=p.name or email_local or "Unknown", emails=() if not p.email else (Labeled(p.email),),
            urls=() if not p.profile_url else (p.profile_url,),
        )  # fmt: skip
        self.contact(record)
        self.flush()
        return self.current(self.sources[(record.source, record.external_id)][0])

    def interaction(self, rec: InteractionRecord) -> None:
        if rec.kind == _EMAIL and rec.external_id:
            self._message(rec)
            return
        seen = self.external.get(rec.source)
        if seen is None:
            seen = self.external[rec.source] = sources_store.external_interaction_ids(self.conn, rec.source)
        if rec.external_id in seen:
            changed = bool(rec.details) and self._new_details(rec)
            self.tally.counts["interactions updated" if changed else "interactions unchanged"] += 1
            return
        pids = self._people(rec)
        if not pids:
            self.tally.skip(rec.origin, "nobody but you took part")
            return
        self._add_interaction(rec, pids, None)
        seen.add(rec.external_id)

    def _new_details(self, rec: InteractionRecord) -> bool:
        """Store a description a stored interaction did not have (an .ics imported before descriptions were
        kept, or edited since); return True when it changed."""
        held = self._details.get(rec.source)
        if held is None:
            held = self._details[rec.source] = interactions_store.details_of(self.conn, rec.source)
        if held.get(rec.external_id, "") == rec.details[:8000]:
            return False
        self.flush()  # the interaction may still be in the buffer
        interactions_store.set_details(self.conn, rec.source, rec.external_id, rec.details[:8000])
        held[rec.external_id] = rec.details[:8000]
        return True

    def _people(self, rec: InteractionRecord) -> list[int]:
        pids: list[int] = []
        for participant in rec.participants:
            pid = self._participant(participant, rec.source, rec.origin)
            if pid is not None and pid != self.me and pid not in pids:
                pids.append(pid)
        return pids

    def _add_interaction(self, rec: InteractionRecord, pids: list[int], message_key: str | None) -> None:
        row = {
            "occurred_at": rec.occurred_at, "kind": rec.kind, "direction": rec.direction, "summary": rec.summary[:8000],
            "source": rec.source, "external_id": rec.external_id, "planned": rec.occurred_at > self.app.now,
            "follow_up_on": None, "follow_up_done": False, "created_at": self.app.now, "message_key": message_key,
            "details": rec.details[:8000] or None,
        }  # fmt: skip
        self.pending_interactions.append((row, pids))
        self.touched.update(pids)
        self.tally.counts["interactions added"] += 1
        if len(self.pending_interactions) >= BATCH:
            self.flush()

    # email: one interaction per message, whatever file, format or folder brought it ------------------------------
    def message_ids(self) -> dict[str, int]:
        """Return {message key: interaction id} of the email interactions stored so far."""
        if self._message_ids is None:
            self._message_ids = mail_store.message_index(self.conn)
        return self._message_ids

    def rename_message(self, old: str, new: str) -> None:
        """Give the interaction stored under key `old` the key `new` (a key of an earlier version)."""
        ids = self.message_ids()
        iid = ids.pop(old)
        mail_store.set_message_key(self.conn, iid, new)
        ids[new] = iid

    def _message(self, rec: InteractionRecord) -> None:
        """Write an email: a new interaction, or the people and direction a later import knows of a stored one."""
        key = rec.external_id
        if key in self.buffered_keys:
            self.flush()
        pids = self._people(rec)
        iid = self.message_ids().get(key)
        if iid is None:
            if not pids:
                self.tally.skip(rec.origin, "nobody but you took part")
                return
            self._add_interaction(rec, pids, key)
            self.buffered_keys.add(key)
            return
        if self._message_links is None:
            self._message_links = mail_store.message_links(self.conn)
        direction, present = self._message_links.setdefault(iid, (rec.direction, set()))
        if self.redirect:  # someone merged during this import
            present = {self.current(pid) for pid in present}
        new = [pid for pid in pids if pid not in present]
        if new:  # someone on it who did not count when it was first stored, and counts now
            mail_store.add_links(self.conn, iid, new)
            present.update(new)
        if direction != rec.direction:  # an address found to be the user's since: the message was theirs
            mail_store.set_direction(self.conn, iid, rec.direction)
        self._message_links[iid] = (rec.direction, present)
        if new or direction != rec.direction:
            self.touched.update(present)
            self.tally.counts["interactions updated"] += 1
        elif not self.quiet:
            self.tally.counts["interactions unchanged"] += 1
