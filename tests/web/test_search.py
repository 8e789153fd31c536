"""The search on every page (issue 12, item 12): `/search.json` in-process, then the keyboard in Chromium (`/` and
Ctrl-K open it, the arrows choose, Enter opens, Esc closes), the skip link and the dark theme.

The browser tests skip like the others where there is no /usr/bin/chromium or no Playwright.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from givefirst.config import Settings
from givefirst.services.context import open_app
from givefirst.web.pages_search import COMMANDS, MAX_PEOPLE
from tests.conftest import NOW
from tests.web.conftest import XSS_NAME, Seeded, seed
from tests.web.server import running_server
from tests.web.test_browser import CHROMIUM, Watched


def test_search_finds_people_through_the_people_search(web: TestClient, seeded: Seeded) -> None:
    found = web.get("/search.json", params={"q": "ruiz"}).json()
    assert [p["name"] for p in found["people"]] == ["Ana Ruiz"]
    assert found["people"][0]["url"] == f"/people/{seeded.ana}"
    assert found["people"][0]["organization"] == "Harbor Health"
    # the same people, in the same order, as the People page's search sorted by strength
    for q in ("tampa", "a", "ortiz"):
        listed = web.get("/people.json", params={"q": q, "sort": "strength"}).json()["people"]
        searched = web.get("/search.json", params={"q": q}).json()["people"]
        assert [p["id"] for p in searched] == [p["id"] for p in listed][:MAX_PEOPLE]
    # an email finds its owner, as on the People page
    assert [p["id"] for p in web.get("/search.json?q=ben@ortiz").json()["people"]] == [seeded.ben]


def test_search_offers_the_pages_that_match_every_word(web: TestClient, seeded: Seeded) -> None:
    everything = web.get("/search.json").json()
    assert everything["people"] == [] and len(everything["commands"]) == len(COMMANDS)
    assert [c["label"] for c in web.get("/search.json?q=capture").json()["commands"]] == ["Quick capture"]
    assert [c["url"] for c in web.get("/search.json?q=add event").json()["commands"]] == ["/start#event"]
    nothing = web.get("/search.json?q=zzzz").json()
    assert nothing["people"] == [] and nothing["commands"] == []
    assert web.get("/search.json", params={"q": "x" * 201}).status_code in (400, 422)


def test_every_page_the_search_offers_exists(web: TestClient, seeded: Seeded) -> None:
    for command in COMMANDS:
        answer = web.get(command.url.split("#")[0], follow_redirects=True)
        assert answer.status_code == 200, command
        if "#" in command.url:
            assert f'id="{command.url.split("#")[1]}"' in answer.text, command


def test_a_hostile_name_comes_back_as_data(web: TestClient, seeded: Seeded) -> None:
    answer = web.get("/search.json?q=script")
    assert answer.headers["content-type"].startswith("application/json")
    assert [p["name"] for p in answer.json()["people"]] == [XSS_NAME]


def test_every_page_has_a_skip_link_and_the_search(web: TestClient, seeded: Seeded) -> None:
    for path in ("/today", "/people", f"/people/{seeded.ana}", "/events", "/stats", "/capture", "/login"):
        page = web.get(path).text
        body = page[page.index("<body") :]
        assert body.index('class="skip" href="#main"') < body.index("<header"), path
        assert 'id="main"' in page and 'id="search-dialog"' in page and 'role="combobox"' in page, path
        assert '<script src="/static/search.js" defer></script>' in page, path


# In a real browser.

sync_api = pytest.importorskip("playwright.sync_api")
browser_only = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Seeded]]:
    database = str(tmp_path_factory.mktemp("search") / "seeded.db")
    app = open_app(Settings(database=database, today=NOW.date()), now=NOW)
    ids = seed(app)
    app.close()
    with running_server(Settings(database=database, today=NOW.date()), now=NOW) as base:
        yield base, ids


def _state(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """() => { const i = document.getElementById('search-input');
                       const sel = document.querySelectorAll('#search-results [aria-selected=true]');
                       return { open: document.getElementById('search-dialog').open,
                                focused: document.activeElement && document.activeElement.id,
                                active: i.getAttribute('aria-activedescendant'),
                                expanded: i.getAttribute('aria-expanded'),
                                selected: Array.from(sel).map(e => e.id),
                                options: Array.from(document.querySelectorAll('#search-results [role=option]'))
                                              .map(e => e.textContent) }; }"""
        )
    )


@browser_only
def test_slash_opens_the_search_and_the_keyboard_alone_reaches_a_person(
    chromium: Any, served: tuple[str, Seeded]
) -> None:
    base, ids = served
    w = Watched(chromium, base)
    page = w.page
    page.goto("/today")
    page.keyboard.press("/")
    page.wait_for_selector("#search-dialog[open]")
    assert _state(page)["focused"] == "search-input"
    page.keyboard.type("example")  # in the emails of Ana, Ben and you
    page.wait_for_selector("#search-results [role=option]:has-text('Ben Ortiz')")
    state = _state(page)
    assert state["expanded"] == "true"
    assert state["selected"] == [state["active"]] == ["search-opt-0"]  # the first match is chosen
    names = [o.split(" ")[0] + " " + o.split(" ")[1] for o in state["options"]]
    target = names.index("Ana Ruiz")
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    assert _state(page)["active"] == f"search-opt-{target}"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert _state(page)["selected"] == [f"search-opt-{target}"]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/people/{ids.ana}")
    assert "Ana Ruiz" in page.locator("h1").inner_text()
    w.check()
    w.close()


@browser_only
def test_ctrl_k_opens_it_from_a_text_field_esc_closes_and_pages_are_commands(
    chromium: Any, served: tuple[str, Seeded]
) -> None:
    base, _ = served
    w = Watched(chromium, base)
    page = w.page
    page.goto("/people")
    page.focus("main input[name=q]")
    page.keyboard.type("a/b")  # `/` inside a text field is a character, not the shortcut
    assert page.input_value("main input[name=q]") == "a/b"
    assert not _state(page)["open"]
    page.keyboard.press("Control+k")
    page.wait_for_selector("#search-dialog[open]")
    page.wait_for_selector("#search-results [role=option]")  # no text yet: every page is offered
    assert len(_state(page)["options"]) == len(COMMANDS)
    page.keyboard.press("Escape")
    page.wait_for_function("!document.getElementById('search-dialog').open")
    assert page.evaluate("document.activeElement.name") == "q"  # focus goes back where it was
    page.keyboard.press("Control+k")
    page.wait_for_selector("#search-dialog[open]")
    page.wait_for_selector("#search-results [role=option]")
    page.keyboard.type("quick capt")
    page.keyboard.press("Enter")  # at once: what the typed text matches opens, not what was listed before it
    page.wait_for_url("**/capture")
    # the hostile name is shown as text, and nothing it holds runs (Watched fails on a dialog)
    page.keyboard.press("/")
    page.wait_for_selector("#search-dialog[open]")
    page.keyboard.type("script")
    page.wait_for_selector("#search-results [role=option]:has-text('alert(1)')")
    assert _state(page)["options"][0].startswith(XSS_NAME)
    # nothing matches: Enter searches the People page for the text
    page.fill("#search-input", "")
    page.keyboard.type("zzzz")
    page.wait_for_selector("#search-status:has-text('Nothing matches')")
    assert _state(page)["expanded"] == "false" and _state(page)["active"] is None
    page.keyboard.press("Enter")
    page.wait_for_url("**/people?q=zzzz")
    w.check()
    w.close()


@browser_only
def test_the_search_button_opens_it_too(chromium: Any, served: tuple[str, Seeded]) -> None:
    base, _ = served
    w = Watched(chromium, base, viewport={"width": 390, "height": 844}, has_touch=True)
    w.page.goto("/events")
    w.page.tap("#search-open")
    w.page.wait_for_selector("#search-dialog[open]")
    w.check()
    w.close()


@browser_only
def test_the_skip_link_is_the_first_stop_and_moves_to_the_content(chromium: Any, served: tuple[str, Seeded]) -> None:
    base, _ = served
    w = Watched(chromium, base)
    page = w.page
    page.goto("/stats")
    skip = page.locator("a.skip")
    assert skip.bounding_box()["y"] < 0  # out of sight until needed
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert skip.bounding_box()["y"] >= 0  # and in sight when it has the focus
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the content, past the navigation
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    w.check()
    w.close()


@browser_only
@pytest.mark.parametrize(("scheme", "background", "text"), [
    ("light", "rgb(246, 247, 249)", "rgb(29, 39, 51)"),
    ("dark", "rgb(20, 25, 31)", "rgb(230, 234, 239)"),
])  # fmt: skip
def test_the_theme_follows_the_system_setting(
    chromium: Any, served: tuple[str, Seeded], tmp_path: Path, scheme: str, background: str, text: str
) -> None:
    base, _ = served
    w = Watched(chromium, base, color_scheme=scheme)
    page = w.page
    page.goto("/stats")
    colours = page.evaluate(
        """() => { const root = getComputedStyle(document.documentElement);
                   const label = document.querySelector('.chart text');
                   return [root.backgroundColor, root.color, label ? getComputedStyle(label).fill : null]; }"""
    )
    assert colours[0] == background and colours[1] == text
    assert colours[2] == ("rgb(91, 103, 118)" if scheme == "light" else "rgb(169, 179, 191)")  # chart labels
    page.goto("/network")
    page.wait_for_selector("#graph[data-ready]")
    graph = page.evaluate("getComputedStyle(document.getElementById('graph')).backgroundColor")
    assert graph == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(29, 36, 44)")
    w.shot(f"30-network-{scheme}")
    w.check()
    w.close()


@browser_only
def test_a_close_event_arriving_after_the_search_opened_again_keeps_its_results(
    chromium: Any, served: tuple[str, Seeded]
) -> None:
    """The dialog's close event is a task of its own: after Esc and Ctrl-K at once (or on a busy machine) it can
    arrive when the search is already open again, and must not empty what the new opening asked for."""
    base, _ = served
    w = Watched(chromium, base)
    page = w.page
    page.goto("/people")
    page.keyboard.press("Control+k")
    page.wait_for_selector("#search-results [role=option]")
    # the late close event of an earlier closing, delivered while the dialog is open
    page.evaluate("document.getElementById('search-dialog').dispatchEvent(new Event('close'))")
    assert len(_state(page)["options"]) == len(COMMANDS)
    page.keyboard.type("quick capt")
    page.wait_for_selector("#search-results [role=option]:has-text('Quick capture')")
    w.check()
    w.close()
