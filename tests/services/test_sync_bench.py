"""benchmarks/sync_bench.py on a machine without Dovecot: the IMAP figures are NOT RUN, not a crash, so that
`make bench` goes on to the benchmarks after it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))


def test_a_missing_server_is_not_run_rather_than_crashed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sync_bench
    from run import Figure, NotInstalled
    from tests.sync import dovecot

    monkeypatch.setattr(dovecot, "DOVECOT", None)
    with pytest.raises(NotInstalled, match="Dovecot is not installed"):
        sync_bench.imap_figures(tmp_path / "none.mbox", {}, 1, tmp_path, {}, "givefirst")
    assert Figure("IMAP first sync", None, "s", not_run=True).verdict == "NOT RUN"
    assert Figure("IMAP first sync", None, "s").verdict == "CRASHED"
    assert Figure("a sync", 0.5, "s", 1.0).verdict == "ok"
