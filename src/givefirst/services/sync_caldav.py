"""CalDAV sources: calendars pulled incrementally (sync token, else ETags), read as the ics importer reads files.

Each calendar object (one event with its changed occurrences) goes through the iCalendar parsers in use:

- a meeting with attendees becomes interactions with them, exactly as `givefirst import ics` makes them
  (`ingest.ics`: same ids, same window, same rules for cancelled, declined and personal events);
- an event without attendees becomes an event (`ingest.ics_events`, stored by `services.events.store_events`),
  for `givefirst events` to triage;
- what the parser says about them is reported as the import reports it (`services.import_rules`): a detail lost
  on a meeting that was imported (a time zone guessed, an invalid attendee left out) is a warning, an event not
  imported (cancelled, declined by the user) a skip.

A calendar is not read at all while none of the user's addresses is known (given with --me, on their record,
or in the settings), as `givefirst import ics` refuses: the user would become a contact on their own invitations,
and which meetings they declined could not be told.

Everything an object produced is remembered with its ETag (`dav_items.produced`): when the object changes on
the server, what it produced is replaced; when it is deleted there, what it produced goes too. Interactions and
events carry the source "caldav:<source name>". A calendar's changes land in one transaction with its new sync
token, so an interrupted sync writes nothing and the next one starts from the last token.

Repeating events are expanded in the import's window (ten years back, 90 days ahead; events: a month back, a
year ahead) as of the sync that fetched them; an unchanged series is not fetched again, so its later occurrences
are added when it next changes on the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection

from givefirst.ingest.ics import PERSONAL, parse_ics
from givefirst.ingest.ics_events import EventRecord, parse_ics_events
from givefirst.ingest.records import InteractionRecord, ParseIssue, Record, UnreadableFileError
from givefirst.services import tiestats
from givefirst.services.events import IMPORT_DAYS_AHEAD, IMPORT_DAYS_BACK, store_events
from givefirst.services.import_rules import IssueNotes, require_my_address
from givefirst.services.importer_writer import Tally, Writer
from givefirst.services.sync import SyncJob
from givefirst.services.sync_carddav import (
    add_to_report,
    check_dav_config,
    connect,
    known_collections,
    pull_changes,
    remember_auth,
    source_key,
)  # fmt: skip
from givefirst.services.sync_dav_client import CALENDAR, DavConnection, SourceUnreachableError
from givefirst.store import dav_state

MEETINGS_BACK, MEETINGS_AHEAD = timedelta(days=3653), timedelta(days=90)  # as `givefirst import ics`
# How a sync's user gives their address: `givefirst sync` takes no --me, a source is given one when added.
ADD_MY_ADDRESS = "givefirst me add ADDRESS (or: --me you@example.com when adding the source)"


class CalDavKind:
    name = "caldav"
    help = "CalDAV calendars (--url, --user, --me): meetings become interactions, other events events"
    secret_required = False
    errors: tuple[type[BaseException], ...] = ()

    def check_config(self, given: Mapping[str, Any]) -> dict[str, Any]:
        return check_dav_config("caldav", given)

    def describe(self, config: Mapping[str, Any]) -> str:
        return f"{config.get('user') or 'no login'} at {config.get('url')}"

    def sync(self, job: SyncJob) -> None:
        require_my_address(job.me, "syncing a calendar", ADD_MY_ADDRESS)  # before the server is asked anything
        dav = connect(job)
        calendars = known_collections(job, dav) or dav.collections(CALENDAR)
        if not calendars:
            raise SourceUnreachableError(f"{job.source.config['url']}: no calendar there (give the calendar's URL)")
        for calendar in calendars:
            _pull(job, dav, calendar)
        remember_auth(job, dav, calendars[0])


KIND = CalDavKind()


def _pull(job: SyncJob, dav: DavConnection, calendar: str) -> None:
    app, key = job.app, source_key("caldav", job.source.name)
    pulled = pull_changes(job, dav, calendar, CALENDAR)
    if pulled is None:
        return
    cid, fetched, gone = pulled.collection_id, pulled.fetched, pulled.gone
    tally = Tally()

    def write(conn: Connection) -> list[Record]:
        touched: set[int] = set()
        for href in [*gone, *fetched]:  # what changed or went: its old interactions and events go first
            prior = dav_state.item(conn, cid, href)
            if prior is not None:
                touched |= dav_state.remove_produced(conn, [tuple(p) for p in dav_state.loads(prior.produced) or []])
        for href in gone:
            dav_state.delete_item(conn, cid, href)
            tally.counts["removed"] += 1
        writer = Writer(conn, app, tally)
        for href, (etag, text) in sorted(fetched.items()):
            produced = _read(conn, job, writer, key, href, text.encode("utf-8"), tally)
            dav_state.save_item(conn, cid, href, {"etag": etag, "uid": None, "produced": produced, "raw": None})
        writer.flush()
        tiestats.refresh(conn, touched | writer.touched, app.weights)
        return []

    job.write(calendar, write, {f"token:{calendar}": pulled.token})
    add_to_report(job, calendar, tally)


def _read(conn: Connection, job: SyncJob, writer: Writer, key: str, href: str, data: bytes, tally: Tally
          ) -> list[list[str]]:  # fmt: skip
    """Write what one calendar object holds; return what it produced as [table, source, external id] triples."""
    now, name = job.app.now, href.rsplit("/", 1)[-1]
    produced: list[list[str]] = []
    try:
        meetings = list(parse_ics(data, name, me=job.me, window_start=now - MEETINGS_BACK,
                                  window_end=now + MEETINGS_AHEAD))  # fmt: skip
        events = list(parse_ics_events(data, name, me=job.me, window_start=now - timedelta(days=IMPORT_DAYS_BACK),
                                       window_end=now + timedelta(days=IMPORT_DAYS_AHEAD)))  # fmt: skip
    except UnreadableFileError as exc:
        tally.skip(href, str(exc))
        return produced
    issues = IssueNotes(tally)
    for record in meetings:
        if isinstance(record, InteractionRecord):
            writer.interaction(replace(record, source=key))
            produced.append(["interactions", key, record.external_id])
            issues.wrote(record.origin)
        elif isinstance(record, ParseIssue) and not _personal(record.reason):  # a personal event became an event
            issues.note(record)
    alone = [e for e in events if isinstance(e, EventRecord) and not e.attendees]
    if alone:
        report = store_events(conn, job.app, alone, None, source=key)
        tally.counts["events added"] += report.added
        tally.counts["events updated"] += report.updated
        produced.extend(["events", key, e.external_id] for e in alone)
    return produced


def _personal(reason: str) -> bool:
    """Return True for the reason of a personal event, or of personal occurrences of a series ("… (3 occurrences)")."""
    return reason == PERSONAL or reason.startswith(f"{PERSONAL} (")
