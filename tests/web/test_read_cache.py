"""The read cache: whole pages can be turned off (to measure), and on PostgreSQL the data version says when the
derived data must be computed again (more in `tests/store/test_data_version.py`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from givefirst.config import Settings
from givefirst.domain.model import InteractionKind
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.store import people as people_store
from givefirst.store.stamp import data_stamp
from givefirst.web import create_app
from tests.conftest import NOW
from tests.web.conftest import same_database, seed


@pytest.fixture
def uncached(app: App, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("GIVEFIRST_WEB_PAGE_CACHE", "off")
    settings = Settings(database=app.settings.database, today=NOW.date())
    with TestClient(create_app(settings, now=NOW), base_url="http://127.0.0.1") as client:
        yield client


def _page_keys(client: TestClient) -> list[object]:
    state = client.app.state.web  # type: ignore[attr-defined]
    return [key for key in state.cache._entries if key[0][0] == "html"]


def test_without_the_page_cache_pages_are_rendered_each_time_from_the_derived_data(
    app: App, uncached: TestClient
) -> None:
    seeded = seed(app)
    for path in ("/today", "/people", f"/people/{seeded.ana}", "/stats"):
        assert uncached.get(path).status_code == 200
    assert _page_keys(uncached) == []  # no whole page kept
    state = uncached.app.state.web  # type: ignore[attr-defined]
    assert state.cache.enabled  # SQLite by its file, PostgreSQL by its data version
    assert any(key[0] == ("today",) for key in state.cache._entries)  # the plan itself is kept
    other = same_database(app)
    try:
        with other.begin() as conn:  # a write from another process: the next view shows it
            people_store.insert_person(conn, {"name": "Zora Newly"}, NOW)
    finally:
        other.close()
    assert "Zora Newly" in uncached.get("/people?q=zora").text


def test_with_the_page_cache_pages_are_kept(app: App, web: TestClient) -> None:
    seed(app)
    assert web.get("/today").status_code == 200
    assert _page_keys(web)


def test_the_data_stamp_moves_with_commits_only(app: App) -> None:
    with app.engine.connect() as conn:
        first = data_stamp(conn)
    if app.engine.dialect.name != "postgresql":
        assert first is None  # a file: its size and time say it
        return
    with app.engine.connect() as conn:
        assert data_stamp(conn) == first  # reading changes nothing
    with app.begin() as conn:
        people_store.insert_person(conn, {"name": "Someone New"}, NOW)
    with app.engine.connect() as conn:
        assert data_stamp(conn) != first


def _row_of(page: str, name: str) -> str:
    found = re.search(r"<tr>((?:(?!</tr>).)*" + re.escape(name) + r"(?:(?!</tr>).)*)</tr>", page, re.S)
    assert found, f"{name} is not on the page"
    return found.group(1)


def test_the_people_pages_rows_are_kept_as_derived_data_until_the_database_changes(
    app: App, uncached: TestClient
) -> None:
    seeded = seed(app)
    before = uncached.get("/people?sort=recent").text
    state = uncached.app.state.web  # type: ignore[attr-defined]
    assert any(key[0][0] == "people-page" for key in state.cache._entries)  # the page's people, not its HTML
    once = re.compile(r'name="form_once" value="[^"]*"')  # every form gets a fresh one-time token
    again = uncached.get("/people?sort=recent").text
    assert once.sub("", again) == once.sub("", before)  # rendered again from them, the same
    assert "today" not in _row_of(before, "Cy Young")
    other = same_database(app)
    try:  # another process logs a call with Cy, last in touch 700 days ago: the next view shows it
        log_interaction(other, [f"#{seeded.cy}"], kind=InteractionKind.CALL, summary="a call", at=NOW)
    finally:
        other.close()
    after = uncached.get("/people?sort=recent").text
    assert "today" in _row_of(after, "Cy Young")
    assert after.index("Cy Young") < after.index("Ana Ruiz")  # most recent first
