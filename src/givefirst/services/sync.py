"""Live sources: saved sources (an IMAP account, an address book on a server...) read again and again, each sync
adding only what is new, safe to interrupt and repeat, reporting like an import (`ImportReport`).

Writing a source kind
=====================
A kind is a module `givefirst.services.sync_<kind>` named in `KINDS` below, with a module attribute
`KIND` satisfying the `SourceKind` protocol:

- `name` ("imap"), `help` (one line for `givefirst source add --help`), `secret_required` (whether a
  password is needed: `source add` then insists on --password-env, --password-command or --keyring);
- `errors`: the exception types of its protocol library meaning "the server or the network failed"
  (besides OSError and GivefirstError, always caught): the sync is then reported as failed, never a traceback;
- `check_config(given) -> dict`: `given` holds the `source add` options the user set (host, port, user, url,
  folders, me, security, include_one_way, `extra` from `--set KEY=VALUE`, the keys of `credentials.WAYS`);
  return the JSON-able config to save (keep the credential keys as given), or raise InvalidInputError naming
  the option. Reject options that mean nothing to the kind rather than ignore them;
- `describe(config) -> str`: one line for `givefirst sources` ("me@imap.example.com: INBOX, Sent");
- `sync(job: SyncJob) -> None`: connect (`job.secret()` gives the password), find what changed since
  `job.state` (a dict of JSON values saved by earlier syncs, e.g. {"folder:INBOX": {"uidvalidity": ..}}), and
  hand it over in units of work with `job.write(unit, records, state)`.

`job.write` runs ONE transaction: it writes the records (the parsers' records of `ingest/records.py`, through
the import's own Writer, so identities, merges and "nothing twice" work as in an import) and then saves the
`state` keys given (None deletes a key). So the state never runs ahead of the data: if the connection drops
in the middle of a unit, that unit is rolled back whole and the next sync starts again from the last state
saved. Write big sources in several units (a few thousand records each), so that memory stays bounded and an
interrupted first sync keeps what it finished. `records` may be an iterable (lazily fetched from the server
inside the transaction is fine) or a function `(conn) -> iterable` when producing them needs the database;
while it runs, `job.writer` is the import's Writer of that transaction (mail kinds hand it to
`mail_import.mail_records`, which judges the two-way rule with what every earlier import and sync kept aside).
External ids must be stable across syncs (Message-ID, vCard UID, event UID), never a position on the server.
Raise a `SyncError` (or let a library error of `errors` through) to fail the sync; what was written stays.
Use `job.note(unit, origin, reason)` for a remark in the report ("UIDVALIDITY changed: folder read again").

Scheduling: a source is due `every_minutes` after its last sync finished (0: only when named);
`givefirst sync` runs the due ones, `givefirst serve` runs them in the background (web/sync_runner.py).
"""

from __future__ import annotations

import importlib
import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol

from sqlalchemy import Connection

from givefirst.errors import GivefirstError, InvalidInputError, NotFoundError
from givefirst.ingest.records import Record
from givefirst.services import credentials, tiestats
from givefirst.services.context import App
from givefirst.services.gatherings import keep_as_events
from givefirst.services.importer import (
    BULK_REFRESH,
    ImportOptions,
    ImportReport,
    Progress,
    UnitReport,
    write_records,
)  # fmt: skip
from givefirst.services.importer_writer import Tally, Writer
from givefirst.store import live_sources as store
from givefirst.store import people as people_store

# kind name -> module; the module's KIND is the SourceKind. Imported only when used.
KINDS: dict[str, str] = {
    "imap": "givefirst.services.sync_imap",
    "carddav": "givefirst.services.sync_carddav",
    "caldav": "givefirst.services.sync_caldav",
    "feed": "givefirst.services.sync_feed",
}
STALE_CLAIM = timedelta(hours=2)  # a sync "running" this long was killed: the next one may take over
DEFAULT_EVERY = 60
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,59}")

RecordSource = Iterable[Record] | Callable[[Connection], Iterable[Record]]


class SyncError(GivefirstError):
    """A source could not be read (server unreachable, refused login, a folder gone): the sync failed."""


class SourceKind(Protocol):
    name: str
    help: str
    secret_required: bool
    errors: tuple[type[BaseException], ...]

    def check_config(self, given: Mapping[str, Any]) -> dict[str, Any]: ...

    def describe(self, config: Mapping[str, Any]) -> str: ...

    def sync(self, job: SyncJob) -> None: ...


def kind_of(name: str) -> SourceKind:
    if name not in KINDS:
        raise InvalidInputError(f"unknown source kind {name!r}: use one of {', '.join(sorted(KINDS))}")
    kind: SourceKind = importlib.import_module(KINDS[name]).KIND
    return kind


@dataclass
class LiveSource:
    id: int
    name: str
    kind: str
    config: dict[str, Any]
    every_minutes: int
    running_since: datetime | None
    last_started_at: datetime | None
    last_finished_at: datetime | None
    last_result: str | None
    last_error: str | None
    last_totals: dict[str, int]

    @property
    def next_due(self) -> datetime | None:
        """When the source is next due (None: only when named); a source never synced is due at once."""
        if self.every_minutes <= 0:
            return None
        if self.last_finished_at is None:
            return datetime.min
        return self.last_finished_at + timedelta(minutes=self.every_minutes)

    def is_due(self, now: datetime) -> bool:
        due = self.next_due
        return due is not None and due <= now

    def as_dict(self) -> dict[str, Any]:
        try:
            described = kind_of(self.kind).describe(self.config)
        except InvalidInputError:
            described = ""
        due = self.next_due
        return {
            "name": self.name, "kind": self.kind, "describe": described, "config": self.config,
            "every_minutes": self.every_minutes, "running_since": self.running_since,
            "last_sync": self.last_finished_at, "last_result": self.last_result, "last_error": self.last_error,
            "last_totals": self.last_totals,
            "next_due": None if due is None else ("now" if due == datetime.min else due),
        }  # fmt: skip


def _source(row: Any) -> LiveSource:
    return LiveSource(
        id=int(row.id), name=row.name, kind=row.kind, config=json.loads(row.config),
        every_minutes=int(row.every_minutes), running_since=row.running_since, last_started_at=row.last_started_at,
        last_finished_at=row.last_finished_at, last_result=row.last_result, last_error=row.last_error,
        last_totals=json.loads(row.last_totals) if row.last_totals else {},
    )  # fmt: skip


# saved sources ---------------------------------------------------------------------------------------------
def add_source(
    app: App, name: str, kind: str, given: Mapping[str, Any], every_minutes: int = DEFAULT_EVERY,
    secret_value: str | None = None,
) -> LiveSource:  # fmt: skip
    """Save a new source; with `keyring` in `given`, `secret_value` goes to the system keyring (never the DB)."""
    if not _NAME.fullmatch(name):
        raise InvalidInputError(
            f"source name {name!r}: use letters, digits, '-', '_' or '.', at most 60, starting with a letter or digit"
        )
    if every_minutes < 0:
        raise InvalidInputError("--every takes minutes, 0 or more (0: sync only when named)")
    source_kind = kind_of(kind)
    config = source_kind.check_config({k: v for k, v in given.items() if v not in (None, "", (), [], {})})
    credentials.check_way(config, required=source_kind.secret_required)
    with app.begin() as conn:
        if store.source_by_name(conn, name) is not None:
            raise InvalidInputError(f"a source named {name} exists already (givefirst source remove {name})")
        if config.get("keyring"):
            credentials.require_keyring(name)
            if not secret_value:
                raise InvalidInputError("--keyring needs the password to store: it is asked for, or read from stdin")
            credentials.store_in_keyring(name, config, secret_value)
        store.add_source(conn, name, kind, json.dumps(config, sort_keys=True), every_minutes, app.now)
        row = store.source_by_name(conn, name)
    return _source(row)


def list_sources(app: App) -> list[LiveSource]:
    with app.begin() as conn:
        return [_source(row) for row in store.all_sources(conn)]


def get_source(app: App, name: str) -> LiveSource:
    with app.begin() as conn:
        row = store.source_by_name(conn, name)
    if row is None:
        raise NotFoundError(f"no source named {name} (givefirst sources lists them)")
    return _source(row)


BODY_KINDS = ("imap",)  # the kinds that read mail, whose bodies may be kept


def set_bodies(app: App, name: str, on: bool) -> dict[str, Any]:
    """Turn keeping mail bodies on or off for a mail source (issue 14); return what changed.

    On: the next sync reads each folder again from its start, to keep the bodies of the messages it read before
    with headers only (their message keys keep anything from being added twice). Off: no body is kept any more,
    and the bodies this source kept are deleted (what `heard` already proposed from them stays).
    """
    from givefirst.services.sync_imap import body_source
    from givefirst.store import mail as mail_store

    source = get_source(app, name)
    if source.kind not in BODY_KINDS:
        raise InvalidInputError(f"source {name} is a {source.kind} source: only mail sources (imap) have bodies")
    was = bool(source.config.get("bodies"))
    config = {k: v for k, v in source.config.items() if k != "bodies"} | ({"bodies": True} if on else {})
    forgotten = reread = 0
    with app.begin() as conn:
        store.set_config(conn, source.id, json.dumps(config, sort_keys=True))
        if on and not was:
            folders = [key for key in store.load_state(conn, source.id) if key.startswith("folder:")]
            store.save_state(conn, source.id, dict.fromkeys(folders))
            reread = len(folders)
        if not on:
            forgotten = mail_store.forget_bodies(conn, body_source(name))
    return {"source": name, "bodies": on, "changed": on != was, "folders_to_reread": reread,
            "bodies_deleted": forgotten}  # fmt: skip


def remove_source(app: App, name: str) -> LiveSource:
    """Forget a source and its sync state; everything it brought in (people, interactions) stays."""
    source = get_source(app, name)
    with app.begin() as conn:
        store.remove_source(conn, source.id)
    credentials.forget(name, source.config)
    return source


# one sync --------------------------------------------------------------------------------------------------
@dataclass
class SyncJob:
    """One sync of one source, as its kind sees it: the state so far, the secret, and `write` (see above)."""

    app: App
    source: LiveSource
    state: dict[str, Any]
    me: frozenset[str]
    options: ImportOptions
    report: ImportReport
    progress: Progress | None = None
    writer: Writer | None = None  # the Writer of the unit being written, while `write` runs (see above)
    _units: dict[str, UnitReport] = field(default_factory=dict)

    def secret(self) -> str | None:
        return credentials.secret(self.source.name, self.source.config)

    def unit(self, label: str) -> UnitReport:
        found = self._units.get(label)
        if found is None:
            found = self._units[label] = UnitReport(label, {}, [])
            self.report.units.append(found)
        return found

    def note(self, unit: str, origin: str, reason: str) -> None:
        self.unit(unit).notes.append((origin, reason, True))

    def write(self, unit: str, records: RecordSource, state: Mapping[str, Any] | None = None) -> None:
        """Write the records and then the state, in one transaction (see the module's docstring)."""
        tally = Tally()
        if isinstance(records, list | tuple) and not records:  # only the state moves: no writer to set up
            with self.app.begin() as conn:
                self._save(conn, state)
            self.unit(unit)
            return
        with self.app.begin() as conn:
            writer = self.writer = Writer(conn, self.app, tally)
            items = records(conn) if callable(records) else records
            progress = None if self.progress is None else partial(self.progress, unit)
            gatherings = write_records(writer, items, progress)
            writer.flush()
            keep_as_events(conn, gatherings, tally, self.app.now)  # as an import does, after the flush
            if len(writer.touched) > BULK_REFRESH:
                tiestats.refresh_all(conn, self.app.weights)
            else:
                tiestats.refresh(conn, writer.touched, self.app.weights)
            self._save(conn, state)
        self.writer = None
        target = self.unit(unit)
        for key, count in tally.counts.items():
            target.counts[key] = target.counts.get(key, 0) + count
        target.notes.extend(tally.notes)

    def _save(self, conn: Connection, state: Mapping[str, Any] | None) -> None:
        """Save state keys in the caller's transaction; `self.state` follows (a rollback ends the sync anyway)."""
        if not state:
            return
        encoded = {k: None if v is None else json.dumps(v, sort_keys=True) for k, v in state.items()}
        store.save_state(conn, self.source.id, encoded)
        for key, value in state.items():
            if value is None:
                self.state.pop(key, None)
            else:
                self.state[key] = value


@dataclass
class SyncResult:
    source: str
    kind: str
    report: ImportReport
    error: str | None = None
    busy: str | None = None  # another sync of this source is running: this one did nothing
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and self.busy is None

    def as_dict(self) -> dict[str, Any]:
        data = self.report.as_dict()
        return {"source": self.source, "result": "ok" if self.ok else ("busy" if self.busy else "failed"),
                "error": self.error or self.busy, "seconds": round(self.seconds, 3), **data}  # fmt: skip


def my_addresses(app: App, extra: Iterable[str] = ()) -> frozenset[str]:
    """Return the user's own addresses: those given, those on their record, those in the settings."""
    with app.begin() as conn:
        me = people_store.me_id(conn)
        own = {value for kind, value, _ in people_store.identities_of(conn, me) if kind == "email"} if me else set()
    return frozenset({a.strip().lower() for a in extra} | own | {a.lower() for a in app.settings.me_emails})


def run_sync(app: App, name: str, progress: Progress | None = None) -> SyncResult:
    """Sync one source now, whether due or not; what its units wrote stays even when a later one fails."""
    source = get_source(app, name)
    source_kind = kind_of(source.kind)
    report = ImportReport(kind=source.kind, dry_run=False)
    result = SyncResult(source.name, source.kind, report)
    with app.begin() as conn:
        if not store.claim(conn, source.id, app.now, app.now - STALE_CLAIM):
            result.busy = f"source {name}: a sync started at {source.running_since} is still running"
            return result
        state = {key: json.loads(value) for key, value in store.load_state(conn, source.id).items()}
    started = time.perf_counter()
    outcome, error = "failed", "the sync stopped unexpectedly"
    try:
        options = ImportOptions(
            me=frozenset(source.config.get("me", ())),
            two_way_only=not source.config.get("include_one_way", False),
            provider_rules=app.settings.email_provider_rules,
        )
        me = my_addresses(app, options.me)
        job = SyncJob(app, source, state, me, options, report, progress)
        try:
            source_kind.sync(job)
            outcome, error = "ok", ""
        except (GivefirstError, OSError, *source_kind.errors) as exc:  # type: ignore[misc]
            error = _describe(exc)
    finally:
        result.seconds = time.perf_counter() - started
        result.error = error or None
        with app.begin() as conn:
            store.finish(conn, source.id, app.now, outcome, result.error, json.dumps(report.totals(), sort_keys=True))
    return result


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, GivefirstError):
        return text
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    return f"{type(exc).__name__}: {text}"[:500]


def sync_sources(
    app: App, names: Iterable[str] = (), *, everything: bool = False, progress: Progress | None = None
) -> list[SyncResult]:
    """Sync the sources named, or else every due one (every one with `everything`), one after another."""
    wanted = list(names)
    if wanted:
        for name in wanted:
            get_source(app, name)  # an unknown name fails before anything runs
        chosen = wanted
    else:
        chosen = [s.name for s in list_sources(app) if everything or s.is_due(app.now)]
    return [run_sync(app, name, progress) for name in chosen]


def due_sources(app: App) -> list[str]:
    return [s.name for s in list_sources(app) if s.is_due(app.now) and s.running_since is None]
