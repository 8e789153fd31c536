"""`givefirst serve` syncs due sources in the background and shows each source's last sync on the Import page."""

from __future__ import annotations

import time
from datetime import timedelta

from fastapi.testclient import TestClient

from givefirst.config import Settings
from givefirst.services.sync import add_source
from givefirst.web import create_app
from tests.conftest import NOW
from tests.sync.dovecot import USER, Dovecot, message


def test_the_server_syncs_due_sources_and_the_import_page_shows_them(db_url: str, dovecot: Dovecot) -> None:
    dovecot.append("INBOX", message("Ana Ruiz <ana@ruiz.example>", USER, "Lunch?", NOW - timedelta(days=2),
                                    message_id="a1@ruiz"))  # fmt: skip
    dovecot.append("Sent Messages", message(f"Me <{USER}>", "ana@ruiz.example", "Re: Lunch?", NOW - timedelta(days=1),
                                            message_id="a2@example.com"))  # fmt: skip
    web = create_app(Settings(database=db_url, today=NOW.date()), now=NOW, background_sync=True)
    with TestClient(web, base_url="http://127.0.0.1") as client:
        add_source(web.state.web.app(), "work-mail", "imap", dovecot.config_for())
        add_source(web.state.web.app(), "by-hand", "imap", dovecot.config_for(), every_minutes=0)
        runner = web.state.sync_runner
        runner.run_due()  # the thread's first round ran before the sources existed (or is running it: busy)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # until the sync, this call's or the thread's, has finished
            sources = {s["name"]: s for s in client.get("/import/sources.json").json()}
            if sources["work-mail"]["last_result"] is not None:
                break
            time.sleep(0.05)
        page = client.get("/import").text
    assert sources["work-mail"]["last_result"] == "ok" and sources["work-mail"]["last_totals"]["interactions added"]
    assert sources["by-hand"]["last_result"] is None and sources["by-hand"]["next_due"] is None  # only by hand
    assert all("config" not in s for s in sources.values())  # where the password comes from stays off the wire
    assert "work-mail" in page and "ok, 2 new interactions" in page and "only by hand" in page


def test_the_app_alone_syncs_nothing(db_url: str) -> None:
    web = create_app(Settings(database=db_url, today=NOW.date()), now=NOW)
    with TestClient(web, base_url="http://127.0.0.1") as client:
        assert client.get("/import/sources.json").json() == []
        assert "No saved sources" in client.get("/import").text
    assert not hasattr(web.state, "sync_runner")
