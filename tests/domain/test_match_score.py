"""The match score: in [0, 1], its signals add up to it, monotone in relevance; the rules that exclude pairs."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from datetime import date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain.match_engine import read_item, score_pairs
from givefirst.domain.match_score import (
    DEFAULT_WEIGHTS,
    broker_value,
    combine,
    freshness,
    refresh_score,
    score_pair,
    semantic_value,
)
from givefirst.domain.match_text import Side, intent_fit
from givefirst.domain.model import NeedOrOffer

NOW = datetime(2026, 11, 25, 12, 0)
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
sides = st.sampled_from(list(Side))
FAST = settings(max_examples=150, deadline=None)


@FAST
@given(unit, unit, sides, sides, unit, unit)
def test_score_in_unit_interval_and_signals_add_up(
    sem: float, lex: float, a: Side, b: Side, place: float, fresh: float
) -> None:
    scored = combine(sem, lex, intent_fit(a, b), (place, ""), fresh)
    assert 0.0 <= scored.score <= 1.0
    assert abs(sum(s.points for s in scored.signals) - scored.score) < 1e-9
    assert {s.name for s in scored.signals} == {"semantic", "lexical", "intent", "place", "freshness", "calibration"}


@FAST
@given(unit, unit, unit, unit, unit, st.floats(min_value=0.0, max_value=0.5))
def test_score_is_monotone_in_each_signal(sem: float, lex: float, place: float, fresh: float, intent: float,
                                          more: float) -> None:  # fmt: skip
    base = combine(sem, lex, (intent, ""), (place, ""), fresh).score
    assert combine(min(sem + more, 1.0), lex, (intent, ""), (place, ""), fresh).score >= base
    assert combine(sem, min(lex + more, 1.0), (intent, ""), (place, ""), fresh).score >= base
    assert combine(sem, lex, (intent, ""), (min(place + more, 1.0), ""), fresh).score >= base
    assert combine(sem, lex, (intent, ""), (place, ""), min(fresh + more, 1.0)).score >= base


def test_an_intent_or_place_mismatch_zeroes_the_score() -> None:
    assert combine(1.0, 1.0, intent_fit(Side.WORK_SUPPLY, Side.WORK_SUPPLY), (1.0, ""), 1.0).score == 0.0
    assert combine(1.0, 1.0, (1.0, ""), (0.0, "onsite only elsewhere"), 1.0).score == 0.0
    assert combine(1.0, 1.0, (1.0, ""), (1.0, ""), 1.0).score > 0.99  # a chance: near 1, never quite


def test_freshness_and_refresh_score() -> None:
    assert freshness(None, NOW) == 1.0
    assert freshness(NOW - timedelta(days=10), NOW) == 1.0
    assert freshness(NOW - timedelta(days=120), NOW) < freshness(NOW - timedelta(days=60), NOW) < 1.0
    stored = combine(0.8, 0.5, (1.0, ""), (0.9, ""), 1.0)
    older = refresh_score(stored, 0.2)
    assert older.score < stored.score
    assert refresh_score(stored, 1.0).score == stored.score


def test_semantic_value_and_broker_value() -> None:
    assert semantic_value(DEFAULT_WEIGHTS.sem_floor) == 0.0 and 0.99 < semantic_value(0.99) < 1.0
    assert broker_value([], []) == 0.0
    assert broker_value([1.0, 1.0], [1.0, 1.0]) == 1.0
    assert broker_value([0.2], [0.3]) < broker_value([0.8], [1.0])


def test_the_semantic_signal_keeps_the_order_of_close_candidates() -> None:
    # Pattern 9: a clip at the ceiling gave 0.62, 0.7 and 0.9 the same 1.0, so their order was lost.
    import numpy as np

    from givefirst.domain.match_score import semantic_values

    cosines = [0.05, 0.1, 0.3, 0.5, 0.55, 0.6, 0.62, 0.7, 0.9, 1.0]
    values = [semantic_value(c) for c in cosines]
    assert values[:2] == [0.0, 0.0]
    assert all(a < b for a, b in itertools.pairwise(values[1:])) and values[-1] < 1.0
    assert semantic_value(0.3) == pytest.approx(0.4)  # linear below the knee, as before
    vectorised = semantic_values(np.array(cosines, dtype=np.float32))
    assert np.allclose(vectorised, values, atol=1e-6)


def item(id: int, pid: int, text: str, location: str | None = None, expires_on: date | None = None) -> NeedOrOffer:
    return NeedOrOffer(id, pid, text, (), location, NOW - timedelta(days=3), expires_on)


def test_score_pair_never_pairs_a_person_with_themself_or_an_expired_item() -> None:
    need = read_item(item(1, 1, "Looking for a Python contractor"))
    assert score_pair(need, read_item(item(2, 1, "Python contractor")), 0.9, 0.9, NOW) is None
    expired = read_item(item(3, 2, "Python contractor", expires_on=NOW.date() - timedelta(days=1)))
    assert score_pair(need, expired, 0.9, 0.9, NOW) is None
    assert score_pair(need, read_item(item(4, 2, "Python contractor")), 0.9, 0.9, NOW) is not None


TEXTS = [
    "Looking for a data engineering role in Tampa",
    "We're hiring a data engineer in Tampa",
    "Realtor in South Tampa",
    "Python contractor available",
    "Need a Python contractor, remote is fine",
    "Raising a seed round for a fintech startup",
    "Angel investor, I write $25K checks for fintech startups",
]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 4), st.sampled_from(TEXTS), st.booleans()), min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(1, 4), st.sampled_from(TEXTS), st.booleans()), min_size=1, max_size=6),
)
def test_score_pairs_respects_the_rules(
    raw_needs: list[tuple[int, str, bool]], raw_offers: list[tuple[int, str, bool]]
) -> None:
    from givefirst.services.embedding import embed

    gone = NOW.date() - timedelta(days=1)
    needs = [item(i, p, t, "Tampa, FL", gone if x else None) for i, (p, t, x) in enumerate(raw_needs)]
    offers = [item(100 + i, p, t, "Tampa, FL", gone if x else None) for i, (p, t, x) in enumerate(raw_offers)]
    need_items, need_vectors = [read_item(n) for n in needs], embed([n.text for n in needs])
    offer_items, offer_vectors = [read_item(o) for o in offers], embed([o.text for o in offers])
    # At a floor of 0 too, a person's own offer (its bound is 0, which such a floor does not mask) and an expired
    # item are never paired.
    for i, j, _ in score_pairs(need_items, need_vectors, offer_items, offer_vectors, NOW,
                               replace(DEFAULT_WEIGHTS, floor=0.0)):  # fmt: skip
        assert needs[i].person_id != offers[j].person_id
        assert needs[i].expires_on is None and offers[j].expires_on is None
    found = score_pairs(need_items, need_vectors, offer_items, offer_vectors, NOW)
    for i, j, scored in found:
        n, o = needs[i], offers[j]
        assert n.person_id != o.person_id
        assert n.expires_on is None and o.expires_on is None
        assert 0.0 < scored.score <= 1.0
        calibration = scored.signal("calibration")
        assert calibration is not None  # the product before calibration is what the floor keeps
        assert scored.score - calibration.points >= DEFAULT_WEIGHTS.floor - 1e-9
        a, b = read_item(n).reading, read_item(o).reading
        assert intent_fit(a.side, b.side, sure=a.sure and b.sure)[0] > 0.0  # never two sure readings of one side
        assert scored.signal("intent").value > 0.0  # type: ignore[union-attr]
    assert all(isinstance(v, np.floating | float) for _, _, s in found for v in (s.score,))


def test_the_calibrated_chance_rises_with_every_signal_and_a_veto_has_none() -> None:
    from givefirst.domain.match_calibration import DEFAULT_CALIBRATION as C

    base = C.chance(0.5, 0.3, 0.75, 0.9)
    assert 0.0 < base < 1.0
    assert C.chance(0.7, 0.3, 0.75, 0.9) > base and C.chance(0.5, 0.5, 0.75, 0.9) > base
    assert C.chance(0.5, 0.3, 1.0, 0.9) > base and C.chance(0.5, 0.3, 0.75, 1.0) > base
    assert C.chance(0.9, 0.9, 0.0, 1.0) == 0.0 and C.chance(0.9, 0.9, 1.0, 0.0) == 0.0
    # the engine's cap: no pair can beat intent and place at 1 with the better of the no-market cases
    best = 1.0 / (1.0 + math.exp(-(C.best_case() + C.semantic * 0.5 + C.lexical * 0.3)))
    chances = [C.chance(0.5, 0.3, 1.0, 1.0, flag, named) for flag in (False, True) for named in (False, True)]
    assert best + 1e-12 >= max(chances)  # (the engine adds 1e-6)
    assert C.named_place >= 0.0 and C.chance(0.5, 0.3, 1.0, 0.9, False, True) <= C.chance(0.5, 0.3, 1.0, 0.9)


def test_a_need_that_names_where_weighs_an_offer_elsewhere_down() -> None:
    """A local service in another city is seldom a useful introduction: when the need names its place in its own
    words, a place mismatch costs more (the calibration's named-place input); the note says so."""
    from givefirst.domain.match_score import NAMED_PLACE_NOTE, Item

    def pair(need_text: str, offer_location: str) -> tuple[float, str]:
        need = Item(NeedOrOffer(1, 1, need_text, (), "Phoenix, AZ", NOW, None))
        offer = Item(NeedOrOffer(2, 2, "Mobile dog groomer: I come to your driveway", (), offer_location, NOW, None))
        scored = score_pair(need, offer, 0.45, 0.3, NOW)
        assert scored is not None
        return scored.score, scored.signal("place").note  # type: ignore[union-attr]

    named_far, note = pair("Need a mobile dog groomer who can come to our house in Phoenix", "Boise, ID")
    plain_far, plain_note = pair("Need a mobile dog groomer who can come to our house", "Boise, ID")
    assert note.endswith(NAMED_PLACE_NOTE) and not plain_note.endswith(NAMED_PLACE_NOTE)
    assert named_far < plain_far
    named_here, here_note = pair("Need a mobile dog groomer who can come to our house in Phoenix", "Phoenix, AZ")
    plain_here, _ = pair("Need a mobile dog groomer who can come to our house", "Phoenix, AZ")
    assert named_here == plain_here and not here_note.endswith(NAMED_PLACE_NOTE)  # same city: nothing lost


@pytest.mark.parametrize(
    ("text", "location", "named"),
    [
        ("Moving to Denver in March and need a pediatrician", "Seattle, WA", True),
        ("Need a tile setter, we're 20 minutes outside Sacramento", "Sacramento, CA", True),
        ("Thinking of retiring to Portugal and want to hear from someone who did it", "Austin, TX", False),
        ("Need a tile setter for a small bathroom", "Tucson, AZ", False),
    ],
)
def test_a_place_in_the_text_at_home_names_where_and_one_abroad_is_the_topic(
    text: str, location: str, named: bool
) -> None:
    from givefirst.domain.match_score import Item

    assert Item(NeedOrOffer(1, 1, text, (), location, NOW, None)).names_place is named


@FAST
@given(unit, unit, unit, unit, unit, st.floats(min_value=0.0, max_value=0.5))
def test_with_a_named_place_the_score_stays_monotone_and_never_rises(
    sem: float, lex: float, place: float, fresh: float, intent: float, more: float
) -> None:
    from givefirst.domain.match_score import NAMED_PLACE_NOTE

    named = (place, "same country" + NAMED_PLACE_NOTE)
    base = combine(sem, lex, (intent, ""), named, fresh).score
    assert base <= combine(sem, lex, (intent, ""), (place, "same country"), fresh).score + 1e-12
    higher = min(place + more, 1.0)
    assert combine(sem, lex, (intent, ""), (higher, "same country" + NAMED_PLACE_NOTE), fresh).score >= base
    assert combine(sem, lex, (intent, ""), (1.0, "same city"), fresh).score >= base


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("We're hiring an onsite ICU nurse in Tampa; Florida licence required", "Tampa, FL"),
        ("Thinking of retiring to Spain and want to talk to someone who did the residency paperwork", "Austin, TX"),
        ("Remote copy editor looking for my next contract, Asia-Pacific hours", None),
    ],
)
def test_an_item_read_again_after_forgetting_reads_the_same(text: str, location: str | None) -> None:
    """A full pass drops a need's readings once its pairs are scored (`Item.forget`); read again, they are the
    same, so a caller that reuses the item sees no difference."""
    item = read_item(NeedOrOffer(id=1, person_id=1, text=text, location=location))
    first = (item.reading, item.place, item.phrases, item.constraints, item.names_place)
    item.forget()
    assert (item.reading, item.place, item.phrases, item.constraints, item.names_place) == first


# Punctuation and quote marks the way people type them, among words: a statement is whatever a user wrote.
_TYPED = st.lists(st.sampled_from([*"ab '’\"-—–.,;:!?()/&#+09", "CPA", "SLP", "Tampa", "FL", " in "]),
                  max_size=30).map("".join)  # fmt: skip


@FAST
@given(text=st.one_of(_TYPED, st.text(max_size=60)), location=st.one_of(st.none(), st.text(max_size=20)))
def test_any_statement_is_read_without_error(text: str, location: str | None) -> None:
    """Every reading of a need or offer takes any text: a lone quote mark ("its 'preferred' body shop") once
    made `Phrases.of` fail, so adding such a need failed."""
    from givefirst.domain.match_engine import item_tokens, query_tokens, topic_text

    record = NeedOrOffer(id=1, person_id=1, text=text, location=location)
    item = read_item(record)
    assert (item.reading, item.place, item.phrases, item.constraints, item.names_place) is not None
    assert isinstance(topic_text(record), str)
    assert all(isinstance(t, str) for t in item_tokens(record) + query_tokens(record))


def test_a_lone_quote_mark_is_no_word() -> None:
    from givefirst.domain.match_text import Phrases

    phrases = Phrases.of("their insurer keeps pushing its 'preferred' body shop")
    assert "preferr" in phrases.words and "" not in phrases.words


def test_the_engine_version_is_assigned_once() -> None:
    # A second assignment left by an edit silently set the version back (m37 and m38 read as m36), and cached
    # scores of the older engine were then kept.
    import ast
    import inspect

    from givefirst.domain import match_score

    tree = ast.parse(inspect.getsource(match_score))
    assigned = [n for n in tree.body if isinstance(n, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == "ENGINE_VERSION" for t in n.targets)]  # fmt: skip
    assert len(assigned) == 1
