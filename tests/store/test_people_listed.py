"""Lists of people read by page: the same people in the same order as the obvious computation, and on SQLite an
unfiltered page read from ix_people_listed without sorting everyone (migration 0015)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import func, select, update

from givefirst.services.context import App
from givefirst.store import people as people_store
from givefirst.store.schema import people
from tests.conftest import NOW

NAMES = ("ana Ruiz", "Ana ruiz", "ANA RUIZ", "Ben Ode", "ben ode", "Chen Li", "Dana", "dana", "Eli", "Zoë Park")
PLACES = ("Tampa, FL", "tampa", "Boston, MA", None)


def _random_people(app: App, seed: int) -> None:
    """People whose names differ only in case (ties broken by id), some merged away, and the user."""
    rng = random.Random(seed)
    with app.begin() as conn:
        ids = [
            people_store.insert_person(conn, {"name": rng.choice(NAMES), "location": rng.choice(PLACES)}, NOW)
            for _ in range(120)
        ]
        for merged in rng.sample(ids, 15):
            kept = rng.choice([i for i in ids if i != merged])
            conn.execute(update(people).where(people.c.id == merged).values(merged_into_id=kept))
        conn.execute(update(people).where(people.c.id == rng.choice(ids)).values(is_me=True))


def _obvious(app: App, location: str | None = None, include_me: bool = False) -> list[int]:
    with app.begin() as conn:
        rows = conn.execute(select(people.c.id, people.c.name, people.c.location, people.c.merged_into_id,
                                   people.c.is_me)).all()  # fmt: skip
    kept = [
        r
        for r in rows
        if r.merged_into_id is None
        and (include_me or not r.is_me)
        and (location is None or location in (r.location or "").lower())
    ]
    # SQL's lower() folds ASCII letters only, on both databases: "Zoë" keeps its ë, as here
    fold = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
    return [r.id for r in sorted(kept, key=lambda r: (r.name.translate(fold), r.id))]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pages_and_filters_list_the_obvious_people_in_order(app: App, seed: int) -> None:
    _random_people(app, seed)
    everyone = _obvious(app)
    with app.begin() as conn:
        for limit in (1, 7, 50, None):
            page = [r.id for r in people_store.list_people(conn, limit=limit)]
            assert page == everyone[:limit]
        assert people_store.count_listed(conn) == len(everyone)
        in_tampa = [r.id for r in people_store.list_people(conn, location="TAMPA", limit=10)]
        assert in_tampa == _obvious(app, "tampa")[:10]
        assert people_store.count_listed(conn, location="tampa") == len(_obvious(app, "tampa"))
        with_me = [r.id for r in people_store.list_people(conn, include_me=True)]
        assert with_me == _obvious(app, include_me=True)


def _plan(conn: Any, query: Any) -> str:
    sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
    return " ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))


def test_a_page_is_read_in_index_order_and_whole_reads_keep_their_plan_on_sqlite(app: App) -> None:
    if app.engine.dialect.name != "sqlite":
        pytest.skip("the plans checked are SQLite's")
    _random_people(app, 4)
    with app.begin() as conn:
        # list_people's query for a first page, as it is sent
        page = people_store._listed(select(people.c.id), None, None, None, None, False, None, None,
                                    in_index_order=True).order_by(*people_store.name_order(conn)).limit(20)  # fmt: skip
        plan = _plan(conn, page)
        assert "ix_people_listed" in plan
        assert "TEMP B-TREE" not in plan  # no sort of every person for a page
        # A whole-network read (the tie scores, the plan's rows) and a filtered page do not walk that index:
        # read in name order, the rows would come from all over the table.
        whole = select(people.c.id, people.c.name).where(people_store.CURRENT, people.c.is_me.is_(False))
        assert "ix_people_listed" not in _plan(conn, whole)
        # Counting everyone but the user reads that index alone (it holds merged_into_id).
        count = people_store._listed(select(func.count()), None, None, None, None, False, None, None, True,
                                     in_index_order=True)  # fmt: skip
        assert "ix_people_listed" in _plan(conn, count)
        found = people_store._listed(select(people.c.id), "ana", None, None, None, False, None, None)
        assert "ix_people_listed" not in _plan(conn, found.order_by(*people_store.name_order(conn)).limit(20))
