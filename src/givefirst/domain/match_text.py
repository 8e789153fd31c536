"""Reading need and offer texts: content words for BM25, and the market side a text speaks for (its intent).

Intent: in a labour or capital market a statement is on one side — a job seeker (or a freelancer looking for
clients) supplies work, someone hiring demands it; a founder raising money demands capital, an investor supplies
it. Whether the text is filed as a need or an offer does not change its side: "open to full-time roles" (an
offer of one's work) and "looking for my next role" (a need) are both the job seeker's. Two statements on the
same side of the same market are never an introduction (two job seekers, two people hiring, two founders
raising); opposite sides are the best kind (Pizzato et al. 2010, reciprocal recommenders). The sides are read
with a few general phrasings, not with word lists of roles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from givefirst.domain.lazy_regex import lazy
from givefirst.domain.match_calibration import NO_SIDE_NOTE as NO_SIDE_NOTE  # (the note of a pair in no market)

# Apostrophes are removed before splitting, so contractions appear here without them ("we're" → "were").
_STOP_TEXT = """
a about after all also am an and any anyone are as at be been but by can could do does for from get good happy have
help i if in into is it its just know like looking me more my need next of on one or our out over really so some
someone something than that the their them then there these they this to up us very want was we were what when where
who will with would you your im ive id ill well youre youve theyre dont cant wont thats whats lets let new glad love
always also am how much many most other own per via vs etc re ll ve d s t yes no not only every each both few
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = lazy(r"[a-z0-9][a-z0-9+#]*")


class Side(StrEnum):
    """Which side of a market a statement speaks for; NONE for most statements (advice, intros, tickets)."""

    NONE = "none"
    WORK_SUPPLY = "seeks work"  # a job seeker, a freelancer, a provider or landlord looking for clients
    WORK_DEMAND = "hiring"  # an employer or client with a role to fill
    CAPITAL_DEMAND = "raising"  # a founder raising money
    CAPITAL_SUPPLY = "investing"  # an investor, a fund, an accelerator with cheques
    VOLUNTEER_DEMAND = "needs volunteers"  # a charity or program short of volunteers
    VOLUNTEER_SUPPLY = "wants to volunteer"


OPPOSITE = {
    Side.WORK_SUPPLY: Side.WORK_DEMAND,
    Side.WORK_DEMAND: Side.WORK_SUPPLY,
    Side.CAPITAL_DEMAND: Side.CAPITAL_SUPPLY,
    Side.CAPITAL_SUPPLY: Side.CAPITAL_DEMAND,
    Side.VOLUNTEER_DEMAND: Side.VOLUNTEER_SUPPLY,
    Side.VOLUNTEER_SUPPLY: Side.VOLUNTEER_DEMAND,
}

# Every alternative ends on a word boundary: "work" must not be read inside "workforce" or "workbook".
_JOB = r"(roles?|jobs?|positions?|opportunit(y|ies)|work|gigs?|assignments?|contracts?|projects?|shifts?)\b"
_CLIENTS = r"(clients?|customers?|patients|students|tenants?|bookings|couples)\b"
# (m27) Free times in a provider's week ("afternoon openings", "Saturday slots"): capacity offered, not a job.
_SLOT_WORDS = "morning afternoon evening weekend weekday monday tuesday wednesday thursday friday saturday sunday"
_SLOTS = rf"({'|'.join(_SLOT_WORDS.split())})s? (openings|slots)\b"
_NOT_A_SLOT = "".join(f"(?<!{w} )(?<!{w}s )" for w in _SLOT_WORDS.split())  # (a look-behind is of one width)
_ORG = (
    r"(team|company|startup|firm|clinic|practice|office|hospital|school|district|program|restaurant|shop|agency|"
    r"studio|hotel|group|center|centre|nonprofit|organi[sz]ation|department|theatre|theater|store|business|lab)"
)


# An organisation asking people to join its team, crew or shifts ("we're looking for people to join our overnight
# shifts"): its demand, for volunteers when the text speaks of volunteering (`read_side`).
_JOIN = (
    r"(looking for|need|needs|seeking|recruiting|want|inviting) (more |new |some |a few )?(people|folks|members|"
    r"others|hands|volunteers) to join (us|our|the) ([\w-]+ ){0,2}(team|crew|staff|shifts?|roster|rota|board|panel|"
    r"squad)\b"
)
_JOIN_CUE = lazy(_JOIN, re.IGNORECASE)  # (a cue read as one: whether the demand was read from it)
_VOLUNTEERING = lazy(r"\bvolunteer", re.IGNORECASE)


def _cues(*alternatives: str) -> re.Pattern[str]:
    return lazy(r"\b(" + "|".join(alternatives) + ")", re.IGNORECASE)


# (side, sure, cues): a sure cue says the side in so many words ("we're hiring", "looking for my next role"); a
# weak one only suggests it ("candidates", "available for", "our clinic needs a ..."), and the same side read
# weakly on either item lowers a pair instead of removing it.
_SIDES: tuple[tuple[Side, bool, re.Pattern[str]], ...] = (
    (
        Side.VOLUNTEER_DEMAND,
        True,
        _cues(
            r"(needs?|short of|looking for|recruiting|desperate for|always need) ([\w-]+ ){0,3}volunteers\b",
            # volunteers named by what they will do ("we need volunteer pilots", "seeking volunteer tutors")
            r"(needs?|short of|looking for|recruiting|seeking|desperate for) (more |some |a few |two |\d+ )?"
            r"volunteer (?!opportunit|roles?\b|positions?\b|shifts?\b|work\b|gigs?\b|hours\b)[\w-]+s\b",
            r"volunteers? (wanted|needed)\b",
        ),
    ),
    (
        Side.VOLUNTEER_SUPPLY,
        True,
        _cues(
            r"(want|like|love|hoping|looking) to volunteer\b",
            r"volunteer shift\b",
            r"looking for (a |an )?([\w-]+ ){0,2}volunteer (shift|role|position|opportunit)",
        ),
    ),
    (
        Side.WORK_DEMAND,
        True,
        _cues(
            r"we('| a)?re hiring\b",
            r"hiring (an? |our |for |\d )",
            r"^hiring\b",
            r"(is|are|am|were|still|now|always) hiring\b",
            r"(looking|trying|want|need|hoping) to hire\b",
            r"open (role|position|req)s?\b",
            r"job openings?\b",
            r"(roles?|positions?) (open|available)\b",
            r"(full|part)-time (role|position) (open|available)\b",
        ),
    ),
    (
        Side.WORK_DEMAND,
        False,
        _cues(
            # (m27) not a slot in a provider's week: "a tutor with afternoon openings" (`_SLOTS`)
            rf"{_NOT_A_SLOT}openings?\b(?! (a|an|the|my|our|up)\b)",
            r"(?<!help )hiring\b",
            r"job description\b",
            r"we pay\b",
            r"recruiting (an? |for )",
            r"candidates\b",
            r"(part-time|fractional|freelance|contract)( or (part-time|fractional|freelance|contract))? (is|are) fine",
            r"offer (\w+ ){0,2}(slots|spots|openings|internships)\b",
            rf"our ([\w-]+ ){{0,3}}{_ORG} (needs|wants|is looking for|is after) (an? |two |three |\d+ |some )",
            r"we need (an? |two |three |\d+ )(?!few\b)",
            r"we('| a)?re looking for (an? |two |three |\d+ )",
            # (m33) an organisation that says what it is, then whom it seeks ("we're a roofing company in Phoenix
            # looking for sales reps")
            rf"we('| a)?re an? ([\w-]+ ){{0,3}}{_ORG} ((in|near|outside) [\w.,'’-]+( [\w.,'’-]+)? )?"
            r"(looking for|seeking|hoping to find|that needs|and need)\b",
            r"we('| a)?re (building|growing|keeping|adding to) (a |an |our )?(bench|list|pool|roster|team)\b",
            _JOIN,
        ),
    ),
    (
        Side.WORK_SUPPLY,
        True,
        _cues(
            rf"(looking|hunting) for (a |an |my )?(next |new |first )?([\w-]+ ){{0,3}}{_JOB}",
            # (m31) cover work by the day ("hunting for sub days", "looking for supply days in Leeds")
            r"(looking|hunting|searching) for (\w+ ){0,2}(sub|substitute|supply|relief|locum|cover) "
            r"(days|shifts|work)\b",
            rf"open to (a )?(new )?([\w-]+ ){{0,3}}{_JOB}",
            rf"searching for ([\w-]+ ){{0,3}}{_JOB}",
            rf"seeking (a |an )?([\w-]+ ){{0,3}}{_JOB}",
            r"job[- ](search|hunt)",
            r"job seeker\b",
            r"open to work\b",
            r"between jobs\b",
            r"not relocating\b",
            # (m30) the employer the speaker wants to work for, by the role it needs ("looking for a practice that
            # needs a hygienist three days a week"; not "a daycare that would take a baby"); more hours of work
            r"looking for (an? |another )([\w-]+ ){0,3}(that|who|which) (is |are )?(hiring|hires|needs?|wants|"
            r"is looking for|could use|takes on) (an? |one |two |\d+ )",
            r"(looking for|want|need|after|could use) (some )?(extra|more|additional) (paid )?hours\b",
        ),
    ),
    (
        Side.WORK_SUPPLY,
        False,
        _cues(
            r"available (for|from|now)\b",
            r"taking on (new |a couple of |more )?clients\b",
            _SLOTS,
            r"tak(e|ing) on (\w+ ){0,2}(more|new|additional|another)\b",  # capacity: "taking on two more ranches"
            rf"(need|needs|want|wants|like|get|find|tak(e|ing)( on)?) (a )?(more|new|few more|additional) "
            rf"([\w-]+ ){{0,2}}{_CLIENTS}",
            r"(more|new) (\S+ ){0,3}clients\b",
            r"^([\w-]+ ){1,4}available\b",
            r"(?<!help )available\s*[—–-]",
            rf"looking for ([\w-]+ ){{0,3}}{_CLIENTS}",
            r"can pick up ([\w-]+ ){0,2}shifts\b",
            r"on the market\b",
            r"booking (\w+ ){0,2}(dates|now)\b",
        ),
    ),
    (
        Side.CAPITAL_DEMAND,
        True,
        _cues(r"raising\b", r"fundrais(e|ing) (round|for)", r"looking for (angels|investors|funding)\b"),
    ),
    (
        Side.CAPITAL_SUPPLY,
        True,
        _cues(
            r"angel investor\b",
            r"i invest\b",
            r"we invest\b",
            r"write \S+ checks\b",
            r"(pre-?seed|seed)[- ]stage (fund|investor)",
            r"looking for (\S+ )?(deals|startups to back)\b",
            r"\$[\d.,]+k? for (\w+ ){0,2}startups\b",
        ),
    ),
)
# A seeker's phrase inside a relative clause describes the people someone wants ("bartenders who are open to
# weekend work"); said by an organisation in the first person plural, it is the employer's side.
_DESCRIBED = lazy(r"\b(who|that) (are|is)\s*$|\b(bench|list|pool|roster) of ([\w-]+ ){0,3}$", re.IGNORECASE)
_WE = lazy(r"\b(we|we're|were|our|us)\b", re.IGNORECASE)
_I = lazy(r"\b(i|i'm|im|i've|my|me)\b", re.IGNORECASE)


# A route to a population: someone who runs a group, an association or a list and can put people in front of its
# members ("I moderate a neighbourhood group of 6,000 homeowners", "I can put vendors in front of our members").
_ROUTE = _cues(
    r"(i|we) (run|moderate|organi[sz]e|host|lead|coordinate|convene|manage|co-run|started) (a |an |the |our )?"
    r"([\w'’,-]+ ){0,6}(group|association|network|listserv|list|community|co-op|chapter|meetup|newsletter|forum|"
    r"council|club|collective|alliance|guild)s?\b",
    r"(put|introduce) (\w+ ){0,2}(vendors|providers|people|you|them) (in front of|to) (our|my) (members|clients|"
    r"families|couples|readers|network)\b",
    r"(refer|recommend|send) (\w+ ){0,3}(clients|customers|couples|families|patients|members|people)\b",
    r"(keep|share|post|have) a (\w+ ){0,2}list of (\w+ ){0,3}(vendors|tradespeople|providers|contractors|"
    r"photographers|landlords|suppliers)\b",
)


@dataclass(frozen=True, slots=True)
class SideReading:
    """The market side a statement speaks for, whether it says so in so many words, and the words read.

    `route`: the statement offers a route to many people (a group, an association, a referral list), the best
    answer to someone who needs to reach such people (a provider looking for clients).
    """

    side: Side
    sure: bool = False
    cue: str = ""
    route: bool = False
    wants: frozenset[str] = frozenset()  # the stemmed words of what it asks for ("looking for a bass player")
    also: bool = False  # it says it asks for it too ("we're also looking for …", "… too")


def stem(word: str) -> str:
    """Return a light stem so "roles", "hiring" and "hired" meet "role" and "hire" (all "rol", "hir")."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not (suffix == "s" and word.endswith("ss")):
            word = word[: -len(suffix)] + keep
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def tokens(text: str) -> list[str]:
    """Return the stemmed content words of a text, in order, repeats kept (BM25 counts them)."""
    plain = text.lower().replace("'", "").replace("’", "")
    return [stem(w) for w in _WORD.findall(plain) if w not in STOP_WORDS and len(w) > 1]


def content_words(text: str) -> frozenset[str]:
    """Return the set of stemmed content words of a text."""
    return frozenset(tokens(text))


def read_side(text: str) -> SideReading:
    """Return the market side a statement speaks for: the earliest cue found (a sure one first at a tie).

    A seeker's phrase that describes the people an organisation wants ("we keep a list of cooks who are open
    to seasonal work") is read as that organisation's demand, weakly.
    """
    route = bool(_ROUTE.search(text))
    wants = frozenset(w for m in _WANTS.finditer(text) for w in tokens(next(g for g in m.groups() if g))) - _ANYONE
    also = bool(_ALSO.search(text))
    best: tuple[int, bool, Side, str] | None = None
    for side, sure, pattern in _SIDES:
        m = pattern.search(text)
        if m and (best is None or (m.start(), not sure) < (best[0], not best[1])):
            best = (m.start(), sure, side, m.group(0))
    if best is None:
        return SideReading(Side.NONE, route=route, wants=wants, also=also)
    start, sure, side, cue = best
    if side is Side.WORK_SUPPLY and _WE.search(text) and not _I.search(text) and _described(text, start):
        return SideReading(Side.WORK_DEMAND, False, cue, route, wants, also)
    if side is Side.WORK_DEMAND and _VOLUNTEERING.search(text) and _JOIN_CUE.fullmatch(cue):
        side = Side.VOLUNTEER_DEMAND  # people to join a volunteer crew: a call for volunteers, read weakly
    return SideReading(side, sure, cue, route, wants, also)


# What a statement asks for: the words after a verb of wanting ("we're short of" is one), to the end of the
# clause. An offer that asks "too" for what a need asks for is a peer of that need, not an answer to it: "Our
# shelter needs foster homes" ↔ "we're looking for foster volunteers too" (both want fosters); but a bassist
# looking for a band answers a band that is "also looking for a bass player" (one wants a band, the other a
# bassist).
_WANTS = lazy(
    r"\b(?:looking|searching|hunting|on the hunt|on the lookout) for\s+([^.;!?—–]{1,80})"
    r"|\b(?:need|needs|seeking|seek|recruiting|hiring|want|wants)\s+(?!to\b)([^.;!?—–]{1,80})"
    r"|(?:['’]re|\bare|\bis|\bwere|\bwas|\bstill|\bbadly|\bdesperately)\s+short(?:\s+(?:of|on))?\s+([^.;!?—–]{1,80})"
    # (m21) the count before "short": "we're 11 bus drivers short", "are two line cooks short"
    r"|(?:['’]re|\bare|\bis|\bwere|\bwas)\s+((?:\d+|a|an|one|two|three|four|five|six|a few|several)\s+[^.;!?—–]{1,40}?)"
    r"\s+short\b(?!\s+(?:of|on)\b)"
    # (m36) a way in sought: "how do I get into the carpenters' apprenticeship", "trying to break into voice work"
    r"|\b(?:get|getting|break|breaking)\s+into\s+([^.;!?—–]{1,80})"
    # (m37) a place applied to: "applying to Year Up Boston for the IT track"
    r"|\bapplying\s+(?:to|for)\s+([^.;!?—–]{1,80})",
    re.IGNORECASE,
)
_ALSO = lazy(
    r"\b(?:also|too|likewise)\s+(?:looking|searching|hunting|seeking|recruiting|hiring|in need"
    r"|trying\s+to\s+(?:get|break)\s+into|applying)\b"
    r"|\b(?:looking for|searching for|hunting for|seeking|recruiting|hiring|need|needs|short of|short on)\b"
    r"[^.;!?—–]{0,80}?"
    r"\b(?:too|as well)\s*(?=[.;:,!?—–-]|$)",
    re.IGNORECASE,
)
_ANYONE = frozenset(tokens("a an the some more new someone somebody anyone people person folks help good our my your"))
_ANYONE |= frozenset(tokens("too well"))


def peers(need: SideReading, offer: SideReading) -> str:
    """Return the words an offer asks for "too" that the need asks for as well ("" when it is no such peer)."""
    if not offer.also:
        return ""
    return " ".join(sorted(need.wants & offer.wants))


def _described(text: str, start: int) -> bool:
    before = text[max(0, start - 60) : start]
    return bool(_DESCRIBED.search(before)) or bool(re.search(r"\b(bench|list|pool|roster) of\b", text, re.I))


def side_of(text: str) -> Side:
    """Return the market side a statement speaks for (`read_side` without its confidence)."""
    return read_side(text).side


NO_SIDE_FIT = 0.75  # one side in a market, the other not: often useful (advice, a route in), less than the market
SAME_SIDE_SOFT = 0.5  # the same side, but read from a weak cue on one item at least: lowered, not removed


def intent_fit(
    need: Side, offer: Side, *, sure: bool = True, fits: bool = True, route: bool = False
) -> tuple[float, str]:
    """Return how the two market sides fit, in [0, 1], and a note saying why.

    Opposite sides 1 when the two are about the same role (`fits`), else no more than one side alone
    (`NO_SIDE_FIT`): a remote DevOps opening is not a better match for a copy editor than an editor is. The
    same side 0 when both sides were read from sure cues (`sure`), else `SAME_SIDE_SOFT`. Both neutral 1.
    Someone looking for work or clients and a route to many people on the other side (`route`): 1.
    """
    if route and Side.WORK_SUPPLY in (need, offer) and OPPOSITE[Side.WORK_SUPPLY] not in (need, offer):
        return 1.0, f"{Side.WORK_SUPPLY.value} ↔ a route to many people"
    if need is Side.NONE and offer is Side.NONE:
        return 1.0, NO_SIDE_NOTE
    if OPPOSITE.get(need) is offer:
        if fits:
            return 1.0, f"{need.value} ↔ {offer.value}"
        return NO_SIDE_FIT, f"{need.value} ↔ {offer.value}, but about another role"
    if need is offer:
        if sure:
            return 0.0, f"both {need.value}"
        return SAME_SIDE_SOFT, f"both {need.value} (read from a weak cue)"
    if need is not Side.NONE and offer is not Side.NONE:
        return NO_SIDE_FIT, f"{need.value} / {offer.value}"
    return NO_SIDE_FIT, f"{(need if need is not Side.NONE else offer).value} on one side only"


# Abbreviations (issue 11, pattern 2): "an SLP" on one side and "speech-language pathologist" on the other share
# no word. An abbreviation written in capitals on one side is matched against the initials of a run of words on
# the other — a general rule, no list of roles: SLP ↔ speech-language pathologist, CPA ↔ certified public
# accountant, OT ↔ occupational therapist. Both become BM25 tokens of their own, prefixed so that they never meet
# a plain word: an offer's abbreviations as `~a:slp` and the initials of its runs as `~i:slp`; a need asks for
# the initials of its abbreviations (`~i:slp`) and for the abbreviations its runs would make (`~a:slp`). They
# add to BM25's score but not to the share of the need's words it is divided by (`LexicalIndex.scores`).
ALIAS = "~"
_ACRONYM = lazy(r"\b([A-Z][A-Z&]{1,4})s?\b")
_CHUNK_BREAK = lazy(r"[^\w\s'’-]|\s[-–—]\s")  # punctuation ends a run of words (a hyphen inside a word does not)
_RUN_WORD = lazy(r"[a-z]+")


def acronyms(text: str, is_place: Callable[[str], bool]) -> frozenset[str]:
    """Return the abbreviations a text writes in capitals ("SLP", "CPAs" → "slp", "cpa"), not places ("FL")."""
    return frozenset(m.group(1).replace("&", "").lower() for m in _ACRONYM.finditer(text) if not is_place(m.group(1)))


def initialisms(text: str) -> frozenset[str]:
    """Return the initials of every run of 2–4 content words within a phrase ("speech-language pathologist" →
    "slp"; hyphenated parts count as words; a stop word or punctuation ends a run)."""
    out: set[str] = set()
    for chunk in _CHUNK_BREAK.split(text.lower()):
        run: list[str] = []
        for word in [*_RUN_WORD.findall(chunk), ""]:
            if word and word not in STOP_WORDS:
                run.append(word[0])
                continue
            if len(run) >= 2:  # a run of one word or none has no initials (most runs end at a stop word)
                letters = "".join(run)
                for size in (2, 3, 4):
                    out.update(letters[k : k + size] for k in range(len(letters) - size + 1))
            run = []
    return frozenset(out)


# One shared word, a different thing (issue 11, pattern 6): in an English compound the last noun is the head and
# the words before it modify it — a "landscape architect" is an architect, a "landscape photographer" a
# photographer. When every content word two texts share stands right before a different word on each side (and
# that word is not shared), the shared words only modify two different heads: they are no evidence that the two
# are about the same role or thing. The rule fires only between role heads, read from the form of the word: an
# agent noun (-er, -or, -ist, -ian, -ant, -ect, -eur: architect, photographer, therapist, physician, accountant),
# and not when one head contains the other (cofounder, founder). A rule of the language, no list of roles.
_AGENT = lazy(r"^[a-z]{2,}(er|or|ist|ian|ant|ect|eur)$")
_PHRASE_WORD = lazy(r"[a-z0-9][a-z0-9+#']*|[^\sa-z0-9]")


@dataclass(frozen=True, slots=True)
class Phrases:
    """A text's stemmed content words, and for each the content words that directly follow it in a phrase."""

    words: frozenset[str]
    heads: dict[str, frozenset[str]]

    @classmethod
    def of(cls, text: str) -> Phrases:
        parts = _PHRASE_WORD.findall(text.lower().replace("’", "'"))
        words: set[str] = set()
        heads: dict[str, set[str]] = {}
        before = ""
        for part in parts:
            word = part.replace("'", "")  # a lone quote mark ("their 'preferred' shop") leaves nothing
            if not word or not word[0].isalnum() or word in STOP_WORDS or len(word) < 2:
                before = ""  # punctuation or a stop word ends the phrase: "architect for a park" modifies nothing
                continue
            stemmed = stem(word)
            words.add(stemmed)
            if before:
                heads.setdefault(before, set()).add(stemmed)
            before = stemmed
        return cls(frozenset(words), {w: frozenset(h) for w, h in heads.items()})


def head_clash(a: Phrases, b: Phrases) -> str:
    """Return why two texts' only shared words name different things ("landscape: architect / photographer"),
    or "" when they share a word that is not such a modifier (or nothing at all)."""
    shared = a.words & b.words
    if not shared:
        return ""
    # One shared word that modifies nothing on either side settles it (most pairs), whatever the order read in.
    heads_a, heads_b = a.heads, b.heads
    for word in shared:
        if word not in heads_a or word not in heads_b:
            return ""
    clashes = []
    for word in sorted(shared):
        mine, theirs = a.heads.get(word, frozenset()), b.heads.get(word, frozenset())
        if not mine or not theirs or (mine | theirs) & shared or word.isdigit():
            return ""
        if not all(_AGENT.match(h) for h in mine | theirs) or any(x in y or y in x for x in mine for y in theirs):
            return ""
        clashes.append(f"{word}: {'/'.join(sorted(mine))} ≠ {'/'.join(sorted(theirs))}")
    return "; ".join(clashes)
