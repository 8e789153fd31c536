"""The matching service on a real database: suggestions, the rules that exclude pairs, incremental re-scoring."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import insert

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services import matching
from givefirst.services.context import App
from givefirst.services.needs import add_item, close_item, edit_item
from givefirst.services.people import PersonInput, add_person
from givefirst.store import matching as store
from givefirst.store.schema import introductions
from tests.conftest import NOW

SIGNALS = {"semantic", "lexical", "intent", "place", "freshness", "calibration"}  # every named part of a score


def person(app: App, name: str, location: str | None = None) -> str:
    return str(add_person(app, PersonInput(name=name, location=location)))


@pytest.fixture
def network(app: App) -> dict[str, int]:
    """A small network: a data engineer moving to Tampa, a Tampa hiring manager, another job seeker, a realtor."""
    dana = person(app, "Dana Lee", "Brooklyn, NY (moving to Tampa)")
    sam = person(app, "Sam Ortiz", "Tampa, FL")
    kim = person(app, "Kim Park", "Tampa, FL")
    ray = person(app, "Ray Cole", "Tampa, FL")
    return {
        "dana_need": add_item(
            app,
            "need",
            dana,
            "Data engineer moving to Tampa — looking for my next data engineering role there (Python, Spark)",
        ),
        "sam_offer": add_item(app, "offer", sam, "I'm hiring a data engineer for my analytics team in Tampa — Python"),
        "kim_offer": add_item(app, "offer", kim, "Data engineer (Python, Spark) — open to full-time roles in Tampa"),
        "kim_need": add_item(app, "need", kim, "Looking for a data engineering role in Tampa"),
        "ray_offer": add_item(app, "offer", ray, "Realtor in South Tampa, I help relocating families find a home"),
        "sam_own_need": add_item(app, "need", sam, "Looking for a realtor to help a new hire relocate to Tampa"),
        "dana": int(dana),
        "sam": int(sam),
        "kim": int(kim),
    }


def pairs(found: list[matching.Suggestion]) -> set[tuple[int, int]]:
    return {(s.need.id, s.offer.id) for s in found}


def test_the_data_engineer_meets_the_hiring_manager_and_seekers_are_never_paired(
    app: App, network: dict[str, int]
) -> None:
    best = matching.for_need(app, network["dana_need"], min_score=0.0)
    assert best[0].offer.id == network["sam_offer"]
    assert best[0].match.score >= app.plan_settings.match_threshold
    assert {s.name for s in best[0].match.signals} == {
        "semantic",
        "lexical",
        "intent",
        "place",
        "freshness",
        "calibration",
    }
    assert abs(sum(s.points for s in best[0].match.signals) - best[0].match.score) < 1e-3
    everything = matching.suggestions(app, min_score=0.0, limit=100)
    # Kim and Dana both seek a job: Kim's offer of her work is no answer to Dana's need, nor Dana's to Kim's.
    assert (network["dana_need"], network["kim_offer"]) not in pairs(everything)
    assert all(s.need.person_id != s.offer.person_id for s in everything)
    assert (network["kim_need"], network["sam_offer"]) in pairs(everything)


def test_suggestions_filters_and_person_view(app: App, network: dict[str, int]) -> None:
    only_sam = matching.suggestions(app, person=str(network["sam"]), min_score=0.0)
    assert only_sam and all(network["sam"] in (s.need.person_id, s.offer.person_id) for s in only_sam)
    assert matching.suggestions(app, min_score=0.99) == []
    assert len(matching.suggestions(app, min_score=0.0, limit=1)) == 1
    view = matching.for_person(app, str(network["sam"]), min_score=0.0)
    assert view.name == "Sam Ortiz"
    assert all(s.need.person_id == network["sam"] for s in view.needs_met)
    assert all(s.offer.person_id == network["sam"] for s in view.offers_serving)
    assert network["sam_offer"] in {s.offer.id for s in view.offers_serving}
    with pytest.raises(InvalidInputError):
        matching.suggestions(app, min_score=1.5)
    with pytest.raises(NotFoundError):
        matching.for_need(app, 999)


def test_closed_expired_introduced_and_declined_pairs_are_left_out(app: App, network: dict[str, int]) -> None:
    need, offer = network["dana_need"], network["sam_offer"]
    assert (need, offer) in pairs(matching.suggestions(app, min_score=0.0, limit=100))
    with app.begin() as conn:
        row = {"first_id": network["dana"], "second_id": network["sam"], "need_id": need, "offer_id": offer}
        conn.execute(insert(introductions).values(**row, state="suggested", created_at=NOW, updated_at=NOW))
    assert (need, offer) not in pairs(matching.suggestions(app, min_score=0.0, limit=100))
    # A declined introduction between two people keeps every pair of theirs out.
    sam_need = network["sam_own_need"]
    ray_offer = [s.offer.id for s in matching.for_need(app, sam_need, min_score=0.0)]
    assert ray_offer
    ray = matching.for_need(app, sam_need, min_score=0.0)[0].offer.person_id
    with app.begin() as conn:
        conn.execute(insert(introductions).values(first_id=ray, second_id=network["sam"], state="declined",
                                                  created_at=NOW, updated_at=NOW))  # fmt: skip
    assert ray not in {s.offer.person_id for s in matching.for_need(app, sam_need, min_score=0.0)}
    close_item(app, "need", network["kim_need"], "met")
    assert network["kim_need"] not in {s.need.id for s in matching.suggestions(app, min_score=0.0, limit=100)}
    close_item(app, "need", network["kim_need"], "open")
    assert network["kim_need"] in {s.need.id for s in matching.suggestions(app, min_score=0.0, limit=100)}
    edit_item(app, "need", network["kim_need"], expires_on=NOW.date())
    later = App(app.engine, app.settings, NOW + timedelta(days=2))
    assert network["kim_need"] not in {s.need.id for s in matching.suggestions(later, min_score=0.0, limit=100)}


def test_editing_one_item_rescores_only_it_and_unchanged_text_is_not_embedded_again(
    app: App, network: dict[str, int]
) -> None:
    with app.begin() as conn:
        assert matching.refresh(conn, app).needs_scored == 0  # all fresh: nothing to do
        vectors = store.vector_count(conn, "wordllama-l2-supercat-256")
        before = store.marks(conn, "need")
    edit_item(app, "need", network["dana_need"], tags=["jobs", "data"])  # same text, new tags
    with app.begin() as conn:
        assert store.vector_count(conn, "wordllama-l2-supercat-256") == vectors  # no new embedding
        after = store.marks(conn, "need")
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {network["dana_need"]}
    with app.begin() as conn:
        store.set_marks(conn, "need", {network["dana_need"]: before[network["dana_need"]]}, NOW)
        report = matching.refresh(conn, app)
    assert (report.needs_scored, report.offers_scored, report.embedded) == (1, 0, 0)
    edit_item(app, "offer", network["sam_offer"], text="We're hiring a senior data engineer in Tampa (Python, dbt)")
    with app.begin() as conn:
        assert store.vector_count(conn, "wordllama-l2-supercat-256") == vectors + 1
    assert matching.for_need(app, network["dana_need"], min_score=0.0)[0].offer.id == network["sam_offer"]


def test_a_new_engine_version_rescores_everything(
    app: App, network: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.begin() as conn:
        assert matching.ensure_fresh(conn, app) is None
    monkeypatch.setattr(matching, "ENGINE_VERSION", "test-next")
    with app.begin() as conn:
        report = matching.ensure_fresh(conn, app)
        assert report is not None and report.needs_scored == 3 and report.offers_scored == 3
        assert report.embedded == 0  # vectors depend on the text only
        assert matching.ensure_fresh(conn, app) is None


def test_the_plan_and_ask_use_the_engine(app: App, network: dict[str, int]) -> None:
    from givefirst.services.ledger import ask

    result = ask(app, str(network["dana"]), "a referral at your company", record_it=False)
    assert any("Sam Ortiz" in alt for alt in (*result.readiness.reasons, result.readiness.alternative or ""))


def test_rescore_rebuilds_the_same_suggestions(app: App, network: dict[str, int]) -> None:
    before = {(s.need.id, s.offer.id): round(s.match.score, 3) for s in matching.suggestions(app, min_score=0.0)}
    matching.rescore(app)
    after = {(s.need.id, s.offer.id): round(s.match.score, 3) for s in matching.suggestions(app, min_score=0.0)}
    assert before.keys() == after.keys()
    assert date.today() and all(abs(before[k] - after[k]) < 0.05 for k in before)


def test_items_written_outside_the_services_are_scored_on_the_next_read(app: App, network: dict[str, int]) -> None:
    from givefirst.store import needs as needs_store

    with app.begin() as conn:  # as an import writes them: no hook
        text = "Hiring a Spark data engineer in Tampa"
        values = {"tags": [], "location": "Tampa, FL", "expires_on": None, "created_at": NOW}
        offer = needs_store.insert_item(conn, "offer", person_id=network["sam"], text=text, **values)
        assert store.unscored_count(conn, matching.ENGINE_VERSION) == 1
    # Adding a need scores only that need, but sees the unscored offer and refreshes it too.
    dana = str(network["dana"])
    need = add_item(app, "need", dana, "Looking for a Spark data engineering role in Tampa")
    with app.begin() as conn:
        assert store.unscored_count(conn, matching.ENGINE_VERSION) == 0
    assert offer in {s.offer.id for s in matching.for_need(app, need, min_score=0.0)}
    assert offer in {s.offer.id for s in matching.for_need(app, network["dana_need"], min_score=0.0)}
