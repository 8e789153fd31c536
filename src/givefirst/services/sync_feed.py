"""Event feeds: an iCalendar URL (an association's or a chapter's calendar, Meetup's and Luma's feeds) read again
and again, its events landing as events, ready for triage (`givefirst events`).

A sync sends the feed's last ETag (If-None-Match) and Last-Modified (If-Modified-Since): a server that answers
304 Not Modified costs one small request and changes nothing. Otherwise the whole feed is read through the
same path as `givefirst event import` (`services.events.read_events` and `store_events`), keyed by
("feed:<source name>", UID) so that a re-sync updates instead of duplicating. An upcoming event that has left
the feed, and that the user has not answered, is removed: the organizer cancelled or moved it. The events, the
removals and the new ETag land in one transaction.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection

from givefirst.errors import InvalidInputError
from givefirst.ingest.ics_events import EventRecord
from givefirst.ingest.records import Record
from givefirst.services import credentials
from givefirst.services.events import read_events, resolve_chapter, store_events
from givefirst.services.importer_writer import Tally
from givefirst.services.sync import SyncError, SyncJob
from givefirst.store import dav_state

TIMEOUT = 30
MAX_BYTES = 50 * 1024 * 1024  # a feed larger than this is not a calendar anyone subscribes to
_KNOWN = {"url", "user", "extra", *credentials.WAYS}
_SETTINGS = {"chapter"}


class FeedKind:
    name = "feed"
    help = "an iCalendar feed URL (a chapter's calendar, Meetup, Luma): its events, ready for triage"
    secret_required = False
    errors: tuple[type[BaseException], ...] = (urllib.error.URLError, http.client.HTTPException)

    def check_config(self, given: Mapping[str, Any]) -> dict[str, Any]:
        unknown = sorted(k for k in set(given) - _KNOWN if given[k])  # flags left off come as False
        if unknown:
            raise InvalidInputError(f"a feed source takes no --{unknown[0].replace('_', '-')}")
        extra = dict(given.get("extra") or {})
        if set(extra) - _SETTINGS:
            raise InvalidInputError(f"a feed source has no setting {sorted(set(extra) - _SETTINGS)[0]!r}; "
                                    "it takes --set chapter=NAME")  # fmt: skip
        url = str(given.get("url") or "").strip()
        if url.lower().startswith("webcal://"):  # what calendar sites link to: the same feed over HTTPS
            url = "https://" + url[len("webcal://") :]
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise InvalidInputError("a feed source needs --url https://.../calendar.ics (webcal:// works too)")
        config: dict[str, Any] = {"url": url, **extra}
        if given.get("user"):
            config["user"] = str(given["user"]).strip()
        for key in credentials.WAYS:
            if given.get(key):
                config[key] = given[key]
        return config

    def describe(self, config: Mapping[str, Any]) -> str:
        chapter = f" (chapter {config['chapter']})" if config.get("chapter") else ""
        return f"{config.get('url')}{chapter}"

    def sync(self, job: SyncJob) -> None:
        sync_feed(job)


KIND = FeedKind()


def sync_feed(job: SyncJob) -> None:
    config, app = job.source.config, job.app
    url = str(config["url"])
    with app.begin() as conn:  # a chapter renamed or removed since `source add` fails the sync before the request
        chapter = resolve_chapter(conn, str(config["chapter"])) if config.get("chapter") else None
    fetched = _get(url, job.state.get("etag"), job.state.get("last_modified"), config.get("user"), job.secret())
    if fetched is None:  # nothing counted, as for any sync with nothing new; said in a note
        job.note(url, url, "not modified since the last sync (the server said 304)")
        return
    data, etag, last_modified = fetched
    key, tally = f"feed:{job.source.name}"[:40], Tally()  # the events' source (the column holds 40)

    def write(conn: Connection) -> list[Record]:
        records = read_events(conn, app, data, urlsplit(url).path.rsplit("/", 1)[-1] or url)
        report = store_events(conn, app, records, chapter, source=key)
        kept = {r.external_id for r in records if isinstance(r, EventRecord)}
        removed = dav_state.remove_unanswered_events(conn, key, kept, app.now - timedelta(hours=1))
        tally.counts.update({"events added": report.added, "events updated": report.updated, "events removed": removed,
                             "attendees not in your network": report.unknown_attendees})  # fmt: skip
        for origin, reason in report.skipped:
            tally.skip(origin, reason)
        return []

    job.write(url, write, {"etag": etag, "last_modified": last_modified})
    target = job.unit(url)
    for name, count in tally.counts.items():
        if count:
            target.counts[name] = target.counts.get(name, 0) + count
    target.notes.extend(tally.notes)


def _get(url: str, etag: str | None, last_modified: str | None, user: str | None, password: str | None
         ) -> tuple[bytes, str | None, str | None] | None:  # fmt: skip
    """Return (body, ETag, Last-Modified) of the feed, or None when the server says it has not changed."""
    headers = {"User-Agent": "givefirst (calendar feed)", "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    if user and password:
        import base64

        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            body = response.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise SyncError(f"{url}: the feed is larger than {MAX_BYTES // (1024 * 1024)} MB")
            return body, response.headers.get("ETag"), response.headers.get("Last-Modified")
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return None
        raise SyncError(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:  # refused, timed out, cut off
        reason = getattr(exc, "reason", exc)
        raise SyncError(f"{url}: the feed cannot be reached ({reason})") from None
