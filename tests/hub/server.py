"""A real hub server on loopback for browser tests, in a thread of the test process."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from givefirst.hub.services.context import Hub
from givefirst.hub.web.app import create_hub_app
from tests.web.server import free_port


@contextmanager
def hub_server(hub: Hub) -> Iterator[str]:
    """Serve `hub` on a free loopback port; yield its base URL; stop it afterwards."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_hub_app(hub), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the hub test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
