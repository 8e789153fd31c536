"""The request recorder: with a personal database full of private things, join a hub, publish, edit, close, sync
and leave — and every request the client made (seen by HubClient's `on_request` hook, and independently by an ASGI
middleware in the hub server) is an allowed one, carrying none of the private strings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from givefirst.services.hub_membership import client_options
from tests.conftest import Cli
from tests.hub_client.helpers import Recorded, recording_hub

PRIVATE = [
    # contacts: names, e-mails, phones, organisations, notes
    "Priya", "Shah", "priya.private@acme.example", "813", "555", "0199", "Acme Secret Corp", "divorce",
    "Marcus", "Lee", "marcus@lee.example",
    # the user's own address
    "dana.private@home.example",
    # interactions and the ledger
    "confidential merger", "hidden investor Zed", "quiet favour",
    # the contacts' needs and offers
    "covert lawyer", "quiet funding",
    # the user's own unpublished need
    "unpublished private wish",
]  # fmt: skip
PUBLISHED = {"A bookkeeper for a small nonprofit", "A bookkeeper for a nonprofit, two days a week", "Spare ticket"}
ITEM_KEYS = {"kind", "text", "tags", "location", "visibility"}
ID = r"[A-Za-z0-9_-]+"
ALLOWED = [  # (method, path): what the client may ask of a hub
    ("GET", r"/api/v1/me"),
    ("GET", r"/api/v1/items"),
    ("POST", r"/api/v1/items"),  # publish: only a chosen item
    ("GET", rf"/api/v1/items/{ID}"),
    ("PUT", rf"/api/v1/items/{ID}"),  # the chosen item's edit
    ("POST", rf"/api/v1/items/{ID}/close"),
    # what a sync reads back (services/hub_pull.py)
    ("GET", r"/api/v1/board"),
    ("GET", r"/api/v1/help"),
    ("GET", r"/api/v1/events"),
    ("GET", rf"/api/v1/events/{ID}"),
    ("GET", rf"/api/v1/events/{ID}/sheet"),
    ("GET", r"/api/v1/introductions"),
    ("GET", rf"/api/v1/introductions/{ID}"),
]
SCORE = re.compile(r"score|strength|balance|reciproc", re.IGNORECASE)


def _private_world(cli: Cli) -> None:
    steps = [
        ("add", "Priya Shah", "-e", "priya.private@acme.example", "-p", "+1 813 555 0199", "--org",
         "Acme Secret Corp", "--notes", "going through a divorce"),
        ("add", "Marcus Lee", "-e", "marcus@lee.example", "-l", "Tampa, FL"),
        ("me", "add", "dana.private@home.example"),
        ("log", "Priya Shah", "--kind", "meeting", "-m", "Lunch about the confidential merger"),
        ("gave", "Priya Shah", "intro to hidden investor Zed"),
        ("got", "Marcus Lee", "a quiet favour"),
        ("need", "Priya Shah", "Priya needs a covert lawyer", "-s", "0"),
        ("offer", "Marcus Lee", "Marcus offers quiet funding", "-s", "0"),
        ("need", "me", "My unpublished private wish", "-s", "0"),
    ]  # fmt: skip
    for step in steps:
        done = cli(*step)
        assert done.code == 0, (step, done.err)


def _check(method: str, path: str, query: str, body: str) -> None:
    assert any(method == m and re.fullmatch(p, path) for m, p in ALLOWED), f"{method} {path} is not allowed"
    for text in (query, body):
        for secret in PRIVATE:
            assert secret.lower() not in text.lower(), f"{secret!r} left the machine: {method} {path} {text}"
        assert not SCORE.search(text), f"a score left the machine: {method} {path} {text}"
    if body:
        sent = json.loads(body)
        if (method == "POST" and path == "/api/v1/items") or method == "PUT":
            assert set(sent) <= ITEM_KEYS and sent["text"] in PUBLISHED, sent
        else:
            pytest.fail(f"{method} {path} sent a body: {body}")


def test_nothing_unpublished_leaves_the_machine(cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _private_world(cli)
    client_seen: list[Recorded] = []

    def record(request: httpx.Request) -> None:
        body = request.read().decode()
        client_seen.append(Recorded(request.method, request.url.path, request.url.query.decode(), body))
        # The hub's address and the member's token are the test's own, random: a port such as 48131 holds "813".
        sent = [v.lower() for k, v in request.headers.items() if k.lower() not in ("host", "authorization")]
        for secret in PRIVATE:
            assert all(secret.lower() not in v for v in sent)

    with recording_hub(tmp_path) as hub, client_options(on_request=record):
        monkeypatch.setenv("GIVEFIRST_TEST_HUB_TOKEN", hub.tokens["Dana Member"])
        steps = [
            ("hub", "join", hub.url, "--name", "ny", "--token-env", "GIVEFIRST_TEST_HUB_TOKEN"),
            ("need", "me", "A bookkeeper for a small nonprofit", "--publish", "chapter", "-s", "0"),
            ("offer", "me", "Spare ticket", "-s", "0"),
            ("hub", "publish", "offer", "2"),
            ("update", "need", "3", "--text", "A bookkeeper for a nonprofit, two days a week"),
            ("close", "offer", "2"),
            ("hub", "sync"),
            ("hub", "status"),
            ("needs",),
            ("today",),
            ("hub", "leave", "ny"),
        ]
        for step in steps:
            done = cli(*step)
            assert done.code == 0, (step, done.out, done.err)
        server_seen = list(hub.seen)
    assert len(client_seen) >= 8  # join, publish, edit, close, sync, leave all spoke to the hub
    methods = {(r.method, r.path.split("/")[3]) for r in client_seen}
    assert {("GET", "me"), ("POST", "items"), ("PUT", "items")} <= methods
    for seen in (client_seen, server_seen):
        for r in seen:
            _check(r.method, r.path, r.query, r.body)
    # the server saw exactly what the client sent: nothing went around the recorded door
    assert [(r.method, r.path, r.query, r.body) for r in server_seen] == [
        (r.method, r.path, r.query, r.body) for r in client_seen
    ]
