"""Explicit constraints beyond place that stop an introduction: licences held or required in named states,
provinces or countries, working hours tied to a region of the world, work authorisation (visa sponsorship), the
ages served, other eligibility (`match_eligibility`), the language of the service (`match_languages`) and the
times of the week one side requires and the other cannot give (`match_schedule`).

A nurse "licensed only in Florida" is no answer to a remote role that requires "a New Jersey licence", nor a
security supervisor "licensed in Ontario" to a site whose guards "must hold a NZ Certificate of Approval"; a video
editor "working Asia-Pacific hours" is none to a team that must have someone "online 9 to 5 New York time"; an
engineer "on an H-1B" or who "will need sponsorship" is none to a job that "cannot sponsor visas" or is for "US
citizens only"; "my 34-year-old brother" is none to "classes for ages 3 to 10" (`match_ages`). Both sides have to
say it: a constraint named on one side only is not a mismatch (the other may well qualify). The states and places
are read with the gazetteer, the regions from a few time-zone words, the sponsorship from how US job posts and
seekers say it (the visa classes that need an employer: H-1B, OPT, F-1, TN, E-3, L-1, O-1).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from givefirst.domain.gazetteer import find_places
from givefirst.domain.lazy_regex import lazy
from givefirst.domain.location import MOVE_AHEAD
from givefirst.domain.match_ages import age_clash, ages_served, person_age
from givefirst.domain.match_eligibility import Eligibility
from givefirst.domain.match_languages import language_clash, language_readings, language_unmet
from givefirst.domain.match_months import Months
from givefirst.domain.match_schedule import Schedule
from givefirst.domain.world_places import NAME_RUN, find_location, jurisdictions, jurisdictions_of_city

_LICENCE = lazy(r"\blicen[cs](e|ed|es|ing)?\b", re.IGNORECASE)
# A credential held or asked for in a place named right beside it: "an NZ Certificate of Approval", "Ontario-
# licensed", "a Texas Registered Nurse", "registered to practise in England", "licensed only in Ontario". The
# place is written in capitals, so "certified in CPR" or "a birth certificate" name none.
_CREDENTIAL = r"(?i:licen[cs](?:e|ed|es|ing)?|registered|registration|certified|certificate|certification|qualified)"
_PLACE_NAME = f"({NAME_RUN})"
_CREDENTIAL_PLACE = lazy(
    rf"{_PLACE_NAME}(?=(?:\s+|-){_CREDENTIAL}\b)"  # (a lookahead: "Solicitor registered in England" reads on)
    rf"|\b(?i:licen[cs]ed|registered|certified|qualified|admitted|practi[cs]ing)\s+(?:[a-z]+\s+){{0,3}}?in\s+"
    rf"(?:the\s+)?{_PLACE_NAME}"
)
# A move ahead ("moving to Denver in May", "relocating to British Columbia"): a licence of the place left is no
# clash with one of the place ahead, which is what the speaker is asking about.
_MOVING_TO = lazy(rf"(?i:{MOVE_AHEAD}){_PLACE_NAME}")  # (the words of a move as `location` reads them)
_CLAUSE_END = lazy(r"[.;!?]")
_HOURS = lazy(r"\b(time|hours|daytime|time ?zones?)\b", re.IGNORECASE)
_KIND_OF_HOURS = lazy(r"\s(?:business|working|work|office|core|standard)\s*$", re.IGNORECASE)
# Region of the working day: words naming a zone, else the country of a place named just before "time"/"hours".
_ZONE_WORDS = (  # Asia-Pacific first: it ends in "Pacific"
    ("asia-pacific", lazy(r"\b(asia-pacific|apac|asian?|ist|sgt|aest|jst)\s*$", re.I)),
    ("americas", lazy(r"\b(eastern|pacific|central|mountain|[epc][sd]?t|us|north american)\s*$", re.I)),
    ("europe", lazy(r"\b(gmt|bst|cet|cest|uk|european?|emea)\s*$", re.I)),
)  # fmt: skip
# Work authorisation. "Sponsor" alone is ambiguous (an event's sponsor, "we sponsor your certification", a refugee
# family's co-sponsor): only sponsorship of a visa or of work, or being on an employer-tied visa, counts.
_VISA = r"(?:h-?1b|h1-b|opt|stem opt|f-1|tn|e-3|l-1|o-1|work visa|visa)"
_NEEDS_SPONSOR = lazy(
    rf"\b(?:(?:need|needs|needing|require|requires|requiring|seeking|will need|would need)\s+"
    rf"(?:an?\s+)?(?:{_VISA}\s+)?sponsorship\b|\bon\s+(?:an?\s+)?{_VISA}(?![\w-])|\bsponsor\s+(?:me|my\s+(?:\w+\s+)?visa)\b"
    # (m28) an employer the speaker needs, described as one that sponsors a permit ("a company willing to sponsor
    # one", "employers who can sponsor an H-1B"; not "a company willing to sponsor our 5K", nor the speaker's own
    # "we're willing to sponsor"); and no permit of one's own
    # ("no Canadian work permit", "without a work visa"), unless none is needed
    rf"|\b(?:company|companies|employer|employers|firm|firms|business|one|someone)\s+(?:that|who|which)?\s*"
    rf"(?:is\s+|are\s+|would\s+be\s+|'s\s+)?(?:(?:willing|able|happy|prepared|open)\s+to|can|could|will|would)\s+"
    rf"sponsor\s+(?:one|me|(?:an?\s+|the\s+|my\s+)?(?:work\s+)?(?:permit|{_VISA}))\b"
    rf"|\b(?:no|without\s+an?|don'?t\s+have\s+an?|do\s+not\s+have\s+an?)\s+(?:[A-Z][\w.-]*\s+)?"
    rf"(?:work\s+(?:permit|visa|authori[sz]ation)|{_VISA})\b(?!\s+(?:is\s+|are\s+)?(?:needed|required|necessary))"
    r")",
    re.IGNORECASE,
)
_NO_NEED = lazy(  # the speaker says they need none: neither a need nor a refusal
    r"\b(?:don'?t|do\s+not|doesn'?t|does\s+not|won'?t|will\s+not|never)\s+(?:need|require)\s+(?:any\s+|visa\s+)?sponsorship\b",
    re.IGNORECASE,
)
_REFUSES_SPONSOR = lazy(
    r"\b(?:no\s+(?:visa\s+|h-?1b\s+)?sponsorship(?!\s+(?:is\s+)?(?:needed|required|necessary))|"
    r"(?:cannot|can'?t|can\s+not|unable\s+to|do\s+not|don'?t|does\s+not|doesn'?t|won'?t|will\s+not|not\s+able\s+to)"
    r"\s+(?:provide\s+|offer\s+)?(?:visa\s+)?sponsor(?:ship)?|"
    r"without\s+(?:the\s+need\s+for\s+|needing\s+)?(?:visa\s+|employer\s+)?sponsorship|"
    r"(?:u\.?s\.?|us)\s+citizens?\s+only|(?:must|required\s+to)\s+be\s+an?\s+(?:u\.?s\.?|us)\s+citizen|"
    r"citizenship\s+(?:is\s+)?required)",
    re.IGNORECASE,
)
_AMERICAS = frozenset({"US", "CA", "MX", "BR", "AR", "CO", "CL", "PE"})
_EUROPE = frozenset({"GB", "IE", "FR", "DE", "ES", "PT", "IT", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI", "PL"})
_EUROPE |= frozenset({"CZ", "GR", "RO", "HU", "NG", "KE", "ZA", "EG", "MA", "IL", "TR", "AE"})


@dataclass(frozen=True, slots=True)
class Constraints:
    """What a statement says about licences (US state codes), the region its working hours keep and visa
    sponsorship ("needs": the speaker needs an employer to sponsor a visa; "refuses": the job cannot sponsor).

    `held_in`: where a licence or registration holds, as (country, division, the name written), US states among
    them: what licences are compared by."""

    licences: frozenset[str] = frozenset()
    hours: str = ""
    sponsorship: str = ""
    age: int | None = None  # of the person the statement is about ("my 5-year-old")
    ages: tuple[int, int] | None = None  # the youngest and oldest it serves ("ages 3 to 10")
    held_in: frozenset[tuple[str, str, str]] = frozenset()
    moving_to: frozenset[tuple[str, str, str]] = frozenset()  # where the speaker says they are moving
    eligibility: Eligibility = field(default_factory=Eligibility)
    languages: frozenset[str] = frozenset()  # ISO 639 codes of the languages it works or must be served in
    schedule: Schedule = field(default_factory=Schedule)  # the times of the week it requires or cannot give
    months: Months = field(default_factory=Months)  # the months it wants something in, or is open (m26)
    languages_asked: frozenset[str] = frozenset()  # asked of whoever answers it ("Japanese required"), m27
    languages_lacked: frozenset[str] = frozenset()  # its speaker, or whom it speaks for, does not speak, m27

    @property
    def named(self) -> bool:
        """Whether the statement names any constraint at all (most do not)."""
        return bool(
            self.held_in
            or self.hours
            or self.sponsorship
            or self.age is not None
            or self.ages
            or self.eligibility
            or self.languages
            or self.schedule
            or self.months
            or self.languages_asked
            or self.languages_lacked
        )

    @classmethod
    def of(cls, text: str) -> Constraints:
        found = cls._read(text)
        return _NONE if found == _NONE else found  # (one shared reading for the many statements that name none)

    @classmethod
    def _read(cls, text: str) -> Constraints:
        states = _licence_states(text)
        held_in = frozenset({("US", s, s) for s in states} | _credential_places(text))
        named, asked, lacked = language_readings(text)
        return cls(states, _hours_region(text), _sponsorship(text), person_age(text), ages_served(text), held_in,
                   _moving_to(text) if held_in else frozenset(), Eligibility.of(text),
                   named, Schedule.of(text), Months.of(text), asked, lacked)  # fmt: skip


def _clause(text: str, start: int, end: int, before: int, after: int) -> str:
    """Return the words around [start, end) within one clause."""
    left = text[max(0, start - before) : start]
    right = text[end : end + after]
    cut = [m.end() for m in _CLAUSE_END.finditer(left)]
    left = left[cut[-1] :] if cut else left
    stop = _CLAUSE_END.search(right)
    return left + text[start:end] + (right[: stop.start()] if stop else right)


_NONE = Constraints()


# (m22) A lawyer's licence is the bar of a state: "California bar only", "admitted to the NY bar" (a state's name or
# code right before "bar", so not "a wine bar" or "Sports Bar", which name no state).
_BAR_CUE = " bar"
_BAR = lazy(r"(?:\b[A-Z][a-z]+(?: [A-Z][a-z]+)?|\b[A-Z]{2}) [Bb]ar\b(?!\s*(?:&|and)\s*[Gg]rill)")


def _licence_states(text: str) -> frozenset[str]:
    states: set[str] = set()
    for m in _BAR.finditer(text) if _BAR_CUE in text.lower() else ():
        states |= {r.state for r in find_places(m.group(0)[:-4]) if r.state and not r.city}
    for m in _LICENCE.finditer(text):
        # a state named as such ("licensed only in Florida", "a New Jersey licence"), not a city's state
        states |= {r.state for r in find_places(_clause(text, m.start(), m.end(), 25, 35)) if r.state and not r.city}
    return frozenset(states)


_CREDENTIAL_CUE = lazy(r"licen[cs]|regist|certifi|qualifi|admitted|practi[cs]ing", re.IGNORECASE)


def _credential_places(text: str) -> set[tuple[str, str, str]]:
    """Where the text's licences and registrations hold, read from a place named right beside one."""
    found: set[tuple[str, str, str]] = set()
    if not _CREDENTIAL_CUE.search(text):
        return found  # (most statements: the place patterns are not read)
    for m in _CREDENTIAL_PLACE.finditer(text):
        # The last words before the credential ("Dear New Jersey licence" → "New Jersey"), the first after "in"
        # ("in Ontario Canada" → "Ontario Canada").
        words = (m.group(1) or m.group(2)).removesuffix("'s").removesuffix("’s").split()
        found |= _longest_place(words, jurisdictions, last=bool(m.group(1)))
    return found


def _moving_to(text: str) -> frozenset[tuple[str, str, str]]:
    """The provinces, states or countries the text says its speaker is moving to."""
    found: set[tuple[str, str, str]] = set()
    for m in _MOVING_TO.finditer(text):
        found |= _longest_place(m.group(1).split(), jurisdictions_of_city, last=False)
    return frozenset(found)


def _longest_place(
    words: list[str], places_of: Callable[[str], frozenset[tuple[str, str]]], *, last: bool
) -> set[tuple[str, str, str]]:
    """The places of the longest run of `words` that names one — its last words when `last`, else its first —
    as (country, division, the name written)."""
    for k in range(len(words)):
        name = " ".join(words[k:] if last else words[: len(words) - k])
        if places := places_of(name):
            return {(country, division, name) for country, division in places}
    return set()


# Every form of `_NEEDS_SPONSOR` and `_REFUSES_SPONSOR` holds one of these (in lower case).
_SPONSOR_CUES = ("sponsor", "citizen", "visa", "permit", "authoris", "authoriz", "h-1b", "h1b", "h1-b", "opt", "f-1",
                 "tn", "e-3", "l-1", "o-1")  # fmt: skip


def _sponsorship(text: str) -> str:
    """Return "refuses" when the text rules visa sponsorship out, "needs" when its speaker needs it, else ""
    (a post that says both, "no sponsorship needed", reads as neither: the negation is about the speaker)."""
    lower = text.lower()
    if not any(cue in lower for cue in _SPONSOR_CUES):
        return ""  # (most statements: the three patterns are not read)
    text = _NO_NEED.sub(" ", text)
    refuses, needs = bool(_REFUSES_SPONSOR.search(text)), bool(_NEEDS_SPONSOR.search(text))
    return "" if refuses == needs else "refuses" if refuses else "needs"


def _hours_region(text: str) -> str:
    for m in _HOURS.finditer(text):
        # (the kind of hours between the zone and the word says nothing of where: "on AEST business hours", and
        # neither does one other word in lower case: "US Eastern clinic hours", "Pacific school hours")
        before = _KIND_OF_HOURS.sub("", text[max(0, m.start() - 40) : m.start()])
        for words in (before, _ONE_WORD.sub("", before)):
            region = _zone_region(words)
            if region:
                return region
    return ""


_ONE_WORD = lazy(r"\s[a-z]+\s*$")
_CAPITALISED = lazy(r"((?:[A-Z][\w.'’-]* ){0,2}[A-Z][\w.'’-]*)\s*$")


def _zone_region(before: str) -> str:
    """The region of the world the words right before "hours" or "time" name: a zone, else a place's country."""
    for region, zone in _ZONE_WORDS:
        if zone.search(before):
            return region
    words: list[str] = []
    for word in reversed(before.split()[-3:]):  # "9 to 5 New York time"; not "Oregon, remote, 30 hours"
        if any(c.isdigit() or c in ",;:" for c in word):
            break
        words.insert(0, word)
    places = find_places(" ".join(words)) if words else ()
    if not places and (named := _CAPITALISED.search(" ".join(words))):
        places = find_location(named.group(1))  # a city the gazetteer lacks, by name: "during Perth daytime"
    if not places:
        return ""
    country = places[-1].country.split("-")[0]
    return "americas" if country in _AMERICAS else "europe" if country in _EUROPE else "asia-pacific"


def constraint_clash(need: Constraints, offer: Constraints) -> str:
    """Return what rules the pair out ("" when nothing does): licences in no common state, province or country,
    working hours kept in two different regions of the world, visa sponsorship needed on one side and ruled out
    on the other, eligibility asked for and unmet, no language in common or one asked for and lacked, a time of the
    week required that the other side cannot give, a month the need wants outside the offer's season, or a person's
    age outside the ages the other side serves."""
    ours, theirs = need.held_in | need.moving_to, offer.held_in | offer.moving_to
    if need.held_in and offer.held_in and not _any_common(ours, theirs):
        return f"licence: {_names(need.held_in)} against {_names(offer.held_in)}"
    if need.hours and offer.hours and need.hours != offer.hours:
        return f"working hours: {need.hours} against {offer.hours}"
    if {need.sponsorship, offer.sponsorship} == {"needs", "refuses"}:
        return "work authorisation: one side needs visa sponsorship, the other cannot sponsor"
    if clash := need.eligibility.clash(offer.eligibility) or offer.eligibility.clash(need.eligibility):
        return f"eligibility: {clash}"
    if clash := language_clash(need.languages, offer.languages):
        return clash
    if clash := language_unmet(offer.languages_asked, need.languages_lacked) or language_unmet(
        need.languages_asked, offer.languages_lacked
    ):
        return clash
    if clash := need.schedule.clash(offer.schedule) or offer.schedule.clash(need.schedule):
        return f"schedule: {clash}"
    if clash := need.months.clash(offer.months):  # (a need's month against an offer's season, m26)
        return f"season: {clash}"
    # Only this way round: the ages a need names ("teachers for kids' classes, ages 5 to 10") are whom its work
    # serves, not what the people answering it must be.
    return age_clash(need.age, offer.ages)


def _any_common(a: frozenset[tuple[str, str, str]], b: frozenset[tuple[str, str, str]]) -> bool:
    """Whether a licence of one side may hold where the other's does: the same country, and the same division
    where both name one (a country named alone is no evidence of another division: "US-licensed" fits Ohio)."""
    return any(x[0] == y[0] and (not x[1] or not y[1] or x[1] == y[1]) for x in a for y in b)


def _names(places: frozenset[tuple[str, str, str]]) -> str:
    return "/".join(sorted({name for _, _, name in places}))
