"""A real hub server on loopback for browser and client tests, in a thread of the test process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from givefirst.hub.services.context import Hub
from givefirst.hub.web.app import create_hub_app
from tests.web.server import serve_asgi


@contextmanager
def hub_server(hub: Hub, wrap: Callable[[Any], Any] | None = None) -> Iterator[str]:
    """Serve `hub` (its ASGI app passed through `wrap`, when given) on a free loopback port; yield its base URL."""
    app = create_hub_app(hub)
    with serve_asgi(wrap(app) if wrap else app) as url:
        yield url
