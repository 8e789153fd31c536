"""What an offer says its speaker does not do (issue 11, patterns 6 and 8, engine m37).

An offer that says "I don't do postpartum or overnight newborn care" is no answer to a need for a postpartum doula
who does overnights; a tiler who "doesn't take small repair jobs" none to someone with twelve cracked tiles; a
surgeon who says "I don't take Medicaid" none to a patient on Medicaid.

`refuses`: the content words of what an offer's speaker says they do not do, take, handle, offer, accept, treat,
see or represent ("I don't do remediation", "we do not accept insurance", "I no longer take small jobs"), in
general English frames. Read on offers only: a need says what its speaker does not do in order to ask for it
("I don't do my own taxes"); and not when the refusal goes on to a way round it ("we don't do big repairs in house,
but we send them to …").

A clash is a refused word among the need's content words, leaving out words that say nothing of what the work is
("job", "work", "care", "session", "new"), so "I don't take small jobs" meets "a small job" by "small", not by
"job". (A thing set aside in a contrast, "product, not project", was read too and rejected: "I know food, not
wine" sets aside what its speaker asks for; `docs/matching.md`.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from givefirst.domain.lazy_regex import lazy
from givefirst.domain.match_text import tokens

# What follows the verb: up to four words, stopping before a preposition, a conjunction or punctuation ("I don't do
# this for money" reads "this", a stop word, so nothing).
_WHAT = r"((?:[\w'’-]+\s+){0,3}?[\w'’-]+)(?=\s*(?:[.;:,!?()—–]|\s(?:in|of|for|from|to|and|but|so|because|since|"
_WHAT += r"or|nor|unless|if|at|on|with|anymore|any\s+more|either|myself|ourselves)\b|$))"
_REFUSES = lazy(
    r"\b(?:i|we)\s*(?:do\s*n[o'’]t|don['’]?t|do\s+not|won['’]?t|will\s+not|never|no\s+longer)\s+"
    r"(?:do|take|handle|offer|accept|treat|see|represent|work\s+on|take\s+on)\s+"
    r"(?:(?:any|the|an?)\s+)?" + _WHAT,
    re.IGNORECASE,
)
_BUT = lazy(r"[^.;!?]{0,30}?\bbut\b", re.IGNORECASE)  # a way round the refusal follows
_OR_ALSO = lazy(r"\s+(?:or|nor)\s+((?:[\w'’-]+\s+){0,3}?[\w'’-]+)(?=\s*(?:[.;:,!?()—–]|$))", re.IGNORECASE)
_CUES = ("n't", "n’t", "not ", "never", "no longer")
# Words that say nothing of what the work is: sharing one of these alone is no clash.
_EMPTY = frozenset(
    tokens("job jobs work works thing things stuff service services help people person client clients case cases "
           "kind kinds type types anything everything something new more other care sure session sessions "
           "appointment appointments")
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Refusals:
    """What an offer's speaker says they do not do."""

    refuses: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.refuses)

    @classmethod
    def of(cls, text: str, *, offer: bool) -> Refusals:
        lower = text.lower()
        if not offer or not any(cue in lower for cue in _CUES):
            return _NOTHING
        refuses: set[str] = set()
        for m in _REFUSES.finditer(text):
            if _BUT.match(text, m.end()):  # "we don't do big repairs in house, but we send them to …": a route
                continue
            refuses.update(tokens(m.group(1)))
            if more := _OR_ALSO.match(text, m.end()):  # "postpartum or overnight newborn care"
                refuses.update(tokens(more.group(1)))
        found = cls(frozenset(refuses - _EMPTY))
        return found if found else _NOTHING


_NOTHING = Refusals()


def refusal_clash(offer: Refusals, need_words: frozenset[str]) -> str:
    """Return what the offer says it does not do that the need says (`need_words`: its stemmed content words), or
    ""."""
    refused = offer.refuses & need_words
    return f"the offer says it does not do {'/'.join(sorted(refused))}" if refused else ""
