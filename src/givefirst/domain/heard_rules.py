"""The phrasings that mark a need, an offer or a broadcast (a template or mass message) — general English forms.

Each rule is a way of saying something, not a list of trades or topics: "I'm looking for …", "could you introduce
me to …", "happy to help with …", "we're hiring …", "I have two spare …". Texts are matched lower-cased with
curly apostrophes made straight. A rule carries a base confidence: how often that phrasing, in a personal
message, states a real need or offer (an intro ask almost always does; "I need" sometimes is "I need to run").
"""

from __future__ import annotations

import re

from givefirst.domain.match_text import tokens

NEED, OFFER = "need", "offer"


def _any(*alternatives: str, edge: bool = True) -> re.Pattern[str]:
    """Compile the alternatives as one pattern, each starting at a word edge unless `edge` is False."""
    body = "|".join(alternatives)
    return re.compile(rf"\b({body})" if edge else f"({body})")


_WHO = (
    r"(experience with|a contact|contacts|someone|somebody|anyone|anybody|a|an|any|some|one|two|of a|of any|"
    r"of someone|people|folks|good|great|the)"
)
_GIVE_VERB = (
    r"(help|share|introduce|intro|connect|review|look|walk|talk|answer|proofread|lend|host|speak|give|do|show|"
    r"mentor|teach|tutor|coach|make|pass|send|come|donate|read|meet|translate|notarize|forward|refer|recommend|"
    r"advise|offer|set up|put you|get you|take|train|run|cover)"
)
_SUBJECT = (
    r"i|we|he|she|they|team|clinic|church|shelter|school|company|group|business|league|program|firm|office|"
    r"family|it|still|really|also|desperately|badly|urgently|now|[a-z]+'s"
)
_OWNER = r"i|we|my (firm|company|team|office|studio|shop)|our (firm|company|team|clinic|office|studio|shop|center)"
_SERVICE_VERB = (
    r"offer|offers|provide|provides|run|runs|teach|teaches|mentor|coach|tutor|give|gives|volunteer|host|hosts|do|does"
)

# (kind, rule name, pattern, base confidence). The words before a match tell whose statement it is.
RULES: tuple[tuple[str, str, re.Pattern[str], float], ...] = (
    # --- needs: asks for people and introductions
    (NEED, "intro ask", _any(
        r"put me in touch", r"connect me (with|to)", r"introduce me to", r"intro me to",
        r"get me (in touch|an? (warm )?intro)", r"help me get in touch", r"get in front of",
        r"(love|like|appreciate) an? (warm )?intro(duction)?\b", r"(could|can|would|will) you (please )?"
        r"(introduce|intro|connect) me",
    ), 0.9),
    (NEED, "who do you know", _any(
        rf"(^|\b(do|does|would) )(you|anyone|anybody|any of you) (happen to )?(know|have) {_WHO}\b", edge=False,
    ), 0.85),
    (NEED, "recommend ask", _any(
        r"(could|can|would) (you|anyone|anybody) recommend", r"(you'?d|you would|do you) recommend",
        r"who (do|would) you (use|recommend|trust|like)",
        r"(any|your) (recommendations?|suggestions?|leads?|pointers|names) (for|on)",
        r"(would )?(love|like|welcome) (some )?(recommendations|suggestions|names|leads)",
        r"who should i (talk|speak) to",
    ), 0.8),
    # --- needs: first-person (or reported) wanting
    (NEED, "looking for", _any(
        r"(looking|searching|hunting|shopping around|on the hunt|in the market) (for|to hire)\b",
        r"seeking (a|an|volunteers|someone|co-?founder|\w+ (for|to))\b", r"^seeking\b",
    ), 0.8),
    (NEED, "trying to find", _any(
        r"(trying|hoping|struggling|working|scrambling) to (find|hire|get|figure out|source|replace|line up|fill|"
        r"raise)\b", r"(have|has|need) to find\b", r"(love|like) to find\b",
    ), 0.8),
    (NEED, "need", _any(
        rf"(^|\b({_SUBJECT})\s+)(need|needs)\b(?! to (say|tell|go|run|leave|talk|check|think|get back|know))"
        r"(?! your\b)",
        edge=False,
    ), 0.75),
    (NEED, "could use", _any(
        r"could (really )?use", r"desperate for", r"in need of",
        r"(would|'d) (really )?(love|like|welcome|appreciate) (some |any )?(help|advice|guidance|input|a hand|"
        r"pointers|feedback)",
        r"wants (to find|to meet|to move into|to hire|a\b|an\b|something|someone|help)",
        r"want (to find|to meet|to move into|to hire|someone|help)",
        r"(haven'?t|has ?n'?t|have not|has not|can'?t|cannot|couldn'?t) (yet )?(found|find)",
        r"(have|has) no one (to|who)", r"nobody (to|who) (run|handle|do|lead)",
    ), 0.72),
    # --- needs: hiring and job seeking (both ask the network for a match)
    (NEED, "hiring", _any(
        r"^hiring\b", r"\b(we'?re|we are|i'?m|i am|is|are|am|still|now|team is) (now |still |actively )?hiring\b",
        r"\blooking to hire\b", r"\b(have|has|got) (an? |two |three |\d+ |a few )?(open )?(openings?|open "
        r"(roles?|positions?))\b", edge=False,
    ), 0.85),
    (NEED, "job search", _any(
        r"open to (new |a )?(opportunities|roles?|work|contract|positions?)", r"open to \w+ (work|roles?)",
        r"laid off", r"lost my job", r"between jobs", r"(starting|started) to look", r"actively looking",
        r"exploring (new )?(roles|opportunities|options)", r"my next (role|job|move|gig)",
    ), 0.75),
    # --- offers
    (OFFER, "glad to", _any(
        rf"(happy|glad|willing|delighted|pleased|eager) to {_GIVE_VERB}\b", rf"(gladly|happily) {_GIVE_VERB}\b",
    ), 0.8),
    (OFFER, "i can", _any(
        rf"(i|we)\b[^.?!;]{{0,30}}?\b(can|could|would) {_GIVE_VERB}\b(?! (me|us)\b)",
        r"let me (introduce|connect|intro)\b", r"want me to (pass|forward|send|introduce|connect|flag|ask|put)\b",
        rf"offered to {_GIVE_VERB}\b",
    ), 0.78),
    (OFFER, "giveable", _any(
        r"spare", r"extra", r"surplus", r"leftover", r"left over", r"outgrew", r"no longer (need|use)",
        r"free to a good home", r"free for (pickup|any|anyone|the taking)", r"(giving|give) away", r"donating",
        r"happily donate", r"(free|complimentary) ([\w-]+ ){0,2}(passes|pass|tickets?|seats?)\b",
        r"tickets?[^.?!]{0,70}\bfree\b",
    ), 0.75),
    (OFFER, "service", _any(
        rf"({_OWNER})\s+(also\s+)?({_SERVICE_VERB})\s+(?!not\b|n'?t\b|think|know|hope|love|like|want|need)"
        r"(free|pro bono|a free|one-on-one|\w+)",
        r"(taking on|accepting) ([\w-]+ ){0,5}clients\b",
        r"available for (freelance|consulting|contract|advisory|speaking|projects)",
        r"(i'?m|we'?re|i am|we are) offering\b",
    ), 0.74),
    (OFFER, "job lead", _any(
        r"job lead", r"a lead for you", r"(i heard|tipped me off)[^.?!]{0,60}\b(hiring|role|opening|position|"
        r"looking for)", r"contact at [^.?!]{0,40}\b(who'?s|who is|that'?s) hiring",
    ), 0.85),
)  # fmt: skip

# A sentence saying the need is gone, or declining, is no statement of one.
NEGATION = _any(
    r"no longer (looking|hiring)", r"not (currently |really |actively )?(looking|hiring)",
    r"don'?t (really )?(need|know (anyone|anybody|of))", r"do not need", r"already (hired|found|filled|have)",
    r"(we|i|they) found", r"(has|have) been filled", r"was filled", r"wish i could", r"not able to",
    r"can'?t help", r"unable to",
)  # fmt: skip
# Thanks look back at what was given; they state nothing open.
THANKS = re.compile(r"^(thanks|thank you|thx|many thanks|appreciate|much appreciated|grateful)\b")
# "If you need X, …": the need in the clause is the listener's, hypothetical; the main clause may offer.
IF_CLAUSE = re.compile(r"^(and |but |so )?(if|whenever|in case|should)\b[^,—–]*[,—–]")
# "Let me know if you need anything" and its kin: polite, promising nothing in particular.
POLITE = _any(r"let me know", r"feel free", r"just say the word", r"don'?t hesitate")
# Words after an offer cue that leave it empty ("happy to help anytime"), as `tokens` stems them.
GENERIC = frozenset(
    tokens(
        "anytime anything way time word say ever reach out question questions chat catch talk connect call help "
        "more hear hesitate further thought thoughts"
    )
)
HEDGE = _any(r"maybe", r"might", r"someday", r"eventually", r"one day", r"at some point", r"thinking about",
             r"considering", r"probably")  # fmt: skip

# --- broadcasts: templates, blasts and newsletters, known by their form (weight 1 = enough alone).
BROADCAST: tuple[tuple[str, re.Pattern[str], float], ...] = (
    ("recruiter", _any(
        r"came across your (profile|background|resume)",
        r"your (profile|background|experience|name) (stood out|caught my eye|aligns|came up|looks like)",
        r"(our|my|a) client,? (a |an |is |who )",
        r"(on behalf of|working with|represent) (a|an|our|my) (client|leading|fast|global|private|top|fortune)",
        r"confidential (search|call)",
        r"(open to|consider|interested in) (exploring |learning more|a new challenge|a conversation about|new "
        r"opportunit)",
        r"talent (network|partner|acquisition)", r"staffing", r"headhunter",
        r"(talent|professionals|people|candidates) like you", r"(i'?m|i am) (a|an) (\w+ )?recruiter",
        r"recruiter (with|at|from)", r"(send|reply with) (me )?your (updated )?r[ée]sum[ée]",
        r"apply (today|now|here|in one click)", r"referral bonus", r"extra income", r"matched you with",
        r"best number to reach", r"we place", r"pre-vetted", r"relocation package", r"immediate openings",
        r"best-in-class", r"exciting (\w+ )?(opportunit|role)", r"perfect (match|fit)", r"(great|strong) fit for",
        r"reply yes",
    ), 1.0),
    ("application", _any(
        r"thank you for (applying|your application|your interest in)", r"thanks for applying",
        r"(reviewed|received) your application", r"application (for|to) [^.]{0,60} has been received",
        r"we regret", r"decided to (pursue|move forward with) other", r"not be moving forward",
        r"other candidates", r"shortlisted", r"has been filled", r"(keep|kept) your r[ée]sum[ée] on file",
        r"high volume of applications", r"complete a short assessment",
    ), 1.0),
    ("sales", _any(
        r"book a (demo|time|call|meeting)",
        r"schedule a (\d+[- ]minute |quick |short |brief )?(call|demo|intro call|meeting)",
        r"(\d+|fifteen|twenty|thirty)[- ]minutes? (on|for|of|next|to)", r"quick demo",
        r"our (platform|software|solution|tool|service|agency) (helps|is trusted|reduces|pays|can)",
        r"we help (companies|businesses|teams|brands|mid-market|organizations|leaders)", r"free (trial|roi)",
        r"complimentary (consultation|assessment|analysis)", r"case study", r"following up on my (last|previous)",
        r"bumping this", r"catalog attached", r"dear sir", r"no credit card", r"calendly", r"\d-minute video",
        r"close your file", r"right person to (speak|talk)", r"who handles [^.?]{0,60} at your company",
        r"lead generation", r"grow your pipeline", r"select group of",
        r"we'?re a [\w -]{0,30}(agency|firm|company) (specializing|that helps)",
    ), 1.0),
    ("event", _any(
        r"you'?re invited", r"you are (cordially )?invited", r"join us\b",
        r"register (now|today|here|online|at|by)", r"registration (is |closes|now|for)", r"rsvp",
        r"save the date", r"save your seat", r"reserve your (spot|seat)", r"early bird",
        r"tickets (are )?(now )?on sale", r"sold out", r"webinar", r"seats are limited", r"limited to \d+",
        r"don'?t miss", r"last chance", r"calling all", r"sign up (your|today|now|here)",
        r"we'?d love to see you", r"we are pleased to invite", r"nominations are open", r"members only",
        r"everyone welcome", r"all are welcome", r"bring a (friend|dish)", r"tables of \d+", r"lunch (is )?provided",
        r"on demand", r"livestream",
    ), 1.0),
    ("newsletter", _any(
        r"newsletter", r"unsubscribe", r"view (it )?(online|in (your )?browser)", r"read (more|online)",
        r"in(side)? this issue", r"digest", r"this week'?s", r"hot off the press", r"new on the blog",
        r"download the pdf", r"alert preferences", r"member news", r"edition of", r"update your preferences",
        r"posts from your network", r"viewed your profile", edge=False,
    ), 1.0),
    ("form", _any(
        r"\{\{?\s*\w+\s*\}?\}", r"\[(first ?name|name)\]",
        r"^dear (candidate|member|sir|madam|friend|valued|colleague|customer)",
        r"^(hi|hello|dear) (all|everyone|neighbors|friends|folks|team|members)\b", r"^hi there\b", r"^greetings\b",
        r"hope (this|my) (message |note |email )?finds you well", r"i'?m reaching out (to|because)",
        r"quick question\b", r"i wanted to share", edge=False,
    ), 0.5),
)  # fmt: skip
