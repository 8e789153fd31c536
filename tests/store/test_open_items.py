"""The matcher's reading of every open need and offer: the same records as each row read through SQLAlchemy's
types (`store.needs.to_record`), on a real SQLite file and on PostgreSQL when configured."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from givefirst.services.context import App
from givefirst.store import matching as store
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store
from givefirst.store.schema import needs, offers
from tests.conftest import NOW


@pytest.mark.parametrize("seed", [1, 2])
def test_open_items_are_the_rows_read_one_by_one(app: App, seed: int) -> None:
    rng = random.Random(seed)
    with app.begin() as conn:
        people = [people_store.insert_person(conn, {"name": f"P {n}"}, NOW) for n in range(5)]
        for n in range(60):
            which = rng.choice(["need", "offer"])
            created = NOW - timedelta(days=rng.randrange(400), seconds=rng.randrange(86_400),
                                      microseconds=rng.choice([0, rng.randrange(1_000_000)]))  # fmt: skip
            item = needs_store.insert_item(
                conn, which, person_id=rng.choice(people), text=f"text {n} — “quoted” 'x'",
                tags=rng.choice([(), ("a",), ("mentoring", "legal")]), location=rng.choice([None, "", "Tampa, FL"]),
                expires_on=rng.choice([None, date(2026, 12, 31), date(2025, 1, 1)]), created_at=created,
            )  # fmt: skip
            if rng.random() < 0.2:
                needs_store.set_status(conn, which, item, "closed", NOW)
    with app.begin() as conn:
        for which, table in (("need", needs), ("offer", offers)):
            rows = conn.execute(select(table).where(table.c.status == "open").order_by(table.c.id)).all()
            expected = [needs_store.to_record(r) for r in rows]
            found = store.all_open_items(conn, which)
            assert found == expected
            assert all(isinstance(r.created_at, datetime) for r in found)
