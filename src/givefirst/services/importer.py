"""Importing files: each unit (a file, or a folder/zip that belongs together) lands whole or not at all."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from givefirst.errors import GivefirstError, InvalidInputError
from givefirst.ingest.records import (
    ContactRecord,
    GatheringRecord,
    ParseIssue,
    Record,
    Unchanged,
    UnreadableFileError,
)
from givefirst.services import tiestats
from givefirst.services.context import App
from givefirst.services.gatherings import gathering_note, keep_as_events
from givefirst.services.import_rules import IssueNotes, require_my_address
from givefirst.services.importer_sources import Unit, plan_units, read_unit
from givefirst.services.importer_writer import Tally, Writer
from givefirst.services.mail_import import OwnAddressHints, mail_records
from givefirst.store import people as people_store
from givefirst.store.import_lock import claim_writes, import_lock

MAIL_KINDS = ("mbox", "maildir")
# Above this many relationships touched, recomputing everyone in two scans beats one person at a time.
BULK_REFRESH = 2000

Progress = Callable[[str, int], None]  # (unit label, records done so far)


@dataclass
class ImportOptions:
    me: frozenset[str] = frozenset()  # the user's own addresses, besides those on their record
    window_start: datetime | None = None  # recurring calendar events are expanded inside this window
    window_end: datetime | None = None
    two_way_only: bool = True  # email: only correspondents the user both wrote to and heard from
    max_recipients: int = 15
    dry_run: bool = False
    provider_rules: bool = False  # email: fold provider aliases; import_paths sets it from the settings
    max_attendees: int = 15  # calendars: a meeting with more other people is kept as an event, not as touches
    lock_wait: float = 600.0  # seconds to wait for another import of the same database to finish
    encoding: str | None = None  # contact files: the character set the user says they are in ("cp1252")
    bodies: bool = False  # mail: keep each personal message's plain text, for `givefirst heard` (issue 14)


@dataclass
class UnitReport:
    label: str
    counts: dict[str, int]
    notes: list[tuple[str, str, bool]]  # (origin, reason, imported anyway): see Tally
    error: str | None = None
    folder: str | None = None  # the folder named by the user, when this is one file found in it

    @property
    def skipped(self) -> list[dict[str, str]]:
        return [{"origin": o, "reason": r, **({"imported": "yes"} if kept else {})} for o, r, kept in self.notes]


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    units: list[UnitReport] = field(default_factory=list)
    phone_region: dict[str, str | None] = field(default_factory=dict)  # see regions.PhoneRegion.as_dict
    notices: list[str] = field(default_factory=list)  # what the import did besides its records, in words
    possibly_yours: list[dict[str, Any]] = field(default_factory=list)  # mail: addresses probably the user's

    def totals(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for unit in self.units:
            total.update(unit.counts)
        return dict(total)

    @property
    def failed(self) -> list[UnitReport]:
        """The units that make the import fail: nothing readable in what the user named.

        A file the user named fails on its own. Files found in a named folder are judged together: those that
        cannot be read are reported, and they fail the import only when nothing in the folder could be read.
        """
        readable_folders = {u.folder for u in self.units if u.folder is not None and not u.error}
        return [u for u in self.units if u.error and (u.folder is None or u.folder not in readable_folders)]

    def as_dict(self) -> dict[str, Any]:
        failed = {id(u) for u in self.failed}
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "totals": self.totals(),
            "phones": {
                **self.phone_region,
                "without_country_code": self.totals().get("phones without country code", 0),
            },
            "files": [
                {"file": u.label, "counts": u.counts, "skipped": u.skipped, "error": u.error, "failed": id(u) in failed}
                for u in self.units
            ],
            "notices": self.notices,
            "possibly_yours": self.possibly_yours,
        }


class _DryRun(Exception):
    """Raised at the end of a dry run to roll its transaction back."""


def _records(
    kind: str, unit: Unit, options: ImportOptions, me: frozenset[str], now: datetime, known: Container[str]
) -> Iterator[Record]:
    """Yield the records of one unit; each kind imports only its own parser (and its libraries).

    `known` holds the row digests already imported (see ContactRecord.digest), for the parsers that have them.
    """
    if kind == "linkedin":
        from givefirst.ingest.linkedin import parse_linkedin_export

        files = ((Path(n).name, b) for n, b in read_unit(unit))
        # ("In the future" is judged by the app's today, not the computer's clock.)
        yield from parse_linkedin_export(files, known, options.encoding, today=now.date())
    elif kind == "vcard":
        from givefirst.ingest.vcard import parse_vcards

        for name, data in read_unit(unit):
            yield from parse_vcards(data, name, options.encoding or "utf-8")
    elif kind == "ics":
        from givefirst.ingest.ics import parse_ics

        require_my_address(me, "importing a calendar")  # else the user, on their invitations, is a contact
        start = options.window_start or now - timedelta(days=3653)  # ten years: what a calendar export holds
        end = options.window_end or now + timedelta(days=90)
        for name, data in read_unit(unit):
            yield from parse_ics(data, name, me=me, window_start=start, window_end=end,
                                 max_attendees=options.max_attendees)  # fmt: skip
    else:
        from givefirst.ingest.contacts_csv import parse_contacts_csv, parse_google_csv, parse_outlook_csv

        for name, data in read_unit(unit):
            if kind == "google":
                yield from parse_google_csv(data, name, options.encoding)
            elif kind == "outlook":
                yield from parse_outlook_csv(data, name, options.encoding)
            else:  # whichever the header shows; else why not (another file's first row, a language not read)
                yield from parse_contacts_csv(data, name, options.encoding)


def _mbox_headers(unit: Unit, scan_mbox: Callable[[BinaryIO, str, bool], Iterator[Any]],
                  bodies: bool) -> Iterator[Any]:  # fmt: skip
    """Yield the raw headers of every mbox of the unit, one file after another, streaming."""
    from givefirst.ingest.records import UnreadableFileError as Unreadable

    for path in unit.paths:
        try:
            with path.open("rb") as stream:
                yield from scan_mbox(stream, str(path), bodies)
        except OSError as exc:
            raise InvalidInputError(f"{path}: cannot read ({exc.strerror})") from None
        except Unreadable as exc:
            yield ParseIssue(str(path), f"the whole file was skipped: {exc}")


def _mail(unit: Unit, kind: str, writer: Writer, options: ImportOptions, me: frozenset[str],
          hints: OwnAddressHints) -> Iterator[Record]:  # fmt: skip
    """Yield the records of a mail archive (see services/mail_import.py), its headers streamed, never held whole.

    Only a compact summary of each kept message waits for the two-way verdict: holding every parsed header block
    as well would double the memory of a large archive.
    """
    require_my_address(me, "importing mail")
    if kind == "mbox":
        from givefirst.ingest.mbox import scan_mbox

        messages: Iterator[Any] = _mbox_headers(unit, scan_mbox, options.bodies)
    else:
        from givefirst.ingest.mbox import scan_maildir_message

        messages = (scan_maildir_message(data, name, options.bodies) for name, data in read_unit(unit))
    yield from mail_records(
        writer, messages, me=me, source=kind, max_recipients=options.max_recipients,
        two_way_only=options.two_way_only, provider_rules=options.provider_rules, hints=hints,
        bodies=kind if options.bodies else None,
    )  # fmt: skip


def write_records(
    writer: Writer, records: Iterable[Record], progress: Callable[[int], None] | None = None
) -> list[GatheringRecord]:
    """Write a stream of parsed records through `writer` (an import's unit, a sync's); count in its tally.

    Return the gatherings (calendar meetings too large to be touches), which the caller keeps as events after
    the writer's flush, when their new people are known. `progress` hears the count every 200 records.
    """
    tally = writer.tally
    gatherings: list[GatheringRecord] = []
    issues = IssueNotes(tally)  # an issue about the record just written is a warning, else a skip
    for n, record in enumerate(records, 1):
        if isinstance(record, Unchanged):
            tally.counts["unchanged"] += 1
            continue
        if isinstance(record, ParseIssue):
            issues.note(record)
            continue
        issues.wrote(record.origin)
        if isinstance(record, GatheringRecord):
            gatherings.append(record)
            tally.warn(record.origin, gathering_note(record))
        elif isinstance(record, ContactRecord):
            writer.contact(record)
        else:
            writer.interaction(record)
        if progress is not None and n % 200 == 0:
            progress(n)
    return gatherings


def _naming(unit: Unit, message: str) -> str:
    """Return the message naming the file or folder it is about (a parser may only say "LinkedIn export")."""
    if unit.label in message or any(p.name in message for p in unit.paths):
        return message
    return f"{unit.label}: {message.removeprefix('LinkedIn export: ')}"


def _my_addresses(app: App, options: ImportOptions) -> tuple[frozenset[str], str | None]:
    """Return the user's addresses (given, remembered, configured) and their name, if they gave one."""
    with app.begin() as conn:
        me = people_store.me_id(conn)  # not created here: a dry run must write nothing at all
        own = {value for kind, value, _ in people_store.identities_of(conn, me) if kind == "email"} if me else set()
        row = people_store.person_row(conn, me) if me else None
    name = str(row.name) if row is not None and row.name != "Me" else None
    return frozenset({a.lower() for a in options.me} | own | set(app.settings.me_emails)), name


def _checked_encoding(kind: str, label: str) -> str:
    """Return the codec name of a character set the user named, or raise InvalidInputError saying why not."""
    import codecs

    if kind in ("ics", "mbox", "maildir"):
        raise InvalidInputError(f"--encoding is for contact files (vCard, CSV, LinkedIn); {kind} files name their own")
    try:
        info = codecs.lookup(label.strip())
    except LookupError:
        raise InvalidInputError(
            f"unknown character set {label!r}: try cp1252 (Windows, Outlook, Excel), latin-1, utf-8 or utf-16"
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise InvalidInputError(f"{label!r} is not a character set (try cp1252, latin-1, utf-8 or utf-16)")
    return info.name


def import_paths(
    app: App,
    kind: str,
    paths: list[str],
    options: ImportOptions | None = None,
    progress: Progress | None = None,
    notify: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import every unit the paths name; return what was added, updated, merged and skipped, and why.

    One import runs at a time on a database (store/import_lock.py): a second one waits for the first, saying so
    through `notify`, for up to `options.lock_wait` seconds, then raises ImportBusyError.
    """
    options = replace(options or ImportOptions(), provider_rules=app.settings.email_provider_rules)
    if options.bodies and kind not in MAIL_KINDS:
        raise InvalidInputError(f"--bodies is for mail (mbox, maildir); a {kind} import has no message bodies")
    if options.encoding is not None:
        options = replace(options, encoding=_checked_encoding(kind, options.encoding))
    units = plan_units(kind, paths)

    def waiting(holder: str) -> None:
        if notify is not None:
            notify(f"another import is running on this database ({holder or 'holder unknown'}); waiting...")

    with import_lock(app.engine, wait_seconds=options.lock_wait, on_wait=waiting):
        return _import_units(app, kind, units, options, progress)


def _import_units(
    app: App, kind: str, units: list[Unit], options: ImportOptions, progress: Progress | None
) -> ImportReport:
    report = ImportReport(kind=kind, dry_run=options.dry_run)
    if options.me and not options.dry_run:  # remembered, so that the next import needs no --me
        from givefirst.services.me import add_my_address

        for address in sorted(options.me):
            claim = add_my_address(app, address)
            if claim.notice:
                report.notices.append(claim.notice)
    me, my_name = _my_addresses(app, options)
    hints = OwnAddressHints(my_name=my_name)
    for unit in units:
        tally = Tally()
        if unit.problem is not None:
            report.units.append(UnitReport(unit.label, {}, [], error=unit.problem, folder=unit.folder))
            continue
        for origin, reason in unit.left_out:
            tally.skip(origin, f"the whole file was skipped: {Path(origin).name}: {reason}")
        try:
            with app.begin() as conn:
                claim_writes(conn)
                writer = Writer(conn, app, tally)
                report.phone_region = writer.region.as_dict()
                known = writer.known_digests() if kind == "linkedin" else frozenset()
                if kind in MAIL_KINDS:
                    records = _mail(unit, kind, writer, options, me, hints)
                else:
                    records = _records(kind, unit, options, me, app.now, known)
                gatherings = write_records(writer, records, None if progress is None else partial(progress, unit.label))
                writer.flush()
                keep_as_events(conn, gatherings, tally, app.now)  # after the flush: its new people are known
                if len(writer.touched) > BULK_REFRESH:
                    tiestats.refresh_all(conn, app.weights)
                else:
                    tiestats.refresh(conn, writer.touched, app.weights)
                if options.dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        except (UnreadableFileError, GivefirstError) as exc:
            report.units.append(UnitReport(unit.label, {}, [], error=_naming(unit, str(exc)), folder=unit.folder))
            continue
        report.units.append(UnitReport(unit.label, dict(tally.counts), tally.notes, folder=unit.folder))
    if kind in MAIL_KINDS:
        report.possibly_yours = hints.proposals(me)
    return report
