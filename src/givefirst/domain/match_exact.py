"""Scoring short-listed pairs exactly, as `match_engine` does for every pair it short-lists, at less cost per pair.

A full pass scores ~20 short-listed offers per need exactly (head clash, intent, place, calibration): 110,000
pairs at 20,000 people. Most of that work depends on one side only or on few distinct values, so it is done
once here and remembered for the pass:

* what a pair's place fit reads (the two places, their constraints, whether the need names where it is) takes
  a few thousand distinct values among 110,000 pairs: each `pair_place` is worked out once per distinct pair;
* what its intent reads (the two side readings, whether the two are about the same role, a head clash) takes
  about a hundred: each `pair_intent` once;
* an offer's words and reading are looked up once per offer, not once per pair.

The values are the ones `pair_place` and `pair_intent` return (they are pure functions of what the keys hold),
so a pair scores exactly what it scored before, bit for bit (`tests/domain/test_match_exact.py`).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from givefirst.domain.match_score import (
    NAMED_PLACE_NOTE,
    Item,
    MatchWeights,
    keyed_place,
    pair_intent,
    pair_refusal,
    place_factor,
    role_fits,
    semantic_value,
)
from givefirst.domain.match_text import NO_SIDE_NOTE, Phrases, head_clash

# value, offer, cosine, lexical, intent, place
Ranked = tuple[float, int, float, float, tuple[float, str], tuple[float, str]]
_Side = tuple[Item, Phrases, int, int, bool]  # the item, its words, its reading's and place's keys, an offer's refusals


class ExactScorer:
    """The exact score of short-listed pairs of one pass, remembering what pairs have in common.

    `offers` is the pass's sequence of offers (an `Item` per index, possibly made when looked up); the memory
    lasts as long as the scorer, one `score_pairs` call.
    """

    def __init__(self, offers: Sequence[Item], w: MatchWeights) -> None:
        self.offers, self.w = offers, w
        self._keys: dict[Hashable, int] = {}
        self._offer: dict[int, _Side] = {}
        self._need: tuple[Item, _Side] | None = None
        self._places: dict[tuple[int, int], tuple[tuple[float, str], float, bool]] = {}
        self._intents: dict[tuple[int, int, bool, str], tuple[tuple[float, str], bool]] = {}

    def _key(self, value: Hashable) -> int:
        found = self._keys.get(value)
        if found is None:
            found = self._keys[value] = len(self._keys)
        return found

    def _need_side(self, need: Item) -> _Side:
        if self._need is None or self._need[0] is not need:  # the needs come one after the other
            place = self._key(("need", need.place, need.constraints, need.names_place))
            self._need = need, (need, need.phrases, self._key(need.reading), place, False)
        return self._need[1]

    def _offer_side(self, j: int) -> _Side:
        found = self._offer.get(j)
        if found is None:
            offer = self.offers[j]
            place = self._key(("offer", offer.place, offer.constraints))
            refuses = bool(offer.refusals())
            found = self._offer[j] = (offer, offer.phrases, self._key(offer.reading), place, refuses)
        return found

    def exact(self, need: Item, j: int, bound: float, cos: float, lex: float, fresh_part: float) -> Ranked | None:
        """Return a short-listed pair scored exactly (intent, place, freshness, its calibrated chance), or None
        when its uncalibrated product is below the floor — `match_engine`'s straightforward `_exact`."""
        w = self.w
        if bound < w.floor:
            return None
        need, need_words, need_reading, need_place, _ = self._need_side(need)
        offer, offer_words, offer_reading, offer_place, offer_refuses = self._offer_side(j)
        clash = head_clash(need_words, offer_words) if lex > 0.0 else ""
        if clash:  # the shared words only modify different heads: no lexical evidence (it can only lower the pair)
            lex = 0.0
            bound = w.semantic * semantic_value(cos, w)
        how = (need_reading, offer_reading, role_fits(cos, lex, w), clash)
        intent_found = self._intents.get(how)
        if intent_found is None:
            intent = pair_intent(need, offer, cos, lex, w, clash=clash)
            intent_found = self._intents[how] = intent, intent[1] == NO_SIDE_NOTE
        intent, no_side = intent_found
        where = (need_place, offer_place)
        place_found = self._places.get(where)
        if place_found is None:
            place = keyed_place(need, offer)
            place_found = self._places[where] = place, place_factor(place[0], w), place[1].endswith(NAMED_PLACE_NOTE)
        # What an offer refuses meets the need's own words: never remembered (few offers say it).
        if offer_refuses and (refused := pair_refusal(need, offer)):
            place_found = (0.0, refused), place_factor(0.0, w), False
        place, factor, named = place_found
        if bound * intent[0] * factor * fresh_part < w.floor:
            return None
        chance = w.calibration.chance(semantic_value(cos, w), lex, intent[0], factor, no_side, named)
        chance *= fresh_part
        return chance, j, cos, lex, intent, place
