"""Which messages of a mailbox are personal exchanges with the user, and with whom each one counts.

`mail_messages` reads header blocks (raw or decoded) and keeps those that may be a personal exchange with the
user, each as a compact `MailMessage`: it drops mailing lists, bulk and automated mail (known from the raw fields,
before anything is decoded), messages from machines, with too many recipients or without the user, and second
copies of a message (one key per message, `mail_identity.message_key`, whatever file or folder it sits in).

Whom a message counts with depends on the whole correspondence: `counted_addresses` returns the correspondents
the user both wrote to and heard from (the two-way rule, which keeps one-way mail out of the network: cold
pitches, people who never answered) and those the caller already knows; `to_record` makes one message's
interaction with them. `to_interactions` does it all for mail read in one go; the import service does the same
across runs, keeping aside the messages whose correspondents do not count yet (`services/mail_import.py`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from datetime import datetime
from typing import NamedTuple

from givefirst.domain.model import Direction, InteractionKind
from givefirst.ingest.email_headers import MessageHeaders, RawHeaders, is_noreply, parse_headers
from givefirst.ingest.identity import fold_email
from givefirst.ingest.mail_identity import message_key
from givefirst.ingest.records import InteractionRecord, ParseIssue, Participant, Record

ONE_WAY = "one-way correspondent (never both wrote and received)"
DATED_BY_ENVELOPE = 'no Date header: dated by its mbox "From " line'
_FLAGS = {b"list-id": "list-id", b"precedence": "precedence", b"auto-submitted": "auto-submitted"}
_BULK = frozenset({"bulk", "list", "junk"})
_OUTBOUND, _INBOUND, _EMAIL = Direction.OUTBOUND.value, Direction.INBOUND.value, InteractionKind.EMAIL.value
_SAME_DIGEST = "duplicate message (no Message-ID; the same date, sender, recipients and subject)"


class MailMessage(NamedTuple):
    """A message kept for its verdict: a few hundred bytes, so 200,000 of them fit in about 100 MB."""

    origin: str  # "inbox.mbox#12 (line 3456)", or a maildir file's path
    key: str  # mail_identity.message_key: the same in every copy of the message
    occurred_at: datetime  # naive UTC
    sender: str  # the From address
    people: tuple[Participant, ...]  # everyone on it with an address, the user too: sender first, each once
    subject: str

    def outbound(self, mine: Container[str]) -> bool:
        """Return True when the user wrote it."""
        return self.sender in mine


def my_addresses(me: Iterable[str], provider_rules: bool = False) -> frozenset[str]:
    """Return the user's addresses as messages spell them: lower case, provider aliases folded if asked."""
    mine = frozenset(address.strip().lower() for address in me)
    return frozenset(fold_email(address) for address in mine) if provider_rules else mine


def mail_messages(
    messages: Iterable[MessageHeaders | RawHeaders],
    *,
    mine: frozenset[str],
    max_recipients: int = 15,
    provider_rules: bool = False,
    seen: set[str] | None = None,
    on_read: Callable[[MessageHeaders], None] | None = None,
    on_body: Callable[[str, bytes], None] | None = None,
    dated_by_envelope: set[str] | None = None,
) -> Iterator[MailMessage | ParseIssue]:
    """Yield each message that may be a personal exchange with the user, and a ParseIssue for each other one.

    `mine` is `my_addresses(...)`. `seen` holds the keys of messages already kept (a message met twice is kept
    once); `on_read` is shown every message read, before any rule drops it (the import uses it to notice the
    user's own addresses it was not told about). `on_body` is given (key, raw message) of each message kept that
    was read with its body (a source with `--bodies`): only personal exchanges' bodies are ever looked at.

    A message without a Date header read from an mbox is dated by its From_ line (`parse_headers`); the keys of
    those kept, when read from raw headers, are added to `dated_by_envelope`, for the caller to say so
    (DATED_BY_ENVELOPE).
    """
    seen = set() if seen is None else seen
    for given in messages:
        raw = None
        if isinstance(given, RawHeaders):
            early = _automated(*_raw_flags(given))
            parsed = ParseIssue(given.origin, early) if early else parse_headers(given)
            if isinstance(parsed, ParseIssue):
                yield parsed
                continue
            raw, given = given, parsed
        if on_read is not None:
            on_read(given)
        message = _fold_addresses(given) if provider_rules else given
        reason = _skip_reason(message, mine, max_recipients)
        people: tuple[Participant, ...] = ()
        key = ""
        if reason is None:
            people = _everyone(message)
            if all(person.email in mine for person in people):
                reason = "no correspondent other than you"
        if reason is None:
            # from the message as written, not folded: the key must not depend on a setting
            recipients = [p.email for p in (*given.to, *given.cc) if p.email]
            sender = given.sender.email if given.sender else None
            key = message_key(given.message_id, given.date, sender, recipients, given.subject)
            if key in seen:
                reason = f"duplicate message (Message-ID {key})" if given.message_id else _SAME_DIGEST
        if reason is not None or message.date is None or message.sender is None or message.sender.email is None:
            yield ParseIssue(message.origin, reason or "no Date")
            continue
        seen.add(key)
        if dated_by_envelope is not None and raw is not None and raw.envelope is not None and _undated(raw):
            dated_by_envelope.add(key)
        if on_body is not None and given.body is not None:
            on_body(key, given.body)
        yield MailMessage(message.origin, key, message.date, message.sender.email, people, message.subject)


def counted_addresses(
    messages: Iterable[MailMessage],
    mine: frozenset[str],
    *,
    known: Callable[[str], bool] | None = None,
    require_two_way: bool = True,
) -> Container[str] | None:
    """Return the correspondents whose messages count, or None when everyone's do (`require_two_way` off).

    They are those the user wrote to and who wrote to the user (anywhere in `messages`), and those `known`
    says are already in the network, whatever the direction: the two-way rule decides who joins the network,
    not which messages of someone already in it count.
    """
    if not require_two_way:
        return None
    wrote: set[str] = set()
    heard: set[str] = set()
    everyone: set[str] = set()
    for message in messages:
        if message.sender in mine:
            wrote.update(p.email for p in message.people if p.email not in mine)  # type: ignore[misc]
        else:
            heard.add(message.sender)
        if known is not None:
            everyone.update(p.email for p in message.people if p.email not in mine)  # type: ignore[misc]
    counted = wrote & heard
    if known is not None:
        counted.update(address for address in everyone - counted if known(address))
    return counted


def best_names(messages: Iterable[MailMessage], only: Container[str] | None = None) -> dict[str, str]:
    """Return each address's display name: the one on its earliest message that names it (then by key).

    Chosen by date rather than by the order of reading, so that the same mail read in any order, in one run or
    several, names everyone alike. `only` limits it to those addresses (the correspondents who count).
    """
    best: dict[str, tuple[datetime, str, str]] = {}
    for message in messages:
        stamp = (message.occurred_at, message.key)
        for person in message.people:
            if person.name and person.email is not None and (only is None or person.email in only):
                held = best.get(person.email)
                if held is None or stamp < held[:2]:
                    best[person.email] = (message.occurred_at, message.key, person.name)
    return {address: name for address, (_, _, name) in best.items()}


def to_record(
    message: MailMessage,
    mine: frozenset[str],
    counted: Container[str] | None,
    source: str,
    names: Mapping[str, str] | None = None,
) -> InteractionRecord | None:
    """Return the message's interaction with the correspondents who count, or None when none of them does."""
    people = [p for p in message.people if p.email not in mine and (counted is None or p.email in counted)]
    if not people:
        return None
    if names:
        people = [p if names.get(p.email, p.name) == p.name else  # type: ignore[arg-type]
                  Participant(name=names[p.email], email=p.email) for p in people]  # type: ignore[index]  # fmt: skip
    return InteractionRecord(
        source=source,
        external_id=message.key,
        origin=message.origin,
        occurred_at=message.occurred_at,
        kind=_EMAIL,
        direction=_OUTBOUND if message.sender in mine else _INBOUND,
        participants=tuple(people),
        summary=message.subject,
    )


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

    Mail read in one go, judged on its own. Two passes: the first yields the skipped messages' issues at once and
    keeps the others (the two-way rule needs the whole input before it can judge one message); the second yields
    the records, in the order read. With `provider_rules`, addresses are compared with their provider's aliases
    folded (`fold_email`).
    """
    mine = my_addresses(me, provider_rules)
    kept: list[MailMessage] = []
    for item in mail_messages(messages, mine=mine, max_recipients=max_recipients, provider_rules=provider_rules):
        if isinstance(item, ParseIssue):
            yield item
        else:
            kept.append(item)
    counted = counted_addresses(kept, mine, require_two_way=require_two_way)
    names = best_names(kept, counted)
    for message in kept:
        record = to_record(message, mine, counted, source, names)
        yield record if record is not None else ParseIssue(message.origin, ONE_WAY)


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


def _everyone(message: MessageHeaders) -> tuple[Participant, ...]:
    """Return everyone on the message with an address, each once, sender first (the user included)."""
    sender = message.sender
    if not message.cc and sender is not None and len(message.to) == 1 and message.to[0].email != sender.email:
        return (sender, message.to[0])  # the usual case: one to one
    found: dict[str, Participant] = {}
    for person in (message.sender, *message.to, *message.cc):
        if person is not None and person.email and person.email not in found:
            found[person.email] = person
    return tuple(found.values())


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


def _undated(raw: RawHeaders) -> bool:
    """Return True when a message's header block has no Date (or only blank ones)."""
    return not any(key.lower() == b"date" and value.strip() for key, value in raw.fields)


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


__all__ = [
    "DATED_BY_ENVELOPE", "ONE_WAY", "MailMessage", "best_names", "counted_addresses", "mail_messages", "my_addresses",
    "to_interactions", "to_record",
]  # fmt: skip
