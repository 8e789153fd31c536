"""The calibrated match score: how likely an introduction is good, from the pair's signals.

The signals (semantic, lexical, intent, place) say how much an offer is about a need and what weakens the pair;
their product ranks well, but it is no probability: on the dev set 41 % of the pairs scored 0.4–0.5 were useful
introductions and 89 % of those at 0.5–0.6, and on another network 21 % and 64 %. Which signal matters most for
whether a pair is useful differs from how they were combined to rank: an adviser in another city is rarely a
useful introduction for a local service, however close the words (place weighs 25 % in the product).

So the score shown is a logistic regression (Platt 1999, on the signals rather than one score) of "the pair is
labelled useful (grade ≥ 1)" on the four signal values, fitted on ONE labelled set (the dev set, every pair the
engine keeps) by `benchmarks/match_quality.py --fit-calibration`, and judged on the other. The display
threshold (`[plan] match_threshold`) is then a chance: the lowest one at which ≥ 85 % of the pairs shown on the
fitting set were useful. Every weight is positive, so the chance rises with each signal (the engine's exact
top k relies on it); a vetoed pair (intent or place 0) has no chance at all. One more input: whether the pair is
in no market at all (neither statement is a job, clients, capital or volunteers: advice, an introduction). Fitted
on either set its weight is negative (−0.6 on the dev set, −1.3 on the other): at equal signals a pair of two
statements in no market is less often a useful introduction than a pair whose sides agree, and intent alone
(1 for both) cannot tell them apart. And one since engine m7: whether the need names where it is in its own
words ("… outside Sacramento", "moving to Denver") while the offer is elsewhere — then the place mismatch costs
more (`named_place` × (place factor − 1)). A vet who does farm calls in Montana is no introduction for a farm
near Sacramento, however close the words; an adviser elsewhere for a need that names no place often is. Fitted
on each labelled set alone its weight is positive (6.8 dev, 4.2 second set, 16.6 third set).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# The intent note of a pair in no market at all (`match_text.intent_fit` writes it, the calibration reads it):
# defined here so that reading a stored score (`match_score.combine`) needs no text reader.
NO_SIDE_NOTE = "no market side"


@dataclass(frozen=True, slots=True)
class Calibration:
    """Logistic weights of the signal values (place as its factor, 0.75–1) and the set they were fitted on."""

    intercept: float
    semantic: float
    lexical: float
    intent: float
    place: float
    no_side: float = 0.0  # added when neither statement is in a market (`match_text.NO_SIDE_NOTE`)
    named_place: float = 0.0  # times (place factor − 1) when the need names where it is (`NAMED_PLACE_NOTE`)
    fitted_on: str = ""

    def logit(
        self, semantic: float, lexical: float, intent: float, place: float, no_side: bool = False, named: bool = False
    ) -> float:
        return (
            self.intercept + self.semantic * semantic + self.lexical * lexical + self.intent * intent
            + self.place * place + (self.no_side if no_side else 0.0)
            + (self.named_place * (place - 1.0) if named else 0.0)
        )  # fmt: skip

    def chance(
        self, semantic: float, lexical: float, intent: float, place: float, no_side: bool = False, named: bool = False
    ) -> float:
        """Return the probability that the pair is a useful introduction; 0 for a vetoed pair."""
        if intent <= 0.0 or place <= 0.0:
            return 0.0
        z = self.logit(semantic, lexical, intent, place, no_side, named)
        return 1.0 / (1.0 + math.exp(-z)) if z > -40.0 else 0.0

    def best_case(self) -> float:
        """Return the logit's part that does not depend on relevance, at its highest (intent and place 1)."""
        return self.intercept + self.intent + self.place + max(self.no_side, 0.0)


# Fitted on the dev set (`../shared/eval/matching-dev.jsonl`, every pair engine m6 keeps, 2026-12-03; fitted again
# on the pairs engine m7 keeps the weights move by < 0.6 and the threshold chosen is the same) by
# `python benchmarks/match_quality.py --fit-calibration matching-dev.jsonl`; see docs/matching.md for the
# figures on the other sets and the swapped directions.
DEFAULT_CALIBRATION = Calibration(-20.692, 4.948, 8.799, 6.134, 10.598, -0.722, 6.758, fitted_on="matching-dev.jsonl")
# The display threshold chosen on the same set: the lowest chance (in steps of 0.05) at which ≥ 85 % of the pairs
# shown there were useful, and at every higher step (86.7 % of 45 pairs with engine m6 and m7 alike).
# `[plan] match_threshold` defaults to it.
DISPLAY_THRESHOLD = 0.6
