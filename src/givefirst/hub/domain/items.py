"""Needs and offers on the board: what a member may write, and the terms the board filters on (pure rules).

The board filters by index look-ups, never by scanning texts: each item is stored with its terms — its tags
(`t:`), the places its location names with every level the gazetteer knows (`p:city:`, `p:metro:`,
`p:state:`, `p:country:`) and the stems of its words (`w:`, the matching engine's own `tokens`). A place asked
for is read with the same gazetteer at its own level, so that "Tampa" (a metro) finds Clearwater and St.
Petersburg, "Florida" finds every Florida town, and "Clearwater" finds only Clearwater.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from givefirst.domain.gazetteer import find_places
from givefirst.domain.match_text import tokens
from givefirst.errors import InvalidInputError
from givefirst.hub.domain.access import Visibility

KINDS = ("need", "offer")
MAX_TEXT = 2000
MAX_TAGS = 10
MAX_TAG = 40
MAX_LOCATION = 200
MAX_TERM = 120
MAX_QUERY_WORDS = 6
PAGE_SIZE = 50
_TAG = re.compile(r"^[\w][\w +&./-]*$")


def clean_kind(kind: str) -> str:
    value = (kind or "").strip().lower()
    if value not in KINDS:
        raise InvalidInputError(f"kind must be need or offer, not {kind!r}")
    return value


def clean_text(text: str) -> str:
    """Return the text as the member wrote it, trimmed; it must say something and stay readable."""
    value = (text or "").strip()
    if not value:
        raise InvalidInputError("text: say what you need or offer, in your own words")
    if len(value) > MAX_TEXT:
        raise InvalidInputError(f"text: at most {MAX_TEXT} characters (this one has {len(value)})")
    return value


def clean_tags(tags: Iterable[str] | str) -> tuple[str, ...]:
    """Return the tags lower-cased, de-duplicated, in the order given ("Tax, tax ,  legal" → tax, legal)."""
    raw = tags.split(",") if isinstance(tags, str) else [p for t in tags for p in str(t).split(",")]
    out: list[str] = []
    for tag in raw:
        value = " ".join(tag.strip().lower().lstrip("#").split())
        if not value or value in out:
            continue
        if len(value) > MAX_TAG or not _TAG.match(value):
            raise InvalidInputError(f"tag {tag.strip()!r}: letters, digits, spaces and - . / & + only, up to {MAX_TAG}")
        out.append(value)
    if len(out) > MAX_TAGS:
        raise InvalidInputError(f"at most {MAX_TAGS} tags (this item has {len(out)})")
    return tuple(out)


def clean_location(location: str | None) -> str | None:
    value = " ".join((location or "").split())
    if len(value) > MAX_LOCATION:
        raise InvalidInputError(f"location: at most {MAX_LOCATION} characters")
    return value or None


def clean_visibility(value: str | Visibility) -> Visibility:
    try:
        return Visibility(value)
    except ValueError:
        names = ", ".join(v.value for v in Visibility)
        raise InvalidInputError(f"visibility must be one of {names}, not {value!r}") from None


def place_terms(location: str | None) -> set[str]:
    """Return the place terms of a location: every level of every place it names."""
    out: set[str] = set()
    for ref in find_places(location):
        for level, value in (("city", ref.city), ("metro", ref.metro), ("state", ref.state), ("country", ref.country)):
            if value:
                out.add(f"p:{level}:{value.lower()}"[:MAX_TERM])
    return out


def place_query(place: str) -> str:
    """Return the one term a place filter asks for, at the level the place is named (a metro finds its towns)."""
    refs = find_places(place)
    if not refs:
        raise InvalidInputError(
            f"place {place.strip()!r}: the board does not know it; name a city, a metro area, a state or a country"
        )
    ref = refs[0]
    if ref.city and ref.city != ref.metro:
        level, value = "city", ref.city
    elif ref.metro:
        level, value = "metro", ref.metro
    elif ref.state:
        level, value = "state", ref.state
    else:
        level, value = "country", ref.country
    return f"p:{level}:{value.lower()}"[:MAX_TERM]


def word_terms(text: str) -> set[str]:
    return {f"w:{w}"[:MAX_TERM] for w in tokens(text)}


def item_terms(text: str, tags: Iterable[str], location: str | None) -> set[str]:
    """Return every term the board can find an item by."""
    return word_terms(text) | {f"t:{t}"[:MAX_TERM] for t in tags} | place_terms(location)


def query_words(query: str) -> list[str]:
    """Return the word prefixes a text search asks for (each must match): the stems of its content words."""
    words = list(dict.fromkeys(tokens(query or "")))
    if len(words) > MAX_QUERY_WORDS:
        raise InvalidInputError(f"search: at most {MAX_QUERY_WORDS} words")
    return [f"w:{w}"[:MAX_TERM] for w in words]


def clean_page(page: int) -> int:
    if page < 1 or page > 10_000:
        raise InvalidInputError("page must be between 1 and 10000")
    return page
