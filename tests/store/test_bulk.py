"""Bulk inserts store exactly what a Core insert stores, so that the fast path changes no value."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert, select

from givefirst.services.context import App
from givefirst.store import bulk
from givefirst.store.schema import interactions, people

MOMENT = datetime(2026, 3, 4, 5, 6, 7)
PERSON = {
    "name": "Ana", "credentials": None, "title": "CTO", "location": None, "notes": "n", "met_on": date(2020, 1, 2),
    "how_met": None, "created_at": MOMENT, "updated_at": MOMENT, "organization_id": None,
}  # fmt: skip
MEETING = {
    "occurred_at": MOMENT, "kind": "meeting", "direction": "mutual", "summary": "s", "source": "x", "external_id": "e",
    "planned": True, "follow_up_on": date(2026, 3, 5), "follow_up_done": False, "created_at": MOMENT,
}  # fmt: skip


def test_bulk_rows_read_back_as_core_rows(app: App) -> None:
    with app.begin() as conn:
        (fast,) = bulk.insert_people(conn, [PERSON])
        slow = conn.execute(insert(people).values(**PERSON).returning(people.c.id)).scalar_one()
        rows = {r.id: r._asdict() for r in conn.execute(select(people).where(people.c.id.in_([fast, slow])))}
        assert {k: v for k, v in rows[fast].items() if k != "id"} == {k: v for k, v in rows[slow].items() if k != "id"}
        (meeting,) = bulk.insert_interactions(conn, [MEETING])
        row = conn.execute(select(interactions).where(interactions.c.id == meeting)).one()._asdict()
        assert {k: row[k] for k in MEETING} == MEETING


def test_bulk_rows_are_stored_as_core_stores_them_on_sqlite(app: App) -> None:
    if app.engine.dialect.name != "sqlite":
        return  # the driver-level path is SQLite's; PostgreSQL takes the Core path checked above
    with app.begin() as conn:
        (fast,) = bulk.insert_people(conn, [PERSON])
        slow = conn.execute(insert(people).values(**PERSON).returning(people.c.id)).scalar_one()
        stored = conn.exec_driver_sql(
            "SELECT id, created_at, met_on, typeof(created_at) FROM people WHERE id IN (?, ?)", (fast, slow)
        ).all()
    assert len({tuple(row[1:]) for row in stored}) == 1, stored  # same text, same type: comparisons agree
