"""The installed `givefirst` console script itself, as a user runs it."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = shutil.which("givefirst", path=str(Path(sys.executable).parent)) or shutil.which("givefirst")

pytestmark = pytest.mark.skipif(SCRIPT is None, reason="the givefirst script is not installed")


def run(*args: str, env_extra: dict[str, str] | None = None, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIVEFIRST_")}
    env.update(XDG_DATA_HOME=str(tmp / "data"), XDG_CONFIG_HOME=str(tmp / "config"), **(env_extra or {}))
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_help_teaches_the_commands(tmp_path: Path) -> None:
    result = run("--help", tmp=tmp_path)
    assert result.returncode == 0
    for command in ("today", "add", "log", "gave", "ask", "need", "offer", "show", "people", "stats", "demo"):
        assert command in result.stdout
    for group in ("intro", "goal", "event", "export"):  # built only when used, listed all the same
        assert f"  {group} " in result.stdout
    sub = run("intro", "--help", tmp=tmp_path)
    assert sub.returncode == 0 and "double opt-in" in sub.stdout and "introduced" in sub.stdout


def test_top_level_help_builds_no_group(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import typer.main

    from givefirst.cli import app

    built: list[str] = []
    real = typer.main.get_group_from_info

    def spy(info: object, **kwargs: object) -> object:
        name = getattr(info, "name", None)
        built.append(name if isinstance(name, str) else "")  # the root group's name is a placeholder
        return real(info, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(typer.main, "get_group_from_info", spy)
    with pytest.raises(SystemExit):
        app.main(["--help"])
    assert [name for name in built if name] == []  # the root group has no name
    with pytest.raises(SystemExit):
        app.main(["goal", "--help"])
    assert "goal" in built and "Usage: givefirst goal" in capsys.readouterr().out


def test_default_database_lives_in_the_data_folder(tmp_path: Path) -> None:
    result = run("init", "--name", "Jordan Reyes", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "givefirst" / "givefirst.db").exists()


def test_environment_chooses_the_database_and_the_day(tmp_path: Path) -> None:
    db = tmp_path / "mine.db"
    env = {"GIVEFIRST_DB": str(db), "GIVEFIRST_TODAY": "2026-03-01"}
    assert run("add", "Ana Ruiz", env_extra=env, tmp=tmp_path).returncode == 0
    assert run("log", "Ana Ruiz", "--kind", "call", env_extra=env, tmp=tmp_path).returncode == 0
    shown = run("show", "Ana Ruiz", "--json", env_extra=env, tmp=tmp_path)
    assert '"at": "2026-03-01T12:00:00"' in shown.stdout
    assert db.exists()


def test_an_error_is_one_line_with_a_non_zero_status(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "nowhere" / "x.db"), "people", tmp=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr


def test_the_script_imports_without_the_collector_and_leaves_it_on_with_the_imports_frozen() -> None:
    """`givefirst.cli.entry.run`: the CLI's imports are frozen in the collector's permanent generation, and the
    collector is on again when the command runs (a long import or first pass still collects its garbage)."""
    code = (
        "import gc, sys\n"
        "import givefirst.cli.app as app\n"
        "seen = []\n"
        "app.main = lambda: seen.append((gc.isenabled(), gc.get_freeze_count()))\n"
        "from givefirst.cli.entry import run\n"
        "run()\n"
        "print(seen)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    enabled, frozen = ast.literal_eval(result.stdout.strip())[0]
    assert enabled is True
    assert frozen > 10_000  # the imports: SQLAlchemy, Typer, Rich and the CLI's own modules


def test_a_long_read_runs_without_the_collector_and_freezes_its_objects_only_in_the_script() -> None:
    """`cli.base.lasting_objects`: the collector is off inside; afterwards it is as it was. Its objects go to the
    permanent generation only in the `givefirst` process, which ends with the command: a test run or a Python
    caller that lives on keeps collecting them."""
    import gc

    from givefirst.cli.base import lasting_objects

    before = gc.get_freeze_count()
    with lasting_objects():
        assert not gc.isenabled()
        kept = [[i] for i in range(10_000)]
    assert gc.isenabled() and gc.get_freeze_count() == before and len(kept) == 10_000
    gc.disable()
    try:
        with lasting_objects():
            pass
        assert not gc.isenabled()  # (off before: left off)
    finally:
        gc.enable()
    code = (
        "import gc\n"
        "from givefirst.cli.base import lasting_objects, one_command_process\n"
        "one_command_process()\n"
        "before = gc.get_freeze_count()\n"
        "with lasting_objects():\n"
        "    kept = [[i] for i in range(10_000)]\n"
        "print((gc.isenabled(), gc.get_freeze_count() - before))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    enabled, frozen = ast.literal_eval(result.stdout.strip())
    assert enabled is True
    assert frozen >= 10_000  # the lists the read made
