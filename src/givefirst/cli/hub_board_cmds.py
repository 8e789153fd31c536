"""`givefirst hub worker` and `givefirst hub match`: the hub's background work, from the command line."""

from __future__ import annotations

import os
import socket
import time

import typer

from givefirst.cli.base import console, print_json
from givefirst.cli.hub_cmds import DB_HELP, hub_app, hub_database


@hub_app.command("worker")
def worker(
    db: str | None = typer.Option(None, "--db", envvar="GIVEFIRST_HUB_DATABASE_URL", help=DB_HELP),
    once: bool = typer.Option(False, "--once", help="Run the jobs due now, then stop (for cron or a test)."),
    interval: float = typer.Option(2.0, "--interval", min=0.1, help="Seconds between polls when idle."),
    batch: int = typer.Option(10, "--batch", min=1, max=1000, help="Jobs claimed per poll."),
    nightly: bool = typer.Option(
        True,
        "--nightly/--no-nightly",
        help="Queue a full matching pass once a day (at the first poll after 03:00 UTC).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print what was run as JSON (with --once)."),
) -> None:
    """Run the hub's background jobs: matching a new or edited item, full matching passes, digests.

    Any number of workers can run side by side, on any machines: each claims its jobs with FOR UPDATE SKIP LOCKED
    on PostgreSQL. While a worker polls, the web processes leave the jobs to it; with none running, the web
    process runs them itself after answering (fine for a small hub or the demo).

    Examples: givefirst hub worker --db postgresql://hub@localhost/hub
              givefirst hub worker --db hub.db --once --json
    """
    from givefirst.hub.services import jobs
    from givefirst.hub.services.context import connect

    hub = connect(hub_database(db))
    name = f"{socket.gethostname()}-{os.getpid()}"[:100]
    ran = 0
    last_day = None
    while True:
        jobs.heartbeat(hub)
        today = hub.now().date()
        if nightly and not once and last_day != today and hub.now().hour >= 3:
            jobs.enqueue(hub, "match_all", {"day": today.isoformat()})
            last_day = today
        done = jobs.run_pending(hub, name, limit=batch)
        ran += done
        if once:
            break
        if not done:
            time.sleep(interval)
    status = jobs.status(hub)
    if as_json:
        print_json({"ran": ran, **status})
    else:
        console().print(f"ran {ran} job(s); {status['waiting']} waiting, {status['failed']} failed")


@hub_app.command("match")
def match(
    db: str | None = typer.Option(None, "--db", envvar="GIVEFIRST_HUB_DATABASE_URL", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the pass's figures as JSON."),
) -> None:
    """Run a full matching pass now: every open need against every offer both owners may see.

    Only texts that changed since the last pass are embedded again. The pairs `/help` shows are replaced when
    the pass ends, in one transaction, so the pages never show half a pass.

    Example: givefirst hub match --db postgresql://hub@localhost/hub --json
    """
    from givefirst.hub.services.context import connect
    from givefirst.hub.services.matching import match_all

    report = match_all(connect(hub_database(db)))
    if as_json:
        print_json(report.as_dict())
    else:
        console().print(
            f"{report.needs} needs × {report.offers} offers in {report.blocks} block(s): {report.pairs} pairs kept, "
            f"{report.embedded} texts embedded, in {report.seconds:.1f} s"
        )
