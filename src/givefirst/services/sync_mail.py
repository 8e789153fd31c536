"""The two-way rule for mail sources that are read a little at a time (IMAP), judged over all they have read.

An import judges the rule over the whole archive at once (`to_interactions`). A live source cannot: the
reply that makes a correspondent two-way may arrive weeks after their first message. So the sync asks
`to_interactions` for every candidate (`require_two_way=False`, every other rule as in an import) and this
gate applies the rule with memory: who the user wrote to and heard from is saved per source, and a message
whose correspondents are all one-way so far is held (saved, not imported) and released as an interaction by
the sync that sees the other side answer. The outcome is what importing the whole mailbox at once would give.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace

from sqlalchemy import Connection

from givefirst.domain.model import Direction, InteractionKind
from givefirst.ingest.records import InteractionRecord, ParseIssue, Participant, Record
from givefirst.store import live_sources as store

HELD = "one-way so far (held: it is imported once they and you have both written)"


def two_way_gate(conn: Connection, source_id: int, source: str, records: Iterable[Record]) -> Iterator[Record]:
    """Yield the records of one unit that pass the two-way rule, and the held ones released by this unit."""
    known = store.correspondents(conn, source_id)
    flags = dict(known)
    pending: list[InteractionRecord] = []
    for record in records:
        if not isinstance(record, InteractionRecord):
            yield record
            continue
        emails = [p.email for p in record.participants if p.email]
        if record.direction == Direction.OUTBOUND.value:
            for email in emails:
                flags[email] = (True, flags.get(email, (False, False))[1])
        elif emails:  # inbound: the sender comes first among the correspondents
            flags[emails[0]] = (flags.get(emails[0], (False, False))[0], True)
        pending.append(record)
    both = {address for address, (wrote, heard) in flags.items() if wrote and heard}
    store.save_correspondents(conn, source_id, {a: f for a, f in flags.items() if known.get(a) != f}, known)
    already = store.held_ids(conn, source_id) if pending else set()
    holding = []
    for record in pending:
        kept = tuple(p for p in record.participants if p.email in both)
        if kept:
            yield replace(record, participants=kept)
            continue
        if record.external_id not in already:
            already.add(record.external_id)
            holding.append({
                "external_id": record.external_id, "origin": record.origin[:400], "occurred_at": record.occurred_at,
                "outbound": record.direction == Direction.OUTBOUND.value, "subject": record.summary,
                "people": json.dumps([[p.name, p.email] for p in record.participants], ensure_ascii=False),
            })  # fmt: skip
        yield ParseIssue(record.origin, HELD)
    store.hold(conn, source_id, holding)
    newly = both - {address for address, (wrote, heard) in known.items() if wrote and heard}
    if newly:
        yield from _release(conn, source_id, source, both)


def _release(conn: Connection, source_id: int, source: str, both: set[str]) -> Iterator[Record]:
    """Yield the held messages with a correspondent now two-way, and forget them as held."""
    released: list[int] = []
    for row in store.held(conn, source_id):
        people = tuple(Participant(name=name, email=email) for name, email in json.loads(row.people))
        kept = tuple(p for p in people if p.email in both)
        if not kept:
            continue
        released.append(int(row.id))
        yield InteractionRecord(
            source=source, external_id=row.external_id, origin=row.origin, occurred_at=row.occurred_at,
            kind=InteractionKind.EMAIL.value,
            direction=(Direction.OUTBOUND if row.outbound else Direction.INBOUND).value,
            participants=kept, summary=row.subject,
        )  # fmt: skip
    store.release(conn, released)
