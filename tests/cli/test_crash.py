"""An import killed with SIGKILL in the middle leaves the database consistent; a rerun finishes without duplicates."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.test_entry_point import SCRIPT

pytestmark = pytest.mark.skipif(SCRIPT is None or os.name != "posix", reason="needs the installed script and SIGKILL")
ME = "me@crash.example"


def write_mbox(path: Path, messages: int, correspondents: int) -> None:
    """Mail both ways with every correspondent, so every message becomes an interaction."""
    with path.open("w", encoding="ascii") as out:
        for i in range(messages):
            n = i % correspondents
            other = f"person{n}@corp{n % 7}.example"
            sender, recipient = (ME, other) if (i // correspondents) % 2 == 0 else (other, ME)
            out.write(
                f"From {sender} Mon Jan  1 12:00:00 2024\nFrom: <{sender}>\nTo: <{recipient}>\n"
                f"Subject: note {i}\nDate: Mon, 1 Jan 2024 {i % 24:02d}:{i % 60:02d}:00 +0000\n"
                f"Message-ID: <crash-{i}@crash.example>\n\nbody {i}\n\n"
            )


def run(db: Path, mbox: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIVEFIRST_")}
    return subprocess.Popen([str(SCRIPT), "--db", str(db), "import", "mbox", str(mbox), "--me", ME],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # fmt: skip


def counts(db: Path) -> tuple[str, int, int]:
    with sqlite3.connect(db) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        interactions = conn.execute("SELECT count(*) FROM interactions").fetchone()[0]
        people = conn.execute("SELECT count(*) FROM people WHERE is_me = 0").fetchone()[0]
    return check, interactions, people


def test_kill_nine_in_the_middle_then_rerun(tmp_path: Path) -> None:
    mbox, db = tmp_path / "mail.mbox", tmp_path / "g.db"
    write_mbox(mbox, messages=30_000, correspondents=400)
    assert subprocess.run([str(SCRIPT), "--db", str(db), "people"], capture_output=True).returncode == 0
    process = run(db, mbox)
    wal = Path(f"{db}-wal")
    deadline = time.monotonic() + 60
    # Wait until the import is writing (its transaction has reached the write-ahead log), then kill it.
    while process.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 256 * 1024:
            break
        time.sleep(0.01)
    killed = process.poll() is None
    if killed:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    check, interactions, people = counts(db)
    assert check == "ok"
    if killed:
        assert (interactions, people) == (0, 0), "a killed import must leave nothing half-written"
    else:  # a machine fast enough to finish first still proves the rest
        print("the import finished before it could be killed", file=sys.stderr)
    assert run(db, mbox).wait() == 0
    assert counts(db) == ("ok", 30_000, 400)
    assert run(db, mbox).wait() == 0  # and once more: nothing twice
    assert counts(db) == ("ok", 30_000, 400)
