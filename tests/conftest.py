"""Shared fixtures: a real database per test — an SQLite file always, PostgreSQL too when configured.

Set GIVEFIRST_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run every
database test on PostgreSQL as well; each test then gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

import pytest
from hypothesis import settings

from givefirst.config import Settings
from givefirst.services.context import App, open_app

PG_URL = os.environ.get("GIVEFIRST_TEST_DATABASE_URL")
NOW = datetime(2026, 11, 25, 12, 0)
SHARED = Path(__file__).resolve().parents[2] / "shared"

# Time is measured by the benchmarks, not by tests: with the suite spread over every core a Hypothesis example can
# wait for a core, and its 200 ms deadline would then fail a correct property.
settings.register_profile("givefirst", deadline=None)
settings.load_profile("givefirst")

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)] if PG_URL else ["sqlite"]


def _pg_schema_url(schema: str) -> str:
    assert PG_URL is not None
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: an SQLite file path, or a URL to a private PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "givefirst.db")
        return
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)  # type: ignore[arg-type]
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def app(db_url: str) -> Iterator[App]:
    """An App on a fresh database with the clock fixed at NOW."""
    application = open_app(Settings(database=db_url, today=NOW.date()), now=NOW)
    yield application
    application.close()


@pytest.fixture
def other_app(app: App, tmp_path: Path) -> Iterator[App]:
    """A second fresh database on the same backend as `app`, to restore into."""
    if app.engine.dialect.name == "sqlite":
        fresh = open_app(Settings(database=str(tmp_path / "restored.db"), today=NOW.date()), now=NOW)
        yield fresh
        fresh.close()
        return
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)  # type: ignore[arg-type]
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    fresh = open_app(Settings(database=_pg_schema_url(schema), today=NOW.date()), now=NOW)
    try:
        yield fresh
    finally:
        fresh.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@dataclass
class Result:
    code: int
    out: str
    err: str


class Cli(Protocol):
    """Runs `givefirst` with these arguments against the test database; returns exit code and output."""

    def __call__(self, *args: str, today: date = ..., db: str | None = None) -> Result: ...


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Cli:
    """Run the real `givefirst` entry point against the test database, with today fixed at NOW's date."""
    from givefirst.cli.app import main

    monkeypatch.setenv("GIVEFIRST_CONFIG", "")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("GIVEFIRST_DB", raising=False)
    monkeypatch.delenv("GIVEFIRST_TODAY", raising=False)

    def run(*args: str, today: date = NOW.date(), db: str | None = None) -> Result:
        capsys.readouterr()
        argv = ["--db", db or db_url, "--today", today.isoformat(), *args]
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


CHROMIUM = Path("/usr/bin/chromium")  # Debian's; `.ci/run` installs it


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium for a module of browser tests; skipped where Playwright or Chromium is missing."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()
