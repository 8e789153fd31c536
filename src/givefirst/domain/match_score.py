"""The need ↔ offer match score in [0, 1], with named signals that say how much each contributed.

    relevance = W_SEMANTIC · semantic + W_LEXICAL · lexical             (how much the offer is about the need)
    fit       = relevance · intent · place · fresh                      (what can stop or weaken an introduction)
    score     = chance(semantic, lexical, intent, place) · fresh        (`match_calibration`: how likely it is good)

* semantic — cosine of the two sentence vectors (wordllama, mean-pooled token embeddings), rescaled so that
  unrelated texts (cosine ≤ SEM_FLOOR) give 0 and near-paraphrases (≥ SEM_CEILING) give 1;
* lexical — the BM25 score of the offer for the need's words (bm25s, Lucene variant, k1 1.5, b 0.75), divided
  by the score a document holding every query word once would get (the sum of the query words' idf), so that
  it reads as "how much of what the need says the offer covers"; its square root, because two short texts
  rarely share more than a few words and a small covered share is already strong evidence;
* intent — `match_text.intent_fit`: 0 when both sides are on the same side of a market (two job seekers, two
  people hiring the same role, two founders raising), 1 for opposite sides, `NO_SIDE_FIT` in between;
* place — `location.place_fit` turned into a factor PLACE_BASE + (1 − PLACE_BASE) · fit, and 0 for an onsite
  requirement against another state (place matters for a job, much less for advice given over a call); when the
  need names where it is in its own words and the offer is not there, its note says so (`NAMED_PLACE_NOTE`) and
  the calibration weighs the mismatch more;
* fresh — FRESH_BASE + (1 − FRESH_BASE) · freshness (`freshness`): stale needs sink, they do not vanish.

Each signal is reported like beets' named penalties: the two relevance parts as the points they added, each
factor as the points it took away, so the parts add up to the score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from givefirst.domain.decay import days_between, decay_factor
from givefirst.domain.match_calibration import DEFAULT_CALIBRATION, NO_SIDE_NOTE, Calibration
from givefirst.domain.model import NeedOrOffer

# The text, place and constraint readers are imported where an item is read or a pair scored, not here: `today`
# and the other readers of stored scores (`refresh_score`) never use them (about 10 ms of start-up).
if TYPE_CHECKING:
    from givefirst.domain.location import Place
    from givefirst.domain.match_constraints import Constraints
    from givefirst.domain.match_refusals import Refusals
    from givefirst.domain.match_text import Phrases, Side, SideReading

ENGINE_VERSION = "m38"  # in every cached fingerprint: a new engine re-scores everything (m38: "day shift only")


@dataclass(frozen=True)
class MatchWeights:
    semantic: float = 0.65
    lexical: float = 0.35
    sem_floor: float = 0.1  # cosine of texts that share nothing (the median pair of the dev set: 0.08)
    sem_ceiling: float = 0.6  # cosine of near-paraphrases: above it the signal still rises, ever more slowly
    sem_knee: float = 0.8  # the rescaled cosine is kept as it is up to here, then bent towards 1 (never clipped)
    role_cosine: float = 0.2  # opposite market sides count fully only for texts at least this close (same role)
    place_base: float = 0.75
    fresh_base: float = 0.8
    fresh_days: float = 30.0  # a need is fully fresh this long
    fresh_half_life: float = 90.0
    # Pairs whose product (relevance · intent · place · fresh) is below this are not kept at all; what is shown is
    # decided by the calibrated chance (`match_shown`). Low, so that a need's ranked list holds the weak but
    # relevant offers too (a route to a population, a situation against a profession): 0.1 dropped them.
    floor: float = 0.02
    per_item: int = 8  # at most this many offers kept per need in a full pass
    calibration: Calibration = DEFAULT_CALIBRATION  # the signals → how likely the introduction is good


DEFAULT_WEIGHTS = MatchWeights()


@dataclass(frozen=True, slots=True)
class Signal:
    """One named part of a match score: its value in [0, 1] and the points it added (+) or took away (−)."""

    name: str
    value: float
    points: float
    note: str = ""


@dataclass(frozen=True, slots=True)
class MatchScore:
    score: float
    signals: tuple[Signal, ...]

    def signal(self, name: str) -> Signal | None:
        return next((s for s in self.signals if s.name == name), None)


def clamp(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def semantic_value(cosine: float, w: MatchWeights = DEFAULT_WEIGHTS) -> float:
    """Return the semantic signal for a cosine similarity: 0 at `sem_floor`, rising, below 1 however close.

    Linear up to `sem_knee` (reached a little below `sem_ceiling`), then an exponential approach to 1 with the
    same slope at the knee: close candidates keep their order instead of all scoring 1 (a clip at the ceiling
    threw it away).
    """
    x = (cosine - w.sem_floor) / (w.sem_ceiling - w.sem_floor)
    if x <= w.sem_knee:
        return max(x, 0.0)
    rest = 1.0 - w.sem_knee
    return w.sem_knee + rest * (1.0 - math.exp(-(x - w.sem_knee) / rest))


def semantic_values(cosine: Any, w: MatchWeights = DEFAULT_WEIGHTS, out: Any = None, lift: float = 0.0) -> Any:
    """Return `semantic_value` of every cosine of a numpy array (the same formula, elementwise); `out`: a
    float32 array of the same shape to write them into. `lift`: read every cosine as up to this much higher (the
    values are then upper bounds of those of cosines that far off, as `match_cosines.upper_block_cosines` gives)."""
    import numpy as np

    # In place on one new array (a block is millions of cells): the same float32 operations as
    # `max((c - floor) / span, 0)`; clipping at 0 does not change which values pass the knee (> 0) or their exp.
    x = np.subtract(cosine, np.float32(w.sem_floor - lift), out=out)
    x /= np.float32(w.sem_ceiling - w.sem_floor)
    np.maximum(x, np.float32(0.0), out=x)
    values = x.astype(np.float32, copy=False)  # x itself when the cosines are float32
    high = x > w.sem_knee  # few pairs: the exponential only where it applies
    if high.any():
        rest = np.float32(1.0 - w.sem_knee)
        values[high] = np.float32(w.sem_knee) + rest * (1.0 - np.exp(-(x[high] - np.float32(w.sem_knee)) / rest))
    return values


def role_fits(cosine: float, lexical: float, w: MatchWeights = DEFAULT_WEIGHTS) -> bool:
    """Return whether two texts are about the same role, so that opposite market sides make a market match."""
    return cosine >= w.role_cosine


def relevance(semantic: float, lexical: float, w: MatchWeights = DEFAULT_WEIGHTS) -> float:
    return w.semantic * clamp(semantic) + w.lexical * clamp(lexical)


def freshness(created_at: datetime | None, now: datetime, w: MatchWeights = DEFAULT_WEIGHTS) -> float:
    """Return 1 for a fresh need, halving every `fresh_half_life` days after its first `fresh_days`."""
    if created_at is None:
        return 1.0
    return decay_factor(days_between(created_at, now) - w.fresh_days, w.fresh_half_life)


def place_factor(fit: float, w: MatchWeights = DEFAULT_WEIGHTS) -> float:
    return 0.0 if fit <= 0.0 else w.place_base + (1.0 - w.place_base) * fit


def fresh_factor(fresh: float, w: MatchWeights = DEFAULT_WEIGHTS) -> float:
    return w.fresh_base + (1.0 - w.fresh_base) * clamp(fresh)


def combine(
    semantic: float,
    lexical: float,
    intent: tuple[float, str],
    place: tuple[float, str],
    fresh: float,
    w: MatchWeights = DEFAULT_WEIGHTS,
) -> MatchScore:
    """Return the score and its signals from the signal values (each in [0, 1]).

    The score is the calibrated chance that the introduction is good (`match_calibration`) times the need's
    freshness factor. The signals add up to it: semantic and lexical the points they add, each factor the points
    it takes away from their product, and `calibration` the difference between that product and the score.
    """
    sem, lex, fr = clamp(semantic), clamp(lexical), clamp(fresh)
    factors = (
        ("intent", intent[0], intent[0], intent[1]),
        ("place", place[0], place_factor(place[0], w), place[1]),
        ("freshness", fr, fresh_factor(fr, w), "how recent the need is"),
    )
    running = relevance(sem, lex, w)
    signals = [
        Signal("semantic", sem, w.semantic * sem, "similar meaning (sentence vectors)"),
        Signal("lexical", lex, w.lexical * lex, "shared words, rare ones counting more (BM25)"),
    ]
    for name, value, factor, note in factors:
        lost = running * (1.0 - factor)
        running -= lost
        signals.append(Signal(name, value, -lost, note))
    named = place[1].endswith(NAMED_PLACE_NOTE)
    chance = w.calibration.chance(sem, lex, intent[0], place_factor(place[0], w), intent[1] == NO_SIDE_NOTE, named)
    score = clamp(chance * fresh_factor(fr, w))
    signals.append(Signal("calibration", chance, score - running, "how often such pairs were good introductions"))
    return MatchScore(score, tuple(signals))


def refresh_score(stored: MatchScore, fresh: float, w: MatchWeights = DEFAULT_WEIGHTS) -> MatchScore:
    """Return a stored score with its freshness signal worked out again at a later "now"."""
    sem, lex = stored.signal("semantic"), stored.signal("lexical")
    intent, place = stored.signal("intent"), stored.signal("place")
    if sem is None or lex is None or intent is None or place is None:
        return stored
    return combine(sem.value, lex.value, (intent.value, intent.note), (place.value, place.note), fresh, w)


class Item:
    """A need or offer read for matching; its market side and its place are read when first needed."""

    __slots__ = ("_constraints", "_named", "_phrases", "_place", "_refusals", "_side", "record")

    def __init__(self, record: NeedOrOffer) -> None:
        self.record = record
        self._side: SideReading | None = None
        self._place: Place | None = None
        self._constraints: Constraints | None = None
        self._phrases: Phrases | None = None
        self._named: bool | None = None
        self._refusals: Refusals | None = None

    def forget(self) -> None:
        """Drop what was read from the text; it is read again if asked. A full pass has no more use for a need's
        readings once its pairs are scored (1.7 KB a need: 40 MB at 100,000 people)."""
        self._side = self._place = self._constraints = self._phrases = self._named = None
        self._refusals = None

    @property
    def phrases(self) -> Phrases:
        """Its content words and the words each modifies (`match_text.head_clash`)."""
        if self._phrases is None:
            from givefirst.domain.match_text import Phrases

            self._phrases = Phrases.of(self.record.text)
        return self._phrases

    @property
    def constraints(self) -> Constraints:
        """Licences and working hours the text names (`match_constraints`)."""
        if self._constraints is None:
            from givefirst.domain.match_constraints import Constraints

            self._constraints = Constraints.of(self.record.text)
        return self._constraints

    def refusals(self) -> Refusals:
        """What it says its speaker does not do, read as an offer (`match_refusals`)."""
        if self._refusals is None:
            from givefirst.domain.match_refusals import Refusals

            self._refusals = Refusals.of(self.record.text, offer=True)
        return self._refusals

    @property
    def reading(self) -> SideReading:
        """The market side with how surely it was read (`match_text.read_side`)."""
        if self._side is None:
            from givefirst.domain.match_text import read_side

            self._side = read_side(self.record.text)
        return self._side

    @property
    def side(self) -> Side:
        return self.reading.side

    @property
    def names_place(self) -> bool:
        """Whether its text names a place in its home country ("in Houston", "30 minutes outside Sacramento"):
        where it happens matters to it. A place abroad is the topic ("retiring to Spain"), not where."""
        if self._named is None:
            from givefirst.domain.gazetteer import find_places

            home = {r.country for r in find_places(self.record.location)}
            self._named = any(not home or r.country in home for r in find_places(self.record.text, prose=True))
            if not self._named and self.record.location:  # (m22) its own town, one the gazetteer lacks
                from givefirst.domain.location import names_home_town

                self._named = names_home_town(self.record.location, self.record.text)
        return self._named

    @property
    def place(self) -> Place:
        if self._place is None:
            from givefirst.domain.location import Place

            self._place = Place.of(self.record.location, self.record.text)
        return self._place


def pair_allowed(need: NeedOrOffer, offer: NeedOrOffer, now: datetime) -> bool:
    """Return False for a pair that is never suggested: one person with themself, or an expired item."""
    return need.person_id != offer.person_id and is_live(need, now) and is_live(offer, now)


def is_live(item: NeedOrOffer, now: datetime) -> bool:
    """Return False once a need or offer has expired."""
    return item.expires_on is None or item.expires_on >= now.date()


def score_pair(
    need: Item, offer: Item, cosine: float, lexical: float, now: datetime, w: MatchWeights = DEFAULT_WEIGHTS
) -> MatchScore | None:
    """Return the explained score of a pair whose cosine and lexical value are known, or None if never allowed."""
    if not pair_allowed(need.record, offer.record, now):
        return None
    from givefirst.domain.match_text import head_clash

    fresh = freshness(need.record.created_at, now, w)
    clash = head_clash(need.phrases, offer.phrases) if lexical > 0.0 else ""  # only shared words can clash
    lexical = 0.0 if clash else lexical
    return combine(
        semantic_value(cosine, w),
        lexical,
        pair_intent(need, offer, cosine, lexical, w, clash=clash),
        pair_place(need, offer),
        fresh,
        w,
    )


# Appended to the place note when the need names where it is in its own words and the offer is not there (the
# calibration reads it): a local service in another city is seldom a useful introduction, however close the words
# ("a large-animal vet who does farm calls … outside Sacramento" ↔ one in Montana).
NAMED_PLACE_NOTE = "; the need names where"


def pair_place(need: Item, offer: Item) -> tuple[float, str]:
    """Return the place fit of a pair, or 0 with the constraint that rules it out (a licence, working hours, what
    one side does not do)."""
    if refused := pair_refusal(need, offer):
        return 0.0, refused
    return keyed_place(need, offer)


def pair_refusal(need: Item, offer: Item) -> str:
    """Return what the offer says it does not do that the need says (`match_refusals`), or ""."""
    refusals = offer.refusals()
    if not refusals:
        return ""
    from givefirst.domain.match_refusals import refusal_clash

    found = refusal_clash(refusals, need.phrases.words)
    return f"refused: {found}" if found else ""


def keyed_place(need: Item, offer: Item) -> tuple[float, str]:
    """`pair_place` without what one side refuses: a function of the two places, their constraints and whether the
    need names where it is, so `match_exact` can remember it for every pair that has the same."""
    from givefirst.domain.location import place_fit
    from givefirst.domain.match_constraints import constraint_clash

    a, b = need.constraints, offer.constraints
    clash = constraint_clash(a, b) if a.named and b.named else ""
    if clash:
        return 0.0, clash
    fit, note = place_fit(need.place, offer.place)
    return (fit, note + NAMED_PLACE_NOTE) if fit < 1.0 and need.names_place else (fit, note)


def pair_intent(
    need: Item, offer: Item, cosine: float, lexical: float, w: MatchWeights = DEFAULT_WEIGHTS, *, clash: str = ""
) -> tuple[float, str]:
    """Return the intent factor of a pair: the market sides, how surely each was read, and whether roles agree.

    `clash`: the words the two share only modify different heads (`match_text.head_clash`): not the same role.
    """
    from givefirst.domain.match_text import OPPOSITE, SAME_SIDE_SOFT, Side, intent_fit, peers

    a, b = need.reading, offer.reading
    shared = peers(a, b)
    if shared and OPPOSITE.get(a.side) is not b.side:
        # The offer asks "too" for what the need asks for: a peer in the same search, not an answer to it.
        return SAME_SIDE_SOFT, f"both looking for it ({shared})"
    route = (b.route and a.side is Side.WORK_SUPPLY) or (a.route and b.side is Side.WORK_SUPPLY)
    fits = role_fits(cosine, lexical, w) and not clash
    value, note = intent_fit(a.side, b.side, sure=a.sure and b.sure, fits=fits, route=route)
    return value, f"{note}; shared words name other things ({clash})" if clash else note


def broker_value(strengths: list[float], readiness: list[float]) -> float:
    """Return how well the user can make an introduction: mean tie strength and ask readiness with both sides.

    `readiness` per side: 1 ready, 0.6 caution, 0.3 not ready (asking someone to take an introduction draws on
    the relationship like any ask).
    """
    if not strengths:
        return 0.0
    s = sum(clamp(x) for x in strengths) / len(strengths)
    r = sum(clamp(x) for x in readiness) / len(readiness) if readiness else 0.0
    return clamp(0.5 * s + 0.5 * r)
