"""The hub as an ASGI application for uvicorn, gunicorn or any server: configured from the environment.

GIVEFIRST_HUB_DATABASE_URL names the database; GIVEFIRST_HUB_ALLOWED_HOSTS the host names (comma-separated);
GIVEFIRST_HUB_THREADS how many requests a worker works on at once (default `app.DEFAULT_THREADS`).
Each worker process imports this module and opens its own connection pool.
"""

from __future__ import annotations

import os

from givefirst.hub.services.context import connect
from givefirst.hub.web.app import DEFAULT_THREADS, create_hub_app

_target = os.environ.get("GIVEFIRST_HUB_DATABASE_URL")
if not _target:
    raise SystemExit("set GIVEFIRST_HUB_DATABASE_URL to the hub's database")
_hosts = tuple(h.strip() for h in os.environ.get("GIVEFIRST_HUB_ALLOWED_HOSTS", "127.0.0.1,localhost").split(","))
_threads = os.environ.get("GIVEFIRST_HUB_THREADS", "").strip()
if _threads and (not _threads.isdigit() or int(_threads) < 1):
    raise SystemExit(f"GIVEFIRST_HUB_THREADS must be a whole number of at least 1, not {_threads!r}")
app = create_hub_app(
    connect(_target),
    allowed_hosts=tuple(h for h in _hosts if h),
    threads=int(_threads) if _threads else DEFAULT_THREADS,
)
