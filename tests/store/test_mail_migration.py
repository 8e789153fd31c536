"""Migration 0005 on a database an earlier version filled: the same message stored twice (from an mbox and from a
maildir) becomes one interaction with everyone who was on either copy, and every message gets its key."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select

from givefirst.config import Settings
from givefirst.services.context import open_app
from givefirst.services.importer import ImportOptions, import_paths
from givefirst.store.database import create_db_engine, database_url
from givefirst.store.migrate import upgrade
from givefirst.store.schema import identities, interaction_people, interactions, people, tie_stats
from tests.conftest import NOW
from tests.services.mail_samples import ME, Mailbox, write_mbox

AT = datetime(2025, 3, 3, 9, 0)


def test_copies_of_a_message_become_one_and_every_message_gets_its_key(db_url: str, tmp_path: Path) -> None:
    engine = create_db_engine(database_url(db_url))
    upgrade(engine, "0004_reach")
    with engine.begin() as conn:

        def person(name: str, email: str, is_me: bool = False) -> int:
            pid = conn.execute(insert(people).values(name=name, is_me=is_me, created_at=NOW, updated_at=NOW)
                               .returning(people.c.id)).scalar_one()  # fmt: skip
            conn.execute(insert(identities).values(person_id=pid, kind="email", value=email))
            return int(pid)

        def mail(source: str, external_id: str | None, *pids: int, kind: str = "email") -> int:
            iid = conn.execute(insert(interactions).values(
                occurred_at=AT, kind=kind, direction="inbound", summary="Coffee?", source=source,
                external_id=external_id, created_at=NOW).returning(interactions.c.id)).scalar_one()  # fmt: skip
            conn.execute(insert(interaction_people), [{"interaction_id": iid, "person_id": p} for p in pids])
            return int(iid)

        person("Jordan Reyes", ME, is_me=True)
        ana, bob = person("Ana Lima", "ana@example.com"), person("Bob Stone", "bob@example.com")
        first = mail("mbox", "m1@mail.example", ana)
        mail("maildir", "m1@mail.example", ana, bob)  # Bob was on the maildir copy only
        other = mail("mbox", "m2@mail.example", ana)
        logged = mail("manual", None, ana, kind="call")
        conn.execute(insert(tie_stats).values(person_id=ana, as_of=NOW, half_life_days=90.0,
                                              ledger_half_life_days=180.0))  # fmt: skip
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(select(interactions.c.id, interactions.c.message_key).order_by(interactions.c.id)).all()
        assert [tuple(r) for r in rows] == [(first, "m1@mail.example"), (other, "m2@mail.example"), (logged, None)]
        on_first = conn.execute(select(interaction_people.c.person_id)
                                .where(interaction_people.c.interaction_id == first)).scalars().all()  # fmt: skip
        assert sorted(on_first) == sorted([ana, bob])
        assert conn.execute(select(tie_stats.c.half_life_days)).scalar() == -1  # recomputed by the next plan
    engine.dispose()
    # the message imported once more, from either format, is still one interaction
    box = Mailbox()
    box.add("inbox", "ana@example.com", ME, "Coffee?", 0, message_id="m1@mail.example")
    app = open_app(Settings(database=db_url, today=NOW.date()), now=NOW)
    try:
        report = import_paths(app, "mbox", [str(write_mbox(tmp_path / "again.mbox", box.mails))],
                              ImportOptions(me=frozenset({ME})))  # fmt: skip
        assert report.totals().get("interactions added", 0) == 0 and report.totals()["interactions unchanged"] == 1
    finally:
        app.close()
