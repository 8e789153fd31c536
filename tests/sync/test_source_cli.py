"""`givefirst source add`, `sources`, `sync` and `source remove` through the real entry point, on a real Dovecot."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from tests.cli.test_errors import one_line_error
from tests.cli.test_user_story import ok
from tests.conftest import NOW, Cli
from tests.sync.dovecot import USER, Dovecot, message

T0 = NOW - timedelta(days=30)


def _add(cli: Cli, dovecot: Dovecot, *more: str) -> None:
    ok(cli("source", "add", "work-mail", "imap", "--host", "127.0.0.1", "--port", str(dovecot.port), "--user", USER,
           "--security", "none", "--password-env", "GIVEFIRST_TEST_IMAP_PASSWORD", *more))  # fmt: skip


def test_add_sync_list_and_remove_a_mailbox(cli: Cli, dovecot: Dovecot) -> None:
    dovecot.append("INBOX", message("Ana Ruiz <ana@ruiz.example>", USER, "Lunch?", T0, message_id="a1@ruiz"))
    dovecot.append("Sent Messages", message(f"Me <{USER}>", "ana@ruiz.example", "Re: Lunch?", T0 + timedelta(hours=1),
                                            message_id="a2@example.com"))  # fmt: skip
    _add(cli, dovecot, "--folders", "INBOX,Sent")
    listed = json.loads(ok(cli("sources", "--json")).out)
    assert [(s["name"], s["kind"], s["next_due"], s["last_sync"]) for s in listed] == [
        ("work-mail", "imap", "now", None)
    ]
    assert "correct horse" not in json.dumps(listed)  # only where the password is, never the password

    first = json.loads(ok(cli("sync", "--json")).out)  # no name: every due source
    assert [(r["source"], r["result"], r["totals"]["interactions added"]) for r in first] == [("work-mail", "ok", 2)]
    assert [f["file"] for f in first[0]["files"]] == ["INBOX", "Sent Messages"]  # the report of an import
    assert "Ana Ruiz" in ok(cli("people")).out

    table = ok(cli("sources")).out
    assert (
        "work-mail" in table and "ok, 2 new interactions, 1 new people" in table and "2026-11-25 13:00" in table
    )  # next due in an hour
    assert "Nothing due" in ok(cli("sync")).out
    again = ok(cli("sync", "work-mail")).out  # named: synced even when not due
    assert "work-mail (imap): 0 interactions added" in again

    assert "stay" in ok(cli("source", "remove", "work-mail")).out
    assert json.loads(ok(cli("sources", "--json")).out) == []
    assert "Ana Ruiz" in ok(cli("people")).out  # what it brought in stays


def test_mistakes_are_one_line_errors(cli: Cli, dovecot: Dovecot) -> None:
    _add(cli, dovecot)
    mistakes = {
        "a source named work-mail exists already": ("work-mail", "imap", "--host", "h", "--user", "u",
                                                    "--password-env", "X"),
        "say where the password is": ("x", "imap", "--host", "h", "--user", "u"),
        "unknown source kind 'pop3'": ("x", "pop3", "--host", "h"),
        "an imap source has no setting 'color'": ("x", "imap", "--host", "h", "--user", "u", "--password-env", "X",
                                                  "--set", "color=blue"),
        "source name 'bad name'": ("bad name", "imap", "--host", "h", "--user", "u", "--password-env", "X"),
    }  # fmt: skip
    for expected, args in mistakes.items():
        assert expected in one_line_error(cli("source", "add", *args))
    no_keyring = one_line_error(cli("source", "add", "x", "imap", "--host", "h", "--user", "u", "--keyring"))
    assert any(why in no_keyring for why in ("needs the 'keyring' package", "no system keyring is available"))
    assert "no source named nope" in one_line_error(cli("sync", "nope"))
    assert "no source named nope" in one_line_error(cli("source", "remove", "nope"))
    assert [s["name"] for s in json.loads(ok(cli("sources", "--json")).out)] == ["work-mail"]


def test_a_failed_sync_exits_non_zero_and_says_why(cli: Cli, dovecot: Dovecot) -> None:
    _add(cli, dovecot, "--folders", "INBOX,Projects")
    failed = cli("sync", "work-mail")
    assert failed.code == 1 and "failed: no folder 'Projects' on the server" in failed.out
    assert "failed: no folder 'Projects'" in ok(cli("sources")).out


def test_sync_then_an_mbox_import_without_me_and_the_addresses_it_proposes(
    cli: Cli, dovecot: Dovecot, tmp_path: Path
) -> None:
    """The sync remembers its login as the user's address (the import then needs no --me) and says which other
    address is probably theirs, as an import does."""
    old = "me@old-job.example"
    dovecot.append("INBOX", message("Ana Ruiz <ana@ruiz.example>", USER, "Lunch?", T0, message_id="a1@ruiz"))
    dovecot.append("Sent Messages", *[message(f"Me <{old}>", f"p{i}@clients.example", f"Hi {i}", T0,
                                              message_id=f"o{i}@old-job.example") for i in range(3)])  # fmt: skip
    _add(cli, dovecot, "--folders", "INBOX,Sent")
    out = ok(cli("sync", "work-mail")).out
    assert f"Possibly yours: {old} (sender of 100% of Sent Messages) - givefirst me add {old}" in out
    assert USER in ok(cli("me", "list")).out

    reply = message(f"Me <{USER}>", "ana@ruiz.example", "Re: Lunch?", T0 + timedelta(hours=1), message_id="a2@x")
    mbox = tmp_path / "Sent.mbox"
    mbox.write_bytes(b"From x@y Mon Jan  1 00:00:00 2026\n" + reply.replace(b"\r\n", b"\n") + b"\n")
    imported = json.loads(ok(cli("import", "mbox", str(mbox), "--json")).out)  # no --me
    assert imported["totals"]["interactions added"] == 2  # Ana's message waited in the sync, the reply frees it
    assert "Ana Ruiz" in ok(cli("people")).out
