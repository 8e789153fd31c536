"""Engine m37 (issue 11, patterns 6 and 8): an offer that says what its speaker does not do is no answer to a need
for it. Every example is written for this test."""

from __future__ import annotations

from datetime import timedelta

import pytest

from givefirst.domain.match_exact import ExactScorer
from givefirst.domain.match_refusals import Refusals, refusal_clash
from givefirst.domain.match_score import DEFAULT_WEIGHTS, Item, pair_place
from givefirst.domain.match_text import tokens
from givefirst.domain.model import NeedOrOffer
from tests.conftest import NOW


def _item(k: int, text: str) -> Item:
    return Item(NeedOrOffer(k, k, text, (), "Denver, CO", NOW - timedelta(days=2), None))


@pytest.mark.parametrize(
    ("offer", "refused"),
    [
        ("Wedding photographer in Denver. I don't do newborn or family sessions.", {"newborn", "family"}),  # (not
        # "sessions": it says nothing of what the work is)
        ("Tax preparer, individuals only. We do not take business returns.", {"business", "return"}),
        ("Immigration lawyer — I no longer handle asylum cases.", {"asylum"}),
        ("Plumber. I don't do small jobs.", {"small"}),  # "jobs" says nothing of the work
        # a route offered instead, a stop word, a verb of no refusal
        ("We don't do engine rebuilds in house, but we send them to a shop we trust.", set()),
        ("I don't do this for the money.", set()),
        ("I don't know anyone in Denver yet.", set()),
    ],
)  # fmt: skip
def test_what_an_offer_says_it_does_not_do(offer: str, refused: set[str]) -> None:
    assert Refusals.of(offer, offer=True).refuses == frozenset(w for r in refused for w in tokens(r))


def test_a_need_that_says_what_its_speaker_does_not_do_asks_for_it() -> None:
    assert not Refusals.of("I don't do my own taxes — need a preparer for a rental property.", offer=False).refuses


@pytest.mark.parametrize(
    ("need", "offer", "clash"),
    [
        ("Need a photographer for our newborn's first photos.",
         "Wedding photographer in Denver. I don't do newborn or family sessions.", "does not do newborn"),
        ("Need someone to do the tax return for my small business.",
         "Tax preparer, individuals only. We do not take business returns.", "does not do business/return"),
        # nothing refused is asked for
        ("Need wedding photos in June.", "Wedding photographer in Denver. I don't do newborn or family sessions.", ""),
    ],
)  # fmt: skip
def test_a_refusal_rules_a_pair_out_and_says_why(need: str, offer: str, clash: str) -> None:
    n, o = _item(1, need), _item(2, offer)
    found = refusal_clash(o.refusals(), n.phrases.words)
    assert (clash in found) if clash else found == ""
    place = pair_place(n, o)
    assert (place[0] == 0.0 and place[1].startswith("refused: ")) if clash else not place[1].startswith("refused")


def test_the_exact_scorer_never_remembers_a_refusal_for_another_pair() -> None:
    # The two offers read the same place and constraints, so the scorer's memory of places has one key for both
    # pairs: the refusal, which depends on the need's own words, must still be read for each pair.
    offers = [_item(10, "Wedding photographer in Denver. I don't do newborn or family sessions."),
              _item(11, "Wedding photographer in Denver, any kind of session.")]  # fmt: skip
    scorer = ExactScorer(offers, DEFAULT_WEIGHTS)
    first = scorer.exact(_item(1, "Need photos of our newborn."), 0, 1.0, 0.8, 0.3, 1.0)
    wedding = scorer.exact(_item(2, "Need wedding photos in June."), 0, 1.0, 0.8, 0.3, 1.0)
    assert first is None or first[5][0] == 0.0
    assert wedding is not None and wedding[5][0] > 0.0
