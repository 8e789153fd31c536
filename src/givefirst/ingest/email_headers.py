"""Email archives read by their headers only: who wrote to whom, when, about what.

`read_mbox` streams an mbox of any size (memory bounded by one message's header block: bodies are skipped
without being decoded or kept), `read_maildir_message` reads one maildir file, and `to_interactions` turns the
headers into email interactions with the user, dropping mailing lists, bulk and automated mail, and (by default)
correspondents who never both wrote to the user and heard back.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.header import decode_header
from email.utils import getaddresses, parsedate_to_datetime
from typing import BinaryIO, NamedTuple

from givefirst.domain.model import Direction, InteractionKind
from givefirst.ingest.records import InteractionRecord, ParseIssue, Participant, Record, UnreadableFileError


@dataclass(frozen=True, slots=True)
class MessageHeaders:
    """The headers of one message that matter to a network: never its body."""

    origin: str  # "inbox.mbox#12 (line 3456)" for an mbox, the file name for a maildir message
    message_id: str | None  # without the angle brackets
    date: datetime | None  # naive UTC
    sender: Participant | None
    to: tuple[Participant, ...]
    cc: tuple[Participant, ...]
    subject: str
    list_id: str | None
    precedence: str | None  # lower-case, e.g. "bulk"
    auto_submitted: str | None  # lower-case, e.g. "auto-replied"


CHUNK_SIZE = 1 << 20
MAX_HEADER_BYTES = 256 * 1024  # real header blocks are a few KB; beyond this the "message" is junk
_MAX_CACHED = 1000  # characters: longer address lists and names are read every time

# The fields read, each with its continuation lines, picked out of the header block by one regex. Measured on a
# 50 MB mbox of 4 KB messages, email.parser.BytesHeaderParser takes about 40 us a block with compat32 (500 us with
# policy.default), more than the whole budget per message (about 35 us for 5x a raw line scan); this takes 6 us.
# The values are then read with the email package: getaddresses, parsedate_to_datetime, decode_header.
_FIELD = re.compile(
    rb"\n(from|to|cc|date|subject|message-id|list-id|precedence|auto-submitted|content-type)[ \t]*:"
    rb"([^\n]*(?:\n[ \t][^\n]*)*)",
    re.IGNORECASE,
)
_KEYS = {
    key.encode(): key.lower()
    for key in ("From", "To", "Cc", "CC", "Date", "Subject", "Message-ID", "Message-Id", "List-Id", "List-ID")
}
_WANTED = frozenset({"from", "to", "cc", "date", "subject", "message-id", "list-id", "precedence", "auto-submitted"})
# A blank line ends the header block; a From_ line starts the next message (a message with no body).
_HEADER_END = re.compile(rb"\n(?:\r?\n|From )")
_COMMON_DATE = re.compile(
    r"(?:[A-Za-z]{3}, ?)?(\d{1,2}) ([A-Za-z]{3}) ((?:19|20)\d\d) (\d\d):(\d\d):(\d\d) ([+-])([01]\d|2[0-3])([0-5]\d)"
    r"(?: \(\w+\))?"
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
# An address list of the common shapes ("Name" <a@b>, Name <a@b>, a@b), read without getaddresses, whose
# character-by-character parser costs 10-40 us an address; anything else (comments, groups, quoted local parts,
# "a@b <c@d>") falls back to it. The tests check both agree on what this pattern accepts.
_ATOM = r"[^<>\x00-\x20\x7f@\",;:()\\\[\]]+"
_SIMPLE_ADDRESS = re.compile(
    rf'[ \t]*(?:"([^"\\]*)"|([^"<>()@,;:\\\[\]]*?))[ \t]*<({_ATOM}@{_ATOM})>[ \t]*(?:,|$)'
    rf"|[ \t]*({_ATOM}@{_ATOM})[ \t]*(?:,|$)"
    r"|[ \t]*,|[ \t]+$"
)
_ADDRESS = re.compile(r"^[^@\x00-\x20\x7f<>(),;:\"\\\ufffd]+@[^@\x00-\x20\x7f<>(),;:\"\\\ufffd]+$")
# Pipermail archives hide addresses as "andy at example.com (Andy Grunwald)".
_OBFUSCATED = re.compile(r"^\s*([\w.+-]+) at ([\w-]+(?:\.[\w-]+)+)(?=\s*(?:\(|$))")
# "alice@example.com <bob@example.com>": getaddresses splits this into two addresses; quoted, it is one.
_BARE_AT_NAME = re.compile(r'(^|,)(\s*)([^,"<>()]*@[^,"<>()]*?)(\s*<[^<>]*>)')
_NOREPLY_LOCAL = re.compile(
    r"no[-_.]?reply|do[-_.]?not[-_.]?reply|^mailer[-_.]?daemon$|^postmaster$|^notifications?(?:[-_.+]|$)"
    r"|(?:^|[-_.+])bounces?(?:[-_.+]|$)|^owner-|[-+](?:owner|request)$"  # list managers: owner-x, x-request
)
_NOREPLY_DOMAIN = re.compile(r"(?:^|\.)(?:no[-_]?reply|bounces?)\.")
_BULK = frozenset({"bulk", "list", "junk"})
# Mail labelled with a charset often uses its superset (Windows and GBK mailers); the superset decodes both.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "iso-8859-1": "cp1252", "latin1": "cp1252", "euc-kr": "cp949"}


def read_mbox(stream: BinaryIO, name: str) -> Iterator[MessageHeaders | ParseIssue]:
    """Yield the headers of each message of an mbox (mboxo or mboxrd), or a ParseIssue for a broken one.

    Messages start at lines beginning with "From "; only each header block is read and parsed, the body bytes
    are skipped unread. Raises UnreadableFileError when the stream is empty or does not start with a From_ line.
    """
    scanner = _MboxScanner(stream, name)
    for number, line, block in scanner.messages():
        origin = f"{name}#{number} (line {line})"
        if block is None:
            yield ParseIssue(origin, f"no blank line ends the headers within {MAX_HEADER_BYTES // 1024} KB: not mail")
        else:
            yield _parse_headers(block, origin)


def read_maildir_message(data: bytes, name: str) -> MessageHeaders | ParseIssue:
    """Return the headers of one maildir (or .eml) message, or a ParseIssue saying why it cannot be read."""
    if not data or data.isspace():
        return ParseIssue(name, "the file is empty")
    start = data.find(b"\n") + 1 if data.startswith(b"From ") else 0  # some tools keep the mbox From_ line
    head = b"\n" + data[start : start + MAX_HEADER_BYTES]  # "\n": a blank first line (no headers) ends it too
    match = _HEADER_END.search(head)
    if match is None and len(data) - start > MAX_HEADER_BYTES:
        return ParseIssue(name, f"no blank line ends the headers within {MAX_HEADER_BYTES // 1024} KB: not mail")
    return _parse_headers(head[1 : match.start() + 1] if match else head[1:], name)


def is_noreply(address: str) -> bool:
    """Return True when the address belongs to a machine (noreply, mailer-daemon, notifications, bounces...)."""
    local, _, domain = address.strip().lower().rpartition("@")
    if not local:
        local, domain = domain, ""
    return bool(_NOREPLY_LOCAL.search(local) or _NOREPLY_DOMAIN.search(domain + "."))


def to_interactions(
    messages: Iterable[MessageHeaders],
    *,
    me: frozenset[str],
    source: str,
    max_recipients: int = 15,
    require_two_way: bool = True,
) -> Iterator[Record]:
    """Yield an email InteractionRecord for each personal message to or from the user, a ParseIssue for the rest.

    Two passes: the first yields the skipped messages' issues at once and keeps the others in a compact list
    (the two-way rule needs the whole input before it can judge one message); the second yields the records.
    """
    mine = frozenset(address.strip().lower() for address in me)
    index: dict[str, int] = {}  # email -> position in `people`: each correspondent is stored once
    people: list[Participant] = []
    wrote: set[int] = set()  # correspondents the user wrote to
    heard: set[int] = set()  # correspondents who wrote to the user
    seen: set[str] = set()
    kept: list[_Kept] = []
    for message in messages:
        reason = _skip_reason(message, mine, max_recipients)
        others = _correspondents(message, mine) if reason is None else []
        external_id = (message.message_id or _fallback_id(message)) if reason is None else ""
        if reason is None and not others:
            reason = "no correspondent other than you"
        if reason is None and external_id in seen:
            reason = f"duplicate Message-ID {external_id}"
        sender = message.sender.email if message.sender else None
        if reason is not None or message.date is None or sender is None:
            yield ParseIssue(message.origin, reason or "no Date")
            continue
        seen.add(external_id)
        ids = tuple(_intern(person, index, people) for person in others)
        outbound = sender in mine
        if outbound:
            wrote.update(ids)
        else:
            heard.add(index[sender])  # the sender is a correspondent: not the user, so interned above
        kept.append(_Kept(message.origin, external_id, message.date, outbound, ids, message.subject))
    both = wrote & heard
    for item in kept:
        ids = tuple(i for i in item.people if i in both) if require_two_way else item.people
        if not ids:
            yield ParseIssue(item.origin, "one-way correspondent (never both wrote and received)")
            continue
        yield InteractionRecord(
            source=source,
            external_id=item.external_id,
            origin=item.origin,
            occurred_at=item.occurred_at,
            kind=InteractionKind.EMAIL.value,
            direction=(Direction.OUTBOUND if item.outbound else Direction.INBOUND).value,
            participants=tuple(people[i] for i in ids),
            summary=item.subject,
        )


class _Kept(NamedTuple):
    """A message waiting for the two-way verdict: a few hundred bytes, so 200,000 of them fit in ~100 MB."""

    origin: str
    external_id: str
    occurred_at: datetime
    outbound: bool
    people: tuple[int, ...]  # positions in the correspondent table
    subject: str


def _skip_reason(message: MessageHeaders, mine: frozenset[str], max_recipients: int) -> str | None:
    """Return why a message is not a personal exchange with the user, or None when it may be one."""
    if message.date is None:
        return "no Date"
    if message.list_id:
        return f"mailing list (List-Id {message.list_id})"
    if message.precedence in _BULK:
        return f"bulk (Precedence: {message.precedence})"
    if message.auto_submitted and message.auto_submitted != "no":
        return f"auto-submitted (Auto-Submitted: {message.auto_submitted})"
    sender = message.sender.email if message.sender else None
    if sender is None:
        return "no From address"
    if is_noreply(sender):
        return f"no-reply sender ({sender})"
    recipients = {p.email for p in (*message.to, *message.cc)}
    if len(recipients) > max_recipients:
        return f"more than {max_recipients} recipients ({len(recipients)})"
    if sender not in mine and not recipients & mine:
        return "not to or from you"
    return None


def _correspondents(message: MessageHeaders, mine: frozenset[str]) -> list[Participant]:
    """Return everyone on the message but the user, each address once, sender first."""
    found: dict[str, Participant] = {}
    for person in (message.sender, *message.to, *message.cc):
        if person is not None and person.email and person.email not in mine and person.email not in found:
            found[person.email] = person
    return list(found.values())


def _intern(person: Participant, index: dict[str, int], people: list[Participant]) -> int:
    """Return the correspondent's position in the table, adding them (or a name learnt late) as needed."""
    assert person.email is not None
    position = index.get(person.email)
    if position is None:
        index[person.email] = len(people)
        people.append(person)
        return len(people) - 1
    if people[position].name is None and person.name:
        people[position] = person
    return position


def _fallback_id(message: MessageHeaders) -> str:
    """Return a stable id for a message without Message-ID: a hash of its date, sender and subject."""
    sender = message.sender.email if message.sender else ""
    stamp = message.date.isoformat() if message.date else ""
    digest = hashlib.sha256(f"{stamp}\n{sender}\n{message.subject}".encode()).hexdigest()
    return f"sha256:{digest[:32]}"


class _MboxScanner:
    """Walks an mbox stream in large chunks: finds each message's header block and skips its body unread."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self._stream = stream
        self._name = name
        self._buf = b""
        self._pos = 0  # bytes before this are consumed
        self._line = 1  # line number at _pos
        self._eof = False

    def messages(self) -> Iterator[tuple[int, int, bytes | None]]:
        """Yield (message number, line of its From_ line, header block or None when it never ends)."""
        self._start()
        number = 0
        while self._pos < len(self._buf) or self._fill():
            number += 1
            line = self._line
            block = self._take_header()
            yield number, line, block
            self._skip_body()

    def _start(self) -> None:
        """Check that the stream is an mbox and put the cursor on its first From_ line."""
        # reads may be short (pipes): gather the first line whole, or enough of it to judge
        while len(self._buf) < 8192 and b"\n" not in self._buf.lstrip() and self._fill():
            pass
        text = self._buf.lstrip(b"\r\n")
        if self._eof and not text.strip():
            raise UnreadableFileError(f"{self._name}: the file is empty")
        first_line = text[: text.find(b"\n")] if b"\n" in text else text
        if not text.startswith(b"From ") or b"\x00" in first_line or len(first_line) > 4096:
            raise UnreadableFileError(f'{self._name}: not an mbox file (it does not start with a "From " line)')
        self._advance(len(self._buf) - len(text))

    def _fill(self) -> bool:
        """Append the next chunk, dropping consumed bytes but one; return False at the end of the stream."""
        if self._eof:
            return False
        try:
            chunk = self._stream.read(CHUNK_SIZE)
        except (OSError, ValueError) as exc:  # ValueError: the stream was closed under us
            raise UnreadableFileError(f"{self._name}: cannot be read ({exc})") from None
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise UnreadableFileError(f"{self._name}: opened as text; an mbox must be read as bytes")
        if not chunk:
            self._eof = True
            return False
        keep = max(self._pos - 1, 0)  # the byte before the cursor tells whether it starts a line
        self._buf = self._buf[keep:] + bytes(chunk)
        self._pos -= keep
        return True

    def _advance(self, to: int) -> None:
        """Move the cursor forward, counting the lines passed."""
        self._line += self._buf.count(b"\n", self._pos, to)
        self._pos = to

    def _take_header(self) -> bytes | None:
        """Return the header block of the message whose From_ line is at the cursor, None when it is too long."""
        while True:
            buf, pos = self._buf, self._pos
            limit = pos + MAX_HEADER_BYTES
            eol = buf.find(b"\n", pos, limit)
            if eol >= 0:
                end = _HEADER_END.search(buf, eol, limit)
                if end is not None:
                    block = buf[eol + 1 : end.start() + 1]
                    self._advance(end.start() + 1 if end.group().endswith(b"From ") else end.end())
                    return block
            if len(buf) >= limit:
                self._advance(pos + 1)  # _skip_body looks for the next From_ line from here
                return None
            if not self._fill():
                block = buf[eol + 1 :] if eol >= 0 else b""
                self._advance(len(buf))
                return block

    def _skip_body(self) -> None:
        """Move the cursor to the next From_ line, or to the end of the stream, without decoding anything."""
        while True:
            found = self._buf.find(b"\nFrom ", max(self._pos - 1, 0))
            if found >= 0:
                self._advance(found + 1)
                return
            # keep the last bytes: a "\nFrom " may straddle two chunks
            self._advance(max(self._pos, len(self._buf) - 5))
            if not self._fill():
                self._advance(len(self._buf))
                return


def _parse_headers(block: bytes, origin: str) -> MessageHeaders | ParseIssue:
    """Return the headers of one header block, or a ParseIssue when the block is not mail headers."""
    if b"\x00" in block:
        return ParseIssue(origin, "the headers hold binary data (NUL bytes): not an email message")
    raw: dict[str, list[bytes]] = {}
    for key, value in _FIELD.findall(b"\n" + block):
        name = _KEYS.get(key) or key.lower().decode("ascii")
        raw.setdefault(name, []).append(value.translate(None, b"\r\n"))  # unfolded
    if not raw.keys() & _WANTED:
        return ParseIssue(origin, "no mail headers (From, To, Date, Subject, Message-ID) found")
    match = _CHARSET.search(raw["content-type"][0]) if "content-type" in raw else None
    charset = match.group(1).decode("ascii") if match else "utf-8"
    senders = _addresses(raw.get("from", []), charset)
    if not senders and any(_text(value, charset) is None for value in raw.get("from", [])):
        expected = "UTF-8" if charset.lower() in ("utf-8", "utf8") else f"UTF-8 or {charset}"
        return ParseIssue(origin, f"the From header is not {expected} text: {_quote(raw['from'][0])}")
    date_text = _first(raw, "date", charset)
    date = _parse_date(date_text) if date_text else None
    if date_text and date is None:
        return ParseIssue(origin, f"the Date header is not a date: {_quote(raw['date'][0])}")
    return MessageHeaders(
        origin=origin,
        message_id=_message_id(_first(raw, "message-id", charset)),
        date=date,
        sender=senders[0] if senders else None,
        to=_addresses(raw.get("to", []), charset),
        cc=_addresses(raw.get("cc", []), charset),
        subject=_words(_first(raw, "subject", charset) or ""),
        list_id=_first(raw, "list-id", charset),
        precedence=(_first(raw, "precedence", charset) or "").lower() or None,
        auto_submitted=(_first(raw, "auto-submitted", charset) or "").split(";")[0].strip().lower() or None,
    )


def _first(raw: dict[str, list[bytes]], key: str, charset: str) -> str | None:
    """Return the first non-empty value of a field as text with its white space collapsed, or None."""
    for value in raw.get(key, []):
        text = " ".join((_text(value, charset, lenient=True) or "").split())
        if text:
            return text
    return None


def _text(value: bytes, charset: str, *, lenient: bool = False) -> str | None:
    """Return a raw header value as text: raw 8-bit bytes are UTF-8 or the declared charset, else None.

    With `lenient`, undecodable bytes become U+FFFD rather than None (a subject is worth keeping garbled).
    """
    if value.isascii():
        return value.decode("ascii")
    for encoding in ("utf-8", charset):
        try:
            return value.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return value.decode("utf-8", "replace") if lenient else None


def _words(text: str) -> str:
    """Return text with its RFC 2047 encoded words decoded and its white space collapsed."""
    if "=?" in text:
        try:
            parts = decode_header(text)
        except Exception:  # a malformed encoded word: keep the text as written
            parts = [(text, None)]
        # joined by hand rather than with make_header, which raises on the first wrong or unknown charset
        text = "".join(_decode_part(part, charset) for part, charset in parts)
    return " ".join(text.split())


def _decode_part(part: bytes | str, charset: str | None) -> str:
    """Return one piece of decode_header's output as text, replacing what its charset cannot decode."""
    if isinstance(part, str):
        return part
    if charset is None:  # text between encoded words, which decode_header escapes this way
        try:
            return part.decode("raw-unicode-escape")
        except UnicodeDecodeError:
            return part.decode("latin-1")
    charset = charset.lower()
    try:
        return part.decode(_SUPERSETS.get(charset, charset), "replace")
    except LookupError:
        return part.decode("utf-8", "replace")


def _addresses(values: list[bytes], charset: str) -> tuple[Participant, ...]:
    """Return the people of an address field (To may appear twice), each address once, in order."""
    if len(values) == 1:  # the usual case: the cached tuple as it is
        return _address_list(_text(values[0], charset, lenient=True) or "")
    found: dict[str | None, Participant] = {}
    for value in values:
        for person in _address_list(_text(value, charset, lenient=True) or ""):
            found.setdefault(person.email, person)
    return tuple(found.values())


def _address_list(text: str) -> tuple[Participant, ...]:
    """Return the people of one address list, each address once: lower-cased, with a usable name or None."""
    # the same From and To lines recur across a mailbox: cached, unless long enough to make the cache a hog
    return _read_address_list(text) if len(text) <= _MAX_CACHED else _read_address_list.__wrapped__(text)


@functools.lru_cache(maxsize=8192)  # Participants are frozen, so sharing them between messages is safe
def _read_address_list(text: str) -> tuple[Participant, ...]:
    """Return the people of one address list, each address once."""
    if "@" not in text:
        text = _OBFUSCATED.sub(r"\1@\2", text)
    pairs = _simple_addresses(text)
    if pairs is None:
        try:
            pairs = getaddresses([_BARE_AT_NAME.sub(r'\1\2"\3"\4', text)])
        except Exception:  # getaddresses is lenient, but never let one header sink the file
            return ()
    found: dict[str, Participant] = {}
    for name, address in pairs:
        address = address.strip().strip("'").lower()
        if address not in found and _ADDRESS.match(address):
            shown = _display_name(name) if len(name) <= _MAX_CACHED else None  # a 1,000-character name is junk
            found[address] = Participant(name=shown, email=address)
    return tuple(found.values())


def _simple_addresses(text: str) -> list[tuple[str, str]] | None:
    """Return (name, address) pairs as getaddresses would, or None when the list is not of the common shapes."""
    pairs: list[tuple[str, str]] = []
    pos, end = 0, len(text)
    while pos < end:
        match = _SIMPLE_ADDRESS.match(text, pos)
        if match is None:
            return None
        quoted, plain, angled, bare = match.groups()
        if angled is not None:
            pairs.append((quoted if quoted is not None else " ".join(plain.split()), angled))
        elif bare is not None:
            pairs.append(("", bare))
        pos = match.end()
    return pairs


@functools.lru_cache(maxsize=8192)  # correspondents recur, and decoding encoded words is the slow part
def _display_name(name: str) -> str | None:
    """Return a person's display name, or None when it is empty, garbled or merely an address."""
    if not name:
        return None
    text = _words(name).strip("\"' ")
    if not text or "\ufffd" in text or _ADDRESS.match(text):
        return None
    return text


def _message_id(value: str | None) -> str | None:
    """Return the Message-ID without angle brackets, or None when it is missing or empty."""
    if not value:
        return None
    start, end = value.find("<"), value.find(">")
    text = (value[start + 1 : end] if 0 <= start < end else value).strip()
    return text if text and text.isprintable() and " " not in text else None


def _parse_date(value: str) -> datetime | None:
    """Return the date as naive UTC, or None when it is not an RFC 5322 date."""
    try:
        match = _COMMON_DATE.fullmatch(value)
        month = _MONTHS.get(match[2].lower(), 0) if match else 0
        if match and month:  # "Mon, 8 Jan 2020 07:00:00 -0500 (EST)", most dates: read without parsedate's Python
            day, _, year, hour, minute, second, sign, tz_hours, tz_minutes = match.groups()
            offset = timedelta(hours=int(tz_hours), minutes=int(tz_minutes)) * (-1 if sign == "-" else 1)
            return datetime(int(year), month, int(day), int(hour), int(minute), int(second)) - offset
        moment = parsedate_to_datetime(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment


def _quote(value: bytes) -> str:
    """Return a short printable excerpt of a raw header value for an issue's reason."""
    text = value.decode("utf-8", "replace").strip()
    return repr(text if len(text) <= 60 else text[:60] + "...")


__all__ = ["MessageHeaders", "is_noreply", "read_maildir_message", "read_mbox", "to_interactions"]
