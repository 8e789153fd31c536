"""Reading need and offer texts: content words for BM25, and the market side a text speaks for (its intent).

Intent: in a labour or capital market a statement is on one side — a job seeker (or a freelancer looking for
clients) supplies work, someone hiring demands it; a founder raising money demands capital, an investor supplies
it. Whether the text is filed as a need or an offer does not change its side: "open to full-time roles" (an
offer of one's work) and "looking for my next role" (a need) are both the job seeker's. Two statements on the
same side of the same market are never an introduction (two job seekers, two people hiring, two founders
raising); opposite sides are the best kind (Pizzato et al. 2010, reciprocal recommenders). The sides are read
with a few general phrasings, not with word lists of roles.
"""

from __future__ import annotations

import re
from enum import StrEnum

# Apostrophes are removed before splitting, so contractions appear here without them ("we're" → "were").
_STOP_TEXT = """
a about after all also am an and any anyone are as at be been but by can could do does for from get good happy have
help i if in into is it its just know like looking me more my need next of on one or our out over really so some
someone something than that the their them then there these they this to up us very want was we were what when where
who will with would you your im ive id ill well youre youve theyre dont cant wont thats whats lets let new glad love
always also am how much many most other own per via vs etc re ll ve d s t yes no not only every each both few
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*")


class Side(StrEnum):
    """Which side of a market a statement speaks for; NONE for most statements (advice, intros, tickets)."""

    NONE = "none"
    WORK_SUPPLY = "seeks work"  # a job seeker, a freelancer or consultant looking for clients
    WORK_DEMAND = "hiring"  # an employer or client with a role to fill
    CAPITAL_DEMAND = "raising"  # a founder raising money
    CAPITAL_SUPPLY = "investing"  # an investor, a fund, an accelerator with cheques


OPPOSITE = {
    Side.WORK_SUPPLY: Side.WORK_DEMAND,
    Side.WORK_DEMAND: Side.WORK_SUPPLY,
    Side.CAPITAL_DEMAND: Side.CAPITAL_SUPPLY,
    Side.CAPITAL_SUPPLY: Side.CAPITAL_DEMAND,
}

_JOB = r"(roles?|jobs?|positions?|opportunit(y|ies)|work|gigs?|assignments?|contracts?|projects?|shifts?|clients?)"
_SIDES: tuple[tuple[Side, re.Pattern[str]], ...] = (
    (
        Side.WORK_DEMAND,
        re.compile(
            r"\b(we('| a)?re hiring|hiring (an? |our |for |\d )?|(is|are|am|were|still|now) hiring|looking to hire|"
            r"trying to hire|want to hire|need to hire|open (role|position|req)s?\b|openings?\b|"
            r"(roles?|positions?) (open|available)|job description|we pay\b|recruiting (an? |for )|"
            r"(full|part)-time (role|position) (open|available)|candidates\b|"
            r"(part-time|fractional|freelance|contract)( or (part-time|fractional|freelance|contract))? (is|are) fine|"
            r"offer (\w+ ){0,2}(slots|spots|openings|internships))",
            re.IGNORECASE,
        ),
    ),
    (
        Side.WORK_SUPPLY,
        re.compile(
            rf"\b(looking for (a |an |my )?(next |new |first )?([\w-]+ ){{0,3}}{_JOB}|"
            rf"open to (a )?(new )?([\w-]+ ){{0,3}}{_JOB}|searching for ([\w-]+ ){{0,3}}{_JOB}|"
            rf"seeking (a |an )?([\w-]+ ){{0,3}}{_JOB}|job[- ](search|hunt)|job seeker|"
            rf"open to work|between jobs|available (for|from|now)\b|taking on (new |a couple of |more )?clients|"
            rf"(more|new) ([\w-]+ ){{0,2}}clients|can pick up ([\w-]+ ){{0,2}}shifts|on the market\b|"
            rf"(?<!help )available\b)",
            re.IGNORECASE,
        ),
    ),
    (
        Side.CAPITAL_DEMAND,
        re.compile(r"\b(raising|fundrais(e|ing) (round|for)|looking for (angels|investors|funding))", re.IGNORECASE),
    ),
    (
        Side.CAPITAL_SUPPLY,
        re.compile(
            r"\b(angel investor|i invest|we invest|write \S+ checks|(pre-?seed|seed)[- ]stage (fund|investor)|"
            r"looking for (\S+ )?(deals|startups to back)|\$[\d.,]+k? for (\w+ ){0,2}startups)",
            re.IGNORECASE,
        ),
    ),
)


def stem(word: str) -> str:
    """Return a light stem so "roles", "hiring" and "hired" meet "role" and "hire" (all "rol", "hir")."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not (suffix == "s" and word.endswith("ss")):
            word = word[: -len(suffix)] + keep
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def tokens(text: str) -> list[str]:
    """Return the stemmed content words of a text, in order, repeats kept (BM25 counts them)."""
    plain = text.lower().replace("'", "").replace("’", "")
    return [stem(w) for w in _WORD.findall(plain) if w not in STOP_WORDS and len(w) > 1]


def content_words(text: str) -> frozenset[str]:
    """Return the set of stemmed content words of a text."""
    return frozenset(tokens(text))


def side_of(text: str) -> Side:
    """Return the market side a statement speaks for (the first phrasing found, hiring before seeking)."""
    best: tuple[int, Side] | None = None
    for side, pattern in _SIDES:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), side)
    return best[1] if best else Side.NONE


NO_SIDE_FIT = 0.75  # one side in a market, the other not: often useful (advice, a route in), less than the market


def intent_fit(need: Side, offer: Side) -> tuple[float, str]:
    """Return how the two market sides fit: 1 opposite or both neutral, 0 the same side, else `NO_SIDE_FIT`."""
    if need is Side.NONE and offer is Side.NONE:
        return 1.0, "no market side"
    if OPPOSITE.get(need) is offer:
        return 1.0, f"{need.value} ↔ {offer.value}"
    if need is offer:
        return 0.0, f"both {need.value}"
    if need is not Side.NONE and offer is not Side.NONE:
        return NO_SIDE_FIT, f"{need.value} / {offer.value}"
    return NO_SIDE_FIT, f"{(need if need is not Side.NONE else offer).value} on one side only"
