"""`givefirst source add` / `sync` / `sources` for CardDAV and feed sources, through the real entry point."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_errors import one_line_error
from tests.cli.test_user_story import ok
from tests.conftest import Cli
from tests.sync_dav.servers import PASSWORD, USER, Feed, FeedServer, Radicale, vcard
from tests.sync_dav.test_feed import MIXER, feed


def test_an_address_book_and_a_feed_from_add_to_conflict(
    cli: Cli, radicale: Radicale, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAV_PASSWORD", PASSWORD)
    book = radicale.collection("addressbook")
    radicale.put(book + "ann.vcf", vcard("ann-1", "Ann Lee", "EMAIL:ann@acme.example", "TITLE:CFO"))
    feed_server.feeds["/aop.ics"] = Feed(feed(MIXER))
    ok(cli("chapter", "add", "AOP New York", "--org", "AOP", "--place", "New York, NY"))
    ok(cli("source", "add", "phone", "carddav", "--url", book, "--user", USER, "--password-env", "DAV_PASSWORD"))
    ok(cli("source", "add", "aop-ny", "feed", "--url", feed_server.root + "/aop.ics", "--set", "chapter=AOP New York"))
    listed = {s["name"]: s for s in json.loads(ok(cli("sources", "--json")).out)}
    assert listed["phone"]["describe"] == f"{USER} at {book}" and PASSWORD not in json.dumps(listed)

    first = {r["source"]: r for r in json.loads(ok(cli("sync", "--json")).out)}
    assert first["phone"]["totals"] == {"added": 1} and first["aop-ny"]["totals"] == {"events added": 1}
    assert "AOP NY holiday mixer" in ok(cli("events")).out  # ready for triage

    ok(cli("edit", "Ann Lee", "--title", "Treasurer"))
    radicale.put(book + "ann.vcf", vcard("ann-1", "Ann Lee", "EMAIL:ann@acme.example", "TITLE:Chief Financial Officer"))
    shown = ok(cli("sync", "phone")).out
    assert "also: 1 conflicts, 1 updated" in shown
    assert "1 edited both here and on the server: the server's version was kept" in shown and "Ann Lee" in shown
    assert "title was 'Treasurer' here" in ok(cli("show", "Ann Lee")).out
    assert "not modified since the last sync" in ok(cli("sync", "aop-ny")).out


def test_mistakes_are_one_line_errors(cli: Cli) -> None:
    mistakes = {
        "a carddav source needs --url": ("phone", "carddav", "--user", "me"),
        "a carddav source takes no --host": ("phone", "carddav", "--url", "https://dav.example/", "--host", "h"),
        "a feed source has no setting 'colour'": ("f", "feed", "--url", "https://x.example/a.ics", "--set", "colour=1"),
        "a feed source needs --url": ("f", "feed", "--url", "gopher://x.example/a.ics"),
    }
    for message, args in mistakes.items():
        assert message in one_line_error(cli("source", "add", *args)), message
    ok(cli("source", "add", "f", "feed", "--url", "http://127.0.0.1:9/a.ics"))
    failed = cli("sync", "f")
    assert failed.code == 1 and "the feed cannot be reached" in failed.out and "Traceback" not in failed.err
