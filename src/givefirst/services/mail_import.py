"""Importing mail so that any number of runs, in any order, store what one run of all of it would.

A correspondent joins the network when the user both wrote to them and heard from them (the two-way rule); once
someone is in the network (imported before, or added by hand), every message with them counts. The evidence of
direction must outlive a run: the Inbox imported today and the Sent folder next week hold the two halves of
each exchange. So a message with a correspondent who does not count yet is kept aside (`mail_pending`, its
headers' digest only), and every mail import judges its own messages together with those kept aside: when the
Sent folder arrives, the Inbox's messages with the people the user answered become their interactions, exactly
as if both had been imported at once. One message is one interaction whatever file, format or folder it comes
from (`ingest/mail_identity.message_key`).

The import also notices addresses that are probably the user's own (`OwnAddressHints`), and, for a source the
user turned bodies on for, keeps the text of each personal message (`BodyKeeper`, by message key, so that a
message kept aside keeps its body until it becomes an interaction).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any

from givefirst.ingest.email_headers import MessageHeaders
from givefirst.ingest.mail_body import body_text
from givefirst.ingest.mail_identity import DIGEST_PREFIX, legacy_key
from givefirst.ingest.mail_messages import (
    DATED_BY_ENVELOPE,
    MailMessage,
    best_names,
    counted_addresses,
    mail_messages,
    my_addresses,
    to_record,
)
from givefirst.ingest.names import comparable_name
from givefirst.ingest.records import ParseIssue, Participant, Record
from givefirst.services.importer_writer import Writer
from givefirst.store import mail as mail_store

_PENDING_BATCH = 2000
KEPT_ASIDE = "one-way so far (kept aside: imported once you have both written to and heard from them)"
# A folder counts as a "Sent" folder by its name; its most frequent sender is then probably the user.
_SENT_NAMES = ("sent", "outbox", "gesendet", "envoy", "enviad", "inviat", "verzonden", "skickat")
MIN_SENT_SHARE = 0.5
MIN_SENT_MESSAGES = 3


@dataclass
class OwnAddressHints:
    """Senders seen by one import, to propose the user's own addresses they did not give."""

    my_name: str | None = None  # the user's name, when they gave one
    senders: Counter[tuple[str, str]] = field(default_factory=Counter)  # (folder, address) -> messages
    named: dict[str, str] = field(default_factory=dict)  # address -> the user's name as a message spelt it
    _checked: dict[str, bool] = field(default_factory=dict)  # display name -> is it the user's

    def __post_init__(self) -> None:
        # a name of one word ("Jo") is too common to tell anything
        self._wanted = comparable_name(self.my_name) if self.my_name and len(self.my_name.split()) >= 2 else None

    def __call__(self, message: MessageHeaders) -> None:
        sender = message.sender
        if sender is None or sender.email is None:
            return
        self.senders[(_folder(message.origin), sender.email)] += 1
        if self._wanted:  # the user's name on any address of the message
            for person in (sender, *message.to, *message.cc):
                name = person.name
                if name and person.email is not None and person.email not in self.named:
                    mine = self._checked.get(name)
                    if mine is None:
                        mine = self._checked[name] = comparable_name(name) == self._wanted
                    if mine:
                        self.named[person.email] = name

    def proposals(self, mine: Iterable[str]) -> list[dict[str, Any]]:
        """Return the addresses that are probably the user's, each with the reason, most likely first."""
        own = set(mine)
        found: dict[str, dict[str, Any]] = {}
        per_folder: dict[str, Counter[str]] = {}
        for (folder, address), count in self.senders.items():
            per_folder.setdefault(folder, Counter())[address] = count
        for folder, counts in per_folder.items():
            total = sum(counts.values())
            name = PurePath(folder).name.lower()
            if total < MIN_SENT_MESSAGES or not any(word in name for word in _SENT_NAMES):
                continue
            address, count = counts.most_common(1)[0]
            share = count / total
            if address not in own and share >= MIN_SENT_SHARE:
                reason = f"sender of {share:.0%} of {PurePath(folder).name}"
                found[address] = {"address": address, "reason": reason, "share": round(share, 3)}
        for address, name in self.named.items():
            if address not in own and address not in found:
                found[address] = {"address": address, "reason": f"under your name ({name})", "share": None}
        return sorted(found.values(), key=lambda p: -(p["share"] or 0))


def _folder(origin: str) -> str:
    """Return the folder a message was read from: the mbox file, the maildir (its cur/ and new/ are one), or the
    IMAP folder."""
    if ";UID=" in origin:  # "imap://me@example.com@imap.example.com/Sent Messages;UID=7" (services/sync_imap.py)
        return origin.rpartition(";UID=")[0]
    if "#" in origin:  # "Sent.mbox#12 (line 345)"
        return origin.rpartition("#")[0]
    parent = os.path.dirname(origin)  # a maildir message's file: string work, run for every message
    return os.path.dirname(parent) if os.path.basename(parent) in ("cur", "new", "tmp") else parent


def mail_records(
    writer: Writer,
    messages: Iterable[Any],
    *,
    me: frozenset[str],
    source: str,
    max_recipients: int,
    two_way_only: bool,
    provider_rules: bool,
    hints: OwnAddressHints | None = None,
    bodies: str | None = None,
) -> Iterator[Record]:
    """Yield the records of a mail import: the messages skipped, then the interactions, oldest first.

    `messages` are RawHeaders (or MessageHeaders) and ParseIssues for the unreadable ones. The messages kept aside
    by earlier imports are judged with these; what still waits is kept aside in the writer's transaction, so a
    failed or dry run keeps nothing of it. With `bodies` (the name the bodies are kept under: "mbox", or
    "imap:NAME"), the text of each personal message read with its body is kept (`BodyKeeper`).
    """
    mine = my_addresses(me, provider_rules)
    keeper = BodyKeeper(writer, bodies) if bodies else None
    unreadable: list[ParseIssue] = []

    def headers() -> Iterator[Any]:
        for item in messages:
            if isinstance(item, ParseIssue):
                unreadable.append(item)
            else:
                yield item

    kept: dict[str, MailMessage] = {}
    undated: set[str] = set()  # messages without a Date header, dated by their mbox From_ line
    for item in mail_messages(headers(), mine=mine, max_recipients=max_recipients, provider_rules=provider_rules,
                              on_read=hints, on_body=keeper, dated_by_envelope=undated):  # fmt: skip
        if isinstance(item, ParseIssue):
            yield item
        else:
            kept[item.key] = item
    if keeper is not None:
        keeper.flush()
    yield from unreadable
    everything = list(kept.values())
    was_waiting: set[str] = set()
    sources: dict[str, str] = {}  # the source of each message kept aside by an earlier import
    for pending in mail_store.pending_messages(writer.conn):
        was_waiting.add(pending.key)
        if pending.key not in kept:
            sources[pending.key] = pending.source
            everything.append(_message(pending, provider_rules))
    counted = counted_addresses(everything, mine, known=writer.knows, require_two_way=two_way_only)
    names = best_names(everything, counted)
    everything.sort(key=_when)  # oldest first, whatever order the files came in
    stored = writer.message_ids()
    keep_aside: list[mail_store.PendingMessage] = []
    done: list[str] = []
    for message in everything:  # records made one at a time: a list of them all would double the memory
        still_waiting = counted is not None and any(
            person.email not in mine and person.email not in counted for person in message.people
        )
        if still_waiting and message.key not in was_waiting:
            keep_aside.append(_pending(message, source))
            if len(keep_aside) >= _PENDING_BATCH:
                mail_store.save_pending(writer.conn, keep_aside, writer.app.now)
                keep_aside.clear()
        elif not still_waiting and message.key in was_waiting:
            done.append(message.key)
        record = to_record(message, mine, counted, sources.get(message.key, source), names)
        if record is None:
            if message.key in kept:
                yield ParseIssue(message.origin, KEPT_ASIDE)
            continue
        if record.external_id.startswith(DIGEST_PREFIX) and record.external_id not in stored:
            old = legacy_key(message.occurred_at, message.sender, message.subject)
            if old in stored:  # imported by an earlier version under its old digest
                writer.rename_message(old, record.external_id)
        # a message kept aside by an earlier import is judged again, but was not read now: unless it gains
        # someone, it is no "interaction already there" of this import's files
        writer.quiet = message.key not in kept
        yield record
        writer.quiet = False
        if message.key in undated:  # right after its record: a warning about it (importer.write_records)
            yield ParseIssue(message.origin, DATED_BY_ENVELOPE)
    mail_store.forget_pending(writer.conn, done)
    mail_store.save_pending(writer.conn, keep_aside, writer.app.now)


class BodyKeeper:
    """Keeps the text of message bodies (ingest/mail_body.py) in the writer's transaction, in batches; a message
    whose body is kept already is not read again, so a re-import adds only what is new."""

    def __init__(self, writer: Writer, source: str) -> None:
        self.writer, self.source = writer, source
        self.known = mail_store.body_keys(writer.conn)
        self.batch: list[dict[str, Any]] = []

    def __call__(self, key: str, raw: bytes) -> None:
        if key in self.known:
            return
        self.known.add(key)
        text = body_text(raw)
        if text:
            self.batch.append({"message_key": key, "source": self.source, "body": text, "kept_at": self.writer.app.now})
            if len(self.batch) >= _PENDING_BATCH:
                self.flush()

    def flush(self) -> None:
        mail_store.save_bodies(self.writer.conn, self.batch)
        self.batch.clear()


def _when(message: MailMessage) -> tuple[datetime, str]:
    return message.occurred_at, message.key


def _message(pending: mail_store.PendingMessage, provider_rules: bool) -> MailMessage:
    """Return a message kept aside as the import reads messages (addresses folded when the rules are on)."""
    from givefirst.ingest.identity import fold_email

    fold = fold_email if provider_rules else str
    people = tuple(Participant(name=name, email=fold(address)) for address, name in pending.people)
    return MailMessage(pending.origin, pending.key, pending.occurred_at, fold(pending.sender), people, pending.subject)


def _pending(message: MailMessage, source: str) -> mail_store.PendingMessage:
    people = tuple((p.email, p.name) for p in message.people if p.email is not None)
    return mail_store.PendingMessage(message.key, source, message.origin, message.occurred_at, message.sender,
                                     people, message.subject)  # fmt: skip


__all__ = ["KEPT_ASIDE", "BodyKeeper", "OwnAddressHints", "mail_records"]
