"""An offline gazetteer: US states, US metro areas with their cities, US towns, and major world cities.

The hand-written part is small: the matcher needs to know that Tampa and St. Petersburg are one metro area in
Florida, that "ATL" is Atlanta and that Berlin is in Germany. Its names are matched anywhere in a text, as whole
words, longest first, in lower case. A town it lacks is read from `us_towns` (7,500 US towns of 5,000 people or
more, with the metro area each belongs to, from GeoNames) only where it is written with its state's code —
"Fresno, CA", "outside Kentwood, MI" — the form of a location field: a town's bare name is too often a word
("Mobile", "Normal", "Independence") to be read inside a sentence.

`find_places(text)` returns every place named in a text as `PlaceRef`s (city, metro, state, country).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any, NamedTuple

from givefirst.domain.lazy_regex import lazy

# code: name
STATES = {
    "AL": "alabama", "AK": "alaska", "AZ": "arizona", "AR": "arkansas", "CA": "california", "CO": "colorado",
    "CT": "connecticut", "DE": "delaware", "DC": "district of columbia", "FL": "florida", "GA": "georgia",
    "HI": "hawaii", "ID": "idaho", "IL": "illinois", "IN": "indiana", "IA": "iowa", "KS": "kansas",
    "KY": "kentucky", "LA": "louisiana", "ME": "maine", "MD": "maryland", "MA": "massachusetts", "MI": "michigan",
    "MN": "minnesota", "MS": "mississippi", "MO": "missouri", "MT": "montana", "NE": "nebraska", "NV": "nevada",
    "NH": "new hampshire", "NJ": "new jersey", "NM": "new mexico", "NY": "new york state", "NC": "north carolina",
    "ND": "north dakota", "OH": "ohio", "OK": "oklahoma", "OR": "oregon", "PA": "pennsylvania",
    "RI": "rhode island", "SC": "south carolina", "SD": "south dakota", "TN": "tennessee", "TX": "texas",
    "UT": "utah", "VT": "vermont", "VA": "virginia", "WA": "washington state", "WV": "west virginia",
    "WI": "wisconsin", "WY": "wyoming",
}  # fmt: skip

# Regions people name instead of a state: they stand for a state (or a metro) here.
REGIONS = {
    "central florida": ("FL", "orlando"), "south florida": ("FL", "miami"), "bay area": ("CA", "san francisco"),
    "silicon valley": ("CA", "san francisco"), "front range": ("CO", "denver"), "socal": ("CA", ""),
    "norcal": ("CA", ""), "tri-state": ("NY", "new york"), "dfw": ("TX", "dallas"), "nyc": ("NY", "new york"),
    "research triangle": ("NC", "raleigh"), "twin cities": ("MN", "minneapolis"), "dmv": ("DC", "washington"),
}  # fmt: skip

# Metro area (named after its main city) | state | other cities and nicknames in it, comma-separated.
_METROS = """
new york|NY|nyc,manhattan,brooklyn,queens,bronx,staten island,jersey city,hoboken,newark,long island,yonkers
new york|NY|white plains,stamford,williamsburg
los angeles|CA|la,santa monica,pasadena,long beach,burbank,glendale,irvine,anaheim,culver city,venice
san francisco|CA|sf,oakland,berkeley,san jose,palo alto,mountain view,sunnyvale,menlo park,redwood city
san francisco|CA|fremont,santa clara,emeryville,cupertino
san diego|CA|la jolla,carlsbad,chula vista
sacramento|CA|davis,roseville
chicago|IL|evanston,oak park,naperville,schaumburg
dallas|TX|fort worth,plano,irving,frisco,denton
houston|TX|the woodlands,sugar land,katy
austin|TX|round rock,cedar park
san antonio|TX|new braunfels
washington|DC|dc,arlington,alexandria,bethesda,silver spring,reston,tysons,rockville,fairfax
philadelphia|PA|philly,camden,king of prussia,wilmington
pittsburgh|PA|
boston|MA|cambridge,somerville,brookline,quincy,newton,waltham
atlanta|GA|atl,marietta,decatur,alpharetta,sandy springs,midtown atlanta
miami|FL|fort lauderdale,boca raton,west palm beach,coral gables,miami beach,hialeah
tampa|FL|st. petersburg,st petersburg,clearwater,brandon,largo,sarasota
orlando|FL|kissimmee,winter park,sanford,lake mary
jacksonville|FL|jax
phoenix|AZ|scottsdale,tempe,mesa,chandler
seattle|WA|bellevue,redmond,tacoma,kirkland,everett
portland|OR|beaverton,hillsboro
denver|CO|boulder,aurora,lakewood,littleton,englewood,broomfield
minneapolis|MN|st. paul,saint paul
detroit|MI|dearborn,ann arbor,troy,southfield
cleveland|OH|akron
columbus|OH|
cincinnati|OH|covington
indianapolis|IN|carmel,fishers
nashville|TN|franklin,murfreesboro
memphis|TN|
charlotte|NC|rock hill
raleigh|NC|durham,chapel hill,cary,rtp
st. louis|MO|st louis,saint louis,clayton
kansas city|MO|overland park,olathe
las vegas|NV|henderson
salt lake city|UT|provo,ogden,lehi
baltimore|MD|towson
new orleans|LA|metairie
milwaukee|WI|
louisville|KY|
oklahoma city|OK|
birmingham|AL|
richmond|VA|
boise|ID|meridian,nampa
albuquerque|NM|
honolulu|HI|
anchorage|AK|
buffalo|NY|
rochester|NY|
hartford|CT|
providence|RI|
omaha|NE|
des moines|IA|
madison|WI|
west lafayette|IN|lafayette
"""

# City | country (major world cities, and the US ones that are not metros above are not needed here).
_WORLD = """
london|GB;manchester|GB;edinburgh|GB;dublin|IE;paris|FR;lyon|FR;berlin|DE;munich|DE;hamburg|DE;frankfurt|DE
amsterdam|NL;rotterdam|NL;brussels|BE;zurich|CH;geneva|CH;vienna|AT;madrid|ES;barcelona|ES;lisbon|PT;porto|PT
rome|IT;milan|IT;stockholm|SE;copenhagen|DK;oslo|NO;helsinki|FI;warsaw|PL;krakow|PL;prague|CZ;budapest|HU
athens|GR;istanbul|TR;tel aviv|IL;dubai|AE;abu dhabi|AE;riyadh|SA;cairo|EG;lagos|NG;nairobi|KE
johannesburg|ZA;cape town|ZA;mumbai|IN;bangalore|IN;bengaluru|IN;delhi|IN;new delhi|IN;hyderabad|IN
chennai|IN;pune|IN;singapore|SG;hong kong|HK;shanghai|CN;beijing|CN;shenzhen|CN;tokyo|JP;osaka|JP;seoul|KR
taipei|TW;bangkok|TH;jakarta|ID;manila|PH;sydney|AU;melbourne|AU;brisbane|AU;auckland|NZ;toronto|CA-CA
montreal|CA-CA;montréal|CA-CA;vancouver|CA-CA;calgary|CA-CA;ottawa|CA-CA;mexico city|MX;cdmx|MX
guadalajara|MX;monterrey|MX;bogota|CO-CO;bogotá|CO-CO;medellin|CO-CO;medellín|CO-CO;lima|PE;santiago|CL
buenos aires|AR-AR;sao paulo|BR;são paulo|BR;rio de janeiro|BR
"""
COUNTRY_NAMES = {
    "united states": "US", "usa": "US", "u.s.": "US", "the us": "US", "united kingdom": "GB", "uk": "GB",
    "england": "GB", "ireland": "IE", "france": "FR", "germany": "DE", "netherlands": "NL", "spain": "ES",
    "portugal": "PT", "italy": "IT", "canada": "CA-CA", "mexico": "MX", "brazil": "BR", "india": "IN",
    "japan": "JP", "australia": "AU", "israel": "IL", "singapore": "SG", "switzerland": "CH", "sweden": "SE",
}  # fmt: skip


class PlaceRef(NamedTuple):
    """One place named in a text. Empty strings where a level is unknown ("Florida": a state only)."""

    city: str
    metro: str
    state: str  # US state code
    country: str  # ISO-like code; "US" for every US place


@cache
def _table() -> dict[str, PlaceRef]:
    names: dict[str, PlaceRef] = {}
    for code, name in STATES.items():
        ref = PlaceRef("", "", code, "US")
        names[name] = ref
        names.setdefault(name.removesuffix(" state"), ref)
    names["new york state"] = PlaceRef("", "", "NY", "US")
    for line in _METROS.strip().splitlines():
        metro, state, others = line.split("|")
        names[metro] = PlaceRef(metro, metro, state, "US")
        for other in filter(None, others.split(",")):
            names.setdefault(other, PlaceRef(other, metro, state, "US"))
    for region, (state, metro) in REGIONS.items():
        names[region] = PlaceRef("", metro, state, "US")
    for chunk in _WORLD.strip().splitlines():
        for pair in chunk.split(";"):
            city, country = pair.split("|")
            names.setdefault(city, PlaceRef(city, city, "", country))
    for name, country in COUNTRY_NAMES.items():
        names[name] = PlaceRef("", "", "", country)
    names["new england"] = PlaceRef("", "", "", "US")  # (six states; and not England inside it)
    # Bare names that are also common words would misfire inside sentences ("la", "sf" are fine as whole words;
    # "washington" alone most often means DC, which the metro table already says).
    return names


def longest_first(words: Iterable[str]) -> str:
    """Return a pattern that matches any of `words`, the longest that fits first, as `"|".join` of them sorted
    longest first would: the words' letters as a tree, each word's end an optional group's end ("york(?:shire)?").

    At a given start only one path of the tree can match, and a greedy group tries its longer words before its
    shorter ones, so the first match found is the longest word there that the rest of the pattern accepts. It
    matches the same spans as the plain alternation, and scans a text two to three times faster: the plain one
    tries every word at every start (`tests/domain/test_match_location.py` compares the two)."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def grown(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + grown(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return grown(tree)


@cache
def _pattern() -> re.Pattern[str]:
    return re.compile(r"(?<![\w.])(" + longest_first(_table()) + r")(?![\w])")


# A state's name followed by "County" or "Parish" names a county, not the state ("Utah County", "Washington
# County", "Delaware County, PA": most such counties lie in other states). A city's name so followed is kept: "Salt
# Lake County" and "Los Angeles County" hold the city and lie in its metro area.
_COUNTY_AFTER = lazy(r"\s+(?:county|parish)\b")


def _a_county(lowered: str, m: re.Match[str]) -> bool:
    return m.group(1) in _STATE_NAMES and bool(_COUNTY_AFTER.match(lowered, m.end()))


_STATE_CODE = lazy(r"(?:,\s*|\b)([A-Z]{2})\b")
_STATE_NAMES = frozenset(n for name in STATES.values() for n in (name, name.removesuffix(" state")))
_WORDLIKE_CODES = frozenset({"IN", "ME", "OR", "OK", "HI", "OH", "LA", "AL", "PA", "MA", "DE", "ID", "CO"})


@lru_cache(maxsize=1 << 14)  # people's locations repeat across their items, and texts across people
def find_places(text: str | None, *, prose: bool = False) -> tuple[PlaceRef, ...]:
    """Return the places a text names, in the order they appear (cities, metros, states, countries).

    `prose`: the text is a statement, not a location field. There a state's code counts only where it is written
    as a place (`_code_placed`): in a sentence most capital pairs are something else ("AP, AR" are accounts
    payable and receivable, "an MD" a doctor, "a VA loan" the Veterans Administration's, "a CT scan").
    """
    if not text:
        return ()
    table = _table()
    # A state's code after a comma is the state, not a city's short name: "New Orleans, LA" is in Louisiana, and
    # names no Los Angeles.
    lowered = text.lower()
    found = [table[m.group(1)] for m in _pattern().finditer(lowered) if not _is_state_code(text, m)
             and not _a_county(lowered, m)]  # fmt: skip
    found += [ref for _, _, ref in _towns(text)]
    # Two-letter state codes only count in capitals ("Tampa, FL", "Boise ID"); "in" or "me" in lower case are words.
    placed_end = -1  # where the last code read as a place ends (a list goes on from it: "in NY, NJ or CT")
    for m in _STATE_CODE.finditer(text):
        code = m.group(1)
        if code not in STATES:
            continue
        if prose:  # (a code that is also a word counts where it is placed: "licensed in PA and NJ")
            after_comma = m.group(0).startswith(",")  # ("in LA" is the city; "Orleans Parish, LA" the state)
            if (code == "LA" and not after_comma) or not _code_placed(text, m.start(1), m.end(1), placed_end):
                continue
        elif not (m.group(0).startswith(",") or code not in _WORDLIKE_CODES):
            continue
        placed_end = m.end(1)
        found.append(PlaceRef("", "", code, "US"))
    return _resolve_states(found)


# What makes a state's code in a sentence a place (`_code_placed`): a word that puts something there ("in", "to",
# "near", "serving", "including", "western" …) right before it; a place of that state before it ("Springfield, MO",
# "in Boise ID"), or any place or county and a comma ("NYC, NJ", "Chester County, PA"); a dash or a bar before it
# as in a location ("Remote – TX"); a hyphenated place adjective or a word of place after it ("TX-based",
# "FL-licensed", "our NY office", "the NY bar"); another placed code before it in a list ("FL, GA and AL"); or two
# codes of states joined ("NY/NJ").
_CODE_LOCATIVE = lazy(
    r"\b(?:in|to|into|near|from|across|throughout|within|around|outside|serving|covering|of|including"
    r"|states?:?|(?:north|south|east|west|central)(?:ern)?)\s+$",
    re.IGNORECASE,
)
_CODE_NAME_BEFORE = lazy(r"(?<![\w.])([A-Z][a-z]+\.?|[A-Z]{3,})(,)?\s*\(?$")
_CODE_DASH_BEFORE = lazy(r"\s[-–—|]\s*$")
_CODE_PAIR = lazy(r"/([A-Z]{2})\b")
_CODE_LIST = lazy(r"\s*(?:,\s*(?:and\s+|or\s+)?|/|&|\band\s+|\bor\s+)$")
_CODE_PLACE_AFTER = lazy(
    r"-[a-z]|\s+(?:area|metro|region|office|offices|branch|clients|residents|residency|only|licen[cs]e[ds]?"
    r"|licensure|bar|notary)\b"
)


def _code_placed(text: str, start: int, end: int, placed_end: int) -> bool:
    """Whether a state's code in a sentence is written as a place (the rule above)."""
    code = text[start:end]
    before = text[max(0, start - 40) : start]
    if placed_end >= 0 and _CODE_LIST.fullmatch(text, placed_end, start):
        return True
    if (pair := _CODE_PAIR.match(text, end)) and pair.group(1) in STATES:  # "NY/NJ": two states, not "AP/AR"
        return True
    if _CODE_LOCATIVE.search(before) or _CODE_DASH_BEFORE.search(before) or _CODE_PLACE_AFTER.match(text, end):
        return True
    name = _CODE_NAME_BEFORE.search(before)
    if name is None:
        return False  # (not even opening the text: "MA, 3 years in family practice" is a medical assistant)
    # A place of that state right before it ("Springfield, MO", "in Boise ID", "Sioux Falls SD", "NYC, NJ"), not
    # any capitalised word ("Central Valley SD" is a school district).
    if name.group(2) and name.group(1).rstrip(".").lower() in _COUNTY_WORDS:
        return True  # (m24) a county and its state: "Chester County, PA", "Lancaster Co., PA"
    run = _NAME_RUN_BEFORE.search(before[: name.end(1)])
    words = run.group(0).lower().split() if run else []
    for k in range(len(words)):
        place = " ".join(words[k:])
        if (ref := _table().get(place)) is not None and (name.group(2) or ref.state == code or not ref.state):
            return True
        if town_metro(place, code) is not None:
            return True
    return False


_COUNTY_WORDS = frozenset({"county", "co", "parish", "township", "twp", "borough"})
_NAME_RUN_BEFORE = lazy(r"(?:[A-Z][\w.'’-]*\s+){0,2}[A-Z][\w.'’-]*$")


# A town the metro table does not know, written with its state's code ("Fresno, CA", "outside Kentwood, MI"): of
# the (up to four) words right before the comma, the longest run that names a town of that state (`us_towns`).
_CODE_AFTER_COMMA = lazy(r",\s*([A-Z]{2})\b")  # (most texts have none: the cheap search first)
_WORDS_BEFORE = lazy(r"((?:[A-Za-z.'’-]+ ){0,3}[A-Za-z.'’-]+)$")


@cache
def _town_table() -> dict[tuple[str, str], str]:
    from givefirst.domain.us_towns import TOWNS  # (185 KB of source: read only when a location needs it)

    out: dict[tuple[str, str], str] = {}
    for line in TOWNS.strip().splitlines():
        name, state, metro = line.split("|")
        out[(name, state)] = metro
    return out


def town_metro(name: str, state: str) -> str | None:
    """The metro area of a US town of 5,000 people or more (`us_towns`; lower-case name), or None."""
    return _town_table().get((name, state))


def _towns(text: str) -> list[tuple[int, int, PlaceRef]]:
    """Return (start, end, place) of every town named as "Town, ST" that the metro table does not hold."""
    out = []
    for code in _CODE_AFTER_COMMA.finditer(text):
        state = code.group(1)
        before = _WORDS_BEFORE.search(text, max(0, code.start() - 80), code.start())
        if state not in STATES or before is None:
            continue
        words = before.group(1).split(" ")
        for k in range(len(words)):
            name = " ".join(words[k:]).lower().replace("’", "'")
            if name in _table():
                break  # the metro table's own name (and its reading of the code) wins
            metro = _town_table().get((name, state))
            if metro is not None:
                out.append((code.start() - len(" ".join(words[k:])), code.start(), PlaceRef(name, metro, state, "US")))
                break
    return out


def _is_state_code(text: str, m: re.Match[str]) -> bool:
    """Whether a name found in the lower-cased text is a state's code written after a comma ("…, LA")."""
    written = text[m.start(1) : m.end(1)]
    return len(written) == 2 and written.isupper() and written in STATES and text[: m.start(1)].rstrip().endswith(",")


def _resolve_states(found: list[PlaceRef]) -> tuple[PlaceRef, ...]:
    """Drop a state that only repeats a city's ("Tampa, FL" is one place); "Portland, ME" is not Portland, OR."""
    states_named = {r.state for r in found if not r.city and not r.metro and r.state}
    cities = [r for r in found if r.city and r.country == "US"]
    if len(cities) == 1 and len(states_named) == 1 and cities[0].state not in states_named:
        city, state = cities[0], next(iter(states_named))
        found = [PlaceRef(city.city, f"{city.metro} {state.lower()}", state, "US") if r == city else r for r in found]
    out: list[PlaceRef] = []
    for ref in found:
        if not ref.city and not ref.metro and ref.state and any(r.state == ref.state and r.metro for r in found):
            continue
        if ref not in out:
            out.append(ref)
    return tuple(out)


# Words that put a place name where something is or goes ("in Boise", "outside Sacramento", "west of Tulsa",
# "moving to Denver", "serving Tampa"): a name without one is often a modifier of what follows it ("Cummins and
# Detroit engines", "a Denver omelette"), which says nothing of where anyone is.
_LOCATIVE = frozenset({
    "in", "at", "near", "around", "outside", "inside", "from", "to", "into", "toward", "towards", "across",
    "throughout", "within", "of", "serving", "based", "between", "via",
})  # fmt: skip
_JOINED = frozenset({"and", "or", "&", "/", ","})  # a name listed after a located one is located too
_AFTER = ("-based", "-area", " area", " metro", " region", ", ")  # "Cincinnati-area", "Kansas City metro"


@lru_cache(maxsize=1 << 14)
def loose_places(text: str | None) -> frozenset[str]:
    """Return the city names (lower case) a text names only as modifiers: no mention of them has a locative word
    ("in", "near", "outside", "to" …) among the three words before it (six when it follows "and", "or" or a comma:
    "in Queens and Brooklyn"), nor is followed by "-based", "-area", "area", "metro", "region" or a comma."""
    if not text:
        return frozenset()
    lower = text.lower()
    located: set[str] = set()
    seen: set[str] = set()
    for m in _pattern().finditer(lower):
        name = m.group(1)
        before = re.findall(r"[\w'’&/-]+|,", lower[max(0, m.start() - 60) : m.start()])
        reach = 6 if before and before[-1] in _JOINED else 3
        seen.add(name)
        if any(w in _LOCATIVE for w in before[-reach:]) or lower.startswith(_AFTER, m.end()):
            located.add(name)
    return frozenset(seen - located)


# A text that keeps to a state or a country in so many words: the name followed, within two words (none of them
# "time" or "hours"), by "only" at the end of a clause ("licensed in Pennsylvania only.", "Ohio clients only");
# "only" before it ("only licensed in Texas", "I only work in Ohio"; not "not only in" or "the only firm in"); or,
# for a country, remote work or a reach kept inside it ("fully remote within the US", "anywhere in the United States").
ONLY_AFTER = lazy(  # (not "Singapore working hours only", "Japan time only": hours, not a place)
    r"\s+(?:(?!(?:time|hours?|zones?|timezones?)\b)[a-z][\w-]*\s+){0,2}?only\b\s*(?:[.;!?,)—–]|$)"
)
ONLY_BEFORE = lazy(
    r"(?<!not\s)(?<!the\s)\bonly\s+(?:[a-z][\w'’-]*\s+){0,3}?(?:in|within)\s+(?:the\s+)?$"
    # (m31) where whoever answers must live: "you must live in the US", "applicants must be based in Ontario"
    r"|(?<!n't\s)(?<!n’t\s)(?<!not\s)\b(?:must|need\s+to|have\s+to|required\s+to)\s+(?:already\s+)?"
    r"(?:live|reside|be\s+based|be\s+resident|be\s+located)"
    r"\s+in\s+(?:the\s+)?$"
)
_LISTED = lazy(r"\b(?:and|or)\b|[,&/]")  # (m34) "Dublin and Wicklow only": a list, whose other names may be unknown
LIMIT_CUES = ("only", "within", "anywhere", "remote", "must", "need to", "have to", "required to")  # one in every limit
INSIDE_BEFORE = lazy(r"\b(?:(?:anywhere|remote(?:ly)?)\s+(?:in|within|across)|within)\s+(?:the\s+)?$")


_LIST_GAP = lazy(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or|&)\s+|/)\s*$")  # "Ohio, Kentucky and Indiana"


@lru_cache(maxsize=1 << 14)
def limits(text: str | None) -> tuple[PlaceRef, ...]:
    """Return the states and countries a text says it keeps to ("Licensed in Pennsylvania only", "fully remote
    within the US"), in the order it names them; a state listed with one is one too ("I only work in Ohio and
    Kentucky"). A city or a metro area of this table is a limit only with "only" in so many words ("Twin Cities
    only", "I only work in Seattle"; m34), and then as its whole metro area (the city itself left empty); the towns
    read from GeoNames (`us_towns`, `world_cities`) never are."""
    if not text:
        return ()
    lower = text.lower()  # ("Only licensed in Texas": the words are looked for in lower case)
    if not any(cue in lower for cue in LIMIT_CUES):
        return ()
    table = _table()
    groups: list[list[tuple[PlaceRef, bool]]] = []  # runs of names listed together: (place, read as a limit)
    end = -1
    for m in _pattern().finditer(lower):
        ref = table[m.group(1)]
        if _is_state_code(text, m):
            end = -1
            continue
        before = lower[max(0, m.start() - 50) : m.start()]
        after = ONLY_AFTER.match(lower, m.end())
        if ref.city or ref.metro:
            # (m34) a local service's area, said with "only": the metro area, never a city within it
            if (after and not _LISTED.search(after.group(0).partition("only")[0])) or ONLY_BEFORE.search(before):
                groups.append([(PlaceRef("", ref.metro or ref.city, ref.state, ref.country), True)])
            end = -1
            continue
        limit = bool(after or ONLY_BEFORE.search(before) or (not ref.state and INSIDE_BEFORE.search(before)))
        if end >= 0 and _LIST_GAP.fullmatch(lower, end, m.start()) and groups:
            groups[-1].append((ref, limit))
        else:
            groups.append([(ref, limit)])
        end = m.end()
    out: list[PlaceRef] = []
    for group in groups:
        if any(limit for _, limit in group):
            out += [ref for ref, _ in group if ref not in out]
    return tuple(out)


def region_name(ref: PlaceRef) -> str:
    """A metro area's, a state's or a country's name for an explanation ("the Minneapolis area", "Pennsylvania",
    "the United States")."""
    if ref.metro:
        return f"the {ref.metro.removesuffix(' ' + ref.country.lower()).title()} area"
    if ref.state:
        return STATES[ref.state].removesuffix(" state").title()
    name = next((n for n, code in COUNTRY_NAMES.items() if code == ref.country), "")
    if not name:
        from givefirst.domain.world_places import country_name  # (a country the hand-written table lacks)

        return country_name(ref.country)
    return f"the {name.title()}" if name in ("united states", "united kingdom", "netherlands") else name.title()


_STATE_AFTER_COMMA = lazy(r",\s*[a-z]{2}\b")


@lru_cache(maxsize=1 << 14)
def strip_places(text: str, home: frozenset[str] | None = None) -> str:
    """Return the text in lower case without the places it names ("… in South Tampa, FL" → "… in south").

    `home`: the countries of the speaker's home base. Then only places in those countries are removed: a place
    abroad is what the statement is about ("retiring to Spain", "teaching English in Korea") and stays.
    """
    table = _table()

    def drop(m: re.Match[str]) -> str:
        return " " if home is None or table[m.group(1)].country in home else m.group(0)

    if home is None or "US" in home:  # the towns of `_towns` first, from the text as written (its codes' capitals)
        for start, end, _ in reversed(_towns(text)):
            text = f"{text[:start]} {text[end:]}"
    plain = _pattern().sub(drop, text.lower())
    if home is not None and "US" not in home:
        return " ".join(plain.split())
    return " ".join(_STATE_AFTER_COMMA.sub(" ", plain).split())
