"""LinkedIn data export: Connections.csv, messages.csv and Invitations.csv, in every layout LinkedIn has used.

LinkedIn changed these files several times (see /work/shared/formats/README.md): a "Notes:" preamble or none,
a URL column or none, three column sets for messages, four date formats, and spreadsheet re-saves (CRLF, BOM,
Windows-1252). Columns are found by their header names, never by position, so every generation reads the same.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from html.parser import HTMLParser

from givefirst.domain.model import Direction, InteractionKind
from givefirst.errors import InvalidInputError
from givefirst.ingest.identity import normalize_url
from givefirst.ingest.names import comparable_name, split_credentials
from givefirst.ingest.records import (
    ContactRecord,
    InteractionRecord,
    Labeled,
    ParseIssue,
    Participant,
    Record,
    UnreadableFileError,
)

__all__ = ["is_linkedin_file", "parse_linkedin_export", "parse_linkedin_file"]

SOURCE = "linkedin"
_CONNECTIONS, _MESSAGES, _INVITATIONS = "connections.csv", "messages.csv", "invitations.csv"
_HEADER_SEARCH_ROWS = 10  # the "Notes:" preamble is three lines; a header further down is not a LinkedIn export
_SUMMARY_CHARS = 80
_SPONSOR = "linkedin member"  # sponsored InMail, and members whose account is gone, carry this name and no URL
_SPACES = re.compile(r"\s+")
_HTML_TAG = re.compile(r"<[a-zA-Z/!]")
_CREDENTIAL_TOKEN = re.compile(r"^[A-Z][A-Z.]{1,5}$")
_DIRECTIONS = {"OUTGOING": Direction.OUTBOUND.value, "INCOMING": Direction.INBOUND.value}


# --- dates -------------------------------------------------------------------------------------------------

# LinkedIn's own formats: Connections and Messages 2018 and Invitations "1/8/18, 6:14 PM"; Connections from 2020
# "09 Sep 2022"; a spreadsheet re-save "9-Sep-22", or a 24-hour clock. Messages from 2022 are ISO, read below.
_FORMATS = (
    "%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%y %I:%M %p", "%m/%d/%Y %I:%M %p",
    "%m/%d/%y %H:%M", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%y", "%m/%d/%Y",
    "%d %b %Y", "%d %B %Y", "%d-%b-%y", "%d-%b-%Y", "%b %d, %Y", "%B %d, %Y",
)  # fmt: skip
_UTC_SUFFIX = re.compile(r"(?<=\d)\s*(?:UTC|GMT|Z)$", re.IGNORECASE)
_ISO_START = re.compile(r"\d{4}-?\d\d")


def _shape(text: str) -> tuple[bool, ...]:
    # The separators a date carries pick its candidate formats, since each failed strptime costs as much as a row.
    return ("/" in text, "-" in text, "," in text, ":" in text, text[-1:].upper() == "M")


_SHAPES = [(fmt, (*_shape(fmt)[:4], "%p" in fmt)) for fmt in _FORMATS]


@lru_cache(maxsize=4096)  # Connected On dates repeat: a whole file often holds a few hundred distinct days
def _parse_timestamp(text: str) -> datetime | None:
    """Return the moment a LinkedIn date field names, as naive UTC, or None when it is not a date.

    Timestamps without a zone are taken as UTC: LinkedIn writes its ISO dates in UTC and gives no zone for the
    others, so UTC is the least wrong reading.
    """
    value = _SPACES.sub(" ", text.replace("\u202f", " ")).strip()  # newer Excel puts U+202F before AM/PM
    if not value:
        return None
    if not _ISO_START.match(value):
        shape = _shape(value)
        for fmt, fits in _SHAPES:
            if fits == shape:
                try:
                    return datetime.strptime(value, fmt)
                except ValueError:
                    continue
    try:
        moment = datetime.fromisoformat(_UTC_SUFFIX.sub("+00:00", value))
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None
    return moment


# --- reading the file --------------------------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    """Return the file's text: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252 from a re-save."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        # Excel on Windows saves "CSV (Comma delimited)" in the ANSI code page, so accented names arrive that way.
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise UnreadableFileError(f"{name}: not a text file (it contains NUL bytes)")
        if not text.strip():
            raise UnreadableFileError(f"{name}: the file is empty")
        return text
    raise UnreadableFileError(f"{name}: not UTF-8 or Windows-1252 text; export it again from LinkedIn")


def _column_key(cell: str) -> str:
    # "SENDER PROFILE URL", "inviterProfileUrl" and " First Name" all compare on letters and digits alone.
    return re.sub(r"[^0-9a-z]", "", cell.casefold())


@dataclass
class _Table:
    """The rows under a file's header, each with the line it starts on, or the csv error that broke it."""

    columns: dict[str, int]
    width: int
    rows: list[tuple[int, list[str] | str]] = field(default_factory=list)

    def get(self, row: list[str], column: str) -> str:
        """Return the cell of `column` in `row`, stripped; "" when the layout or the row lacks it."""
        index = self.columns.get(column)
        if index is None or index >= len(row):
            return ""
        return row[index].strip()

    def entries(self, name: str) -> Iterator[tuple[str, list[str]] | ParseIssue]:
        """Yield (origin, cells) for each row, or a ParseIssue for a broken one; blank rows are passed over."""
        for line, row in self.rows:
            origin = f"{name}:{line}"
            if isinstance(row, str):
                yield ParseIssue(origin, row)
            elif not any(cell.strip() for cell in row):
                continue  # blank lines and the all-comma rows spreadsheets append
            elif any(cell.strip() for cell in row[self.width :]):
                yield ParseIssue(
                    origin,
                    f"this row has {len(row)} fields but the header has {self.width}; "
                    "a comma inside a value is probably not quoted",
                )
            else:
                yield origin, row


def _read_table(text: str, name: str, required: tuple[str, ...], what: str) -> _Table:
    """Return the rows below the first header that has every `required` column; raise when there is none."""
    reader = csv.reader(io.StringIO(text, newline=""))
    table: _Table | None = None
    seen = 0
    last_line = 0
    while True:
        start = last_line + 1
        try:
            row: list[str] | str = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a runaway quote makes one field larger than the csv module allows
            row = f"this row cannot be read as CSV ({exc}); check its quotes"
        last_line = reader.line_num
        if table is not None:
            table.rows.append((start, row))
            continue
        if isinstance(row, str) or not any(cell.strip() for cell in row):
            continue
        seen += 1
        keys = [_column_key(cell) for cell in row]
        if all(_column_key(column) in keys for column in required):
            table = _Table({key: keys.index(key) for key in keys if key}, len(row))
        elif seen >= _HEADER_SEARCH_ROWS:
            break
    if table is None:
        wanted = ", ".join(required)
        raise UnreadableFileError(f"{name}: not a LinkedIn {what} export (no header with the columns {wanted})")
    return table


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _digest(*parts: str) -> str:
    # JSON keeps the parts apart, so ("a", "bc") and ("ab", "c") never collide.
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:32]


def _shorten(text: str) -> str:
    return text if len(text) <= _SUMMARY_CHARS else text[: _SUMMARY_CHARS - 1].rstrip() + "…"


@lru_cache(maxsize=65536)  # the same few thousand people recur on tens of thousands of messages
def _url_key(url: str) -> str | None:
    """Return the canonical form of a profile URL, or None when it is not a URL."""
    try:
        return normalize_url(url)
    except (InvalidInputError, ValueError):  # urlsplit raises ValueError on "https://[", which normalize_url lets by
        return None


# --- Connections.csv ---------------------------------------------------------------------------------------


def _parse_connections(table: _Table, name: str) -> Iterator[Record]:
    """Yield one ContactRecord per connection, or a ParseIssue for a row without a name."""
    for entry in table.entries(name):
        if isinstance(entry, ParseIssue):
            yield entry
            continue
        origin, row = entry
        first, last = table.get(row, "firstname"), table.get(row, "lastname")
        full_name = _one_line(f"{first} {last}")
        if not full_name:
            yield ParseIssue(origin, "this connection has neither a first nor a last name, so it was skipped")
            continue
        url = table.get(row, "url")
        canonical = _url_key(url) if url else None
        company = _one_line(table.get(row, "company"))
        email = table.get(row, "emailaddress")
        connected = _parse_timestamp(table.get(row, "connectedon"))
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
            title=_one_line(table.get(row, "position")) or None,  # a tab inside a position becomes a space
            met_on=connected.date() if connected else None,
            how_met="LinkedIn connection",
        )


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
        return _url_key(self.url) if self.url else None


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


def _is_credential(piece: str) -> bool:
    base, credentials = split_credentials(f"A B {piece}")
    if credentials is not None and base == "A B":
        return True
    return all(_CREDENTIAL_TOKEN.match(token) for token in piece.split())


def _recipients(names: str, urls: str) -> list[_Person]:
    """Return the people of a TO cell, with the URLs of RECIPIENT PROFILE URLS when they line up.

    Group messages list recipients separated by commas, but names carry commas too ("Elena Park, CPA"): a
    piece that is only credentials belongs to the name before it.
    """
    links = [u.strip() for u in urls.split(",") if u.strip()]
    if len(links) == 1:
        return [_Person(_one_line(names), links[0])] if names.strip() else []
    pieces: list[str] = []
    for piece in (p.strip() for p in names.split(",")):
        if not piece:
            continue
        if pieces and _is_credential(piece):
            pieces[-1] = f"{pieces[-1]}, {piece}"
        else:
            pieces.append(_one_line(piece))
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


def _read_messages(table: _Table, name: str) -> list[_Message | ParseIssue]:
    """Return every row of messages.csv as a _Message or a ParseIssue, in file order."""
    out: list[_Message | ParseIssue] = []
    for entry in table.entries(name):
        if isinstance(entry, ParseIssue):
            out.append(entry)
            continue
        origin, row = entry
        sender = _Person(_one_line(table.get(row, "from")), table.get(row, "senderprofileurl") or None)
        if sender.key == _SPONSOR:
            out.append(ParseIssue(origin, "sponsored message from LinkedIn Member, skipped"))
            continue
        if not sender.name:
            out.append(ParseIssue(origin, "this message has no sender (FROM is empty), so it was skipped"))
            continue
        date_text = table.get(row, "date")
        when = _parse_timestamp(date_text)
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
                subject=_one_line(html.unescape(table.get(row, "subject"))),
                content=_one_line(_plain_text(table.get(row, "content"))),
                direction=direction,
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


def _parse_messages(table: _Table, name: str, hint: _Me | None = None) -> Iterator[Record]:
    """Yield an InteractionRecord per message, or a ParseIssue for a sponsored or broken one."""
    rows = _read_messages(table, name)
    messages = [r for r in rows if isinstance(r, _Message)]
    me = _identify_me(messages, hint or _Me())
    urls = _known_urls(messages)
    for item in rows:
        if isinstance(item, ParseIssue):
            yield item
            continue
        msg = item
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
            external_id="messages#" + _digest(thread, msg.when.isoformat(), msg.sender.key, msg.content[:200]),
            origin=msg.origin,
            occurred_at=msg.when,
            kind=InteractionKind.MESSAGE.value,
            direction=direction,
            participants=tuple(others),
            summary=_shorten(msg.subject or msg.content),
        )


# --- Invitations.csv ---------------------------------------------------------------------------------------


def _parse_invitations(table: _Table, name: str) -> Iterator[Record]:
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
        other = _Person(_one_line(table.get(row, side[0])), table.get(row, side[1]) or None)
        if not other.name:
            yield ParseIssue(origin, "this invitation does not name the other person, so it was skipped")
            continue
        sent_text = table.get(row, "sentat")
        when = _parse_timestamp(sent_text)
        if when is None:
            yield ParseIssue(origin, f"Sent At {sent_text!r} is not a date, so this invitation was skipped")
            continue
        message = _one_line(html.unescape(table.get(row, "message")))
        yield InteractionRecord(
            source=SOURCE,
            external_id="invitations#"
            + _digest(table.get(row, "from").casefold(), table.get(row, "to").casefold(), when.isoformat(), said),
            origin=origin,
            occurred_at=when,
            kind=InteractionKind.MESSAGE.value,
            direction=direction,
            participants=(Participant(name=other.name, profile_url=other.url),),
            summary=f"LinkedIn invitation: {_shorten(message) if message else '(no message)'}",
        )


def _me_from_invitations(table: _Table, me: _Me) -> None:
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


def _open(data: bytes, name: str) -> tuple[str, _Table]:
    """Return the file's kind (its base name) and its table; raise UnreadableFileError when it has neither."""
    base = _base_name(name)
    if base not in _REQUIRED:
        raise UnreadableFileError(
            f"{name}: not a LinkedIn export file (expected Connections.csv, messages.csv or Invitations.csv)"
        )
    required, what = _REQUIRED[base]
    return base, _read_table(_decode(data, name), name, required, what)


def is_linkedin_file(name: str) -> bool:
    """Return True when `name` (a path or a base name) is a file of a LinkedIn export that this module reads."""
    return _base_name(name) in _REQUIRED


def parse_linkedin_file(data: bytes, name: str) -> Iterator[Record]:
    """Return the records of one LinkedIn export file, chosen by its base name (case-insensitive).

    Connections.csv yields ContactRecords, messages.csv and Invitations.csv yield InteractionRecords; broken
    rows yield ParseIssues. Raises UnreadableFileError at once, before any record, for an unknown name and for
    a file that is not text or has no LinkedIn header.
    """
    base, table = _open(data, name)
    if base == _CONNECTIONS:
        return _parse_connections(table, name)
    if base == _INVITATIONS:
        return _parse_invitations(table, name)
    return _parse_messages(table, name)


def parse_linkedin_export(files: Iterable[tuple[str, bytes]]) -> Iterator[Record]:
    """Yield the records of a whole LinkedIn export: Connections, then Invitations, then messages.

    `files` are (relative path, bytes) pairs from a folder or zip; files this module does not read are ignored.
    Reading the files together tells who the user is (from Invitations.csv, and Connections.csv rules people
    out), which a lone messages.csv sometimes cannot. A known file that cannot be read yields one ParseIssue
    and the rest of the export still imports; an export without any known file raises UnreadableFileError.
    """
    tables: dict[str, list[tuple[str, _Table]]] = {base: [] for base in _REQUIRED}
    problems: list[ParseIssue] = []
    for path, data in files:
        if not is_linkedin_file(path):
            continue
        try:
            base, table = _open(data, path)
        except UnreadableFileError as exc:
            problems.append(ParseIssue(path, str(exc)))
            continue
        tables[base].append((path, table))
    if not problems and not any(tables.values()):
        raise UnreadableFileError(
            "LinkedIn export: no Connections.csv, messages.csv or Invitations.csv in it; is this a LinkedIn export?"
        )
    yield from problems
    me = _Me()
    for _, table in tables[_INVITATIONS]:
        _me_from_invitations(table, me)
    for path, table in tables[_CONNECTIONS]:
        for record in _parse_connections(table, path):
            if isinstance(record, ContactRecord):  # the user is never among their own connections
                me.not_me.add(comparable_name(record.name))
            yield record
    for path, table in tables[_INVITATIONS]:
        yield from _parse_invitations(table, path)
    for path, table in tables[_MESSAGES]:
        yield from _parse_messages(table, path, me)
