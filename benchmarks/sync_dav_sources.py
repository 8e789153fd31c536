"""The CardDAV, CalDAV and feed sources `sync_bench.py` measures "a sync with nothing new" on.

Each function starts its server on loopback (Radicale in a child process; the feed server in a thread of the
benchmark), fills it with a real-looking collection, adds the source to a fresh database with `givefirst source
add`, syncs it once (`givefirst sync`), and returns (the database, the source's name, the server's stop):

* CardDAV: an address book of 1,000 cards (names, work emails, phones, organizations, titles);
* CalDAV: a calendar of 500 events, two in three meetings with one or two attendees, the rest without;
* feed: a chapter's feed of 300 events answering with an ETag, so a sync with nothing new is one 304.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from run import Crash, run_once

CARDS, EVENTS, FEED_EVENTS = 1000, 500, 300
PASSWORD_ENV = "GIVEFIRST_BENCH_DAV_PASSWORD"
FIRST = ["Ann", "Raj", "Mia", "Luis", "Zoe", "Omar", "Priya", "Tom", "Lena", "Kofi", "Sara", "Ivan", "Mei", "Noah"]
LAST = ["Lee", "Patel", "Chen", "Garcia", "Park", "Haddad", "Natarajan", "Brown", "Fischer", "Mensah", "Cohen"]
ORGS = ["Acme", "Globex", "Initech", "Hooli", "Umbrella", "Stark Industries", "Wayne Enterprises", "Soylent"]
TITLES = ["CFO", "Controller", "VP Finance", "Analyst", "Treasurer", "Founder", "Product Manager", "Recruiter"]

Prepared = tuple[Path, str, Callable[[], None]]


def _cards(n: int) -> bytes:
    rng = random.Random(10)
    out = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        org = rng.choice(ORGS)
        out.append(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bench-{i}@example.com\r\nFN:{first} {last}\r\nN:{last};{first};;;\r\n"
            f"ORG:{org}\r\nTITLE:{rng.choice(TITLES)}\r\n"
            f"EMAIL;TYPE=work:{first.lower()}.{last.lower()}.{i}@{org.split()[0].lower()}.example\r\n"
            f"TEL;TYPE=cell:+1 212 555 {i % 10000:04d}\r\nEND:VCARD\r\n"
        )
    return "".join(out).encode()


def _events(n: int, start: datetime, *, attendees: bool, prefix: str) -> bytes:
    rng = random.Random(11)
    out = ["BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//givefirst//bench//EN\r\n"]
    for i in range(n):
        at = start + timedelta(days=i % 400, hours=rng.randint(8, 19))
        people = ""
        if attendees and i % 3:
            people = "ORGANIZER:mailto:me@example.com\r\n" + "".join(
                f"ATTENDEE;CN={rng.choice(FIRST)} {rng.choice(LAST)};PARTSTAT=ACCEPTED:mailto:guest{(i + k) % 300}"
                f"@example.org\r\n"
                for k in range(1 + i % 2)
            )
        out.append(
            f"BEGIN:VEVENT\r\nUID:{prefix}-{i}@example.com\r\nDTSTAMP:20261101T000000Z\r\n"
            f"DTSTART:{at:%Y%m%dT%H%M%SZ}\r\nDURATION:PT1H\r\nSUMMARY:{prefix.title()} {i}\r\n{people}END:VEVENT\r\n"
        )
    out.append("END:VCALENDAR\r\n")
    return "".join(out).encode()


def _radicale(kind: str, body: bytes, content_type: str) -> tuple[str, Callable[[], None]]:
    from tests.sync_dav.servers import USER, Radicale

    root = Path(tempfile.mkdtemp(prefix="gf-bench-radicale-", dir="/tmp"))
    try:
        server = Radicale(root)
    except (RuntimeError, OSError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise Crash(f"Radicale cannot start (pip install radicale): {exc}") from None
    url = f"{server.root}/{USER}/bench-{kind}/"
    # the whole collection in one PUT (Radicale splits it into items), as an export restored on a server
    response = server.http.put(url, content=body, headers={"Content-Type": content_type}, timeout=600)
    if response.status_code not in (201, 204):
        raise Crash(f"Radicale refused the {kind}: {response.status_code} {response.text[:200]}")

    def stop() -> None:
        server.stop()
        server.http.close()
        shutil.rmtree(root, ignore_errors=True)

    return url, stop


def _add_and_sync(workdir: Path, env: dict[str, str], givefirst: str, name: str, *args: str) -> Path:
    db = workdir / f"{name}.db"
    run_once([givefirst, "--db", str(db), "source", "add", name, *args], env)
    first = run_once([givefirst, "--db", str(db), "sync", name], env)
    print(f"  first sync of {name}: {first.wall_s:.1f} s", flush=True)
    return db


def carddav(workdir: Path, env: dict[str, str], givefirst: str) -> Prepared:
    from tests.sync_dav.servers import PASSWORD, USER

    url, stop = _radicale("addressbook", _cards(CARDS), "text/vcard")
    env[PASSWORD_ENV] = PASSWORD
    db = _add_and_sync(workdir, env, givefirst, "bench-phone", "carddav", "--url", url, "--user", USER,
                       "--password-env", PASSWORD_ENV)  # fmt: skip
    return db, "bench-phone", stop


def caldav(workdir: Path, env: dict[str, str], givefirst: str) -> Prepared:
    from tests.sync_dav.servers import PASSWORD, USER

    start = datetime(2026, 1, 5)
    url, stop = _radicale("calendar", _events(EVENTS, start, attendees=True, prefix="meeting"), "text/calendar")
    env[PASSWORD_ENV] = PASSWORD
    db = _add_and_sync(workdir, env, givefirst, "bench-cal", "caldav", "--url", url, "--user", USER,
                       "--password-env", PASSWORD_ENV, "--me", "me@example.com")  # fmt: skip
    return db, "bench-cal", stop


def feed(workdir: Path, env: dict[str, str], givefirst: str) -> Prepared:
    from tests.sync_dav.servers import Feed, FeedServer

    server = FeedServer()
    server.feeds["/chapter.ics"] = Feed(_events(FEED_EVENTS, datetime.now(), attendees=False, prefix="meetup"))
    db = _add_and_sync(workdir, env, givefirst, "bench-feed", "feed", "--url", server.root + "/chapter.ics")
    return db, "bench-feed", server.stop


SOURCES: dict[str, Callable[[Path, dict[str, str], str], Prepared]] = {
    "CardDAV (1,000 cards)": carddav,
    "CalDAV (500 events)": caldav,
    "feed (300 events, 304)": feed,
}
