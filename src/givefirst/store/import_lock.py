"""One import at a time per database: a lock the operating system or the database server frees when its holder dies.

Two imports writing the same database at once would each decide "this person is new" from what the other has
not committed yet. The lock is taken for a whole import run and is held by something that cannot outlive its
process, so a `kill -9` never leaves a stale lock behind:

* SQLite: an exclusive `flock` on a small file beside the database (`<database>.import-lock`); the kernel
  releases it when the process exits, however it exits. The file holds who took it (pid, host, time) so that
  a second import can say whom it is waiting for; the file itself staying behind means nothing.
* PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a connection kept open for the run;
  the server releases it when that session ends, which it does when the client process dies. The holder is
  described in the session's `application_name`, which a waiting import reads from `pg_stat_activity`.
* An in-memory SQLite database belongs to one process: nothing to lock.
"""

from __future__ import annotations

import os
import socket
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, text

from givefirst.errors import GivefirstError

# The advisory lock's key: "give" in its high 32 bits, the schema's checksum in the low ones. Advisory locks are
# per database, and one PostgreSQL database can hold several givefirst schemas (search_path), each its own lock.
ADVISORY_HIGH = 0x67697665
POLL_SECONDS = 0.25
_TAG = "givefirst import"


class ImportBusyError(GivefirstError):
    """Another import holds the database's import lock and did not finish within the wait."""

    exit_code = 75  # EX_TEMPFAIL: try again later


def _holder_text(pid: int, started: datetime) -> str:
    return f"{_TAG} pid {pid} on {socket.gethostname()[:20]} since {started:%Y-%m-%dT%H:%M}Z"


def describe_holder(raw: str | None) -> str:
    """Return "started 13:02 by pid 1234" from what the holder wrote about itself, or "" when unknown."""
    if not raw or not raw.startswith(_TAG):
        return ""
    words = raw.split()
    try:
        pid = words[words.index("pid") + 1]
        host = words[words.index("on") + 1]
        since = datetime.strptime(words[words.index("since") + 1], "%Y-%m-%dT%H:%MZ")
    except (ValueError, IndexError):
        return ""
    local = since.replace(tzinfo=UTC).astimezone()
    when = f"{local:%H:%M}" if local.date() == datetime.now().astimezone().date() else f"{local:%Y-%m-%d %H:%M}"
    where = "" if host == socket.gethostname()[:20] else f" on {host}"
    return f"started {when} by pid {pid}{where}"


@contextmanager
def import_lock(engine: Engine, *, wait_seconds: float, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the database's import lock for the block; wait up to `wait_seconds` for it, then raise ImportBusyError.

    `on_wait` is told once, with the holder's description, when the lock is taken by someone else.
    """
    if engine.dialect.name == "postgresql":
        with _postgres_lock(engine, wait_seconds, on_wait):
            yield
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with _file_lock(Path(f"{database}.import-lock"), wait_seconds, on_wait):
        yield


def _wait_for(
    try_once: Callable[[], bool], holder: Callable[[], str], wait_seconds: float, on_wait: Callable[[str], None] | None
) -> None:
    """Call try_once until it succeeds, telling on_wait once; raise ImportBusyError after wait_seconds."""
    if try_once():
        return
    who = holder()
    if wait_seconds > 0:
        if on_wait is not None:
            on_wait(who)
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            if try_once():
                return
        who = holder() or who
    waited = f"; gave up after waiting {wait_seconds:.0f} s" if wait_seconds > 0 else ""
    raise ImportBusyError(
        f"another import is running on this database ({who or 'holder unknown'}){waited}: "
        "nothing was imported; try again when it has finished"
    )


@contextmanager
def _file_lock(path: Path, wait_seconds: float, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    try:
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        raise GivefirstError(f"cannot create the import lock {path}: {exc.strerror}") from None
    with handle:

        def read_holder() -> str:
            handle.seek(0)
            return describe_holder(handle.read(200).strip())

        _wait_for(lambda: _try_flock(handle), read_holder, wait_seconds, on_wait)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(_holder_text(os.getpid(), datetime.now(UTC)) + "\n")
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            _unlock(handle)


if sys.platform == "win32":
    import msvcrt

    def _try_flock(handle: IO[str]) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_flock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextmanager
def _postgres_lock(engine: Engine, wait_seconds: float, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    # A connection of its own, in autocommit, so that the lock outlives every import transaction of the run.
    with engine.connect() as raw:
        conn = raw.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text("SELECT set_config('application_name', :name, false)"),
                     {"name": _holder_text(os.getpid(), datetime.now(UTC))})  # fmt: skip

        schema = str(conn.execute(text("SELECT current_schema()")).scalar() or "")
        key = (ADVISORY_HIGH << 32) | zlib.crc32(schema.encode())

        def try_once() -> bool:
            return bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())

        _wait_for(try_once, lambda: _postgres_holder(conn, key), wait_seconds, on_wait)
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            conn.execute(text("RESET application_name"))


def _postgres_holder(conn: Connection, key: int) -> str:
    """Describe the session holding the advisory lock (empty when the server will not say)."""
    row = conn.execute(
        text(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND l.classid = :hi AND l.objid = :lo AND l.objsubid = 1"
        ),
        {"hi": key >> 32, "lo": key & 0xFFFFFFFF},
    ).first()
    return describe_holder(row[0] if row else None)


def claim_writes(conn: Connection) -> None:
    """Make an SQLite transaction a writer from its first statement (BEGIN IMMEDIATE).

    The driver otherwise starts the transaction only at the first INSERT, so what the import read before it
    (who is already known, the largest id) could be changed by another writer in between. PostgreSQL needs
    nothing: its transaction starts with the first statement, and the import lock keeps imports apart.
    """
    if conn.dialect.name != "sqlite":
        return
    dbapi = conn.connection.dbapi_connection
    if dbapi is not None and not getattr(dbapi, "in_transaction", True):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
