"""Hearing needs and offers in what people already wrote: messages, the user's notes, meeting summaries.

Pure: a text in, the statements it makes out (need or offer, the sentence, a confidence, whose statement it is).
The steps, each general rather than fitted to a trade or a data set:

1. Broadcasts first: a text in the form of a recruiter template, a rejection letter, a sales sequence, an event
   blast or a newsletter (`heard_rules.BROADCAST`) states nothing personal — its "we're hiring" is sent to
   hundreds. The same text going to many recipients is the other sign; the caller counts that with
   `body_digest` over all it has read, since one text alone cannot show it.
2. Sentences: split on end punctuation and line breaks. Thanks, declines and statements of a need already met
   are left out; a need inside an "if you need …," clause is the listener's hypothetical, not a statement.
3. Each sentence is read with the rules of `heard_rules` (first-person or reported asks, intro asks, hiring, job
   searching; offers of help, giveables, services, job leads); an offer with nothing after its cue ("happy to
   help anytime") is politeness and dropped; hedges ("maybe", "someday") lower the confidence.
4. Neighbouring sentences of one kind are one statement ("We're hiring two RNs. Know anyone?").

The market side of a statement (seeks work, hiring, raising, investing) is the matching engine's own reading
(`match_text.side_of`); it lifts a need whose side is clear (a statement in a market is a need the network can
serve) and is returned for the caller to show.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from givefirst.domain import heard_rules as rules
from givefirst.domain.match_text import Side, side_of, tokens

THRESHOLD = 0.6  # the default: at or above it a statement is proposed
MASS_RECIPIENTS = 3  # the same body to this many people is a mass message

# End of a sentence: . ! ? (or a run of them) before a space and a capital, a digit or a quote; or a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\s*\n+\s*|(?<=[a-z)])\s+[—–-]\s+(?=[A-Z])")
_ABBREVIATION = re.compile(r"\b(st|dr|mr|mrs|ms|jr|sr|inc|co|corp|ltd|vs|e\.g|i\.e|mt|ft|no|approx)\.$", re.I)
_SPEAKER = re.compile(r"\b(i|we|my|our|me|us|i'm|i'd|i've|we're|we've|we'd|let me)\b")
_THIRD = re.compile(r"\b(he|she|they|his|her|their|them|[a-z]+'s)\b")
_ASK_YOU = re.compile(r"\b(you|anyone|anybody)\b")
_ANYWHERE = frozenset({"giveable", "job lead"})
_GREETING = re.compile(r"^\s*(hi|hey|hello|dear|good (morning|afternoon|evening))\b[^,.!\n]{0,40}[,.!:\n—-]\s*", re.I)


@dataclass(frozen=True)
class Heard:
    """One statement: a need or an offer, where it is in the text, how sure, whose."""

    kind: str  # need | offer
    sentence: str
    start: int
    end: int
    confidence: float
    voice: str  # "speaker": the writer's own; "subject": someone the writer writes about (a note's person)
    rule: str
    side: Side = Side.NONE


def normalise(text: str) -> str:
    """Lower-case with straight apostrophes and single spaces: the form the rules read."""
    return " ".join(text.replace("’", "'").replace("‘", "'").lower().split())


def sentences(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each sentence in `text`, blanks dropped."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text, 0, m.start()):
            continue  # "St. Pete", "Dr. Lee": not the end of a sentence
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def broadcast_reason(text: str) -> str | None:
    """Return what a text is when its form is a template, blast or newsletter ("recruiter", "event"…), else None."""
    plain = normalise(text)
    score, first = 0.0, None
    for name, pattern, weight in rules.BROADCAST:
        if pattern.search(plain):
            score += weight
            first = first or name
    return first if score >= 1.0 else None


def body_digest(text: str) -> str:
    """Return a digest of a message's body that is the same for a template sent to many people.

    The greeting ("Hi Jordan,") is dropped, names and numbers cannot tell copies apart, so capitalised words
    after the first of a sentence and digits are left out too.
    """
    body = _GREETING.sub("", text, count=1)
    words = [w for w in re.findall(r"[A-Za-z']+", body) if not w[:1].isupper()]
    return hashlib.sha1(" ".join(words).lower().encode("utf-8")).hexdigest()


def statement_digest(person_key: str, kind: str, sentence: str) -> str:
    """Return the digest that names a statement for good: the same words from the same person, whatever the
    source or the punctuation, so that a re-run never proposes it again (nor a rejected one)."""
    words = " ".join(tokens(sentence))
    return hashlib.sha1(f"{person_key}|{kind}|{words}".encode()).hexdigest()


def _content_after(plain: str, end: int) -> int:
    """Return how many content words follow a cue (what the offer or need is about)."""
    return sum(1 for w in tokens(plain[end:]) if w not in rules.GENERIC)


def _voice(before: str, author: str) -> str:
    """Return whose statement a cue makes, from the words before it."""
    if author == "them":
        return "speaker"
    if _SPEAKER.search(before):
        return "speaker"
    if _THIRD.search(before):
        return "subject"
    if _ASK_YOU.search(before) or not before.strip():
        # "Could you introduce me…", "Need a…": the writer's own, except that a note's bare fragment
        # ("needs a new supplier") is about the note's person.
        return "subject" if author == "note" and not _ASK_YOU.search(before) else "speaker"
    return "subject" if author == "note" else "speaker"


def read_sentence(sentence: str, author: str) -> tuple[str, float, str, str] | None:
    """Return (kind, confidence, voice, rule) for one sentence, or None when it states no need or offer."""
    plain = normalise(sentence)
    if rules.THANKS.search(plain) or rules.NEGATION.search(plain):
        return None
    clause = rules.IF_CLAUSE.search(plain)
    hypothetical_end = clause.end() if clause else 0
    readings: list[tuple[int, str, float, str, str]] = []  # (position, kind, confidence, voice, rule)
    for kind, name, pattern, base in rules.RULES:
        for m in pattern.finditer(plain):
            if kind == rules.NEED and m.start() < hypothetical_end:
                continue  # "if you need a CPA, …": not a statement of need
            # What the statement is about: after the cue ("happy to help with X"); a giveable or a lead names
            # it anywhere ("two tickets to the Straz, free").
            about = _content_after(plain, 0 if name in _ANYWHERE else m.end())
            if about == 0:
                continue  # nothing said about what: politeness ("happy to help anytime")
            conf = base - (0.1 if about == 1 else 0.0)
            if rules.HEDGE.search(plain):
                conf -= 0.15
            if kind == rules.OFFER and rules.POLITE.search(plain[: m.start()]):
                conf -= 0.1
            if kind == rules.NEED and side_of(plain) is not Side.NONE:
                conf += 0.05  # a statement in a market (hiring, job seeking, raising) is one the network can serve
            if len(plain.split()) > 45:
                conf -= 0.1  # a long sentence is seldom one statement
            readings.append((m.start(), kind, conf, _voice(plain[: m.start()], author), name))
            break
    if not readings:
        return None
    leads = [r for r in readings if r[4] == "job lead"]
    if leads:
        return leads[0][1:]  # passing on someone else's opening is the user's give, whatever else is said
    # The main clause comes first: of readings about as sure as the best, the earliest wins ("Happy to introduce
    # you to my old boss; they're always looking for ops people" offers an introduction).
    top = max(r[2] for r in readings)
    first = min((r for r in readings if r[2] >= top - 0.06), key=lambda r: r[0])
    return first[1:]


def hear(text: str, author: str = "them") -> list[Heard]:
    """Return the needs and offers a text states, best first within each sentence order.

    `author`: "them" (a message someone sent the user), "me" (one the user sent), "note" (the user's note about
    someone). A broadcast yields nothing; the caller may still count its body with `body_digest`.
    """
    if not text.strip() or broadcast_reason(text) is not None:
        return []
    found: list[Heard] = []
    for start, end in sentences(text):
        sentence = text[start:end]
        reading = read_sentence(sentence, author)
        if reading is None:
            continue
        kind, conf, voice, rule = reading
        conf = round(max(0.0, min(0.99, conf)), 2)
        prev = found[-1] if found else None
        if prev and prev.kind == kind and prev.voice == voice and _adjacent(text, prev.end, start):
            merged = text[prev.start : end]
            found[-1] = Heard(kind, merged, prev.start, end, max(prev.confidence, conf), voice, prev.rule,
                              side_of(merged))  # fmt: skip
            continue
        found.append(Heard(kind, sentence, start, end, conf, voice, rule, side_of(sentence)))
    return found


def _adjacent(text: str, prev_end: int, start: int) -> bool:
    return not text[prev_end:start].strip(" \t.!?\"')—–-")


def proposed(text: str, author: str = "them", threshold: float = THRESHOLD) -> list[Heard]:
    """Return the statements of a text at or above the threshold."""
    return [h for h in hear(text, author) if h.confidence >= threshold]
