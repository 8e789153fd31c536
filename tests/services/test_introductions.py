"""Introductions through the services on a real database: steps logged, gives recorded, the plan reminded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from givefirst.domain.introductions import Action, IntroState, Outcome, Side
from givefirst.domain.model import InteractionKind
from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services import introductions as intro_service
from givefirst.services.backup import export_json, restore
from givefirst.services.context import App, open_app
from givefirst.services.introductions import create, list_introductions, show, take_next, take_step
from givefirst.services.needs import add_item
from givefirst.services.people import PersonInput, add_person, set_me
from givefirst.services.plan import today
from givefirst.store import interactions as interactions_store
from givefirst.store import ledger as ledger_store
from givefirst.store import needs as needs_store
from givefirst.store.schema import exchanges, interactions, introduction_steps, introductions
from tests.conftest import NOW


@pytest.fixture
def people(app: App) -> dict[str, int]:
    set_me(app, PersonInput(name="Jordan Reyes", emails=["jordan@reyes.example"]))
    return {
        "ana": add_person(app, PersonInput(name="Ana Ruiz", emails=["ana@ruiz.example"], location="Tampa, FL")),
        "ben": add_person(app, PersonInput(name="Ben Ortiz", emails=["ben@ortiz.example"], organization="Acme")),
        "cy": add_person(app, PersonInput(name="Cy Young")),
    }


@contextmanager
def later(app: App, days: int) -> Iterator[App]:
    """The same database, `days` later."""
    when = NOW + timedelta(days=days)
    other = open_app(replace(app.settings, today=when.date()), now=when)
    try:
        yield other
    finally:
        other.close()


def count(app: App, table: Any) -> int:
    with app.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def timeline(app: App, pid: int) -> list[Any]:
    with app.begin() as conn:
        return list(reversed(interactions_store.timeline(conn, pid, limit=50)))


def plan_keys(app: App) -> list[tuple[str, str]]:
    return [(item.key, item.title) for item in today(app, size=20)]


def test_double_opt_in_from_suggestion_to_outcome(app: App, people: dict[str, int]) -> None:
    need = add_item(app, "need", "Ana Ruiz", "Looking for a data engineering role in Tampa")
    offer = add_item(app, "offer", "Ben Ortiz", "Hiring data engineers in Tampa")
    created = create(app, None, None, need_id=need, offer_id=offer)
    v = created.view
    assert (v.first.id, v.second.id, v.state) == (people["ana"], people["ben"], IntroState.SUGGESTED)
    assert (
        v.reason
        == "Ana Ruiz — “Looking for a data engineering role in Tampa”; Ben Ortiz — “Hiring data engineers in Tampa”"
    )
    assert (v.need_id, v.offer_id) == (need, offer)

    before = count(app, interactions)
    expected = [
        (Action.ASK, "email", "outbound", {"ana"}),
        (Action.AGREE, "call", "inbound", {"ana"}),
        (Action.ASK, "email", "outbound", {"ben"}),
        (Action.AGREE, "email", "inbound", {"ben"}),
        (Action.INTRODUCE, "email", "outbound", {"ana", "ben"}),
    ]
    for n, (action, kind, direction, who) in enumerate(expected, 1):
        via = InteractionKind(kind) if kind != "email" else None
        result = take_step(app, v.id, action, via=via, note=f"step {n}")
        assert count(app, interactions) == before + n  # every step is logged as an interaction
        with app.begin() as conn:
            step = intro_service.store.steps_of(conn, v.id)[-1]
            row = interactions_store.interaction_row(conn, step.interaction_id)
            pids = interactions_store.participants(conn, [row.id])[row.id]
        assert (row.kind, row.direction, row.source) == (kind, direction, "intro")
        assert set(pids) == {people[p] for p in who}
        assert row.summary.endswith(f"step {n}")
    assert result.view.state is IntroState.INTRODUCED and result.view.introduced_at == NOW
    assert [s.state.value for s in show(app, v.id).steps] == [s.value for s in
        (IntroState.SUGGESTED, IntroState.ASKED_FIRST, IntroState.FIRST_AGREED, IntroState.ASKED_SECOND,
         IntroState.SECOND_AGREED, IntroState.INTRODUCED)]  # fmt: skip

    # A give to both sides, linked to the need and the offer.
    with app.begin() as conn:
        gives = [ledger_store.exchanges_of(conn, people[p]) for p in ("ana", "ben")]
    for entries, other in zip(gives, ("Ben Ortiz", "Ana Ruiz"), strict=True):
        assert len(entries) == 1
        e = entries[0]
        assert (e.direction, e.kind, e.status, e.need_id, e.offer_id) == ("gave", "introduction", "done", need, offer)
        assert e.description.startswith(f"Introduced to {other}: ")
    assert "Recorded a give to Ana Ruiz and to Ben Ortiz." in result.notes

    # Two weeks later the plan says to ask how it went (shown a day ahead), not before.
    with later(app, 12) as soon:
        assert not [k for k, _ in plan_keys(soon) if k.startswith("followup:")]
    with later(app, 14) as then:
        follow = [(k, t) for k, t in plan_keys(then) if k.startswith("followup:")]
        assert follow == [(follow[0][0], "Ask Ana Ruiz and Ben Ortiz how it went, then close it")]
        closed = take_step(then, v.id, Action.CLOSE, outcome=Outcome.HIRED)
        assert closed.view.state is IntroState.CLOSED and closed.view.outcome is Outcome.HIRED
        assert f"Marked need #{need} met: Looking for a data engineering role in Tampa" in closed.notes
        assert not [k for k, _ in plan_keys(then) if k.startswith("followup:")]  # closing settles the follow-up
        with then.begin() as conn:
            assert needs_store.item_row(conn, "need", need).status == "met"
            assert needs_store.item_row(conn, "offer", offer).status == "open"  # Ben may hire more than one
            last = interactions_store.timeline(conn, people["ana"], limit=1)[0]
        assert last.kind == "note" and "went: hired" in last.summary


def test_the_plan_shows_whose_move_it_is(app: App, people: dict[str, int]) -> None:
    v = create(app, "Ana Ruiz", "Cy Young", reason="both run data teams").view

    def follow_ups(at: App) -> dict[int, str]:
        """Open follow-up items in the plan: interaction id → the title."""
        return {int(k.split(":")[1]): t for k, t in plan_keys(at) if k.startswith("followup:")}

    asked = take_step(app, v.id, Action.ASK).view.steps[-1].interaction_id
    assert follow_ups(app) == {}  # asked today: give them a week
    with later(app, 6) as week:
        assert follow_ups(week) == {asked: "Nudge Ana Ruiz about the introduction to Cy Young"}  # shown a day ahead
        agreed = take_step(week, v.id, Action.AGREE).view.steps[-1].interaction_id
        assert follow_ups(week) == {agreed: "Ask Cy Young whether they would like it"}  # now it is your move
        take_step(week, v.id, Action.ASK)
        assert follow_ups(week) == {}
        with week.begin() as conn:
            why = interactions_store.interaction_row(conn, agreed)
        assert why.summary == "saying yes to an introduction to Cy Young" and why.follow_up_done


def test_met_keeps_the_need_open_and_nothing_is_recorded_honestly(app: App, people: dict[str, int]) -> None:
    need = add_item(app, "need", "Ana Ruiz", "A mentor in analytics")
    v = create(app, "Ana Ruiz", "Ben Ortiz", need_id=need, direct=True).view
    assert v.reason == "Ana Ruiz — “A mentor in analytics”"
    assert take_step(app, v.id, Action.INTRODUCE).view.direct
    result = take_step(app, v.id, Action.CLOSE, outcome=Outcome.MET)
    assert result.notes == ()
    with app.begin() as conn:
        assert needs_store.item_row(conn, "need", need).status == "open"


def test_declined_records_who_and_is_final(app: App, people: dict[str, int]) -> None:
    need = add_item(app, "need", "Ana Ruiz", "A data role")
    offer = add_item(app, "offer", "Ben Ortiz", "Hiring")
    v = create(app, "Ana Ruiz", "Ben Ortiz", need_id=need, offer_id=offer).view
    take_step(app, v.id, Action.ASK)
    take_step(app, v.id, Action.AGREE)
    take_step(app, v.id, Action.ASK)
    declined = take_step(app, v.id, Action.DECLINE, note="too busy this quarter").view
    assert declined.state is IntroState.DECLINED and declined.declined_by is Side.SECOND
    assert declined.status == "declined by Ben Ortiz"
    with app.begin() as conn:
        row = conn.execute(select(introductions).where(introductions.c.id == v.id)).one()
    # What the matching engine reads: the pair and who declined.
    assert (row.need_id, row.offer_id, row.declined_by_id, row.closed_at) == (need, offer, people["ben"], NOW)
    assert timeline(app, people["ben"])[-1].summary == (
        "Ben Ortiz declined the introduction of Ana Ruiz and Ben Ortiz; too busy this quarter"
    )
    with pytest.raises(InvalidInputError, match="declined by Ben Ortiz; a declined introduction is final"):
        take_step(app, v.id, Action.AGREE)
    with pytest.raises(InvalidInputError, match=f"already have introduction #{v.id} \\(declined\\)"):
        create(app, "Ana Ruiz", "Ben Ortiz", need_id=need, offer_id=offer)
    again = create(app, "Ana Ruiz", "Ben Ortiz", reason="a different reason")
    assert again.notes == (f"note: introduction #{v.id} between them was declined on {NOW:%Y-%m-%d}",)


def test_you_can_drop_a_suggestion_and_decline_by_name(app: App, people: dict[str, int]) -> None:
    mine = create(app, "Ana Ruiz", "Ben Ortiz", reason="r").view
    dropped = take_step(app, mine.id, Action.DECLINE).view
    assert dropped.declined_by is Side.ME and dropped.status == "declined by you"
    other = create(app, "Ana Ruiz", "Cy Young", reason="r").view
    take_step(app, other.id, Action.ASK)
    assert take_step(app, other.id, Action.DECLINE, who="Cy Young").view.declined_by is Side.SECOND
    third = create(app, "Ben Ortiz", "Cy Young", reason="r").view
    with pytest.raises(InvalidInputError, match="'Ana Ruiz' is not part of introduction"):
        take_step(app, third.id, Action.DECLINE, who="Ana Ruiz")


def test_no_answer_ends_it_and_a_new_one_may_follow(app: App, people: dict[str, int]) -> None:
    need = add_item(app, "need", "Ana Ruiz", "A data role")
    offer = add_item(app, "offer", "Ben Ortiz", "Hiring")
    v = create(app, None, None, need_id=need, offer_id=offer).view
    take_step(app, v.id, Action.ASK)
    silent = take_step(app, v.id, Action.NO_ANSWER).view
    assert silent.state is IntroState.NO_ANSWER and silent.declined_by is None
    assert timeline(app, people["ana"])[-1].kind == "note"  # silence is not a touchpoint
    assert create(app, None, None, need_id=need, offer_id=offer).view.id != v.id


def test_take_next_follows_the_happy_path(app: App, people: dict[str, int]) -> None:
    v = create(app, "Ana Ruiz", "Ben Ortiz", reason="r").view
    states = [take_next(app, v.id).view.state for _ in range(5)]
    assert states == [IntroState.ASKED_FIRST, IntroState.FIRST_AGREED, IntroState.ASKED_SECOND,
                      IntroState.SECOND_AGREED, IntroState.INTRODUCED]  # fmt: skip
    with pytest.raises(InvalidInputError, match="say how it went: givefirst intro close"):
        take_next(app, v.id)
    with pytest.raises(
        InvalidInputError, match=f"you already introduced Ben Ortiz and Ana Ruiz \\(introduction #{v.id}"
    ):
        create(app, "Ben Ortiz", "Ana Ruiz", reason="once more")


@pytest.mark.parametrize(
    ("first", "second", "kwargs", "needle"),
    [
        ("Ana Ruiz", "Ana Ruiz", {"reason": "r"}, "two different people"),
        ("me", "Ana Ruiz", {"reason": "r"}, "you are the one making the introduction"),
        ("Ana Ruiz", "Ben Ortiz", {}, "say why they should meet with --reason"),
        (None, None, {"reason": "r"}, "name the two people"),
        ("Ana Ruiz", "Nobody", {"reason": "r"}, "no person named 'Nobody'"),
    ],
)
def test_bad_introductions_are_refused(
    app: App, people: dict[str, int], first: str | None, second: str | None, kwargs: dict[str, Any], needle: str
) -> None:
    with pytest.raises((InvalidInputError, NotFoundError), match=needle):
        create(app, first, second, **kwargs)
    assert count(app, introductions) == 0


def test_needs_and_offers_must_belong_to_the_pair(app: App, people: dict[str, int]) -> None:
    need = add_item(app, "need", "Cy Young", "A role")
    offer = add_item(app, "offer", "Ben Ortiz", "Hiring")
    with pytest.raises(InvalidInputError, match=f"need #{need} is Cy Young's"):
        create(app, "Ana Ruiz", "Ben Ortiz", need_id=need, offer_id=offer)
    with pytest.raises(NotFoundError, match="no offer with id 99"):
        create(app, "Ana Ruiz", "Ben Ortiz", offer_id=99)
    # One person named and an offer: the other side is the offer's holder.
    v = create(app, "Ana Ruiz", None, offer_id=offer).view
    assert (v.first.name, v.second.name, v.reason) == ("Ana Ruiz", "Ben Ortiz", "Ben Ortiz — “Hiring”")
    with pytest.raises(InvalidInputError, match=f"introduction #{v.id} between Ben Ortiz and Ana Ruiz is already"):
        create(app, "Ben Ortiz", "Ana Ruiz", reason="again")


def test_unknown_intro_and_future_steps(app: App, people: dict[str, int]) -> None:
    with pytest.raises(NotFoundError, match="no introduction with id 42"):
        take_step(app, 42, Action.ASK)
    v = create(app, "Ana Ruiz", "Ben Ortiz", reason="r").view
    with pytest.raises(InvalidInputError, match="cannot be recorded in the future"):
        take_step(app, v.id, Action.ASK, at=NOW + timedelta(days=1))
    with pytest.raises(InvalidInputError, match="cannot come before the previous one"):
        take_step(app, v.id, Action.ASK, at=NOW - timedelta(days=1))
    with pytest.raises(InvalidInputError, match="cannot introduce them yet: nobody has been asked yet — ask Ana Ruiz"):
        take_step(app, v.id, Action.INTRODUCE)


def test_a_failing_step_leaves_nothing_behind(
    app: App, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    v = create(app, "Ana Ruiz", "Ben Ortiz", reason="r", direct=True).view
    tables = (interactions, introduction_steps, exchanges)
    before = [count(app, t) for t in tables]

    def broken(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(intro_service, "record_in", broken)  # fails after the interaction and step are written
    with pytest.raises(RuntimeError, match="disk full"):
        take_step(app, v.id, Action.INTRODUCE)
    assert [count(app, t) for t in tables] == before
    assert show(app, v.id).state is IntroState.SUGGESTED
    monkeypatch.undo()
    assert take_step(app, v.id, Action.INTRODUCE).view.state is IntroState.INTRODUCED


def test_list_filters(app: App, people: dict[str, int]) -> None:
    a = create(app, "Ana Ruiz", "Ben Ortiz", reason="r").view
    b = create(app, "Ana Ruiz", "Cy Young", reason="r").view
    take_step(app, b.id, Action.DECLINE)
    assert [v.id for v in list_introductions(app)] == [a.id]
    assert {v.id for v in list_introductions(app, include_finished=True)} == {a.id, b.id}
    assert [v.id for v in list_introductions(app, states=[IntroState.DECLINED])] == [b.id]
    assert [v.id for v in list_introductions(app, person="Cy Young", include_finished=True)] == [b.id]
    assert list_introductions(app, person="Cy Young") == []


def test_a_backup_with_introductions_restores(app: App, other_app: App, people: dict[str, int], tmp_path: Path) -> None:
    need = add_item(app, "need", "Ana Ruiz", "A data role")
    v = create(app, "Ana Ruiz", "Ben Ortiz", need_id=need).view
    for _ in range(5):
        take_next(app, v.id)
    w = create(app, "Ana Ruiz", "Cy Young", reason="r").view
    take_step(app, w.id, Action.DECLINE, who="A")
    backup = export_json(app)
    path = tmp_path / "backup.json"
    path.write_bytes(backup.data)
    restore(other_app, path)
    for table in (introductions, introduction_steps):
        with app.begin() as conn:
            original = [tuple(r) for r in conn.execute(select(table).order_by(table.c.id))]
        with other_app.begin() as conn:
            restored = [tuple(r) for r in conn.execute(select(table).order_by(table.c.id))]
        assert restored == original and original
    assert show(other_app, v.id).to_json() == show(app, v.id).to_json()
    # The restored database carries on: the next step works there.
    assert take_step(other_app, v.id, Action.CLOSE, outcome=Outcome.HELPED).view.state is IntroState.CLOSED
    assert create(other_app, "Ben Ortiz", "Cy Young", reason="r").view.id == w.id + 1


def test_a_side_merged_into_another_record_carries_on_as_that_record(app: App, people: dict[str, int]) -> None:
    from givefirst.services.merging import merge_people

    v = create(app, "Ana Ruiz", "Ben Ortiz", reason="r").view
    take_step(app, v.id, Action.ASK)
    dup = add_person(app, PersonInput(name="Benjamin Ortiz", emails=["benjamin@mail.example"]))
    merge_people(app, str(dup), "Ben Ortiz")  # Ben's record is folded into the newer one
    shown = show(app, v.id)
    assert (shown.second.id, shown.second.name) == (dup, "Benjamin Ortiz")
    assert set(shown.second.emails) == {"ben@ortiz.example", "benjamin@mail.example"}
    take_step(app, v.id, Action.AGREE)
    take_step(app, v.id, Action.ASK)
    declined = take_step(app, v.id, Action.DECLINE, who="Benjamin Ortiz").view
    assert declined.declined_by is Side.SECOND and declined.status == "declined by Benjamin Ortiz"
    assert timeline(app, dup)[-1].summary.startswith("Benjamin Ortiz declined")


def test_asking_the_second_person_first_swaps_the_sides(app: App, people: dict[str, int]) -> None:
    need = add_item(app, "need", "Ana Ruiz", "A data role")
    offer = add_item(app, "offer", "Ben Ortiz", "Hiring")
    v = create(app, None, None, need_id=need, offer_id=offer).view
    asked = take_step(app, v.id, Action.ASK, who="Ben Ortiz").view
    assert (asked.first.name, asked.second.name, asked.state) == ("Ben Ortiz", "Ana Ruiz", IntroState.ASKED_FIRST)
    assert (asked.need_id, asked.offer_id) == (need, offer)  # the reason stays with its holders
    assert timeline(app, people["ben"])[-1].summary == "asking about an introduction to Ana Ruiz"
    with pytest.raises(InvalidInputError, match="only Ben Ortiz has been asked so far"):
        take_step(app, v.id, Action.AGREE, who="Ana Ruiz")
    assert take_step(app, v.id, Action.AGREE, who="A").view.state is IntroState.FIRST_AGREED
