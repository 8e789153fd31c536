"""The calibrated match score: how likely an introduction is good, from the pair's signals.

The signals (semantic, lexical, intent, place) say how much an offer is about a need and what weakens the pair;
their product ranks well, but it is no probability: on the dev set 41 % of the pairs scored 0.4–0.5 were useful
introductions and 89 % of those at 0.5–0.6, and on another network 21 % and 64 %. Which signal matters most for
whether a pair is useful differs from how they were combined to rank: an adviser in another city is rarely a useful
introduction for a local service, however close the words (place weighs 25 % in the product).

So the score shown is a logistic regression (Platt 1999, on the signals rather than one score) of "the pair is
labelled useful (grade ≥ 1)" on the signal values, fitted on three labelled sets pooled (dev, second, third: every
pair the engine keeps) by `benchmarks/match_quality.py --fit-on …`, and judged leave-one-set-out. The display
threshold (`[plan] match_threshold`) is then a chance: the lowest one at which ≥ 90 % of the pairs shown on the
fitting sets pooled, and ≥ 85 % on each of them, were useful (a margin: fitted on one network, the share on another
was 0.02–0.10 lower). Every weight is positive, so the chance rises with each signal (the engine's exact top k
relies on it); a vetoed pair (intent or place 0) has no chance at all. One more input: whether the pair is in no
market at all (neither statement is a job, clients, capital or volunteers: advice, an introduction). Fitted on any
set its weight is negative (−0.7 on the dev set, −1.2 on the second, −0.9 on the three pooled): at equal signals a
pair of two statements in no market is less often a useful introduction than a pair whose sides agree, and intent
alone (1 for both) cannot tell them apart. And one since engine m7: whether the need names where it is in its own
words ("… outside Sacramento", "moving to Denver") while the offer is elsewhere — then the place mismatch costs more
(`named_place` × (place factor − 1)). A vet who does farm calls in Montana is no introduction for a farm near
Sacramento, however close the words; an adviser elsewhere for a need that names no place often is. Fitted on each
labelled set alone its weight is positive (6.8 dev, 4.2 second set, 16.6 third set).
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


# Fitted on the dev, second and third sets pooled (every pair engine m7 keeps on each, 2026-12-04; 240 needs) by
# `python benchmarks/match_quality.py --fit-on matching-dev.jsonl --fit-on matching-second.jsonl --fit-on
# matching-third.jsonl`; judged leave-one-set-out before it was shipped (docs/matching.md, "Engine m8").
DEFAULT_CALIBRATION = Calibration(
    -27.692, 4.44, 9.005, 8.602, 15.591, -0.945, 9.104,
    fitted_on="matching-dev.jsonl + matching-second.jsonl + matching-third.jsonl",
)  # fmt: skip
# The display threshold chosen on the same three sets by rule m8 (`benchmarks/match_metrics.choose_threshold`): the
# lowest chance, in steps of 0.05, at which ≥ 90 % of the pairs shown on the three pooled are useful (and at every
# higher step) and ≥ 85 % on each set alone (dev 21 of 21, second 37 of 39, third 12 of 13 at 0.85).
# `[plan] match_threshold` defaults to it.
DISPLAY_THRESHOLD = 0.85
# A need's best pair is shown from a lower chance (`[plan] match_best_threshold`; the rest keep DISPLAY_THRESHOLD),
# chosen on the labelled sets by the rule m8 used for the threshold, applied to the best pair's bar
# (`benchmarks/match_quality.py --best-bar`; docs/matching.md, "A need's best pair"). On five sets it chose 0.65 in
# four folds of five, and five of six with the sixth; the seventh, first read at 0.65, showed two of its 18 needs
# without a useful offer a pair at 0.699-0.70, and with it in the pool the rule chooses 0.70 (six folds of seven).
BEST_THRESHOLD = 0.70
