"""`stats --plot` needs matplotlib, an optional extra: without it, one line that says how to get it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.cli.test_errors import one_line_error
from tests.cli.test_user_story import ok
from tests.conftest import Cli


def test_plot_without_matplotlib_says_how_to_install_it(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ok(cli("init", "--name", "Jordan Reyes"))
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # what an install without the extra looks like
    error = one_line_error(cli("stats", "--plot", str(tmp_path / "health.png")))
    assert "pip install 'givefirst[plot]'" in error
    assert not (tmp_path / "health.png").exists()
    assert "Your network on" in ok(cli("stats")).out  # the rest of stats needs no plotting library
