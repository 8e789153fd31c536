"""What exports and backups read and write: every table dumped and loaded whole, and the contact listing.

The dump and the load walk `metadata.sorted_tables`, so a table added by a later migration is part of every
backup without a change here; tables marked `info={"cache": True}` are derived data and left out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Column, Connection, Engine, Table, and_, bindparam, func, insert, select, update

from givefirst.store.schema import identities, metadata, organizations, people, tie_stats

_CURRENT = people.c.merged_into_id.is_(None)


def backup_tables() -> list[Table]:
    """Return every table of the schema but the caches, parents before the tables that refer to them.

    Caches (embeddings, scored matches) are derived from the rest and rebuilt on first use after a restore.
    """
    return [table for table in metadata.sorted_tables if not table.info.get("cache")]


def deferred_columns(table: Table) -> list[Column[Any]]:
    """Return the columns of `table` that refer to itself or to a table loaded after it (people.introduced_by_id).

    Rows are loaded in id order, and a person may be introduced by someone with a higher id: these references are
    inserted empty and filled in once every row exists, so that no foreign key points at a row not yet written.
    """
    order = {t.name: n for n, t in enumerate(metadata.sorted_tables)}
    mine = order[table.name]
    return [
        fk.parent
        for fk in table.foreign_keys
        if order.get(fk.column.table.name, -1) >= mine and fk.parent.nullable and not fk.parent.primary_key
    ]


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """Yield a connection whose reads all see the database at one moment, even while another process writes.

    SQLite's read transaction is a snapshot already (WAL); PostgreSQL's default isolation shows each statement
    the latest commits, so a backup taken table by table could hold an interaction without its participants.
    """
    if engine.dialect.name != "postgresql":
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        yield conn


def dump_table(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """Yield every row of `table` as a column → value mapping, in primary-key order (so dumps are stable)."""
    keys = list(table.primary_key.columns) or list(table.columns)
    for row in conn.execute(select(table).order_by(*keys)):
        yield dict(row._mapping)


def tables_with_rows(conn: Connection) -> list[str]:
    """Return the names of the tables that hold at least one row."""
    return [t.name for t in backup_tables() if conn.execute(select(1).select_from(t).limit(1)).first() is not None]


def count_rows(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def load_table(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows` (all with the same columns) keeping their ids; self-references are filled in afterwards."""
    if not rows:
        return
    later = [c.name for c in deferred_columns(table) if c.name in rows[0]]
    first = [{k: (None if k in later else v) for k, v in r.items()} for r in rows] if later else list(rows)
    conn.execute(insert(table), first)
    if not later:
        return
    keys = list(table.primary_key.columns)
    fill = [r for r in rows if any(r[c] is not None for c in later)]
    if not fill:
        return
    statement = (
        update(table)
        .where(and_(*(k == bindparam(f"key_{k.name}") for k in keys)))
        .values({c: bindparam(f"new_{c}") for c in later})
    )
    conn.execute(
        statement,
        [{**{f"key_{k.name}": r[k.name] for k in keys}, **{f"new_{c}": r[c] for c in later}} for r in fill],
    )


def reset_id_sequences(conn: Connection) -> None:
    """Move each PostgreSQL id sequence past the largest id, so that new rows after a restore get fresh ids.

    SQLite needs nothing: without AUTOINCREMENT a new rowid is always one more than the largest.
    """
    if conn.dialect.name != "postgresql":
        return
    for table in backup_tables():
        column = table.autoincrement_column
        if column is None:
            continue
        largest = func.max(column)
        conn.execute(
            select(
                func.setval(
                    func.pg_get_serial_sequence(table.name, column.name),
                    func.coalesce(largest, 1),
                    largest.is_not(None),  # an empty table: the next id is 1
                )
            ).select_from(table)
        )


def contact_rows(conn: Connection, *, include_me: bool = False) -> list[Any]:
    """Return current people (not merged away) with every person column, their organization and tie statistics."""
    query = select(
        people,
        organizations.c.name.label("organization"),
        *[c for c in tie_stats.c if c.name != "person_id"],
    ).select_from(
        people.outerjoin(organizations, people.c.organization_id == organizations.c.id).outerjoin(
            tie_stats, tie_stats.c.person_id == people.c.id
        )
    )
    query = query.where(_CURRENT)
    if not include_me:
        query = query.where(people.c.is_me.is_(False))
    return list(conn.execute(query.order_by(people.c.name, people.c.id)).all())


def identities_by_person(conn: Connection) -> dict[int, list[tuple[str, str, str | None]]]:
    """Return every person's (kind, value, label) identities, in the order they were added, in one query."""
    result: dict[int, list[tuple[str, str, str | None]]] = {}
    query = select(identities.c.person_id, identities.c.kind, identities.c.value, identities.c.label)
    for r in conn.execute(query.order_by(identities.c.person_id, identities.c.id)):
        result.setdefault(int(r.person_id), []).append((str(r.kind), str(r.value), r.label))
    return result


def names_of(conn: Connection, person_ids: Sequence[int]) -> dict[int, str]:
    """Return the names of these people (merged-away ones too: old rows may still point at them)."""
    if not person_ids:
        return {}
    rows = conn.execute(select(people.c.id, people.c.name).where(people.c.id.in_(sorted(set(person_ids)))))
    return {int(r.id): str(r.name) for r in rows}
