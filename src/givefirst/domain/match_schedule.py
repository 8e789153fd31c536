"""Times of the week one side must have and the other cannot give (issue 11, pattern 8: a constraint beyond
place).

A kitchen where "Friday and Saturday nights are mandatory" is no answer to a cook who keeps Shabbat, "so no Friday
nights"; a job that "must work weekends" none to someone "available weekdays only". Both sides have to say it, as
with licences: a job's hours alone say nothing of who can work them.

A time of the week is a day (a weekday's name, "weekends", "weekdays") and a part of the day ("mornings",
"afternoons", "evenings" or "nights", or a shift named by one: "night shift"; a "day shift" is the morning and the
afternoon, m38), either one alone meaning any of the other. Three readings, in general frames: what a statement
*requires* ("… are mandatory", "… required", "must work …", "including …", "night-shift pickers needed", "hiring
overnight stockers"), what its speaker *cannot give* ("no …", "can't do …", "not available …", "… are out",
"never …", "done with …") and the only times it *can* ("… only", "only …"). A requirement that meets a time the
other side cannot give, or that none of the other's only times covers, rules the pair out; so do only times that the
other side cannot give, or that none of its own only times meets (m36).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from givefirst.domain.lazy_regex import lazy

_DAYS = {
    "monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu", "friday": "fri", "saturday": "sat",
    "sunday": "sun", "weekend": "weekend", "weekday": "weekday", "weeknight": "weekday",
}  # fmt: skip
_PARTS = {
    "morning": "morning",
    "afternoon": "afternoon",
    "evening": "night",
    "night": "night",
    "overnight": "night",
    "day": "day",
}  # (m38) "day" only as a shift: "day shift only"
# The parts of the day each covers: a day shift is the morning and the afternoon.
_COVERS = {"morning": frozenset({"morning"}), "afternoon": frozenset({"afternoon"}), "night": frozenset({"night"}),
           "day": frozenset({"morning", "afternoon"})}  # fmt: skip
_WEEKEND, _WEEKDAY = frozenset({"sat", "sun"}), frozenset({"mon", "tue", "wed", "thu", "fri"})
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|weekday|weeknight)s?"
# (m38) a shift named by its part of the day: "day shift", "night-shift", "evening shifts"
_PART = r"(?:(?:mornings?|afternoons?|evenings?|nights?|overnights?)(?:[- ]shifts?)?|days?[- ]shifts?)"
# A time: "Friday nights", "weekend mornings", "Saturdays", "evenings", "Friday and Saturday nights".
_TIME = rf"(?:{_DAY}(?:\s*(?:,|and|or|&|/)\s*{_DAY})*(?:\s+{_PART})?|{_PART})"
_REQUIRES = lazy(  # (one word may name what the time is for: "weekend shifts are mandatory")
    rf"(?<!\bno\s)(?<!\bnot\s)({_TIME})(?:\s+[a-z]+)?\s+(?:are|is)\s+(?:mandatory|required|a\s+must|non-negotiable)"
    rf"|(?<!\bno\s)(?<!\bnot\s)({_TIME})(?:\s+[a-z]+)?\s+(?:required|mandatory)"
    rf"|\bmust\s+(?:be\s+able\s+to\s+)?(?:work|be\s+available|cover|do)\s+(?:on\s+|most\s+|all\s+)?({_TIME})"
    rf"|\b(?:including|includes)\s+({_TIME})"
    # (m25) when someone must come: "a trainer who can come in on a Sunday evening", "start on Saturdays"
    rf"|\b(?:come\s+in|come\s+out|be\s+here|be\s+there)\s+(?:on\s+)?(?:an?\s+)?({_TIME})"
    # (m38) the times of the work hired for: "night-shift pickers needed", "hiring overnight stockers"
    rf"|(?<!\bno\s)(?<!\bnot\s)\b({_TIME})\s+(?:[a-z]+\s+){{0,2}}?(?:needed|wanted)\b"
    rf"|\bhiring\s+(?:for\s+)?(?:(?:an?|the|some|\d+)\s+)?({_TIME})",
    re.IGNORECASE,
)
_CANNOT = lazy(
    rf"\bno\s+({_TIME})\b(?!\s+(?:required|needed|necessary))"
    rf"|\b(?:can'?t|cannot|can’t|won'?t|don'?t|do\s+not|never)\s+(?:do|work|make|be\s+available)?\s*(?:on\s+)?({_TIME})"
    rf"|\bnot\s+available\s+(?:on\s+|in\s+the\s+|at\s+)?({_TIME})"
    rf"|({_TIME})(?:\s+[a-z]+)?\s+(?:are|is)\s+out\b"
    rf"|\b(?:every|all)\s+({_TIME})\s+off\b"
    # (m36) times one has had enough of: "done with nights", "no more weekends", "finished with Saturday shifts"
    rf"|\b(?:done|finished|through)\s+with\s+({_TIME})|\bno\s+more\s+({_TIME})",
    re.IGNORECASE,
)
_ONLY = lazy(
    rf"({_TIME})\s+only\b|\bonly\s+(?:available\s+)?(?:on\s+|in\s+the\s+)?({_TIME})"
    rf"|\bonly[,;]\s+({_TIME})(?=\s*(?:[.;!]|$))",  # (m25) "Auckland only, weekday mornings."
    re.IGNORECASE,
)
_CUES = ("day", "night", "morning", "afternoon", "evening", "weekend")
_SPLIT = lazy(r"\s*(?:,|\band\b|\bor\b|&|/)\s*|\s+", re.IGNORECASE)

Slot = tuple[frozenset[str], str]  # (days, part): an empty set or "" for any


def _slots(phrase: str) -> frozenset[Slot]:
    """The times a phrase names: each day it lists, with the part of the day written after them."""
    words = [w.lower().rstrip("s") for w in _SPLIT.split(phrase.replace("-", " ")) if w]
    part = next((_PARTS[w] for w in words if w in _PARTS), "")
    days = [_DAYS[w] for w in words if w in _DAYS]
    if not days:
        return frozenset({(frozenset(), part)})
    return frozenset(
        {(_WEEKEND if d == "weekend" else _WEEKDAY if d == "weekday" else frozenset({d}), part) for d in days}
    )


def _overlap(a: Slot, b: Slot) -> bool:
    days = not a[0] or not b[0] or bool(a[0] & b[0])
    return days and (not a[1] or not b[1] or bool(_COVERS[a[1]] & _COVERS[b[1]]))


def _within(a: Slot, b: Slot) -> bool:
    """Whether every time of `a` is a time of `b`."""
    return (not b[0] or (bool(a[0]) and a[0] <= b[0])) and (not b[1] or (bool(a[1]) and _COVERS[a[1]] <= _COVERS[b[1]]))


def _read(pattern: re.Pattern[str], text: str) -> frozenset[Slot]:
    return frozenset(s for m in pattern.finditer(text) for g in m.groups() if g for s in _slots(g))


@dataclass(frozen=True, slots=True)
class Schedule:
    """The times of the week a statement requires, cannot give, and the only ones it can."""

    requires: frozenset[Slot] = frozenset()
    cannot: frozenset[Slot] = frozenset()
    only: frozenset[Slot] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.requires or self.cannot or self.only)

    @classmethod
    def of(cls, text: str) -> Schedule:
        lower = text.lower()
        if not any(cue in lower for cue in _CUES):
            return _NOTHING  # no day or part of a day named (most statements)
        found = cls(_read(_REQUIRES, text), _read(_CANNOT, text), _read(_ONLY, text))
        return found if found else _NOTHING

    def clash(self, other: Schedule) -> str:
        """Return a time this side requires that the other cannot give, or that none of its only times covers;
        or, when this side can only give some times, that the other side can give none of them (m36: a job "nights
        only" and someone "done with nights"; "weekday mornings only" and "evenings only")."""
        for need in sorted(self.requires, key=_label):
            if any(_overlap(need, c) for c in other.cannot):
                return f"{_label(need)} required, and the other side cannot"
            if other.only and not any(_within(need, o) for o in other.only):
                return f"{_label(need)} required, and the other side only {', '.join(sorted(map(_label, other.only)))}"
        mine = ", ".join(sorted(map(_label, self.only)))
        if self.only and other.cannot and all(any(_within(o, c) for c in other.cannot) for o in self.only):
            return f"{mine} only, and the other side cannot"
        if self.only and other.only and not any(_overlap(a, b) for a in self.only for b in other.only):
            return f"{mine} only, and the other side only {', '.join(sorted(map(_label, other.only)))}"
        return ""


_NAMES = {short: day.title() for day, short in _DAYS.items() if short in _WEEKEND | _WEEKDAY}  # "fri": "Friday"


def _label(slot: Slot) -> str:
    days, part = slot
    day = (
        "weekend" if days == _WEEKEND else "weekday" if days == _WEEKDAY else "/".join(_NAMES[d] for d in sorted(days))
    )
    return " ".join(w for w in (day, f"{part}s" if part else "") if w) or "any time"


_NOTHING = Schedule()  # (shared by the many statements that name no time)
