"""IMAP sync and mail imported from files are one pipeline: the same key per message, the same kept-aside memory
(`mail_pending`) and the same two-way rule, whichever comes first. Against a real Dovecot, on SQLite and (with
GIVEFIRST_TEST_DATABASE_URL) PostgreSQL; every case is compared with ONE import of all the mail at once."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import and_, select

from givefirst.services import sync_imap
from givefirst.services.context import App
from givefirst.services.importer import ImportOptions, ImportReport, import_paths
from givefirst.services.sync import add_source, run_sync
from givefirst.store.schema import identities, interaction_people, interactions, mail_pending, people
from tests.sync.dovecot import USER, Dovecot, message

ME = USER
T0 = datetime(2026, 3, 2, 9, 0)


def _mail(n: int = 3) -> tuple[list[bytes], list[bytes]]:
    """Return (inbox, sent): n correspondents who wrote and were answered (one pair without Message-IDs, keyed
    by a digest), Carol who was never answered, Fred to whom the user wrote and who never answered."""
    inbox, sent = [], []
    for i in range(n):
        when = T0 + timedelta(hours=i)
        who = f"Person {i} <p{i}@clients.example>"
        ids = (f"q{i}@clients.example", f"r{i}@example.com") if i else (None, None)
        inbox.append(message(who, ME, f"Question {i}", when, message_id=ids[0]))
        sent.append(message(f"Me <{ME}>", who, f"Re: Question {i}", when + timedelta(minutes=30), message_id=ids[1]))
    inbox.append(message("Carol <carol@far.example>", ME, "Hello from Carol", T0, message_id="c1@far.example"))
    sent.append(message(f"Me <{ME}>", "Fred <fred@far.example>", "Coffee?", T0, message_id="f1@example.com"))
    return inbox, sent


def _mbox(path: Path, messages: list[bytes]) -> str:
    path.write_bytes(b"".join(b"From x@y Mon Jan  1 00:00:00 2026\n" + m.replace(b"\r\n", b"\n") + b"\n"
                              for m in messages))  # fmt: skip
    return str(path)


def _import(app: App, path: str, me: bool = True) -> ImportReport:
    report = import_paths(app, "mbox", [path], ImportOptions(me=frozenset({ME}) if me else frozenset()))
    assert not report.failed, [u.error for u in report.units]
    return report


def _sync(app: App) -> dict[str, int]:
    result = run_sync(app, "work-mail")
    assert result.ok, result.error
    return result.report.totals()


def _state(app: App) -> dict[str, Any]:
    """What the mail made, whatever its source: each interaction (by message key) with its direction and its
    people's addresses, the names of the people, and the keys of the messages kept aside."""
    made: dict[tuple[str, str], set[str]] = {}
    their_address = and_(identities.c.person_id == interaction_people.c.person_id, identities.c.kind == "email")
    with app.begin() as conn:
        rows = conn.execute(
            select(interactions.c.message_key, interactions.c.direction, identities.c.value)
            .outerjoin(interaction_people, interaction_people.c.interaction_id == interactions.c.id)
            .outerjoin(identities, their_address)
        )
        for key, direction, address in rows:
            made.setdefault((str(key), str(direction)), set()).update([address] if address else [])
        names = sorted(str(n) for n in conn.execute(select(people.c.name).where(people.c.is_me.is_(False))).scalars())
        waiting = sorted(str(k) for k in conn.execute(select(mail_pending.c.message_key)).scalars())
    return {"interactions": {k: sorted(v) for k, v in sorted(made.items())}, "people": names, "waiting": waiting}


def _sources(app: App) -> dict[str, str]:
    with app.begin() as conn:
        return {str(k): str(s) for k, s in conn.execute(select(interactions.c.message_key, interactions.c.source))}


def _one_import(other_app: App, tmp_path: Path, messages: list[bytes]) -> dict[str, Any]:
    _import(other_app, _mbox(tmp_path / "everything.mbox", messages))
    state = _state(other_app)
    assert len(state["interactions"]) == 6 and state["waiting"] == ["c1@far.example", "f1@example.com"]
    return state


@pytest.mark.parametrize("first", ["mbox", "imap"])
def test_the_same_mail_from_an_mbox_and_over_imap_is_one_interaction_each(
    app: App, other_app: App, dovecot: Dovecot, tmp_path: Path, first: str
) -> None:
    inbox, sent = _mail()
    expected = _one_import(other_app, tmp_path, [*inbox, *sent])
    mbox = _mbox(tmp_path / "all.mbox", [*inbox, *sent])
    dovecot.append("INBOX", *inbox)
    dovecot.append("Sent Messages", *sent)
    add_source(app, "work-mail", "imap", dovecot.config_for())

    if first == "mbox":
        _import(app, mbox)
        totals = _sync(app)
        assert totals.get("interactions added", 0) == 0 and totals["interactions unchanged"] == 6
        assert set(_sources(app).values()) == {"mbox"}
    else:
        assert _sync(app)["interactions added"] == 6
        again = _import(app, mbox).totals()
        assert again.get("interactions added", 0) == 0 and again["interactions unchanged"] == 6
        assert set(_sources(app).values()) == {"imap"}
    assert _state(app) == expected
    assert _sync(app) == {}  # and the next sync has nothing to do


@pytest.mark.parametrize("first", ["imap", "mbox"])
def test_an_inbox_over_imap_and_a_sent_mbox_give_what_one_import_of_both_gives(
    app: App, other_app: App, dovecot: Dovecot, tmp_path: Path, first: str
) -> None:
    inbox, sent = _mail()
    expected = _one_import(other_app, tmp_path, [*inbox, *sent])
    sent_mbox = _mbox(tmp_path / "Sent.mbox", sent)
    dovecot.append("INBOX", *inbox)
    add_source(app, "work-mail", "imap", dovecot.config_for(folders="INBOX"))

    if first == "imap":
        totals = _sync(app)  # the Inbox alone: every message is one-way so far, kept aside
        assert totals.get("interactions added", 0) == 0 and len(_state(app)["waiting"]) == 4
        # no --me: the sync remembered its login as the user's address, so the Sent folder reads as theirs
        assert _import(app, sent_mbox, me=False).totals()["interactions added"] == 6
    else:
        assert _import(app, sent_mbox).totals().get("interactions added", 0) == 0  # the replies wait
        assert _sync(app)["interactions added"] == 6
    assert _state(app) == expected
    sources = _sources(app)  # each interaction keeps the source that read its message
    assert sources["q1@clients.example"] == "imap" and sources["r1@example.com"] == "mbox"


def test_moves_deletions_and_a_new_uidvalidity_after_an_mbox_import_add_nothing(
    app: App, other_app: App, dovecot: Dovecot, tmp_path: Path
) -> None:
    inbox, sent = _mail()
    expected = _one_import(other_app, tmp_path, [*inbox, *sent])
    _import(app, _mbox(tmp_path / "all.mbox", [*inbox, *sent]))
    dovecot.append("INBOX", *inbox)
    dovecot.append("Sent Messages", *sent)
    add_source(app, "work-mail", "imap", dovecot.config_for(folders="INBOX,Sent,Archive"))
    assert _sync(app).get("interactions added", 0) == 0

    with dovecot.client() as client:  # Person 1's question moves to Archive
        client.select_folder("INBOX")
        client.move([sorted(client.search())[1]], "Archive")
    assert _sync(app) == {"interactions unchanged": 1}
    dovecot.doveadm("mailbox", "update", "-u", USER, "--uid-validity", "4242", "Sent Messages")
    renumbered = _sync(app)
    assert renumbered.get("interactions added", 0) == 0 and renumbered["interactions unchanged"] == 3
    with dovecot.client() as client:  # everything in the Inbox is deleted on the server
        client.select_folder("INBOX")
        client.delete_messages(client.search())
        client.expunge()
    assert _sync(app) == {}
    assert _state(app) == expected  # one interaction per message, history kept, the same mail still waiting


def test_a_server_gone_mid_sync_leaves_the_kept_aside_mail_as_the_last_unit_left_it(
    app: App, dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync_imap, "UNIT_SIZE", 4)
    monkeypatch.setattr(sync_imap, "FETCH_CHUNK", 2)
    inbox, sent = _mail(10)
    _import(app, _mbox(tmp_path / "Sent.mbox", sent))  # ten replies and Fred's message wait for the Inbox
    assert len(_state(app)["waiting"]) == 11
    dovecot.append("INBOX", *inbox[:10])
    add_source(app, "work-mail", "imap", dovecot.config_for(folders="INBOX"))
    calls: list[list[int]] = []
    real_fetch = sync_imap.fetch_chunk

    def fetch_then_die(client: Any, uids: list[int]) -> Any:
        calls.append(uids)
        if len(calls) == 4:  # the second unit's second FETCH: the first unit is committed, the second half-read
            dovecot.stop()
        return real_fetch(client, uids)

    monkeypatch.setattr(sync_imap, "fetch_chunk", fetch_then_die)
    assert run_sync(app, "work-mail").error is not None and len(calls) == 4

    state = _state(app)  # exactly the first unit: four questions and the four replies they released
    assert len(state["interactions"]) == 8 and len(state["waiting"]) == 7
    assert "r3@example.com" not in state["waiting"] and "r4@example.com" in state["waiting"]

    dovecot.start()
    monkeypatch.setattr(sync_imap, "fetch_chunk", real_fetch)
    assert _sync(app)["interactions added"] == 12
    assert len(_state(app)["interactions"]) == 20 and _state(app)["waiting"] == ["f1@example.com"]


def test_a_sent_folder_over_imap_proposes_the_users_other_address(app: App, dovecot: Dovecot) -> None:
    old = "me@old-job.example"
    dovecot.append("Sent Messages", *[message(f"Me <{old}>", f"p{i}@clients.example", f"Hi {i}", T0,
                                              message_id=f"o{i}@old-job.example") for i in range(3)])  # fmt: skip
    add_source(app, "work-mail", "imap", dovecot.config_for(folders="Sent"))
    result = run_sync(app, "work-mail")
    assert result.ok, result.error
    assert [(p["address"], p["reason"]) for p in result.report.possibly_yours] == [
        (old, "sender of 100% of Sent Messages")
    ]


def test_a_sync_waits_for_a_running_import_then_fails_saying_so_and_writes_nothing(
    app: App, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from givefirst.store.import_lock import import_lock

    inbox, sent = _mail()
    dovecot.append("INBOX", *inbox)
    dovecot.append("Sent Messages", *sent)
    add_source(app, "work-mail", "imap", dovecot.config_for())
    monkeypatch.setattr(sync_imap, "LOCK_WAIT", 0.3)
    with import_lock(app.engine, wait_seconds=0):  # an import running on the database (another process)
        busy = run_sync(app, "work-mail")
    assert busy.error is not None and "another import is running" in busy.error
    assert _state(app)["interactions"] == {} and _state(app)["waiting"] == []
    assert _sync(app)["interactions added"] == 6  # once it is done, the sync goes on from the start
