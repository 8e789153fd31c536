"""The introduction state machine: double opt-in by default, a direct introduction when the user says so.

An introduction joins two people for a reason — usually a need of the first met by an offer of the second. The
etiquette (Fred Wilson's "double opt-in"; see docs/introductions.md) is to ask each side privately before
putting them in touch, so that nobody receives an introduction they did not want:

    suggested → asked_first → first_agreed → asked_second → second_agreed → introduced → closed (an outcome)

Any open step can end in `declined` (by the first, the second, or the user who drops it) or, while an answer
is awaited, `no_answer`. A direct introduction goes to `introduced` from any open step, skipping the opt-in.
`closed`, `declined` and `no_answer` are final. Pure: no I/O, times are the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from givefirst.domain.model import Direction


class IntroState(StrEnum):
    SUGGESTED = "suggested"
    ASKED_FIRST = "asked_first"
    FIRST_AGREED = "first_agreed"
    ASKED_SECOND = "asked_second"
    SECOND_AGREED = "second_agreed"
    INTRODUCED = "introduced"
    CLOSED = "closed"
    DECLINED = "declined"
    NO_ANSWER = "no_answer"


class Outcome(StrEnum):
    """How an introduction turned out, asked a couple of weeks after it was made."""

    HIRED = "hired"
    MET = "met"
    HELPED = "helped"
    NOTHING = "nothing"


class Side(StrEnum):
    """Whom a step concerns: the person asked first, the person asked second, or the user."""

    FIRST = "first"
    SECOND = "second"
    ME = "me"


class Action(StrEnum):
    ASK = "ask"  # the user asked the next person whether they would like the introduction
    AGREE = "agree"  # the person asked said yes
    INTRODUCE = "introduce"  # the user put them in touch
    CLOSE = "close"  # the user learnt how it went
    DECLINE = "decline"  # someone said no (or the user dropped it)
    NO_ANSWER = "no_answer"  # the person asked never answered


# The double opt-in path, in order; every state before `introduced` is open.
FLOW = (
    IntroState.SUGGESTED,
    IntroState.ASKED_FIRST,
    IntroState.FIRST_AGREED,
    IntroState.ASKED_SECOND,
    IntroState.SECOND_AGREED,
    IntroState.INTRODUCED,
    IntroState.CLOSED,
)
OPEN = frozenset(FLOW[:5])
TERMINAL = frozenset({IntroState.CLOSED, IntroState.DECLINED, IntroState.NO_ANSWER})
# Outcomes that mean the need was served: the need can be marked met.
NEED_MET = frozenset({Outcome.HIRED, Outcome.HELPED})
NUDGE_DAYS = 7  # an unanswered opt-in question comes back as a follow-up after a week
YOUR_TURN_DAYS = 1  # after a yes the next move is the user's: the plan shows it from the same day
HOW_DID_IT_GO_DAYS = 14  # ask both sides how it went two weeks after the introduction


class IllegalStep(ValueError):
    """A step the introduction cannot take from where it is; the message says what can be done instead."""


@dataclass(frozen=True, slots=True)
class Intro:
    """What the state machine needs to know about an introduction."""

    state: IntroState = IntroState.SUGGESTED
    direct: bool = False
    outcome: Outcome | None = None
    declined_by: Side | None = None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    @property
    def is_final(self) -> bool:
        return self.state in TERMINAL


@dataclass(frozen=True, slots=True)
class Transition:
    """One step taken: the introduction before and after, whom it concerns and how to log it.

    `direction` is None when no one was actually in touch (a suggestion, a silence, the user's own decision):
    the step is then logged as a note, which does not count as a touchpoint.
    """

    before: Intro
    after: Intro
    action: Action
    concerns: tuple[Side, ...]
    direction: Direction | None
    follow_up_days: int | None = None  # when to come back to it, from the step's date
    swap_sides: bool = False  # the second was asked first: they become the first (and `concerns` is after the swap)


@dataclass(frozen=True, slots=True)
class NextStep:
    action: Action | None  # None once the introduction is over
    concerns: tuple[Side, ...]
    text: str  # with {first} and {second} to fill in with names


BOTH = (Side.FIRST, Side.SECOND)


def awaiting(state: IntroState) -> Side | None:
    """Return whose answer the introduction waits for, if any."""
    return {IntroState.ASKED_FIRST: Side.FIRST, IntroState.ASKED_SECOND: Side.SECOND}.get(state)


def next_step(intro: Intro) -> NextStep:
    """Return the step that naturally comes next, and whom it concerns."""
    s = intro.state
    if s in OPEN and intro.direct:
        return NextStep(Action.INTRODUCE, BOTH, "Introduce {first} and {second} (a direct introduction)")
    table = {
        IntroState.SUGGESTED: NextStep(
            Action.ASK, (Side.FIRST,), "Ask {first} whether they would like the introduction"
        ),
        IntroState.ASKED_FIRST: NextStep(Action.AGREE, (Side.FIRST,), "Wait for {first}'s answer, then record it"),
        IntroState.FIRST_AGREED: NextStep(Action.ASK, (Side.SECOND,), "Ask {second} whether they would like it"),
        IntroState.ASKED_SECOND: NextStep(Action.AGREE, (Side.SECOND,), "Wait for {second}'s answer, then record it"),
        IntroState.SECOND_AGREED: NextStep(Action.INTRODUCE, BOTH, "Both agreed: introduce {first} and {second}"),
        IntroState.INTRODUCED: NextStep(Action.CLOSE, BOTH, "Ask {first} and {second} how it went, then close it"),
    }
    if s in table:
        return table[s]
    return NextStep(None, (), "Nothing more to do: " + describe(intro))


def describe(intro: Intro) -> str:
    """Say where the introduction stands, in words ({first}, {second} and {me} to fill in)."""
    s = intro.state
    if s is IntroState.CLOSED:
        return f"closed — {intro.outcome.value if intro.outcome else 'no outcome'}"
    if s is IntroState.DECLINED:
        who = {Side.FIRST: "{first}", Side.SECOND: "{second}", Side.ME: "you", None: "someone"}[intro.declined_by]
        return f"declined by {who}"
    words = {
        IntroState.SUGGESTED: "suggested, nobody asked yet",
        IntroState.ASKED_FIRST: "asked {first}, waiting for an answer",
        IntroState.FIRST_AGREED: "{first} agreed; {second} not asked yet",
        IntroState.ASKED_SECOND: "{first} agreed; asked {second}, waiting for an answer",
        IntroState.SECOND_AGREED: "both agreed, ready to introduce",
        IntroState.INTRODUCED: "introduced",
        IntroState.NO_ANSWER: "no answer",
    }
    return words[s]


def _final(intro: Intro) -> IllegalStep:
    if intro.state is IntroState.DECLINED:
        return IllegalStep(
            f"this introduction was {describe(intro)}; a declined introduction is final (start a new one if "
            "things have changed)"
        )
    if intro.state is IntroState.NO_ANSWER:
        return IllegalStep("this introduction ended without an answer; start a new one to try again")
    return IllegalStep(f"this introduction is {describe(intro)}; nothing more to do")


def apply(
    intro: Intro,
    action: Action,
    *,
    who: Side | None = None,
    outcome: Outcome | None = None,
    direct: bool = False,
) -> Transition:
    """Return the transition `action` makes from `intro`, or raise IllegalStep saying what is possible instead.

    `who` says who declined (default: the person the introduction waits on, or the user while nobody was
    asked), or who was asked or agreed (a check; asking the second before anyone else swaps the two sides);
    `outcome` is required to close; `direct` allows introducing before both sides agreed.
    """
    if intro.is_final:
        raise _final(intro)
    s = intro.state
    if who is Side.ME and action in (Action.ASK, Action.AGREE):
        raise IllegalStep("this step is about {first} or {second}, not you: say A or B")
    if action is Action.ASK:
        if s is IntroState.SUGGESTED:
            t = _to(intro, action, IntroState.ASKED_FIRST, (Side.FIRST,), Direction.OUTBOUND, NUDGE_DAYS)
            return replace(t, swap_sides=who is Side.SECOND)
        if s is IntroState.FIRST_AGREED:
            if who is Side.FIRST:
                raise IllegalStep("{first} already agreed; the one to ask now is {second}")
            return _to(intro, action, IntroState.ASKED_SECOND, (Side.SECOND,), Direction.OUTBOUND, NUDGE_DAYS)
        raise IllegalStep(_not_now(s, "ask anyone"))
    if action is Action.AGREE:
        waiting = awaiting(s)
        if who is not None and waiting is not None and who is not waiting:
            asked = "{first}" if waiting is Side.FIRST else "{second}"
            raise IllegalStep(f"only {asked} has been asked so far; record their answer first")
        if s is IntroState.ASKED_FIRST:
            return _to(intro, action, IntroState.FIRST_AGREED, (Side.FIRST,), Direction.INBOUND, YOUR_TURN_DAYS)
        if s is IntroState.ASKED_SECOND:
            return _to(intro, action, IntroState.SECOND_AGREED, (Side.SECOND,), Direction.INBOUND, YOUR_TURN_DAYS)
        raise IllegalStep(_not_now(s, "record an agreement"))
    if action is Action.INTRODUCE:
        if s is IntroState.SECOND_AGREED or (s in OPEN and (direct or intro.direct)):
            after = replace(intro, direct=intro.direct or s is not IntroState.SECOND_AGREED)
            return _to(after, action, IntroState.INTRODUCED, BOTH, Direction.OUTBOUND, HOW_DID_IT_GO_DAYS, intro)
        if s in OPEN:
            raise IllegalStep(
                f"{_not_now(s, 'introduce them yet')}; or introduce them without the opt-in with --direct"
            )
        raise IllegalStep(_not_now(s, "introduce them again"))
    if action is Action.CLOSE:
        if s is not IntroState.INTRODUCED:
            raise IllegalStep(
                f"only an introduction that was made can be closed with an outcome; this one is {describe(intro)} "
                "(to end it here, record declined or no-answer)"
            )
        if outcome is None:
            raise IllegalStep("say how it went: hired, met, helped or nothing")
        return _to(replace(intro, outcome=outcome), action, IntroState.CLOSED, BOTH, None, None, intro)
    if action is Action.DECLINE:
        if s not in OPEN:
            raise IllegalStep("they were already introduced; close it with the outcome 'nothing' instead")
        if who is None:
            who = awaiting(s) or {
                IntroState.FIRST_AGREED: Side.FIRST,
                IntroState.SECOND_AGREED: Side.SECOND,
            }.get(s, Side.ME)
        after = replace(intro, declined_by=who)
        concerns = BOTH if who is Side.ME else (who,)
        direction = None if who is Side.ME else Direction.INBOUND
        return _to(after, action, IntroState.DECLINED, concerns, direction, None, intro)
    if action is Action.NO_ANSWER:
        waiting = awaiting(s)
        if waiting is None:
            raise IllegalStep(_not_now(s, "record that nobody answered: nobody is waiting to answer"))
        return _to(intro, action, IntroState.NO_ANSWER, (waiting,), None)
    raise IllegalStep(f"unknown step {action!r}")  # pragma: no cover - every Action is handled above


def _to(
    intro: Intro,
    action: Action,
    state: IntroState,
    concerns: tuple[Side, ...],
    direction: Direction | None,
    follow_up_days: int | None = None,
    before: Intro | None = None,
) -> Transition:
    return Transition(before or intro, replace(intro, state=state), action, concerns, direction, follow_up_days)


def _not_now(state: IntroState, what: str) -> str:
    """Say why `what` is not possible in `state`, and what the next step is."""
    hint = {
        IntroState.SUGGESTED: "nobody has been asked yet — ask {first} first (givefirst intro asked {id})",
        IntroState.ASKED_FIRST: "{first} was asked and has not answered — record agreed, declined or no-answer",
        IntroState.FIRST_AGREED: "{first} agreed — ask {second} next (givefirst intro asked {id})",
        IntroState.ASKED_SECOND: "{second} was asked and has not answered — record agreed, declined or no-answer",
        IntroState.SECOND_AGREED: "both agreed — introduce them (givefirst intro introduced {id})",
        IntroState.INTRODUCED: "they were introduced — close it with an outcome (givefirst intro close {id})",
    }[state]
    return f"cannot {what}: {hint}"


class DraftKind(StrEnum):
    """The messages an introduction needs: the opt-in question to each side, the introduction, the follow-up."""

    ASK_FIRST = "ask_first"
    ASK_SECOND = "ask_second"
    INTRODUCE = "introduce"
    FOLLOW_UP = "follow_up"


def default_draft(intro: Intro) -> DraftKind | None:
    """Return the message the introduction needs now (None once it is declined or unanswered)."""
    s = intro.state
    if intro.direct and s in (IntroState.SUGGESTED, IntroState.FIRST_AGREED):
        return DraftKind.INTRODUCE
    return {
        IntroState.SUGGESTED: DraftKind.ASK_FIRST,
        IntroState.ASKED_FIRST: DraftKind.ASK_FIRST,  # a nudge is the same question again
        IntroState.FIRST_AGREED: DraftKind.ASK_SECOND,
        IntroState.ASKED_SECOND: DraftKind.ASK_SECOND,
        IntroState.SECOND_AGREED: DraftKind.INTRODUCE,
        IntroState.INTRODUCED: DraftKind.FOLLOW_UP,
        IntroState.CLOSED: DraftKind.FOLLOW_UP,
    }.get(s)
