"""Hub introductions in the member's own records: `hub intros`, `hub answer`, `hub outcome` record at once in the
ledger and timeline; the other member becomes a local person only once both accepted (their consent on the hub)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from givefirst.hub.store.schema import members as hub_members
from givefirst.services.context import App
from givefirst.services.hub_client import HubClient
from givefirst.services.people import PersonInput, add_person
from givefirst.store import ledger as ledger_store
from givefirst.store import people as people_store
from givefirst.store.schema import hub_introductions, hub_links, interactions, people
from tests.conftest import Cli
from tests.hub import factory
from tests.hub_client.conftest import ChapterHub
from tests.hub_client.pull_helpers import join

DANA_NEED = "Looking for an intro to a Tampa data team"


@pytest.fixture
def offered(chapter_hub: ChapterHub) -> str:
    """Sam offers help with Dana's need on the hub: an introduction waiting for Dana's answer; its id."""
    need = factory.item(chapter_hub.hub, chapter_hub.members["Dana Member"][0], "need", DANA_NEED)
    with chapter_hub.hub.engine.connect() as conn:
        from givefirst.hub.store.schema import items

        public_id = conn.execute(select(items.c.public_id).where(items.c.id == need)).scalar_one()
    with HubClient(chapter_hub.url, chapter_hub.token("Sam Seeker")) as sam:
        return str(sam.offer_help(public_id, "I know the team lead")["id"])


def sam_email(chapter_hub: ChapterHub) -> str:
    with chapter_hub.hub.engine.connect() as conn:
        query = select(hub_members.c.email).where(hub_members.c.id == chapter_hub.members["Sam Seeker"][0])
        return str(conn.execute(query).scalar_one())


def count(app: App, table: object) -> int:
    with app.begin() as conn:
        return len(conn.execute(select(table)).all())  # type: ignore[call-overload]


def test_accepting_as_the_seeker_brings_the_helper_into_the_network_ledger_and_timeline(
    app: App, cli: Cli, chapter_hub: ChapterHub, offered: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    join(app, chapter_hub, monkeypatch)
    listed = cli("hub", "intros", "--json")
    assert listed.code == 0, listed.err
    (intro,) = json.loads(listed.out)["introductions"]
    assert (intro["id"], intro["your_side"], intro["helper"]) == (offered, "seeker", "Sam Seeker")
    people_before = count(app, people)
    assert count(app, interactions) == 0, "not yet accepted: nobody new, nothing in the timeline"

    said = cli("hub", "answer", offered, "yes")
    assert said.code == 0, said.err
    assert "connected" in said.out and "Sam Seeker is now in your network" in said.out
    assert count(app, people) == people_before + 1
    with app.begin() as conn:
        sam = people_store.person_by_identity(conn, "email", sam_email(chapter_hub))
        assert sam is not None
        (received,) = ledger_store.exchanges_of(conn, sam)
        assert (received.direction, received.status, received.kind) == ("received", "promised", "introduction")
        (row,) = conn.execute(select(hub_introductions)).all()
        assert (row.state, row.person_id, row.exchange_id) == ("connected", sam, received.id)

    assert cli("hub", "outcome", offered, "hired").code == 0
    with app.begin() as conn:
        (received,) = ledger_store.exchanges_of(conn, sam)
    assert received.status == "done"
    timeline = cli("show", "Sam Seeker")
    assert "Hub introduction: Sam Seeker helps Dana Member" in timeline.out
    assert "Hub introduction outcome: hired" in timeline.out

    again = cli("hub", "intros")  # listing records again: nothing twice
    assert again.code == 0 and offered in again.out and "hired" in again.out
    assert count(app, interactions) == 2 and count(app, people) == people_before + 1


def test_a_declined_introduction_adds_nobody(
    app: App, cli: Cli, chapter_hub: ChapterHub, offered: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    join(app, chapter_hub, monkeypatch)
    before = count(app, people)
    said = cli("hub", "answer", offered, "no")
    assert said.code == 0, said.err
    assert "declined" in said.out
    assert count(app, people) == before and count(app, interactions) == 0
    with app.begin() as conn:
        assert conn.execute(select(hub_introductions.c.state)).scalar_one() == "declined"


def test_the_helper_already_known_by_email_is_linked_not_added_again(
    app: App, cli: Cli, chapter_hub: ChapterHub, offered: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    join(app, chapter_hub, monkeypatch)
    known = add_person(app, PersonInput(name="Sam S.", emails=[sam_email(chapter_hub)]))
    assert cli("hub", "answer", offered, "yes").code == 0
    with app.begin() as conn:
        assert conn.execute(select(hub_introductions.c.person_id)).scalar_one() == known
        assert len(ledger_store.exchanges_of(conn, known)) == 1
    assert not people_store_names(app, "Sam Seeker")


def people_store_names(app: App, name: str) -> list[tuple[int, str]]:
    with app.begin() as conn:
        return [p for p in people_store.people_named(conn, name) if p[1] == name]


def test_bad_answers_and_a_hub_that_is_down_are_clear(
    app: App, cli: Cli, chapter_hub: ChapterHub, offered: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    join(app, chapter_hub, monkeypatch)
    wrong = cli("hub", "answer", offered, "maybe")
    assert wrong.code != 0 and "answer yes or no" in wrong.err + wrong.out
    unknown = cli("hub", "outcome", "no-such-intro", "helped")
    assert unknown.code != 0 and "Traceback" not in unknown.err
    bad = cli("hub", "outcome", offered, "great")
    assert bad.code != 0 and "helped, hired or no_thanks" in bad.err + bad.out
    assert cli("hub", "intros").code == 0  # recorded here once
    with app.begin() as conn:
        conn.execute(update(hub_links).values(url="http://127.0.0.1:9"))
    down = cli("hub", "intros")
    assert down.code == 0, down.err
    assert "not answering" in down.out and offered in down.out
