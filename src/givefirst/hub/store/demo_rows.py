"""Bulk rows for the demo and the benchmark: many rows with ids chosen by the caller, in one pass.

The demo and the benchmark build a fresh association, so they pick row ids themselves (1, 2, 3…) and tie rows
together without reading ids back. On PostgreSQL the rows go in with COPY (the fastest way in: 100,000 items
in seconds) and the id sequences are moved past them afterwards, so the hub's own inserts keep working; on
SQLite, one executemany per table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, func, insert, inspect, select, text

from givefirst.hub.store.database import VERSION_TABLE
from givefirst.hub.store.schema import members, metadata, settings

DEMO_MARKER = "demo"  # hub_settings key: this hub was built by `hub demo` and may be rebuilt
CHUNK = 5000


def describe(engine: Engine) -> str:
    """The database as a message names it: the SQLite path, or the PostgreSQL URL without its credentials."""
    url = engine.url
    return str(url.database) if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)


def foreign_tables(conn: Connection) -> list[str]:
    """Return the tables in the database that are not the hub's (a personal database, another application's)."""
    ours = {*metadata.tables, VERSION_TABLE}
    return sorted(set(inspect(conn).get_table_names()) - ours)


def is_demo(conn: Connection) -> bool:
    return conn.execute(select(settings.c.value).where(settings.c.key == DEMO_MARKER)).scalar() is not None


def member_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(members)).scalar_one())


def clear_all(conn: Connection) -> None:
    """Delete every row of every hub table (children first); the schema and its version stay."""
    for table in reversed(metadata.sorted_tables):
        conn.execute(delete(table))


def bulk_insert(conn: Connection, table: Table, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert `rows` (dicts with the same keys) into `table`; return how many. COPY on PostgreSQL."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    columns = list(first)
    if conn.dialect.name == "postgresql":
        return _copy(conn, table, columns, first, iterator)
    count = 0
    batch: list[Mapping[str, Any]] = [first]
    while batch:
        conn.execute(insert(table), batch)
        count += len(batch)
        batch = list(islice(iterator, CHUNK))
    return count


def _copy(
    conn: Connection, table: Table, columns: Sequence[str], first: Mapping[str, Any], rest: Iterable[Mapping[str, Any]]
) -> int:
    # Booleans go in as Python bools and NULLs as None: psycopg's COPY adapts each value like a parameter.
    quoted = ", ".join(f'"{c}"' for c in columns)
    raw = conn.connection.driver_connection
    count = 0
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:  # type: ignore[union-attr]
        for row in _chain(first, rest):
            copy.write_row([row[c] for c in columns])
            count += 1
    return count


def _chain(first: Mapping[str, Any], rest: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    yield first
    yield from rest


def reset_sequences(conn: Connection) -> None:
    """On PostgreSQL, move each `id` sequence past the largest id, after rows were inserted with their ids."""
    if conn.dialect.name != "postgresql":
        return  # SQLite's INTEGER PRIMARY KEY takes max(id) + 1 on its own
    for table in metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
            ),
            {"table": table.name},
        )
