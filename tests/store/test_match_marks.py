"""The marks a full pass writes as plain tuples on SQLite are the rows SQLAlchemy's own insert writes."""

from __future__ import annotations

from sqlalchemy import insert, text

from givefirst.services.context import App
from givefirst.store import matching as store
from givefirst.store.schema import match_marks
from tests.conftest import NOW


def test_set_marks_stores_what_an_insert_of_dicts_stores(app: App, other_app: App) -> None:
    marks = {k: f"m14:{k:039d}"[:40] for k in range(1, 12_000, 7)}  # more than one batch of 5,000
    with app.begin() as conn:
        store.set_marks(conn, "need", {k: "old" for k in list(marks)[:10]}, NOW)  # replaced, not doubled
        store.set_marks(conn, "need", marks, NOW)
        store.set_marks(conn, "offer", {3: "m14:x"}, NOW)
    rows = [{"kind": "need", "item_id": k, "fingerprint": f, "scored_at": NOW} for k, f in marks.items()]
    with other_app.begin() as conn:
        conn.execute(insert(match_marks), [*rows, {"kind": "offer", "item_id": 3, "fingerprint": "m14:x",
                                                   "scored_at": NOW}])  # fmt: skip
    raw = text("SELECT kind, item_id, fingerprint, scored_at FROM match_marks ORDER BY kind, item_id")
    with app.begin() as a, other_app.begin() as b:
        assert a.execute(raw).all() == b.execute(raw).all()
        assert store.marks(a, "need") == marks and store.mark_of(a, "offer", 3) == "m14:x"
    if app.engine.dialect.name == "sqlite":  # the same bytes, the time stored as the same text
        typed = text("SELECT kind, item_id, fingerprint, scored_at, typeof(scored_at) FROM match_marks ORDER BY rowid")
        with app.begin() as a, other_app.begin() as b:
            assert a.execute(typed).all() == b.execute(typed).all()
