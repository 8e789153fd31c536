"""Location parsing and fit, the need ↔ offer match score, and best_matches."""

from __future__ import annotations

import string
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain.location import location_fit, parse_place
from givefirst.domain.matching import (
    STOP_WORDS,
    best_matches,
    content_words,
    freshness,
    is_live,
    match_score,
    stem,
)
from givefirst.domain.model import NeedOrOffer
from tests.domain.helpers import NOW, ago

FAST = settings(max_examples=80, deadline=None)
PLACES = [
    None,
    "",
    "Tampa, FL",
    "Miami, FL",
    "Tampa, FL",
    "Brooklyn, NY",
    "New York, NY",
    "Austin, TX",
    "Remote",
    "Florida",
    "Tampa",
    "Anywhere in the US",
    "Orlando, Florida",
    "remote - onsite optional",
]
VOCAB = [
    "fractional",
    "cfo",
    "logistics",
    "3pl",
    "contracts",
    "python",
    "developer",
    "designer",
    "tampa",
    "grant",
    "writer",
    "investor",
    "intro",
    "marketing",
    "hiring",
    "roles",
    "looking",
    "for",
    "a",
    "the",
    "job",
]
TAGS = ["finance", "logistics", "tech", "design", "Finance"]


def parts(need: NeedOrOffer, offer: NeedOrOffer) -> dict[str, float]:
    return {c.name: c.value for c in match_score(need, offer, NOW).components}


def lexical(need: NeedOrOffer, offer: NeedOrOffer) -> float:
    return parts(need, offer)["words and tags"]


def intent(need: NeedOrOffer, offer: NeedOrOffer) -> float:
    return parts(need, offer)["intent"]


def item(
    id: int,
    person_id: int,
    text: str,
    tags: tuple[str, ...] = (),
    location: str | None = None,
    created_at: datetime | None = None,
    expires_on: date | None = None,
) -> NeedOrOffer:
    return NeedOrOffer(id, person_id, text, tags, location, created_at, expires_on)


CFO_NEED = item(
    1,
    10,
    "Looking for a fractional CFO who knows 3PL contracts, Tampa or remote",
    ("finance", "logistics"),
    "Tampa, FL",
    ago(5),
)
CFO_OFFER = item(2, 20, "Fractional CFO for logistics companies", ("finance", "logistics"), "Miami, FL")


# location --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("Tampa, FL", ("tampa", "FL", False)),
        ("tampa, fl", ("tampa", "FL", False)),
        ("Brooklyn, NY", ("brooklyn", "NY", False)),
        ("Remote", (None, None, True)),
        ("Fully remote", (None, None, True)),
        ("Florida", (None, "FL", False)),
        ("Tampa", ("tampa", None, False)),
        (None, (None, None, False)),
        ("", (None, None, False)),
    ],
)
def test_parse_place(text: str | None, parsed: tuple[str | None, str | None, bool]) -> None:
    assert parse_place(text) == parsed


@pytest.mark.parametrize(
    ("a", "b", "text", "fit"),
    [
        ("Tampa, FL", "Tampa, FL", "", 1.0),
        ("Tampa, FL", "tampa, fl", "", 1.0),
        ("Tampa, FL", "Miami, FL", "", 0.75),
        ("Tampa, FL", "Florida", "", 0.75),
        ("Remote", "Tampa, FL", "", 0.6),
        ("Tampa, FL", "Remote", "", 0.6),
        ("Tampa, FL", None, "", 0.6),
        (None, None, "", 0.6),
        ("Tampa, FL", "Austin, TX", "", 0.2),
        ("Tampa, FL", "Austin, TX", "must be onsite in Tampa", 0.0),
        ("Tampa, FL", "Austin, TX", "in-person only", 0.0),
        ("Tampa, FL", "Austin, TX", "happy to work remote", 0.6),
        ("Tampa, FL", "Austin, TX", "remote first but onsite weekly", 0.0),
        ("Tampa, FL", "Tampa, FL", "onsite", 1.0),
    ],
)
def test_location_fit(a: str | None, b: str | None, text: str, fit: float) -> None:
    assert location_fit(a, b, text) == fit


@FAST
@given(st.sampled_from(PLACES), st.sampled_from(PLACES), st.sampled_from(["", "remote", "onsite", "python"]))
def test_location_fit_is_symmetric_and_on_the_scale(a: str | None, b: str | None, text: str) -> None:
    fit = location_fit(a, b, text)
    assert fit == location_fit(b, a, text)
    assert fit in {0.0, 0.2, 0.6, 0.75, 1.0}


def test_same_city_name_in_different_states_is_not_the_same_city() -> None:
    assert location_fit("Portland, OR", "Portland, ME") < 1.0


def test_spelled_out_state_keeps_the_city() -> None:
    assert parse_place("Tampa, Florida") == ("tampa", "FL", False)


# words -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("contracts", "contract"),
        ("companies", "company"),
        ("jobs", "job"),
        ("consulting", "consult"),
        ("founded", "found"),
        ("is", "is"),
        ("bus", "bus"),  # too short to strip
        ("ties", "tie"),
        ("cfo", "cfo"),
    ],
)
def test_stem(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_stem_meets_singulars_as_documented() -> None:
    assert content_words("roles") == content_words("role")
    assert content_words("hiring") == content_words("hire")


def test_content_words() -> None:
    assert content_words("Looking for a new role in Tampa!") == frozenset({"rol", "tampa"})
    assert content_words("I'm happy to help anyone") == frozenset()
    assert content_words("C++ and C# devs, 3PL contracts") == frozenset({"c++", "c#", "dev", "3pl", "contract"})
    assert content_words("a b c x") == frozenset()  # single characters are dropped
    assert content_words("FRACTIONAL Cfo") == content_words("fractional cfo")


@FAST
@given(st.text(alphabet=string.printable, max_size=80))
def test_content_words_are_case_blind_and_drop_stop_words(text: str) -> None:
    words = content_words(text)
    assert all(w == w.lower() and len(w) > 1 for w in words)
    assert content_words(text.upper()) == words


def test_contractions_leave_no_fragments() -> None:
    assert content_words("We're hiring, I've heard, we'll see") == frozenset({"hir", "heard", "see"})


@FAST
@given(
    st.lists(st.sampled_from(sorted(w for w in STOP_WORDS if "'" not in w)), max_size=12),
    st.sampled_from([" ", ", ", "! ", "\n"]),
)
def test_stop_words_alone_have_no_content(words: list[str], sep: str) -> None:
    assert content_words(sep.join(words)) == frozenset()
    assert content_words(sep.join([*words, "logistics"])) == frozenset({"logistic"})


# scores ----------------------------------------------------------------------------------------------------------


def test_freshness() -> None:
    assert freshness(None, NOW) == 1.0
    assert freshness(ago(0), NOW) == 1.0
    assert freshness(ago(30), NOW) == 1.0
    assert freshness(ago(120), NOW) == pytest.approx(0.5)
    assert freshness(ago(210), NOW) == pytest.approx(0.25)
    assert freshness(NOW + timedelta(days=3), NOW) == 1.0


def test_is_live() -> None:
    assert is_live(item(1, 1, "x"), NOW)
    assert is_live(item(1, 1, "x", expires_on=NOW.date()), NOW)
    assert not is_live(item(1, 1, "x", expires_on=NOW.date() - timedelta(days=1)), NOW)


def test_realistic_pair_scores_high() -> None:
    scored = match_score(CFO_NEED, CFO_OFFER, NOW)
    assert scored.score > 0.5
    got = {c.name: c.value for c in scored.components}
    assert got["location"] == 0.75  # both in Florida
    assert got["intent"] == 1.0
    assert got["freshness"] == 1.0
    assert got["words and tags"] > 0.5  # identical tags, two shared words


def test_unrelated_pair_scores_low() -> None:
    offer = item(3, 30, "Wedding photography and portrait sessions", ("photography",), "Austin, TX")
    assert match_score(CFO_NEED, offer, NOW).score < 0.35
    assert lexical(CFO_NEED, offer) == 0.0
    no_place = item(4, 30, "Piano lessons for kids")
    assert match_score(CFO_NEED, no_place, NOW).score < 0.35


def test_job_seeker_does_not_serve_a_job_seeker() -> None:
    need = item(1, 10, "Looking for my next role in product management", ("product",), "Tampa, FL")
    offer = item(2, 20, "Open to work: product management roles in Tampa", ("product",), "Tampa, FL")
    assert intent(need, offer) == 0.0
    scored = match_score(need, offer, NOW)
    assert scored.score == 0.0
    assert {c.name: c.value for c in scored.components}["intent"] == 0.0
    hiring = item(3, 30, "Hiring a product manager in Tampa", ("product",), "Tampa, FL")
    assert intent(need, hiring) == 1.0
    assert match_score(need, hiring, NOW).score > 0.5


def test_lexical_fit_blends_words_and_tags() -> None:
    a = item(1, 1, "python developer", ("tech",))
    b = item(2, 2, "python developer", ("tech",))
    assert lexical(a, b) == pytest.approx(1.0)
    c = item(3, 3, "python developer", ("design",))
    assert lexical(a, c) == pytest.approx(0.6)
    d = item(4, 4, "python developer")
    assert lexical(a, d) == pytest.approx(1.0)  # tags count only when both sides have them
    assert lexical(item(5, 5, "Tech", ("Tech",)), item(6, 6, "finance", ("tech",))) == pytest.approx(0.4)


needs_or_offers = st.builds(
    NeedOrOffer,
    id=st.integers(min_value=1, max_value=1000),
    person_id=st.integers(min_value=0, max_value=5),
    text=st.text(max_size=120),
    tags=st.lists(st.sampled_from(TAGS), max_size=3).map(tuple),
    location=st.sampled_from(PLACES),
    created_at=st.one_of(st.none(), st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2027, 1, 1))),
)


@settings(max_examples=100, deadline=None)
@given(needs_or_offers, needs_or_offers)
def test_match_score_in_unit_interval(need: NeedOrOffer, offer: NeedOrOffer) -> None:
    scored = match_score(need, offer, NOW)
    assert 0.0 <= scored.score <= 1.0
    got = {c.name: c.value for c in scored.components}
    assert all(0.0 <= v <= 1.0 for v in got.values())
    expected = got["intent"] * (0.65 * got["words and tags"] + 0.20 * got["location"] + 0.15 * got["freshness"])
    assert scored.score == pytest.approx(expected)


# best_matches ----------------------------------------------------------------------------------------------------


def test_best_matches_never_pairs_a_person_with_themself() -> None:
    need = item(1, 10, "Need a python developer", ("tech",))
    own = item(2, 10, "Python developer", ("tech",))
    other = item(3, 20, "Python developer", ("tech",))
    pairs = [(n.id, o.id) for n, o, _ in best_matches([need], [own, other], NOW, 0.0)]
    assert pairs == [(1, 3)]


def test_best_matches_ignores_expired_needs_and_offers() -> None:
    yesterday = NOW.date() - timedelta(days=1)
    need = item(1, 10, "Need a python developer", ("tech",))
    stale_need = item(2, 11, "Need a python developer", ("tech",), expires_on=yesterday)
    offer = item(3, 20, "Python developer", ("tech",))
    stale_offer = item(4, 21, "Python developer", ("tech",), expires_on=yesterday)
    pairs = [(n.id, o.id) for n, o, _ in best_matches([need, stale_need], [offer, stale_offer], NOW, 0.0)]
    assert pairs == [(1, 3)]


def test_best_matches_threshold_and_order() -> None:
    unrelated = item(5, 30, "Wedding photography", ("photography",))
    weaker = item(6, 40, "Logistics consulting", ("logistics",))
    results = best_matches([CFO_NEED], [weaker, unrelated, CFO_OFFER], NOW, 0.0)
    assert [o.id for _, o, _ in results] == [2, 6]  # unrelated shares nothing: never scored
    assert results[0][2].score > results[1][2].score
    strict = best_matches([CFO_NEED], [weaker, unrelated, CFO_OFFER], NOW, results[1][2].score + 1e-9)
    assert [o.id for _, o, _ in strict] == [2]
    assert best_matches([CFO_NEED], [CFO_OFFER], NOW, 1.0) == []


vocab_items = st.builds(
    NeedOrOffer,
    id=st.integers(min_value=1, max_value=10_000),
    person_id=st.integers(min_value=0, max_value=4),
    text=st.lists(st.sampled_from(VOCAB), min_size=1, max_size=6).map(" ".join),
    tags=st.lists(st.sampled_from(TAGS), max_size=2).map(tuple),
    location=st.sampled_from(PLACES),
    created_at=st.one_of(st.none(), st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 11, 25))),
    expires_on=st.one_of(st.none(), st.dates(min_value=date(2026, 11, 1), max_value=date(2026, 12, 31))),
)


def _unique_ids(items: list[NeedOrOffer]) -> list[NeedOrOffer]:
    return [
        NeedOrOffer(i + 1, x.person_id, x.text, x.tags, x.location, x.created_at, x.expires_on)
        for i, x in enumerate(items)
    ]


def _keys(x: NeedOrOffer) -> set[str]:
    return set(content_words(x.text)) | {"#" + t.lower() for t in x.tags}


@settings(max_examples=100, deadline=None)
@given(st.lists(vocab_items, max_size=8), st.lists(vocab_items, max_size=8), st.floats(min_value=0, max_value=0.9))
def test_best_matches_agrees_with_brute_force(
    raw_needs: list[NeedOrOffer], raw_offers: list[NeedOrOffer], threshold: float
) -> None:
    needs, offers = _unique_ids(raw_needs), _unique_ids(raw_offers)
    results = best_matches(needs, offers, NOW, threshold)
    got = [(n.id, o.id) for n, o, _ in results]
    expected = {
        (n.id, o.id)
        for n in needs
        for o in offers
        if is_live(n, NOW)
        and is_live(o, NOW)
        and n.person_id != o.person_id
        and _keys(n) & _keys(o)
        and match_score(n, o, NOW).score >= threshold
        and match_score(n, o, NOW).components[0].value >= 0.15  # the pair shares some meaning
    }
    assert len(got) == len(set(got))
    assert set(got) == expected
    scores = [s.score for _, _, s in results]
    assert scores == sorted(scores, reverse=True)
    for n, o, s in results:
        assert n.person_id != o.person_id
        assert s.score >= threshold
        assert s == match_score(n, o, NOW)
