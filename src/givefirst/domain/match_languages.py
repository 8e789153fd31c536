"""The languages a statement says its speaker works or must be served in (issue 11, pattern 8: a constraint
beyond place).

A career coach "who works in Polish" is asked for; a coach whose sessions are "in English" is no answer, however
close the rest of the words. Read only in the frames that make a language the medium of the service, never its
topic: "Polish-speaking", "speaks Polish", "fluent in Polish", "Polish only", "only in Polish", "works / sessions /
classes / therapy … in Polish", "bilingual Polish", and a bare "in Polish" set off by punctuation. "A Spanish
tutor", "a degree in English", "a Korean interpreter" name a topic or a role and are not read; a negated frame
("doesn't speak Spanish") is not read either. The names are CLDR's (`languages`, generated from Babel).

Both sides must name a language, as with licences: a clash is two sides whose languages have none in common.

(m27) A language asked of whoever comes ("basic conversational Japanese required", "must speak French") against
one the other side says it lacks ("I don't speak any Japanese", "my dad doesn't speak English") rules a pair out
too: the same both-sides rule, the lack read only in a negated frame of speaking, reading, writing or
understanding. A language the other side merely works in is not enough: "I speak Japanese" is no requirement.
"""

from __future__ import annotations

import re
from functools import cache

from givefirst.domain.lazy_regex import lazy

_NAME = r"([A-Z][a-zà-ÿāēīōū]+(?:[ -][A-Z][a-zà-ÿāēīōū]+){0,2})"
_MORE = rf"((?:\s*(?:,|\band\b|\bor\b|&|/|–)\s*{_NAME[1:-1]})*)"  # "English, Spanish and Portuguese"
_MEDIUM = (
    r"(?i:works?|working|sessions?|coaching|classes|class|lessons?|services?|therapy|counsell?ing|appointments?|"
    r"consultations?|visits?|care|teach(?:es|ing)?|tutor(?:s|ing)?|read|write|help|support|ministry|worship|"
    r"training|instruction|meetings?|interviews?|paperwork|forms|advice|available)"
)
_FRAMES = lazy(
    rf"{_NAME}{_MORE}[- ](?i:speaking|speakers?)\b"
    rf"|\b(?i:speaks?|speaking|speak|fluent\s+in|fluent|native|bilingual\s+in|bilingual)\s+{_NAME}{_MORE}"
    rf"|{_NAME}{_MORE}\s+(?i:only)\b"
    rf"|\b(?i:only)\s+(?:(?i:in)\s+)?{_NAME}{_MORE}"
    rf"|\b{_MEDIUM}\s+(?:[a-z]+\s+){{0,2}}?(?i:in)\s+{_NAME}{_MORE}"
    rf"|(?:^|[,;:(—–]\s*)(?i:in)\s+{_NAME}{_MORE}\s*(?=[,.;:)!?—–]|$)"
)
# (m27) A language asked of the other side, and one a side says it (or the person it speaks for) lacks.
_LEVEL = r"(?:(?i:some|basic|good|fluent|conversational|working|business|native-level|professional)\s+)*"
_REQUIRED = lazy(
    rf"{_LEVEL}{_NAME}{_MORE}(?:\s+(?i:language|skills?|fluency|proficiency)){{0,2}}\s+(?:(?i:is|are)\s+)?"
    rf"(?i:required|essential|a\s+must|mandatory|compulsory|necessary)\b"
    rf"|\b(?i:must|need\s+to|needs\s+to|have\s+to|has\s+to)\s+(?i:be\s+able\s+to\s+)?"
    rf"(?i:speak|read|write|understand)\s+{_LEVEL}{_NAME}{_MORE}"
    rf"|\b(?i:must\s+be\s+fluent\s+in|must\s+be\s+bilingual\s+in|requires?)\s+{_LEVEL}{_NAME}{_MORE}"
)
_LACKED = lazy(
    r"\b(?i:don't|don’t|doesn't|doesn’t|do\s+not|does\s+not|can't|can’t|cannot|can\s+not|never\s+learned\s+to)\s+"
    rf"(?i:speak|read|write|understand)\s+(?:(?i:any|a\s+word\s+of|much)\s+)?{_NAME}{_MORE}"
    rf"|\b(?i:not\s+fluent\s+in|speaks?\s+no|no\s+knowledge\s+of)\s+(?:(?i:any)\s+)?{_NAME}{_MORE}"
)
_NEGATED = lazy(r"(?:n't|n’t|\bnot|\bno|\bnever|\bwithout)\s+(?:\w+\s+)?$", re.IGNORECASE)
_SPLIT = lazy(r"\s*(?:,|\band\b|\bor\b|&|/|–)\s*")


_CAPITALISED = lazy(r"[A-Z][a-zà-ÿāēīōū]+")


@cache
def _codes() -> dict[str, str]:
    from givefirst.domain.languages import LANGUAGES

    return dict(line.split("|") for line in LANGUAGES.strip().splitlines())


@cache
def _words() -> frozenset[str]:
    """Every word of a language's name, capitalised as written ("Haitian", "Creole")."""
    return frozenset(w.capitalize() for name in _codes() for w in re.split(r"[ -]", name))


def languages_named(text: str) -> frozenset[str]:
    """Return the ISO 639 codes of the languages the text works in or asks to be served in."""
    return language_readings(text)[0]


def languages_required(text: str) -> frozenset[str]:
    """Return the codes of the languages the text asks of whoever answers it ("Japanese required"), m27."""
    return language_readings(text)[1]


def languages_lacked(text: str) -> frozenset[str]:
    """Return the codes of the languages the text says its speaker, or whom it speaks for, does not speak, m27."""
    return language_readings(text)[2]


_NO_LANGUAGE = (frozenset[str](), frozenset[str](), frozenset[str]())


def language_readings(text: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Return the languages a text works in, asks of whoever answers it, and lacks, each as ISO 639 codes: the
    name of a language is looked for once, and most statements hold none (then no frame is read)."""
    if _words().isdisjoint(_CAPITALISED.findall(text)):
        return _NO_LANGUAGE
    return (
        _read(_FRAMES, text, negated_out=True),
        _read(_REQUIRED, text, negated_out=True),
        _read(_LACKED, text, negated_out=False),
    )


def _read(pattern: re.Pattern[str], text: str, *, negated_out: bool) -> frozenset[str]:
    codes = _codes()
    found: set[str] = set()
    for m in pattern.finditer(text):
        if negated_out and _NEGATED.search(text[max(0, m.start() - 20) : m.start()]):
            continue
        groups = [g for g in m.groups() if g]
        for part in (p.strip().lower() for g in groups for p in _SPLIT.split(g)):
            # a whole name ("Haitian Creole"), else its hyphened parts ("Tagalog-English", "Tagalog–English")
            for name in (part,) if part in codes else re.split(r"[-–]", part):
                if code := codes.get(name):
                    found.add(code)
    return frozenset(found)


def language_clash(need: frozenset[str], offer: frozenset[str]) -> str:
    """Return why two sides' languages rule the pair out ("" when either names none or they share one)."""
    if need and offer and not need & offer:
        return f"language: {'/'.join(sorted(need))} against {'/'.join(sorted(offer))}"
    return ""


def language_unmet(required: frozenset[str], lacked: frozenset[str]) -> str:
    """Return why a side that lacks `lacked` cannot answer one that asks for `required` ("" when it can), m27."""
    if missing := required & lacked:
        return f"language: {'/'.join(sorted(missing))} required, and the other side does not speak it"
    return ""
