"""Ages in needs and offers: how old the person a need is for is, and which ages an offer serves.

"Cello lessons for my 34-year-old brother" is no match for "Suzuki group classes for ages 3 to 10", nor "my
14-month-old didn't pass his hearing screen" for "adults only". Read only where the text says it plainly:
- a person's age: "my 5-year-old", "our two-year-old daughter", "a 34-year-old", "he is 14 months old", "I'm 67
  years old" (a singular "-year-old" after "my", "our", "a" … — "a room of 14-year-olds" is a group, "our
  30-year-old furnace" a thing, so a few words for things after it stop it; "a 4- and a 7-year-old" are two);
  and, with no "old" (m31), the speaker's "I'm 16 and …" or a relative's "my brother is 27," where the number
  ends its clause;
- the ages served: "ages 3 to 10", "ages 8–16", "ages 14 and up", "kids under 5", "up to age 12", "adults only",
  "18+", "must be 16 or older" (m26), "children up to 16", "students only, 19 and over" (m31), "enrolled in
  university and 18 or older" (m32), "you need to be 18, have a diploma …" (m35) (a range of children's ages in a
  text that also speaks of adults serves both: no limit is read).
Numbers may be written as words up to twenty.
"""

from __future__ import annotations

import re

from givefirst.domain.lazy_regex import lazy

_WORDS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
]  # fmt: skip
_NUMBER = r"(\d{1,2}|" + "|".join(_WORDS) + r")"
OLDEST = 120

# Things people describe by age: a "-year-old" before one of these is no person ("our 30-year-old furnace").
_THINGS = frozenset({
    "business", "company", "firm", "practice", "shop", "store", "restaurant", "bakery", "brand", "house", "home",
    "building", "roof", "furnace", "boiler", "car", "truck", "boat", "van", "tractor", "machine", "lathe", "panel",
    "system", "network", "site", "website", "app", "program", "programme", "nonprofit", "charity", "church", "band",
    "tree", "trees", "oak", "barn", "deck", "kitchen", "bathroom", "septic", "well", "sewer", "cabin", "condo",
    "apartment", "duplex", "catalog", "library", "archive", "collection", "festival", "event", "magazine",
})  # fmt: skip
_PERSON_AGE = lazy(
    rf"\b(?:my|our|his|her|their|a|an)\s+{_NUMBER}[- ](year|month)[- ]old\b(?!s)(?:[- ]+(\w+))?", re.IGNORECASE
)
_IS_OLD = lazy(rf"\b(?:is|was|just turned|turns|turned|i'm|i am)\s+(?:almost\s+|nearly\s+|just\s+)?{_NUMBER}\s+"
                     r"(year|month)s?\s+old\b", re.IGNORECASE)  # fmt: skip
# (m31) An age said with no "old": the speaker's ("I'm 16 and want a summer internship") or a relative's ("my brother
# is 27, autistic"), the number ending its clause; not "I'm 16 weeks pregnant", nor "my team is 12".
_RELATIVE = (
    r"(?:son|daughter|child|kid|boy|girl|brother|sister|mum|mom|mother|dad|father|husband|wife|partner|grandson"
    r"|granddaughter|grandmother|grandfather|grandma|grandpa|nephew|niece|cousin|aunt|uncle|stepson|stepdaughter)"
)
_AGE_SAID = lazy(
    rf"(?:\b(?:i'm|i’m|i\s+am)|\b(?:my|our)\s+(?:\w+\s+)?{_RELATIVE}\s+(?:is|just\s+turned|turned))\s+{_NUMBER}"
    r"(?![.,]\d)(?=\s*(?:[,.;!)—–]|$)|\s+and\b)",  # (not "I'm 3,000 miles away")
    re.IGNORECASE,
)
_TWO_AGES = lazy(rf"\b{_NUMBER}-\s+(?:and|or)\s+(?:an?\s+)?{_NUMBER}[- ]year[- ]old", re.IGNORECASE)
_RANGE = lazy(rf"\bages?\s+{_NUMBER}\s*(?:-|–|—|to|through|thru)\s*{_NUMBER}\b", re.IGNORECASE)
_FROM = lazy(rf"\bages?\s+{_NUMBER}\s*(?:\+|and\s+up\b|and\s+older\b|and\s+over\b|or\s+older\b)", re.I)
_UNDER = lazy(rf"\b(?:kids|children|ages?)\s+(?:under|younger\s+than|below)\s+{_NUMBER}\b", re.IGNORECASE)
# (m26) An age asked of whoever comes: "volunteers must be 16 or older", "you must be 21+", "must be aged 18 and over".
# (m35) also "you need to be 18, have a diploma …", "applicants have to be 16 and …": a bare age that ends its clause
_MUST_BE = lazy(
    rf"\b(?:must|(?:need|needs|have|has)\s+to)\s+be\s+(?:aged\s+|at\s+least\s+)?{_NUMBER}"
    rf"(?:\s*\+|\s+(?:or|and)\s+(?:older|over|up)\b"
    rf"|(?=\s+(?:years?\s+old\s+)?(?:to|or)\s+(?:join|apply|volunteer|take part|participate)\b)"
    r"|(?=\s+years?\s+old\b|\s*[,;.)](?!\d)|\s+and\b))",
    re.IGNORECASE,
)
_UP_TO = lazy(rf"\b(?:up\s+)?to\s+age\s+{_NUMBER}\b", re.IGNORECASE)
# (m31) "children up to 16 only", "kids up to 12"; and a bare lower bound set off from what it bounds ("university
# students only, 19 and over"; not "groups of 10 and over", nor "— 30+ campaigns", a count)
_KIDS_UP_TO = lazy(rf"\b(?:kids|children|students|pupils|patients)\s+up\s+to\s+{_NUMBER}\b", re.IGNORECASE)
_SET_OFF_FROM = lazy(rf"(?:[,;:(—–]\s*|\baged\s+){_NUMBER}\s+(?:and|or)\s+(?:over|older|up)\b", re.I)
# (m32) "N or older" says an age wherever it stands ("must be enrolled in university and 18 or older"), where "and
# over" may count anything ("orders of 50 and over"); not "10 years or older" (a thing's age, or a span of time)
_OR_OLDER = lazy(rf"\b{_NUMBER}\s+or\s+older\b", re.IGNORECASE)
_ADULT_WORD = lazy(r"\badults?\b", re.IGNORECASE)
_ADULTS = lazy(r"\b(?:adults\s+only|adults\s*\(?18\+|18\s*\+|18\s+and\s+(?:up|over|older))", re.IGNORECASE)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _WORDS.index(word.lower())


def _years(number: str, unit: str) -> int:
    """Whole years of "14" "month(s)" or "5" "year(s)"."""
    return _number(number) // 12 if unit.lower() == "month" else _number(number)


def person_age(text: str) -> int | None:
    """Return the age in whole years of the person a text is about, when it says it plainly, else None (also
    when it names two different ages: "a 4- and a 7-year-old")."""
    lower = text.lower()
    ages: set[int] = set()
    if any(cue in lower for cue in ("i'm", "i’m", "i am", " is ", "turned")):
        ages = {_number(m.group(1)) for m in _AGE_SAID.finditer(text)}
    if "old" not in lower:  # (every other form says "old")
        return ages.pop() if len(ages) == 1 else None
    if _TWO_AGES.search(text):  # "a 4- and a 7-year-old": two
        return None
    for m in _PERSON_AGE.finditer(text):
        after = (m.group(3) or "").lower()
        if after in _THINGS:
            continue
        ages.add(_years(m.group(1), m.group(2)))
    ages |= {_years(m.group(1), m.group(2)) for m in _IS_OLD.finditer(text)}
    return ages.pop() if len(ages) == 1 else None


# One in every form ("to be" only as `_MUST_BE` reads it: the plain phrase is in a tenth of all statements)
_AGES_CUES = ("age", "kids", "children", "adult", "18", "must be", "need to be", "needs to be", "have to be",
              "has to be", "up to", "over", "older")  # fmt: skip


def ages_served(text: str) -> tuple[int, int] | None:
    """Return the youngest and oldest ages an offer says it serves, or None when it says none (or two ranges)."""
    lower = text.lower()
    if not any(cue in lower for cue in _AGES_CUES):
        return None  # (most statements: the five forms are not read)
    found: set[tuple[int, int]] = set()
    found |= {(_number(m.group(1)), _number(m.group(2))) for m in _RANGE.finditer(text)}
    found |= {(_number(m.group(1)), OLDEST) for m in _FROM.finditer(text)}
    found |= {(_number(m.group(1)), OLDEST) for m in _MUST_BE.finditer(text)}
    found |= {(0, _number(m.group(1)) - 1) for m in _UNDER.finditer(text)}
    found |= {(0, _number(m.group(1))) for m in _UP_TO.finditer(text)}
    found |= {(0, _number(m.group(1))) for m in _KIDS_UP_TO.finditer(text)}
    found |= {(_number(m.group(1)), OLDEST) for m in _SET_OFF_FROM.finditer(text)}
    found |= {(_number(m.group(1)), OLDEST) for m in _OR_OLDER.finditer(text)}
    if _ADULTS.search(text):
        found.add((18, OLDEST))
    if len(found) != 1:
        return None
    low, high = found.pop()
    if high < 18 and _ADULT_WORD.search(text):  # "junior camps for ages 8 to 16 and adult keelboat courses"
        return None
    return (low, high) if low <= high else None


def age_clash(age: int | None, served: tuple[int, int] | None) -> str:
    """Return why a person of `age` is outside the ages served ("" when inside, or when either is unknown)."""
    if age is None or served is None or served[0] <= age <= served[1]:
        return ""
    low, high = served
    span = f"{low} and over" if high >= OLDEST else f"under {high + 1}" if low == 0 else f"{low} to {high}"
    return f"ages: {age} against {span}"
