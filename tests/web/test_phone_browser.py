"""On a phone at a chapter meeting, in a real browser (Chromium at 390×844, touch, mobile): event mode and its
one-tap actions, quick capture (a look-alike asked about; a capture made offline kept on the phone and sent when
the network returns), the last pages still there when the server is gone (service worker), and the QR card.
Screenshots go to test-artifacts/screenshots/phone-*.png.

Skipped where there is no /usr/bin/chromium or no Playwright.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from givefirst.config import Settings
from givefirst.services.context import open_app
from givefirst.services.events import EventInput, add_event
from givefirst.services.people import PersonInput, set_me
from givefirst.store import people as people_store
from tests.conftest import NOW
from tests.web.conftest import seed
from tests.web.server import free_port, running_server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 3}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


@pytest.fixture
def chapter(tmp_path: Path) -> tuple[str, int]:
    """A database with a small network and tonight's chapter meeting (Ana and Ben expected); its path and id."""
    database = str(tmp_path / "phone.db")
    app = open_app(Settings(database=database, today=NOW.date()), now=NOW)
    try:
        s = seed(app)
        set_me(app, PersonInput(name="Jordan Reyes", phones=["+1 813 555 0142"], organization="Reyes Advisory"))
        event = add_event(app, EventInput("AOP Tampa chapter meeting", NOW + timedelta(hours=2), location="Tampa, FL",
                                          expected=[f"#{s.ana}", f"#{s.ben}"]))  # fmt: skip
    finally:
        app.close()
    return database, event


class Phone:
    """A phone's browser on the server; fails the test on a script error or a CSP refusal in the console."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context(base_url=base, **PHONE)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.server_gone = False  # set once the test stops the server: refused connections are then the point
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("console", self._console)

    def _console(self, message: Any) -> None:
        text = message.text
        # Expected: the fetches that fail offline on purpose, the 409 that says "looks like someone you know", and
        # on plain http over the LAN Chromium's note that it ignores Cross-Origin-Opener-Policy there.
        expected = ("net::ERR_INTERNET_DISCONNECTED", "Failed to fetch", "409 (Conflict)",
                    "Cross-Origin-Opener-Policy header has been ignored")  # fmt: skip
        if self.server_gone:
            expected += ("ERR_CONNECTION_REFUSED", "503")
        if message.type == "error" and not any(e in text for e in expected):
            self.problems.append(f"{self.page.url}: {text}")

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True, caret="initial")

    def fits(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{self.page.url} is {width}px wide on a 390px phone: it scrolls sideways"

    def close(self) -> None:
        self.context.close()
        assert not self.problems, self.problems


def people_named(database: str, name: str) -> list[tuple[int, str]]:
    app = open_app(Settings(database=database, today=NOW.date()), now=NOW)
    try:
        with app.begin() as conn:
            return [(pid, n) for pid, n in people_store.people_named(conn, name) if n == name]
    finally:
        app.close()


def until(page: Any, script: str, timeout: float = 10) -> None:
    """Wait until `script` is true in the page (wait_for_function evaluates in the page, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"never true: {script}"
        time.sleep(0.1)


def test_event_mode_check_in_and_a_give_with_one_thumb(browser: Any, chapter: tuple[str, int]) -> None:
    database, event = chapter
    with running_server(Settings(database=database, today=NOW.date()), now=NOW) as base:
        phone = Phone(browser, base)
        page = phone.page
        page.goto("/live")
        assert page.url.endswith(f"/events/{event}/live")
        page.wait_for_selector("h1:has-text('AOP Tampa chapter meeting')")
        assert "introduce them to Ben Ortiz, also there" in page.inner_text("main")
        phone.fits()
        phone.shot("event-mode")
        page.locator("[aria-label='Check in Ana Ruiz']").first.tap()
        page.wait_for_selector("text=Ana Ruiz: Checked in.")
        assert page.locator("[aria-label='Check in Ana Ruiz']").count() == 0  # she is here now
        page.locator("details.give summary").first.tap()
        page.fill("input[name=what]", "Introduced her to Ben's hiring manager")
        page.locator("details.give button[type=submit]").first.tap()
        page.wait_for_selector("text=Ana Ruiz: Give recorded.")
        person = page.request.get(f"/people/{people_named(database, 'Ana Ruiz')[0][0]}.json").json()
        assert "Introduced her to Ben's hiring manager" in [e["description"] for e in person["ledger"]]
        phone.close()


def test_quick_capture_in_under_15_seconds_and_a_look_alike_asked_about(browser: Any, chapter: tuple[str, int]) -> None:
    database, event = chapter
    with running_server(Settings(database=database, today=NOW.date()), now=NOW) as base:
        phone = Phone(browser, base)
        page = phone.page
        page.goto(f"/events/{event}/live")
        started = time.monotonic()
        page.locator("summary:has-text('+ Met someone')").tap()
        page.fill("#c-name", "Dana Whitfield")
        page.fill("#c-org", "Bay Bank")
        page.locator("label:has-text('offer') input").tap()
        page.fill("#c-text", "Happy to introduce Tampa CFOs")
        page.locator("form[data-capture] button[type=submit]").tap()
        page.wait_for_selector("text=Dana Whitfield: Saved. The follow-up is in Today.")
        assert time.monotonic() - started < 15
        assert people_named(database, "Dana Whitfield")
        phone.fits()
        page.goto("/today")
        assert "Follow up with Dana Whitfield" in page.inner_text("main")

        page.goto(f"/events/{event}/live")
        page.locator("summary:has-text('+ Met someone')").tap()
        page.fill("#c-name", "Ana Ruis")
        page.fill("#c-text", "A CFO in Tampa")
        page.locator("form[data-capture] button[type=submit]").tap()
        page.wait_for_selector("text=Is this someone you already know?")
        phone.fits()
        phone.shot("look-alike")
        page.locator("button:has-text('This is Ana Ruiz')").tap()
        page.wait_for_selector("text=Ana Ruiz: Saved. The follow-up is in Today.")
        assert not people_named(database, "Ana Ruis")
        phone.close()


def test_a_capture_made_offline_is_kept_on_the_phone_and_sent_when_back(browser: Any, chapter: tuple[str, int]) -> None:
    database, event = chapter
    with running_server(Settings(database=database, today=NOW.date()), now=NOW) as base:
        phone = Phone(browser, base)
        page = phone.page
        page.goto(f"/events/{event}/live")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # installed before the network goes
        phone.context.set_offline(True)
        page.locator("summary:has-text('+ Met someone')").tap()
        page.fill("#c-name", "Marcus Lee")
        page.fill("#c-text", "A mentor in fintech")
        page.locator("form[data-capture] button[type=submit]").tap()
        page.wait_for_selector("#outbox:has-text('kept on this phone (Marcus Lee)')")
        phone.shot("offline-capture")
        assert not people_named(database, "Marcus Lee")
        assert page.input_value("#c-name") == ""  # ready for the next person
        phone.context.set_offline(False)
        page.wait_for_selector("#outbox:has-text('Sent: Marcus Lee')", timeout=20_000)
        (marcus,) = people_named(database, "Marcus Lee")
        person = page.request.get(f"/people/{marcus[0]}.json").json()
        assert person["how_met"] == "Met at AOP Tampa chapter meeting"
        assert [n["text"] for n in person["needs"]] == ["A mentor in fintech"]
        page.reload()
        # The service worker's sync and the page's own retry may both have sent it (the server keeps one, by its
        # client id); the second may still be removing it from the phone when the page loads, so wait.
        page.wait_for_selector("#outbox", state="hidden", timeout=10_000)  # nothing waits any more
        assert len(people_named(database, "Marcus Lee")) == 1
        phone.close()


def test_the_last_pages_stay_usable_when_the_server_is_gone(browser: Any, chapter: tuple[str, int]) -> None:
    database, event = chapter
    server = running_server(Settings(database=database, today=NOW.date()), now=NOW)
    base = server.__enter__()
    phone = Phone(browser, base)
    page = phone.page
    try:
        page.goto("/today")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # now under the worker, which keeps a copy of what it serves
        page.goto(f"/events/{event}/live")
        page.wait_for_selector("h1:has-text('AOP Tampa chapter meeting')")
    finally:
        server.__exit__(None, None, None)
        phone.server_gone = True  # (the console reports a refused fetch whenever it likes, even after the page)
    page.goto("/today")
    assert "Follow up" in page.inner_text("main") or "Deliver to Ana Ruiz" in page.inner_text("main")
    page.goto(f"/events/{event}/live")
    assert "introduce them to Ben Ortiz" in page.inner_text("main")
    page.goto("/people")  # never kept: the worker says the server is gone, with the pages it has
    assert "The server cannot be reached" in page.inner_text("body")
    phone.close()


def test_my_card_as_a_qr_code_on_the_phone(browser: Any, chapter: tuple[str, int]) -> None:
    database, _ = chapter
    with running_server(Settings(database=database, today=NOW.date()), now=NOW) as base:
        phone = Phone(browser, base)
        page = phone.page
        page.goto("/card")
        image = page.locator(".card-qr img")
        until(page, "document.querySelector('.card-qr img').naturalWidth > 0")
        assert "phone0" not in image.get_attribute("src")  # a phone number is shared only when ticked
        assert image.bounding_box()["width"] >= 250  # big enough to scan from across a table
        phone.fits()
        phone.shot("card")
        page.locator("input[value=phone0]").tap()
        page.locator("button:has-text('Update the code')").tap()
        until(page, "document.querySelector('.card-qr img').src.includes('phone0')")
        until(page, "document.querySelector('.card-qr img').naturalWidth > 0")
        vcard = page.request.get("/card.vcf?" + image.get_attribute("src").split("?", 1)[1]).text()
        assert "TEL" in vcard and "FN:Jordan Reyes" in vcard
        phone.close()


@contextmanager
def lan_server(settings: Settings, token: str) -> Iterator[str]:
    """Serve on every address with an access token, as `givefirst serve --host 0.0.0.0 --token …`; yield the
    phone's sign-in link, with this machine's network address (not loopback)."""
    import uvicorn

    from givefirst.web import create_app
    from givefirst.web.lan import login_url

    port = free_port()
    config = uvicorn.Config(create_app(settings, token=token, host="0.0.0.0", now=NOW), host="0.0.0.0", port=port,
                            log_level="warning")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the LAN server did not start"
        time.sleep(0.02)
    try:
        link = login_url("0.0.0.0", port, token)
        assert link is not None
        yield link
    finally:
        server.should_exit = True
        thread.join(10)


def test_a_chapter_meeting_on_a_phone_on_the_lan(browser: Any, chapter: tuple[str, int]) -> None:
    """The whole evening: sign in by the QR code's link, check someone in, meet someone new, lose the network
    while meeting another, get it back, show your card, and find the follow-ups in Today."""
    database, event = chapter
    token = "chapter-night-token-1234"
    with lan_server(Settings(database=database, today=NOW.date()), token) as link:
        if link.startswith("http://127."):
            pytest.skip("this machine has no network address besides loopback")
        base = link.split("/live?")[0]
        stranger = browser.new_context(**PHONE)  # the same network, without the link: asked to sign in
        assert stranger.new_page().goto(base + f"/events/{event}/live").url.startswith(base + "/login")
        stranger.close()
        phone = Phone(browser, base)
        page = phone.page
        page.goto(link)  # what scanning the QR code does
        assert page.url == base + f"/events/{event}/live" and "token=" not in page.url
        assert page.evaluate("window.isSecureContext") is False  # plain http on the LAN: no service worker
        page.locator("[aria-label='Check in Ben Ortiz']").first.tap()
        page.wait_for_selector("text=Ben Ortiz: Checked in.")

        page.locator("summary:has-text('+ Met someone')").tap()
        page.fill("#c-name", "Dana Whitfield")
        page.fill("#c-text", "Looking for a CFO mentor")
        page.locator("form[data-capture] button[type=submit]").tap()
        page.wait_for_selector("text=Dana Whitfield: Saved. The follow-up is in Today.")

        phone.context.set_offline(True)  # the basement room has no signal
        page.locator("summary:has-text('+ Met someone')").tap()
        page.fill("#c-name", "Keiko Tanaka")
        page.fill("#c-org", "Gulf Logistics")
        page.locator("form[data-capture] button[type=submit]").tap()
        page.wait_for_selector("#outbox:has-text('kept on this phone (Keiko Tanaka)')")
        assert not people_named(database, "Keiko Tanaka")
        phone.context.set_offline(False)
        page.wait_for_selector("#outbox:has-text('Sent: Keiko Tanaka')", timeout=20_000)

        page.goto("/card")
        until(page, "document.querySelector('.card-qr img').naturalWidth > 0")
        page.goto("/today")
        plan = page.inner_text("main")
        assert "Follow up with Dana Whitfield" in plan and "Follow up with Keiko Tanaka" in plan
        phone.shot("chapter-meeting-today")
        phone.close()
