"""axe-core in a real browser on every page, on the demo network and on an empty database, in the light and the
dark theme (issue 12, item 11): no serious or critical violation anywhere.

axe-core is vendored for the tests only (tests/web/vendor/, its version and licence noted there) and evaluated
in the page through the DevTools protocol, which the page's CSP does not govern: the app's own CSP stays on.
Skipped like the other browser tests where there is no /usr/bin/chromium or no Playwright.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from givefirst.config import Settings
from givefirst.services.context import open_app
from tests.conftest import NOW
from tests.web.server import running_server
from tests.web.test_browser import CHROMIUM, Watched

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")
# Every page of the app; those naming an id get it from the network they run on.
PAGES = (
    "/today", "/people", "/people/{person}", "/people/new", "/connect", "/events", "/events/{event}", "/network",
    "/stats", "/import", "/start", "/paths?org={org}", "/events/{event}/live", "/capture", "/card", "/login",
)  # fmt: skip


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from givefirst.services.demo import build_demo

    database = str(tmp_path_factory.mktemp("a11y") / "demo.db")
    app = open_app(Settings(database=database, today=NOW.date()), now=NOW)
    build_demo(app)
    app.close()
    return database


def axe_violations(page: Any, impacts: tuple[str, ...] = BLOCKING) -> list[str]:
    """Run axe-core on the page as it is now; return its violations of these impacts (by default the serious and
    critical ones), one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")
    lines = []
    for v in found:
        if v["impact"] in impacts:
            targets = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:4])
            summary = v["nodes"][0].get("failureSummary", "").replace("\n", " ")[:200] if v["nodes"] else ""
            lines.append(f"{page.url}: {v['id']} ({v['impact']}, {len(v['nodes'])}x) {targets} | {summary}")
    return lines


def _ids(page: Any) -> dict[str, str]:
    """A person, an event and an organization of the network being served (empty strings when there is none)."""
    people = page.request.get("/people.json?sort=strength").json()["people"]
    events = page.request.get("/events.json?days=3650").json()["events"]
    others = [p for p in people if not p.get("is_me")]
    org = next((p["organization"] for p in others if p.get("organization")), "Acme")
    return {
        "person": str(others[0]["id"]) if others else "",
        "event": str(events[0]["id"]) if events else "",
        "org": org,
    }


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _sweep(browser: Any, database: str, scheme: str, **device: Any) -> tuple[list[str], int]:
    """Open every page in one colour scheme; return the blocking violations and how many pages were checked."""
    problems: list[str] = []
    checked = 0
    with running_server(Settings(database=database, today=NOW.date()), now=NOW) as base:
        w = Watched(browser, base, color_scheme=scheme, **device)
        page = w.page
        page.goto("/today")
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        ids = _ids(page)
        for template in PAGES:
            if any("{" + k + "}" in template and not v for k, v in ids.items()):
                continue  # an empty database has no person or event to show
            page.goto(template.format(**ids))
            if template == "/network":
                page.wait_for_selector("#graph[data-ready], #graph-status:has-text('could not')")
            problems += axe_violations(page)
            checked += 1
        # The search dialog, open, is part of every page too.
        page.goto("/today")
        page.keyboard.press("/")
        page.wait_for_selector("#search-dialog[open]")
        page.keyboard.type("a")
        page.wait_for_selector("#search-results [role=option]")
        problems += axe_violations(page)
        w.check()
        w.close()
    return problems, checked


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_of_the_demo_has_no_serious_violation(chromium: Any, demo_db: str, scheme: str) -> None:
    problems, checked = _sweep(chromium, demo_db, scheme)
    assert checked == len(PAGES)
    assert not problems, "\n".join(problems)


def test_every_page_of_the_demo_on_a_phone_has_no_serious_violation(chromium: Any, demo_db: str) -> None:
    # What scrolls sideways on a narrow screen (charts, the board) must be reachable by keyboard there too.
    problems, checked = _sweep(chromium, demo_db, "light", **PHONE)
    assert checked == len(PAGES)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_of_an_empty_database_has_no_serious_violation(chromium: Any, tmp_path: Path, scheme: str) -> None:
    problems, checked = _sweep(chromium, str(tmp_path / "empty.db"), scheme)
    assert checked == len(PAGES) - 3  # no person, no event: their pages do not exist yet
    assert not problems, "\n".join(problems)


def test_axe_finds_what_it_is_asked_to_find(chromium: Any, tmp_path: Path) -> None:
    """The check itself can fail: a low-contrast badge and an unnamed button put on a page are reported."""
    with running_server(Settings(database=str(tmp_path / "e.db"), today=NOW.date()), now=NOW) as base:
        w = Watched(chromium, base)
        w.page.goto("/login")
        w.page.evaluate(
            """() => { const s = document.createElement('span'); s.textContent = 'inner';
                       s.style.color = '#fff'; s.style.background = '#8a8f2a'; document.querySelector('main').append(s);
                       document.querySelector('main').append(document.createElement('button')); }"""
        )
        found = " ".join(axe_violations(w.page))
        assert "color-contrast" in found and "button-name" in found
        w.close()
