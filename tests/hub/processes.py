"""Real `givefirst hub …` processes for tests (started through `python -m givefirst.cli.app`), and fresh
PostgreSQL databases of their own (the per-test schema of `db_url` is not enough for `pg_dump` or for processes
that must find the hub's tables without a search_path in their URL)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import pytest

import givefirst
from tests.conftest import PG_URL
from tests.web.server import free_port

SRC = Path(givefirst.__file__).resolve().parents[1]


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """Create an empty database with a unique name on the test PostgreSQL server; yield its URL; drop it."""
    if not PG_URL:
        pytest.skip("set GIVEFIRST_TEST_DATABASE_URL to run the hub's PostgreSQL process tests")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def cli_process(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    """`python -m givefirst.cli.app ARGS…`, as an operator starts it; stderr and stdout go to `log`."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "givefirst.cli.app", *args], env=env, stdout=out, stderr=subprocess.STDOUT
        )


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process started here: SIGTERM, then SIGKILL if it has not gone within 15 seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@contextmanager
def hub_serve(db: str, log: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`givefirst hub serve` on a free loopback port; yield its base URL and process once it answers; stop it."""
    port = free_port()
    proc = cli_process(["hub", "serve", "--db", db, "--port", str(port), *options], log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(base), 90, f"`hub serve` on port {port}", proc, log)
        yield base, proc
    finally:
        stop(proc)


def _answers(base: str) -> bool:
    with suppress(httpx.HTTPError):
        return httpx.get(f"{base}/healthz.json", timeout=5).status_code == 200
    return False


def wait_until(
    check: object, seconds: float, what: str, proc: subprocess.Popen[bytes] | None = None, log: Path | None = None
) -> None:
    """Poll `check()` until it is true; fail naming `what` (with the process's output) if it never is."""
    assert callable(check)
    deadline = time.monotonic() + seconds
    while not check():
        if proc is not None and proc.poll() is not None:
            output = log.read_text(errors="replace")[-3000:] if log is not None else ""
            pytest.fail(f"{what} exited with {proc.returncode}:\n{output}")
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not so within {seconds:.0f} s")
        time.sleep(0.2)
