"""The introduction state machine: the double opt-in path, direct introductions, final states, clear refusals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain.introductions import (
    FLOW,
    OPEN,
    TERMINAL,
    Action,
    DraftKind,
    IllegalStep,
    Intro,
    IntroState,
    Outcome,
    Side,
    apply,
    awaiting,
    default_draft,
    describe,
    next_step,
)
from givefirst.domain.model import Direction

S = IntroState


def test_the_double_opt_in_path_in_order() -> None:
    intro = Intro()
    seen = [intro.state]
    concerns = []
    for action in (Action.ASK, Action.AGREE, Action.ASK, Action.AGREE, Action.INTRODUCE):
        t = apply(intro, action)
        concerns.append(t.concerns)
        intro = t.after
        seen.append(intro.state)
    t = apply(intro, Action.CLOSE, outcome=Outcome.HIRED)
    seen.append(t.after.state)
    assert tuple(seen) == FLOW
    assert concerns == [(Side.FIRST,), (Side.FIRST,), (Side.SECOND,), (Side.SECOND,), (Side.FIRST, Side.SECOND)]
    assert t.after.outcome is Outcome.HIRED and not t.after.direct


def test_how_each_step_is_logged() -> None:
    ask = apply(Intro(), Action.ASK)
    assert ask.direction is Direction.OUTBOUND and ask.follow_up_days == 7  # a nudge after a week
    agree = apply(ask.after, Action.AGREE)
    assert agree.direction is Direction.INBOUND and agree.follow_up_days == 1  # your move: ask B
    made = apply(Intro(S.SECOND_AGREED), Action.INTRODUCE)
    assert made.direction is Direction.OUTBOUND and made.follow_up_days == 14  # how did it go?
    closed = apply(made.after, Action.CLOSE, outcome=Outcome.MET)
    assert closed.direction is None  # a note, not a touchpoint
    silent = apply(ask.after, Action.NO_ANSWER)
    assert silent.direction is None and silent.concerns == (Side.FIRST,)


def test_who_was_asked_and_who_agreed() -> None:
    first = apply(Intro(), Action.ASK, who=Side.SECOND)
    assert first.swap_sides and first.after.state is S.ASKED_FIRST and first.concerns == (Side.FIRST,)
    assert not apply(Intro(), Action.ASK, who=Side.FIRST).swap_sides
    assert not apply(Intro(), Action.ASK).swap_sides
    with pytest.raises(IllegalStep, match="already agreed; the one to ask now is"):
        apply(Intro(S.FIRST_AGREED), Action.ASK, who=Side.FIRST)
    with pytest.raises(IllegalStep, match=r"only \{first\} has been asked so far"):
        apply(Intro(S.ASKED_FIRST), Action.AGREE, who=Side.SECOND)
    with pytest.raises(IllegalStep, match="not you: say A or B"):
        apply(Intro(), Action.ASK, who=Side.ME)
    assert apply(Intro(S.ASKED_SECOND), Action.AGREE, who=Side.SECOND).after.state is S.SECOND_AGREED


def test_direct_introduction_skips_the_opt_in_only_when_asked_for() -> None:
    with pytest.raises(IllegalStep, match="--direct"):
        apply(Intro(), Action.INTRODUCE)
    t = apply(Intro(), Action.INTRODUCE, direct=True)
    assert t.after.state is S.INTRODUCED and t.after.direct and not t.before.direct
    # An introduction created direct needs no flag at the step.
    assert apply(Intro(direct=True), Action.INTRODUCE).after.state is S.INTRODUCED
    # With both agreed it is not direct.
    assert not apply(Intro(S.SECOND_AGREED), Action.INTRODUCE).after.direct
    # Mid-way (A agreed, B not asked) the user may still decide to go direct.
    assert apply(Intro(S.FIRST_AGREED), Action.INTRODUCE, direct=True).after.direct


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (S.SUGGESTED, Side.ME),
        (S.ASKED_FIRST, Side.FIRST),
        (S.FIRST_AGREED, Side.FIRST),
        (S.ASKED_SECOND, Side.SECOND),
        (S.SECOND_AGREED, Side.SECOND),
    ],
)
def test_who_declined_by_default(state: IntroState, expected: Side) -> None:
    t = apply(Intro(state), Action.DECLINE)
    assert t.after.state is S.DECLINED and t.after.declined_by is expected
    assert t.direction is (None if expected is Side.ME else Direction.INBOUND)


def test_who_declined_can_be_said() -> None:
    t = apply(Intro(S.ASKED_SECOND), Action.DECLINE, who=Side.FIRST)  # A changed their mind
    assert t.after.declined_by is Side.FIRST and t.concerns == (Side.FIRST,)
    mine = apply(Intro(S.ASKED_SECOND), Action.DECLINE, who=Side.ME)
    assert mine.concerns == (Side.FIRST, Side.SECOND) and mine.direction is None


@pytest.mark.parametrize(
    ("intro", "action", "needle"),
    [
        (Intro(), Action.AGREE, "nobody has been asked yet"),
        (Intro(), Action.NO_ANSWER, "nobody is waiting to answer"),
        (Intro(), Action.CLOSE, "only an introduction that was made"),
        (Intro(S.ASKED_FIRST), Action.ASK, "has not answered"),
        (Intro(S.FIRST_AGREED), Action.AGREE, "ask {second} next"),
        (Intro(S.SECOND_AGREED), Action.ASK, "introduce them"),
        (Intro(S.INTRODUCED), Action.DECLINE, "close it with the outcome 'nothing'"),
        (Intro(S.INTRODUCED), Action.INTRODUCE, "introduce them again"),
        (Intro(S.INTRODUCED), Action.CLOSE, "say how it went"),
        (Intro(S.DECLINED, declined_by=Side.SECOND), Action.ASK, "declined by {second}"),
        (Intro(S.NO_ANSWER), Action.AGREE, "start a new one"),
        (Intro(S.CLOSED, outcome=Outcome.MET), Action.CLOSE, "closed — met"),
    ],
)
def test_illegal_steps_say_what_to_do_instead(intro: Intro, action: Action, needle: str) -> None:
    with pytest.raises(IllegalStep) as caught:
        apply(intro, action)
    assert needle in str(caught.value)
    assert "\n" not in str(caught.value)


def test_next_step_and_whom_it_concerns() -> None:
    assert next_step(Intro()).action is Action.ASK and next_step(Intro()).concerns == (Side.FIRST,)
    assert next_step(Intro(S.FIRST_AGREED)).concerns == (Side.SECOND,)
    assert next_step(Intro(S.ASKED_SECOND)).action is Action.AGREE
    assert next_step(Intro(direct=True)).action is Action.INTRODUCE
    assert next_step(Intro(S.INTRODUCED)).action is Action.CLOSE
    assert next_step(Intro(S.DECLINED, declined_by=Side.ME)).action is None
    assert "declined by you" in next_step(Intro(S.DECLINED, declined_by=Side.ME)).text
    assert awaiting(S.ASKED_FIRST) is Side.FIRST and awaiting(S.FIRST_AGREED) is None


def test_the_draft_each_state_needs() -> None:
    assert default_draft(Intro()) is DraftKind.ASK_FIRST
    assert default_draft(Intro(S.ASKED_FIRST)) is DraftKind.ASK_FIRST
    assert default_draft(Intro(S.FIRST_AGREED)) is DraftKind.ASK_SECOND
    assert default_draft(Intro(S.SECOND_AGREED)) is DraftKind.INTRODUCE
    assert default_draft(Intro(direct=True)) is DraftKind.INTRODUCE
    assert default_draft(Intro(S.INTRODUCED)) is DraftKind.FOLLOW_UP
    assert default_draft(Intro(S.DECLINED)) is None
    assert describe(Intro(S.ASKED_SECOND)) == "{first} agreed; asked {second}, waiting for an answer"


ACTIONS = st.tuples(
    st.sampled_from(list(Action)),
    st.sampled_from([None, *Side]),
    st.sampled_from([None, *Outcome]),
    st.booleans(),
)


@settings(max_examples=400, deadline=None)
@given(start_direct=st.booleans(), steps=st.lists(ACTIONS, max_size=12))
def test_random_steps_never_reach_an_illegal_state(
    start_direct: bool, steps: list[tuple[Action, Side | None, Outcome | None, bool]]
) -> None:
    intro = Intro(direct=start_direct)
    for action, who, outcome, direct in steps:
        try:
            t = apply(intro, action, who=who, outcome=outcome, direct=direct)
        except IllegalStep as exc:
            assert str(exc)
            continue  # refused: nothing changed
        assert not intro.is_final, "a final introduction took a step"
        after = t.after
        assert t.before == intro
        # Only the documented edges are taken.
        if after.state in OPEN or after.state is S.INTRODUCED:
            i, j = FLOW.index(intro.state), FLOW.index(after.state)
            assert j == i + 1 or (after.state is S.INTRODUCED and after.direct)
        if after.state is S.INTRODUCED and not after.direct:
            assert intro.state is S.SECOND_AGREED
        if after.direct and not intro.direct:
            assert after.state is S.INTRODUCED
        if t.swap_sides:  # only the very first question may go to the second person
            assert intro.state is S.SUGGESTED and action is Action.ASK and who is Side.SECOND
        # Records are consistent with their state.
        assert (after.outcome is not None) == (after.state is S.CLOSED)
        assert (after.declined_by is not None) == (after.state is S.DECLINED)
        if after.state is S.NO_ANSWER:
            assert awaiting(intro.state) is not None
        assert all(side is not Side.ME for side in t.concerns) or after.state is S.DECLINED
        intro = after
    if intro.is_final:
        assert intro.state in TERMINAL
        for action in Action:  # declined, closed and no answer are final: every step is refused
            with pytest.raises(IllegalStep):
                apply(intro, action, outcome=Outcome.MET, direct=True, who=Side.FIRST)
