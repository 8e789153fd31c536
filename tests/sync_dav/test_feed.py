"""Event feeds against a real local HTTP server: events land as events; 304 Not Modified changes nothing."""

from __future__ import annotations

import time

from sqlalchemy import select

from givefirst.services.context import App
from givefirst.services.events import add_chapter, rsvp
from givefirst.services.sync import add_source, run_sync
from givefirst.store.schema import events
from tests.sync_dav.servers import Feed, FeedServer


def feed(*events_: tuple[str, str, str]) -> bytes:
    """An .ics feed as Meetup or Luma serve it: (UID, title, start) per event, with X-WR-CALNAME."""
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:{start}\r\nDURATION:PT2H\r\n"
        f"SUMMARY:{title}\r\nLOCATION:WeWork, 115 W 18th St, New York\r\nEND:VEVENT\r\n"
        for uid, title, start in events_
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:AOP New York\r\n{body}END:VCALENDAR\r\n".encode()


MIXER = ("mixer@aop.example", "AOP NY holiday mixer", "20261210T230000Z")
PANEL = ("panel@aop.example", "Panel: finance careers in Florida", "20270115T230000Z")


def titles(app: App) -> list[tuple[str, int | None]]:
    with app.begin() as conn:
        rows = conn.execute(select(events.c.title, events.c.chapter_id).order_by(events.c.starts_at))
        return [(str(t), c) for t, c in rows]


def sync(app: App, name: str = "aop-ny") -> dict[str, int]:
    result = run_sync(app, name)
    assert result.error is None, result.error
    return result.report.totals()


def test_feed_events_land_as_events_and_a_304_changes_nothing(app: App, feed_server: FeedServer) -> None:
    chapter = add_chapter(app, "AOP", "AOP New York", "New York, NY")
    feed_server.feeds["/aop.ics"] = Feed(feed(MIXER, PANEL))
    add_source(app, "aop-ny", "feed", {"url": feed_server.root + "/aop.ics", "extra": {"chapter": "AOP New York"}}, 0)
    assert sync(app) == {"events added": 2}
    assert titles(app) == [("AOP NY holiday mixer", chapter), ("Panel: finance careers in Florida", chapter)]

    not_modified = run_sync(app, "aop-ny")
    assert not_modified.report.totals() == {} and "304" in not_modified.report.units[0].notes[0][1]
    path, headers, status = feed_server.requests[-1]
    assert (path, headers["If-None-Match"], status) == ("/aop.ics", '"v1"', 304)
    assert len(titles(app)) == 2


def test_a_changed_feed_updates_adds_and_drops_unanswered_events(app: App, feed_server: FeedServer) -> None:
    feed_server.feeds["/aop.ics"] = Feed(feed(MIXER, PANEL), etag=None)  # a server with Last-Modified only
    add_source(app, "aop-ny", "feed", {"url": feed_server.root + "/aop.ics"}, 0)
    sync(app)
    assert sync(app) == {}
    assert "If-Modified-Since" in feed_server.requests[-1][1] and feed_server.requests[-1][2] == 304

    with app.begin() as conn:
        mixer_id = conn.execute(select(events.c.id).where(events.c.title == MIXER[1])).scalar_one()
    rsvp(app, mixer_id, "yes")  # answered: stays even when the feed drops it
    gala = ("gala@aop.example", "AOP annual gala", "20270301T230000Z")
    moved = ("panel@aop.example", "Panel: finance careers in Florida (new room)", "20270115T230000Z")
    feed_server.feeds["/aop.ics"] = Feed(feed(moved, gala), etag=None, last_modified=time.time() + 60)
    assert sync(app) == {"events added": 1, "events updated": 1}
    assert [t for t, _ in titles(app)] == [MIXER[1], moved[1], gala[1]]

    feed_server.feeds["/aop.ics"] = Feed(feed(gala), etag=None, last_modified=time.time() + 120)
    assert sync(app) == {"events updated": 1, "events removed": 1}  # the panel left the feed, unanswered
    assert [t for t, _ in titles(app)] == [MIXER[1], gala[1]]


def test_a_feed_that_fails_or_is_not_a_calendar_writes_nothing(app: App, feed_server: FeedServer) -> None:
    add_source(app, "gone", "feed", {"url": feed_server.root + "/missing.ics"}, 0)
    failed = run_sync(app, "gone")
    assert failed.error is not None and "answered 404" in failed.error
    feed_server.feeds["/page.ics"] = Feed(b"<html><body>Sign in to see this calendar</body></html>")
    add_source(app, "page", "feed", {"url": feed_server.root + "/page.ics"}, 0)
    wrong = run_sync(app, "page")
    assert wrong.error is not None and "page.ics" in wrong.error
    assert titles(app) == []
    feed_server.feeds["/page.ics"] = Feed(feed(MIXER), etag='"v2"')
    assert sync(app, "page") == {"events added": 1}  # the failed sync saved no ETag: the next one reads it all


def test_webcal_links_are_read_over_https_and_odd_settings_are_refused() -> None:
    import pytest

    from givefirst.errors import InvalidInputError
    from givefirst.services.sync_feed import KIND

    assert KIND.check_config({"url": "webcal://lu.ma/ics/get?entity=aop"})["url"] == "https://lu.ma/ics/get?entity=aop"
    with pytest.raises(InvalidInputError, match="chapter=NAME"):
        KIND.check_config({"url": "https://example.org/a.ics", "extra": {"colour": "red"}})
    with pytest.raises(InvalidInputError, match="needs --url"):
        KIND.check_config({"url": "ftp://example.org/a.ics"})
