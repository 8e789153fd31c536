"""IMAP sources against a real Dovecot: first sync, incremental sync, UIDVALIDITY, moves, deletions, a server
that goes away mid-sync, and the same outcome as importing the same mail from an mbox file."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from givefirst.services import sync_imap
from givefirst.services.context import App
from givefirst.services.importer import ImportOptions, import_paths
from givefirst.services.sync import add_source, get_source, run_sync, sync_sources
from givefirst.store.schema import interaction_people, interactions, mail_pending
from tests.sync.dovecot import USER, Dovecot, message

ME = USER
T0 = datetime(2026, 3, 2, 9, 0)


def _exchange(n: int, start: datetime = T0) -> tuple[list[bytes], list[bytes]]:
    """Return (inbox, sent): n correspondents who each wrote once and got one reply."""
    inbox, sent = [], []
    for i in range(n):
        when = start + timedelta(hours=i)
        who = f"Person {i} <p{i}@clients.example>"
        inbox.append(message(who, ME, f"Question {i}", when, message_id=f"q{i}@clients.example"))
        sent.append(message(f"Me <{ME}>", who, f"Re: Question {i}", when + timedelta(minutes=30),
                            message_id=f"r{i}@example.com"))  # fmt: skip
    return inbox, sent


def _interactions(app: App) -> list[tuple[str, str, str]]:
    with app.begin() as conn:
        rows = conn.execute(select(interactions.c.external_id, interactions.c.direction, interactions.c.source))
        return sorted((str(e), str(d), str(s)) for e, d, s in rows)


def _count(app: App, table: Any) -> int:
    with app.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _add(app: App, dovecot: Dovecot, name: str = "work-mail", **more: Any) -> None:
    add_source(app, name, "imap", dovecot.config_for(**more))


def test_first_sync_reads_only_headers_of_the_chosen_folders(app: App, dovecot: Dovecot) -> None:
    inbox, sent = _exchange(2)
    newsletter = message("News <news@list.example>", ME, "Weekly", T0, message_id="n1@list.example",
                         extra="List-Id: <weekly.list.example>")  # fmt: skip
    one_way = message("Carol <carol@far.example>", ME, "Hello from Carol", T0, message_id="c1@far.example")
    dovecot.append("INBOX", *inbox, newsletter, one_way)
    dovecot.append("Sent Messages", *sent)  # flagged \Sent: found for the folder asked as "Sent"
    dovecot.append("Junk", message("Spam <s@spam.example>", ME, "Win", T0, message_id="s1@spam.example"))
    _add(app, dovecot, folders="INBOX,Sent")

    result = run_sync(app, "work-mail")

    assert result.ok, result.error
    totals = result.report.totals()
    assert totals["interactions added"] == 4 and totals["added"] == 2  # two correspondents, four messages
    assert [u.label for u in result.report.units] == ["INBOX", "Sent Messages"]  # Junk was not asked for
    reasons = {r for u in result.report.units for _, r, _ in u.notes}
    assert any(r.startswith("mailing list") for r in reasons)
    assert any(r.startswith("one-way so far") for r in reasons)  # Carol waits for a reply, held
    assert _count(app, mail_pending) == 1
    assert [s for _, _, s in _interactions(app)] == ["imap"] * 4
    with dovecot.client() as client:  # BODY.PEEK: the messages are still unread
        client.select_folder("INBOX", readonly=True)
        assert all(b"\\Seen" not in flags for flags in client.get_flags(client.search()).values())
    source = get_source(app, "work-mail")
    assert source.last_result == "ok" and source.last_totals["interactions added"] == 4


def test_incremental_sync_adds_only_what_is_new_and_releases_held_mail(
    app: App, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, sent = _exchange(3)
    dovecot.append("INBOX", *inbox, message("Carol <carol@far.example>", ME, "Hello", T0, message_id="c1@far"))
    dovecot.append("Sent Messages", *sent)
    _add(app, dovecot)
    assert run_sync(app, "work-mail").report.totals()["interactions added"] == 6

    fetched: list[int] = []
    real_fetch = sync_imap.fetch_chunk
    monkeypatch.setattr(sync_imap, "fetch_chunk", lambda c, uids: fetched.extend(uids) or real_fetch(c, uids))
    started = time.perf_counter()
    quiet = run_sync(app, "work-mail")
    elapsed = time.perf_counter() - started
    assert quiet.ok and quiet.report.totals() == {} and fetched == []  # nothing new: nothing fetched
    assert elapsed < 1.0, f"a sync with nothing new took {elapsed:.2f} s"

    # Carol gets a reply: both her held message and the reply come in; only the reply is fetched.
    dovecot.append("Sent Messages", message(f"Me <{ME}>", "carol@far.example", "Re: Hello", T0 + timedelta(days=1),
                                            message_id="c2@example.com"))  # fmt: skip
    later = run_sync(app, "work-mail")
    assert later.report.totals()["interactions added"] == 2 and len(fetched) == 1
    assert ("c1@far", "inbound", "imap") in _interactions(app) and _count(app, mail_pending) == 0
    assert len(_interactions(app)) == 8


def test_the_same_mail_as_an_mbox_import_gives_the_same_interactions(
    app: App, other_app: App, dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read in units of 3 over three syncs, the two-way rule still judges the whole mailbox, as an import does."""
    monkeypatch.setattr(sync_imap, "UNIT_SIZE", 3)
    monkeypatch.setattr(sync_imap, "FETCH_CHUNK", 2)
    inbox, sent = _exchange(5)
    extra_in = [message("Dana <dana@far.example>", ME, "Hi", T0, message_id="d1@far"),
                message("Eve <eve@far.example>", ME, "Hi", T0, message_id="e1@far"),
                message("Bots <noreply@svc.example>", ME, "Receipt", T0, message_id="b1@svc")]  # fmt: skip
    extra_out = [message(f"Me <{ME}>", "dana@far.example", "Re: Hi", T0 + timedelta(days=3), message_id="d2@x")]
    messages = [*inbox, *extra_in, *sent, *extra_out]
    mbox = tmp_path / "all.mbox"
    mbox.write_bytes(b"".join(b"From x@y Mon Jan  1 00:00:00 2026\n" + m.replace(b"\r\n", b"\n") + b"\n"
                              for m in messages))  # fmt: skip
    imported = import_paths(other_app, "mbox", [str(mbox)], ImportOptions(me=frozenset({ME})))
    assert not imported.failed

    _add(app, dovecot)
    dovecot.append("INBOX", *inbox[:3], *extra_in[:2])
    dovecot.append("Sent Messages", *sent[:2])
    run_sync(app, "work-mail")
    dovecot.append("INBOX", *inbox[3:], extra_in[2])
    run_sync(app, "work-mail")
    dovecot.append("Sent Messages", *sent[2:], *extra_out)
    run_sync(app, "work-mail")

    synced = [(e, d) for e, d, _ in _interactions(app)]
    assert synced == [(e, d) for e, d, _ in _interactions(other_app)]
    assert len(synced) == 12  # 5 pairs and Dana's two; Eve never answered, the receipt is a machine's
    assert _count(app, mail_pending) == 1  # Eve
    assert _count(app, interaction_people) == _count(other_app, interaction_people)


def test_uidvalidity_change_reads_the_folder_again_without_duplicates(app: App, dovecot: Dovecot) -> None:
    inbox, sent = _exchange(2)
    dovecot.append("INBOX", *inbox)
    dovecot.append("Sent Messages", *sent)
    _add(app, dovecot)
    run_sync(app, "work-mail")
    before = _interactions(app)
    dovecot.doveadm("mailbox", "update", "-u", USER, "--uid-validity", "12345", "INBOX")

    again = run_sync(app, "work-mail")

    assert again.ok and _interactions(app) == before
    assert again.report.totals()["interactions unchanged"] == 2  # both INBOX messages read again, known
    assert any("UIDVALIDITY changed" in r for u in again.report.units for _, r, _ in u.notes)
    assert run_sync(app, "work-mail").report.totals() == {}  # and then incremental again


def test_a_moved_message_is_one_interaction_and_a_deleted_one_keeps_its_interaction(app: App, dovecot: Dovecot) -> None:
    inbox, sent = _exchange(2)
    dovecot.append("INBOX", *inbox)
    dovecot.append("Sent Messages", *sent)
    _add(app, dovecot, folders="INBOX,Sent,Archive")
    run_sync(app, "work-mail")
    before = _interactions(app)
    with dovecot.client() as client:
        client.select_folder("INBOX")
        first, second = sorted(client.search())
        client.move([first], "Archive")

    moved = run_sync(app, "work-mail")

    assert moved.ok and _interactions(app) == before
    assert moved.report.totals() == {"interactions unchanged": 1}  # found in Archive, already known
    assert any("1 message(s) deleted or moved away" in r for u in moved.report.units for _, r, _ in u.notes)
    with dovecot.client() as client:
        client.select_folder("INBOX")
        client.delete_messages([second])
        client.expunge()
    deleted = run_sync(app, "work-mail")
    assert deleted.ok and _interactions(app) == before  # history stays
    assert deleted.report.units[0].label == "INBOX" and deleted.report.totals() == {}


def test_a_server_that_goes_away_mid_sync_leaves_nothing_half_written(
    app: App, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync_imap, "UNIT_SIZE", 4)
    monkeypatch.setattr(sync_imap, "FETCH_CHUNK", 2)
    inbox, sent = _exchange(6)
    dovecot.append("INBOX", *[m for pair in zip(inbox, sent, strict=True) for m in pair])  # both sides in INBOX
    _add(app, dovecot, folders="INBOX")
    calls = []
    real_fetch = sync_imap.fetch_chunk

    def fetch_then_die(client: Any, uids: list[int]) -> Any:
        calls.append(uids)
        if len(calls) == 4:  # the second unit's second FETCH: the first unit is committed, the second half-read
            dovecot.stop()
        return real_fetch(client, uids)

    monkeypatch.setattr(sync_imap, "fetch_chunk", fetch_then_die)
    broken = run_sync(app, "work-mail")

    assert broken.error is not None and len(calls) == 4
    assert len(_interactions(app)) == 4  # exactly the first unit: messages 1-4, two pairs
    source = get_source(app, "work-mail")
    assert source.last_result == "failed" and source.running_since is None
    with app.begin() as conn:
        from givefirst.store.live_sources import load_state

        assert '"next_uid": 5' in load_state(conn, source.id)["folder:INBOX"]

    dovecot.start()
    monkeypatch.setattr(sync_imap, "fetch_chunk", real_fetch)
    resumed = run_sync(app, "work-mail")
    assert resumed.ok and resumed.report.totals()["interactions added"] == 8
    assert [n for u in resumed.report.units for n in u.notes] == []  # nothing deleted: no such remark
    assert len(_interactions(app)) == 12 and _count(app, mail_pending) == 0


def test_credentials_and_login_failures_are_one_clear_line(
    app: App, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dovecot.append("INBOX", *_exchange(1)[0])
    _add(app, dovecot, "by-command", folders="INBOX", password_env=None,
         password_command="printf 'correct horse battery\\nsecond line ignored\\n'")  # fmt: skip
    assert run_sync(app, "by-command").ok
    monkeypatch.setenv("GIVEFIRST_TEST_IMAP_PASSWORD", "wrong")
    _add(app, dovecot, "wrong", folders="INBOX")
    failed = run_sync(app, "wrong")
    assert failed.error is not None and "refused the login of me@example.com" in failed.error
    monkeypatch.delenv("GIVEFIRST_TEST_IMAP_PASSWORD")
    missing = run_sync(app, "wrong")
    assert missing.error == "source wrong: the environment variable GIVEFIRST_TEST_IMAP_PASSWORD is not set"
    monkeypatch.setenv("GIVEFIRST_TEST_IMAP_PASSWORD", "correct horse battery")
    _add(app, dovecot, "no-folder", folders="INBOX,Projects")
    assert "no folder 'Projects' on the server" in (run_sync(app, "no-folder").error or "")


def test_sync_without_names_runs_only_the_due_sources(app: App, dovecot: Dovecot) -> None:
    _add(app, dovecot, "hourly", folders="INBOX")
    add_source(app, "by-hand", "imap", dovecot.config_for(folders="INBOX"), every_minutes=0)
    assert [r.source for r in sync_sources(app)] == ["hourly"]  # never synced: due at once
    assert sync_sources(app) == []  # synced at `now`: due in an hour
    later = App(engine=app.engine, settings=app.settings, now=app.now + timedelta(minutes=61))
    assert [r.source for r in sync_sources(later)] == ["hourly"]
    assert [r.source for r in sync_sources(app, everything=True)] == ["by-hand", "hourly"]
