"""`givefirst hub demo` through the installed console script, as a visitor runs it: build, print, serve."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SCRIPT = shutil.which("givefirst", path=str(Path(sys.executable).parent)) or shutil.which("givefirst")

pytestmark = pytest.mark.skipif(SCRIPT is None, reason="the givefirst script is not installed")


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIVEFIRST_")}
    env.update(XDG_DATA_HOME=str(tmp / "data"), XDG_CONFIG_HOME=str(tmp / "config"))
    return env


def run(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), "hub", "demo", *args], capture_output=True, text=True, env=_env(tmp), timeout=300, check=False
    )


def test_demo_builds_in_the_data_folder_and_prints_logins(tmp_path: Path) -> None:
    result = run("--no-serve", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "givefirst" / "hub-demo.db").exists()
    out = result.stdout
    assert "Association of Procurement Professionals" in out and "3 chapters, 300 members" in out
    assert "jordan.reyes@aop-demo.example" in out and "demo-password-jordan.reyes" in out
    assert "matching: " in out  # run, or the reason it was not (a tree without the matching pass)
    again = run("--no-serve", tmp=tmp_path)  # an earlier demo is rebuilt, not refused
    assert again.returncode == 0, again.stderr


def test_demo_json_on_the_database_given(db_url: str, tmp_path: Path) -> None:
    result = run("--no-serve", "--json", "--no-match", "--db", db_url, tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["database"] == db_url and report["matching"] == "skipped"
    assert report["counts"]["chapters"] == 3 and report["counts"]["members"] == 300
    assert report["counts"]["events"] == 6 and report["counts"]["introductions"] > 10
    mover = next(x for x in report["logins"] if x["name"] == "Jordan Reyes")
    assert mover["password"] == "demo-password-jordan.reyes"
    assert not (tmp_path / "data" / "givefirst" / "hub-demo.db").exists()


def test_demo_refuses_a_personal_database_in_one_line(tmp_path: Path) -> None:
    personal = tmp_path / "mine.db"
    init = subprocess.run(
        [str(SCRIPT), "--db", str(personal), "init", "--name", "Jordan Reyes"],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=120,
        check=False,
    )
    assert init.returncode == 0, init.stderr
    result = run("--no-serve", "--db", str(personal), tmp=tmp_path)
    assert result.returncode != 0
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert "personal givefirst database" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_serves_the_hub_it_built(tmp_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [str(SCRIPT), "hub", "demo", "--no-match", "--port", str(port), "--db", str(tmp_path / "served.db")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(tmp_path),
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else "the server stopped"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz.json", timeout=5) as response:
                    assert json.load(response) == {"status": "ok"}
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=5) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
