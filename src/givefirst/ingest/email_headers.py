"""Email headers: who wrote to whom, when, about what.

A message's header block is read in two steps. `raw_headers` finds the fields that matter (From, To, Cc, Date,
Subject, Message-ID, List-Id, Precedence, Auto-Submitted, Content-Type) as they are written (`RawHeaders`), and
`parse_headers` decodes them (`MessageHeaders`): addresses, dates, RFC 2047 words, 8-bit text in UTF-8 or the
declared charset, else (raw bytes a mail program wrote unencoded) in Windows-1252 or Latin-1, so that names and
subjects survive (an address with such a byte is never guessed at); a message without a Date header is dated by
its mbox From_ line (`envelope_date`). Which messages make interactions with whom is
`givefirst.ingest.mail_messages`; reading archives (mbox, maildir) is `givefirst.ingest.mbox`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime, parsedate_tz
from typing import NamedTuple

from givefirst.ingest.mail_addresses import address_list, decode_words
from givefirst.ingest.records import ParseIssue, Participant


@dataclass(slots=True)  # not frozen: a frozen dataclass takes 1 us more to make, 5% of the time per message
class MessageHeaders:
    """The headers of one message that matter to a network, and its raw body only where the user turned bodies
    on for its source. Treat it as read-only."""

    origin: str  # "inbox.mbox#12 (line 3456)" for an mbox, the file name for a maildir message
    message_id: str | None  # without the angle brackets
    date: datetime | None  # naive UTC: the Date header's, or when it has none, its mbox From_ line's
    sender: Participant | None
    to: tuple[Participant, ...]
    cc: tuple[Participant, ...]
    subject: str
    list_id: str | None
    precedence: str | None  # lower-case, e.g. "bulk"
    auto_submitted: str | None  # lower-case, e.g. "auto-replied"
    body: bytes | None = None  # the message as written, only when its source keeps bodies (see RawHeaders)


class RawHeaders(NamedTuple):
    """The fields of one message's header block as written, not yet decoded: `parse_headers` reads them."""

    origin: str  # "inbox.mbox#12 (line 3456)" for an mbox, the file name for a maildir message
    fields: list[tuple[bytes, bytes]]  # (name as written, value with its folding), in the order of the block
    # The message as written (headers and body, capped), only when the source keeps bodies (`--bodies`): the
    # import turns it into text (ingest/mail_body.py) once the message is known to be a personal exchange.
    body: bytes | None = None
    # The mbox From_ line the message was found under ("From a@example.com Mon Jan  6 10:00:00 2025"), if any:
    # its date stands in for a missing Date header (`parse_headers`, `envelope_date`).
    envelope: bytes | None = None


# The fields read, each with its continuation lines, picked out of the header block by one regex, where it lies
# in the reader's buffer. email.parser.BytesHeaderParser takes about 40 us a block with compat32 (500 us with
# policy.default), more than the whole budget per message (about 17 us for 5x a raw line scan of 5 KB messages);
# this takes about 7 us. Decoding the values (addresses, dates, encoded words) takes 10-15 us more, which is why
# it waits for the skip rules (docs/benchmarks.md).
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
# The usual date, "Mon, 8 Jan 2020 07:00:00 -0500 (EST)", read without parsedate's Python; anything else goes
# to parsedate_to_datetime.
_COMMON_DATE = re.compile(
    r"[ \t]*(?:[A-Za-z]{3}, ?)?(\d{1,2}) ([A-Za-z]{3}) ((?:19|20)\d\d) (\d\d):(\d\d):(\d\d) "
    r"([+-](?:[01]\d|2[0-3])[0-5]\d)(?: \(\w+\))?[ \t\r]*"
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {spelt: number for number, name in enumerate(_MONTH_NAMES, 1) for spelt in (name, name.title(), name.upper())}
_PLAIN_FIELDS = ("from", "to", "cc", "date", "subject", "message-id", "list-id", "precedence", "auto-submitted")
_NUL_BYTES = "the headers hold binary data (NUL bytes): not an email message"
_FIRST_YEAR = 1971
_ZONES: dict[str, timedelta] = {}  # "-0500" -> -5 h, filled as zones appear: a mailbox uses a few dozen
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_NOREPLY_LOCAL = re.compile(
    r"no[-_.]?reply|do[-_.]?not[-_.]?reply|^mailer[-_.]?daemon$|^postmaster$|^notifications?(?:[-_.+]|$)"
    r"|(?:^|[-_.+])bounces?(?:[-_.+]|$)|^owner-|[-+](?:owner|request)$"  # list managers: owner-x, x-request
)
_NOREPLY_DOMAIN = re.compile(r"(?:^|\.)(?:no[-_]?reply|bounces?)\.")


def is_noreply(address: str) -> bool:
    """Return True when the address belongs to a machine (noreply, mailer-daemon, notifications, bounces...)."""
    local, _, domain = address.strip().lower().rpartition("@")
    if not local:
        local, domain = domain, ""
    return bool(_NOREPLY_LOCAL.search(local) or _NOREPLY_DOMAIN.search(domain + "."))


def raw_headers(
    data: bytes | bytearray,
    origin: str,
    start: int = 0,
    stop: int | None = None,
    body: bytes | None = None,
    envelope: bytes | None = None,
) -> RawHeaders | ParseIssue:
    """Return the fields of the header block `data[start:stop]`, whose first byte is the newline before them.

    The block is read where it lies (an mbox scanner passes its whole buffer), so nothing is copied. `envelope`
    is the mbox From_ line the message came under, if any.
    """
    end = len(data) if stop is None else stop
    if data.find(b"\x00", start, end) >= 0:
        return ParseIssue(origin, _NUL_BYTES)
    return RawHeaders(origin, _FIELD.findall(data, start, end), body, envelope or None)


def envelope_date(line: bytes) -> datetime | None:
    """Return the date of an mbox From_ line ("From a@example.com Mon Jan  6 10:00:00 2025") as naive UTC, or None.

    The date is asctime's (mbox writers') or RFC 5322's; one without a zone is taken as UTC. The sender may be
    more than one word (pipermail's "From ana at example.com  Wed Dec  1 08:26:40 2010"). A date before 1971 is a
    writer's placeholder (the Unix epoch), not a date.
    """
    words = line.decode("latin-1").split()
    if words[:1] != ["From"]:
        return None
    for start in range(2, len(words)):
        try:
            parts = parsedate_tz(" ".join(words[start:]))
            if parts is not None:
                found = datetime(*parts[:6]) - timedelta(seconds=parts[9] or 0)
                return found if found.year >= _FIRST_YEAR else None
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    return None


def parse_headers(raw: RawHeaders) -> MessageHeaders | ParseIssue:
    """Return the decoded headers of a message, or a ParseIssue when its block is not mail headers."""
    pairs = raw.fields
    fields = {_KEYS.get(key) or key.lower().decode("ascii"): value for key, value in pairs}
    plain = _parse_plain(fields, raw.origin) if len(fields) == len(pairs) else None
    parsed = plain if plain is not None else _parse_any(pairs, raw.origin)
    if isinstance(parsed, MessageHeaders):
        if raw.body is not None:
            parsed.body = raw.body
        if parsed.date is None and raw.envelope is not None:  # no Date header (a bad one is an issue)
            parsed.date = envelope_date(raw.envelope)
    return parsed


def _parse_plain(fields: dict[str, bytes], origin: str) -> MessageHeaders | None:
    """Return the headers of a block whose fields each appear once and are ASCII, or None for any other block.

    Most mail is like this, and reading it needs no charset to weigh and no repeated field to choose from; it
    takes half the time of `_parse_any`, which reads the rest (the tests check the two agree).
    """
    if not fields.keys() & _WANTED:
        return None
    try:
        sender, to, cc, date_text, subject, message_id, list_id, precedence, auto_submitted = (
            None if value is None else value.decode("ascii") for value in map(fields.get, _PLAIN_FIELDS)
        )
    except UnicodeDecodeError:
        return None
    senders = address_list(_unfold(sender)) if sender is not None else ()
    date = _parse_date(date_text) if date_text is not None else None
    if date is None and date_text is not None and not date_text.isspace():
        return None  # the general reader words the issue
    subject = _collapse(subject) or ""
    precedence, auto_submitted = _collapse(precedence), _collapse(auto_submitted)
    return MessageHeaders(
        origin=origin,
        message_id=_message_id(_collapse(message_id)),
        date=date,
        sender=senders[0] if senders else None,
        to=address_list(_unfold(to)) if to is not None else (),
        cc=address_list(_unfold(cc)) if cc is not None else (),
        subject=decode_words(subject) if "=?" in subject else subject,
        list_id=_collapse(list_id),
        precedence=precedence.lower() if precedence else None,
        auto_submitted=auto_submitted.split(";")[0].strip().lower() or None if auto_submitted else None,
    )


def _unfold(value: str) -> str:
    """Return a field value as one line, as `_parse_any` unfolds raw ones."""
    return value.replace("\r", "").replace("\n", "") if "\n" in value or "\r" in value else value


def _collapse(value: str | None) -> str | None:
    """Return a field value with its white space collapsed, None when it is missing or blank."""
    return " ".join(value.split()) or None if value is not None else None


def _parse_any(pairs: list[tuple[bytes, bytes]], origin: str) -> MessageHeaders | ParseIssue:
    """Return the headers of any header block (8-bit text, repeated fields), or a ParseIssue saying why not."""
    raw: dict[str, list[bytes]] = {}
    for key, value in pairs:
        name = _KEYS.get(key) or key.lower().decode("ascii")
        raw.setdefault(name, []).append(value.translate(None, b"\r\n"))  # unfolded
    if not raw.keys() & _WANTED:
        return ParseIssue(origin, "no mail headers (From, To, Date, Subject, Message-ID) found")
    match = _CHARSET.search(raw["content-type"][0]) if "content-type" in raw else None
    charset = match.group(1).decode("ascii") if match else "utf-8"
    senders = _addresses(raw.get("from", []), charset)
    if not senders and any(_text(value, charset) is None for value in raw.get("from", [])):  # an 8-bit address
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
        subject=decode_words(_first(raw, "subject", charset) or ""),
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

    With `lenient`, bytes neither decodes are read as Windows-1252, else Latin-1 (every byte is a character),
    rather than None: mail programs that wrote 8-bit headers unencoded mostly wrote them so ("S\xe9verine").
    """
    if value.isascii():
        return value.decode("ascii")
    for encoding in ("utf-8", charset):
        try:
            return value.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return _legacy(value) if lenient else None


def _legacy(value: bytes) -> str:
    """Return raw 8-bit bytes of no known charset as text: Windows-1252, or Latin-1 where that fails."""
    try:
        return value.decode("cp1252")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _people(value: bytes, charset: str) -> tuple[Participant, ...]:
    """Return the people of one raw address field; where its bytes had to be guessed (`_legacy`), a name is
    kept but an address with such a byte is not: an address is not a thing to guess."""
    text = _text(value, charset)
    if text is not None:
        return address_list(text)
    return tuple(p for p in address_list(_legacy(value)) if p.email is None or p.email.isascii())


def _addresses(values: list[bytes], charset: str) -> tuple[Participant, ...]:
    """Return the people of an address field (To may appear twice), each address once, in order."""
    if len(values) == 1:  # the usual case: the cached tuple as it is
        return _people(values[0], charset)
    found: dict[str | None, Participant] = {}
    for value in values:
        for person in _people(value, charset):
            found.setdefault(person.email, person)
    return tuple(found.values())


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
        month = _MONTHS.get(match[2], 0) if match else 0
        if match and month:
            day, _, year, hour, minute, second, zone = match.groups()
            offset = _ZONES.get(zone)
            if offset is None:
                offset = _ZONES[zone] = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:])) * int(zone[0] + "1")
            return datetime(int(year), month, int(day), int(hour), int(minute), int(second)) - offset
        moment = parsedate_to_datetime(" ".join(value.split()))
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment


def _quote(value: bytes) -> str:
    """Return a short printable excerpt of a raw header value for an issue's reason."""
    text = value.decode("utf-8", "replace").strip()
    return repr(text if len(text) <= 60 else text[:60] + "...")


__all__ = ["MessageHeaders", "RawHeaders", "envelope_date", "is_noreply", "parse_headers", "raw_headers"]
