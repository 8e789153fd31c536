"""benchmarks/hub_bench.py: skips cleanly without PostgreSQL, and runs end to end on a small association with it."""

from __future__ import annotations

import json
import re
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


class _Answers(BaseHTTPRequestHandler):
    """Keep-alive HTTP/1.1 answers for the load clients: a sized body, a chunked one, a 404."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"0\r\n\r\n looks like an end", b"but is not"):  # a body holding the end marker's bytes
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
            return
        body = b"hello" * 1000
        self.send_response(200 if self.path == "/sized" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_the_lean_clients_count_every_whole_answer_and_report_failures() -> None:
    from lean_clients import run_clients

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        for path in ("/sized", "/chunked"):
            latencies, failures, cpu = run_clients(port, path, [{"Cookie": f"c={n}"} for n in range(3)], 0.5)
            assert failures == [] and len(latencies) > 10, (path, failures)
            assert all(0 < x < 5 for x in latencies) and cpu > 0
        latencies, failures, _ = run_clients(port, "/missing", [{}], 0.3)
        assert latencies and failures and all(f == "/missing: HTTP 404" for f in failures)
        paused, _, _ = run_clients(port, "/sized", [{}], 0.5, think=0.1)  # about 5 requests, not hundreds
        assert 1 <= len(paused) <= 15
    finally:
        server.shutdown()
        server.server_close()
