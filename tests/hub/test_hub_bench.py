"""benchmarks/hub_bench.py: skips cleanly without PostgreSQL, and runs end to end on a small association with it."""

from __future__ import annotations

import json
import re
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def test_without_postgresql_it_says_so_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    import hub_bench

    assert hub_bench.main(["--server", "postgresql+psycopg://postgres@127.0.0.1:1/postgres"]) == 0
    err = capsys.readouterr().err
    assert "hub benchmark skipped: no PostgreSQL at 127.0.0.1:1/postgres" in err
    assert "GIVEFIRST_HUB_BENCH_URL" in err


@pytest.mark.skipif(PG_URL is None, reason="set GIVEFIRST_TEST_DATABASE_URL to run it on PostgreSQL")
def test_a_small_run_builds_loads_and_drops_its_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import hub_bench

    assert PG_URL is not None
    name = f"givefirst_hub_bench_{uuid.uuid4().hex[:8]}"
    out = tmp_path / "hub.json"
    args = ["--server", PG_URL, "--database", name, "--members", "300", "--clients", "4", "--seconds", "1"]
    status = hub_bench.main([*args, "--route", "/openapi.json", "--json", str(out)])
    printed = capsys.readouterr().out
    assert status == 0, printed
    result = json.loads(out.read_text())
    assert result["size"] == {"chapters": 3, "members": 300, "items": 600}
    figures = {f["figure"]: f for f in result["figures"]}
    assert figures["GET /openapi.json, p95"]["measured"] > 0
    cpu = re.search(
        r"CPU per request: web workers ([0-9.]+) ms, PostgreSQL ([0-9.]+) ms", figures["GET /openapi.json, p95"]["note"]
    )
    assert cpu is not None and float(cpu[1]) > 0  # the web workers' CPU, read from /proc, moved under the load
    assert figures["GET /healthz.json (the floor: guard, session, SELECT 1), p95"]["measured"] > 0
    workers = [f for name_, f in figures.items() if name_.startswith("web worker")]
    assert len(workers) == 2 and all(20 < f["measured"] < 2000 for f in workers)
    for route in ("/board", "/help"):  # measured once the routes exist, skipped with a reason until then
        assert f"GET {route}, p95" in figures or any(f"GET {route}: skipped" in s for s in result["skipped"])
    assert "full matching pass" in figures or any("full matching pass: skipped" in s for s in result["skipped"])
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None
    admin.dispose()
