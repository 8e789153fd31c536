"""LinkedIn's messages.csv: who the user is, which messages are advertisers', and whom each message touches.

Every message is a touch between the user and someone else, never between two other people. A message the user
is neither the sender nor a recipient of is left out (reported): a touch is always with the user.

Group conversations (several recipients in TO, separated by commas or semicolons; one CONVERSATION ID on many
rows) follow the rule of email (ingest/mail_messages.py), with one difference for messages from others:

* a message the user sent to a group is one outbound interaction with every recipient on it, as an email to
  several people is: each recipient is touched, and the store and the graph read several people on one
  interaction as a group (the graph weighs what it says about two of them by the group's size);
* a message another member sent to the group is an inbound touch with its sender only. The other recipients
  received it as the user did: neither did they write to the user, nor the user to them, so they are no part
  of it. (The mail import links an email's co-recipients too; here that would make every member of a group chat
  the user only reads look like someone who writes to them, since tie strength counts each inbound touch alike,
  and would hide whose words a need or an offer in the message is: `givefirst heard` reads a message's words
  as its one participant's.)
* both carry `details` that say so ("LinkedIn group message from Nadia Haddad to you, Ben Okafor and Lucía
  Fernández"), since the record has no weight of its own to make a group message count less;
* a message to more recipients than an email may have and still be a personal exchange (MAX_RECIPIENTS, the
  mail import's default) is left out, as such an email is: a broadcast to a large group is nobody's touch.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

from givefirst.domain.model import Direction, InteractionKind
from givefirst.ingest import linkedin_tables as tables
from givefirst.ingest.linkedin_tables import Person
from givefirst.ingest.names import is_credentials
from givefirst.ingest.records import InteractionRecord, ParseIssue, Participant, Record

__all__ = ["Me", "parse_messages"]

SPONSOR = "linkedin member"  # sponsored InMail, and members whose account is gone, carry this name and no URL
MAX_RECIPIENTS = 15  # as the mail import (ImportOptions.max_recipients): more, and it is no personal exchange
NOT_YOURS = (
    "you are neither its sender nor among its recipients, so it was skipped (a touch is always between you and someone)"
)
_TOO_MANY = (
    "a group message to {n} people besides its sender (more than {most}): no personal exchange, skipped as such "
    "email is"
)
_TO_DELETED = "message to LinkedIn Member (an account that no longer exists), skipped"
_ONLY_YOU = "this message has no one but you on it, so it was skipped"
_OUTBOUND, _INBOUND = Direction.OUTBOUND.value, Direction.INBOUND.value
# Advertisers and company pages write to members too ("Google Cloud", "Angela from Upwork"); none is a person the
# user knows. What marks them, in any generation: a "Sponsored" conversation title or folder, a company or
# showcase page as the sender's profile, a sender calling themselves "Someone from Company", or a sender with no
# profile at all who is not a connection and whom the user never wrote to.
_AD_MARKER = re.compile(r"\b(?:sponsored|promoted|promotion)\b", re.IGNORECASE)
_COMPANY_PAGE = re.compile(r"linkedin\.com/(?:company|showcase|school)/", re.IGNORECASE)
_SOMEONE_FROM = re.compile(r"^\S+ from \S")
_HTML_TAG = re.compile(r"<[a-zA-Z/!]")
_URL_SEPARATORS = re.compile(r"[,;\s]+")


@dataclass
class Me:
    """What is known of the export's owner: names (comparable form) and canonical profile URLs."""

    names: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    not_me: set[str] = field(default_factory=set)  # connections' name keys: never the user

    def matches(self, person: Person) -> bool:
        return person.key in self.names or person.canonical in self.urls


def _recipients(names: str, urls: str) -> list[Person]:
    """Return the people of a TO cell, with the URLs of RECIPIENT PROFILE URLS when they line up.

    Group messages list recipients separated by commas, or by semicolons after a spreadsheet re-save; names carry
    commas too ("Elena Park, CPA"): with commas, a piece that is only credentials belongs to the name before it.
    """
    links = [u for u in _URL_SEPARATORS.split(urls) if u]
    if len(links) == 1 and ";" not in names:
        return [Person(tables.one_line(names), links[0])] if names.strip() else []
    pieces: list[str] = []
    if ";" in names:  # no name holds a semicolon, so each piece is one whole name, commas and all
        pieces = [tables.one_line(p) for p in names.split(";") if p.strip()]
    else:
        for piece in (p.strip() for p in names.split(",")):
            if not piece:
                continue
            if pieces and is_credentials(piece):
                pieces[-1] = f"{pieces[-1]}, {piece}"
            else:
                pieces.append(tables.one_line(piece))
    if len(links) == len(pieces):
        return [Person(n, u) for n, u in zip(pieces, links, strict=True)]
    return [Person(n, None) for n in pieces]


@dataclass
class _Message:
    origin: str
    conversation: str
    sender: Person
    recipients: list[Person]
    when: datetime
    subject: str
    content: str
    direction: str | None  # from the 2018 Direction column, when it says
    marked: str  # the CONVERSATION TITLE and FOLDER cells, where LinkedIn marks sponsored conversations


class _TextOfHtml(HTMLParser):
    """Collects the text of an HTML fragment, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(" ")  # <p>, <br>, <div> separate words


def _plain_text(content: str) -> str:
    """Return message content as plain text: HTML entities decoded and, when it is HTML, tags removed."""
    if not _HTML_TAG.search(content):
        return html.unescape(content)
    parser = _TextOfHtml()
    try:
        parser.feed(content)
        parser.close()
    except (AssertionError, ValueError):  # malformed markup declarations; the entities still decode
        return html.unescape(content)
    return "".join(parser.parts)


def _read_messages(table: tables.Table, name: str) -> list[_Message | ParseIssue]:
    """Return every row of messages.csv as a _Message or a ParseIssue, in file order."""
    out: list[_Message | ParseIssue] = []
    for entry in table.entries(name):
        if isinstance(entry, ParseIssue):
            out.append(entry)
            continue
        origin, row = entry
        sender = Person(tables.one_line(table.get(row, "from")), table.get(row, "senderprofileurl") or None)
        if sender.key == SPONSOR:
            out.append(ParseIssue(origin, 'sponsored message (from "LinkedIn Member", no profile)'))
            continue
        if not sender.name:
            out.append(ParseIssue(origin, "this message has no sender (FROM is empty), so it was skipped"))
            continue
        date_text = table.get(row, "date")
        when = tables.parse_timestamp(date_text)
        if when is None:
            out.append(ParseIssue(origin, f"the date {date_text!r} is not a date, so this message was skipped"))
            continue
        direction = tables.DIRECTIONS.get(table.get(row, "direction").upper())
        out.append(
            _Message(
                origin=origin,
                conversation=table.get(row, "conversationid"),
                sender=sender,
                recipients=_recipients(table.get(row, "to"), table.get(row, "recipientprofileurls")),
                when=when,
                subject=tables.one_line(html.unescape(table.get(row, "subject"))),
                content=tables.one_line(_plain_text(table.get(row, "content"))),
                direction=direction,
                marked=f"{table.get(row, 'conversationtitle')} {table.get(row, 'folder')}",
            )
        )
    return out


def _identify_me(messages: list[_Message], hint: Me) -> Me:
    """Return who the export belongs to, as a Me that recognises the user's names and profile URLs.

    The hint's person when they are on these messages; else the sender of OUTGOING messages (2018 layout);
    else the participant on the most messages, leaving out the user's connections when the hint names them.

    Ties (a two-person export has two people on every message) go to whoever received the opening message
    of more conversations, since conversations start with an inbound message more often than not; reading
    the whole export with parse_linkedin_export settles them with Invitations.csv and Connections.csv.
    """
    on_messages: Counter[str] = Counter()
    openers: Counter[str] = Counter()
    first_of: dict[str, _Message] = {}
    outgoing: Counter[str] = Counter()
    for msg in messages:
        people = [msg.sender, *msg.recipients]
        on_messages.update({p.key for p in people if p.key != SPONSOR})
        if msg.direction == _OUTBOUND:
            outgoing[msg.sender.key] += 1
        thread = msg.conversation or "|".join(sorted(p.key for p in people))
        if thread not in first_of or msg.when < first_of[thread].when:
            first_of[thread] = msg
    for msg in first_of.values():
        openers.update({p.key for p in msg.recipients})
    hinted = sorted({p.key for m in messages for p in (m.sender, *m.recipients) if hint.matches(p)})
    if hinted:
        candidates = hinted
    elif outgoing:
        candidates = [k for k, n in outgoing.items() if n == max(outgoing.values())]
    else:
        candidates = [k for k in on_messages if k not in hint.not_me] or list(on_messages)
    me = Me(names=set(hint.names), urls=set(hint.urls))
    if not candidates:
        return me
    best = max(candidates, key=lambda k: (on_messages[k], openers[k], k))
    me.names.add(best)
    # Learn the user's own URLs, so that a recipient URL alone also recognises them.
    me.urls.update(p.canonical for m in messages for p in (m.sender, *m.recipients) if p.key == best and p.canonical)
    return me


def _known_urls(messages: list[_Message]) -> dict[tuple[str, str], str]:
    # 2022 layouts give the sender's URL but not the recipients'; within one conversation a name is one person.
    urls: dict[tuple[str, str], str] = {}
    for msg in messages:
        for person in (msg.sender, *msg.recipients):
            if person.url and msg.conversation:
                urls.setdefault((msg.conversation, person.key), person.url)
    return urls


def _advert(msg: _Message, sender_url: str | None, me: Me, answered: set[str], connections: set[str]) -> str | None:
    """Return why a message is an advertiser's or a company page's rather than a person's, or None.

    `answered` holds the people and conversations the user wrote to; `connections` the user's connections.
    """
    if me.matches(msg.sender):
        return None
    if _AD_MARKER.search(msg.marked):
        return "sponsored message (the conversation is marked sponsored)"
    if sender_url and _COMPANY_PAGE.search(sender_url):
        return "message from a company page, not a person"
    if _SOMEONE_FROM.match(msg.sender.name):
        return 'sponsored message (the sender signs as "someone from a company")'
    if not sender_url and not {msg.sender.key, msg.conversation} & answered and msg.sender.key not in connections:
        return "sponsored message or company page (no profile, not a connection, never written to)"
    return None


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class _Touch:
    """Whom one message touches, seen from the user, or why it touches nobody."""

    direction: str = ""
    participants: tuple[Participant, ...] = ()
    details: str = ""  # says it was a group message, and to whom; "" for a one-to-one message
    skipped: str | None = None


def _touch(msg: _Message, me: Me, resolved: dict[str, str | None]) -> _Touch:
    """Return whom a message touches (see the module's docstring), given each person's URL by name key."""

    def mine(person: Person) -> bool:
        return me.matches(person) or me.matches(Person(person.name, resolved.get(person.key)))

    def participant(person: Person) -> Participant:
        return Participant(name=person.name, profile_url=person.url or resolved.get(person.key))

    if msg.direction is not None:  # the 2018 Direction column is written from the user's side: it is on it
        from_me = msg.direction == _OUTBOUND
    else:
        from_me = mine(msg.sender)
        if not from_me and not any(mine(p) for p in msg.recipients):
            return _Touch(skipped=NOT_YOURS)
    recipients = list({p.key: p for p in msg.recipients if p.key != msg.sender.key}.values())  # each once
    if len(recipients) > MAX_RECIPIENTS:
        return _Touch(skipped=_TOO_MANY.format(n=len(recipients), most=MAX_RECIPIENTS))
    others = [p for p in recipients if not mine(p)]  # besides the user and the sender
    if from_me:
        people = [p for p in others if p.key != SPONSOR]
        if not people:
            return _Touch(skipped=_TO_DELETED if any(p.key == SPONSOR for p in msg.recipients) else _ONLY_YOU)
        group = f"LinkedIn group message from you to {_listed([p.name for p in others])}" if len(others) > 1 else ""
        return _Touch(_OUTBOUND, tuple(participant(p) for p in people), group)
    group = ""
    if others:
        group = f"LinkedIn group message from {msg.sender.name} to " + _listed(
            ["you" if mine(p) else p.name for p in recipients]
        )
    return _Touch(_INBOUND, (participant(msg.sender),), group)


def parse_messages(table: tables.Table, name: str, hint: Me | None = None) -> Iterator[Record]:
    """Yield an InteractionRecord per message, or a ParseIssue for a sponsored, broken or foreign one.

    `hint` is what the rest of the export tells of the user (parse_linkedin_export); without it the user is
    guessed from these messages alone (`_identify_me`).
    """
    rows = _read_messages(table, name)
    messages = [r for r in rows if isinstance(r, _Message)]
    hint = hint or Me()
    me = _identify_me(messages, hint)
    urls = _known_urls(messages)
    mine = [m for m in messages if me.matches(m.sender)]
    answered = {p.key for m in mine for p in m.recipients} | {m.conversation for m in mine if m.conversation}
    for item in rows:
        if isinstance(item, ParseIssue):
            yield item
            continue
        msg = item
        sender_url = msg.sender.url or urls.get((msg.conversation, msg.sender.key))
        advert = _advert(msg, sender_url, me, answered, hint.not_me)
        if advert is not None:
            yield ParseIssue(msg.origin, f"{advert}: {msg.sender.name}")
            continue
        resolved = {p.key: urls.get((msg.conversation, p.key)) for p in (msg.sender, *msg.recipients)}
        touch = _touch(msg, me, resolved)
        if touch.skipped is not None:
            yield ParseIssue(msg.origin, touch.skipped)
            continue
        thread = msg.conversation or "|".join(sorted(p.key for p in (msg.sender, *msg.recipients)))
        yield InteractionRecord(
            source=tables.SOURCE,
            # No layout gives a message its own id; this digest survives re-exports and spreadsheet re-saves.
            external_id="messages#" + tables.digest(thread, msg.when.isoformat(), msg.sender.key, msg.content[:200]),
            origin=msg.origin,
            occurred_at=msg.when,
            kind=InteractionKind.MESSAGE.value,
            direction=touch.direction,
            participants=touch.participants,
            summary=" — ".join(part for part in (msg.subject, msg.content) if part),  # in full: `heard` reads it
            details=touch.details,
        )
