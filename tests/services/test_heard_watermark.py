"""Heard's scan from its mark (migration 0016): it reads exactly what checking every interaction reads.

The reference is the straightforward query, every interaction against its read mark (`store.unread_interactions`
without `after_id`), taken just before each scan; the scan must read those and nothing else, whatever happened
since the last one: new interactions, sources turned off and on, bodies kept late, the mail option, the newest
interactions deleted and their ids given again (SQLite), texts and kinds changed and read marks deleted by hand.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update

from givefirst.domain.heard import MASS_RECIPIENTS
from givefirst.services import heard
from givefirst.services.context import App
from givefirst.services.people import PersonInput, add_person
from givefirst.store import heard as heard_store
from givefirst.store import interactions as interactions_store
from givefirst.store import mail as mail_store
from givefirst.store import plan_undo
from givefirst.store.schema import heard_candidates, heard_reads, heard_scanned, interactions, mail_bodies
from tests.conftest import NOW

SOURCES = ("linkedin", "manual", "mbox", "ics")
KINDS = ("message", "meeting", "call", "note", "email", "email", "email")
SUMMARIES = ("", "", "Catch-up", "I'm looking for a bookkeeper who knows payroll.", "Happy to review your deck.")


class History:
    """A random history written through the store, as imports and the app write it."""

    def __init__(self, app: App, rng: random.Random) -> None:
        self.app, self.rng, self.serial, self.moved = app, rng, 0, 0
        self.people = [add_person(app, PersonInput(name=f"Person {n}")) for n in range(4)]

    def add(self, count: int) -> None:
        with self.app.begin() as conn:
            for _ in range(count):
                self.serial += 1
                kind = self.rng.choice(KINDS)
                iid = interactions_store.insert_interaction(
                    conn, occurred_at=NOW, kind=kind, direction=self.rng.choice(("inbound", "outbound")),
                    person_ids=[self.rng.choice(self.people)], summary=self.rng.choice(SUMMARIES),
                    source=self.rng.choice(SOURCES), external_id=f"x{self.serial}", planned=False,
                    follow_up_on=None, now=NOW,
                )  # fmt: skip
                if kind == "email":  # its key: a body may have been kept before (a message kept aside, `body`)
                    mail_store.set_message_key(conn, iid, self._key(self.serial))

    def _key(self, n: int) -> str:
        return f"<m{n}@example.org>"

    def _ids(self, conn: object, *where: object) -> list[int]:
        return [int(i) for i in conn.execute(select(interactions.c.id).where(*where)).scalars()]  # type: ignore[attr-defined]

    def step(self) -> None:
        """One random change to what may be read."""
        rng = self.rng
        operation = rng.choice(("add", "add", "source", "body", "body", "forget", "newest", "edit", "details",
                                "unmark", "move"))  # fmt: skip
        if operation == "add":
            self.add(rng.randint(1, 6))
        elif operation == "source":
            heard.set_source(self.app, rng.choice(SOURCES), rng.random() < 0.5)
        elif operation == "forget":
            with self.app.begin() as conn:
                mail_store.forget_bodies(conn, "mbox")
        elif operation == "newest":  # the newest deleted, then new ones: SQLite gives their ids again
            with self.app.begin() as conn:
                for iid in sorted(self._ids(conn), reverse=True)[: rng.randint(1, 4)]:
                    plan_undo.delete_interaction(conn, iid)
            self.add(rng.randint(0, 5))
        else:
            with self.app.begin() as conn:
                self._change(conn, operation)

    def _change(self, conn: object, operation: str) -> None:
        rng, execute = self.rng, conn.execute  # type: ignore[attr-defined]
        if operation == "body":  # a body kept later for a message (a re-import with --bodies, a mail source)
            kept = set(execute(select(mail_bodies.c.message_key)).scalars())
            keys = [self._key(n) for n in range(1, self.serial + 3)]
            fresh = [k for k in keys if k not in kept]
            if fresh:
                picked = rng.sample(fresh, min(len(fresh), rng.randint(1, 3)))
                mail_store.save_bodies(conn, [{"message_key": k, "source": "mbox", "body": "We need a venue.",  # type: ignore[arg-type]
                                               "kept_at": NOW} for k in picked])  # fmt: skip
            return
        ids = self._ids(conn)
        if not ids:
            return
        iid = rng.choice(ids)
        if operation == "edit":  # by any code path: a summary filled in, a kind changed, a source renamed
            change = rng.choice(({"summary": rng.choice(SUMMARIES)}, {"kind": rng.choice(KINDS)},
                                 {"source": rng.choice(SOURCES)}))  # fmt: skip
            execute(update(interactions).where(interactions.c.id == iid).values(**change))
        elif operation == "details":  # a calendar description kept since (it deletes the read mark itself)
            row = interactions_store.interaction_row(conn, iid)  # type: ignore[arg-type]
            interactions_store.set_details(conn, str(row.source), str(row.external_id), rng.choice(("", "Agenda")))  # type: ignore[arg-type, union-attr]
        elif operation == "unmark":  # a read mark deleted by hand
            execute(delete(heard_reads).where(heard_reads.c.origin == "interaction", heard_reads.c.origin_id == iid))
        else:  # by hand: a read mark moved to a new id, or a kept body to another message
            marked = heard_reads.c.origin == "interaction"
            mark = execute(select(heard_reads.c.origin_id).where(marked, heard_reads.c.origin_id == iid)).scalar()
            if mark is not None and rng.random() < 0.5:
                self.moved += 1  # to an id no interaction has
                execute(update(heard_reads).where(marked, heard_reads.c.origin_id == iid).values(origin_id=-self.moved))
                return
            kept = set(execute(select(mail_bodies.c.message_key)).scalars())
            keyed = execute(select(interactions.c.message_key).where(interactions.c.message_key.is_not(None)))
            fresh = sorted(set(keyed.scalars()) - kept)
            if kept and fresh:
                execute(update(mail_bodies).where(mail_bodies.c.message_key == rng.choice(sorted(kept)))
                        .values(message_key=rng.choice(fresh)))  # fmt: skip


def _marked(app: App) -> set[int]:
    with app.begin() as conn:
        query = select(heard_reads.c.origin_id).where(heard_reads.c.origin == "interaction")
        return {int(i) for i in conn.execute(query).scalars()}


def _scan_matches_the_whole_check(app: App, mail: bool, run_off: tuple[str, ...]) -> int:
    """Scan; assert it read exactly the interactions the whole check finds unread; return how many statements
    it found in mass messages."""
    with app.begin() as conn:
        off = tuple(sorted(set(run_off) | {s for s, on in heard_store.source_settings(conn).items() if not on}))
        expected = {int(r.id) for r in heard_store.unread_interactions(conn, heard.READ_KINDS, off, mail)}
    before = _marked(app)
    report = heard.scan(app, mail=mail, sources_off=run_off)
    assert _marked(app) - before == expected
    assert report.read == len(expected)  # nobody has notes: every text read is an interaction
    with app.begin() as conn:  # and what it proposes: nothing from a body that went to many (mass_bodies `among`)
        mass = heard_store.mass_bodies(conn, MASS_RECIPIENTS)
        query = select(heard_candidates.c.body_digest).where(heard_candidates.c.status == "proposed")
        assert not set(conn.execute(query).scalars()) & mass
    return report.broadcast


@pytest.mark.parametrize("seed", range(6))
def test_the_scan_from_the_mark_reads_what_the_whole_check_reads(app: App, seed: int) -> None:
    rng = random.Random(seed)
    history = History(app, rng)
    history.add(40)
    marks, broadcast = [], 0
    for _ in range(100):
        for _ in range(rng.randint(0, 3)):
            history.step()
        mail = rng.random() < 0.1
        run_off = tuple(rng.sample(SOURCES, rng.choice((0, 0, 0, 1))))
        broadcast += _scan_matches_the_whole_check(app, mail, run_off)
        with app.begin() as conn:
            marks.append(conn.execute(select(heard_scanned.c.upto)).scalar())
    assert broadcast  # mass messages were among them
    if app.engine.dialect.name == "sqlite":  # the mark was used, so the comparison above tested it
        assert any(marks)
    else:  # PostgreSQL keeps none (a commit there may show id 101 before 100): every scan checks everything
        assert not any(marks)


def test_a_scan_with_nothing_new_leaves_the_file_as_it_was(app: App) -> None:
    """It writes nothing (the web app's stamp of an SQLite file is its size and time), as before the mark."""
    if app.engine.dialect.name != "sqlite":
        pytest.skip("the file's stamp is SQLite's")
    History(app, random.Random(1)).add(30)
    heard.scan(app)
    path = Path(str(app.engine.url.database))
    stamp = [(os.stat(p).st_mtime_ns, os.stat(p).st_size) for p in (path, Path(f"{path}-wal")) if p.exists()]
    assert heard.scan(app).read == 0
    assert [(os.stat(p).st_mtime_ns, os.stat(p).st_size) for p in (path, Path(f"{path}-wal")) if p.exists()] == stamp


def test_the_mark_s_triggers_are_there(app: App) -> None:
    """A migration that rebuilds interactions, heard_reads or mail_bodies (SQLite's batch mode) drops them."""
    if app.engine.dialect.name != "sqlite":
        pytest.skip("the triggers are SQLite's")
    with app.engine.connect() as conn:
        names = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
    wanted = {"interaction_delete", "interaction_update", "read_delete", "read_update", "body_insert", "body_update"}
    assert {f"heard_scanned_{name}" for name in wanted} <= names


def test_a_read_mark_written_again_replaces_the_old_one_and_keeps_the_scans_mark(app: App) -> None:
    """`store.heard.mark_read` is one upsert (SQLite and PostgreSQL): a mark written again replaces the old
    one in place (no delete, so the SQLite trigger that lowers the scan's mark on a deleted read mark stays
    quiet), and a key given twice in one call keeps its last row."""
    first = [{"origin_id": i, "fingerprint": f"a{i}", "body_digest": None, "person_id": None, "read_at": NOW}
             for i in (1, 2, 3)]  # fmt: skip
    with app.begin() as conn:
        heard_store.mark_read(conn, "interaction", first)
        heard_store.mark_read(conn, "person_note", first[:1])
        conn.execute(heard_scanned.insert().values(name="interactions", upto=10, conditions="{}"))
        again = [{**first[1], "fingerprint": "b2", "body_digest": "d"}, {**first[1], "fingerprint": "c2"}]
        heard_store.mark_read(conn, "interaction", again)
        rows = conn.execute(select(heard_reads.c.origin, heard_reads.c.origin_id, heard_reads.c.fingerprint)
                            .order_by(heard_reads.c.origin, heard_reads.c.origin_id)).all()  # fmt: skip
        assert [tuple(r) for r in rows] == [("interaction", 1, "a1"), ("interaction", 2, "c2"),
                                            ("interaction", 3, "a3"), ("person_note", 1, "a1")]  # fmt: skip
        assert conn.execute(select(heard_scanned.c.upto)).scalar_one() == 10
