"""Bulk writes for imports: many rows per statement (SQLAlchemy's insertmanyvalues), ids returned in order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, insert, select, update

from givefirst.store.schema import (
    identities,
    interaction_people,
    interactions,
    mail_pending,
    organizations,
    people,
    person_sources,
    person_tags,
    tags,
)


def _insert_returning_ids(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert rows in one executemany and return their new ids in the order of `rows`.

    SQLite cannot return ids in parameter order from a multi-row insert, so SQLAlchemy would send one statement
    per row; inside our write transaction nobody else can insert, so the new ids are exactly those above the
    previous maximum, in order. PostgreSQL returns them in order through insertmanyvalues.
    """
    if not rows:
        return []
    if conn.dialect.name == "sqlite":
        before = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        _executemany(conn, table, rows)
        ids = [
            int(i) for i in conn.execute(select(table.c.id).where(table.c.id > before).order_by(table.c.id)).scalars()
        ]
        if len(ids) != len(rows):
            raise RuntimeError(f"expected {len(rows)} new rows in {table.name}, found {len(ids)}")
        return ids
    result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), list(rows))
    return [int(i) for i in result.scalars()]


def insert_people(conn: Connection, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert people and return their ids, in the order of `rows`."""
    return _insert_returning_ids(conn, people, rows)


def insert_interactions(conn: Connection, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert interactions and return their ids, in the order of `rows`."""
    return _insert_returning_ids(conn, interactions, rows)


def insert_organizations(conn: Connection, names: Sequence[str]) -> list[int]:
    """Insert organizations the caller knows are new and return their ids, in order."""
    return _insert_returning_ids(conn, organizations, [{"name": n.strip()} for n in names])


def insert_organization(conn: Connection, name: str) -> int:
    """Insert an organization the caller knows is new and return its id."""
    # Parameters apart from the statement, so that SQLAlchemy compiles it once for thousands of new names.
    statement = insert(organizations).returning(organizations.c.id)
    return int(conn.execute(statement, {"name": name.strip()}).scalar_one())


def insert_rows(conn: Connection, table_name: str, rows: Sequence[dict[str, Any]]) -> None:
    """Insert plain rows into identities, person_sources, person_tags, interaction_people or mail_pending."""
    table = {"identities": identities, "person_sources": person_sources, "person_tags": person_tags,
             "interaction_people": interaction_people, "mail_pending": mail_pending}[table_name]  # fmt: skip
    if rows:
        _executemany(conn, table, rows)


def _executemany(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows that share their keys in one executemany.

    On SQLite the statement goes to the driver as it is, each value through its column's own bind processor
    (dates and times as SQLAlchemy stores them): SQLAlchemy's per-row parameter handling was a third of the
    time of a 30,000-contact import. Other databases take the usual Core path.
    """
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), list(rows))
        return
    keys = list(rows[0])
    columns = [table.c[key] for key in keys]  # a KeyError here is a programming error: no such column
    processors = [column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for column in columns]
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    # column by column: each value through C-level map, and each distinct date or flag processed once
    values: list[list[Any]] = []
    for key, process in zip(keys, processors, strict=True):
        column = list(map(itemgetter(key), rows))
        if process is not None:
            done = {value: process(value) for value in set(column) if value is not None}
            column = [None if value is None else done[value] for value in column]
        values.append(column)
    params = list(zip(*values, strict=True))
    conn.exec_driver_sql(sql, params)


def organization_ids(conn: Connection) -> dict[str, int]:
    """Return {lower-case name: id} of every organization."""
    return {str(r.name).lower(): int(r.id) for r in conn.execute(select(organizations.c.id, organizations.c.name))}


def tag_ids(conn: Connection) -> dict[str, int]:
    return {str(r.name): int(r.id) for r in conn.execute(select(tags.c.id, tags.c.name))}


def set_fingerprints(conn: Connection, rows: Sequence[tuple[str, str, str]], now: datetime) -> None:
    """Record what each (source, external id, fingerprint) was last imported as, in one executemany."""
    if not rows:
        return
    statement = (
        update(person_sources)
        .where(person_sources.c.source == bindparam("b_source"), person_sources.c.external_id == bindparam("b_id"))
        .values(fingerprint=bindparam("b_fingerprint"), imported_at=now)
    )
    conn.execute(statement, [{"b_source": s, "b_id": e, "b_fingerprint": f} for s, e, f in rows])
