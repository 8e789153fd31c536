"""`givefirst hub demo`: a sample association to explore the hub with, built in seconds and served."""

from __future__ import annotations

import typer

from givefirst.cli.base import console, print_json
from givefirst.cli.hub_cmds import hub_app

DEMO_DB_HELP = (
    "Where to build the demo: an SQLite file (default: hub-demo.db in your data folder) or a PostgreSQL URL "
    "(an empty database, or an earlier demo, which is rebuilt)."
)


@hub_app.command("demo")
def demo(
    db: str | None = typer.Option(None, "--db", help=DEMO_DB_HELP),
    port: int = typer.Option(8780, "--port", "-p", help="Port to serve the demo on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the demo after building it (the default)."),
    match: bool = typer.Option(True, "--match/--no-match", help="Run the matching pass after building it."),
    json_out: bool = typer.Option(False, "--json", help="Print what was built and the logins as JSON."),
) -> None:
    """Build a demo association and serve it: the Association of Procurement Professionals (AOP).

    Three chapters (New York, New Jersey, Florida), 300 members with needs and offers in their own words, leads
    and sponsors, a past and an upcoming meeting in each chapter (RSVPs, check-ins, conversations), introductions
    in every state, and Jordan Reyes, a member moving from New York to Tampa. It is rebuilt from scratch on
    every run (the same every time on the same day) and never overwrites a database that is not a demo.

    Every member's password is "demo-password-" followed by the part of their e-mail before the @; the logins
    to start with are printed.

    \b
    Examples:
      givefirst hub demo                     build it and serve it on http://127.0.0.1:8780/
      givefirst hub demo --no-serve --json   build only; print the counts and the logins
      givefirst hub demo --db postgresql://postgres@localhost/hub_demo
    """
    from givefirst.config import user_data_dir
    from givefirst.hub.services.context import connect
    from givefirst.hub.services.demo import build_demo, prepare_demo_database

    if db:
        target = db
    else:
        user_data_dir().mkdir(parents=True, exist_ok=True)
        target = str(user_data_dir() / "hub-demo.db")
    out = console()
    prepare_demo_database(target)
    hub = connect(target)
    try:
        if json_out:
            report = build_demo(hub, match=match)
        else:
            with out.status("Building the demo association…"):
                report = build_demo(hub, match=match)
    finally:
        hub.engine.dispose()
    if json_out:
        print_json({"database": target, **report.as_dict()})
    else:
        c = report.counts
        out.print(
            f"{report.association}: built in {target}\n"
            f"  {c['chapters']} chapters, {c['members']} members ({c['leads']} leads, {c['sponsored']} sponsored), "
            f"{c['needs']} needs, {c['offers']} offers\n"
            f"  {c['events']} meetings ({c['rsvps']} RSVPs, {c['check_ins']} check-ins, "
            f"{c['conversations']} conversations), {c['introductions']} introductions\n"
            f"  matching: {report.matching}\n\nSign in as:"
        )
        for login in report.logins:
            out.print(f"  {login.who:<32} {login.email:<40} {login.password}")
        if report.join_token:
            name, token = report.join_token
            join = f"givefirst hub join http://{host}:{port} --name demo --token-env GIVEFIRST_HUB_TOKEN"
            out.print(f"\nJoin it from your own givefirst as {name} (docs/hub-client.md):\n"
                      f"  export GIVEFIRST_HUB_TOKEN={token}\n  {join}")  # fmt: skip
    if serve:
        from givefirst.cli.hub_cmds import LOCAL_PROXIES
        from givefirst.cli.hub_cmds import serve as hub_serve

        hub_serve(db=target, host=host, port=port, allowed_host=[], workers=1, threads=4, proxy_headers=True,
                  forwarded_allow_ips=LOCAL_PROXIES)  # fmt: skip
