"""Publishing by choice: `need/offer … --publish`, `hub publish|unpublish`, edits and closes that follow the item,
and a hub that is down never blocking the local app."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import update

from givefirst.services.context import App
from givefirst.store.schema import hub_links
from tests.conftest import Cli
from tests.hub_client.conftest import ChapterHub
from tests.hub_client.helpers import closed_port_url, hub_items, join


@pytest.fixture
def joined(cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch) -> str:
    join(cli, monkeypatch, chapter_hub.url, chapter_hub.token("Dana Member"))
    return chapter_hub.token("Dana Member")


def _published(cli: Cli) -> list[dict[str, object]]:
    return list(json.loads(cli("hub", "status", "--json").out)[0]["published"])


def test_need_publish_sends_the_need_and_links_it(cli: Cli, chapter_hub: ChapterHub, joined: str) -> None:
    done = cli("need", "me", "An intro to a Tampa CFO", "-t", "finance", "--publish", "chapter", "-s", "0")
    assert done.code == 0, done.err
    assert "ny: need #1 published (chapter" in done.out
    [on_hub] = hub_items(chapter_hub, joined)
    assert (on_hub["kind"], on_hub["text"], on_hub["tags"], on_hub["visibility"]) == (
        "need", "An intro to a Tampa CFO", ["finance"], "chapter",
    )  # fmt: skip
    assert _published(cli)[0]["state"] == "synced" and _published(cli)[0]["public_id"] == on_hub["id"]
    # the chapter sees it on the board
    from givefirst.services.hub_client import HubClient

    with HubClient(chapter_hub.url, chapter_hub.token("Sam Seeker")) as sam:
        assert [i["text"] for i in sam.board()] == ["An intro to a Tampa CFO"]


def test_an_offer_publishes_to_the_association(cli: Cli, chapter_hub: ChapterHub, joined: str) -> None:
    assert cli("offer", "me", "Spare ProMat ticket", "--publish", "association", "-s", "0").code == 0
    assert [(i["kind"], i["visibility"]) for i in hub_items(chapter_hub, joined)] == [("offer", "association")]


def test_a_contacts_need_is_refused_and_not_saved_half(cli: Cli, chapter_hub: ChapterHub, joined: str) -> None:
    assert cli("add", "Priya Shah", "-e", "priya@acme.example").code == 0
    done = cli("need", "Priya Shah", "A fractional CFO", "--publish", "chapter", "-s", "0")
    assert done.code != 0
    assert "is Priya Shah's, not yours: only your own needs and offers can be published" in done.err
    assert "CFO" not in cli("needs").out  # one transaction: no need recorded either
    assert hub_items(chapter_hub, joined) == []
    need_id = json.loads(cli("need", "Priya Shah", "A fractional CFO", "-s", "0", "--json").out)["id"]
    refused = cli("hub", "publish", "need", str(need_id))
    assert refused.code != 0 and "Priya Shah's, not yours" in refused.err


def test_a_bad_visibility_is_named(cli: Cli, joined: str) -> None:
    done = cli("need", "me", "A bookkeeper", "--publish", "everyone", "-s", "0")
    assert done.code != 0 and "publish to one of chapter, association, leads, not 'everyone'" in done.err


def test_publishing_without_a_hub_says_to_join(cli: Cli) -> None:
    done = cli("need", "me", "A bookkeeper", "--publish", "chapter", "-s", "0")
    assert done.code != 0 and "no hub is joined: givefirst hub join URL" in done.err


def test_edit_and_close_follow_the_published_item(cli: Cli, chapter_hub: ChapterHub, joined: str) -> None:
    cli("need", "me", "A bookkeeper", "--publish", "chapter", "-s", "0")
    done = cli("update", "need", "1", "--text", "A bookkeeper for a small nonprofit", "-t", "finance")
    assert done.code == 0, done.err
    assert "ny: need #1 edit sent" in done.out
    [on_hub] = hub_items(chapter_hub, joined)
    assert (on_hub["text"], on_hub["tags"]) == ("A bookkeeper for a small nonprofit", ["finance"])
    closed = cli("close", "need", "1", "--as", "met")
    assert closed.code == 0 and "ny: need #1 closed on the hub" in closed.out
    assert [i["status"] for i in hub_items(chapter_hub, joined)] == ["closed"]
    assert _published(cli)[0]["state"] == "closed"


def test_publish_and_unpublish_an_existing_item(cli: Cli, chapter_hub: ChapterHub, joined: str) -> None:
    cli("offer", "me", "Advice on grant writing", "-s", "0")
    assert hub_items(chapter_hub, joined) == []  # nothing is sent unless chosen
    done = cli("hub", "publish", "offer", "1", "--visibility", "leads")
    assert done.code == 0 and "published (leads" in done.out
    again = cli("hub", "publish", "offer", "1", "--visibility", "association")  # who sees it changes
    assert again.code == 0 and "edit sent" in again.out
    assert [(i["visibility"], i["status"]) for i in hub_items(chapter_hub, joined)] == [("association", "open")]
    gone = cli("hub", "unpublish", "offer", "1")
    assert gone.code == 0 and "closed on the hub" in gone.out
    assert [i["status"] for i in hub_items(chapter_hub, joined)] == ["closed"]
    assert "grant writing" in cli("offers", "me").out  # still open here
    assert cli("hub", "unpublish", "offer", "1").code != 0


def test_several_hubs_need_a_name(cli: Cli, chapter_hub: ChapterHub, joined: str, app: App) -> None:
    from givefirst.store import hub_links as links_store

    with app.begin() as conn:
        links_store.add_link(
            conn, name="tampa", url="http://127.0.0.1:9", secret={"password_env": "X"}, association="",
            member_public_id="m", member_name="Dana", chapter="", now=app.now,
        )  # fmt: skip
    done = cli("need", "me", "A bookkeeper", "--publish", "chapter", "-s", "0")
    assert done.code != 0 and "several hubs are joined (ny, tampa): say which with --hub NAME" in done.err
    assert cli("need", "me", "A bookkeeper", "--publish", "chapter", "--hub", "ny", "-s", "0").code == 0
    assert len(hub_items(chapter_hub, joined)) == 1


def test_a_hub_that_is_down_never_blocks_the_local_app(
    cli: Cli, chapter_hub: ChapterHub, joined: str, app: App
) -> None:
    with app.begin() as conn:
        conn.execute(update(hub_links).values(url=closed_port_url()))
    started = time.monotonic()
    done = cli("need", "me", "A bookkeeper", "--publish", "chapter", "-s", "0")
    assert done.code == 0, done.err
    assert "Recorded need #1" in done.out and "will reach the hub on the next sync" in done.out
    assert cli("today").code == 0
    assert cli("update", "need", "1", "--text", "A bookkeeper, part time").code == 0
    synced = cli("hub", "sync")
    assert synced.code == 0 and "ny: skipped, cannot reach" in synced.out
    assert time.monotonic() - started < 30  # wall clock, generous: a refused connection answers at once
    assert _published(cli)[0]["state"] == "new"
    status = json.loads(cli("hub", "status", "--json").out)[0]
    assert status["last_error"].startswith("cannot reach") and status["reports"][0]["kind"] == "error"
    # the hub is back: the next sync sends the need, with its latest text, once
    with app.begin() as conn:
        conn.execute(update(hub_links).values(url=chapter_hub.url))
    back = cli("hub", "sync")
    assert back.code == 0 and "ny: need #1 published" in back.out and "ny: done" in back.out
    assert [i["text"] for i in hub_items(chapter_hub, joined)] == ["A bookkeeper, part time"]
    assert json.loads(cli("hub", "status", "--json").out)[0]["last_error"] is None
