"""SQLite from the server and the CLI at once: logging from the CLI while the server works never hits a lock."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from givefirst.config import Settings
from givefirst.services.context import open_app
from tests.conftest import NOW
from tests.web.conftest import CSRF, seed
from tests.web.server import running_server

ROOT = Path(__file__).resolve().parents[2]
RUN_CLI = "from givefirst.cli.app import main; main()"


def test_cli_logging_while_the_server_reads_and_writes(tmp_path: Path) -> None:
    database = str(tmp_path / "shared.db")
    app = open_app(Settings(database=database, today=NOW.date()), now=NOW)
    people = seed(app)
    app.close()
    failures: list[str] = []
    stop = threading.Event()

    with running_server(Settings(database=database, today=NOW.date()), now=NOW) as base:

        def browse_and_log(n: int) -> None:
            with httpx.Client(base_url=base, timeout=30) as client:
                token = CSRF.search(client.get("/today").text)
                assert token is not None
                i = 0
                while not stop.is_set() or i < 5:
                    i += 1
                    for path in ("/today.json", f"/people/{people.ana}.json", "/people.json?sort=due"):
                        r = client.get(path)
                        if r.status_code != 200:
                            failures.append(f"GET {path}: {r.status_code} {r.text[:200]}")
                    r = client.post(f"/people/{people.ben}/log.json", json={"summary": f"web {n}.{i}"},
                                    headers={"X-CSRF-Token": token.group(1)})  # fmt: skip
                    if r.status_code != 200:
                        failures.append(f"POST log: {r.status_code} {r.text[:200]}")

        workers = [threading.Thread(target=browse_and_log, args=(n,)) for n in range(4)]
        for w in workers:
            w.start()
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "GIVEFIRST_CONFIG": ""}
        try:
            for n in range(6):
                done = subprocess.run(
                    [sys.executable, "-c", RUN_CLI, "--db", database, "--today", NOW.date().isoformat(),
                     "log", str(people.cy), "--kind", "call", "-m", f"cli {n}"],
                    capture_output=True, text=True, env=env, timeout=120, check=False,
                )  # fmt: skip
                if done.returncode != 0:
                    failures.append(f"CLI log: {done.returncode} {done.stderr.strip()}")
        finally:
            stop.set()
            for w in workers:
                w.join(120)
        with httpx.Client(base_url=base) as client:
            timeline = client.get(f"/people/{people.cy}.json").json()["timeline"]
    assert not failures, failures[:5]
    assert sum(1 for t in timeline if t["summary"].startswith("cli ")) == 6  # the server sees the CLI's writes
