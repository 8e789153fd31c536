"""Reading need and offer texts: content words, and the market side (intent) a statement speaks for."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain.match_text import STOP_WORDS, Side, content_words, intent_fit, side_of, stem, tokens


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Looking for my next backend role, Tampa or remote", Side.WORK_SUPPLY),
        ("Open to a new software engineering role in Charlotte", Side.WORK_SUPPLY),
        ("Mid-level software engineer — open to full-time roles in Charlotte or remote", Side.WORK_SUPPLY),
        ("Searching for contract project management work", Side.WORK_SUPPLY),
        ("Fractional growth lead — taking on a couple of clients", Side.WORK_SUPPLY),
        ("Bookkeeper, taking on two more restaurants this spring", Side.WORK_SUPPLY),  # capacity, whatever the noun
        ("Piano teacher; I can take on a few new students on Saturdays", Side.WORK_SUPPLY),
        ("Happy to take on the treasurer's job for a year", Side.NONE),  # taking something on is not capacity
        ("We're hiring SREs, Miami office, onsite", Side.WORK_DEMAND),
        ("Open role: SRE at our Denver office", Side.WORK_DEMAND),
        ("Trying to hire a data engineer in Atlanta", Side.WORK_DEMAND),
        ("Raising a $1.5M pre-seed for carbon accounting software", Side.CAPITAL_DEMAND),
        ("Angel investor — I write $25–50K checks at pre-seed", Side.CAPITAL_SUPPLY),
        ("Also job hunting: frontend (React) roles in Florida or remote", Side.WORK_SUPPLY),
        ("Need a growth marketer for paid social — part-time or fractional is fine", Side.WORK_DEMAND),
        ("Can offer speaking slots at our health IT conference", Side.WORK_DEMAND),
        ("Always looking for strong CNO candidates", Side.WORK_DEMAND),
        # (m27) free times in a provider's week are capacity, not a job opening; taking new clients, with or
        # without "on"
        ("Reading tutor with afternoon openings; looking for families", Side.WORK_SUPPLY),
        ("Physio clinic with Saturday openings for new patients", Side.WORK_SUPPLY),
        ("Reading tutor, taking new students this fall", Side.WORK_SUPPLY),
        ("We have two openings for line cooks", Side.WORK_DEMAND),
        ("Openings for weekend shifts at our bakery", Side.WORK_DEMAND),
        ("Happy to review pitch decks", Side.NONE),
        ("Two spare tickets to a concert", Side.NONE),
        # (m30) the employer a seeker wants, by the role it needs; more hours of work
        ("Line cook, looking for a restaurant that needs a second cook on weekends", Side.WORK_SUPPLY),
        ("Looking for a school that is hiring a music teacher for September", Side.WORK_SUPPLY),
        ("Care assistant, looking for extra hours near Leeds", Side.WORK_SUPPLY),
        ("Looking for a daycare that would take a six-month-old", Side.NONE),  # a place for a child, not work
        ("Our school is hiring a music teacher for September", Side.WORK_DEMAND),
        # (m31) cover work by the day
        ("Qualified teacher hunting for sub days in Leeds", Side.WORK_SUPPLY),
        ("Pharmacist looking for locum shifts around Cork", Side.WORK_SUPPLY),
    ],
)
def test_side_of(text: str, side: Side) -> None:
    assert side_of(text) is side


def test_intent_fit() -> None:
    assert intent_fit(Side.WORK_SUPPLY, Side.WORK_DEMAND)[0] == 1.0
    assert intent_fit(Side.WORK_DEMAND, Side.WORK_SUPPLY)[0] == 1.0
    assert intent_fit(Side.CAPITAL_DEMAND, Side.CAPITAL_SUPPLY)[0] == 1.0
    for side in (Side.WORK_SUPPLY, Side.WORK_DEMAND, Side.CAPITAL_DEMAND, Side.CAPITAL_SUPPLY):
        assert intent_fit(side, side)[0] == 0.0  # two job seekers, two hiring, two raising: never
    assert intent_fit(Side.NONE, Side.NONE)[0] == 1.0
    assert 0.0 < intent_fit(Side.WORK_SUPPLY, Side.NONE)[0] < 1.0


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(list(Side)), st.sampled_from(list(Side)))
def test_intent_fit_is_symmetric(a: Side, b: Side) -> None:
    assert intent_fit(a, b)[0] == intent_fit(b, a)[0]
    assert 0.0 <= intent_fit(a, b)[0] <= 1.0


def test_stem_and_tokens() -> None:
    assert stem("roles") == stem("role") and stem("hiring") == stem("hire")
    assert tokens("We're hiring SREs — Kubernetes, Terraform") == ["hir", "sre", "kubernet", "terraform"]
    assert content_words("the and of") == frozenset()


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=string.printable, max_size=80))
def test_content_words_are_case_blind_and_drop_stop_words(text: str) -> None:
    words = content_words(text)
    assert words == content_words(text.upper())
    # Stop words add nothing. (A word that is not one may still stem to one: "yous" gives "you".)
    assert content_words(f"{text} {' '.join(sorted(STOP_WORDS))}") == words
