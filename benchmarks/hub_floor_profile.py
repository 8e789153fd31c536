"""CPU a request of the hub's web app, in-process (no HTTP server, no clients): the floor every page stands on.

    python benchmarks/hub_floor_profile.py DATABASE_URL [--path /board] [--requests 2000] [--profile N]

Opens the hub at DATABASE_URL (a database `hub_bench.py --keep` left, say), signs in a few members (new session
rows, which do not move the data version), then calls the ASGI app directly, one request after another, round
robin over the members, and prints the process's CPU (user + system, every thread: the thread pool's too) per
request after a warm-up. `--profile N` runs the same requests under cProfile and prints the N costliest functions
by their own time and by cumulative time. What it leaves out: uvicorn's HTTP parsing and writing.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import threading
import time
from typing import Any


def request_scope(path: str, secret: str) -> dict[str, Any]:
    raw, _, query = path.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": raw,
        "raw_path": raw.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"cookie", f"givefirst_hub_session={secret}".encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def one(app: Any, path: str, secret: str) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(request_scope(path, secret), receive, send)
    return status


async def run(app: Any, path: str, secrets: list[str], n: int) -> None:
    for i in range(n):
        status = await one(app, path, secrets[i % len(secrets)])
        if status != 200:
            raise SystemExit(f"{path} answered {status}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the hub's database (PostgreSQL URL)")
    parser.add_argument("--path", default="/board", help="the page to ask for")
    parser.add_argument("--requests", type=int, default=2000, help="requests to time (after as many to warm up)")
    parser.add_argument("--members", type=int, default=10, help="members asking, round robin")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="also print the N costliest functions")
    args = parser.parse_args(argv)

    from sqlalchemy import select

    from givefirst.hub.services import sessions
    from givefirst.hub.services.context import connect
    from givefirst.hub.store.schema import members
    from givefirst.hub.web.app import create_hub_app

    hub = connect(args.url)
    with hub.engine.connect() as conn:
        live = select(members.c.id).where(members.c.deleted_at.is_(None)).order_by(members.c.id).limit(args.members)
        ids = list(conn.execute(live).scalars())
    secrets = [sessions.start(hub, member_id) for member_id in ids]
    app = create_hub_app(hub)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(run(app, args.path, secrets, max(args.requests // 4, 200)))  # warm up: caches, pool
    started, cpu = time.perf_counter(), time.process_time()
    loop.run_until_complete(run(app, args.path, secrets, args.requests))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{args.path}: {1000 * cpu / args.requests:.3f} ms CPU, {1000 * wall / args.requests:.3f} ms wall a request")
    if args.profile:
        # cProfile sees one thread: every thread that starts from here on (the new loop's thread pool, where the
        # sync routes and the guard's look-up run) gets its own profiler, and the stats are added up.
        profilers: list[cProfile.Profile] = []

        def start_profiler(*_: object) -> None:
            profiler = cProfile.Profile(time.thread_time_ns, 1e-9)  # CPU, not waiting
            profilers.append(profiler)
            profiler.enable()

        threading.setprofile(start_profiler)
        profile_loop = asyncio.new_event_loop()  # a new loop: new pool threads, which start profiled
        start_profiler()
        profile_loop.run_until_complete(run(app, args.path, secrets, args.requests))
        threading.setprofile(None)  # type: ignore[arg-type]
        profilers[0].disable()
        profile_loop.close()
        stats = pstats.Stats(*profilers, stream=sys.stdout)
        print(f"profiled threads: {len(profilers)}")
        stats.sort_stats("tottime").print_stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.profile)
    for secret in secrets:
        sessions.end(hub, secret)
    loop.close()
    hub.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
