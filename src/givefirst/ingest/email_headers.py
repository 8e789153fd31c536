"""Email headers: who wrote to whom, when, about what; and the email interactions with the user they make.

A message's header block is read in two steps. `raw_headers` finds the fields that matter (From, To, Cc, Date,
Subject, Message-ID, List-Id, Precedence, Auto-Submitted, Content-Type) as they are written (`RawHeaders`), and
`parse_headers` decodes them (`MessageHeaders`): addresses, dates, RFC 2047 words, 8-bit text in the declared
charset. `to_interactions` turns messages into email interactions, dropping mailing lists, bulk and automated
mail (known from the raw fields, before anything is decoded) and, by default, correspondents who never both
wrote to the user and heard back. Reading archives (mbox, maildir) is `givefirst.ingest.mbox`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import NamedTuple

from givefirst.domain.model import Direction, InteractionKind
from givefirst.ingest.identity import fold_email
from givefirst.ingest.mail_addresses import address_list, decode_words
from givefirst.ingest.records import InteractionRecord, ParseIssue, Participant, Record


@dataclass(slots=True)  # not frozen: a frozen dataclass takes 1 us more to make, 5% of the time per message
class MessageHeaders:
    """The headers of one message that matter to a network: never its body. Treat it as read-only."""

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


class RawHeaders(NamedTuple):
    """The fields of one message's header block as written, not yet decoded: `parse_headers` reads them."""

    origin: str  # "inbox.mbox#12 (line 3456)" for an mbox, the file name for a maildir message
    fields: list[tuple[bytes, bytes]]  # (name as written, value with its folding), in the order of the block


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
_FLAGS = {b"list-id": "list-id", b"precedence": "precedence", b"auto-submitted": "auto-submitted"}
_PLAIN_FIELDS = ("from", "to", "cc", "date", "subject", "message-id", "list-id", "precedence", "auto-submitted")
_NUL_BYTES = "the headers hold binary data (NUL bytes): not an email message"
_ZONES: dict[str, timedelta] = {}  # "-0500" -> -5 h, filled as zones appear: a mailbox uses a few dozen
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_NOREPLY_LOCAL = re.compile(
    r"no[-_.]?reply|do[-_.]?not[-_.]?reply|^mailer[-_.]?daemon$|^postmaster$|^notifications?(?:[-_.+]|$)"
    r"|(?:^|[-_.+])bounces?(?:[-_.+]|$)|^owner-|[-+](?:owner|request)$"  # list managers: owner-x, x-request
)
_NOREPLY_DOMAIN = re.compile(r"(?:^|\.)(?:no[-_]?reply|bounces?)\.")
_BULK = frozenset({"bulk", "list", "junk"})


def is_noreply(address: str) -> bool:
    """Return True when the address belongs to a machine (noreply, mailer-daemon, notifications, bounces...)."""
    local, _, domain = address.strip().lower().rpartition("@")
    if not local:
        local, domain = domain, ""
    return bool(_NOREPLY_LOCAL.search(local) or _NOREPLY_DOMAIN.search(domain + "."))


def to_interactions(
    messages: Iterable[MessageHeaders | RawHeaders],
    *,
    me: frozenset[str],
    source: str,
    max_recipients: int = 15,
    require_two_way: bool = True,
    provider_rules: bool = False,
) -> Iterator[Record]:
    """Yield an email InteractionRecord for each personal message to or from the user, a ParseIssue for the rest.

    Two passes: the first yields the skipped messages' issues at once and keeps the others in a compact list
    (the two-way rule needs the whole input before it can judge one message); the second yields the records.
    Raw headers are decoded only when their List-Id, Precedence and Auto-Submitted do not already rule them out.
    With `provider_rules`, addresses are compared with their provider's aliases folded (`fold_email`).
    """
    mine = frozenset(address.strip().lower() for address in me)
    if provider_rules:
        mine = frozenset(fold_email(address) for address in mine)
    index: dict[str, int] = {}  # email -> position in `people`: each correspondent is stored once
    people: list[Participant] = []
    wrote: set[int] = set()  # correspondents the user wrote to
    heard: set[int] = set()  # correspondents who wrote to the user
    seen: set[str] = set()
    kept: list[_Kept] = []
    for given in messages:
        if isinstance(given, RawHeaders):
            early = _automated(*_raw_flags(given))
            parsed = ParseIssue(given.origin, early) if early else parse_headers(given)
            if isinstance(parsed, ParseIssue):
                yield parsed
                continue
            given = parsed
        message = _fold_addresses(given) if provider_rules else given
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
    automated = _automated(message.list_id, message.precedence, message.auto_submitted)
    if automated:
        return automated
    if message.date is None:
        return "no Date"
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


def _fold_addresses(message: MessageHeaders) -> MessageHeaders:
    """Return the message with every address's provider aliases folded."""

    def fold(person: Participant) -> Participant:
        return Participant(name=person.name, email=fold_email(person.email)) if person.email else person

    return dataclasses.replace(
        message,
        sender=fold(message.sender) if message.sender else None,
        to=tuple(fold(p) for p in message.to),
        cc=tuple(fold(p) for p in message.cc),
    )


def _automated(list_id: str | None, precedence: str | None, auto_submitted: str | None) -> str | None:
    """Return why a message with these fields is list, bulk or machine mail, or None when it is none of these."""
    if list_id:
        return f"mailing list (List-Id {list_id})"
    if precedence in _BULK:
        return f"bulk (Precedence: {precedence})"
    if auto_submitted and auto_submitted != "no":
        return f"auto-submitted (Auto-Submitted: {auto_submitted})"
    return None


def _raw_flags(raw: RawHeaders) -> tuple[str | None, str | None, str | None]:
    """Return List-Id, Precedence and Auto-Submitted as `parse_headers` would, read from the raw fields."""
    flags: dict[str, str] = {}
    for key, value in raw.fields:
        name = _FLAGS.get(key.lower())
        if name is not None and name not in flags:
            text = " ".join(value.decode("utf-8", "replace").split())
            if text:
                flags[name] = text
    precedence, auto_submitted = flags.get("precedence"), flags.get("auto-submitted")
    return (
        flags.get("list-id"),
        precedence.lower() if precedence else None,
        auto_submitted.split(";")[0].strip().lower() or None if auto_submitted else None,
    )


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


def raw_headers(
    data: bytes | bytearray, origin: str, start: int = 0, stop: int | None = None
) -> RawHeaders | ParseIssue:
    """Return the fields of the header block `data[start:stop]`, whose first byte is the newline before them.

    The block is read where it lies (an mbox scanner passes its whole buffer), so nothing is copied.
    """
    end = len(data) if stop is None else stop
    if data.find(b"\x00", start, end) >= 0:
        return ParseIssue(origin, _NUL_BYTES)
    return RawHeaders(origin, _FIELD.findall(data, start, end))


def parse_headers(raw: RawHeaders) -> MessageHeaders | ParseIssue:
    """Return the decoded headers of a message, or a ParseIssue when its block is not mail headers."""
    pairs = raw.fields
    fields = {_KEYS.get(key) or key.lower().decode("ascii"): value for key, value in pairs}
    if len(fields) == len(pairs):
        plain = _parse_plain(fields, raw.origin)
        if plain is not None:
            return plain
    return _parse_any(pairs, raw.origin)


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


def _addresses(values: list[bytes], charset: str) -> tuple[Participant, ...]:
    """Return the people of an address field (To may appear twice), each address once, in order."""
    if len(values) == 1:  # the usual case: the cached tuple as it is
        return address_list(_text(values[0], charset, lenient=True) or "")
    found: dict[str | None, Participant] = {}
    for value in values:
        for person in address_list(_text(value, charset, lenient=True) or ""):
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


__all__ = ["MessageHeaders", "RawHeaders", "is_noreply", "parse_headers", "raw_headers", "to_interactions"]
