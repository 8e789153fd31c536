"""A real server on a free loopback port, in a thread: for the browser tests and the CLI-alongside test."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from givefirst.config import Settings
from givefirst.web import create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_asgi(asgi_app: Any) -> Iterator[str]:
    """Serve an ASGI app on a free loopback port in a thread until the block ends; yield its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(asgi_app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def running_server(settings: Settings, now: datetime | None = None) -> Iterator[str]:
    """Serve the app on 127.0.0.1 until the block ends; yield its base URL."""
    with serve_asgi(create_app(settings, now=now)) as url:
        yield url
