"""The chapter's events arrive as local events: who is expected (local people by their hub identity or a unique
exact name; the others named in the notes), the hub's prep sheet in the notes, updated and removed on each pull."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from givefirst.hub.store.schema import events as hub_events
from givefirst.services.context import App
from givefirst.services.hub_client import HubClient
from givefirst.services.people import PersonInput, add_person
from givefirst.store import events as events_store
from givefirst.store import people as people_store
from givefirst.store.schema import events
from tests.conftest import Cli
from tests.hub import factory
from tests.hub_client.conftest import ChapterHub
from tests.hub_client.pull_helpers import join, pull_now


@pytest.fixture
def meeting(chapter_hub: ChapterHub) -> str:
    """The chapter's next meeting in 5 days: Dana and Sam going, Pat going, Lee maybe, Noor not coming."""
    hub = chapter_hub.hub
    public_id = factory.event(hub, chapter_hub.chapter_id, "December meeting", days=5)
    for name, answer in (("Dana Member", "going"), ("Sam Seeker", "going")):
        factory.rsvp(hub, public_id, chapter_hub.members[name][0], answer)
    for name, answer in (("Pat Mover", "going"), ("Lee Known", "maybe"), ("Noor Absent", "no")):
        factory.rsvp(hub, public_id, chapter_hub.add_member(name)[0], answer)
    # Dana's offer meets Sam's need on the hub: the hub's sheet for Dana says so.
    dana, sam = chapter_hub.members["Dana Member"][0], chapter_hub.members["Sam Seeker"][0]
    need = factory.item(hub, sam, "need", "An intro to a data team in Tampa")
    offer = factory.item(hub, dana, "offer", "I lead a data team in Tampa")
    factory.match(hub, need, offer, score=0.9)
    return public_id


def local_events(app: App) -> list[object]:
    with app.begin() as conn:
        return list(conn.execute(select(events).where(events.c.source == "hub:ny")).all())


def test_the_chapters_event_arrives_with_who_is_expected_and_the_sheet(
    app: App, cli: Cli, chapter_hub: ChapterHub, meeting: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = join(app, chapter_hub, monkeypatch)
    with HubClient(chapter_hub.url, chapter_hub.token("Sam Seeker")) as sam_client:
        sam_public = str(sam_client.me()["id"])
    sam = add_person(app, PersonInput(name="Samuel S."))  # known here under another name: found by hub identity
    lee = add_person(app, PersonInput(name="Lee Known"))  # found by a unique exact name
    add_person(app, PersonInput(name="Noor Absent"))  # not coming: not expected
    with app.begin() as conn:
        people_store.add_identity(conn, sam, "hub", f"{chapter_hub.url}#{sam_public}")

    pull_now(app, chapter_hub, link)
    (event,) = local_events(app)
    assert (event.title, event.external_id, event.rsvp) == ("December meeting", meeting, "yes")
    with app.begin() as conn:
        expected = events_store.event_people_of(conn, [event.id])[event.id]
    assert sorted(expected) == sorted([(sam, "expected"), (lee, "expected")])
    assert "Also expected: Pat Mover" in event.notes
    assert "Noor" not in event.notes and "Dana" not in event.notes
    assert "Sam Seeker needs “An intro to a data team in Tampa”: your “I lead a data team in Tampa”" in event.notes

    listed = cli("events")
    assert listed.code == 0, listed.err
    assert "December meeting" in listed.out
    prep = cli("event", "prep", str(event.id))
    assert prep.code == 0, prep.err
    assert "Lee Known" in prep.out

    # Pulled again: the same event, not a second one.
    pull_now(app, chapter_hub, link)
    assert [e.id for e in local_events(app)] == [event.id]


def test_an_event_changed_on_the_hub_is_updated_and_one_cancelled_is_removed(
    app: App, chapter_hub: ChapterHub, meeting: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = join(app, chapter_hub, monkeypatch)
    other = factory.event(chapter_hub.hub, chapter_hub.chapter_id, "January meeting", days=12)
    pull_now(app, chapter_hub, link)
    assert {e.external_id for e in local_events(app)} == {meeting, other}
    with chapter_hub.hub.engine.begin() as conn:
        conn.execute(update(hub_events).where(hub_events.c.public_id == meeting).values(title="December social"))
        conn.execute(delete(hub_events).where(hub_events.c.public_id == other))
    pull_now(app, chapter_hub, link)
    (left,) = local_events(app)
    assert (left.external_id, left.title) == (meeting, "December social")
