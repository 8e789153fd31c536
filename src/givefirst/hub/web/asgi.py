"""The hub as an ASGI application for uvicorn, gunicorn or any server: configured from the environment.

GIVEFIRST_HUB_DATABASE_URL names the database; GIVEFIRST_HUB_ALLOWED_HOSTS the host names (comma-separated).
Each worker process imports this module and opens its own connection pool.
"""

from __future__ import annotations

import os

from givefirst.hub.services.context import connect
from givefirst.hub.web.app import create_hub_app

_target = os.environ.get("GIVEFIRST_HUB_DATABASE_URL")
if not _target:
    raise SystemExit("set GIVEFIRST_HUB_DATABASE_URL to the hub's database")
_hosts = tuple(h.strip() for h in os.environ.get("GIVEFIRST_HUB_ALLOWED_HOSTS", "127.0.0.1,localhost").split(","))
app = create_hub_app(connect(_target), allowed_hosts=tuple(h for h in _hosts if h))
