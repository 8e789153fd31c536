"""Writing parsed records: one person per real person, one interaction per external id, nothing twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Connection

from givefirst.errors import InvalidInputError
from givefirst.ingest.identity import normalize_email, normalize_phone, normalize_url
from givefirst.ingest.names import comparable_name, split_credentials
from givefirst.ingest.records import ContactRecord, InteractionRecord, Labeled, Participant
from givefirst.services.context import App
from givefirst.services.merging import merge_in
from givefirst.services.people import clean_tags
from givefirst.store import interactions as interactions_store
from givefirst.store import people as people_store
from givefirst.store import sources as sources_store


@dataclass
class Tally:
    """What one import unit did, and why it skipped what it skipped."""

    counts: Counter[str] = field(default_factory=Counter)
    skipped: list[dict[str, str]] = field(default_factory=list)

    def skip(self, origin: str, reason: str) -> None:
        self.counts["skipped"] += 1
        self.skipped.append({"origin": origin, "reason": reason})

    def warn(self, origin: str, reason: str) -> None:
        """A record that was imported, less one detail (an unreadable birthday, a malformed address)."""
        self.counts["warnings"] += 1
        self.skipped.append({"origin": origin, "reason": reason, "imported": "yes"})


class Writer:
    """Resolves and writes records inside one transaction, with the look-up indexes kept in memory."""

    def __init__(self, conn: Connection, app: App, tally: Tally) -> None:
        self.conn, self.app, self.tally = conn, app, tally
        self.me = app.me(conn)
        self.sources = sources_store.source_index(conn)
        self.identities = sources_store.identity_index(conn)
        self.names: dict[str, list[int]] = {}
        for pid, name in sources_store.name_rows(conn):
            self.names.setdefault(comparable_name(name), []).append(pid)
        self.redirect: dict[int, int] = {}  # people merged during this import → where they went
        self.external: dict[str, set[str]] = {}
        self.touched: set[int] = set()

    # identities ----------------------------------------------------------------------------------------------
    def current(self, pid: int) -> int:
        while pid in self.redirect:
            pid = self.redirect[pid]
        return pid

    def _normalised(self, rec: ContactRecord) -> list[tuple[str, str, str | None]]:
        found: list[tuple[str, str, str | None]] = []
        for kind, items, norm in (
            ("email", rec.emails, normalize_email),
            ("phone", rec.phones, lambda v: normalize_phone(v, self.app.settings.default_region)),
        ):
            for item in items:
                try:
                    found.append((kind, norm(item.value), item.label))
                except InvalidInputError as exc:
                    self.tally.warn(rec.origin, f"{exc} (the rest of the record was kept)")
        for url in rec.urls:
            try:
                found.append(("url", normalize_url(url), None))
            except InvalidInputError as exc:
                self.tally.warn(rec.origin, f"{exc} (the rest of the record was kept)")
        return list(dict.fromkeys(found))

    def _attach(self, pid: int, kind: str, value: str, label: str | None, why: str) -> bool:
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

    # contacts ------------------------------------------------------------------------------------------------
    def contact(self, rec: ContactRecord) -> None:
        idents = self._normalised(rec)
        key = (rec.source, rec.external_id)
        known = self.sources.get(key)
        owners = list(
            dict.fromkeys(self.current(self.identities[(k, v)]) for k, v, _ in idents if (k, v) in self.identities)
        )
        if known is not None:
            pid, outcome = self.current(known), "unchanged"
        elif owners:
            pid, outcome = owners[0], "matched"
        else:
            pid, outcome = self._create(rec), "added"
        changed = False
        for kind, value, label in idents:
            changed |= self._attach(pid, kind, value, label, f"{rec.source} {rec.origin}")
        pid = self.current(pid)
        changed |= self._fill(pid, rec)
        if known is None:
            sources_store.add_source(self.conn, pid, rec.source, rec.external_id, self.app.now)
            self.sources[key] = pid
        if outcome == "unchanged" and changed:
            outcome = "updated"
        self.tally.counts[outcome] += 1
        self.touched.add(pid)

    def _create(self, rec: ContactRecord) -> int:
        name, credentials = split_credentials(rec.name)
        pid = people_store.insert_person(
            self.conn, {"name": name or rec.name, "credentials": credentials}, self.app.now
        )
        self.names.setdefault(comparable_name(name), []).append(pid)
        return pid

    def _fill(self, pid: int, rec: ContactRecord) -> bool:
        """Fill the person's empty fields from the record (never overwrite what the user wrote)."""
        row = people_store.person_row(self.conn, pid)
        _, credentials = split_credentials(rec.name)
        offered = {
            "organization_id": people_store.organization_id(self.conn, rec.organization) if rec.organization else None,
            "title": rec.title, "location": rec.location, "notes": rec.notes, "met_on": rec.met_on,
            "how_met": rec.how_met, "credentials": credentials,
        }  # fmt: skip
        values = {k: v for k, v in offered.items() if v not in (None, "") and getattr(row, k) in (None, "")}
        if values:
            people_store.update_person(self.conn, pid, values, self.app.now)
        tags = [t for t in clean_tags(rec.tags) if t not in people_store.tags_of(self.conn, pid)]
        if tags:
            people_store.add_tags(self.conn, pid, tags)
        return bool(values or tags)

    # interactions --------------------------------------------------------------------------------------------
    def _participant(self, p: Participant, source: str, origin: str) -> int | None:
        for kind, raw, norm in (("email", p.email, normalize_email), ("url", p.profile_url, normalize_url)):
            if raw:
                try:
                    value = norm(raw)
                except InvalidInputError:
                    continue
                if (kind, value) in self.identities:
                    return self.current(self.identities[(kind, value)])
        if p.name:
            same = [self.current(pid) for pid in self.names.get(comparable_name(p.name), [])]
            if len(set(same)) == 1:
                return same[0]
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
        return self.current(self.sources[(record.source, record.external_id)])

    def interaction(self, rec: InteractionRecord) -> None:
        seen = self.external.get(rec.source)
        if seen is None:
            seen = self.external[rec.source] = sources_store.external_interaction_ids(self.conn, rec.source)
        if rec.external_id in seen:
            self.tally.counts["interactions unchanged"] += 1
            return
        pids = []
        for participant in rec.participants:
            pid = self._participant(participant, rec.source, rec.origin)
            if pid is not None and pid != self.me and pid not in pids:
                pids.append(pid)
        if not pids:
            self.tally.skip(rec.origin, "nobody but you took part")
            return
        interactions_store.insert_interaction(
            self.conn, occurred_at=rec.occurred_at, kind=rec.kind, direction=rec.direction, person_ids=pids,
            summary=rec.summary[:500], source=rec.source, external_id=rec.external_id,
            planned=rec.occurred_at > self.app.now, follow_up_on=None, now=self.app.now,
        )  # fmt: skip
        seen.add(rec.external_id)
        self.touched.update(pids)
        self.tally.counts["interactions added"] += 1
