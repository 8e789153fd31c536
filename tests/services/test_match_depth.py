"""Issue 13: the first `today` after an import scores only as deep as the plan's best pairs need, shows the plan
the whole lists would give, and leaves the rest to the first reader that reads deeper, which then stores exactly
what a whole pass stores."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from givefirst.config import Settings
from givefirst.domain.model import ExchangeDirection
from givefirst.domain.plan_model import PlanSettings
from givefirst.services import event_triage, ledger, match_depth, matching, plan
from givefirst.services.context import App, open_app
from givefirst.services.events import EventInput, add_event
from givefirst.services.needs import record_item
from givefirst.services.people import PersonInput, add_person
from givefirst.store import matching as store
from givefirst.store.schema import match_suggestions, needs, offers
from tests.conftest import NOW
from tests.services.test_match_workers import _network, _pairs

# The plan reads the best 3 of the pairs shown from 0.3 (the random networks have few strong pairs): the pass's
# depth rises above that floor.
FEW = PlanSettings(give_candidates=3, match_threshold=0.4, match_best_threshold=0.3)


def _imported(app: App, seed: int) -> None:
    """A network whose items were never scored, as after an import."""
    _network(app, seed)
    with app.begin() as conn:
        store.clear(conn)


def _open(database: str, settings: PlanSettings = FEW) -> App:
    return open_app(Settings(database=database, today=NOW.date(), plan=settings), now=NOW)


@pytest.fixture
def pair(db_url: str, tmp_path: Path) -> Iterator[tuple[App, App]]:
    """The same imported network twice: on the backend under test, and on SQLite scored whole first."""
    shallow, whole = _open(db_url), _open(str(tmp_path / "whole.db"))
    try:
        _imported(shallow, 3)
        _imported(whole, 3)
        matching.rescore(whole)
        yield shallow, whole
    finally:
        shallow.close()
        whole.close()


def _someone_new(app: App) -> int:
    return add_person(app, PersonInput(name="Someone New", location="Tampa, FL"))


def _made_to(app: App) -> float | None:
    with app.begin() as conn:
        return match_depth.made_to(conn)


def test_the_first_plan_is_the_whole_lists_plan_from_fewer_pairs(pair: tuple[App, App]) -> None:
    shallow, whole = pair
    assert plan.today(shallow) == plan.today(whole)
    made_to = _made_to(shallow)
    assert made_to is not None and made_to > matching.shown_depth(shallow)
    kept, all_pairs = _pairs(shallow), _pairs(whole)
    assert kept and set(kept) < set(all_pairs)  # bit for bit the whole pass's pairs, fewer of them
    assert {p for p in all_pairs if p[2] >= made_to} <= set(kept)
    with shallow.begin() as conn:  # the plan's own read is already the best of all
        assert matching.ensure_fresh(conn, shallow, depth=matching.shown_depth(shallow), top=10) is None


def test_a_deeper_reader_makes_every_list_whole(pair: tuple[App, App]) -> None:
    shallow, whole = pair
    plan.today(shallow)
    assert _made_to(shallow) is not None
    deeper = matching.suggestions(shallow, min_score=0.0, limit=500)
    assert [(s.need.id, s.offer.id, s.match.score) for s in deeper] == [
        (s.need.id, s.offer.id, s.match.score) for s in matching.suggestions(whole, min_score=0.0, limit=500)
    ]
    assert _pairs(shallow) == _pairs(whole)
    assert _made_to(shallow) is None
    with shallow.begin() as conn:
        assert conn.execute(select(func.count()).select_from(match_suggestions)).scalar_one() == len(_pairs(whole))


def test_the_display_rule_s_readers_deepen_to_their_floor(pair: tuple[App, App]) -> None:
    shallow, whole = pair
    plan.today(shallow)
    # a person's matches are shown from the display rule's floor, below the plan's depth
    with whole.begin() as conn:
        person = conn.execute(select(needs.c.person_id).where(needs.c.id == _pairs(whole)[0][0])).scalar_one()
    mine, theirs = matching.for_person(shallow, str(person)), matching.for_person(whole, str(person))
    assert [(s.need.id, s.offer.id, s.match.score) for s in mine.needs_met + mine.offers_serving] == [
        (s.need.id, s.offer.id, s.match.score) for s in theirs.needs_met + theirs.offers_serving
    ]
    assert _made_to(shallow) is None


def test_a_plan_that_reads_past_the_depth_falls_back_to_whole_lists(pair: tuple[App, App]) -> None:
    shallow, whole = pair
    plan.today(shallow)
    made_to = _made_to(shallow)
    assert made_to is not None
    # The best four pairs given since: the best three left to read include pairs under the depth the pass made.
    best = sorted(_pairs(whole), key=lambda p: (-p[2], p[0], p[1]))[:4]
    assert sum(p[2] >= made_to for p in _pairs(whole)) < 4 + FEW.give_candidates
    for app in (shallow, whole):
        with app.begin() as conn:
            people = {int(r.id): int(r.person_id) for r in conn.execute(select(needs.c.id, needs.c.person_id))}
        for need_id, offer_id, _, _ in best:
            ledger.record(app, str(people[need_id]), ExchangeDirection.GAVE, "an introduction", need_id=need_id,
                          offer_id=offer_id)  # fmt: skip
    assert plan.today(shallow) == plan.today(whole)
    assert _made_to(shallow) is None  # the lists were made whole on the way
    assert _pairs(shallow) == _pairs(whole)


def test_a_small_network_is_scored_to_the_display_floor_and_never_deepened_for_the_plan(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _open(db_url, settings=replace(FEW, give_candidates=150))  # more than the network's pairs
    try:
        _imported(app, 4)
        plan.today(app)
        assert _made_to(app) == matching.shown_depth(app)
        calls: list[int] = []
        original = matching.refresh

        def counted(*args: Any, **kwargs: Any) -> Any:
            calls.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(matching, "refresh", counted)
        plan.today(app)  # the display rule reads no deeper than the lists reach: nothing is scored again
        matching.for_person(app, "Person 1")
        assert calls == []
    finally:
        app.close()


def test_a_new_offer_shows_the_needs_it_serves_as_whole_lists_would(pair: tuple[App, App], tmp_path: Path) -> None:
    shallow, whole = pair
    plan.today(shallow)
    assert _made_to(shallow) is not None
    # A strong pair's offer, offered again by someone new (offered again by its own person it would only stand behind
    # the first: a need shows one item a person), so that the new offer serves needs that are shown. The strongest
    # pair whose new offer is shown, each tried on its own copy of the whole database, so that one try leaves
    # nothing behind for the next.
    for k, (_, offer_id, _, _) in enumerate(sorted(_pairs(whole), key=lambda p: -p[2])[:40]):
        with whole.begin() as conn:
            text = conn.execute(select(offers.c.text).where(offers.c.id == offer_id)).scalar_one()
        copy = tmp_path / f"scratch-{k}.db"
        with sqlite3.connect(tmp_path / "whole.db") as source, sqlite3.connect(copy) as target:
            source.backup(target)
        scratch = _open(str(copy))
        try:
            shows = record_item(scratch, "offer", str(_someone_new(scratch)), text, suggestions=5).suggestions
        finally:
            scratch.close()
        if shows:
            break
    else:
        pytest.fail("no strong pair's offer, offered again, shows a need: this network has no pair to test with")
    shown = [record_item(app, "offer", str(_someone_new(app)), text, suggestions=5).suggestions
             for app in (shallow, whole)]  # fmt: skip
    assert shown[0] and [(s.need.id, s.match.score) for s in shown[0]] == [(s.need.id, s.match.score) for s in shown[1]]
    assert _made_to(shallow) is None
    # The lists were made whole against the offers as they are now (BM25's idf with the new offer), as a whole pass
    # gives; the other database scored only the new offer's column, its older pairs with the idf of before.
    matching.rescore(whole)
    assert _pairs(shallow) == _pairs(whole)


def _deeper_needs(shallow: App, whole: App) -> list[int]:
    """The needs whose whole lists hold pairs that the shallow pass left out, by id."""
    kept = set(_pairs(shallow))
    return sorted({p[0] for p in _pairs(whole) if p not in kept})


def _deeper_need(shallow: App, whole: App) -> tuple[int, int]:
    """A need (and its person) whose whole list holds pairs that the shallow pass left out."""
    missing = _deeper_needs(shallow, whole)
    assert missing  # (else the test could not fail)
    with whole.begin() as conn:
        person = conn.execute(select(needs.c.person_id).where(needs.c.id == missing[0])).scalar_one()
    return missing[0], int(person)


def test_a_profile_makes_whole_only_the_lists_of_the_person_s_needs(pair: tuple[App, App]) -> None:
    shallow, whole = pair
    plan.today(shallow)
    _, person = _deeper_need(shallow, whole)
    with shallow.begin() as a, whole.begin() as b:
        assert ledger.give_first_alternatives(a, shallow, person) == ledger.give_first_alternatives(b, whole, person)
    with whole.begin() as conn:
        theirs = set(conn.execute(select(needs.c.id).where(needs.c.person_id == person)).scalars())
    # their lists are the whole pass's, bit for bit; every other list is as the first plan left it
    assert [p for p in _pairs(shallow) if p[0] in theirs] == [p for p in _pairs(whole) if p[0] in theirs]
    assert _made_to(shallow) is not None
    assert len(_pairs(shallow)) < len(_pairs(whole))


def test_one_need_s_matches_make_whole_that_list_alone(pair: tuple[App, App]) -> None:
    shallow, whole = pair
    plan.today(shallow)
    need_id, _ = _deeper_need(shallow, whole)
    mine, theirs = matching.for_need(shallow, need_id, min_score=0.0), matching.for_need(whole, need_id, min_score=0.0)
    assert mine and [(s.offer.id, s.match.score) for s in mine] == [(s.offer.id, s.match.score) for s in theirs]
    assert [p for p in _pairs(shallow) if p[0] == need_id] == [p for p in _pairs(whole) if p[0] == need_id]
    assert _made_to(shallow) is not None


def test_an_event_s_triage_makes_whole_only_the_lists_of_who_is_expected(pair: tuple[App, App]) -> None:
    shallow, whole = pair
    plan.today(shallow)
    _, person = _deeper_need(shallow, whole)
    event = [add_event(app, EventInput("Chapter meeting", NOW + timedelta(days=2), expected=[str(person)]))
             for app in (shallow, whole)]  # fmt: skip
    assert event[0] == event[1]
    ranked = [[(e.row.id, e.triage) for e in event_triage.rank_events(app)] for app in (shallow, whole)]
    assert ranked[0] and ranked[0] == ranked[1]
    assert event_triage.prep_sheet(shallow, event[0]) == event_triage.prep_sheet(whole, event[0])
    with whole.begin() as conn:
        theirs = set(conn.execute(select(needs.c.id).where(needs.c.person_id == person)).scalars())
    assert [p for p in _pairs(shallow) if p[0] in theirs] == [p for p in _pairs(whole) if p[0] in theirs]
    assert _made_to(shallow) is not None


def test_many_needs_lists_are_made_whole_in_one_read_of_the_offers(
    pair: tuple[App, App], monkeypatch: pytest.MonkeyPatch
) -> None:
    shallow, whole = pair
    plan.today(shallow)
    missing = _deeper_needs(shallow, whole)
    assert len(missing) >= 3  # (else the test could not fail)
    chosen, left = missing[:-1], missing[-1]
    reads: list[str] = []
    original = matching._cached_offer_index

    def counted(conn: Any, key: str) -> Any:
        reads.append(key)
        return original(conn, key)

    monkeypatch.setattr(matching, "_cached_offer_index", counted)
    with shallow.begin() as conn:
        report = matching.deepen_needs(conn, shallow, [*chosen, -1], 0.0)  # (an id no list has is left alone)
    assert report is not None and report.needs_scored == len(chosen)
    assert len(reads) == 1  # the offers' index and vectors once for them all, not once a need
    # The same pairs as a whole pass's lists. A need scored alone takes its cosines from a matrix-vector product
    # and a whole pass from a matrix product, which BLAS may sum in another order: a score may differ in float32's
    # last bit, one unit of the sixth decimal once stored (as a need just added may).
    mine = [p for p in _pairs(shallow) if p[0] in chosen]
    theirs = [p for p in _pairs(whole) if p[0] in chosen]
    assert mine and [p[:2] for p in mine] == [p[:2] for p in theirs]
    assert all(abs(a[2] - b[2]) <= 1.5e-6 for a, b in zip(mine, theirs, strict=True))
    # the need not asked for keeps the list the first plan left it, and is the one still to be made whole
    assert {p for p in _pairs(whole) if p[0] == left} - set(_pairs(shallow))
    with shallow.begin() as conn:
        assert left in match_depth.shallow_ids(conn) and not set(chosen) & set(match_depth.shallow_ids(conn))
        assert matching.deepen_needs(conn, shallow, chosen, 0.0) is None  # read again: nothing scored again
        matching.deepen_needs(conn, shallow, [left], 0.0)
        assert left not in match_depth.shallow_ids(conn)
        matching.deepen_needs(conn, shallow, match_depth.shallow_ids(conn), 0.0)
        assert match_depth.made_to(conn) is None  # none left shallow: every list is whole
    assert [p[:2] for p in _pairs(shallow)] == [p[:2] for p in _pairs(whole)]


def test_a_profile_read_again_scores_nothing_again(pair: tuple[App, App], monkeypatch: pytest.MonkeyPatch) -> None:
    shallow, whole = pair
    plan.today(shallow)
    _, person = _deeper_need(shallow, whole)
    with shallow.begin() as conn:
        first = ledger.give_first_alternatives(conn, shallow, person)
    scored: list[Any] = []
    original = matching._refresh_needs

    def counted(*args: Any) -> Any:
        scored.append(args[2])
        return original(*args)

    monkeypatch.setattr(matching, "_refresh_needs", counted)
    with shallow.begin() as conn:  # (a person's page viewed again: no write, so no wait on another writer)
        assert ledger.give_first_alternatives(conn, shallow, person) == first
    assert scored == []
