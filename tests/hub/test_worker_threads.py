"""A hub worker works on at most `threads` requests at once (`hub serve --threads`, GIVEFIRST_HUB_THREADS): the
rest wait their turn instead of crowding two cores with runnable threads and PostgreSQL backends."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient

from givefirst.hub.services.context import Hub
from givefirst.hub.web.app import DEFAULT_THREADS, create_hub_app
from tests.hub.processes import SRC


def _busiest(hub: Hub, threads: int | None, requests: int) -> int:
    """The most requests of a slow sync route the app worked on at once, `requests` of them sent together."""
    app = create_hub_app(hub) if threads is None else create_hub_app(hub, threads=threads)
    lock, running, most = threading.Lock(), [0], [0]

    @app.get("/slow-for-the-test")
    def slow() -> dict[str, int]:  # a sync route: run in the worker's thread pool, as every page is
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return {}

    with TestClient(app, base_url="http://127.0.0.1") as client, ThreadPoolExecutor(requests) as pool:
        answers = list(pool.map(lambda _: client.get("/slow-for-the-test").status_code, range(requests)))
    assert answers == [200] * requests
    return most[0]


def test_a_worker_works_on_its_threads_requests_at_once_and_no_more(hub: Hub) -> None:
    assert _busiest(hub, 2, 12) == 2
    assert _busiest(hub, None, 12) == DEFAULT_THREADS == 4


def _import_asgi(threads: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "GIVEFIRST_HUB_DATABASE_URL": str(tmp_path / "hub.db"),
        "GIVEFIRST_HUB_THREADS": threads,
    }
    code = "import givefirst.hub.web.asgi as a; print(a.app.title)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def test_the_asgi_module_refuses_a_thread_count_that_is_not_a_whole_number(tmp_path: Path) -> None:
    for wrong in ("many", "0", "-2", "1.5"):
        done = _import_asgi(wrong, tmp_path)
        assert done.returncode == 1, done.stdout
        assert f"GIVEFIRST_HUB_THREADS must be a whole number of at least 1, not '{wrong}'" in done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "hub.db").exists()  # refused before the database is opened
    good = _import_asgi("3", tmp_path)
    assert good.returncode == 0 and good.stdout.strip() == "givefirst hub", good.stderr


def test_hub_serve_refuses_zero_threads_through_its_entry_point(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    cmd = [
        sys.executable,
        "-m",
        "givefirst.cli.app",
        "hub",
        "serve",
        "--db",
        str(tmp_path / "hub.db"),
        "--threads",
        "0",
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "Invalid value for '--threads'" in done.stderr and "greater than or equal to 1" in done.stderr
    assert not (tmp_path / "hub.db").exists()
