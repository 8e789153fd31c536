"""The pairs the user acted on: the same as the obvious reading of the ledger, and on SQLite read from the partial
index ix_exchanges_given (migration 0018) rather than by scanning every entry."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from givefirst.services.context import App
from givefirst.store import ledger as store
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store
from givefirst.store.schema import exchanges
from tests.conftest import NOW


def _random_ledger(app: App, seed: int) -> None:
    """Entries with a need, an offer, both or neither."""
    rng = random.Random(seed)
    with app.begin() as conn:
        pid = people_store.insert_person(conn, {"name": "Ana Ruiz"}, NOW)
        item = {"person_id": pid, "tags": (), "location": None, "expires_on": None, "created_at": NOW}
        ids = {which: [needs_store.insert_item(conn, which, text=f"{which} {i}", **item) for i in range(6)]
               for which in ("need", "offer")}  # fmt: skip
        for _ in range(80):
            store.insert_exchange(
                conn, person_id=pid, direction=rng.choice(["gave", "asked"]), kind="intro", description="x",
                status=rng.choice(["promised", "done"]), requested=False, occurred_at=NOW, due_on=None,
                need_id=rng.choice([None, *ids["need"]]), offer_id=rng.choice([None, *ids["offer"]]), now=NOW,
            )  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2])
def test_given_pairs_are_the_entries_with_both_a_need_and_an_offer(app: App, seed: int) -> None:
    _random_ledger(app, seed)
    with app.begin() as conn:
        rows = conn.execute(select(exchanges.c.need_id, exchanges.c.offer_id)).all()
        obvious = frozenset((r.need_id, r.offer_id) for r in rows if r.need_id is not None and r.offer_id is not None)
        assert obvious  # (the random ledger has some)
        assert store.given_pairs(conn) == obvious


def test_given_pairs_are_read_from_their_index_on_sqlite(app: App) -> None:
    if app.engine.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    _random_ledger(app, 3)
    with app.begin() as conn:
        sql = str(store.GIVEN.compile(conn, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "COVERING INDEX ix_exchanges_given" in plan
    assert "SCAN exchanges" not in plan
