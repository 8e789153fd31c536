"""The sync tests' fixture: a real Dovecot (tests/sync/dovecot.py) started for each test that asks for it.

Where Dovecot is missing or cannot start here, the tests that need it skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.dovecot import DOVECOT, PASSWORD, Dovecot


@pytest.fixture
def dovecot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Dovecot]:
    """A running Dovecot with an empty account (INBOX, "Sent Messages" flagged \\Sent, Archive flagged \\Archive)."""
    if DOVECOT is None:
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    root = Path(f"/tmp/gf-dovecot-{os.getpid()}-{tmp_path.name[-20:]}")  # short: Dovecot's socket paths are short
    shutil.rmtree(root, ignore_errors=True)
    server = Dovecot(root)
    try:
        server.start()
    except (RuntimeError, OSError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"Dovecot cannot start here: {exc}")
    monkeypatch.setenv("GIVEFIRST_TEST_IMAP_PASSWORD", PASSWORD)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
