"""The chapter in the plan, end to end: a member joins, pulls the board, sees the chapter's needs they can meet in
`givefirst today`, offers help from the plan, and the introduction that follows reaches their ledger and timeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from givefirst.config import Settings
from givefirst.services import plan
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.hub_client import HubClient
from givefirst.services.needs import add_item
from givefirst.services.people import PersonInput, add_person
from givefirst.store import ledger as ledger_store
from givefirst.store import people as people_store
from givefirst.store.schema import exchanges, hub_board_items, interactions
from givefirst.web import create_app
from tests.conftest import NOW, Cli
from tests.hub import factory
from tests.hub_client.conftest import ChapterHub
from tests.hub_client.pull_helpers import join, pull_now
from tests.web.conftest import csrf

SEEKER_NEED = "Data engineer moving to Tampa — looking for my next data engineering role there (Python, Spark)"
MY_OFFER = "I'm hiring a data engineer for my analytics team in Tampa — Python"
MOVER_NEED = "Looking for a realtor to help a new hire relocate to Tampa"
RAY_OFFER = "Realtor in South Tampa, I help relocating families find a home"


def known_contact(app: App, name: str, touches: int = 6) -> int:
    """A contact the user knows well enough to broker (a few two-way touches this year)."""
    pid = add_person(app, PersonInput(name=name, location="Tampa, FL"))
    for week in range(touches):
        log_interaction(app, [str(pid)], at=NOW - timedelta(days=7 * week + 3), summary=f"coffee {week}")
    return pid


@pytest.fixture
def chapter(chapter_hub: ChapterHub) -> dict[str, int]:
    """Sam needs a data engineering role (the user's own offer meets it); Pat needs a realtor (Ray's offer)."""
    sam = chapter_hub.members["Sam Seeker"][0]
    pat = chapter_hub.add_member("Pat Mover")[0]
    return {
        "sam_need": factory.item(chapter_hub.hub, sam, "need", SEEKER_NEED, location="Brooklyn, NY"),
        "pat_need": factory.item(chapter_hub.hub, pat, "need", MOVER_NEED, location="Tampa, FL"),
        "sam": sam,
        "pat": pat,
    }


def chapter_items(app: App) -> list[plan.PlanItem]:
    return [i for i in plan.today(app, size=12) if i.key.startswith("chapter:")]


def test_a_member_meets_chapter_needs_from_today_and_the_introduction_reaches_the_timeline(
    app: App, cli: Cli, chapter_hub: ChapterHub, chapter: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.begin() as conn:
        me = app.me(conn)
    own_offer = add_item(app, "offer", str(me), MY_OFFER, location="Tampa, FL")
    ray = known_contact(app, "Ray Cole")
    ray_offer = add_item(app, "offer", str(ray), RAY_OFFER)
    link = join(app, chapter_hub, monkeypatch)

    pull_now(app, chapter_hub, link)
    found = {i.key.split(":")[2]: i for i in chapter_items(app)}
    assert set(found) == {str(own_offer), str(ray_offer)}
    mine, brokered = found[str(own_offer)], found[str(ray_offer)]
    assert "from the New York chapter" in mine.title and "Sam Seeker" in mine.title
    assert "Pat Mover" in brokered.title and "Ray Cole" in brokered.title
    assert brokered.people == ((ray, "Ray Cole"),)

    shown = cli("today", "--size", "12")
    assert shown.code == 0, shown.err
    assert mine.key in shown.out and brokered.key in shown.out
    assert shown.out.count("from the New York chapter") >= 2

    done = cli("done", mine.key, "--note", "Happy to talk about our data team")
    assert done.code == 0, done.err
    assert "Offered your help to Sam Seeker" in done.out
    done = cli("done", brokered.key)
    assert done.code == 0, done.err
    assert "promised to connect Ray Cole" in done.out
    assert not chapter_items(app), "a chapter need offered once leaves the plan"
    with app.begin() as conn:  # the promise to connect Ray is the user's own: it stays here
        promise = conn.execute(select(exchanges).where(exchanges.c.person_id == ray)).one()
    assert promise.status == "promised" and "Pat Mover" in promise.description

    # On the hub, Sam sees Dana's offer of help, with Dana's message; Pat sees an offer that names no contact.
    with HubClient(chapter_hub.url, chapter_hub.token("Sam Seeker")) as sam:
        (offered,) = sam.introductions()
        assert offered["message"] == "Happy to talk about our data team"
        assert offered["helper"] == "Dana Member" and offered["state"] == "waiting"
        accepted = sam.answer(offered["id"], True)
    assert accepted["state"] == "connected"
    with HubClient(chapter_hub.url, chapter_hub.token("Pat Mover")) as pat:
        (to_pat,) = pat.introductions()
    assert "Ray" not in str(to_pat) and RAY_OFFER not in str(to_pat)

    report = pull_now(app, chapter_hub, link)
    assert any("Sam Seeker is now in your network" in line for line in report)
    with app.begin() as conn:
        sam_here = people_store.person_by_identity(conn, "email", accepted["contact"]["Sam Seeker"].lower())
        assert sam_here is not None
        (given,) = ledger_store.exchanges_of(conn, sam_here)
        assert (given.direction, given.status) == ("gave", "promised")

    out = cli("hub", "outcome", offered["id"], "helped", "--note", "Sam starts in January")
    assert out.code == 0, out.err
    with app.begin() as conn:
        (given,) = ledger_store.exchanges_of(conn, sam_here)
        assert given.status == "done"
        summaries = [r.summary for r in conn.execute(select(interactions.c.summary).order_by(interactions.c.id))]
    assert any(s.startswith("Hub introduction: Dana Member helps Sam Seeker") for s in summaries)
    assert any(s.startswith("Hub introduction outcome: helped — Sam starts in January") for s in summaries)
    shown = cli("show", "Sam Seeker")
    assert shown.code == 0, shown.err
    assert "Hub introduction outcome: helped" in shown.out

    # Pulling again adds nothing twice: no second person, exchange or interaction.
    with app.begin() as conn:
        before = [conn.execute(select(t).with_only_columns(t.c.id)).all() for t in (exchanges, interactions)]
    pull_now(app, chapter_hub, link)
    with app.begin() as conn:
        after = [conn.execute(select(t).with_only_columns(t.c.id)).all() for t in (exchanges, interactions)]
        assert len(people_store.people_named(conn, "Sam Seeker")) == 1
        assert len(conn.execute(select(hub_board_items)).all()) == 2
    assert before == after


def test_the_hub_down_leaves_today_working_and_the_item_waiting(
    app: App, cli: Cli, chapter_hub: ChapterHub, chapter: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.begin() as conn:
        me = app.me(conn)
    add_item(app, "offer", str(me), MY_OFFER, location="Tampa, FL")
    link = join(app, chapter_hub, monkeypatch)
    pull_now(app, chapter_hub, link)
    (item,) = chapter_items(app)
    with app.begin() as conn:  # the hub moves away: nothing answers at its address any more
        from sqlalchemy import update

        from givefirst.store.schema import hub_links

        conn.execute(update(hub_links).values(url="http://127.0.0.1:9"))
    shown = cli("today", "--size", "12")
    assert shown.code == 0 and item.key in shown.out
    failed = cli("done", item.key)
    assert failed.code != 0
    assert "cannot reach http://127.0.0.1:9" in failed.err + failed.out
    assert "Traceback" not in failed.err
    assert [i.key for i in chapter_items(app)] == [item.key], "nothing lost: the item waits for the next try"
    snoozed = cli("snooze", item.key)
    assert snoozed.code == 0, snoozed.err
    assert "Sam Seeker's need from the New York chapter" in snoozed.out
    assert not chapter_items(app)


@pytest.fixture
def web(app: App) -> Iterator[TestClient]:
    """The local web app on the test database (as tests/web/conftest.py makes it)."""
    settings = Settings(database=app.settings.database, today=NOW.date())
    with TestClient(create_app(settings, now=NOW), base_url="http://127.0.0.1") as client:
        yield client


def test_the_web_today_marks_a_chapter_item_and_its_done_offers_help_on_the_hub(
    app: App, web: TestClient, chapter_hub: ChapterHub, chapter: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.begin() as conn:
        me = app.me(conn)
    add_item(app, "offer", str(me), MY_OFFER, location="Tampa, FL")
    link = join(app, chapter_hub, monkeypatch)
    pull_now(app, chapter_hub, link)
    (item,) = chapter_items(app)
    page = web.get("/today").text
    assert item.key in page and 'class="badge chapter"' in page
    r = web.post("/today/done", data={"key": item.key, "kind": "message", "note": "Glad to help",
                                      "csrf_token": csrf(web)}, headers={"HX-Request": "true"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert "Offered your help to Sam Seeker" in r.text
    with HubClient(chapter_hub.url, chapter_hub.token("Sam Seeker")) as sam:
        (offered,) = sam.introductions()
    assert offered["message"] == "Glad to help"
