"""Location compatibility of two needs or offers, read from free text with the offline gazetteer.

A `Place` is everything an item says about where it applies: the places named in its location and in its text
("Cleveland, OH (moving to Orlando)", "Tampa or remote"), whether it works remotely and whether it insists on
being on site ("onsite only", "in the office every day", "not open to remote").

`place_fit` scores two places in [0, 1]: the closest pair of named places decides — same city 1.0, same metro
area 0.9, same state 0.7, same country 0.45, further apart 0.2 — and remote work lifts it to at least 0.85. A
place inside a state or metro area that one side's text names as where it applies ("roles in Florida") counts as
the same city, unless that text names a city as well. An explicit onsite requirement ("on site", "on-site", "in
person", "in the office") against a place that is not in the same state is a mismatch (0.0), as is onsite against
"remote only"; a text that offers either ("on site in the Triangle or remote over Zoom") insists on neither and
works remotely. Nothing known about either side is neutral (0.6). Where an item has a home base, a city its text
names only as a modifier ("Detroit engines", with no "in", "near", "to" … before it: `gazetteer.loose_places`) is
not one of its places. A need that names its own home state as where it applies ("a family lawyer in Illinois", from
Chicago) keeps to it: an offer across the state line counts at best as the same state (0.7), however near, since
licences, courts and benefits stop at the border. A side that keeps to a state or a country in so many words
("licensed in Pennsylvania only", "fully remote within the US", "clients in Ontario only") rules out the other side
when none of its places lies there (`outside_limit`). A side that serves a whole country ("nationwide", "work in all
50 states", "Canada-wide") is as near as remote work (0.85) to anyone in it, and so is a seeker who will move for the
right role ("happy to relocate") to a place elsewhere (engine m20).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from givefirst.domain.gazetteer import STATES, PlaceRef, find_places, limits, loose_places, region_name
from givefirst.domain.lazy_regex import lazy
from givefirst.domain.world_places import NAME_RUN, home_places, limits_abroad, text_places_abroad, whole_countries

US_STATES = frozenset(STATES)  # two-letter codes
STATE_NAMES = {name.removesuffix(" state"): code for code, name in STATES.items()}  # "florida": "FL"

SAME_CITY, SAME_METRO, SAME_STATE, SAME_COUNTRY, ELSEWHERE = 1.0, 0.9, 0.7, 0.45, 0.2
REMOTE_FLOOR, UNKNOWN = 0.85, 0.6
CROSS_STATE = SAME_STATE  # at best, a place across the line of the state a need names as where it applies

# (m21) "Anywhere" followed by a place it keeps to ("anywhere in KZN", "anywhere around town") is a local service's
# reach, not work at a distance; "from anywhere" or "anywhere in the world" is, and so are telehealth and the phone.
_REMOTE = lazy(
    r"\b(remote(ly)?|virtual(ly)?|online|over zoom|distributed|telehealth|by phone|over the phone"
    r"|anywhere(?!\s+(?:in|within|around|near|inside|across|throughout)\s+(?!the\s+(?:world|globe)\b)(?!\w+\s+time)"
    r"(?!europe|the\s+eu\b|north\s+america|the\s+americas|asia|africa))"
    r")\b",
    re.IGNORECASE,
)
_ONSITE = lazy(
    r"\b(on[- ]?site|in[- ]person|in the office|in-office|in office|office \d+ days"
    # (m36) days of presence a week: "hybrid, 2 days a week in SF", "3 days a week in the office", "hybrid (two days)"
    r"|(?:\d|one|two|three|four)\s+days?\s+(?:a|per|each)\s+week\s+(?:in|at)\b"
    r"|hybrid\b[^.;!?]{0,20}?\b(?:\d|one|two|three|four)\s+days?\b"
    # (m32) being there said as presence: "has to be in the room with the band", "must be physically present"
    r"|(?:(?:has|have|need|needs)\s+to|must)\s+be\s+(?:\w+\s+)?in\s+the\s+(?:same\s+)?room|physically\s+present)\b",
    re.IGNORECASE,
)
_NOT_REMOTE = lazy(
    r"\b(no|not|never|can'?t|cannot|won'?t|don'?t)\b[^.;!?]{0,30}\bremote(ly)?\b|\bremote(ly)?\b[^.;!?]{0,12}\bnot\b",
    re.IGNORECASE,
)
_REMOTE_ONLY = lazy(r"\bremote\b[^.;!?]{0,20}\bonly\b|\bonly\b[^.;!?]{0,12}\bremote\b", re.IGNORECASE)
# On site or remote, either way ("on site anywhere in the Triangle, or remote over Zoom"; "remote or in person"):
# a choice offered, not an insistence on being there.
_AT_A_DISTANCE = r"(remote(ly)?|virtual(ly)?|online|zoom|video|telehealth|by phone)"
_EITHER = lazy(
    rf"\b(on[- ]?site|in[- ]person|in the office|hybrid)\b[^.;!?]{{0,40}}\bor\b[^.;!?]{{0,20}}\b{_AT_A_DISTANCE}\b"
    rf"|\b{_AT_A_DISTANCE}\b[^.;!?]{{0,20}}\bor\b[^.;!?]{{0,40}}\b(on[- ]?site|in[- ]person)\b"
    # (m20) work at a distance offered anywhere beside the visits: "Calgary area in person, virtual consults anywhere"
    rf"|\b{_AT_A_DISTANCE}\b[^.;!?]{{0,25}}\b(anywhere|worldwide|any time ?zones?|nationwide)\b",
    re.IGNORECASE,
)
# (m20) Serving a whole country: "work in all 50 states", "nationwide", "Canada-wide", "across Canada", "anywhere in
# the UK". A country so served is as near as remote work is, wherever in it the other side is.
_NATIONWIDE = lazy(
    r"\b(nation-?wide|all 50 states|country-?wide|coast to coast"
    r"|anywhere in the (?:country|50 states|continental|lower 48|states))\b",
    re.IGNORECASE,
)
_WIDE = lazy(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?)-wide\b")
_ACROSS = lazy(
    r"\b(?i:anywhere|everywhere|all over|across|throughout)\s+(?:(?i:in|the)\s+){0,2}"
    r"([A-Z][\w'’.]*(?:\s+[A-Z][\w'’.]*){0,2})"
)
# (m20) A seeker who will move for the right role: a job elsewhere is no mismatch for them ("happy to relocate",
# "open to moving"), unless they say they will not ("not relocating", "can't relocate").
_RELOCATES = lazy(  # (a move to a named place is not this: `_destination` reads where)
    r"(?<!not )(?<!n't )(?<!n’t )\b(?:happy|willing|open|able|ready|keen|glad)\s+to\s+(?:relocat\w*|mov(?:e|ing))\b"
    r"(?!\s+(?:back\s+)?to\b)"
    r"|(?<!not )(?<!n't )(?<!n’t )\b(?:will|can|could)\s+relocate\b(?!\s+(?:back\s+)?to\b)"
    # (m29) "I'll move.", "I can move for the right role": the speaker moving, at the end of a clause or for work
    # (not "I can move your piano"; "I'll move anywhere in the Midwest" is a region, not anywhere)
    r"|\b(?:I'll|I’ll|I\s+will|I\s+can|I'd|I’d|I\s+would|we'll|we’ll|we\s+will|we\s+can)\s+(?:happily\s+)?"
    r"(?:move|relocate)(?=\s*(?:[.;,!)—–]|$)|\s+(?:anywhere(?!\s+(?:in|within|across|around)\b)"
    r"|for\s+(?:the\s+right|a\s+good|work|a\s+job)|if\s+needed))",
    re.IGNORECASE,
)
_FINE = lazy(r"\b(in[- ]office|on[- ]?site|in the office)\b[^.;!?]{0,10}\b(is )?(fine|ok|okay|optional)\b", re.I)


def mentions_remote(text: str) -> bool:
    return bool(_REMOTE.search(text))


def mentions_onsite(text: str) -> bool:
    """Whether a text insists on being there in person ("on site in Omaha", not "in-office is fine" or "on site or
    remote")."""
    return bool(_ONSITE.search(text)) and not _FINE.search(text) and not _EITHER.search(text)


_IN_STATE = r"\b(?:in|across|throughout|within)\s+(?:the\s+state\s+of\s+)?"
_LISTED = r"[\w ,]{0,30}\b(?:and|or)\s+"  # "in Indiana or Illinois"
# The state as the qualifier of whom the need asks for: "need a Missouri probate attorney", "looking for an Ohio
# CPA", "recommend a Texas-licensed inspector".
_ASKED = r"\b(?:need|needs|want|wants|looking\s+for|find|recommend|hire|hiring)\s+(?:an?\s+|the\s+|some\s+)?"


def _stated(text: str, state: str) -> bool:
    """Whether a text names a state as where it applies: right after a word that places something in it
    ("licensed in Ohio", "jobs across Ohio or Indiana"), as the qualifier of whom it asks for ("need a Missouri
    probate attorney") or of a licence ("a Texas-licensed inspector"); not as any other modifier ("a UT student",
    "the Arkansas Valley outfitters", "an Illinois nonprofit looking for a grant writer")."""
    name = re.escape(STATES[state].removesuffix(" state"))
    placed = f"{_IN_STATE}(?:{_LISTED})?{name}\\b|{_ASKED}{name}\\b|\\b{name}[- ]licen[cs]ed\\b"
    return bool(re.search(placed, text, re.IGNORECASE))


# A move ahead, in the present or future ("relocating to", "moving back to", "a move to", "headed to"), not one made
# ("moved to Denver in 2019": that is home now, and the location field says so).
MOVE_AHEAD = r"\b(?:relocat(?:e|es|ing)|mov(?:e|es|ing)|head(?:ed|ing))\s+(?:back\s+)?to\s+(?:the\s+)?"
_MOVE = lazy(MOVE_AHEAD, re.I)
_CLAUSE = lazy(r"[.;!?()\n]|\s(?:and|but|for|with|after|because)\s")


def _destination(text: str) -> tuple[PlaceRef, ...]:
    """The places a text says its speaker is moving to, or ()."""
    found: list[PlaceRef] = []
    for m in _MOVE.finditer(text):
        after = text[m.end() : m.end() + 40]
        stop = _CLAUSE.search(after)
        found += [r for r in find_places(after[: stop.start()] if stop else after) if r not in found]
    return tuple(found)


# (m21) A seeker after work in another country ("looking for a US job", "want work in the UK"): that country is
# where they want to be, as a move ahead says (`_destination`), unless it is their home's.
_SEEKING = lazy(r"look|seek|want|hop|open|need")  # (the cheap test first)
_WORK_IN = lazy(
    rf"\b(?i:looking\s+for|seeking|want(?:ing)?|hoping\s+for|open\s+to|need)\s+"
    rf"(?:(?i:an?|any|some)\s+({NAME_RUN})[- ](?:based\s+)?(?:job|role|position|post|employer|company|opening)s?\b"
    rf"|(?:an?\s+)?(?:jobs?|roles?|positions?|posts?|work|employment|openings?)\s+in\s+(?:the\s+)?({NAME_RUN}))"
)


def _work_abroad(text: str, home: tuple[PlaceRef, ...]) -> tuple[PlaceRef, ...]:
    """The countries other than its home's where a seeker's text says it wants work (`_WORK_IN`)."""
    at_home = {h.country for h in home}
    found: list[PlaceRef] = []
    for m in _WORK_IN.finditer(text):
        found += [r for r in whole_countries(m.group(1) or m.group(2)) if r.country not in at_home and r not in found]
    return tuple(found)


class Place(NamedTuple):
    """Where a need or offer applies, read once from its location and text."""

    refs: tuple[PlaceRef, ...]
    remote: bool  # works remotely (or the place does not bind)
    onsite: bool  # insists on being there in person
    remote_only: bool
    regions: tuple[PlaceRef, ...] = ()  # the states and metro areas the text itself names ("roles in Florida")
    stated: tuple[str, ...] = ()  # its home state, named as where it applies (`_stated`: "a lawyer in Ohio")
    only: tuple[PlaceRef, ...] = ()  # the states or countries it keeps to (`gazetteer.limits`: "Ohio clients only")
    reach: tuple[str, ...] = ()  # the countries it serves throughout ("nationwide", "Canada-wide")
    relocates: bool = False  # will move for the right role ("happy to relocate")
    seeks_in: tuple[str, ...] = ()  # the countries other than its home's where it wants work ("a US job")
    reach_states: tuple[str, ...] = ()  # the US states it serves throughout ("anywhere in Colorado", "statewide")

    @classmethod
    def of(cls, location: str | None, text: str = "") -> Place:
        both = f"{location or ''} ; {text}"
        lower = text.lower()  # (substring tests first: most texts name no state, no move and no work abroad)
        # (A city the hand-written gazetteer lacks is read from GeoNames' only in a location field: `world_places`.)
        home = home_places(location)
        named = find_places(text, prose=True) + _abroad(location, home, text)
        if home and named:  # the home base says where the speaker is; a city named only as a modifier is no place
            loose = loose_places(text)  # ("knows Cummins and Detroit engines": two diesel shops are not in Detroit)
            named = tuple(r for r in named if not (r.city and r.city in loose))
            # The home base's city named again in the text, with no state of its own, is the home base's ("Serving
            # Columbus, Phenix City" from Columbus, GA is not the gazetteer's Columbus, Ohio; "Portland, Oregon"
            # from Portland, Maine stays Oregon's).
            ours = {h.city: h for h in home if h.city}
            named = tuple(
                ours[r.city] if r.city in ours and r.state != ours[r.city].state and not _names_state(text, r.state)
                else r
                for r in named
            )  # fmt: skip
        refs = home + tuple(r for r in named if r not in home)
        # A side that is moving says where it will be: "relocating to Phoenix in August" from "Cincinnati" wants
        # openings in Phoenix, and a Cincinnati practitioner is no nearer for it than one anywhere else.
        moving_to = _destination(both)
        seeks_in = _work_abroad(text, home) if home and _SEEKING.search(lower) else ()
        moving_to += tuple(r for r in seeks_in if r not in moving_to)
        if moving_to and any(h not in moving_to for h in home):
            refs = moving_to + tuple(r for r in refs if r not in home and r not in moving_to)
        not_remote = bool(_NOT_REMOTE.search(both)) and not _REMOTE_ONLY.search(both)
        remote = bool(_REMOTE.search(both)) and not not_remote
        onsite = mentions_onsite(text) or not_remote
        remote_only = bool(_REMOTE_ONLY.search(both)) and not onsite
        # A region is where the text applies only when it names no city: "our condo in Miami" applies in Miami,
        # whatever else ("a Florida-licensed agent") it says of Florida.
        aside = (
            _set_aside(text)
            if ("not" in lower or "xcept" in lower or "xcluding" in lower or "other than" in lower)
            else ()
        )
        regions = (
            () if any(r.city for r in named) else tuple(r for r in named if (r.metro or r.state) and r not in aside)
        )
        # The speaker's own state, named as where the statement applies ("a family lawyer in Illinois", from
        # Chicago). A state away from home is a destination or a topic ("a summer flying in Alaska"), not a limit;
        # a city named beside it does not take it back ("a house in St. Louis … a Missouri probate attorney").
        stated = tuple(
            dict.fromkeys(
                h.state
                for h in home
                if h.state and STATES[h.state].removesuffix(" state") in lower and _stated(text, h.state)
            )
        )
        only = limits(text) + limits_abroad(text)
        reach, reach_states = _reach(text, home + named)
        relocates = ("relocat" in lower or "mov" in lower) and bool(_RELOCATES.search(text))
        return cls(
            refs, remote, onsite and not remote_only, remote_only, regions, stated, only, reach, relocates,
            tuple(r.country for r in seeks_in), reach_states,
        )  # fmt: skip

    @property
    def known(self) -> bool:
        return bool(self.refs)


_LOCATED = r"\b(?i:in|at|near|around|outside|from|to|serving)\s+(?:(?i:the)\s+)?"


def _written_town(location: str) -> str:
    """The town a location field names first, as written ("Bath" of "Bath, Maine (summers in Bar Harbor)")."""
    return location.split(",")[0].split("(")[0].strip()


def names_home_town(location: str, text: str) -> bool:
    """(m22) Whether a text names its home base's town, as written there, after a word that places something ("a
    memorial in Wellington" from Wellington, Florida): where it happens matters to it, as `find_places` tells for
    the towns it knows. (A location that is no name, "remote (Atlanta)", names no town.)"""
    town = _written_town(location)
    return town[:1].isupper() and bool(re.search(_LOCATED + re.escape(town) + r"\b", text))


# (m22) A place named only to be set aside ("Not California — we've been referred to two there", "anywhere except
# Texas") is no place the statement applies in.
_SET_ASIDE = lazy(r"\b(?i:not|except|excluding|other than)\s+(?:(?i:in)\s+)?((?:[A-Z][\w'’.]*\s?){1,3})")


def _set_aside(text: str) -> tuple[PlaceRef, ...]:
    return tuple(r for m in _SET_ASIDE.finditer(text) for r in find_places(m.group(1)))


def _abroad(location: str | None, home: tuple[PlaceRef, ...], text: str) -> tuple[PlaceRef, ...]:
    """`text_places_abroad`, without a city of the home base's name: "after school in Bath" from Bath, Maine is
    that Bath, not GeoNames' most populous one (as `Place.of` keeps the gazetteer's cities named again)."""
    found = text_places_abroad(text)
    if not found or not location or not home:  # (an unknown home base: "around Wellington")
        return found
    town = _written_town(location).lower()
    return tuple(r for r in found if r.city != town)


def _reach(text: str, places: tuple[PlaceRef, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The countries and the US states a text says it serves throughout.

    Countries: its own for "nationwide" or "all 50 states", else one named as "Canada-wide", "across Canada" or
    "anywhere in the UK" (`gazetteer.limits` and `limits_abroad` read the names). States (m21): "anywhere in
    Colorado", "across NC", or its own for "statewide" and "anywhere in the state"; a local service that travels
    the whole state is as near to anyone in it as work at a distance is, where the same state alone is less."""
    lower = text.lower()
    if "wide" not in lower and "state" not in lower and "coast" not in lower and not _ACROSS_WORD.search(text):
        return (), ()  # (every form below holds one of these)
    countries: list[str] = []
    states: list[str] = []
    if _NATIONWIDE.search(text):
        countries += [p.country for p in places[:1] if p.country]
    if _STATEWIDE.search(text):
        states += [p.state for p in places[:1] if p.state]
    for m in _WIDE.finditer(text):
        countries += [
            r.country for r in find_places(m.group(1)) + limits_abroad(f"anywhere in {m.group(1)}") if not r.state
        ]
    for m in _ACROSS.finditer(text):
        named = find_places(m.group(1))
        countries += [r.country for r in named if not (r.state or r.city or r.metro)]
        countries += [r.country for r in limits_abroad(f"anywhere in {m.group(1)}") + whole_countries(m.group(1))]
        states += [r.state for r in named if r.state and not (r.city or r.metro)]
    return tuple(dict.fromkeys(countries)), tuple(dict.fromkeys(states))


_ACROSS_WORD = lazy(r"\b(?:anywhere|everywhere|all over|across|throughout)\b", re.IGNORECASE)
_STATEWIDE = lazy(r"\b(?:state-?wide|(?:(?:anywhere|everywhere) in|all over|across|throughout) the state)\b", re.I)


def _names_state(text: str, state: str) -> bool:
    """Whether a text names a US state, by its code in capitals or by its name."""
    if not state or state not in STATES:
        return False
    return bool(re.search(rf"\b{state}\b", text)) or STATES[state].removesuffix(" state") in text.lower()


def _closeness(a: PlaceRef, b: PlaceRef) -> float:
    if a.city and a.city == b.city and a.metro == b.metro:
        return SAME_CITY
    if a.metro and a.metro == b.metro:
        return SAME_METRO
    if a.state and a.state == b.state:
        return SAME_STATE
    if a.country and a.country == b.country:
        return SAME_COUNTRY
    return ELSEWHERE


def _inside(place: PlaceRef, region: PlaceRef) -> bool:
    """Whether a place lies in a region (a metro area, or a state when the region names no metro)."""
    return place.metro == region.metro if region.metro else place.state == region.state


def geo_closeness(a: Place, b: Place) -> float | None:
    """Return how close the nearest two named places are, or None when either side names none.

    A place inside a region one side's text names as where it applies ("roles in Florida", "anywhere in the Bay
    Area") is as close as the same city: `place_fit` asks `named_region` first.
    """
    if not (a.known and b.known):
        return None
    return max(_closeness(x, y) for x in a.refs for y in b.refs)


def named_region(a: Place, b: Place) -> str:
    """Return the region one side's text names as where it applies that holds a place of the other side
    ("Florida", "the San Francisco area"), or "" when there is none.

    Tampa is where a seeker of roles in Florida wants to be, wherever in the state they live. A home location is
    no such region: someone who only says they are in Florida may live far from Tampa.
    """
    for regions, places in ((a.regions, b.refs), (b.regions, a.refs)):
        for region in regions:
            if any(_inside(place, region) for place in places):
                return f"the {region.metro.title()} area" if region.metro else STATES[region.state].title()
    return ""


def outside_named_state(need: Place, offer: Place) -> str:
    """Return the state a need names as where it applies ("a family lawyer in Illinois") when none of the offer's
    places is in it (an attorney in Hammond, Indiana), or "" when there is none.

    Only a state counts, not a metro area: licences, courts, taxes and benefits stop at its border, however close
    the two cities are. Only the need's words count: an offer's "six years at a county center in Idaho" is its past,
    not a limit. Call it when `named_region` found nothing.
    """
    if need.stated and offer.refs and not any(p.state in need.stated for p in offer.refs):
        return STATES[need.stated[0]].title()
    return ""


def _within(place: PlaceRef, limit: PlaceRef) -> bool:
    if limit.metro and place.metro:  # (m34) a metro area kept to
        return place.metro == limit.metro
    # (a place named only by its state or country may be inside the metro area kept to)
    return place.state == limit.state if limit.state else place.country == limit.country


def outside_limit(need: Place, offer: Place) -> str:
    """Return why a pair is ruled out by a state or country one side keeps to in so many words (`Place.only`), or "".

    An offer's limit binds wherever the need's person is, remote or not: a therapist "licensed in Pennsylvania
    only" cannot see a client in New Jersey by video, and a job "fully remote within the US" does not hire in Cape
    Town. A need's limit ("jobs in Ohio only") binds an offer only where the offer's work is done, so remote work
    passes it. A side that names no place is not ruled out: it may well be inside.
    """
    if offer.only and need.known and not any(_within(p, lim) for p in need.refs for lim in offer.only):
        return f"only in {' or '.join(map(region_name, offer.only))}, and the need is elsewhere"
    if (
        need.only
        and offer.known
        and not offer.remote
        and not any(_within(p, lim) for p in offer.refs for lim in need.only)
    ):
        return f"only in {' or '.join(map(region_name, need.only))}, and the offer is elsewhere"
    return ""


def place_fit(a: Place, b: Place) -> tuple[float, str]:
    """Return the location fit of two places in [0, 1] with a short reason; `a` is the need's (or the one asked
    about), `b` the offer's."""
    limit = outside_limit(a, b)
    if limit:
        return 0.0, limit
    region = named_region(a, b)  # (never found unless both sides name a place)
    geo = SAME_CITY if region else geo_closeness(a, b)
    state = "" if region or geo is None or geo <= CROSS_STATE else outside_named_state(a, b)
    if (a.onsite and b.remote_only) or (b.onsite and a.remote_only):
        return 0.0, "one side is onsite only, the other remote only"
    near = geo is not None and geo >= REMOTE_FLOOR
    if (a.relocates or b.relocates) and not near:
        return REMOTE_FLOOR, "willing to relocate"  # (m20) a place elsewhere is where they may go
    if not near and (served := _served(a, b)):
        return REMOTE_FLOOR, f"serves all of {served}"
    if not near and (sought := _sought(a, b)):
        return REMOTE_FLOOR, f"wants work in {sought}"  # (m21) anywhere in it: a move ahead
    if a.onsite or b.onsite:
        if geo is not None and geo < SAME_STATE:
            return 0.0, "onsite only, and the other side is elsewhere"
        if geo is not None and geo < SAME_METRO:
            return 0.35, "onsite only, same state but another city"
    if geo is None:
        return (REMOTE_FLOOR, "remote") if a.remote or b.remote else (UNKNOWN, "a place is unknown")
    if region:
        return SAME_CITY, f"in {region}, where one side says it applies"
    labels = {SAME_CITY: "same city", SAME_METRO: "same metro area", SAME_STATE: "same state"}
    if (a.remote or b.remote) and not (a.onsite or b.onsite) and (state or geo < REMOTE_FLOOR):
        return REMOTE_FLOOR, "remote"
    if state:
        return CROSS_STATE, f"outside {state}, where one side says it applies"
    return geo, labels.get(geo, "same country" if geo == SAME_COUNTRY else "far apart")


def _served(a: Place, b: Place) -> str:
    """The country or US state one side serves throughout that holds a place of the other ("" when none)."""
    return _holding((b.reach, b.reach_states, a.refs), (a.reach, a.reach_states, b.refs))


def _sought(a: Place, b: Place) -> str:
    """The country abroad one side wants work in that holds a place of the other ("" when none)."""
    return _holding((a.seeks_in, (), b.refs), (b.seeks_in, (), a.refs))


def _holding(*sides: tuple[tuple[str, ...], tuple[str, ...], tuple[PlaceRef, ...]]) -> str:
    """The name of the first country or US state of one side that holds a place of the other ("" when none)."""
    for countries, states, places in sides:
        for country in countries:
            if any(p.country == country for p in places):
                return region_name(PlaceRef("", "", "", country))
        for state in states:
            if any(p.state == state for p in places):
                return region_name(PlaceRef("", "", state, "US"))
    return ""


def location_fit(a: str | None, b: str | None, text: str = "") -> float:
    """Return how compatible two places are (see `place_fit`); `text` is what the two sides wrote."""
    return place_fit(Place.of(a, text), Place.of(b))[0]
