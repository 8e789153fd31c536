"""A simple need ↔ offer matcher: shared words and tags, place, intent and freshness.

score = intent · (0.65 · lexical + 0.20 · location + 0.15 · freshness), in [0, 1]

* lexical: cosine of the two sets of content words (stop words dropped, light stemming), blended 60/40 with
  the Jaccard overlap of tags when both sides have tags;
* location: `location.location_fit` of the two places;
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
from givefirst.domain.location import location_fit
from givefirst.domain.model import Component, Explained, NeedOrOffer

# Apostrophes are removed before splitting, so contractions appear here without them ("we're" → "were").
_STOP_TEXT = """
a about after all also am an and any anyone are as at be been but by can could do for from get good happy have help
i if in into is it its just know like looking me more my need next of on one or our out over really so some someone
something than that the their them then there these they this to up us very want was we were what when where who
will with would you your im ive id ill well youre youve theyre dont cant wont thats whats lets let new
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
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
    """A need or offer with its words and tags worked out once, so scoring many pairs stays cheap."""

    item: NeedOrOffer
    words: frozenset[str]
    tags: frozenset[str]
    seeking: bool

    @classmethod
    def of(cls, item: NeedOrOffer) -> Prepared:
        return cls(item, content_words(item.text), frozenset(t.lower() for t in item.tags),
                   bool(_SEEKING.search(item.text)))  # fmt: skip


def lexical_fit(need: Prepared, offer: Prepared) -> float:
    """Return the word-and-tag overlap of a need and an offer in [0, 1]."""
    a, b = need.words, offer.words
    words = len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0
    if need.tags and offer.tags:
        return 0.6 * words + 0.4 * len(need.tags & offer.tags) / len(need.tags | offer.tags)
    return words


def freshness(created_at: datetime | None, now: datetime) -> float:
    """Return 1 for a fresh need, halving every 90 days after its first 30."""
    if created_at is None:
        return 1.0
    return decay_factor(days_between(created_at, now) - 30.0, 90.0)


def intent_fit(need: Prepared, offer: Prepared) -> float:
    """Return 0 when both sides are looking for a job (neither can give it), else 1."""
    return 0.0 if need.seeking and offer.seeking else 1.0


def score_prepared(need: Prepared, offer: Prepared, now: datetime) -> Explained:
    """Return how well a prepared offer serves a prepared need, with its components."""
    n, o = need.item, offer.item
    lex = lexical_fit(need, offer)
    loc = location_fit(n.location, o.location, text=f"{n.text} {o.text}")
    fresh = freshness(n.created_at, now)
    intent = intent_fit(need, offer)
    score = intent * (0.65 * lex + 0.20 * loc + 0.15 * fresh)
    return Explained(
        min(max(score, 0.0), 1.0),
        (
            Component("words and tags", lex, "shared content words and tags"),
            Component("location", loc, f"{n.location or 'anywhere'} ↔ {o.location or 'anywhere'}"),
            Component("freshness", fresh, "how recent the need is"),
            Component("intent", intent, "0 when both sides seek the same thing"),
        ),
    )


def match_score(need: NeedOrOffer, offer: NeedOrOffer, now: datetime) -> Explained:
    """Return how well `offer` serves `need`, with its components."""
    return score_prepared(Prepared.of(need), Prepared.of(offer), now)


def is_live(item: NeedOrOffer, now: datetime) -> bool:
    """Return False once a need or offer has expired."""
    return item.expires_on is None or item.expires_on >= now.date()


def best_matches(
    needs: Iterable[NeedOrOffer], offers: Iterable[NeedOrOffer], now: datetime, threshold: float
) -> list[tuple[NeedOrOffer, NeedOrOffer, Explained]]:
    """Return (need, offer, score) pairs at or above `threshold`, best first; never one person with themself.

    An inverted index on content words keeps this near-linear: only pairs that share a word or a tag are scored.
    """
    live_offers = [Prepared.of(o) for o in offers if is_live(o, now)]
    index: dict[str, list[int]] = {}
    for i, offer in enumerate(live_offers):
        for key in offer.words | {f"#{t}" for t in offer.tags}:
            index.setdefault(key, []).append(i)
    results: list[tuple[NeedOrOffer, NeedOrOffer, Explained]] = []
    for raw in needs:
        if not is_live(raw, now):
            continue
        need = Prepared.of(raw)
        keys = need.words | {f"#{t}" for t in need.tags}
        candidates = {i for k in keys for i in index.get(k, ())}
        for i in sorted(candidates):
            offer = live_offers[i]
            if offer.item.person_id == raw.person_id:
                continue
            scored = score_prepared(need, offer, now)
            if scored.score >= threshold:
                results.append((raw, offer.item, scored))
    results.sort(key=lambda r: (-r[2].score, r[0].id, r[1].id))
    return results
