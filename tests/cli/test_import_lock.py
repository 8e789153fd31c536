"""Two imports of the same database at once: the second waits for the first (or says it is busy), never a traceback.

Real processes through the installed `givefirst` script, on one SQLite file — and on PostgreSQL when
GIVEFIRST_TEST_DATABASE_URL is set. A lock whose holder was killed with SIGKILL must not block anyone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from givefirst.store.database import database_url
from tests.cli.test_crash import ME, write_mbox
from tests.cli.test_entry_point import SCRIPT

pytestmark = pytest.mark.skipif(SCRIPT is None or os.name != "posix", reason="needs the installed script and SIGKILL")


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("GIVEFIRST_")}


def start_import(db: str, mbox: Path, *extra: str) -> subprocess.Popen[str]:
    command = [str(SCRIPT), "--db", db, "import", "mbox", str(mbox), "--me", ME, *extra]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())


def holds_lock(db: str, pid: int) -> bool:
    """Whether process `pid` holds the import lock of `db` (as a waiting import would see it)."""
    if "://" not in db:
        lock = Path(f"{Path(db).resolve()}.import-lock")
        return lock.exists() and f"pid {pid} " in lock.read_text(encoding="utf-8")
    engine = create_engine(database_url(db))
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                     "WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE :name"),
                {"name": f"givefirst import pid {pid} %"},
            ).scalar()  # fmt: skip
    finally:
        engine.dispose()
    return bool(found)


def wait_until_holding(db: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not holds_lock(db, process.pid):
        assert process.poll() is None, f"the first import ended before it was seen holding the lock: {process.stderr}"
        assert time.monotonic() < deadline, "the first import never took the lock"
        time.sleep(0.02)


def counts(db: str) -> tuple[int, int]:
    engine = create_engine(database_url(db))
    try:
        with engine.connect() as conn:
            interactions = conn.execute(text("SELECT count(*) FROM interactions")).scalar_one()
            people = conn.execute(text("SELECT count(*) FROM people WHERE NOT is_me")).scalar_one()
            if engine.dialect.name == "sqlite":
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        engine.dispose()
    return interactions, people


@pytest.fixture
def mbox(tmp_path: Path) -> Path:
    path = tmp_path / "mail.mbox"
    write_mbox(path, messages=12_000, correspondents=300)
    return path


def test_second_import_waits_for_the_first(db_url: str, mbox: Path) -> None:
    assert subprocess.run([str(SCRIPT), "--db", db_url, "people"], capture_output=True, env=_env()).returncode == 0
    first = start_import(db_url, mbox)
    wait_until_holding(db_url, first)
    second = start_import(db_url, mbox)  # the same file at once: the case that ended in a traceback
    out2, err2 = second.communicate(timeout=300)
    out1, err1 = first.communicate(timeout=300)
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2
    assert "Traceback" not in err1 + err2
    assert "another import is running on this database (started " in err2 and f"by pid {first.pid}" in err2
    assert "waiting..." in err2
    assert "12000 added" in out1 and "12000 already there" in out2  # the second ran after the first, whole
    assert counts(db_url) == (12_000, 300)


def test_no_wait_is_a_clean_refusal(db_url: str, mbox: Path) -> None:
    first = start_import(db_url, mbox)
    wait_until_holding(db_url, first)
    refused = subprocess.run([str(SCRIPT), "--db", db_url, "import", "mbox", str(mbox), "--me", ME, "--wait", "0"],
                             capture_output=True, text=True, env=_env(), timeout=120)  # fmt: skip
    first.communicate(timeout=300)
    assert first.returncode == 0
    assert refused.returncode == 75, refused.stderr
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: another import is running on this database")
    assert f"by pid {first.pid}" in lines[0] and "nothing was imported" in lines[0]
    assert counts(db_url) == (12_000, 300)


def test_a_killed_import_leaves_no_stale_lock(db_url: str, mbox: Path) -> None:
    first = start_import(db_url, mbox)
    wait_until_holding(db_url, first)
    os.kill(first.pid, signal.SIGKILL)
    first.communicate()
    began = time.monotonic()
    # SQLite, --wait 0: had the dead holder's lock survived, this would be refused at once. PostgreSQL frees an
    # advisory lock when the server notices the dead client, which may take a moment if it was mid-statement.
    wait = "0" if "://" not in db_url else "30"
    after = subprocess.run([str(SCRIPT), "--db", db_url, "import", "mbox", str(mbox), "--me", ME, "--wait", wait],
                           capture_output=True, text=True, env=_env(), timeout=300)  # fmt: skip
    assert after.returncode == 0, after.stderr
    assert "another import" not in after.stderr
    assert counts(db_url) == (12_000, 300)
    print(f"import after kill -9 took {time.monotonic() - began:.1f} s", file=sys.stderr)
