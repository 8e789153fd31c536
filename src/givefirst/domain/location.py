"""Location compatibility of two free-text places ("Tampa, FL", "Brooklyn, NY", "Remote").

A small, offline reading: "City, ST" gives a city and a US state; "remote" anywhere means the place does not
bind. The connector issue replaces this with a gazetteer of metro areas.
"""

from __future__ import annotations

import re
from typing import NamedTuple

US_STATES = {
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
    "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
}  # fmt: skip
STATE_NAMES = {
    "florida": "FL", "new york": "NY", "new jersey": "NJ", "california": "CA", "texas": "TX", "georgia": "GA",
    "illinois": "IL", "massachusetts": "MA", "pennsylvania": "PA", "north carolina": "NC", "washington": "WA",
}  # fmt: skip
_REMOTE = re.compile(r"\b(remote|anywhere|virtual|online)\b", re.IGNORECASE)
_ONSITE = re.compile(r"\b(on-?site|in[- ]person|in office)\b", re.IGNORECASE)


def parse_place(text: str | None) -> tuple[str | None, str | None, bool]:
    """Return (city, state code, remote) read from a free-text place."""
    if not text:
        return None, None, False
    remote = bool(_REMOTE.search(text))
    city = state = None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if parts:
        last = parts[-1].upper()
        if last in US_STATES or parts[-1].lower() in STATE_NAMES:
            state = last if last in US_STATES else STATE_NAMES[parts[-1].lower()]
            if len(parts) >= 2:
                city = parts[-2].lower()
        elif not remote:
            city = parts[0].lower()
    if city is not None and _REMOTE.fullmatch(city):
        city = None  # "Remote, FL" names a state to be remote in, not a city
    if state is None:
        lowered = text.lower()
        for name, code in STATE_NAMES.items():
            if name in lowered:
                state = code
                break
    return city, state, remote


class Place(NamedTuple):
    """A place as read once from free text, so that comparing many pairs does not re-read it."""

    given: bool  # any text at all
    city: str | None
    state: str | None
    remote: bool

    @classmethod
    def of(cls, text: str | None) -> Place:
        city, state, remote = parse_place(text)
        return cls(bool(text), city, state, remote)


def mentions_remote(text: str) -> bool:
    return bool(_REMOTE.search(text))


def mentions_onsite(text: str) -> bool:
    return bool(_ONSITE.search(text))


def place_fit(a: Place, b: Place, *, remote_said: bool = False, onsite_said: bool = False) -> float:
    """Return the fit of two read places; `remote_said` / `onsite_said`: what the two sides wrote says so."""
    if a.city and a.city == b.city and (a.state == b.state or not (a.state and b.state)):
        return 1.0  # Portland, OR is not Portland, ME
    if a.state and a.state == b.state:
        return 0.75
    known_a, known_b = a.given and bool(a.state or a.city), b.given and bool(b.state or b.city)
    if a.remote or b.remote or (remote_said and not onsite_said) or not (known_a and known_b):
        return 0.6
    return 0.0 if onsite_said else 0.2


def location_fit(a: str | None, b: str | None, text: str = "") -> float:
    """Return how compatible two places are: 1 same city, 0.75 same state, 0.6 remote or unknown, else 0.2.

    `text` is what the two sides wrote: "remote" there counts as remote, and an explicit "onsite" requirement
    turns a different state from a weak fit into a mismatch.
    """
    return place_fit(Place.of(a), Place.of(b), remote_said=mentions_remote(text), onsite_said=mentions_onsite(text))
