"""A simple need ↔ offer matcher: shared words and tags, place, intent and freshness.

score = intent · (0.65 · lexical + 0.20 · location + 0.15 · freshness), in [0, 1]

* lexical: cosine of the two sets of content words (stop words dropped, light stemming), blended 60/40 with
  the Jaccard overlap of tags when both sides have tags;
* location: `location.place_fit` of the two places (and "remote" or "onsite" in either text);
* freshness: 1 for a need up to 30 days old, then halving every 90 days (needs go stale);
* intent: 0 when both sides seek the same thing (a job seeker does not serve another job seeker), else 1.

The full connector (BM25 and embeddings) replaces this in its own issue; this one is enough to see the obvious
give opportunities in the daily plan, and every score carries its components.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from givefirst.domain.decay import days_between, decay_factor
from givefirst.domain.location import Place, mentions_onsite, mentions_remote, place_fit
from givefirst.domain.model import Component, Explained, NeedOrOffer

# Apostrophes are removed before splitting, so contractions appear here without them ("we're" → "were").
_STOP_TEXT = """
a about after all also am an and any anyone are as at be been but by can could do for from get good happy have help
i if in into is it its just know like looking me more my need next of on one or our out over really so some someone
something than that the their them then there these they this to up us very want was we were what when where who
will with would you your im ive id ill well youre youve theyre dont cant wont thats whats lets let new
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
W_LEXICAL, W_LOCATION, W_FRESHNESS = 0.65, 0.20, 0.15
_WORD = re.compile(r"[a-z0-9][a-z0-9+#&-]*")
_SEEKING = re.compile(
    r"\b(looking for (a |my next |an? new )?(role|job|position)|job search|open to work|"
    r"next (role|job|position)|between jobs)\b",
    re.IGNORECASE,
)


def stem(word: str) -> str:
    """Return a light stem so "roles", "hiring" and "hired" meet "role" and "hire" (all "rol", "hir").

    Inflections are cut first, then a final silent "e", so that both forms land on the same stem.
    """
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not (suffix == "s" and word.endswith("ss")):
            word = word[: -len(suffix)] + keep
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def content_words(text: str) -> frozenset[str]:
    """Return the stemmed content words of a text."""
    plain = text.lower().replace("'", "").replace("’", "")
    return frozenset(stem(w) for w in _WORD.findall(plain) if w not in STOP_WORDS and len(w) > 1)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A need or offer with its words, tags and place worked out once, so scoring many pairs stays cheap."""

    item: NeedOrOffer
    words: frozenset[str]
    tags: frozenset[str]
    seeking: bool
    place: Place
    says_remote: bool
    says_onsite: bool

    @classmethod
    def of(cls, item: NeedOrOffer) -> Prepared:
        return cls(
            item,
            content_words(item.text),
            frozenset(t.lower() for t in item.tags),
            bool(_SEEKING.search(item.text)),
            Place.of(item.location),
            mentions_remote(item.text),
            mentions_onsite(item.text),
        )


def lexical_fit(need: Prepared, offer: Prepared) -> float:
    """Return the word-and-tag overlap of a need and an offer in [0, 1]."""
    return overlap_fit(need, offer, len(need.words & offer.words), len(need.tags & offer.tags))


def overlap_fit(need: Prepared, offer: Prepared, shared_words: int, shared_tags: int) -> float:
    """Return `lexical_fit` from the counts of shared words and tags (as counted through an inverted index)."""
    a, b = len(need.words), len(offer.words)
    words = shared_words / math.sqrt(a * b) if a and b else 0.0
    if need.tags and offer.tags:
        return 0.6 * words + 0.4 * shared_tags / (len(need.tags) + len(offer.tags) - shared_tags)
    return words


def freshness(created_at: datetime | None, now: datetime) -> float:
    """Return 1 for a fresh need, halving every 90 days after its first 30."""
    if created_at is None:
        return 1.0
    return decay_factor(days_between(created_at, now) - 30.0, 90.0)


def intent_fit(need: Prepared, offer: Prepared) -> float:
    """Return 0 when both sides are looking for a job (neither can give it), else 1."""
    return 0.0 if need.seeking and offer.seeking else 1.0


def location_of_pair(need: Prepared, offer: Prepared) -> float:
    onsite = need.says_onsite or offer.says_onsite
    return place_fit(need.place, offer.place, remote_said=need.says_remote or offer.says_remote, onsite_said=onsite)


def explain(need: Prepared, offer: Prepared, lex: float, loc: float, fresh: float, intent: float) -> Explained:
    """Return the score of a pair from its components, with the components named."""
    n, o = need.item, offer.item
    score = intent * (W_LEXICAL * lex + W_LOCATION * loc + W_FRESHNESS * fresh)
    return Explained(
        min(max(score, 0.0), 1.0),
        (
            Component("words and tags", lex, "shared content words and tags"),
            Component("location", loc, f"{n.location or 'anywhere'} ↔ {o.location or 'anywhere'}"),
            Component("freshness", fresh, "how recent the need is"),
            Component("intent", intent, "0 when both sides seek the same thing"),
        ),
    )


def score_prepared(need: Prepared, offer: Prepared, now: datetime) -> Explained:
    """Return how well a prepared offer serves a prepared need, with its components."""
    fresh = freshness(need.item.created_at, now)
    return explain(need, offer, lexical_fit(need, offer), location_of_pair(need, offer), fresh, intent_fit(need, offer))


def match_score(need: NeedOrOffer, offer: NeedOrOffer, now: datetime) -> Explained:
    """Return how well `offer` serves `need`, with its components."""
    return score_prepared(Prepared.of(need), Prepared.of(offer), now)


def is_live(item: NeedOrOffer, now: datetime) -> bool:
    """Return False once a need or offer has expired."""
    return item.expires_on is None or item.expires_on >= now.date()


def best_matches(
    needs: Iterable[NeedOrOffer],
    offers: Iterable[NeedOrOffer],
    now: datetime,
    threshold: float,
    min_lexical: float = 0.15,
    per_need: int | None = None,
) -> list[tuple[NeedOrOffer, NeedOrOffer, Explained]]:
    """Return (need, offer, score) pairs at or above `threshold`, best first; never one person with themself.

    A pair must also share some meaning (`min_lexical`): the same city and a fresh need are no reason to
    introduce two people. `per_need` keeps only each need's best few offers (the plan shows one per need), and
    only the pairs kept are given their explanation.

    An inverted index on content words keeps this near-linear: only pairs that share a word or a tag are scored.
    """
    live_offers = [Prepared.of(o) for o in offers if is_live(o, now)]
    word_index: dict[str, list[int]] = {}
    tag_index: dict[str, list[int]] = {}
    for i, offer in enumerate(live_offers):
        for word in offer.words:
            word_index.setdefault(word, []).append(i)
        for tag in offer.tags:
            tag_index.setdefault(tag, []).append(i)
    results: list[tuple[NeedOrOffer, NeedOrOffer, Explained]] = []
    for raw in needs:
        if not is_live(raw, now):
            continue
        need = Prepared.of(raw)
        fresh = freshness(raw.created_at, now)
        # The most the place could add: a pair that cannot reach the threshold even so is not scored further.
        ceiling = W_LOCATION * 1.0 + W_FRESHNESS * fresh
        # Walking the posting lists counts each candidate's shared words and tags without intersecting sets.
        shared_words: dict[int, int] = {}
        shared_tags: dict[int, int] = {}
        for word in need.words:
            for i in word_index.get(word, ()):
                shared_words[i] = shared_words.get(i, 0) + 1
        for tag in need.tags:
            for i in tag_index.get(tag, ()):
                shared_tags[i] = shared_tags.get(i, 0) + 1
        candidates = shared_words.keys() | shared_tags.keys()
        kept: list[tuple[float, int, float, float]] = []  # (score, offer index, lexical, location)
        for i in sorted(candidates):
            offer = live_offers[i]
            if offer.item.person_id == raw.person_id:
                continue
            lex = overlap_fit(need, offer, shared_words.get(i, 0), shared_tags.get(i, 0))
            if lex < min_lexical or W_LEXICAL * lex + ceiling < threshold or intent_fit(need, offer) == 0.0:
                continue
            loc = location_of_pair(need, offer)
            score = W_LEXICAL * lex + W_LOCATION * loc + W_FRESHNESS * fresh
            if score >= threshold:
                kept.append((score, i, lex, loc))
        if per_need is not None:
            kept = sorted(kept, key=lambda k: (-k[0], live_offers[k[1]].item.id))[:per_need]
        for _, i, lex, loc in kept:
            results.append((raw, live_offers[i].item, explain(need, live_offers[i], lex, loc, fresh, 1.0)))
    results.sort(key=lambda r: (-r[2].score, r[0].id, r[1].id))
    return results
