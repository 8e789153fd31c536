"""The complete JSON backup: every table written out, and restored whole into an empty database.

A backup is one JSON object:

    {"format": "givefirst-backup", "format_version": 1, "givefirst_version": "0.1.0",
     "schema_revision": "0002_imports", "exported_at": "2026-11-25T12:00:00+00:00",
     "tables": {"organizations": [{"id": 1, "name": "Acme", ...}, ...], "people": [...], ...}}

Tables come parents first, rows in primary-key order, one row per line, so that two backups of the same data are
identical apart from `exported_at` and a diff of two backups reads row by row. Dates and times are ISO strings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Table
from sqlalchemy.exc import DataError, IntegrityError

from givefirst import __version__
from givefirst.errors import DatabaseError, InvalidInputError, NewerDatabaseError, NotFoundError
from givefirst.services.context import App
from givefirst.store import backup as store
from givefirst.store.database import HEAD_REVISION, KNOWN_REVISIONS

FORMAT = "givefirst-backup"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Backup:
    """A backup as bytes, with how many rows each table holds."""

    data: bytes
    counts: dict[str, int]


@dataclass(frozen=True)
class Restored:
    """What a restore wrote: rows per table, and the backup's own description."""

    counts: dict[str, int]
    people: int  # current people, the user left out: the number `givefirst stats` and the demo speak of
    schema_revision: str
    exported_at: str | None


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):  # datetime first: it is also a date
        return value.isoformat()
    return value


def export_json(app: App, exported_at: datetime | None = None) -> Backup:
    """Return a complete backup of the database: every table, every row, with the schema revision."""
    moment = exported_at or datetime.now(UTC).replace(microsecond=0)
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "givefirst_version": __version__,
        "schema_revision": HEAD_REVISION,
        "exported_at": moment.isoformat(),
    }
    lines = ["{"]
    lines += [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in header.items()]
    lines.append('  "tables": {')
    counts: dict[str, int] = {}
    tables = store.backup_tables()
    with store.snapshot(app.engine) as conn:
        for n, table in enumerate(tables):
            rows = [
                json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False)
                for row in store.dump_table(conn, table)
            ]
            counts[table.name] = len(rows)
            end = "," if n < len(tables) - 1 else ""
            if rows:
                lines.append(f"    {json.dumps(table.name)}: [")
                lines.append(",\n".join(f"      {r}" for r in rows))
                lines.append(f"    ]{end}")
            else:
                lines.append(f"    {json.dumps(table.name)}: []{end}")
    lines += ["  }", "}", ""]
    return Backup("\n".join(lines).encode("utf-8"), counts)


class _Bad(Exception):
    """What is wrong with a backup file, before the file name is put in front."""


class _Newer(_Bad):
    """The backup names a schema revision this givefirst does not know."""


def _python_type(column: Column[Any]) -> type | None:
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


_EXPECTED = {
    datetime: "a date and time (ISO 8601)",
    date: "a date (YYYY-MM-DD)",
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    str: "text",
}


def _decode(value: Any, column: Column[Any]) -> Any:
    """Return a JSON value as the column's Python value; raise _Bad saying what does not fit."""
    if value is None:
        if not column.nullable:
            raise _Bad(f"column {column.name} may not be empty")
        return None
    kind = _python_type(column)
    if kind not in _EXPECTED:
        return value  # a column type without a plain Python type: stored as the backup holds it
    if isinstance(value, str) and kind in (datetime, date):
        try:
            if kind is date:
                return date.fromisoformat(value)
            moment = datetime.fromisoformat(value)
            # givefirst keeps naive UTC; a hand-made backup may carry an offset
            return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
        except ValueError:
            pass
    elif isinstance(value, bool):
        if kind is bool:
            return value
    elif isinstance(value, int | float) and kind in (int, float):
        if kind is float:
            return float(value)
        if isinstance(value, int):
            return value
    elif isinstance(value, str) and kind is str:
        return value
    raise _Bad(f"column {column.name}: expected {_EXPECTED[kind]}, got {json.dumps(value)[:40]}")


def _table_rows(table: Table, raw: Any, complete: bool) -> list[dict[str, Any]]:
    """Return the rows of one table from the backup, checked and decoded."""
    if not isinstance(raw, list):
        raise _Bad(f"table {table.name} is not a list of rows")
    rows: list[dict[str, Any]] = []
    columns: set[str] | None = None
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise _Bad(f"table {table.name}, row {n}: not an object")
        unknown = set(item) - set(table.columns.keys())
        if unknown:
            raise _Bad(f"table {table.name}, row {n}: unknown column {sorted(unknown)[0]}")
        if columns is None:
            columns = set(item)
            required = {c.name for c in table.columns if complete or (not c.nullable and c.server_default is None)}
            if missing := sorted(required - columns):
                raise _Bad(f"table {table.name}, row {n}: column {missing[0]} is missing")
        elif set(item) != columns:
            raise _Bad(f"table {table.name}, row {n}: its columns differ from the first row's")
        try:
            rows.append({k: _decode(v, table.columns[k]) for k, v in item.items()})
        except _Bad as exc:
            raise _Bad(f"table {table.name}, row {n}: {exc}") from None
    return rows


# Tables a backup of an older revision may hold that a later migration dropped, by the revisions that had them.
_RETIRED = {rev: ("live_mail_held", "live_mail_correspondents") for rev in ("0006_live_sources", "0007_dav_items")}


def _held_to_pending(rows: dict[str, list[dict[str, Any]]], retired: Mapping[str, Any]) -> None:
    """Do what 0008_one_mail_memory does to a database: held IMAP mail waits in mail_pending (the
    correspondents' flags are dropped, see that migration)."""
    from givefirst.store.mail import pending_from_held

    held = retired.get("live_mail_held")
    if not isinstance(held, list) or not all(isinstance(item, dict) for item in held):
        raise _Bad("table live_mail_held is not a list of rows")
    configs = {int(r["id"]): str(r["config"]) for r in rows.get("live_sources", [])}
    try:
        decoded = [{**item, "occurred_at": datetime.fromisoformat(str(item["occurred_at"]))} for item in held]
        moved = pending_from_held(decoded, configs, datetime.now(UTC).replace(tzinfo=None, microsecond=0))
    except (KeyError, ValueError) as exc:
        raise _Bad(f"table live_mail_held: a row without a readable {exc}") from None
    waiting = {str(r["message_key"]) for r in rows["mail_pending"]}
    rows["mail_pending"].extend(r for r in moved if r["message_key"] not in waiting)


def _read_backup(data: bytes) -> tuple[str, str | None, dict[str, list[dict[str, Any]]]]:
    """Return (schema revision, export time, rows by table) from a backup's bytes; raise _Bad when it is wrong."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _Bad("it is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _Bad(f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _Bad(
            'it is not a givefirst backup (no "format": "givefirst-backup"); make one with `givefirst export json`'
        )
    version = doc.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise _Bad(
            f"backup format {version!r} is newer than this givefirst reads ({FORMAT_VERSION}); upgrade givefirst"
        )
    revision = doc.get("schema_revision")
    if not isinstance(revision, str) or not revision:
        raise _Bad('it has no "schema_revision"')
    if revision not in KNOWN_REVISIONS:
        raise _Newer(revision)
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        raise _Bad('it has no "tables" object')
    known = {t.name: t for t in store.backup_tables()}
    retired = {name: tables[name] for name in _RETIRED.get(revision, ()) if name in tables}
    if unknown := sorted(set(tables) - set(known) - set(retired)):
        raise _Bad(f"unknown table {unknown[0]}")
    complete = revision == HEAD_REVISION  # an older backup may lack what later migrations added
    if complete and (missing := [name for name in known if name not in tables]):
        raise _Bad(f"table {missing[0]} is missing (the file may be cut short)")
    rows = {name: _table_rows(table, tables.get(name, []), complete) for name, table in known.items()}
    if retired:
        _held_to_pending(rows, retired)
    exported_at = doc.get("exported_at")
    return revision, exported_at if isinstance(exported_at, str) else None, rows


def _where(app: App) -> str:
    url = app.engine.url
    return str(url.database) if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)


@dataclass(frozen=True)
class BackupFile:
    """A backup file read and checked, ready to restore."""

    path: Path
    schema_revision: str
    exported_at: str | None
    rows: dict[str, list[dict[str, Any]]]


def read_backup_file(path: Path) -> BackupFile:
    """Return the backup in `path`, read and checked whole; a one-line error names the file and what is wrong."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"cannot restore {path}: no such file") from None
    except OSError as exc:
        raise InvalidInputError(f"cannot restore {path}: {exc.strerror or exc}") from None
    try:
        revision, exported_at, rows = _read_backup(data)
    except _Newer as exc:
        raise NewerDatabaseError(
            f"cannot restore {path}: it was written by a newer givefirst (schema {exc}; this one knows up to "
            f"{HEAD_REVISION}); upgrade givefirst to restore it"
        ) from None
    except _Bad as exc:
        raise InvalidInputError(f"cannot restore {path}: {exc}; nothing was written") from None
    return BackupFile(path, revision, exported_at, rows)


def restore(app: App, source: Path | BackupFile) -> Restored:
    """Restore a backup into the App's database, which must be empty; return what was written.

    Everything is checked before anything is written, and everything is written in one transaction: a bad file
    or a database that already holds a network leaves the database exactly as it was.
    """
    backup = source if isinstance(source, BackupFile) else read_backup_file(source)
    path, rows = backup.path, backup.rows
    tables = store.backup_tables()
    try:
        with app.begin() as conn:
            if busy := store.tables_with_rows(conn):
                held = store.count_rows(conn, next(t for t in tables if t.name == "people"))
                what = f"{held} {'person' if held == 1 else 'people'}" if held else f"rows in {', '.join(busy)}"
                raise DatabaseError(
                    f"cannot restore into {_where(app)}: it already holds {what}; restore needs an empty database "
                    "(give --db a new file)"
                )
            for table in tables:
                store.load_table(conn, table, rows[table.name])
            store.reset_id_sequences(conn)
    except (IntegrityError, DataError) as exc:  # a hand-edited file: a dangling id, a duplicate, a long text
        detail = str(exc.orig).splitlines()[0] if exc.orig is not None else "a row breaks a constraint"
        raise InvalidInputError(
            f"cannot restore {path}: the backup is inconsistent ({detail}); nothing was written"
        ) from None
    people = sum(1 for r in rows["people"] if not r.get("is_me") and r.get("merged_into_id") is None)
    return Restored({name: len(r) for name, r in rows.items()}, people, backup.schema_revision, backup.exported_at)


def restore_summary(restored: Restored) -> str:
    """Return "292 people, 4270 interactions, …": what a restore brought back, for a one-line report."""
    counts: Mapping[str, int] = restored.counts
    labels = (("interactions", "interactions"), ("exchanges", "gives and asks"), ("needs", "needs"),
              ("offers", "offers"))  # fmt: skip
    return ", ".join([f"{restored.people} people", *(f"{counts.get(t, 0)} {label}" for t, label in labels)])
