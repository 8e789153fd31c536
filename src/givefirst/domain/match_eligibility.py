"""Eligibility that one side asks for and the other says it does not meet (issue 11, pattern 8).

A programme that "requires a bachelor's degree" is no answer to someone who says "I don't have a degree"; a
landlord who takes "no evictions in the last 7 years" none to someone who "got an eviction on my record" in 2021.
Both sides have to say it, in so many words, as with licences and visas: a requirement alone says nothing of the
other side, and someone who says what they lack is still served by whoever does not ask for it.

Four readings of a statement, each a set of stemmed head nouns (the last content word of the phrase: "a
bachelor's degree" → "degree"):

* `requires`: what it asks the other side to have ("requires a …", "must have a …", "applicants need a …");
* `lacks`: what its speaker says they do not have ("I don't have a …", "I never finished my …", "I have no …");
* `excludes`: what it rules out in the other side ("no … in the last N years", "cannot have any …");
* `holds`: what its speaker says they have ("I have a …", "got an … on my record", "my … from 2019").

A clash is a requirement met by a lack, or an exclusion met by a holding. The phrases are general English
frames of asking, lacking and having, not a list of requirements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from givefirst.domain.lazy_regex import lazy
from givefirst.domain.match_text import tokens

_PHRASE = r"((?:[\w'’$-]+\s+){0,3}?[\w'’-]+)(?=\s*(?:[.;:,!?()—–]|\s(?:in|of|for|from|to|and|or|by|within|on|at|"
_PHRASE += r"with|before|after|is|are|was|required|needed|preferred|a|an|but|yet|so|though|because|since|which|that|"
_PHRASE += r"who|when|if|as|than)\b|$))"
# Who a requirement is asked of: the people who answer it, never a third party ("our drivers must have a car"
# asks nothing of a rider).
_ASKED = r"(?:you|applicants?|candidates?|tenants?|renters?|students?|participants?|buyers?|volunteers?|members?)"
_REQUIRES = lazy(
    rf"(?:\b(?:requires?|requiring|requirements?:?|prerequisites?:?|eligibility:?)|\b{_ASKED}\s+(?:must|need to|"
    rf"have to|will need to|should)\s+(?:have|hold|possess|show)|(?:^|[.;:!?]\s*)must\s+(?:have|hold|possess))\s+"
    rf"(?:(?:an?|at least an?|at least|a valid|valid|your|their|proof of(?: an?)?)\s+)?{_PHRASE}",
    re.IGNORECASE,
)
_LACKS = lazy(
    rf"\b(?:i|we)\s*(?:do\s*n[o']t|don'?t|never|have\s*n[o']t|haven'?t|did\s*n[o']t|didn'?t)\s+(?:\w+\s+)?"
    rf"(?:have|had|hold|got|get|earned?|finished?|completed?|gotten)\s+(?:(?:an?|any|my|the|a\s+single)\s+)?{_PHRASE}"
    rf"|\b(?:i|we)\s+(?:have|hold)\s+no\s+{_PHRASE}",
    re.IGNORECASE,
)
_EXCLUDES = lazy(
    rf"\bno\s+{_PHRASE}\s+(?:in|within|during|for)\s+(?:the\s+)?(?:last|past|previous)\s+(?:\w+\s+)?(?:years?|months?)"
    rf"|\b(?:cannot|can'?t|must\s+not|mustn'?t|may\s+not)\s+have\s+(?:(?:an?|any)\s+)?{_PHRASE}"
    rf"|\bno\s+{_PHRASE}\s+(?:accepted|allowed|considered)",
    re.IGNORECASE,
)
_HOLDS = lazy(
    rf"\b(?:i|we)\s*(?:'ve|’ve|\s+have|\s+had|\s+got|'ve\s+got|’ve\s+got|\s+have\s+had)\s+(?!no\b|not\b|never\b)"
    rf"(?:(?:an?|one|two|three|\d+|my|a\s+couple\s+of|some)\s+)?{_PHRASE}"
    rf"|\bgot\s+(?:an?|one|two|\d+)\s+{_PHRASE}",
    re.IGNORECASE,
)
# (m23) An ability asked of the other side as a verb ("a nanny who drives", "must be able to drive", "someone who
# can swim") and one its speaker says they have not ("I don't drive", "I can't swim"): the verb alone, right before
# the end of the clause, so "who drives a forklift" or "I don't drive at night" read nothing.
_CLAUSE_END = r"(?=\s*(?:[.;:,!?()—–-]|\s(?:and|or|but|so|as|to|too|either)\b|$))"
_DOES = lazy(
    rf"\b(?:who|that)\s+([a-z]+[^s\W]s){_CLAUSE_END}|\b(?:who|that)\s+can\s+([a-z]+){_CLAUSE_END}"
    rf"|\bmust\s+(?:be\s+able\s+to\s+)?([a-z]+){_CLAUSE_END}"
    # (m32) a place or thing asked for by what one can do there: "a flat where I can register my address"
    r"|\bwhere\s+(?:i|we|you)\s+(?:can|could|am\s+able\s+to|are\s+able\s+to)\s+([a-z]+)\b",
    re.IGNORECASE,
)
_CANNOT = lazy(
    rf"\b(?:i|we)\s*(?:do\s*n[o'’]t|don['’]?t|do\s+not|can['’]?t|cannot|can\s+not)\s+([a-z]+){_CLAUSE_END}"
    # (m32) what cannot be done with what is offered: "registering at the address is not possible"
    r"|\b([a-z]+ing)\b(?:\s+[\w'’]+){0,4}?\s+(?:is|are)\s+(?:not\s+(?:possible|allowed|permitted)|impossible)\b",
    re.IGNORECASE,
)
_ON_RECORD = lazy(r"([\w'’-]+)\s+on\s+my\s+record", re.IGNORECASE)  # "a DUI on my record"
# Words without which a reading cannot match, looked for first: most statements have none, and a plain search
# for them is a tenth of the readings' cost (a new need, the first plan after an import read every statement).
_CUES = (
    ("requir", "prerequisite", "eligib", "must", "need to", "have to"),
    ("n't", "n’t", "not ", "never", "have no", "hold no", "dont", "didnt", "havent"),
    ("no ", "cannot", "can't", "can’t", "cant ", "must not", "mustn", "may not"),
    ("i have", "i've", "i’ve", "i had", "i got", "we have", "we've", "we’ve", "we had", "we got", "got "),
    ("who ", "that ", "must ", "where "),
    ("n't", "n’t", "not ", "cannot", "impossible"),
)


def _heads(pattern: re.Pattern[str], text: str) -> frozenset[str]:
    """The stemmed head noun (last content word) of each phrase the pattern reads."""
    out: set[str] = set()
    for m in pattern.finditer(text):
        phrase = next((g for g in m.groups() if g), "")
        words = [w for w in tokens(phrase) if not w.isdigit()]  # (content words only: `tokens` drops the rest)
        if words:
            out.add(words[-1])
    return frozenset(out)


def _verbs(pattern: re.Pattern[str], text: str) -> frozenset[str]:
    """The verbs of ability the pattern reads, in their plain form ("drives" → "drive")."""
    out = set()
    for m in pattern.finditer(text):
        verb = next((g for g in m.groups() if g), "").lower()
        stem = tokens(verb)
        if stem and stem[0] not in _NOT_ABILITIES:
            if verb.endswith(("sses", "shes", "ches", "xes")):  # "crosses", "washes"
                verb = verb[:-2]
            elif verb.endswith("s") and not verb.endswith("ss"):  # "drives"
                verb = verb[:-1]
            out.add(verb)
    return frozenset(out)


# Each reading's pattern and how its matches are read: phrases (their head words) or verbs of ability; with `_CUES`.
_READERS = ((_REQUIRES, _heads), (_LACKS, _heads), (_EXCLUDES, _heads), (_HOLDS, _heads), (_DOES, _verbs),
            (_CANNOT, _verbs))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Eligibility:
    """What a statement asks of the other side, rules out in it, and says its speaker lacks or has."""

    requires: frozenset[str] = frozenset()
    lacks: frozenset[str] = frozenset()
    excludes: frozenset[str] = frozenset()
    holds: frozenset[str] = frozenset()
    does: frozenset[str] = frozenset()  # abilities asked of the other side, as verbs (m23)
    cannot: frozenset[str] = frozenset()  # abilities its speaker says they have not

    def __bool__(self) -> bool:
        return bool(self.requires or self.lacks or self.excludes or self.holds or self.does or self.cannot)

    @classmethod
    def of(cls, text: str) -> Eligibility:
        lower = text.lower()
        read = [
            reader(pattern, text) if any(cue in lower for cue in cues) else frozenset()
            for (pattern, reader), cues in zip(_READERS, _CUES, strict=True)
        ]
        if "on my record" in lower:
            read[3] |= _heads(_ON_RECORD, text)
        return cls(*read) if any(read) else _NOTHING

    def clash(self, other: Eligibility) -> str:
        """Return what this side asks for that the other says it lacks, or rules out that the other has ("")."""
        if missing := self.requires & other.lacks:
            return f"one side requires {'/'.join(sorted(missing))}, the other has none"
        if ruled_out := self.excludes & other.holds:
            return f"one side rules out {'/'.join(sorted(ruled_out))}, the other has it"
        if unable := {v for v in self.does if any(tokens(v) == tokens(w) for w in other.cannot)}:
            return f"one side asks someone who can {'/'.join(sorted(unable))}, the other cannot"
        return ""


# Verbs of the frames above that are no ability ("someone who cares", "I don't know", "must apply", "we can't
# wait"): the commonest English verbs of thinking, wanting and being, not a list of this network's words.
_NOT_ABILITIES = frozenset(
    tokens("is are was be been have has had do does did know knows care cares want wants need needs mind wait "
           "apply matter matters help helps work works fit fits understand understands get gets go goes come comes "
           "think thinks say says mean means believe believes remember love loves like likes see sees")
)  # fmt: skip
_NOTHING = Eligibility()  # (shared by the many statements that say none of it)
