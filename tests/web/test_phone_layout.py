"""The demo on a phone (Chromium at 390×844, touch, mobile) and on a desktop (1280×900): pages no wider than the
screen, filter fields inside their columns, tap targets of 24×24 CSS px or more (WCAG 2.2, 2.5.8), the network
picture that lets a swipe scroll the page and names the person nearest to a tap, the stats chart that shows the
latest months first, and Connect that starts with its suggestions and comes back at the draft after a step.
axe-core finds no serious or critical violation on these pages at either size.

Skipped where there is no /usr/bin/chromium or no Playwright.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from givefirst.config import Settings
from givefirst.services.context import open_app
from tests.conftest import NOW
from tests.web.server import running_server
from tests.web.test_a11y import axe_violations
from tests.web.test_browser import CHROMIUM, Watched

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PAGES = ("/people", "/paths?org=Acme", "/network", "/stats", "/connect")
# What a finger or a pointer aims at on each page, each to be 24×24 CSS px or more.
TARGETS = {
    "/people": ("table.people label.tick", ".filters label.check", ".filters input:not([type=checkbox])",
                ".filters select", ".filters button"),
    "/paths": (".filters input", ".filters button"),
    "/network": (".filters label.check", ".filters input:not([type=checkbox])", ".graph-zoom button"),
    "/connect": ("article.suggestion summary", "article.suggestion button"),
}  # fmt: skip
# Fixed in the stylesheet alone, on pages this module does not otherwise look at.
STYLED_TARGETS = {
    "/today": "details.people > summary",
    "/events": "details.people > summary",
    "/capture": "details.more > summary",
    "/people/{tagged}": "a.tag",
}

TOO_SMALL = """(selector) => {
    const found = [...document.querySelectorAll(selector)].filter(e => e.getClientRects().length > 0);
    const small = found.map(e => e.getBoundingClientRect())
        .filter(r => r.width < 24 || r.height < 24).map(r => `${r.width.toFixed(1)}x${r.height.toFixed(1)}`);
    return [found.length, small];
}"""
# Every field of a filter form inside its own label (its column), none running into the next one.
FIELDS_OUTSIDE = """() => [...document.querySelectorAll('.filters label')].flatMap(label => {
    const l = label.getBoundingClientRect();
    return [...label.querySelectorAll('input, select')].filter(f => {
        const r = f.getBoundingClientRect();
        return r.left < l.left - 0.5 || r.right > l.right + 0.5;
    }).map(f => `${f.name}: ${f.getBoundingClientRect().right.toFixed(1)} > ${l.right.toFixed(1)}`);
})"""


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _demo(tmp_path_factory.mktemp("layout") / "demo.db")


def _demo(path: Path) -> str:
    from givefirst.services.demo import build_demo

    app = open_app(Settings(database=str(path), today=NOW.date()), now=NOW)
    build_demo(app)
    app.close()
    return str(path)


@pytest.fixture(scope="module")
def base(demo_db: str) -> Iterator[str]:
    with running_server(Settings(database=demo_db, today=NOW.date()), now=NOW) as url:
        yield url


def _open(w: Watched, path: str) -> None:
    w.page.goto(path)
    if path.startswith("/network"):
        w.page.wait_for_selector("#graph[data-ready]")


def _fits(page: Any) -> None:
    # Against the screen's width, not innerWidth: on a phone the layout viewport grows to what the page needs.
    screen = page.viewport_size["width"]
    width, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width <= screen and inner <= screen, (
        f"{page.url} is {width}px wide on a {screen}px screen: it scrolls sideways"
    )


def _targets(page: Any, selectors: tuple[str, ...]) -> None:
    for selector in selectors:
        count, small = page.evaluate(TOO_SMALL, selector)
        assert count, f"{page.url}: nothing matches {selector}"
        assert not small, f"{page.url}: {selector} smaller than 24×24: {small[:5]}"


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_pages_fit_the_screen_and_their_targets_are_big_enough(chromium: Any, base: str, device: Any) -> None:
    w = Watched(chromium, base, **device)
    for path in PAGES:
        _open(w, path)
        _fits(w.page)
        assert not w.page.evaluate(FIELDS_OUTSIDE), f"{path}: {w.page.evaluate(FIELDS_OUTSIDE)}"
        _targets(w.page, TARGETS.get(path.split("?")[0], ()))
        problems = axe_violations(w.page)
        assert not problems, "\n".join(problems)
    tagged = w.page.request.get("/people.json?tag=aop-fl").json()["people"][0]["id"]
    for path, selector in STYLED_TARGETS.items():
        _open(w, path.format(tagged=tagged))
        _targets(w.page, (selector,))
    w.check()
    w.close()


def test_the_latest_months_of_the_chart_show_first(chromium: Any, base: str) -> None:
    for device in (PHONE, DESKTOP):
        w = Watched(chromium, base, **device)
        w.page.goto("/stats")
        chart = w.page.locator(".chart-months .chart-scroll")
        last = chart.locator("rect").last  # the latest month's last bar
        seen, bar = chart.bounding_box(), last.bounding_box()
        assert seen and bar
        assert seen["x"] - 0.5 <= bar["x"] and bar["x"] + bar["width"] <= seen["x"] + seen["width"] + 0.5, (seen, bar)
        hint = w.page.locator(".chart-months .chart-hint")
        scrolls = chart.evaluate("e => e.scrollWidth > e.clientWidth")
        if device is PHONE:
            assert scrolls and hint.is_visible() and "earlier" in hint.inner_text()
        else:  # the whole year fits, drawn from the left as before
            assert not scrolls and not hint.is_visible()
            assert chart.locator("svg").bounding_box()["x"] == pytest.approx(seen["x"], abs=1)  # type: ignore[index]
        w.check()
        w.close()


def _swipe(w: Watched, x: float, y: float, dy: float) -> None:
    """One finger down at (x, y), moved dy px in ten steps, then lifted (as the phone's touch screen sends it)."""
    cdp = w.context.new_cdp_session(w.page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y + dy * step / 10}]})
        w.page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    w.page.wait_for_timeout(300)
    cdp.detach()


def _pick(w: Watched) -> tuple[str | None, str | None]:
    """What the last tap on the picture shows: (the person's id or "" for you, the dot's x,y), or (None, None)."""
    pid, at = w.page.evaluate(
        "(() => { const p = document.getElementById('graph-pick');"
        " return p.hidden ? [null, null] : [p.dataset.pid || '', p.dataset.at]; })()"
    )
    return pid, at


def test_the_network_picture_on_a_touch_screen(chromium: Any, base: str) -> None:
    w = Watched(chromium, base, **PHONE)
    page = w.page
    _open(w, "/network")
    assert page.locator("#graph").evaluate("e => getComputedStyle(e).touchAction") == "pan-y"
    assert "Tap a person" in page.inner_text("#graph-status")
    help_text = page.locator(".for-touch")
    assert help_text.is_visible() and "tap" in help_text.inner_text() and not page.locator(".for-mouse").is_visible()

    # A vertical swipe that starts on the picture scrolls the page.
    page.evaluate("window.scrollTo(0, 0)")
    box = page.locator("#graph").bounding_box()
    assert box is not None
    start = min(box["y"] + box["height"] / 2, 800)
    _swipe(w, box["x"] + box["width"] / 2, start, -200)
    assert page.evaluate("window.scrollY") > 100, "a swipe on the picture did not scroll the page"

    page.locator("#graph").evaluate("e => e.scrollIntoView({block: 'center'})")
    box = page.locator("#graph").bounding_box()
    assert box is not None
    middle_x = box["x"] + box["width"] / 2
    page.touchscreen.tap(middle_x, box["y"] + box["height"] / 2)
    assert _pick(w)[0] == "", "a tap in the middle names you"
    # Up from the bottom edge to the first dot (the outer ring): its name shows, with a link, and nothing opens.
    y = box["y"] + box["height"] - 4
    while _pick(w)[0] in (None, "") and y > box["y"] + box["height"] / 2:
        page.touchscreen.tap(middle_x, y)
        y -= 4
    pid, at = _pick(w)
    assert pid, "no tap on the way up from the bottom named anyone"
    assert page.url.endswith("/network")
    link = page.locator("#graph-pick a")
    assert link.get_attribute("href") == f"/people/{pid}" and link.inner_text().strip()
    assert (link.bounding_box() or {}).get("height", 0) >= 24
    problems = axe_violations(page)
    assert not problems, "\n".join(problems)
    # The dot is a few pixels wide; a tap 12px below its centre (away from the rest) still finds it, 40px does not.
    dot_x, dot_y = (float(v) for v in (at or "").split(","))
    origin_x, origin_y = box["x"] + 1, box["y"] + 1  # inside the picture's border
    page.touchscreen.tap(box["x"] + 5, box["y"] + box["height"] - 5)  # an empty corner: the name goes
    assert _pick(w) == (None, None)
    page.touchscreen.tap(origin_x + dot_x, origin_y + dot_y + 12)
    assert _pick(w)[0] == pid
    if dot_y + 40 < box["height"] - 4:
        page.touchscreen.tap(origin_x + dot_x, origin_y + dot_y + 40)
        assert _pick(w) == (None, None)
        page.touchscreen.tap(origin_x + dot_x, origin_y + dot_y + 12)
    # A second tap on the same person opens their page.
    page.touchscreen.tap(origin_x + dot_x, origin_y + dot_y + 12)
    page.wait_for_url(f"**/people/{pid}")
    w.check()
    w.close()


def test_the_network_help_speaks_of_the_mouse_on_a_desktop(chromium: Any, base: str) -> None:
    w = Watched(chromium, base, **DESKTOP)
    _open(w, "/network")
    assert "Click a person" in w.page.inner_text("#graph-status")
    assert w.page.locator(".for-mouse").is_visible() and not w.page.locator(".for-touch").is_visible()
    w.check()
    w.close()


def test_connect_on_a_phone_starts_with_the_suggestions(chromium: Any, base: str) -> None:
    w = Watched(chromium, base, **PHONE)
    w.page.goto("/connect")
    first, board = w.page.locator("article.suggestion").first.bounding_box(), w.page.locator("#board").bounding_box()
    assert first and board and first["y"] < board["y"], "the board comes before the first suggestion"
    assert first["y"] < 844, "the first suggestion is not on the first screen"
    # The demo's board is empty: its columns take a line or two, not a screen each.
    columns = w.page.locator(".board .column-empty")
    assert columns.count() == 7
    assert all((box or {"height": 999})["height"] < 60 for box in (c.bounding_box() for c in columns.all()))
    w.check()
    w.close()
    w = Watched(chromium, base, **DESKTOP)  # on a wide screen the board stays on top, its columns side by side
    w.page.goto("/connect")
    first, board = w.page.locator("article.suggestion").first.bounding_box(), w.page.locator("#board").bounding_box()
    assert first and board and board["y"] < first["y"]
    columns = w.page.locator(".board .column")
    assert len({round((c.bounding_box() or {"y": 0})["y"]) for c in columns.all()}) == 1
    w.check()
    w.close()


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_after_suggesting_an_introduction_the_page_shows_the_message_and_the_draft(
    chromium: Any, tmp_path: Path, device: Any
) -> None:
    database = _demo(tmp_path / "suggest.db")  # a board of its own: this test adds to it
    with running_server(Settings(database=database, today=NOW.date()), now=NOW) as url:
        w = Watched(chromium, url, **device)
        page = w.page
        page.goto("/connect")
        button = page.locator("article.suggestion button:has-text('Suggest this introduction')").first
        if device is PHONE:
            button.tap()
        else:
            button.click()
        page.wait_for_selector("#draft")
        assert page.url.endswith("/connect#board")
        height = device["viewport"]["height"]
        flash, draft = page.locator(".flash").bounding_box(), page.locator("#draft").bounding_box()
        assert flash and draft
        assert flash["y"] >= 0 and flash["y"] + flash["height"] <= height, f"the message is off the screen: {flash}"
        assert 0 <= draft["y"] < height - 150, f"the draft is off the screen: {draft}"
        _fits(page)
        # A step taken on the board (HTMX) brings its message and the next draft into view too.
        intro = page.locator(".column[data-state=suggested] article.intro").first.get_attribute("data-intro")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        step = page.locator(f"article.intro[data-intro='{intro}'] button[data-advance]")
        if device is PHONE:
            step.tap()
        else:
            step.click()
        page.wait_for_selector(f".column[data-state=asked_first] article.intro[data-intro='{intro}']")
        page.wait_for_timeout(200)
        message = page.locator("#board-wrap .ok").bounding_box()
        assert message and 0 <= message["y"] < height, f"the step's message is off the screen: {message}"
        w.check()
        w.close()
