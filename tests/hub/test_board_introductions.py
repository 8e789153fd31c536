"""/help and introductions: whom I can help, whom I could introduce, double opt-in, outcomes, thanks, figures."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import delete

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.hub.domain.access import Role
from givefirst.hub.domain.events import HELP_THRESHOLD
from givefirst.hub.services import helping, introductions, items, matching
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.store.schema import matches as matches_table
from tests.hub import factory


def _member(hub: Hub, chapter_id: int, **values: object):  # type: ignore[no-untyped-def]
    member_id = factory.member(hub, chapter_id, **values)
    with hub.engine.connect() as conn:
        found = stored_members.member_by_id(conn, member_id)
    assert found is not None
    return found


@pytest.fixture
def chapter(hub: Hub):  # type: ignore[no-untyped-def]
    ny, fl = factory.chapter(hub, "New York"), factory.chapter(hub, "Florida")
    people = {
        "ann": _member(hub, ny, name="Ann"), "bob": _member(hub, ny, name="Bob"),
        "cat": _member(hub, ny, name="Cat"), "lead": _member(hub, ny, name="Lee", role=Role.LEAD),
        "fay": _member(hub, fl, name="Fay"),
    }  # fmt: skip
    need = items.add_item(hub, people["ann"], "need", "Looking for a wedding photographer in June")
    offer = items.add_item(hub, people["bob"], "offer", "Wedding photographer, portraits and events")
    secret = items.add_item(hub, people["ann"], "need", "Need a photographer for a private event", visibility="leads")
    matching.match_all(hub)
    return people, need, offer, secret


def test_help_lists_what_my_offers_meet_and_whom_i_could_introduce(hub: Hub, chapter) -> None:  # type: ignore[no-untyped-def]
    people, need, offer, _secret = chapter
    mine = helping.whom_i_can_help(hub, people["bob"])
    assert [n.need_id for n in mine.needs] == [need.public_id]  # not the leads-only need
    assert mine.needs[0].offer_id == offer.public_id and mine.needs[0].why
    assert mine.pairs == []
    cat = helping.whom_i_can_help(hub, people["cat"])
    assert [(p.need_id, p.offer_id) for p in cat.pairs] == [(need.public_id, offer.public_id)]
    assert helping.whom_i_can_help(hub, people["fay"]).pairs == []  # Florida sees neither item
    assert "you_can_help" in mine.as_dict()


def test_double_opt_in_shares_contact_only_when_both_accept(hub: Hub, chapter) -> None:  # type: ignore[no-untyped-def]
    people, need, offer, _ = chapter
    ann, bob, cat = people["ann"], people["bob"], people["cat"]
    intro = introductions.propose(hub, cat, need.public_id, offer.public_id, kind="referral", message="You two!")
    assert intro.intro.state == "waiting" and intro.contact == {} and "asked to be put in touch" in intro.kind_label
    with pytest.raises(InvalidInputError, match="already been introduced"):
        introductions.propose(hub, cat, need.public_id, offer.public_id)
    with pytest.raises(NotFoundError):
        introductions.get(hub, people["fay"], intro.intro.public_id)
    first = introductions.answer(hub, ann, intro.intro.public_id, True)
    assert first.intro.state == "waiting" and first.contact == {}
    with pytest.raises(InvalidInputError, match="already answered"):
        introductions.answer(hub, ann, intro.intro.public_id, True)
    with pytest.raises(InvalidInputError, match="once both sides accepted"):
        introductions.record_outcome(hub, ann, intro.intro.public_id, "helped")
    both = introductions.answer(hub, bob, intro.intro.public_id, True)
    assert both.intro.state == "connected" and both.contact == {"Ann": ann.email, "Bob": bob.email}
    assert introductions.get(hub, cat, intro.intro.public_id).contact == {}  # the proposer is not given them
    assert helping.whom_i_can_help(hub, bob).needs == []  # introduced already
    done = introductions.record_outcome(hub, ann, intro.intro.public_id, "hired", note="Great photos",
                                        thanks_public=True)  # fmt: skip
    assert done.intro.outcome == "hired" and not done.intro.thanked_publicly
    assert introductions.thanks_wall(hub, cat) == []
    introductions.set_thanks(hub, bob, intro.intro.public_id, True)
    wall = introductions.thanks_wall(hub, cat)
    assert [(t.seeker, t.helper, t.outcome) for t in wall] == [("Ann", "Bob", "hired")]
    assert introductions.thanks_wall(hub, people["fay"]) == []  # the need is for New York only
    with pytest.raises(InvalidInputError, match="outcome must be"):
        introductions.record_outcome(hub, bob, intro.intro.public_id, "meh")


def test_a_declined_pair_is_never_proposed_again(hub: Hub, chapter) -> None:  # type: ignore[no-untyped-def]
    people, need, offer, _ = chapter
    ann, bob = people["ann"], people["bob"]
    view = introductions.offer_help(hub, bob, need.public_id, "I shoot weddings")
    assert view.intro.kind == "referral" and view.intro.helper_answer == "accepted" and view.offer_text == offer.text
    assert introductions.answer(hub, ann, view.intro.public_id, False).intro.state == "declined"
    assert helping.whom_i_can_help(hub, people["cat"]).pairs == []
    assert helping.whom_i_can_help(hub, bob).needs == []
    with pytest.raises(InvalidInputError, match="declined"):
        introductions.propose(hub, people["cat"], need.public_id, offer.public_id)
    assert matching.match_all(hub).pairs == 0
    with pytest.raises(InvalidInputError, match="already declined"):
        introductions.answer(hub, bob, view.intro.public_id, True)


def test_hidden_items_cannot_be_introduced(hub: Hub, chapter) -> None:  # type: ignore[no-untyped-def]
    people, need, offer, secret = chapter
    with pytest.raises(NotFoundError):  # Cat may not see the leads-only need
        introductions.propose(hub, people["cat"], secret.public_id, offer.public_id)
    with pytest.raises(InvalidInputError, match="may not see each other"):  # the lead may, Bob may not
        introductions.propose(hub, people["lead"], secret.public_id, offer.public_id)
    with pytest.raises(InvalidInputError, match="same member"):
        introductions.offer_help(hub, people["ann"], need.public_id)


def test_chapter_figures_count_introductions_gives_and_outcomes(hub: Hub, chapter) -> None:  # type: ignore[no-untyped-def]
    people, need, _offer, _ = chapter
    view = introductions.offer_help(hub, people["bob"], need.public_id)
    introductions.answer(hub, people["ann"], view.intro.public_id, True)
    introductions.record_outcome(hub, people["bob"], view.intro.public_id, "helped")
    ny = people["ann"].chapter_id
    figures = introductions.chapter_figures(hub, ny, datetime(2026, 1, 1))
    month = hub.now().strftime("%Y-%m")
    assert figures.introductions == {month: 1} and figures.connected == {month: 1} and figures.gives == {month: 1}
    assert figures.referrals == 1 and figures.outcomes == {"helped": 1}
    assert introductions.chapter_figures(hub, people["fay"].chapter_id, datetime(2026, 1, 1)).months() == []
    assert figures.as_dict()["months"] == [{"month": month, "introductions": 1, "connected": 1, "gives": 1}]


def test_pairs_are_found_batch_after_batch_down_the_scores(hub: Hub, chapter, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from givefirst.hub.store import helping as store

    people, need, offer, _ = chapter
    other = items.add_item(hub, people["lead"], "offer", "Wedding and portrait photographer")
    matching.match_all(hub)
    monkeypatch.setattr(helping, "HELP_THRESHOLD", 0.0)  # every pair the engine kept, whatever its chance
    whole = [(p.need_id, p.offer_id) for p in helping.whom_i_can_help(hub, people["cat"]).pairs]
    monkeypatch.setattr(store, "FIRST_BATCH", 1)
    monkeypatch.setattr(store, "GROWTH", 1)  # one pair at a time: every batch boundary is crossed
    assert [(p.need_id, p.offer_id) for p in helping.whom_i_can_help(hub, people["cat"]).pairs] == whole
    assert {(need.public_id, offer.public_id), (need.public_id, other.public_id)} <= set(whole)


def test_only_pairs_the_engine_counts_as_help_are_offered_as_introductions(hub: Hub, chapter) -> None:  # type: ignore[no-untyped-def]
    people, need, offer, _ = chapter
    weak_need = items.add_item(hub, people["ann"], "need", "Someone to water my plants in August")
    with hub.engine.begin() as conn:
        conn.execute(delete(matches_table))
    factory.match(hub, need.id, offer.id, 0.9)
    factory.match(hub, weak_need.id, offer.id, HELP_THRESHOLD - 0.05)
    page = helping.whom_i_can_help(hub, people["cat"])
    assert [(p.need_id, p.offer_id) for p in page.pairs] == [(need.public_id, offer.public_id)]
    mine = helping.whom_i_can_help(hub, people["bob"])  # Bob's own offer: the weak need is shown apart
    assert [n.need_id for n in mine.likely_needs] == [need.public_id]
    assert [n.need_id for n in mine.weaker_needs] == [weak_need.public_id]
    assert [n["likely"] for n in mine.as_dict()["you_can_help"]] == [True, False]  # type: ignore[index, union-attr]
    text = factory.client(hub, people["bob"].id).get("/help").text
    assert text.index(need.text) < text.index("Weaker matches (1)") < text.index(weak_need.text)
