"""The personal web app and the hubs: "Publish to" on the user's own need/offer form, the "published on" mark, the
Hubs page with "Sync now" — and axe-core finds no serious violation on either page (light and dark)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from givefirst.config import Settings
from givefirst.services.context import App
from givefirst.web import create_app
from tests.conftest import NOW, Cli
from tests.hub_client.conftest import ChapterHub
from tests.hub_client.helpers import hub_items, join

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@pytest.fixture
def web(app: App) -> Iterator[TestClient]:
    settings = Settings(database=app.settings.database, today=NOW.date())
    with TestClient(create_app(settings, now=NOW), base_url="http://127.0.0.1") as client:
        yield client


def _token(web: TestClient, page: str = "/hubs") -> str:
    found = CSRF.search(web.get(page).text)
    assert found
    return found.group(1)


def _me(app: App) -> int:
    with app.begin() as conn:
        return app.me(conn)


def test_the_own_form_publishes_and_marks_the_item(
    web: TestClient, app: App, cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = _me(app)
    assert 'name="publish"' not in web.get(f"/people/{me}").text  # no hub joined: no choice shown
    join(cli, monkeypatch, chapter_hub.url, chapter_hub.token("Dana Member"))
    page = web.get(f"/people/{me}").text
    assert '<label for="f-publish">Publish to</label>' in page
    assert '<option value="ny:association">ny: the whole association</option>' in page
    r = web.post(f"/people/{me}/items", data={"which": "need", "item_text": "A bookkeeper", "publish": "ny:chapter",
                                               "csrf_token": _token(web)})  # fmt: skip
    assert r.status_code == 200 and "Recorded the need. ny: need #1 published (chapter" in r.text
    assert "published on ny" in r.text
    assert [i["text"] for i in hub_items(chapter_hub, chapter_hub.token("Dana Member"))] == ["A bookkeeper"]
    plain = web.post(f"/people/{me}/items", data={"which": "offer", "item_text": "Advice", "publish": "",
                                                   "csrf_token": _token(web)})  # fmt: skip
    assert plain.status_code == 200 and "Recorded the offer." in plain.text and "offer #1 published" not in plain.text
    assert len(hub_items(chapter_hub, chapter_hub.token("Dana Member"))) == 1


def test_a_contacts_page_offers_no_publishing(
    web: TestClient, cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    join(cli, monkeypatch, chapter_hub.url, chapter_hub.token("Dana Member"))
    cli("add", "Priya Shah")
    pid = int(web.get("/people.json").json()["people"][0]["id"])
    assert 'name="publish"' not in web.get(f"/people/{pid}").text
    r = web.post(f"/people/{pid}/items", data={"which": "need", "item_text": "A CFO", "publish": "ny:chapter",
                                                "csrf_token": _token(web)})  # fmt: skip
    assert r.status_code == 400 and "not yours: only your own needs and offers can be published" in r.text
    assert hub_items(chapter_hub, chapter_hub.token("Dana Member")) == []


def test_the_hubs_page_and_sync_now(
    web: TestClient, cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "No hub joined" in web.get("/hubs").text
    assert "Sync now" not in web.get("/hubs").text
    join(cli, monkeypatch, chapter_hub.url, chapter_hub.token("Dana Member"))
    cli("need", "me", "A bookkeeper", "--publish", "leads", "-s", "0")
    page = web.get("/hubs").text
    assert "Dana Member, chapter New York" in page and "A bookkeeper" in page and "Last sync: never" in page
    r = web.post("/hubs/sync", data={"csrf_token": _token(web)})
    assert r.status_code == 200 and "ny: synced" in r.text and "Last sync: 2026-11-25" in r.text
    assert web.get("/hubs.json").json()[0]["last_sync_at"].startswith("2026-11-25")


sync_api = pytest.importorskip("playwright.sync_api")


def test_the_hubs_page_and_the_publish_form_have_no_serious_violation(
    app: App, cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.web.server import running_server
    from tests.web.test_a11y import axe_violations
    from tests.web.test_browser import CHROMIUM, Watched

    if not CHROMIUM.exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    join(cli, monkeypatch, chapter_hub.url, chapter_hub.token("Dana Member"))
    cli("need", "me", "A bookkeeper", "--publish", "chapter", "-s", "0")
    me = _me(app)
    with sync_api.sync_playwright() as p:
        browser: Any = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            with running_server(Settings(database=app.settings.database, today=NOW.date()), now=NOW) as base:
                for scheme in ("light", "dark"):
                    w = Watched(browser, base, color_scheme=scheme)
                    for path in ("/hubs", f"/people/{me}"):
                        w.page.goto(path)
                        problems = axe_violations(w.page)
                        assert not problems, "\n".join(problems)
                    assert "published on ny" in w.page.content()
                    w.check()
                    w.close()
        finally:
            browser.close()
