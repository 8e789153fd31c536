"""Closed-loop HTTP clients that cost the machine little, for benchmarks whose server shares the clients' cores.

    latencies, failures, cpu = run_clients(port, path, headers_per_client, seconds, think)

Each client holds one keep-alive connection and asks `GET path` again as soon as its answer is complete (or after
an exponential pause of mean `think` seconds). The clients of one process share one `selectors` loop and parse
answers with httptools (the C parser uvicorn itself uses), so a request costs the client side tens of
microseconds, where a thread per client with `http.client` cost several hundred (its headers go through the
email package) — on a 2-core machine, CPU taken from the server it measures.

A latency runs from the moment the request is written to the moment its last byte is parsed. `cpu` is the user +
system time the client processes used, so that a report can say what the load itself cost.
"""

from __future__ import annotations

import heapq
import multiprocessing
import random
import resource
import selectors
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httptools

PROCESSES = 2  # one loop per core: a single loop at ~2,000 answers a second is near a core's share


@dataclass
class _Client:
    sock: socket.socket
    request: bytes
    pause: random.Random
    parser: Any = None
    status: int = 0
    done: bool = False
    sent_at: float = 0.0
    latencies: list[float] = field(default_factory=list)

    # httptools' callbacks
    def on_message_complete(self) -> None:
        self.done = True


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setblocking(False)
    return sock


def _request(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _send(client: _Client) -> None:
    client.parser = httptools.HttpResponseParser(client)
    client.done = False
    client.sent_at = time.perf_counter()
    client.sock.sendall(client.request)  # a few hundred bytes: the socket's buffer takes them at once


def _process(port: int, path: str, headers: list[dict[str, str]], seconds: float, think: float, queue: Any) -> None:
    """One process's share of the clients, in one loop; puts (latencies, failures, cpu seconds) on `queue`."""
    selector = selectors.DefaultSelector()
    failures: list[str] = []
    timers: list[tuple[float, int, _Client]] = []  # (when, tie-breaker, client): the pauses between requests
    stop_at = time.perf_counter() + seconds
    clients = []
    for n, extra in enumerate(headers):
        client = _Client(_connect(port), _request(path, extra), random.Random(n))
        clients.append(client)
        selector.register(client.sock, selectors.EVENT_READ, client)
        # Started apart when they pause: fifty first requests at once are a tenth of a short run's samples.
        heapq.heappush(timers, (time.perf_counter() + (client.pause.uniform(0, think) if think else 0.0), n, client))
    used = resource.getrusage(resource.RUSAGE_SELF)
    while True:
        now = time.perf_counter()
        while timers and timers[0][0] <= now:
            _, _, client = heapq.heappop(timers)
            if now < stop_at:
                _send(client)
        if now >= stop_at and not timers and all(c.parser is None for c in clients):
            break
        wait = max(0.0, timers[0][0] - now) if timers else 1.0
        for key, _ in selector.select(wait):
            client = key.data
            try:
                data = client.sock.recv(1 << 16)
            except BlockingIOError:
                continue
            if not data:
                failures.append(f"{path}: the server closed the connection")
                selector.unregister(client.sock)
                client.parser = None
                continue
            if client.parser is None:
                continue
            try:
                client.parser.feed_data(data)
            except httptools.HttpParserError as exc:
                failures.append(f"{path}: {exc}")
            if client.done:
                finished = time.perf_counter()
                client.latencies.append(finished - client.sent_at)
                status = client.parser.get_status_code()
                if status != 200:
                    failures.append(f"{path}: HTTP {status}")
                client.parser = None
                delay = client.pause.expovariate(1.0 / think) if think else 0.0
                heapq.heappush(timers, (finished + delay, id(client), client))
    cpu = cpu_since(used)
    for client in clients:
        client.sock.close()
    queue.put(([x for c in clients for x in c.latencies], failures[:5], cpu))


def run_clients(
    port: int, path: str, headers: list[dict[str, str]], seconds: float, think: float = 0.0
) -> tuple[list[float], list[str], float]:
    """Load `GET path` with one client per entry of `headers` (its own extra headers: a cookie) for `seconds`;
    return every latency, the first few failures and the CPU seconds the clients used."""
    return in_processes(_process, port, path, headers, seconds, think)


def in_processes(
    target: Callable[..., None], port: int, path: str, clients: Sequence[Any], seconds: float, think: float
) -> tuple[list[float], list[str], float]:
    """Run `target(port, path, share, seconds, think, queue)` in PROCESSES spawned processes, the `clients` dealt
    out between them; each puts (latencies, failures, cpu seconds) on the queue. Return them merged."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    shares = [clients[p::PROCESSES] for p in range(PROCESSES)]
    procs = [ctx.Process(target=target, args=(port, path, s, seconds, think, queue)) for s in shares if s]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    latencies = [x for lat, _, _ in results for x in lat]
    return latencies, [f for _, fails, _ in results for f in fails], sum(cpu for _, _, cpu in results)


def cpu_since(before: resource.struct_rusage) -> float:
    """User + system seconds this process used since `before` (`resource.getrusage`)."""
    now = resource.getrusage(resource.RUSAGE_SELF)
    return (now.ru_utime - before.ru_utime) + (now.ru_stime - before.ru_stime)
