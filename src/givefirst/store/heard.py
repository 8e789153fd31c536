"""Queries for heard candidates (needs and offers heard in messages and notes) and for what has been read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, exists, func, insert, or_, select, true, update

from givefirst.store.schema import (
    heard_candidates,
    heard_reads,
    heard_scanned,
    heard_sources,
    interaction_people,
    interactions,
    mail_bodies,
    people,
)

OPEN = "proposed"
SCANNED = "interactions"  # heard_scanned's one row


def unread_interactions(
    conn: Connection,
    kinds: Sequence[str],
    sources_off: Sequence[str],
    mail: bool = False,
    *,
    after_id: int = 0,
    limit: int | None = None,
) -> list[Any]:
    """Return the interactions not read yet (id, occurred_at, kind, direction, summary, details, body, source),
    oldest first, leaving out the sources turned off: those of these kinds, and emails whose body was kept (all
    emails, by their subject, with `mail`). `after_id`, `limit`: the next page of them, by id."""
    # Looked up row by row in heard_reads' primary key: a NOT IN over the whole table was built again for every
    # page of a long first scan (110 s instead of 80 s at 1.4 million texts).
    read = exists().where(heard_reads.c.origin == "interaction", heard_reads.c.origin_id == interactions.c.id)
    email = interactions.c.kind == "email"
    readable = or_(interactions.c.kind.in_(kinds), email if mail else and_(email, mail_bodies.c.body.is_not(None)))
    query = (
        select(
            interactions.c.id,
            interactions.c.occurred_at,
            interactions.c.kind,
            interactions.c.direction,
            interactions.c.summary,
            interactions.c.details,
            mail_bodies.c.body,
            interactions.c.source,
        )
        .select_from(interactions.outerjoin(mail_bodies, mail_bodies.c.message_key == interactions.c.message_key))
        .where(
            readable,
            ~read,
            or_(interactions.c.summary != "", interactions.c.details.is_not(None), mail_bodies.c.body.is_not(None)),
        )
        .order_by(interactions.c.id)
    )
    if sources_off:
        query = query.where(interactions.c.source.not_in(sources_off))
    if after_id:
        query = query.where(interactions.c.id > after_id)
    if limit is not None:
        query = query.limit(limit)
    return list(conn.execute(query))


def scanned(conn: Connection) -> tuple[int, str] | None:
    """On SQLite, take the database's write lock for the rest of the transaction and return how far the
    interactions were checked: (upto, conditions), (0, "") the first time. None on other databases, which keep no
    mark (migration 0016 says why).

    Call it first in the transaction: an insert that does nothing when the row is there is the transaction's first
    write, and SQLite takes the write lock for it (waiting for another writer), so the reads that follow see
    everything committed before and nobody can make a row readable (and lower the mark) until the new mark is
    stored. Nothing is written when the row exists: the file, and the web app's stamp of it, stay as they were."""
    if conn.dialect.name != "sqlite":
        return None
    claim = insert(heard_scanned).prefix_with("OR IGNORE").values(name=SCANNED, upto=0, conditions="")
    conn.execute(claim)
    row = conn.execute(
        select(heard_scanned.c.upto, heard_scanned.c.conditions).where(heard_scanned.c.name == SCANNED)
    ).one()
    return int(row.upto), str(row.conditions)


def set_scanned(conn: Connection, upto: int, conditions: str) -> None:
    """Record that every interaction up to `upto` was checked under `conditions` (after `scanned`)."""
    conn.execute(update(heard_scanned).where(heard_scanned.c.name == SCANNED).values(upto=upto, conditions=conditions))


def last_interaction_id(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(interactions.c.id), 0))).scalar_one())


def interaction_sources(conn: Connection, kinds: Sequence[str]) -> dict[str, int]:
    """Return {source: interactions} of the interactions `heard` may read (these kinds, and emails)."""
    query = (
        select(interactions.c.source, func.count())
        .where(or_(interactions.c.kind.in_(kinds), interactions.c.kind == "email"))
        .group_by(interactions.c.source)
    )
    return {str(source): int(n) for source, n in conn.execute(query)}


def source_settings(conn: Connection) -> dict[str, bool]:
    """Return the remembered {source: on} (a source with no setting is on)."""
    return {str(s): bool(e) for s, e in conn.execute(select(heard_sources.c.source, heard_sources.c.enabled))}


def set_source(conn: Connection, source: str, enabled: bool, now: datetime) -> None:
    conn.execute(delete(heard_sources).where(heard_sources.c.source == source))
    conn.execute(insert(heard_sources).values(source=source, enabled=enabled, changed_at=now))


def participants(conn: Connection, interaction_ids: Sequence[int]) -> dict[int, list[int]]:
    """Return each interaction's people (the user is never among them)."""
    out: dict[int, list[int]] = {}
    for start in range(0, len(interaction_ids), 500):
        chunk = interaction_ids[start : start + 500]
        query = select(interaction_people.c.interaction_id, interaction_people.c.person_id).where(
            interaction_people.c.interaction_id.in_(chunk)
        )
        for iid, pid in conn.execute(query):
            out.setdefault(int(iid), []).append(int(pid))
    return out


def people_notes(conn: Connection) -> list[Any]:
    """Return (id, notes, updated_at) of the people with notes, merged-away people left out."""
    query = select(people.c.id, people.c.notes, people.c.updated_at, people.c.is_me).where(
        people.c.notes.is_not(None), people.c.notes != "", people.c.merged_into_id.is_(None)
    )
    return list(conn.execute(query))


def read_fingerprints(conn: Connection, origin: str) -> dict[int, str]:
    query = select(heard_reads.c.origin_id, heard_reads.c.fingerprint).where(heard_reads.c.origin == origin)
    return {int(i): str(f) for i, f in conn.execute(query)}


def mark_read(conn: Connection, origin: str, rows: Sequence[dict[str, Any]]) -> None:
    """Record what was read: rows of origin_id, fingerprint, body_digest, person_id, read_at (replacing).

    One upsert on the primary key, not a delete of the old marks and an insert: on PostgreSQL the deletes of a
    first scan's pages (all in one transaction) were planned as scans of the growing table, each page slower
    than the last (60 pages of 5,000: the 50th took 10 s)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    values = list({r["origin_id"]: {"origin": origin, **r} for r in rows}.values())  # (a key once per statement)
    statement = upsert(heard_reads)
    replaced = {name: statement.excluded[name] for name in ("fingerprint", "body_digest", "person_id", "read_at")}
    statement = statement.on_conflict_do_update(index_elements=[heard_reads.c.origin, heard_reads.c.origin_id],
                                                set_=replaced)  # fmt: skip
    conn.execute(statement, values)


def mass_bodies(conn: Connection, min_people: int, among: Iterable[str] | None = None) -> set[str]:
    """Return the message bodies that went to (or came from) at least `min_people` different people; with
    `among`, only which of these bodies (looked up by the body digest's index)."""
    query = (
        select(heard_reads.c.body_digest)
        .where(heard_reads.c.body_digest.is_not(None))
        .group_by(heard_reads.c.body_digest)
        .having(func.count(func.distinct(heard_reads.c.person_id)) >= min_people)
    )
    if among is None:
        return {str(d) for d in conn.execute(query).scalars()}
    wanted = sorted(set(among))
    chunked = query.where(heard_reads.c.body_digest.in_(bindparam("digests", expanding=True)))
    return {
        str(d)
        for start in range(0, len(wanted), 500)
        for d in conn.execute(chunked, {"digests": wanted[start : start + 500]}).scalars()
    }


def known_digests(conn: Connection, digests: Iterable[str]) -> set[str]:
    """Return which of these statement digests are already candidates (in any status)."""
    wanted = list(set(digests))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        query = select(heard_candidates.c.digest).where(heard_candidates.c.digest.in_(wanted[start : start + 500]))
        found.update(str(d) for d in conn.execute(query).scalars())
    return found


def insert_candidates(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(heard_candidates), list(rows))


def mark_broadcast(conn: Connection, bodies: Iterable[str], now: datetime) -> int:
    """Withdraw the open candidates that came from a mass message; return how many."""
    wanted = list(bodies)
    changed = 0
    for start in range(0, len(wanted), 500):
        result = conn.execute(
            update(heard_candidates)
            .where(heard_candidates.c.status == OPEN, heard_candidates.c.body_digest.in_(wanted[start : start + 500]))
            .values(status="broadcast", decided_at=now)
        )
        changed += result.rowcount or 0
    return changed


def _listing() -> Any:
    return select(heard_candidates, people.c.name.label("person"), people.c.is_me.label("is_me")).join(
        people, people.c.id == heard_candidates.c.person_id
    )


def candidates(
    conn: Connection, statuses: Sequence[str], limit: int | None = None, sources_off: Sequence[str] = ()
) -> list[Any]:
    """Return candidates in these statuses, the surest first, then the most recent; the open ones (proposed) of
    the sources turned off are left out (they come back when the source is turned on)."""
    query = (
        _listing()
        .where(heard_candidates.c.status.in_(statuses), _not_off(sources_off))
        .order_by(heard_candidates.c.confidence.desc(), heard_candidates.c.said_at.desc(), heard_candidates.c.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(conn.execute(query))


def _not_off(sources_off: Sequence[str]) -> Any:
    if not sources_off:
        return true()
    return or_(heard_candidates.c.status != OPEN, heard_candidates.c.source.not_in(list(sources_off)))


def count_open(conn: Connection, sources_off: Sequence[str] = ()) -> int:
    query = (
        select(func.count())
        .select_from(heard_candidates)
        .where(heard_candidates.c.status == OPEN, _not_off(sources_off))
    )
    return int(conn.execute(query).scalar() or 0)


def candidate(conn: Connection, candidate_id: int) -> Any:
    return conn.execute(_listing().where(heard_candidates.c.id == candidate_id)).first()


def decide(conn: Connection, candidate_id: int, status: str, now: datetime, item_id: int | None = None) -> None:
    conn.execute(
        update(heard_candidates)
        .where(heard_candidates.c.id == candidate_id)
        .values(status=status, decided_at=now, item_id=item_id)
    )


def provenance_rows(conn: Connection, kind: str, item_ids: Sequence[int]) -> dict[int, Any]:
    """Return the accepted candidate behind each of these needs (or offers), by item id."""
    if not item_ids:
        return {}
    query = select(heard_candidates).where(
        and_(heard_candidates.c.kind == kind, heard_candidates.c.status == "accepted"),
        heard_candidates.c.item_id.in_(list(item_ids)),
    )
    return {int(r.item_id): r for r in conn.execute(query)}
