"""The give-first question in the plan, and recording the answer with `done`, on a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from givefirst.domain.model import Direction, InteractionKind
from givefirst.errors import InvalidInputError
from givefirst.services import needs, plan
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.people import PersonInput, add_person
from givefirst.store.schema import exchanges


@pytest.fixture
def close_friend(app: App) -> int:
    """A close tie (weekly calls for a year) gone quiet for two months, with nothing known that they need."""
    pid = add_person(app, PersonInput(name="Grace Liu", location="Tampa, FL"))
    for weeks in range(9, 60):
        log_interaction(app, ["Grace Liu"], kind=InteractionKind.CALL, direction=Direction.MUTUAL,
                        at=app.now - timedelta(weeks=weeks), summary="Weekly call")  # fmt: skip
    return pid


def test_the_question_then_the_answer_recorded_as_a_need_and_a_give(app: App, close_friend: int) -> None:
    [item] = [i for i in plan.today(app, size=10) if close_friend in dict(i.people)]
    assert item.key == f"ask:{close_friend}" and "what are you working on" in item.message
    outcome = plan.done(app, item.key, answer=("need", "A part-time CFO for her bakery's expansion"))
    assert "Asked Grace Liu what they're working on" in outcome.message and "recorded their need" in outcome.message
    [recorded] = needs.list_items(app, "need", "Grace Liu")
    assert recorded["text"] == "A part-time CFO for her bakery's expansion" and recorded["location"] == "Tampa, FL"
    with app.begin() as conn:
        ledger = conn.execute(select(exchanges.c.direction, exchanges.c.status)).all()
    assert [(str(d), str(s)) for d, s in ledger] == [("gave", "done")]  # attention given, never an ask
    # Now a fresh need is known: no question for her, nor a check-in today (just touched).
    assert not any(i.key == f"ask:{close_friend}" for i in plan.today(app, size=10))


def test_a_fresh_need_opens_a_check_in_instead(app: App, close_friend: int) -> None:
    needs.add_item(app, "need", "Grace Liu", "Looking for a commercial kitchen in Ybor")
    [item] = [i for i in plan.today(app, size=10) if close_friend in dict(i.people)]
    assert item.key == f"touch:{close_friend}" and "commercial kitchen" in item.message


def test_an_answer_goes_only_with_an_item_about_one_person(app: App, close_friend: int) -> None:
    with pytest.raises(InvalidInputError, match="check-in, a revival or an ask"):
        plan.done(app, "promise:1", answer=("need", "anything"))
    with pytest.raises(InvalidInputError, match="--need TEXT"):
        plan.done(app, f"ask:{close_friend}", answer=("need", "   "))
    assert needs.list_items(app, "need") == []  # nothing half-written
