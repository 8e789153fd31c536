"""Interactions, the ledger and the running statistics, through the services on a real database."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from givefirst.domain.model import (
    Direction,
    ExchangeDirection,
    ExchangeKind,
    ExchangeStatus,
    InteractionKind,
    Readiness,
)
from givefirst.services import tiestats
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.ledger import ask, record
from givefirst.services.network import profile
from givefirst.services.people import PersonInput, add_person
from givefirst.services.plan import done, today
from givefirst.store import interactions as interactions_store
from givefirst.store import ledger as ledger_store
from givefirst.store import stats as stats_store
from givefirst.store.schema import tie_stats

NOW = datetime(2026, 11, 25, 12)


def test_stored_statistics_equal_a_full_recomputation(app: App) -> None:
    a = add_person(app, PersonInput(name="Ana"))
    b = add_person(app, PersonInput(name="Ben"))
    for days, kind, direction in [(400, "meeting", None), (30, "email", Direction.INBOUND), (200, "call", None),
                                  (10, "email", Direction.OUTBOUND), (5, "message", Direction.INBOUND)]:  # fmt: skip
        log_interaction(app, ["Ana", "Ben"], kind=InteractionKind(kind), direction=direction,
                        at=NOW - timedelta(days=days))  # fmt: skip
    record(app, "Ana", ExchangeDirection.GAVE, "intro", kind=ExchangeKind.INTRODUCTION, at=NOW - timedelta(days=50))
    with app.begin() as conn:
        stored = stats_store.load(conn)
        for pid in (a, b):
            fresh = tiestats.compute_stats(
                interactions_store.real_history(conn, pid), ledger_store.history_of(conn, pid), app.weights
            )
            assert fresh is not None
            assert stored[pid].touches == fresh.touches == 5
            assert stored[pid].mutual == pytest.approx(fresh.mutual)
            assert stored[pid].gives == pytest.approx(fresh.gives)
    assert stored[a].gives > 0 and stored[b].gives == 0


def test_a_future_interaction_is_planned_until_confirmed(app: App) -> None:
    add_person(app, PersonInput(name="Ana"))
    iid = log_interaction(app, ["Ana"], kind=InteractionKind.MEETING, at=NOW + timedelta(days=3), summary="Coffee")
    with app.begin() as conn:
        assert interactions_store.interaction_row(conn, iid).planned
        assert stats_store.load(conn) == {}
    assert [i.key for i in today(app)] == [f"upcoming:{iid}"]
    later = App(app.engine, app.settings, NOW + timedelta(days=4))
    assert [i.key for i in today(later)] == [f"confirm:{iid}"]
    done(later, f"confirm:{iid}")
    assert profile(later, "Ana").relationship.stats.touches == 1


def test_importing_the_same_external_id_twice_stores_it_once(app: App) -> None:
    add_person(app, PersonInput(name="Ana"))
    first = log_interaction(app, ["Ana"], at=NOW - timedelta(days=1), source="mbox", external_id="<m1@x>")
    second = log_interaction(app, ["Ana"], at=NOW - timedelta(days=1), source="mbox", external_id="<m1@x>")
    assert first == second
    assert profile(app, "Ana").relationship.stats.touches == 1


def test_changing_the_half_life_recomputes_the_statistics(app: App) -> None:
    add_person(app, PersonInput(name="Ana"))
    log_interaction(app, ["Ana"], kind=InteractionKind.MEETING, at=NOW - timedelta(days=100))
    before = profile(app, "Ana").relationship.strength.score
    slower = replace(app.settings, weights=replace(app.weights, half_life_days=720.0))
    other = App(app.engine, slower, NOW)
    today(other)  # the plan notices the settings changed and recomputes
    with app.begin() as conn:
        assert conn.execute(select(tie_stats.c.half_life_days)).scalar() == 720.0
    assert profile(other, "Ana").relationship.strength.score > before


def test_ask_reports_readiness_before_recording(app: App) -> None:
    add_person(app, PersonInput(name="Ana"))
    for days in (300, 200, 100, 20):
        log_interaction(app, ["Ana"], kind=InteractionKind.MEETING, at=NOW - timedelta(days=days))
    record(app, "Ana", ExchangeDirection.GAVE, "job lead", kind=ExchangeKind.JOB_LEAD, at=NOW - timedelta(days=40))
    first = ask(app, "Ana", "a referral")
    assert first.readiness.verdict is Readiness.READY
    second = ask(app, "Ana", "another referral")
    assert second.readiness.verdict is not Readiness.READY
    assert any("already asked" in r for r in second.readiness.reasons)
    dry = ask(app, "Ana", "a third one", record_it=False)
    assert dry.exchange_id is None
    with app.begin() as conn:
        asks = [r for r in ledger_store.exchanges_of(conn, first.person_id) if r.direction == "asked"]
    assert len(asks) == 2


def test_a_not_ready_ask_proposes_serving_their_need(app: App) -> None:
    from givefirst.services.needs import add_item

    add_person(app, PersonInput(name="Ana", location="Tampa, FL"))
    add_item(app, "need", "Ana", "Looking for a fractional CFO who knows logistics", tags=["finance"])
    add_item(app, "offer", "me", "Fractional CFO introductions for logistics companies", tags=["finance"])
    result = ask(app, "Ana", "an intro to her boss")
    assert result.readiness.verdict is Readiness.NOT_READY
    assert result.readiness.alternative is not None and "Fractional CFO" in result.readiness.alternative


def test_a_brokered_introduction_starts_with_double_opt_in_and_ends_as_a_give_to_both(app: App) -> None:
    from givefirst.domain.introductions import Action, IntroState
    from givefirst.services import introductions
    from givefirst.services.needs import add_item

    # The flow is under test, not the threshold: with two items in the network, engine m8 calibrates this fair pair
    # at about 0.71, under the 0.85 shown by default, so the plan is read at m7's 0.6.
    app = App(app.engine, replace(app.settings, plan=replace(app.settings.plan, match_threshold=0.6)), app.now)
    add_person(app, PersonInput(name="Ana", location="Tampa, FL"))
    add_person(app, PersonInput(name="Ben", location="Tampa, FL"))
    for who in ("Ana", "Ben"):
        log_interaction(app, [who], kind=InteractionKind.MEETING, at=NOW - timedelta(days=5))
    need = add_item(app, "need", "Ana", "Looking for a warehouse lease in Tampa", tags=["real-estate"])
    offer = add_item(app, "offer", "Ben", "Commercial real estate broker, warehouses in Tampa", tags=["real-estate"])
    key = f"give:{need}:{offer}"
    item = next(i for i in today(app) if i.key == key)
    assert item.title == "Offer Ana an introduction to Ben"
    outcome = done(app, key)
    assert "Asked Ana" in outcome.message and "givefirst intro agreed" in outcome.message
    (intro,) = introductions.list_introductions(app)
    assert intro.state is IntroState.ASKED_FIRST and (intro.need_id, intro.offer_id) == (need, offer)
    assert key not in [i.key for i in today(app)]  # under way: never proposed again
    assert not profile(app, "Ana").ledger  # nothing given until they are introduced
    for action in (Action.AGREE, Action.ASK, Action.AGREE, Action.INTRODUCE):
        introductions.take_step(app, intro.id, action)
    for who in ("Ana", "Ben"):
        ledger = profile(app, who).ledger
        assert ledger[0]["kind"] == "introduction" and ledger[0]["status"] == "done"


def test_marking_a_promise_done_counts_it_as_a_give(app: App) -> None:
    add_person(app, PersonInput(name="Ana"))
    eid = record(app, "Ana", ExchangeDirection.GAVE, "the S&OP deck", status=ExchangeStatus.PROMISED,
                 kind=ExchangeKind.INFORMATION)  # fmt: skip
    assert profile(app, "Ana").relationship.stats.gives == 0
    done(app, f"promise:{eid}")
    assert profile(app, "Ana").relationship.stats.gives > 0
