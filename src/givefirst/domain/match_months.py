"""The months a need wants something in, against the months an offer is open (issue 11, pattern 8: a constraint
beyond place).

A wedding "the first weekend of December" is no answer from a venue "open May through October", nor a June trip from
aurora tours that run "November to March". Both sides have to say it, as with the times of the week
(`match_schedule`): a venue's season alone says nothing of when a need is.

Two readings, each a set of month numbers (1–12):

* `wanted`: the months a statement wants something in: a month after a word that places a time in it ("in June",
  "the first weekend of December", "early March", "next April", "for July");
* `open`: the months it is open, available or in season: a range after such a word ("open May through October",
  "runs November to March", "season: April–September", "November to March only"), a range that wraps the year's
  end included.

Month names count only written with a capital, so "may" and "march" as verbs are none.
"""

from __future__ import annotations

from dataclasses import dataclass

from givefirst.domain.lazy_regex import lazy

_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
_MONTH_OF = {name[:3].lower(): i + 1 for i, name in enumerate(_NAMES)}  # (a name's first three letters tell it)
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December" \
         r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"  # fmt: skip
_TO = r"\s*(?:-|–|—|(?i:to|through|thru|until|till))\s*"
_OPEN = lazy(
    rf"\b(?i:open|available|operat\w*|runs?|running|season\w*|bookings?|booking|only)\s*:?\s+(?i:from\s+)?{_MONTH}"
    rf"{_TO}{_MONTH}"
    rf"|\b{_MONTH}{_TO}{_MONTH}(?=,?\s+(?i:only)\b)"  # "November to March only"
)
_WANTED = lazy(
    rf"\b(?i:in|of|for|this|next|early|mid|late|around|by)\s+(?:(?i:early|mid|late)[- ])?{_MONTH}\b(?!\s*(?:-|–|—))"
)
_CUES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month(name: str) -> int:
    return _MONTH_OF[name[:3].lower()]


def _span(first: int, last: int) -> frozenset[int]:
    """The months from `first` to `last`, wrapping the year's end ("November to March")."""
    return frozenset(((first - 1 + k) % 12) + 1 for k in range((last - first) % 12 + 1))


@dataclass(frozen=True, slots=True)
class Months:
    """The months a statement wants something in and the months it is open."""

    wanted: frozenset[int] = frozenset()
    open: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.wanted or self.open)

    @classmethod
    def of(cls, text: str) -> Months:
        if not any(cue in text for cue in _CUES):
            return _NONE
        spans = [(m.start(), m.end(), _span(*(_month(g) for g in m.groups() if g))) for m in _OPEN.finditer(text)]
        open_ = frozenset(month for _, _, months in spans for month in months)
        wanted = frozenset(
            _month(m.group(1))
            for m in _WANTED.finditer(text)
            if not any(start <= m.start() < end for start, end, _ in spans)
        )
        return cls(wanted, open_) if wanted or open_ else _NONE

    def clash(self, other: Months) -> str:
        """Return why what this side wants falls outside the months the other is open ("" when it does not)."""
        if not self.wanted or not other.open or self.wanted & other.open:
            return ""
        wanted = "/".join(_NAMES[m - 1] for m in sorted(self.wanted))
        first, last = _ends(other.open)
        return f"wanted in {wanted}, the other side open {_NAMES[first - 1]} to {_NAMES[last - 1]}"


def _ends(months: frozenset[int]) -> tuple[int, int]:
    """The first and last month of a season, one over the year's end included ("November to March")."""
    first = next((m for m in sorted(months) if (m - 2) % 12 + 1 not in months), min(months))
    last = next((m for m in sorted(months) if m % 12 + 1 not in months), max(months))
    return first, last


_NONE = Months()
