"""IMAP sources that keep mail bodies (`source add … --bodies`, `source set NAME --bodies on|off`), against a real
Dovecot: the text is kept, the messages stay unread, `heard` hears it, and turning it on later reads the folders
again without adding anything twice."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from sqlalchemy import func, select

from givefirst.errors import InvalidInputError
from givefirst.services import heard
from givefirst.services.context import App
from givefirst.services.sync import add_source, get_source, run_sync, set_bodies
from givefirst.store.schema import interactions, mail_bodies
from tests.cli.test_user_story import ok
from tests.conftest import Cli
from tests.sync.dovecot import USER, Dovecot

ME = USER
T0 = datetime(2026, 3, 2, 9, 0)
ASK = "Could you introduce me to someone who coaches first-time operations directors?"


def _multipart(sender: str, to: str, subject: str, when: datetime, plain: str, mid: str) -> bytes:
    """A message as mail programs send it: plain text and HTML alternatives, a quoted reply under the text."""
    lines = [
        f"From: {sender}", f"To: {to}", f"Subject: {subject}", f"Date: {format_datetime(when.replace(tzinfo=UTC))}",
        f"Message-ID: <{mid}>", "MIME-Version: 1.0", 'Content-Type: multipart/alternative; boundary="alt"', "",
        "--alt", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "",
        plain, "", "On Sun, 1 Mar 2026, someone wrote:", "> We need a new CRM, by the way.", "",
        "--alt", "Content-Type: text/html; charset=utf-8", "", f"<p>{plain}</p>", "--alt--", "",
    ]  # fmt: skip
    return "\r\n".join(lines).encode()


def _exchange() -> tuple[bytes, bytes]:
    victor = _multipart("Victor Nguyen <victor@clients.example>", ME, "Next steps", T0, f"Hi! {ASK}", "v1@clients")
    reply = _multipart(f"Me <{ME}>", "victor@clients.example", "Re: Next steps", T0 + timedelta(hours=2),
                       "Yes, I know two. Intro coming.", "m1@example.com")  # fmt: skip
    return victor, reply


def _kept(app: App) -> dict[str, tuple[str, str]]:
    with app.begin() as conn:
        rows = conn.execute(select(mail_bodies.c.message_key, mail_bodies.c.source, mail_bodies.c.body))
        return {str(k): (str(s), str(b)) for k, s, b in rows}


def _interaction_count(app: App) -> int:
    with app.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(interactions)).scalar_one())


def test_a_source_with_bodies_keeps_their_text_and_heard_hears_it(app: App, dovecot: Dovecot) -> None:
    victor, reply = _exchange()
    dovecot.append("INBOX", victor)
    dovecot.append("Sent Messages", reply)
    add_source(app, "work-mail", "imap", dovecot.config_for(bodies=True))
    assert "(with bodies)" in get_source(app, "work-mail").as_dict()["describe"]

    result = run_sync(app, "work-mail")

    assert result.ok, result.error
    assert result.report.totals()["interactions added"] == 2
    kept = _kept(app)
    assert kept["v1@clients"] == ("imap:work-mail", f"Hi! {ASK}")  # the plain part, the quoted reply cut
    assert kept["m1@example.com"][1] == "Yes, I know two. Intro coming."
    with dovecot.client() as client:  # BODY.PEEK[]: the messages are still unread
        client.select_folder("INBOX", readonly=True)
        assert all(b"\\Seen" not in flags for flags in client.get_flags(client.search()).values())

    heard.scan(app)
    [c] = heard.list_candidates(app)
    assert (c["person"], c["kind"], c["sentence"]) == ("Victor Nguyen", "need", ASK)
    assert c["provenance"] == "from an email, 2 March 2026"
    assert not any("CRM" in x["sentence"] for x in heard.list_candidates(app, "all"))


def test_bodies_turned_on_later_read_the_folders_again_without_adding_twice_and_off_deletes_them(
    app: App, dovecot: Dovecot
) -> None:
    victor, reply = _exchange()
    dovecot.append("INBOX", victor)
    dovecot.append("Sent Messages", reply)
    add_source(app, "work-mail", "imap", dovecot.config_for())
    assert run_sync(app, "work-mail").ok
    assert _kept(app) == {} and heard.scan(app).read == 0  # headers only: nothing to hear

    turned = set_bodies(app, "work-mail", True)
    assert turned["changed"] and turned["folders_to_reread"] == 2
    again = run_sync(app, "work-mail")
    assert again.ok, again.error
    assert again.report.totals().get("interactions added", 0) == 0 and _interaction_count(app) == 2
    assert set(_kept(app)) == {"v1@clients", "m1@example.com"}
    assert [c["person"] for c in (heard.scan(app) and heard.list_candidates(app))] == ["Victor Nguyen"]
    assert run_sync(app, "work-mail").report.totals() == {}  # nothing new: the folders' state moved on

    off = set_bodies(app, "work-mail", False)
    assert off["bodies_deleted"] == 2 and _kept(app) == {}
    assert "bodies" not in get_source(app, "work-mail").config
    assert [c["person"] for c in heard.list_candidates(app)] == ["Victor Nguyen"]  # what was heard stays


def test_only_mail_sources_have_bodies(app: App) -> None:
    add_source(app, "club", "feed", {"url": "https://example.org/club.ics"})
    with pytest.raises(InvalidInputError, match="only mail sources"):
        set_bodies(app, "club", True)
    with pytest.raises(InvalidInputError, match="takes no --bodies"):
        add_source(app, "club2", "feed", {"url": "https://example.org/club.ics", "bodies": True})


def test_through_the_command_line(cli: Cli, dovecot: Dovecot) -> None:
    victor, reply = _exchange()
    dovecot.append("INBOX", victor)
    dovecot.append("Sent Messages", reply)
    ok(cli("source", "add", "work-mail", "imap", "--host", "127.0.0.1", "--port", str(dovecot.port), "--user", USER,
           "--security", "none", "--password-env", "GIVEFIRST_TEST_IMAP_PASSWORD"))  # fmt: skip
    ok(cli("sync", "work-mail"))
    assert json.loads(ok(cli("heard", "--json")).out)["candidates"] == []
    said = ok(cli("source", "set", "work-mail", "--bodies", "on")).out
    assert "keeps mail bodies; its next sync reads 2 folder(s) again" in said
    ok(cli("sync", "work-mail"))
    [c] = json.loads(ok(cli("heard", "--json")).out)["candidates"]
    assert c["person"] == "Victor Nguyen" and c["sentence"] == ASK
    assert "2 mail bodies kept" in ok(cli("heard", "sources")).out
    off = json.loads(ok(cli("source", "set", "work-mail", "--bodies", "off", "--json")).out)
    assert off == {"source": "work-mail", "bodies": False, "changed": True, "folders_to_reread": 0,
                   "bodies_deleted": 2}  # fmt: skip


def test_the_background_sync_hears_what_it_brought_leaving_out_the_sources_turned_off(
    db_url: str, dovecot: Dovecot
) -> None:
    from givefirst.config import Settings
    from givefirst.web import create_app
    from givefirst.web.sync_runner import SyncRunner

    victor, reply = _exchange()
    dovecot.append("INBOX", victor)
    dovecot.append("Sent Messages", reply)
    web = create_app(Settings(database=db_url, today=T0.date()), now=T0 + timedelta(days=1))
    app = web.state.web.app()
    add_source(app, "work-mail", "imap", dovecot.config_for(bodies=True), every_minutes=1)
    heard.set_source(app, "imap", False)
    runner = SyncRunner(web.state.web)  # its rounds, run here rather than in its thread
    runner.run_due()
    assert runner.runs == 1 and len(_kept(app)) == 2
    assert heard.count_open(app) == 0 and heard.scan(app).read == 0  # imap is off: nothing read

    heard.set_source(app, "imap", True)
    from givefirst.store import live_sources

    with app.begin() as conn:  # the source is due again (its last sync a day ago); nothing new on the server
        source = live_sources.source_by_name(conn, "work-mail")
        assert source is not None
        live_sources.finish(conn, source.id, T0 - timedelta(days=1), "ok", None, "{}")
    runner.run_due()
    assert runner.runs == 2
    assert [c["person"] for c in heard.list_candidates(app)] == ["Victor Nguyen"]  # heard by the round itself
