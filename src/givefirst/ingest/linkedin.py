"""LinkedIn data export: Connections.csv, messages.csv and Invitations.csv, in every layout LinkedIn has used.

LinkedIn changed these files several times (see /work/shared/formats/README.md): a "Notes:" preamble or none,
a URL column or none, three column sets for messages, four date formats, and spreadsheet re-saves (CRLF, BOM,
Windows-1252 or UTF-16, semicolons or tabs between fields: read as every contact CSV is, see ingest.text). Columns
are found by their header names, never by position, so every generation reads the same.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from html.parser import HTMLParser

from givefirst.domain.model import Direction, InteractionKind
from givefirst.ingest import linkedin_tables as tables
from givefirst.ingest.names import comparable_name, is_credentials
from givefirst.ingest.records import (
    ContactRecord,
    InteractionRecord,
    Labeled,
    ParseIssue,
    Participant,
    Record,
    Unchanged,
    UnreadableFileError,
)

__all__ = ["is_linkedin_file", "parse_linkedin_export", "parse_linkedin_file"]

SOURCE = "linkedin"
# In every row digest: a change to how rows are read makes new digests, so rows imported before are read anew
# once (2: names in capitals keep every word, and names an older rule cut in two are given back; 3: Connected On
# dates are read day or month first only when the file shows which, and a date that cannot be kept is reported).
_ROW_DIGEST = "linkedin-connections-3"
_CONNECTIONS, _MESSAGES, _INVITATIONS = "connections.csv", "messages.csv", "invitations.csv"
_SPONSOR = "linkedin member"  # sponsored InMail, and members whose account is gone, carry this name and no URL
# Advertisers and company pages write to members too ("Google Cloud", "Angela from Upwork"); none is a person the
# user knows. What marks them, in any generation: a "Sponsored" conversation title or folder, a company or
# showcase page as the sender's profile, a sender calling themselves "Someone from Company", or a sender with no
# profile at all who is not a connection and whom the user never wrote to.
_AD_MARKER = re.compile(r"\b(?:sponsored|promoted|promotion)\b", re.IGNORECASE)
_COMPANY_PAGE = re.compile(r"linkedin\.com/(?:company|showcase|school)/", re.IGNORECASE)
_SOMEONE_FROM = re.compile(r"^\S+ from \S")
_HTML_TAG = re.compile(r"<[a-zA-Z/!]")
_DIRECTIONS = {"OUTGOING": Direction.OUTBOUND.value, "INCOMING": Direction.INBOUND.value}


# --- Connections.csv ---------------------------------------------------------------------------------------


def _parse_connections(
    table: tables.Table, name: str, known: Container[str] = frozenset(), today: date | None = None
) -> Iterator[Record]:
    """Yield one ContactRecord per connection, or a ParseIssue for a row without a name.

    A row whose digest is in `known` (imported before, exactly as it is now) yields only `Unchanged`: re-reading
    an unchanged export costs a hash a row rather than a record a row. A Connected On date that cannot be read,
    could be either of two days, or lies after `today` (by default the computer's) is left out with a warning
    after the record.
    """
    cell = table.getter("firstname", "lastname", "url", "company", "emailaddress", "connectedon", "position")
    column = table.columns.get("connectedon", -1)
    order = tables.slash_order(
        row[column] for _, row in table.rows if not isinstance(row, str) and 0 <= column < len(row)
    )
    today = today or date.today()
    for entry in table.entries(name):
        if isinstance(entry, ParseIssue):
            yield entry
            continue
        origin, row = entry
        cells = cell(row)
        digest = hashlib.sha1("\x1f".join((_ROW_DIGEST, *cells)).encode(), usedforsecurity=False).hexdigest()
        if digest in known:
            yield Unchanged(origin)
            continue
        first, last, url, company, email, connected_on, position = cells
        full_name = tables.one_line(f"{first} {last}")
        if not full_name:
            yield ParseIssue(origin, "this connection has neither a first nor a last name, so it was skipped")
            continue
        canonical = tables.url_key(url) if url else None
        company = tables.one_line(company)
        connected, problem = tables.read_date(connected_on, order, today)
        yield ContactRecord(
            source=SOURCE,
            # A row number would change with every export (LinkedIn lists the newest first); the name and the
            # company do not, unless the person changes jobs.
            external_id=canonical or unicodedata.normalize("NFC", f"connections#{full_name}|{company}".lower()),
            origin=origin,
            name=full_name,
            emails=(Labeled(email),) if email else (),
            urls=(url,) if canonical else (),
            organization=company or None,
            title=tables.one_line(position) or None,  # a tab inside a position becomes a space
            met_on=connected,
            how_met="LinkedIn connection",
            digest=digest,
        )
        if problem:  # after its record: a detail lost, the connection imported all the same
            yield ParseIssue(origin, f"line {origin.rsplit(':', 1)[1]}: {problem}")


# --- people in messages and invitations --------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    """Someone named in a message or an invitation; `key` compares names, `canonical` compares URLs."""

    name: str
    url: str | None

    @property
    def key(self) -> str:
        return _name_key(self.name)

    @property
    def canonical(self) -> str | None:
        return tables.url_key(self.url) if self.url else None


@lru_cache(maxsize=65536)
def _name_key(name: str) -> str:
    return comparable_name(name) or name.casefold()


@dataclass
class _Me:
    """What is known of the export's owner: names (comparable form) and canonical profile URLs."""

    names: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    not_me: set[str] = field(default_factory=set)  # connections: never the user

    def matches(self, person: _Person) -> bool:
        return person.key in self.names or person.canonical in self.urls


def _recipients(names: str, urls: str) -> list[_Person]:
    """Return the people of a TO cell, with the URLs of RECIPIENT PROFILE URLS when they line up.

    Group messages list recipients separated by commas, but names carry commas too ("Elena Park, CPA"): a
    piece that is only credentials belongs to the name before it.
    """
    links = [u.strip() for u in urls.split(",") if u.strip()]
    if len(links) == 1:
        return [_Person(tables.one_line(names), links[0])] if names.strip() else []
    pieces: list[str] = []
    for piece in (p.strip() for p in names.split(",")):
        if not piece:
            continue
        if pieces and is_credentials(piece):
            pieces[-1] = f"{pieces[-1]}, {piece}"
        else:
            pieces.append(tables.one_line(piece))
    if len(links) == len(pieces):
        return [_Person(n, u) for n, u in zip(pieces, links, strict=True)]
    return [_Person(n, None) for n in pieces]


# --- messages.csv ------------------------------------------------------------------------------------------


@dataclass
class _Message:
    origin: str
    conversation: str
    sender: _Person
    recipients: list[_Person]
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
        sender = _Person(tables.one_line(table.get(row, "from")), table.get(row, "senderprofileurl") or None)
        if sender.key == _SPONSOR:
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
        direction = _DIRECTIONS.get(table.get(row, "direction").upper())
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


def _identify_me(messages: list[_Message], hint: _Me) -> _Me:
    """Return who the export belongs to, as a _Me that recognises the user's names and profile URLs.

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
        on_messages.update({p.key for p in people if p.key != _SPONSOR})
        if msg.direction == Direction.OUTBOUND.value:
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
    me = _Me(names=set(hint.names), urls=set(hint.urls))
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


def _advert(msg: _Message, sender_url: str | None, me: _Me, answered: set[str], connections: set[str]) -> str | None:
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


def _parse_messages(table: tables.Table, name: str, hint: _Me | None = None) -> Iterator[Record]:
    """Yield an InteractionRecord per message, or a ParseIssue for a sponsored or broken one."""
    rows = _read_messages(table, name)
    messages = [r for r in rows if isinstance(r, _Message)]
    hint = hint or _Me()
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
        others: list[Participant] = []
        seen: set[str] = set()
        for person in (msg.sender, *msg.recipients):
            if me.matches(person) or person.key in seen:
                continue
            seen.add(person.key)
            url = person.url or urls.get((msg.conversation, person.key))
            if person.key != _SPONSOR:
                others.append(Participant(name=person.name, profile_url=url))
        if not others:
            reason = "this message has no one but you on it, so it was skipped"
            if any(p.key == _SPONSOR for p in msg.recipients):
                reason = "message to LinkedIn Member (an account that no longer exists), skipped"
            yield ParseIssue(msg.origin, reason)
            continue
        direction = msg.direction or (Direction.OUTBOUND if me.matches(msg.sender) else Direction.INBOUND).value
        thread = msg.conversation or "|".join(sorted(p.key for p in (msg.sender, *msg.recipients)))
        yield InteractionRecord(
            source=SOURCE,
            # No layout gives a message its own id; this digest survives re-exports and spreadsheet re-saves.
            external_id="messages#" + tables.digest(thread, msg.when.isoformat(), msg.sender.key, msg.content[:200]),
            origin=msg.origin,
            occurred_at=msg.when,
            kind=InteractionKind.MESSAGE.value,
            direction=direction,
            participants=tuple(others),
            summary=" — ".join(part for part in (msg.subject, msg.content) if part),  # in full: `heard` reads it
        )


# --- Invitations.csv ---------------------------------------------------------------------------------------


def _parse_invitations(table: tables.Table, name: str) -> Iterator[Record]:
    """Yield an InteractionRecord per invitation sent or received, or a ParseIssue for a broken row."""
    for entry in table.entries(name):
        if isinstance(entry, ParseIssue):
            yield entry
            continue
        origin, row = entry
        said = table.get(row, "direction")
        direction = _DIRECTIONS.get(said.upper())
        if direction is None:
            yield ParseIssue(origin, f"Direction is {said!r}, expected INCOMING or OUTGOING; invitation skipped")
            continue
        side = ("to", "inviteeprofileurl") if direction == Direction.OUTBOUND.value else ("from", "inviterprofileurl")
        other = _Person(tables.one_line(table.get(row, side[0])), table.get(row, side[1]) or None)
        if not other.name:
            yield ParseIssue(origin, "this invitation does not name the other person, so it was skipped")
            continue
        sent_text = table.get(row, "sentat")
        when = tables.parse_timestamp(sent_text)
        if when is None:
            yield ParseIssue(origin, f"Sent At {sent_text!r} is not a date, so this invitation was skipped")
            continue
        message = tables.one_line(html.unescape(table.get(row, "message")))
        yield InteractionRecord(
            source=SOURCE,
            external_id="invitations#"
            + tables.digest(table.get(row, "from").casefold(), table.get(row, "to").casefold(), when.isoformat(), said),
            origin=origin,
            occurred_at=when,
            kind=InteractionKind.MESSAGE.value,
            direction=direction,
            participants=(Participant(name=other.name, profile_url=other.url),),
            summary=f"LinkedIn invitation: {tables.shorten(message) if message else '(no message)'}",
        )


def _me_from_invitations(table: tables.Table, me: _Me) -> None:
    """Add to `me` the sender of OUTGOING and the recipient of INCOMING invitations: that is the user."""
    for _, row in table.rows:
        if isinstance(row, str):
            continue
        direction = _DIRECTIONS.get(table.get(row, "direction").upper())
        if direction is None:
            continue
        side = ("from", "inviterprofileurl") if direction == Direction.OUTBOUND.value else ("to", "inviteeprofileurl")
        person = _Person(table.get(row, side[0]), table.get(row, side[1]) or None)
        if person.name:
            me.names.add(person.key)
        if person.canonical:
            me.urls.add(person.canonical)


# --- public API --------------------------------------------------------------------------------------------

_REQUIRED = {
    _CONNECTIONS: (("First Name", "Last Name"), "Connections"),
    _MESSAGES: (("FROM", "TO", "DATE", "CONTENT"), "messages"),
    _INVITATIONS: (("From", "To", "Sent At"), "Invitations"),
}


def _base_name(name: str) -> str:
    return re.split(r"[/\\]", name)[-1].casefold()


def _open(data: bytes, name: str, encoding: str | None = None) -> tuple[str, tables.Table]:
    """Return the file's kind (its base name) and its table; raise UnreadableFileError when it has neither."""
    base = _base_name(name)
    if base not in _REQUIRED:
        raise UnreadableFileError(
            f"{name}: not a LinkedIn export file (expected Connections.csv, messages.csv or Invitations.csv)"
        )
    required, what = _REQUIRED[base]
    text = tables.decode(data, name, encoding)
    # LinkedIn writes no line break in a Connections field; message texts have them, invitation notes may.
    return base, tables.read_table(text, name, required, what, single_line=base == _CONNECTIONS)


def is_linkedin_file(name: str) -> bool:
    """Return True when `name` (a path or a base name) is a file of a LinkedIn export that this module reads."""
    return _base_name(name) in _REQUIRED


def parse_linkedin_file(
    data: bytes, name: str, encoding: str | None = None, today: date | None = None
) -> Iterator[Record]:
    """Return the records of one LinkedIn export file, chosen by its base name (case-insensitive).

    Connections.csv yields ContactRecords, messages.csv and Invitations.csv yield InteractionRecords; broken
    rows yield ParseIssues. Raises UnreadableFileError at once, before any record, for an unknown name and for
    a file that is not text or has no LinkedIn header. `today` judges which Connected On dates lie in the
    future (by default the computer's date).
    """
    base, table = _open(data, name, encoding)
    if base == _CONNECTIONS:
        return _parse_connections(table, name, today=today)
    if base == _INVITATIONS:
        return _parse_invitations(table, name)
    return _parse_messages(table, name)


def parse_linkedin_export(
    files: Iterable[tuple[str, bytes]],
    known: Container[str] = frozenset(),
    encoding: str | None = None,
    today: date | None = None,
) -> Iterator[Record]:
    """Yield the records of a whole LinkedIn export: Connections, then Invitations, then messages.

    `files` are (relative path, bytes) pairs from a folder or zip; files this module does not read are ignored.
    Reading the files together tells who the user is (from Invitations.csv, and Connections.csv rules people
    out), which a lone messages.csv sometimes cannot. A known file that cannot be read yields one ParseIssue
    and the rest of the export still imports; an export without any known file, or whose known files all
    cannot be read, raises UnreadableFileError (so a file that is not a LinkedIn export fails its import).
    `encoding` names the files' character set when the user knows it (a spreadsheet re-save); `today` judges
    which Connected On dates lie in the future (by default the computer's date).
    """
    by_file: dict[str, list[tuple[str, tables.Table]]] = {base: [] for base in _REQUIRED}
    problems: list[ParseIssue] = []
    for path, data in files:
        if not is_linkedin_file(path):
            continue
        try:
            base, table = _open(data, path, encoding)
        except UnreadableFileError as exc:
            problems.append(ParseIssue(path, str(exc)))
            continue
        by_file[base].append((path, table))
    if not problems and not any(by_file.values()):
        raise UnreadableFileError(
            "LinkedIn export: no Connections.csv, messages.csv or Invitations.csv in it; is this a LinkedIn export?"
        )
    if not any(by_file.values()):  # nothing readable: the import fails, as for any file that is not an export
        if len(problems) == 1:
            raise UnreadableFileError(problems[0].reason)
        raise UnreadableFileError(
            f"LinkedIn export: none of its {len(problems)} files can be read: "
            + "; ".join(problem.reason for problem in problems)
        )
    yield from problems
    me = _Me()
    for _, table in by_file[_INVITATIONS]:
        _me_from_invitations(table, me)
    messages = bool(by_file[_MESSAGES])  # only messages need to know who the user is not
    for path, table in by_file[_CONNECTIONS]:
        for record in _parse_connections(table, path, known, today):
            if messages and isinstance(record, ContactRecord):  # the user is never among their own connections
                me.not_me.add(comparable_name(record.name))
            yield record
    for path, table in by_file[_INVITATIONS]:
        yield from _parse_invitations(table, path)
    for path, table in by_file[_MESSAGES]:
        yield from _parse_messages(table, path, me)
