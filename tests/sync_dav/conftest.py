"""Fixtures of the live-source tests: the servers of `servers.py`, started here; a test that needs one is skipped
when it cannot start (Radicale not installed, or no free port)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync_dav.servers import FeedServer, Radicale


def start_radicale(folder: Path) -> Radicale:
    if importlib.util.find_spec("radicale") is None:
        pytest.skip("Radicale is not installed (pip install radicale)")
    try:
        return Radicale(folder)
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"Radicale cannot start here: {exc}")


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    """One Radicale for the session; each test makes its own collections in it."""
    server = start_radicale(tmp_path_factory.mktemp("radicale"))
    yield server
    server.stop()
    server.http.close()


@pytest.fixture
def own_radicale(tmp_path: Path) -> Iterator[Radicale]:
    """A Radicale of the test's own, which the test may stop."""
    server = start_radicale(tmp_path)
    yield server
    server.stop()
    server.http.close()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.stop()
