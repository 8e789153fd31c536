"""`givefirst me add/remove/list`, `init --email` and `import … --me` remembering the user's addresses, through
the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_errors import one_line_error
from tests.cli.test_user_story import ok
from tests.conftest import Cli
from tests.services.mail_samples import ME, ME_NAME, WORK, Mailbox, sample_mailbox, write_mbox


def test_init_email_is_remembered_and_mail_imports_need_no_me(cli: Cli, tmp_path: Path) -> None:
    ok(cli("init", "--name", ME_NAME, "--email", ME))
    assert json.loads(ok(cli("me", "list", "--json")).out) == [{"address": ME, "from": "remembered"}]
    assert ME in ok(cli("show", "me")).out
    box = sample_mailbox()
    inbox, sent = write_mbox(tmp_path / "Inbox", box.folder("inbox")), write_mbox(tmp_path / "Sent", box.folder("sent"))
    first = json.loads(ok(cli("import", "mbox", str(inbox), "--json")).out)
    assert first["totals"].get("interactions added", 0) == 0  # one-way so far: kept aside
    second = ok(cli("import", "mbox", str(sent)))
    assert "14 added" in second.out


def test_import_me_is_remembered_and_own_addresses_are_proposed(cli: Cli, tmp_path: Path) -> None:
    work = Mailbox()
    work.add("sent", WORK, "ana@example.com", "From work", 1, cc=(ME,))
    work.add("sent", WORK, "ben@example.com", "From work again", 2, cc=(ME,))
    work.add("sent", WORK, "cy@example.com", "And again", 3)
    result = ok(cli("import", "mbox", str(write_mbox(tmp_path / "work" / "Sent", work.mails)), "--me", ME))
    assert f"Possibly yours: {WORK} (sender of 100% of Sent) - givefirst me add {WORK}" in result.out
    assert json.loads(ok(cli("me", "list", "--json")).out) == [{"address": ME, "from": "remembered"}]
    added = json.loads(ok(cli("me", "add", WORK, "--json")).out)
    assert added[0]["address"] == WORK and added[0]["added"] and added[0]["contact"] is None
    assert f"{WORK}: already yours" in ok(cli("me", "add", WORK)).out
    shown = json.loads(ok(cli("show", "me", "--json")).out)
    assert set(shown["emails"]) == {ME, WORK}
    ok(cli("me", "remove", WORK))
    assert "not one of your addresses" in one_line_error(cli("me", "remove", WORK))
    assert "invalid email" in one_line_error(cli("me", "add", "not-an-address"), 2)


def test_me_add_takes_an_address_back_from_a_contact(cli: Cli, tmp_path: Path) -> None:
    box = Mailbox()
    box.add("sent", WORK, ME, "Note to self", 1)
    box.add("sent", ME, WORK, "Forwarding the deck", 2)
    ok(cli("import", "mbox", str(write_mbox(tmp_path / "self.mbox", box.mails)), "--me", ME))
    assert [p["name"] for p in json.loads(ok(cli("people", "--json")).out)] == [ME_NAME]  # the defect
    result = ok(cli("me", "add", WORK))
    assert f"{WORK} had been imported as a contact, {ME_NAME}" in result.out and "2 messages" in result.out
    assert json.loads(ok(cli("people", "--json")).out) == []
    assert "already belongs" not in ok(cli("init", "--email", WORK)).out
