"""The offers' version (migration 0012): every kind of write to offers bumps it, so adding a need never trusts
offers it did not check; and adding needs that way stores exactly what the full fingerprint check stores."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, delete, insert, select, text, update

from givefirst.services import match_offers, matching
from givefirst.services.context import App
from givefirst.services.merging import merge_people, unmerge
from givefirst.services.needs import add_item, close_item, edit_item
from givefirst.services.people import PersonInput, add_person
from givefirst.store import matching as store
from givefirst.store.schema import match_marks, match_suggestions, offers, people
from tests.conftest import NOW

WORDS = ("data", "engineer", "Tampa", "Python", "realtor", "CFO", "logistics", "Spark", "mentor", "design",
         "Miami", "hiring", "résumé", "intro", "investor", "remote")  # fmt: skip


def _people(app: App, n: int = 4) -> list[str]:
    return [str(add_person(app, PersonInput(name=f"Person {i}", location="Tampa, FL"))) for i in range(n)]


def _checked(app: App) -> str | None:
    with app.begin() as conn:
        return matching._checked_key(conn, store.offers_version(conn))


def _delete_person(app: App, ref: str) -> None:
    with app.begin() as conn:  # offers go by ON DELETE CASCADE: no statement names the offers table
        conn.execute(delete(people).where(people.c.id == int(ref)))


def _raw(statement: str) -> Callable[[App, list[str], int], None]:
    def run(app: App, refs: list[str], offer: int) -> None:
        with app.begin() as conn:
            conn.execute(text(statement.format(offer=offer, person=refs[1])))

    return run


WRITES: dict[str, Callable[[App, list[str], int], Any]] = {
    "add an offer": lambda app, refs, offer: add_item(app, "offer", refs[2], "Spare desk in a Tampa office"),
    "edit an offer": lambda app, refs, offer: edit_item(app, "offer", offer, text="Spark mentoring, Tampa"),
    "close an offer": lambda app, refs, offer: close_item(app, "offer", offer, "withdrawn"),
    "merge two people": lambda app, refs, offer: merge_people(app, refs[0], refs[1]),
    "delete a person": lambda app, refs, offer: _delete_person(app, refs[0]),
    "raw insert": _raw(
        "INSERT INTO offers (person_id, text, tags, created_at, status) "
        "VALUES ({person}, 'Imported offer', '', '2026-11-25 12:00:00', 'open')"
    ),
    "raw update, same values": _raw("UPDATE offers SET text = text WHERE id = {offer}"),
    "raw delete": _raw("DELETE FROM offers WHERE id = {offer}"),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_every_kind_of_write_to_offers_makes_the_checked_offers_stale(app: App, write: str) -> None:
    refs = _people(app)
    offer = add_item(app, "offer", refs[0], "Data engineer (Python, Spark) open to roles in Tampa")
    add_item(app, "offer", refs[1], "Happy to review résumés for data people")
    matching.rescore(app)
    add_item(app, "need", refs[3], "Looking for a data engineer in Tampa")
    key = _checked(app)
    assert key is not None  # the need's addition checked every offer and recorded it
    add_item(app, "need", refs[3], "Looking for a realtor")  # a need is no write to offers
    assert _checked(app) == key
    with app.begin() as conn:
        before = store.offers_version(conn)
    WRITES[write](app, refs, offer)
    with app.begin() as conn:
        after = store.offers_version(conn)
    assert before is not None and after is not None and after > before
    assert _checked(app) is None


def test_a_rolled_back_write_leaves_the_version(app: App) -> None:
    refs = _people(app, 1)
    add_item(app, "offer", refs[0], "Happy to review résumés")
    with app.begin() as conn:
        before = store.offers_version(conn)
    with pytest.raises(RuntimeError), app.begin() as conn:
        conn.execute(update(offers).values(text="changed"))
        raise RuntimeError
    with app.begin() as conn:
        assert store.offers_version(conn) == before
        assert conn.execute(select(offers.c.text)).scalar_one() == "Happy to review résumés"


def _stored(app: App) -> tuple[list[Any], list[Any]]:
    with app.begin() as conn:
        pairs = conn.execute(select(match_suggestions).order_by("need_id", "offer_id")).all()
        marks = conn.execute(select(match_marks.c.kind, match_marks.c.item_id, match_marks.c.fingerprint)
                             .where(match_marks.c.kind != matching.STAMP)
                             .order_by("kind", "item_id")).all()  # fmt: skip
    return [tuple(r) for r in pairs], [tuple(r) for r in marks]


def _text(rnd: random.Random) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(2, 7)))


@pytest.fixture
def ways(monkeypatch: pytest.MonkeyPatch, app: App, other_app: App) -> Iterator[dict[str, list[bool]]]:
    """`other_app` always does the full check (its stamp is never trusted) and reads every offer's row; yield, for
    `app`, whether its stamp was trusted each time, and whether its offers' heads then came from the cache."""
    ways: dict[str, list[bool]] = {"stamp": [], "heads": []}
    checked_key, cached_heads = matching._checked_key, match_offers.cached_heads

    def spy(conn: Connection, version: int | None) -> str | None:
        if conn.engine is other_app.engine:
            return None
        found = checked_key(conn, version)
        ways["stamp"].append(found is not None)
        return found

    def heads(conn: Connection, version: int) -> Any:
        assert conn.engine is app.engine  # only asked once the stamp is trusted
        found = cached_heads(conn, version)
        ways["heads"].append(found is not None)
        return found

    monkeypatch.setattr(matching, "_checked_key", spy)
    monkeypatch.setattr(match_offers, "cached_heads", heads)
    yield ways


@pytest.mark.parametrize("seed", [1, 2])
def test_needs_added_with_the_stamp_store_what_the_full_check_stores(
    app: App, other_app: App, ways: dict[str, list[bool]], seed: int
) -> None:
    rnd = random.Random(seed)
    both = (app, other_app)
    refs = _people(app, 6)
    assert _people(other_app, 6) == refs
    offers_made: list[int] = []
    for _ in range(30):
        ref, words = rnd.choice(refs), _text(rnd)
        offers_made.append(add_item(app, "offer", ref, words))
        assert add_item(other_app, "offer", ref, words) == offers_made[-1]
    for a in both:
        matching.rescore(a)
    for step in range(40):
        roll = rnd.random()
        ref, words, offer = rnd.choice(refs), _text(rnd), rnd.choice(offers_made)
        expiry = rnd.choice([None, date(2026, 11, 1), NOW.date(), date(2027, 1, 1)])  # some offers expired
        for a in both:
            if roll < 0.6:
                add_item(a, "need", ref, words)
            elif roll < 0.7:
                add_item(a, "offer", ref, words)
            elif roll < 0.8:
                edit_item(a, "offer", offer, text=words)
            elif roll < 0.85:
                close_item(a, "offer", offer, "given")
            else:  # as an import or a sync would: the offers change, nothing is re-scored until the next refresh
                with a.begin() as conn:
                    conn.execute(update(offers).where(offers.c.id == offer).values(text=words, location="Miami"))
                    conn.execute(insert(offers).values(person_id=int(ref), text=words, tags="data",
                                                       created_at=NOW, expires_on=expiry))  # fmt: skip
        assert _stored(app) == _stored(other_app), step
    assert set(ways["stamp"]) == {True, False} and True in ways["heads"]  # each way was taken
    merged = [merge_people(a, refs[0], refs[1]) for a in both]
    for a, outcome in zip(both, merged, strict=True):
        add_item(a, "need", refs[2], "data engineer Tampa Python")
        unmerge(a, outcome.merge_id)
        add_item(a, "need", refs[3], "realtor Miami")
    assert _stored(app) == _stored(other_app)


# The needs' version (migration 0017) and the stamp `ensure_fresh` keeps with it: "no open item unscored".

NEED_WRITES: dict[str, Callable[[App, list[str], int], Any]] = {
    "add a need": lambda app, refs, need: add_item(app, "need", refs[2], "Looking for a realtor in Tampa"),
    "edit a need": lambda app, refs, need: edit_item(app, "need", need, text="Looking for a Spark mentor"),
    "close a need": lambda app, refs, need: close_item(app, "need", need, "met"),
    "delete a person": lambda app, refs, need: _delete_person(app, refs[0]),
    "raw insert": _raw(
        "INSERT INTO needs (person_id, text, tags, created_at, status) "
        "VALUES ({person}, 'Imported need: a data engineer', '', '2026-11-25 12:00:00', 'open')"
    ),
    "raw update, same values": _raw("UPDATE needs SET text = text"),
}


def _fresh_stamp(app: App) -> str | None:
    with app.begin() as conn:
        return store.mark_of(conn, matching.FRESH, 0)


@pytest.mark.parametrize("write", list(NEED_WRITES))
def test_every_kind_of_write_to_needs_moves_their_version_and_the_stamp_goes_stale(app: App, write: str) -> None:
    refs = _people(app)
    need = add_item(app, "need", refs[0], "Looking for a data engineer in Tampa")
    add_item(app, "offer", refs[1], "Data engineer (Python, Spark) open to roles in Tampa")
    with app.begin() as conn:
        matching.ensure_fresh(conn, app)  # everything scored: counted once, and remembered
        matching.ensure_fresh(conn, app)
        before = store.items_version(conn)
    assert before is not None and _fresh_stamp(app) == f"{matching.ENGINE_VERSION}:{before}"
    NEED_WRITES[write](app, refs, need)
    with app.begin() as conn:
        after = store.items_version(conn)
    assert after is not None and after != before
    assert _fresh_stamp(app) != f"{matching.ENGINE_VERSION}:{after}"  # the next read counts again


def test_a_need_written_outside_the_services_is_scored_although_a_stamp_was_kept(app: App) -> None:
    """The stamp never hides an unscored item: a need inserted as an import would (no hook) moves the version."""
    refs = _people(app)
    add_item(app, "offer", refs[1], "Data engineer (Python, Spark) open to roles in Tampa")
    with app.begin() as conn:
        matching.ensure_fresh(conn, app)
        matching.ensure_fresh(conn, app)
    assert _fresh_stamp(app) is not None
    insert_need = _raw("INSERT INTO needs (person_id, text, tags, created_at, status) "
                       "VALUES ({person}, 'Need a data engineer', '', '2026-11-25 12:00:00', 'open')")  # fmt: skip
    insert_need(app, refs, 0)
    with app.begin() as conn:
        assert store.unscored_count(conn, matching.ENGINE_VERSION) == 1
        report = matching.ensure_fresh(conn, app)
        assert report is not None and report.needs_scored == 1
        assert store.unscored_count(conn, matching.ENGINE_VERSION) == 0


def test_a_stamp_of_another_engine_is_not_trusted(app: App) -> None:
    refs = _people(app)
    add_item(app, "offer", refs[1], "Data engineer (Python, Spark) open to roles in Tampa")
    add_item(app, "need", refs[0], "Looking for a data engineer in Tampa")
    with app.begin() as conn:  # as an older engine left them: every mark and the stamp
        versions = store.items_version(conn)
        conn.execute(update(match_marks).values(fingerprint="m0:an older engine"))
        store.set_marks(conn, matching.FRESH, {0: f"m0:{versions}"}, NOW)
    with app.begin() as conn:
        report = matching.ensure_fresh(conn, app)
        assert report is not None and report.needs_scored == 1 and report.offers_scored == 1
