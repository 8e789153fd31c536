"""Issue 11, pattern 10: adding needs and offers one by one gives the lists a full rescore gives.

A new offer is scored against every need and its pairs join the lists already stored; a need keeps only its
best `per_item`, as a full pass does. Before, offers recorded after a need were added whenever they cleared the
floor while those recorded before it had been cut at 8, so a need could keep a later 0.21 and 0.18 and have
lost an earlier 0.22.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from givefirst.config import Settings
from givefirst.domain.match_score import DEFAULT_WEIGHTS
from givefirst.services import matching
from givefirst.services.context import App, open_app
from givefirst.services.needs import add_item
from givefirst.services.people import PersonInput, add_person
from givefirst.store.schema import match_suggestions
from tests.conftest import NOW

NEEDS = [
    "Looking for a pastry chef for weekend brunch service at our bakery",
    "Need a line cook who can run the grill on Friday nights",
    "Want advice on opening a small bakery: permits, ovens, suppliers",
]
OFFERS = [
    "Pastry chef, six years in hotel kitchens, available for weekend shifts",
    "Line cook, grill and sauté, can pick up Friday and Saturday nights",
    "Ran a neighbourhood bakery for ten years; happy to talk permits and ovens",
    "Bread baker who supplies cafés; can advise on flour suppliers",
    "Cake decorator taking custom orders for weddings",
    "Commercial kitchen for rent by the hour, health-department approved",
    "Restaurant consultant: menus, kitchen layout and hiring cooks",
    "Food safety trainer: ServSafe classes for kitchen staff",
    "Sous chef looking for a new kitchen, brunch and pastry experience",
    "Barista and pastry assistant, mornings and weekends",
    "Chef instructor at a culinary school, glad to recommend graduates",
    "Equipment dealer: used ovens and mixers for small bakeries",
    "Catering cook available for weekend events",
]


def _lists(app: App) -> dict[str, list[tuple[str, float]]]:
    """Return every need's stored offers (by text, with the score), best first, as `givefirst match --need` orders
    them."""
    with app.begin() as conn:
        rows = conn.execute(select(match_suggestions.c.need_id, match_suggestions.c.offer_id)).all()
    texts: dict[str, list[tuple[str, float]]] = {}
    for need_id in sorted({r.need_id for r in rows}):
        found = matching.for_need(app, need_id, min_score=0.0, limit=50)
        texts[found[0].need.text] = [(s.offer.text, s.match.score) for s in found]
    return texts


# A pair scored when an item arrives keeps the lexical signal of the BM25 index of that moment, and a full pass
# reads today's: the chances move a little (by up to 0.03 seen with engine m8's weights, among pairs at a chance
# under 0.1), so two offers that close may trade places. Which offers a need keeps must not depend on the order
# (pattern 10), and two offers may trade places only as far as their own scores moved.
def _same_lists(added: dict[str, list[tuple[str, float]]], full: dict[str, list[tuple[str, float]]]) -> None:
    assert added.keys() == full.keys()
    for need, found in full.items():
        assert sorted(t for t, _ in added[need]) == sorted(t for t, _ in found), need
        place = {t: k for k, (t, _) in enumerate(added[need])}
        then = dict(added[need])
        for i, (a, score_a) in enumerate(found):
            for b, score_b in found[i + 1 :]:
                moved = abs(then[a] - score_a) + abs(then[b] - score_b)
                assert place[a] < place[b] or score_a - score_b <= moved + 1e-9, (need, a, b)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.permutations([("need", t) for t in NEEDS] + [("offer", t) for t in OFFERS]))
def test_items_added_one_by_one_give_the_lists_of_a_full_rescore(tmp_path: Path, order: list[tuple[str, str]]) -> None:
    db = tmp_path / f"{abs(hash(tuple(order)))}.db"
    app = open_app(Settings(database=str(db), today=NOW.date()), now=NOW)
    try:
        people = [add_person(app, PersonInput(name=f"Person {i}", location="Oakland, CA")) for i in range(len(order))]
        for person, (kind, text) in zip(people, order, strict=True):
            add_item(app, kind, str(person), text)
        added = _lists(app)
        assert all(len(offers) <= DEFAULT_WEIGHTS.per_item for offers in added.values())
        matching.rescore(app)
        _same_lists(added, _lists(app))
    finally:
        app.close()


def test_a_need_keeps_its_best_eight_as_offers_arrive_after_it(app: App) -> None:
    people = [add_person(app, PersonInput(name=f"Cook {i}", location="Oakland, CA")) for i in range(len(OFFERS) + 1)]
    need = add_item(app, "need", str(people[0]), NEEDS[0])
    for person, text in zip(people[1:], OFFERS, strict=True):
        add_item(app, "offer", str(person), text)
    added = [s.offer.text for s in matching.for_need(app, need, min_score=0.0, limit=50)]
    assert len(added) == DEFAULT_WEIGHTS.per_item < len(OFFERS)
    matching.rescore(app)
    assert [s.offer.text for s in matching.for_need(app, need, min_score=0.0, limit=50)] == added
