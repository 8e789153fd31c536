"""The README's walk-through, on the demo hub: a member on their laptop joins it with the token `hub demo` prints,
publishes a need, sees the chapter's needs they can meet in `givefirst today`, offers help from the plan, and the
introduction that follows — accepted on the hub, its outcome recorded here — shows in their local timeline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from givefirst.hub.services import introductions
from givefirst.hub.services.context import Hub, connect
from givefirst.hub.services.demo import build_demo, prepare_demo_database
from givefirst.hub.store import members as member_store
from givefirst.hub.store.schema import members
from tests.conftest import NOW, Cli
from tests.hub.server import hub_server
from tests.hub_client.helpers import hub_items, join

OFFER = "Happy to run a mock interview for a Director of Procurement role"
NEED = "An introduction to a 3PL with warehouse space in Tampa"


@pytest.fixture
def demo_hub(tmp_path: Path) -> Iterator[tuple[Hub, str, str, str]]:
    """The demo association served on loopback: (hub, url, the printed member's name, their API token)."""
    target = str(tmp_path / "hub-demo.db")
    prepare_demo_database(target)
    hub = connect(target, clock=lambda: NOW)
    report = build_demo(hub, match=False)  # the personal app matches on its own side
    assert report.join_token is not None
    name, token = report.join_token
    with hub_server(hub) as url:
        yield hub, url, name, token
    hub.engine.dispose()


def test_a_member_joins_the_demo_hub_gives_from_today_and_sees_it_in_their_timeline(
    cli: Cli, demo_hub: tuple[Hub, str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hub, url, member_name, token = demo_hub
    assert cli("init", "--name", member_name, "--location", "Brooklyn, NY").code == 0
    assert cli("offer", "me", OFFER, "-t", "jobs", "-s", "0").code == 0
    assert f"you are {member_name}" in join(cli, monkeypatch, url, token, name="demo")

    published = cli("need", "me", NEED, "-t", "logistics", "--publish", "chapter", "-s", "0")
    assert published.code == 0 and "published (chapter" in published.out
    assert [i["text"] for i in hub_items(url, token) if i["kind"] == "need" and i["text"] == NEED] == [NEED]
    synced = cli("hub", "sync")
    assert synced.code == 0 and "board:" in synced.out

    plan = json.loads(cli("today", "--json").out)
    chapter = [i for i in plan["items"] if i["key"].startswith("chapter:")]
    assert chapter, plan
    first = chapter[0]
    assert "from the AOP New York chapter" in first["title"] and OFFER in first["title"]

    offered = cli("done", first["key"], "-m", "I ran hiring panels for procurement directors; glad to help.")
    assert offered.code == 0 and "on the hub" in offered.out
    seeker_name = first["title"].removeprefix("Help ").split(" (from")[0]

    # On the hub, the member who asked accepts (double opt-in: Jordan offered, so only their answer is missing).
    with hub.engine.connect() as conn:
        seeker_id = conn.execute(select(members.c.id).where(members.c.name == seeker_name)).scalar_one()
        seeker = member_store.member_by_id(conn, seeker_id)
    assert seeker is not None
    [waiting] = [v for v in introductions.introductions_of(hub, seeker) if v.intro.state != "connected"]
    introductions.answer(hub, seeker, waiting.intro.public_id, True)

    after = cli("hub", "sync")
    assert after.code == 0 and f"{seeker_name} is now in your network" in after.out
    assert cli("hub", "outcome", waiting.intro.public_id, "helped", "--note", "Mock interview done").code == 0

    shown = cli("show", seeker_name)
    assert shown.code == 0
    timeline = shown.out.split("Timeline", 1)[1]
    assert "Hub introduction:" in timeline and "Hub introduction outcome: helped" in timeline
    assert "gave" in shown.out.split("Ledger", 1)[1].split("Timeline", 1)[0]
