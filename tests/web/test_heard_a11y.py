"""axe-core on the Heard page with its sources form (one source off, so both buttons show), light and dark:
no serious or critical violation. Skipped like the other browser tests without Chromium or Playwright."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from givefirst.config import Settings
from givefirst.services import heard
from givefirst.services.context import open_app
from givefirst.services.demo import build_demo
from tests.conftest import NOW
from tests.web.server import running_server
from tests.web.test_browser import CHROMIUM, Watched

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")


def test_the_heard_page_and_its_sources_form_have_no_serious_violation(tmp_path: Path) -> None:
    from tests.web.test_a11y import axe_violations

    database = str(tmp_path / "demo.db")
    app = open_app(Settings(database=database, today=NOW.date()), now=NOW)
    build_demo(app)
    heard.set_source(app, "notes", False)
    app.close()
    with sync_api.sync_playwright() as p:
        browser: Any = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            with running_server(Settings(database=database, today=NOW.date()), now=NOW) as base:
                for scheme in ("light", "dark"):
                    w = Watched(browser, base, color_scheme=scheme)
                    w.page.goto("/heard")
                    assert "Turn on" in w.page.content() and "Turn off" in w.page.content()
                    problems = axe_violations(w.page)
                    assert not problems, "\n".join(problems)
                    w.check()
                    w.close()
        finally:
            browser.close()
