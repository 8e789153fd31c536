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
    newly = both - {address for address, (wrote, heard) in known.items() if wrote and heard}
    released = _release(conn, source_id, source, both) if newly else []
    # A name learnt from one message names the correspondent on all of them (a reply's To often has none), as
    # `to_interactions` does within one call; released mail goes first, it is older and often carries the name.
    names = {p.email: p.name for r in (*released, *pending) for p in r.participants if p.name and p.email}
    yield from (_named(r, names, both) for r in released)
    already = store.held_ids(conn, source_id) if pending else set()
    holding = []
    for record in pending:
        if any(p.email in both for p in record.participants):
            yield _named(record, names, both)
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


def _named(record: InteractionRecord, names: dict[str, str], both: set[str]) -> InteractionRecord:
    """Return the record with only its two-way correspondents, each with the name known for them."""
    kept = tuple(
        Participant(name=names.get(p.email, p.name), email=p.email) if p.name is None and p.email else p
        for p in record.participants
        if p.email in both
    )
    return replace(record, participants=kept)


def _release(conn: Connection, source_id: int, source: str, both: set[str]) -> list[InteractionRecord]:
    """Return the held messages with a correspondent now two-way, and forget them as held."""
    found: list[InteractionRecord] = []
    released: list[int] = []
    for row in store.held(conn, source_id):
        people = tuple(Participant(name=name, email=email) for name, email in json.loads(row.people))
        if not any(p.email in both for p in people):
            continue
        released.append(int(row.id))
        found.append(InteractionRecord(
            source=source, external_id=row.external_id, origin=row.origin, occurred_at=row.occurred_at,
            kind=InteractionKind.EMAIL.value,
            direction=(Direction.OUTBOUND if row.outbound else Direction.INBOUND).value,
            participants=people, summary=row.subject,
        ))  # fmt: skip
    store.release(conn, released)
    return found
