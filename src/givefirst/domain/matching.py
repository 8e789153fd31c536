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
from datetime import datetime

from givefirst.domain.decay import days_between, decay_factor
from givefirst.domain.location import location_fit
from givefirst.domain.model import Component, Explained, NeedOrOffer

_STOP_TEXT = """
a about after all also am an and any anyone are as at be been but by can could do for from get good happy have help
i if in into is it its just know like looking me more my need next of on one or our out over really so some someone
something than that the their them then there these they this to up us very want was we were what when where who
will with would you your im ive id we're i'm i've let lets new
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[a-z0-9][a-z0-9+#&-]*")
_SEEKING = re.compile(
    r"\b(looking for (a |my next |an? new )?(role|job|position)|job search|open to work|"
    r"next (role|job|position)|between jobs)\b",
    re.IGNORECASE,
)


def stem(word: str) -> str:
    """Return a light stem so "roles", "hiring" and "hired" meet "role" and "hire"."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


def content_words(text: str) -> frozenset[str]:
    """Return the stemmed content words of a text."""
    return frozenset(stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_WORDS and len(w) > 1)


def lexical_fit(need: NeedOrOffer, offer: NeedOrOffer) -> float:
    """Return the word-and-tag overlap of a need and an offer in [0, 1]."""
    a, b = content_words(need.text), content_words(offer.text)
    words = len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0
    ta, tb = {t.lower() for t in need.tags}, {t.lower() for t in offer.tags}
    if ta and tb:
        return 0.6 * words + 0.4 * len(ta & tb) / len(ta | tb)
    return words


def freshness(created_at: datetime | None, now: datetime) -> float:
    """Return 1 for a fresh need, halving every 90 days after its first 30."""
    if created_at is None:
        return 1.0
    return decay_factor(days_between(created_at, now) - 30.0, 90.0)


def intent_fit(need: NeedOrOffer, offer: NeedOrOffer) -> float:
    """Return 0 when both sides are looking for a job (neither can give it), else 1."""
    return 0.0 if _SEEKING.search(need.text) and _SEEKING.search(offer.text) else 1.0


def match_score(need: NeedOrOffer, offer: NeedOrOffer, now: datetime) -> Explained:
    """Return how well `offer` serves `need`, with its components."""
    lex = lexical_fit(need, offer)
    loc = location_fit(need.location, offer.location, text=f"{need.text} {offer.text}")
    fresh = freshness(need.created_at, now)
    intent = intent_fit(need, offer)
    score = intent * (0.65 * lex + 0.20 * loc + 0.15 * fresh)
    return Explained(
        min(max(score, 0.0), 1.0),
        (
            Component("words and tags", lex, "shared content words and tags"),
            Component("location", loc, f"{need.location or 'anywhere'} ↔ {offer.location or 'anywhere'}"),
            Component("freshness", fresh, "how recent the need is"),
            Component("intent", intent, "0 when both sides seek the same thing"),
        ),
    )


def is_live(item: NeedOrOffer, now: datetime) -> bool:
    """Return False once a need or offer has expired."""
    return item.expires_on is None or item.expires_on >= now.date()


def best_matches(
    needs: Iterable[NeedOrOffer], offers: Iterable[NeedOrOffer], now: datetime, threshold: float
) -> list[tuple[NeedOrOffer, NeedOrOffer, Explained]]:
    """Return (need, offer, score) pairs at or above `threshold`, best first; never one person with themself.

    An inverted index on content words keeps this near-linear: only pairs that share a word or a tag are scored.
    """
    live_offers = [o for o in offers if is_live(o, now)]
    index: dict[str, list[int]] = {}
    for i, offer in enumerate(live_offers):
        for key in content_words(offer.text) | {f"#{t.lower()}" for t in offer.tags}:
            index.setdefault(key, []).append(i)
    results: list[tuple[NeedOrOffer, NeedOrOffer, Explained]] = []
    for need in needs:
        if not is_live(need, now):
            continue
        keys = content_words(need.text) | {f"#{t.lower()}" for t in need.tags}
        candidates = {i for k in keys for i in index.get(k, ())}
        for i in candidates:
            offer = live_offers[i]
            if offer.person_id == need.person_id:
                continue
            scored = match_score(need, offer, now)
            if scored.score >= threshold:
                results.append((need, offer, scored))
    results.sort(key=lambda r: (-r[2].score, r[0].id, r[1].id))
    return results
