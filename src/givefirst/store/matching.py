"""Queries on the matching caches: sentence vectors, scored suggestions and what each item was scored as."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal_column,
    not_,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.sql.elements import ColumnElement

from givefirst.domain.model import NeedOrOffer
from givefirst.store.schema import (
    data_versions,
    introductions,
    match_marks,
    match_suggestions,
    needs,
    offers,
    text_vectors,
)
from givefirst.store.stamp import lock_data_version

CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's limits


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


# --- vectors --------------------------------------------------------------------------------------------------------


def vectors(conn: Connection, model: str, hashes: set[str]) -> dict[str, bytes]:
    """Return the cached vectors (raw float32 bytes) of these text hashes."""
    out: dict[str, bytes] = {}
    for chunk in _chunks(sorted(hashes)):
        query = select(text_vectors.c.text_hash, text_vectors.c.vector).where(
            text_vectors.c.model == model, text_vectors.c.text_hash.in_(chunk)
        )
        out.update({str(h): bytes(v) for h, v in conn.execute(query)})
    return out


def large_vector(conn: Connection, model: str, text_hash: str) -> bytes | None:
    """Return one cached blob (a whole matrix, tens of MB), or None.

    On SQLite it is read through the incremental blob interface, which copies the stored pages into the bytes
    once: as a column value SQLite first gathers the whole blob in memory of its own and Python copies that again
    (the 25 MB offers' matrix at 100,000 people: 30 ms against 45 ms, on every need added)."""
    if conn.dialect.name != "sqlite":
        return vectors(conn, model, {text_hash}).get(text_hash)
    where = (text_vectors.c.model == model) & (text_vectors.c.text_hash == text_hash)
    rowid = conn.execute(select(literal_column("rowid")).select_from(text_vectors).where(where)).scalar()
    if rowid is None:
        return None
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.blobopen("text_vectors", "vector", int(rowid), readonly=True) as blob:
        return bytes(blob.read())


def save_vectors(conn: Connection, model: str, rows: Mapping[str, bytes]) -> None:
    if rows:
        values = [{"model": model, "text_hash": h, "vector": v} for h, v in rows.items()]
        conn.execute(insert(text_vectors), values)


def any_vector(conn: Connection, model: str) -> bytes | None:
    """Return one cached blob of this model (for a cache that keeps only its newest entry), or None."""
    found = conn.execute(select(text_vectors.c.vector).where(text_vectors.c.model == model).limit(1)).scalar()
    return None if found is None else bytes(found)


def delete_vectors(conn: Connection, model: str) -> None:
    conn.execute(delete(text_vectors).where(text_vectors.c.model == model))


def vector_count(conn: Connection, model: str) -> int:
    return int(conn.execute(select(func.count()).where(text_vectors.c.model == model)).scalar_one())


# --- marks: what each item was last scored as -------------------------------------------------------------------


def marks(conn: Connection, kind: str) -> dict[int, str]:
    query = select(match_marks.c.item_id, match_marks.c.fingerprint).where(match_marks.c.kind == kind)
    return {int(i): str(f) for i, f in conn.execute(query).all()}  # all(): one fetch, not a row at a time


def mark_of(conn: Connection, kind: str, item_id: int) -> str | None:
    query = select(match_marks.c.fingerprint).where(match_marks.c.kind == kind, match_marks.c.item_id == item_id)
    found = conn.execute(query).scalar_one_or_none()
    return None if found is None else str(found)


def set_marks(conn: Connection, kind: str, fingerprints: Mapping[int, str], at: datetime) -> None:
    """Record what each item was scored as (`fingerprints`: item id → fingerprint), all at `at`.

    A full pass marks every need and offer (50,000 at 100,000 people: 0.57 s as dicts, 0.20 s as `_insert_rows`
    sends them).
    """
    ids = list(fingerprints)
    delete_marks(conn, kind, ids)
    _insert_rows(conn, match_marks, ("item_id", "fingerprint"), list(fingerprints.items()), kind=kind, scored_at=at)


def _insert_rows(
    conn: Connection, table: Any, names: Sequence[str], rows: Sequence[Sequence[Any]], **same: Any
) -> None:
    """Insert `rows` (values in the order of the columns `names`), each with the values `same` as well.

    On SQLite they go to the driver as plain tuples, each value converted by SQLAlchemy's own bind processor (the
    `same` ones once), in batches: a full pass stores 129,000 pairs and 50,000 marks at 100,000 people, which as a
    dict a row processed by SQLAlchemy cost seconds. Elsewhere they go through SQLAlchemy as dicts, in batches.
    """
    batch = 5000
    if conn.dialect.name != "sqlite":
        for start in range(0, len(rows), batch):
            conn.execute(
                insert(table), [{**dict(zip(names, r, strict=True)), **same} for r in rows[start : start + batch]]
            )
        return
    columns = [table.c[n] for n in (*names, *same)]
    processors = [c.type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for c in columns]
    fixed = tuple(v if p is None else p(v) for p, v in zip(processors[len(names) :], same.values(), strict=True))
    convert = [(k, p) for k, p in enumerate(processors[: len(names)]) if p is not None]
    sql = f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)}) VALUES ({', '.join('?' * len(columns))})"
    for start in range(0, len(rows), batch):
        params: list[tuple[Any, ...]] = []
        for r in rows[start : start + batch]:
            values = list(r)
            for k, p in convert:
                values[k] = p(values[k])
            params.append((*values, *fixed))
        conn.exec_driver_sql(sql, params)


def delete_marks(conn: Connection, kind: str, ids: Sequence[int]) -> None:
    for chunk in _chunks(list(ids)):
        conn.execute(delete(match_marks).where(match_marks.c.kind == kind, match_marks.c.item_id.in_(chunk)))


def unscored_count(conn: Connection, version: str) -> int:
    """Return how many open items were never scored, or were scored by another engine version (one query each)."""
    total = 0
    for kind, table in (("need", needs), ("offer", offers)):
        marked = exists().where(match_marks.c.kind == kind, match_marks.c.item_id == table.c.id)
        total += int(
            conn.execute(select(func.count()).select_from(table).where(table.c.status == "open", ~marked)).scalar_one()
        )
    stale = select(func.count()).where(~match_marks.c.fingerprint.startswith(f"{version}:"))
    return total + int(conn.execute(stale).scalar_one())


def items_version(conn: Connection) -> str | None:
    """Return the needs' and offers' versions together ("12:40"), or None where either has no counter yet.

    Any write to a need or an offer moves it (triggers, migrations 0012 and 0017). Read without a lock (unlike
    `offers_version`): every page that shows suggestions asks it, and a lock would queue them one behind another.
    A caller that then writes takes the data version's lock by writing, as any writer does.
    """
    query = select(data_versions.c.name, data_versions.c.version).where(data_versions.c.name.in_(("needs", "offers")))
    found = {str(name): int(version) for name, version in conn.execute(query).all()}
    return None if len(found) < 2 else f"{found['needs']}:{found['offers']}"


def offers_version(conn: Connection) -> int | None:
    """Return how many times the offers changed (triggers bump it in every writing transaction), or None.

    On PostgreSQL, writers are held off until the transaction ends, so the offers this transaction reads next are
    the ones of this version (SQLite's reads are a snapshot). What is locked is the 'all' row (migration 0013),
    which every writing transaction locks first, before the rows it changes and before 0012's trigger bumps
    'offers': locking it here too keeps one order for everyone, so a writer never holds 'all' while waiting for
    'offers' held by this reader, which then waits for 'all' to write the match cache (a deadlock). It is locked
    as that write would (FOR NO KEY UPDATE, without changing it), not for share: two readers sharing it could
    then each wait for the other to let go before writing.
    """
    lock_data_version(conn)
    query = select(data_versions.c.version).where(data_versions.c.name == "offers")
    found = conn.execute(query).scalar_one_or_none()
    return None if found is None else int(found)


# --- suggestions ------------------------------------------------------------------------------------------------------


def replace_suggestions(
    conn: Connection, *, need_ids: Sequence[int] = (), offer_ids: Sequence[int] = (), rows: Sequence[Mapping[str, Any]]
) -> None:
    """Delete the suggestions of these needs and offers, then insert `rows` (need_id, offer_id, score, ...)."""
    for chunk in _chunks(list(need_ids)):
        conn.execute(delete(match_suggestions).where(match_suggestions.c.need_id.in_(chunk)))
    for chunk in _chunks(list(offer_ids)):
        conn.execute(delete(match_suggestions).where(match_suggestions.c.offer_id.in_(chunk)))
    seen: set[tuple[int, int]] = set()
    unique = []
    for r in rows:
        key = (int(r["need_id"]), int(r["offer_id"]))
        if key not in seen:
            seen.add(key)
            unique.append(dict(r))
    for start in range(0, len(unique), 5000):
        conn.execute(insert(match_suggestions), unique[start : start + 5000])


def insert_suggestions(conn: Connection, rows: Sequence[tuple[int, int, float, str]], at: datetime) -> None:
    """Insert suggestions given as (need id, offer id, score, signals), all computed `at`; a pair given twice is
    inserted once (its first row), as `replace_suggestions` does.

    A full pass stores 26,000 pairs at 20,000 people (129,000 at 100,000): on SQLite they go to the driver as
    plain tuples, the time converted once, instead of a dict a row processed by SQLAlchemy (the values stored
    are the ones its own converters give).
    """
    seen: set[tuple[int, int]] = set()
    unique = []
    for row in rows:
        if (row[0], row[1]) not in seen:
            seen.add((row[0], row[1]))
            unique.append(row)
    _insert_rows(conn, match_suggestions, ("need_id", "offer_id", "score", "signals"), unique, computed_at=at)


def keep_best(conn: Connection, need_ids: Sequence[int], keep: int) -> int:
    """Delete all but the best `keep` suggestions of each of these needs (score, then offer id); return how many.

    A new offer is scored against every need and its pairs added to the lists already stored: without this a
    need's list would grow past the `keep` a full pass stores, and keep a later offer that a full pass drops.
    """
    dropped: list[tuple[int, int]] = []
    for chunk in _chunks(sorted(set(need_ids))):
        rows = conn.execute(
            select(match_suggestions.c.need_id, match_suggestions.c.offer_id, match_suggestions.c.score)
            .where(match_suggestions.c.need_id.in_(chunk))
            .order_by(match_suggestions.c.need_id, match_suggestions.c.score.desc(), match_suggestions.c.offer_id)
        ).all()
        seen: dict[int, int] = {}
        for need_id, offer_id, _ in rows:
            seen[need_id] = seen.get(need_id, 0) + 1
            if seen[need_id] > keep:
                dropped.append((int(need_id), int(offer_id)))
    for need_id, offer_id in dropped:
        conn.execute(
            delete(match_suggestions).where(
                match_suggestions.c.need_id == need_id, match_suggestions.c.offer_id == offer_id
            )
        )
    return len(dropped)


def clear(conn: Connection) -> None:
    """Forget every suggestion and mark (the vectors stay: they depend on the text only)."""
    conn.execute(delete(match_suggestions))
    conn.execute(delete(match_marks))


def best_scores(conn: Connection, n: int) -> list[float]:
    """Return the best `n` stored scores, best first."""
    query = select(match_suggestions.c.score).order_by(match_suggestions.c.score.desc()).limit(n)
    return [float(x) for x in conn.execute(query).scalars().all()]


def suggestion_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(match_suggestions)).scalar_one())


def _open(table: Any, today: date) -> ColumnElement[bool]:
    return and_(table.c.status == "open", or_(table.c.expires_on.is_(None), table.c.expires_on >= today))


def suggestion_rows(
    conn: Connection,
    today: date,
    *,
    person_id: int | None = None,
    need_id: int | None = None,
    offer_id: int | None = None,
    tag: str | None = None,
    min_score: float = 0.0,
    limit: int | None = None,
    offset: int = 0,
    need_ids: Sequence[int] | None = None,
    need_people: Sequence[int] | None = None,
) -> list[Any]:
    """Return live suggestions, best first, with both items; never a pair already introduced (in any state) or
    two people with a declined introduction between them. (Pairs already given through the ledger are left out
    by the caller, from `ledger.given_pairs`: exchanges has no index to look them up pair by pair.)"""
    n, o, s = needs.alias("n"), offers.alias("o"), match_suggestions
    introduced = exists().where(introductions.c.need_id == s.c.need_id, introductions.c.offer_id == s.c.offer_id)
    declined = exists().where(
        introductions.c.state == "declined",
        or_(
            and_(introductions.c.first_id == n.c.person_id, introductions.c.second_id == o.c.person_id),
            and_(introductions.c.first_id == o.c.person_id, introductions.c.second_id == n.c.person_id),
        ),
    )
    query = (
        select(
            s.c.need_id,
            s.c.offer_id,
            s.c.score,
            s.c.signals,
            s.c.computed_at,
            n.c.person_id.label("need_person_id"),
            n.c.text.label("need_text"),
            n.c.tags.label("need_tags"),
            n.c.location.label("need_location"),
            n.c.created_at.label("need_created_at"),
            n.c.expires_on.label("need_expires_on"),
            o.c.person_id.label("offer_person_id"),
            o.c.text.label("offer_text"),
            o.c.tags.label("offer_tags"),
            o.c.location.label("offer_location"),
            o.c.created_at.label("offer_created_at"),
            o.c.expires_on.label("offer_expires_on"),
        )
        .join(n, n.c.id == s.c.need_id)
        .join(o, o.c.id == s.c.offer_id)
        .where(_open(n, today), _open(o, today), n.c.person_id != o.c.person_id, s.c.score >= min_score)
        .where(not_(introduced), not_(declined))
        .order_by(s.c.score.desc(), s.c.need_id, s.c.offer_id)
    )
    if person_id is not None:  # through the person's own items (indexed): not a walk down every pair by score
        theirs = or_(
            s.c.need_id.in_(select(needs.c.id).where(needs.c.person_id == person_id)),
            s.c.offer_id.in_(select(offers.c.id).where(offers.c.person_id == person_id)),
        )
        query = query.where(theirs)
    if need_id is not None:
        query = query.where(s.c.need_id == need_id)
    if need_ids is not None:
        query = query.where(s.c.need_id.in_(list(need_ids)))
    if need_people is not None:  # the needs of these people (an event's attendees)
        query = query.where(n.c.person_id.in_(list(need_people)))
    if offer_id is not None:
        query = query.where(s.c.offer_id == offer_id)
    if tag is not None:  # tags are stored comma-separated: a cheap pre-filter, checked exactly by the caller
        query = query.where(or_(n.c.tags.contains(tag, autoescape=True), o.c.tags.contains(tag, autoescape=True)))
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(conn.execute(query))


def open_item_fields(conn: Connection, which: str) -> list[Any]:
    """Return (id, person_id, text, tags, location, expires_on) of every open need or offer, by id: what scoring
    one item against them reads (one query, no other column)."""
    t = needs if which == "need" else offers
    query = select(t.c.id, t.c.person_id, t.c.text, t.c.tags, t.c.location, t.c.expires_on).where(t.c.status == "open")
    return list(conn.execute(query.order_by(t.c.id)).all())  # one fetch for 25,000 rows, not one call per row


_ITEM_FIELDS = {
    which: select(t.c.id, t.c.person_id, t.c.text, t.c.tags, t.c.location, t.c.expires_on).where(
        t.c.id == bindparam("item_id")
    )
    for which, t in (("need", needs), ("offer", offers))
}  # built once: scoring one need reads dozens of short-listed offers this way


def item_fields(conn: Connection, which: str, item_id: int) -> Any:
    """Return (id, person_id, text, tags, location, expires_on) of one need or offer, as `open_item_fields`."""
    return conn.execute(_ITEM_FIELDS[which], {"item_id": item_id}).one()


_MANY_FIELDS = {
    which: select(t.c.id, t.c.person_id, t.c.text, t.c.tags, t.c.location, t.c.expires_on).where(
        t.c.id.in_(bindparam("item_ids", expanding=True))
    )
    for which, t in (("need", needs), ("offer", offers))
}


def items_fields(conn: Connection, which: str, item_ids: Sequence[int]) -> dict[int, Any]:
    """Return {id: (id, person_id, text, tags, location, expires_on)} of these needs or offers, in one query per
    `CHUNK` (the few dozen offers short-listed for one new need)."""
    found: dict[int, Any] = {}
    for chunk in _chunks(sorted(set(item_ids))):
        found.update((int(r[0]), r) for r in conn.execute(_MANY_FIELDS[which], {"item_ids": list(chunk)}))
    return found


def all_open_items(conn: Connection, which: str) -> list[NeedOrOffer]:
    """Return every open need or offer (expired ones too: expiry is decided when reading) as the matcher reads
    it, by id.

    The times are read as the database holds them and converted here in one pass (SQLite: text): SQLAlchemy's
    converter per value, reached through each row's attributes, was two thirds of reading the 50,000 items of a
    100,000-person network (0.65 s, before the first `today`'s pass could start).
    """
    t = needs if which == "need" else offers
    times = (type_coerce(t.c.created_at, String), type_coerce(t.c.expires_on, String))
    query = select(t.c.id, t.c.person_id, t.c.text, t.c.tags, t.c.location, *times).where(t.c.status == "open")
    return [
        NeedOrOffer(id=int(i), person_id=int(p), text=str(text), tags=tuple(x for x in str(tags).split(",") if x),
                    location=location, created_at=_moment(created), expires_on=_day(expires))
        for i, p, text, tags, location, created, expires in conn.execute(query.order_by(t.c.id))
    ]  # fmt: skip


def _moment(value: Any) -> datetime | None:
    """A stored time as SQLAlchemy reads it: SQLite holds "YYYY-MM-DD HH:MM:SS[.ffffff]"; PostgreSQL's driver
    gives datetimes."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value
