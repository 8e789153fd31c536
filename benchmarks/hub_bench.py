"""Hub benchmarks on PostgreSQL: an association of 50,000 members in 200 chapters with 100,000 open needs and offers.

    python benchmarks/hub_bench.py [--server URL] [--members N] [--clients 50] [--seconds S] [--think S]
                                   [--route PATH]... [--writes N] [--keep] [--web-only] [--threaded-clients]
                                   [--json FILE]

It creates its own database (`--database`, default givefirst_hub_bench) on the PostgreSQL server `--server`
(default: $GIVEFIRST_HUB_BENCH_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/postgres), fills it with
COPY (`hub_bench_data.py`) and drops it at the end unless `--keep`. Without a reachable PostgreSQL it says so
and exits 0, so `make bench` runs everywhere. Figures:

* `GET /healthz.json` under the same load, for information: the floor every page stands on;
* the full matching pass (`givefirst.hub.services.matching.match_all`): target ≤ 10 minutes;
* `givefirst hub serve --workers 2`, then `--clients` clients (each signed in as a different member, each with
  its own keep-alive connection, asking again as soon as it has an answer, or after `--think` seconds on
  average) load `/board`, `/help` and every `--route` for `--seconds` each: p95 latency, target ≤ 100 ms; the
  note gives the throughput and the CPU a request of the web workers, of the PostgreSQL backends (/proc) and of
  the clients themselves. The clients are `lean_clients` (a selector loop per process, httptools parsing,
  0.05 ms a request): on this 2-core machine they share the server's cores, and the first harness's
  thread-per-client `http.client` clients (`--threaded-clients`, kept to compare) cost 0.19 ms a request, a
  fifth of what the web workers spend. `--writes N` edits an item N times a second during each load (each edit
  empties every member's cached pages); `--web-only` loads the pages again on the database a `--keep` run left;
* each web worker's memory (RSS from /proc) after the load;
* an incremental matching pass for one new need the whole association sees (`match_item`): target ≤ 2 s.

The passes' figures note their CPU time too: on a machine shared with other work it moves far less than the
wall clock.

A figure whose code is not in the tree it runs on (no matching module yet, a route answering 404) is skipped
with a message saying why, rather than reported as a failure.
"""

from __future__ import annotations

import argparse
import http.client
import importlib
import importlib.util
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lean_clients import cpu_since, in_processes, run_clients  # noqa: E402
from run import Figure, report  # noqa: E402

TARGET_P95_S, TARGET_FULL_S, TARGET_ONE_S = 0.100, 600.0, 2.0
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SESSION_COOKIE = "givefirst_hub_session"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the database ----------------------------------------------------------------------------------------------


def server_engine(url: str) -> Any:
    """An AUTOCOMMIT engine on the server's maintenance database, or None when PostgreSQL cannot be reached."""
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return engine
    except Exception as exc:  # no driver, no server, no permission: all mean "skip"
        log(f"hub benchmark skipped: no PostgreSQL at {url.split('@')[-1]} ({type(exc).__name__}: {exc})")
        log("set GIVEFIRST_HUB_BENCH_URL (or --server) to a PostgreSQL server where it may create a database")
        return None


def database_url(server: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server).set(database=name).render_as_string(hide_password=False)


def recreate(admin: Any, name: str) -> None:
    from sqlalchemy import text

    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))


def drop(admin: Any, name: str) -> None:
    from sqlalchemy import text

    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# --- matching ---------------------------------------------------------------------------------------------------


def matching_function(name: str) -> tuple[Callable[..., Any] | None, str]:
    """Return the matching module's `name` function, or None and why it is missing from this tree."""
    try:
        module = importlib.import_module("givefirst.hub.services.matching")
    except ImportError as exc:
        return None, f"skipped: this tree has no givefirst.hub.services.matching ({exc})"
    found = getattr(module, name, None)
    if not callable(found):
        return None, f"skipped: givefirst.hub.services.matching has no {name}() in this tree"
    return found, ""


def full_pass(hub: Any, figures: list[Figure], skipped: list[str]) -> None:
    match_all, why = matching_function("match_all")
    if match_all is None:
        skipped.append(f"full matching pass: {why}")
        return
    log("full matching pass…")
    started, cpu = time.perf_counter(), time.process_time()
    result = match_all(hub)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    note = f"CPU {cpu:.1f} s (this process), load average {os.getloadavg()[0]:.1f} after; report: {result}"
    figures.append(Figure("full matching pass", seconds, "s", TARGET_FULL_S, "≤ 10 min", note=note))


def incremental_pass(hub: Any, size: Any, figures: list[Figure], skipped: list[str]) -> None:
    match_item, why = matching_function("match_item")
    if match_item is None:
        skipped.append(f"incremental matching (one new need): {why}")
        return

    from givefirst.hub.services.demo import index_terms
    from givefirst.hub.store import demo_rows
    from givefirst.hub.store import schema as t
    from hub_bench_data import item_row

    new_id = size.items + 1
    with hub.engine.begin() as conn:
        row = item_row(random.Random(new_id), new_id, 2 * size.chapters + 1, "need", hub.now(), "Tampa")
        # Seen by the whole association: the most counterparts an item can have (~20,000 offers at full size),
        # where a chapter's need meets a few dozen.
        row["visibility"] = "association"
        demo_rows.bulk_insert(conn, t.items, [row])
        index_terms(conn, [(new_id, row["text"], tuple(row["tags"].split(",")), row["location"])])
        demo_rows.reset_sequences(conn)
    started, cpu = time.perf_counter(), time.process_time()
    match_item(hub, new_id)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    note = f"CPU {cpu:.2f} s (this process), load average {os.getloadavg()[0]:.1f} after"
    figures.append(Figure("incremental matching (one new need)", seconds, "s", TARGET_ONE_S, "≤ 2 s", note=note))


# --- the web workers under load ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """`givefirst hub serve --workers N` as a user runs it, waiting until it answers."""
    code = "import sys; from givefirst.cli.app import main; main(sys.argv[1:])"
    cmd = [sys.executable, "-c", code, "hub", "serve", "--port", str(port), "--workers", str(workers)]
    env = {**os.environ, "GIVEFIRST_HUB_DATABASE_URL": url}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the hub did not start: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
        try:
            status, _ = get(port, "/healthz.json", None)
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the hub did not answer within two minutes")


def get(port: int, path: str, cookie: str | None, conn: http.client.HTTPConnection | None = None) -> tuple[int, int]:
    own = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1", "Connection": "keep-alive"}
    if cookie:
        headers["Cookie"] = f"{SESSION_COOKIE}={cookie}"
    own.request("GET", path, headers=headers)
    response = own.getresponse()
    body = response.read()
    if conn is None:
        own.close()
    return response.status, len(body)


def _client_process(port: int, path: str, cookies: list[str], seconds: float, think: float, queue: Any) -> None:
    """The first harness's clients (`--threaded-clients`): a thread and an `http.client` connection each."""
    import resource

    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    used = resource.getrusage(resource.RUSAGE_SELF)

    def client(cookie: str) -> None:
        pause = random.Random(cookie)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        if think:  # started apart too: fifty first requests at once are a tenth of a 10 s run's samples
            time.sleep(pause.uniform(0.0, think))
        mine: list[float] = []
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                status, _ = get(port, path, cookie, conn)
            except (OSError, http.client.HTTPException) as exc:
                failures.append(f"{path}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append(time.perf_counter() - started)
            if status != 200:
                failures.append(f"{path}: HTTP {status}")
            if think:
                # Drawn around the mean, not fixed: clients that all wait exactly `think` stay in step and arrive
                # in bursts of fifty, and the p95 measures the burst (391 ms at --think 1 and 49 requests/s).
                time.sleep(pause.expovariate(1.0 / think))
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(c,)) for c in cookies]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    queue.put((latencies, failures[:5], cpu_since(used)))


def load(
    port: int, path: str, cookies: list[str], seconds: float, think: float, threaded: bool = False
) -> tuple[list[float], list[str], float]:
    """Every latency, the first failures and the clients' own CPU seconds: `lean_clients` (one selector loop per
    process, httptools parsing), or with `threaded` the first harness's thread per client."""
    if not threaded:
        headers = [{"Cookie": f"{SESSION_COOKIE}={c}"} if c else {} for c in cookies]
        return run_clients(port, path, headers, seconds, think)
    return in_processes(_client_process, port, path, cookies, seconds, think)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def worker_pids(master: int) -> list[int]:
    """The uvicorn workers: the master's children that run `spawn_main`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == master and b"spawn_main" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def cpu_seconds(pids: list[int]) -> float:
    """The CPU time (user + system) these processes have used so far; a process gone counts 0."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def backend_pids(hub: Any) -> list[int]:
    """The PostgreSQL server processes serving the benchmark's database (the workers' pooled connections)."""
    from sqlalchemy import text

    with hub.engine.connect() as conn:
        query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        return [int(p) for p in conn.execute(text(query)).scalars()]


class BackendCpu:
    """The CPU the database's server processes use while it runs, sampled every 0.2 s from a thread.

    A worker's pool closes its overflow connections as the load ends, and their processes' CPU with them: each
    process's last sample is kept (one opened and closed between two samples is missed, so this is a floor).
    """

    def __init__(self, hub: Any) -> None:
        self.hub = hub
        self.first = {p: cpu_seconds([p]) for p in backend_pids(hub)}
        self.last: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(0.2):
            for pid in backend_pids(self.hub):
                self.last[pid] = cpu_seconds([pid]) or self.last.get(pid, 0.0)

    def seconds(self) -> float:
        self.stop.set()
        self.thread.join()
        return sum(max(0.0, used - self.first.get(pid, 0.0)) for pid, used in self.last.items())


class Writer:
    """An item edited `rate` times a second while a page is loaded (`--writes`): each edit moves the data version,
    so every member's cached page is built again on their next request, as when members post and edit during a
    chapter meeting."""

    def __init__(self, hub: Any, rate: float) -> None:
        self.hub, self.rate, self.count = hub, rate, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        if rate > 0:
            self.thread.start()

    def _run(self) -> None:
        from sqlalchemy import text

        pick = random.Random(11)
        with self.hub.engine.connect() as conn:
            top = int(conn.execute(text("SELECT max(id) FROM items")).scalar_one())
        while not self.stop.wait(pick.expovariate(self.rate)):
            with self.hub.engine.begin() as conn:
                stamp = self.hub.now()
                conn.execute(
                    text("UPDATE items SET updated_at = :t WHERE id = :i"), {"t": stamp, "i": pick.randint(1, top)}
                )
            self.count += 1

    def finish(self) -> int:
        self.stop.set()
        if self.rate > 0:
            self.thread.join()
        return self.count


def worker_rss_mb(master: int) -> list[float]:
    """The resident memory of each uvicorn worker."""
    found = []
    for pid in worker_pids(master):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        found.append(kb / 1024)
    return found


def web_figures(args: argparse.Namespace, url: str, hub: Any, figures: list[Figure], skipped: list[str]) -> None:

    from sqlalchemy import select

    from givefirst.hub.services import sessions
    from givefirst.hub.store import schema as t

    with hub.engine.connect() as conn:
        ids = list(conn.execute(select(t.members.c.id).where(t.members.c.role == "member")).scalars())
    members = random.Random(7).sample(ids, min(args.clients, len(ids)))
    cookies = [sessions.start(hub, m) for m in members]  # each client is a different member
    port = free_port()
    server = start_server(url, port, args.workers)
    try:
        seconds = min(args.seconds, 3.0)
        workers = worker_pids(server.pid)
        web_cpu = cpu_seconds(workers)
        floor, _, _ = load(port, "/healthz.json", cookies, seconds, args.think, args.threaded_clients)
        web_cpu = cpu_seconds(workers) - web_cpu
        note = (f"{len(floor) / seconds:.0f}/s: what any page costs at least; web workers' CPU "
                f"{1000 * web_cpu / max(1, len(floor)):.2f} ms a request")  # fmt: skip
        figures.append(
            Figure("GET /healthz.json (the floor: guard, session, SELECT 1), p95", p95(floor), "s", note=note)
        )
        for path in ("/board", "/help", *args.route):
            status, _ = get(port, path, cookies[0])
            if status == 404:
                skipped.append(f"GET {path}: skipped: the route answers 404 in this tree (not built yet)")
                continue
            if status != 200:
                figures.append(Figure(f"GET {path}, p95", None, "s", TARGET_P95_S, "≤ 100 ms", note=f"HTTP {status}"))
                continue
            for _ in range(3):  # every worker has seen the route once
                get(port, path, cookies[0])
            log(f"GET {path}: {len(cookies)} clients for {args.seconds:.0f} s…")
            # CPU per request, which a shared machine moves far less than the latency: the web workers' and the
            # PostgreSQL backends'. Two decimals: /proc counts in 10 ms ticks, over 10,000 requests 0.001 ms each.
            workers = worker_pids(server.pid)
            web_cpu, db, writer = cpu_seconds(workers), BackendCpu(hub), Writer(hub, args.writes)
            latencies, failures, client_cpu = load(port, path, cookies, args.seconds, args.think, args.threaded_clients)
            web_cpu, db_cpu, writes = cpu_seconds(workers) - web_cpu, db.seconds(), writer.finish()
            rate = len(latencies) / args.seconds
            served = max(1, len(latencies))
            note = (f"{len(latencies)} requests, {rate:.0f}/s; CPU per request: web workers "
                    f"{1000 * web_cpu / served:.2f} ms, PostgreSQL {1000 * db_cpu / served:.2f} ms, the clients "
                    f"{1000 * client_cpu / served:.2f} ms; load average "
                    f"{os.getloadavg()[0]:.1f} after" + (f"; {writes} items edited meanwhile" if args.writes else "")
                    + (f"; failures: {failures}" if failures else ""))  # fmt: skip
            measured = p95(latencies) if latencies and not failures else None
            figures.append(Figure(f"GET {path}, p95", measured, "s", TARGET_P95_S, "≤ 100 ms", note=note))
        for n, mb in enumerate(worker_rss_mb(server.pid), 1):
            figures.append(Figure(f"web worker {n} memory (RSS)", mb, "MB", note="after the load"))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


# --- the run -------------------------------------------------------------------------------------------------------


def run(args: argparse.Namespace, url: str) -> tuple[list[Figure], list[str], dict[str, int]]:
    from givefirst.hub.services.context import connect
    from hub_bench_data import Size, build

    size = Size.for_members(args.members)
    hub = connect(url)
    figures: list[Figure] = []
    skipped: list[str] = []
    try:
        if args.web_only:  # the association a --keep run left, its pairs already stored
            counts = existing_counts(hub)
            web_figures(args, url, hub, figures, skipped)
            return figures, skipped, counts
        log(f"building {size.members:,} members in {size.chapters:,} chapters, {size.items:,} open needs and offers…")
        started = time.perf_counter()
        counts = build(hub, size)
        figures.append(Figure("building the association (COPY)", time.perf_counter() - started, "s"))
        full_pass(hub, figures, skipped)
        web_figures(args, url, hub, figures, skipped)
        incremental_pass(hub, size, figures, skipped)
    finally:
        hub.engine.dispose()
    return figures, skipped, counts


def existing_counts(hub: Any) -> dict[str, int]:
    from sqlalchemy import func, select

    from givefirst.hub.store import schema as t

    with hub.engine.connect() as conn:
        return {name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for name, table in (("chapters", t.chapters), ("members", t.members), ("items", t.items))}  # fmt: skip


def server_stack() -> str:
    """What uvicorn's `auto` picks in this interpreter (the server's): the compiled parser and loop, or h11 and asyncio.

    Without them uvicorn parses HTTP in pure Python, 13-15 % of a cached page's web CPU: figures taken with and
    without them are not comparable, so the heading says which.
    """
    parser = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"{parser} + {loop}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    server = os.environ.get("GIVEFIRST_HUB_BENCH_URL", DEFAULT_SERVER)
    parser.add_argument("--server", default=server, help="a PostgreSQL server where it may create a database")
    parser.add_argument("--database", default="givefirst_hub_bench", help="the database it creates (and drops)")
    parser.add_argument("--members", type=int, default=50_000, help="members (chapters: /250; needs and offers: ×2)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients, each a different member")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long each route is loaded")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds each client waits between requests (exponential)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=2, help="web worker processes")
    parser.add_argument(
        "--writes", type=float, default=0.0, help="items edited a second during each load (each empties the page cache)"
    )
    parser.add_argument(
        "--threaded-clients", action="store_true", help="load with the first harness's clients, to compare them"
    )
    parser.add_argument("--route", action="append", default=[], help="another route to load (repeat)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (to explore it)")
    parser.add_argument(
        "--web-only", action="store_true", help="only load the pages, on the database a --keep run left (kept)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the results as JSON")
    args = parser.parse_args(argv)
    admin = server_engine(args.server)
    if admin is None:
        return 0
    started, load = datetime.now(), os.getloadavg()  # other work on the machine shows in every latency
    url = database_url(args.server, args.database)
    if not args.web_only:
        recreate(admin, args.database)
    try:
        figures, skipped, counts = run(args, url)
    finally:
        if not args.keep and not args.web_only:
            drop(admin, args.database)
        admin.dispose()
    heading = (
        f"givefirst hub benchmarks, {started:%Y-%m-%d %H:%M}, {counts['members']:,} members in "
        f"{counts['chapters']:,} chapters, {counts['items']:,} open needs and offers, {args.workers} web workers, "
        f"{args.clients} clients, {os.cpu_count()} CPUs (load average {load[0]:.1f} at the start), "
        f"uvicorn on {server_stack()}"
    )
    report(heading, figures, started, args.json)
    for line in skipped:
        print(f"\nSKIPPED {line}")
    if args.json:
        payload = json.loads(args.json.read_text())
        payload.update(skipped=skipped, size=counts)
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return 0 if all(f.measured is not None for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
