"""Migration 0008_one_mail_memory: mail an IMAP sync held under the old two-way memory moves into `mail_pending`,
and an import of the other side releases it as one interaction, as if it had always waited there; a backup made
before it restores the same way."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from sqlalchemy import inspect, select, text

from givefirst.config import Settings
from givefirst.services.backup import export_json, restore
from givefirst.services.context import App, open_app
from givefirst.services.importer import ImportOptions, import_paths
from givefirst.services.sync import add_source
from givefirst.store.database import create_db_engine, database_url
from givefirst.store.migrate import upgrade
from givefirst.store.schema import interactions, mail_pending
from tests.conftest import NOW
from tests.sync.dovecot import message

ME = "me@example.com"
T0 = datetime(2026, 3, 2, 9, 0)


def _old_database(db_url: str) -> None:
    """A database at 0006_live_sources with two IMAP sources, their held mail and their correspondents."""
    engine = create_db_engine(database_url(db_url))
    upgrade(engine, "0006_live_sources")
    now = datetime(2026, 3, 5)
    with engine.begin() as conn:
        for sid, config in ((1, {"user": ME, "host": "imap.example.com"}),
                            (2, {"user": "jsmith", "me": ["j@example.org"], "host": "imap.example.org"}),
                            (3, {"user": "nobody", "host": "imap.example.net"})):  # fmt: skip
            conn.execute(
                text("INSERT INTO live_sources (id, name, kind, config, every_minutes, created_at)"
                     " VALUES (:id, :name, 'imap', :config, 60, :now)"),
                {"id": sid, "name": f"mail-{sid}", "config": json.dumps(config), "now": now},
            )  # fmt: skip
        conn.execute(
            text("INSERT INTO mail_pending (message_key, source, origin, occurred_at, sender, people, subject,"
                 " seen_at) VALUES ('dup@far.example', 'mbox', 'Inbox.mbox#1 (line 1)', :at, 'dan@far.example',"
                 " :people, 'Kept by an import', :now)"),
            {"at": T0, "now": now, "people": json.dumps([["dan@far.example", "Dan"], [ME, None]])},
        )  # fmt: skip
        held = [
            (1, "c1@far.example", False, [["Carol", "carol@far.example"]], "Hello from Carol"),
            (1, "f1@example.com", True, [["Fred", "fred@far.example"]], "Coffee?"),
            (1, "dup@far.example", False, [["Dan", "dan@far.example"]], "Held by the sync"),
            (2, "g1@example.org", True, [[None, "gina@far.example"]], "From the other account"),
            (3, "n1@example.net", True, [[None, "nina@far.example"]], "Whose?"),
        ]
        for sid, key, outbound, who, subject in held:
            conn.execute(
                text("INSERT INTO live_mail_held (source_id, external_id, origin, occurred_at, outbound, subject,"
                     " people) VALUES (:sid, :key, :origin, :at, :out, :subject, :people)"),
                {"sid": sid, "key": key, "origin": f"imap://x/INBOX;UID={len(key)}", "at": T0, "out": outbound,
                 "subject": subject, "people": json.dumps(who)},
            )  # fmt: skip
        conn.execute(
            text("INSERT INTO live_mail_correspondents (source_id, address, wrote, heard)"
                 " VALUES (1, 'carol@far.example', :f, :t)"),
            {"f": False, "t": True},
        )  # fmt: skip
    engine.dispose()


def test_held_mail_moves_into_mail_pending_and_is_released_by_an_import(db_url: str, tmp_path: Path) -> None:
    _old_database(db_url)
    app = open_app(Settings(database=db_url, today=NOW.date()), now=NOW)  # migrates to the head
    try:
        tables = set(inspect(app.engine).get_table_names())
        assert "mail_pending" in tables and not tables & {"live_mail_held", "live_mail_correspondents"}
        with app.begin() as conn:
            rows = {r.message_key: r for r in conn.execute(select(mail_pending))}
        # the sender each direction implies; the user on every one; an outbound message of a source naming no
        # address of the user is dropped; a message an import kept aside stays as that import kept it
        assert sorted(rows) == ["c1@far.example", "dup@far.example", "f1@example.com", "g1@example.org"]
        assert (rows["c1@far.example"].sender, rows["c1@far.example"].source) == ("carol@far.example", "imap")
        assert json.loads(rows["c1@far.example"].people) == [["carol@far.example", "Carol"], [ME, None]]
        assert json.loads(rows["f1@example.com"].people) == [[ME, None], ["fred@far.example", "Fred"]]
        assert rows["g1@example.org"].sender == "j@example.org"
        assert (rows["dup@far.example"].source, rows["dup@far.example"].subject) == ("mbox", "Kept by an import")

        reply = message(f"Me <{ME}>", "carol@far.example", "Re: Hello from Carol", T0.replace(hour=11),
                        message_id="c2@example.com")  # fmt: skip
        mbox = tmp_path / "Sent.mbox"
        mbox.write_bytes(b"From x@y Mon Jan  1 00:00:00 2026\n" + reply.replace(b"\r\n", b"\n") + b"\n")
        report = import_paths(app, "mbox", [str(mbox)], ImportOptions(me=frozenset({ME})))
        assert report.totals()["interactions added"] == 2
        with app.begin() as conn:
            made = sorted((str(k), str(s), str(d)) for k, s, d in conn.execute(
                select(interactions.c.message_key, interactions.c.source, interactions.c.direction)))  # fmt: skip
            waiting = sorted(str(k) for k in conn.execute(select(mail_pending.c.message_key)).scalars())
        assert made == [("c1@far.example", "imap", "inbound"), ("c2@example.com", "mbox", "outbound")]
        assert waiting == ["dup@far.example", "f1@example.com", "g1@example.org"]
    finally:
        app.close()


def test_a_backup_from_before_restores_its_held_mail_as_kept_aside(app: App, other_app: App, tmp_path: Path) -> None:
    add_source(app, "work-mail", "imap", {"host": "imap.example.com", "user": ME, "password_env": "X"})
    doc = json.loads(export_json(app).data)
    source_id = doc["tables"]["live_sources"][0]["id"]
    doc["schema_revision"] = "0006_live_sources"  # as a backup made before 0008_one_mail_memory holds it
    doc["tables"]["live_mail_held"] = [
        {"id": 1, "source_id": source_id, "external_id": "c1@far.example", "origin": "imap://x/INBOX;UID=1",
         "occurred_at": T0.isoformat(), "outbound": False, "subject": "Hello", "people": '[["Carol", "carol@far"]]'},
    ]  # fmt: skip
    doc["tables"]["live_mail_correspondents"] = [
        {"source_id": source_id, "address": "carol@far", "wrote": False, "heard": True}
    ]
    path = tmp_path / "old-backup.json"
    path.write_text(json.dumps(doc))

    restore(other_app, path)

    with other_app.begin() as conn:
        rows = list(conn.execute(select(mail_pending)))
    assert [(r.message_key, r.sender, r.occurred_at, r.source) for r in rows] == [
        ("c1@far.example", "carol@far", T0, "imap")
    ]
    assert json.loads(rows[0].people) == [["carol@far", "Carol"], [ME, None]]
