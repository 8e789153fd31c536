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
top k relies on it); a vetoed pair (intent or place 0) has no chance at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Calibration:
    """Logistic weights of the signal values (place as its factor, 0.75–1) and the set they were fitted on."""

    intercept: float
    semantic: float
    lexical: float
    intent: float
    place: float
    fitted_on: str = ""

    def logit(self, semantic: float, lexical: float, intent: float, place: float) -> float:
        return (
            self.intercept + self.semantic * semantic + self.lexical * lexical + self.intent * intent
            + self.place * place
        )  # fmt: skip

    def chance(self, semantic: float, lexical: float, intent: float, place: float) -> float:
        """Return the probability that the pair is a useful introduction; 0 for a vetoed pair."""
        if intent <= 0.0 or place <= 0.0:
            return 0.0
        z = self.logit(semantic, lexical, intent, place)
        return 1.0 / (1.0 + math.exp(-z)) if z > -40.0 else 0.0

    def weights(self) -> tuple[float, float, float, float, float]:
        return (self.intercept, self.semantic, self.lexical, self.intent, self.place)


# Fitted on the dev set (`../shared/eval/matching-dev.jsonl`, 580 kept pairs, 2026-12-03) by
# `python benchmarks/match_quality.py --fit-calibration matching-dev.jsonl`; see docs/matching.md for the
# figures on the other set and the swapped direction.
DEFAULT_CALIBRATION = Calibration(-22.02, 5.11, 7.96, 4.28, 13.46, fitted_on="matching-dev.jsonl")
