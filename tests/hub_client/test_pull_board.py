"""Pulling a hub's board: replaced whole in one transaction (local ids kept), the member's own items left out, a
pull cut half-way writes nothing, and what the client sends names no contact (a recorder sees every request)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from givefirst.domain.plan import CHAPTER_MESSAGE
from givefirst.hub.store.schema import items as hub_items
from givefirst.services import hub_membership, hub_pull, plan
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.hub_client import HubClient, HubUnreachable
from givefirst.services.needs import add_item
from givefirst.services.people import PersonInput, add_person
from givefirst.store.hub_links import HubLink
from givefirst.store.schema import hub_board_items
from tests.conftest import NOW
from tests.hub import factory
from tests.hub_client.conftest import ChapterHub
from tests.hub_client.pull_helpers import join, pull_now

RAY_OFFER = "Realtor in South Tampa, I help relocating families find a home"


def board(app: App) -> dict[str, tuple[int, str]]:
    with app.begin() as conn:
        rows = conn.execute(select(hub_board_items)).all()
    return {str(r.public_id): (int(r.id), str(r.text)) for r in rows}


def public_id(hub: ChapterHub, item_id: int) -> str:
    with hub.hub.engine.connect() as conn:
        return str(conn.execute(select(hub_items.c.public_id).where(hub_items.c.id == item_id)).scalar_one())


def test_the_board_is_replaced_whole_keeping_ids_and_leaving_out_my_own(
    app: App, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    sam, dana = chapter_hub.members["Sam Seeker"][0], chapter_hub.members["Dana Member"][0]
    first = public_id(chapter_hub, factory.item(chapter_hub.hub, sam, "need", "A realtor in Tampa"))
    second = public_id(chapter_hub, factory.item(chapter_hub.hub, sam, "offer", "Python tutoring"))
    factory.item(chapter_hub.hub, dana, "need", "My own need")  # the member's own: not pulled back
    link = join(app, chapter_hub, monkeypatch)
    report = pull_now(app, chapter_hub, link)
    assert report[0] == "board: 2 open items (2 new, 0 gone)"
    pulled = board(app)
    assert set(pulled) == {first, second}

    with HubClient(chapter_hub.url, chapter_hub.token("Sam Seeker")) as client:
        client.close_item(second)
    third = public_id(chapter_hub, factory.item(chapter_hub.hub, sam, "need", "A Spanish tutor"))
    report = pull_now(app, chapter_hub, link)
    assert report[0] == "board: 2 open items (1 new, 1 gone)"
    again = board(app)
    assert set(again) == {first, third}
    assert again[first][0] == pulled[first][0], "an item still on the board keeps its id (a plan item names it)"


def test_a_pull_cut_half_way_writes_nothing_and_completes_next_time(
    app: App, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    sam = chapter_hub.members["Sam Seeker"][0]
    factory.item(chapter_hub.hub, sam, "need", "A realtor in Tampa")
    link = join(app, chapter_hub, monkeypatch)
    pull_now(app, chapter_hub, link)
    later = public_id(chapter_hub, factory.item(chapter_hub.hub, sam, "need", "A Spanish tutor"))

    def cut_at_events(request: httpx.Request) -> None:
        if request.url.path.startswith("/api/v1/events"):
            raise httpx.ConnectError("the line dropped", request=request)

    before = board(app)
    cut = HubClient(chapter_hub.url, chapter_hub.token("Dana Member"), on_request=cut_at_events)
    with cut as client, pytest.raises(HubUnreachable):
        hub_pull.pull(app, link, client)
    assert board(app) == before, "the board read before the cut was not written"
    pull_now(app, chapter_hub, link)
    assert later in board(app)


@contextmanager
def recorded(monkeypatch: pytest.MonkeyPatch, sent: list[httpx.Request], token: str) -> Iterator[None]:
    """Every client the app opens records each request it sends."""

    def recording_client(link: HubLink, *, timeout: float | None = None) -> HubClient:
        return HubClient(link.url, token, on_request=sent.append)

    monkeypatch.setattr(hub_membership, "open_client", recording_client)
    yield


def test_nothing_about_a_contact_leaves_the_machine(
    app: App, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    pat = chapter_hub.add_member("Pat Mover")[0]
    need = factory.item(chapter_hub.hub, pat, "need", "Looking for a realtor to help a new hire relocate to Tampa",
                        location="Tampa, FL")  # fmt: skip
    ray = add_person(app, PersonInput(name="Ray Cole", emails=["ray@cole.example"], location="Tampa, FL"))
    for week in range(6):
        log_interaction(app, [str(ray)], at=NOW - timedelta(days=7 * week + 3), summary="coffee")
    ray_offer = add_item(app, "offer", str(ray), RAY_OFFER)
    link = join(app, chapter_hub, monkeypatch)
    sent: list[httpx.Request] = []
    with HubClient(chapter_hub.url, chapter_hub.token("Dana Member"), on_request=sent.append) as client:
        hub_pull.pull(app, link, client)
    assert {r.method for r in sent} == {"GET"}, "a pull only reads"
    (item,) = [i for i in plan.today(app, size=12) if i.key.startswith("chapter:")]
    assert item.key.endswith(f":{ray_offer}")
    with recorded(monkeypatch, sent, chapter_hub.token("Dana Member")):
        plan.done(app, item.key)
    posts = [r for r in sent if r.method != "GET"]
    assert [(r.method, r.url.path) for r in posts] == [("POST", "/api/v1/introductions")]
    # Exactly the hub's need and the user's (default, neutral) message: no contact, no offer, no local id.
    assert json.loads(posts[0].content) == {"need": public_id(chapter_hub, need), "message": CHAPTER_MESSAGE}
    everything = b"\n".join(bytes(str(r.url), "utf-8") + b" " + r.content for r in sent).lower()
    for secret in ("Ray", "Cole", "ray@cole.example", "Realtor in South Tampa"):
        assert secret.lower().encode() not in everything, f"{secret!r} left the machine"
