"""`givefirst hub …`: run an association's chapter hub (a multi-user server on PostgreSQL)."""

from __future__ import annotations

import typer

from givefirst.cli.base import app, console

hub_app = typer.Typer(
    name="hub",
    help=(
        "Run a chapter hub: one association's members, chapters, needs and offers, introductions and meetings, "
        "on a shared server (PostgreSQL). The database comes from --db or GIVEFIRST_HUB_DATABASE_URL."
    ),
    no_args_is_help=True,
)
app.add_typer(hub_app, name="hub")

LOCAL_PROXIES = "127.0.0.1,::1"  # uvicorn's own default: a proxy on this machine
DB_HELP = "The hub's database: a PostgreSQL URL (postgresql://user@host/db); an SQLite path only for trials."


def hub_database(value: str | None) -> str:
    """Return the hub database named on the command line or in the environment, or say how to name one."""
    if not value:
        from givefirst.errors import InvalidInputError

        raise InvalidInputError(
            "name the hub's database: --db postgresql://USER@HOST/DB (or set GIVEFIRST_HUB_DATABASE_URL)"
        )
    return value


@hub_app.command("serve")
def serve(
    db: str | None = typer.Option(None, "--db", envvar="GIVEFIRST_HUB_DATABASE_URL", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0 behind a proxy)."),
    port: int = typer.Option(8780, "--port", "-p", help="Port to listen on."),
    allowed_host: list[str] = typer.Option(
        [], "--allowed-host", help="A host name the hub answers to (repeat; default: localhost and 127.0.0.1)."
    ),
    workers: int = typer.Option(1, "--workers", min=1, help="Web worker processes (they share the database)."),
    threads: int = typer.Option(
        4,
        "--threads",
        min=1,
        envvar="GIVEFIRST_HUB_THREADS",
        help=(
            "Requests each worker works on at once; the rest wait their turn. Their work is CPU, so more than a "
            "few only queues it in the kernel (4 measured best with two workers on two cores)."
        ),
    ),
    proxy_headers: bool = typer.Option(
        True,
        "--proxy-headers/--no-proxy-headers",
        help=(
            "Believe X-Forwarded-Proto and X-Forwarded-For, but only from the addresses in --forwarded-allow-ips: "
            "the scheme marks session cookies Secure, the client address keys the sign-in rate limit."
        ),
    ),
    forwarded_allow_ips: str = typer.Option(
        LOCAL_PROXIES,
        "--forwarded-allow-ips",
        envvar="GIVEFIRST_HUB_FORWARDED_ALLOW_IPS",
        help="The proxies whose X-Forwarded-* headers are believed: addresses or networks, comma-separated ('*': any).",
    ),
) -> None:
    """Serve the hub's web pages and JSON API (OpenAPI at /openapi.json).

    Migrations run on start; a database written by a newer givefirst is refused. Several workers (--workers, or
    several `hub serve` behind a load balancer) share everything through the database.

    Behind a TLS proxy on another address, name it in --forwarded-allow-ips (e.g. 10.0.0.5 or 10.0.0.0/24):
    headers from any other address are ignored, so a client cannot claim to be someone else to the rate limit.

    Example: givefirst hub serve --db postgresql://hub@localhost/hub --host 0.0.0.0 --allowed-host hub.example.org
    --forwarded-allow-ips 10.0.0.5
    """
    import os

    import uvicorn

    from givefirst.hub.services.context import connect

    target = hub_database(db)
    connect(target)  # migrate once, before any worker starts
    hosts = tuple(allowed_host) or ("127.0.0.1", "localhost")
    os.environ["GIVEFIRST_HUB_DATABASE_URL"] = target
    os.environ["GIVEFIRST_HUB_ALLOWED_HOSTS"] = ",".join(hosts)
    os.environ["GIVEFIRST_HUB_THREADS"] = str(threads)
    console().print(f"givefirst hub on http://{host}:{port}/ (answers to {', '.join(hosts)}); Ctrl-C stops it.")
    uvicorn.run(
        "givefirst.hub.web.asgi:app",
        host=host,
        port=port,
        workers=workers,
        factory=False,
        log_level="warning",
        proxy_headers=proxy_headers,
        forwarded_allow_ips=[a.strip() for a in forwarded_allow_ips.split(",") if a.strip()],
    )


# Each area's commands register themselves on hub_app when imported.
from givefirst.cli import (  # noqa: E402,F401
    hub_board_cmds,
    hub_demo_cmds,
    hub_events_cmds,
    hub_intro_cmds,
    hub_members_cmds,
)
from givefirst.cli import hub_client_cmds as _client_cmds  # noqa: E402,F401  (the personal app's side)
