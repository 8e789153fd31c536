"""`givefirst hub digest`, `hub smtp` and `hub handoffs`: the weekly digest, its mail server, moving members."""

from __future__ import annotations

import json

import typer

from givefirst.cli.base import console
from givefirst.cli.hub_cmds import DB_HELP, hub_app, hub_database


@hub_app.command("digest")
def digest(
    db: str | None = typer.Option(None, "--db", envvar="GIVEFIRST_HUB_DATABASE_URL", help=DB_HELP),
    week: str | None = typer.Option(None, "--week", help="The ISO week to send, like 2026-W49 (default: this week)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say who would get what; send and record nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Send each member their weekly digest: members they can help, introductions waiting, the next meeting.

    Never to members who opted out, never twice in a week (a second run the same week sends only what the first
    could not), nothing to a member with nothing to be told. The mail server comes from `givefirst hub smtp`.

    Run it weekly from cron (Monday 7:00): 0 7 * * 1 givefirst hub digest --db postgresql://hub@localhost/hub
    """
    from givefirst.hub.services.context import connect
    from givefirst.hub.services.digest import send_digests

    report = send_digests(connect(hub_database(db)), week, dry_run=dry_run)
    if as_json:
        typer.echo(json.dumps(report.as_json(), indent=2))
        return
    out = console()
    verb = "would send" if dry_run else "sent"
    count = len(report.messages) if dry_run else report.sent
    out.print(f"Week {report.week}: {verb} {count} digest(s).")
    for message in report.messages:
        out.print(f"  {message['to']}: {message['subject']}", markup=False)
    out.print(
        f"Skipped: {report.already_sent} sent already this week, {report.nothing_to_say} with nothing to tell, "
        f"{report.opted_out} opted out."
    )
    for failure in report.failed:
        out.print(f"  not sent (retried next run): {failure}", markup=False)
    if report.failed:
        raise typer.Exit(1)


@hub_app.command("smtp")
def smtp(
    db: str | None = typer.Option(None, "--db", envvar="GIVEFIRST_HUB_DATABASE_URL", help=DB_HELP),
    host: str = typer.Option(..., "--host", help="The SMTP server (empty string: no mail at all)."),
    port: int = typer.Option(587, "--port", help="Its port: 587 (STARTTLS, used when offered) or 25."),
    user: str = typer.Option("", "--user", help="The login, when the server asks for one."),
    sender: str = typer.Option(..., "--from", help="The address digests come from, like hub@chapter.example.org."),
    base_url: str = typer.Option("", "--base-url", help="The hub's address, for the links in digests."),
) -> None:
    """Set the mail server the weekly digests go through (stored in the hub's settings).

    The password is read from GIVEFIRST_HUB_SMTP_PASSWORD when set (never from the command line, where other
    users of the machine could read it).

    Example: givefirst hub smtp --host smtp.example.org --user hub --from hub@example.org --base-url https://hub.example.org
    """
    import os

    from givefirst.hub.services.context import connect
    from givefirst.hub.services.digest import configure_smtp

    values = {"smtp_host": host, "smtp_port": str(port), "smtp_user": user, "smtp_from": sender}
    if base_url:
        values["base_url"] = base_url
    if "GIVEFIRST_HUB_SMTP_PASSWORD" in os.environ:
        values["smtp_password"] = os.environ["GIVEFIRST_HUB_SMTP_PASSWORD"]
    configure_smtp(connect(hub_database(db)), **values)
    console().print(f"Digests will go through {host}:{port} from {sender}.", markup=False)


@hub_app.command("handoffs")
def handoffs(
    db: str | None = typer.Option(None, "--db", envvar="GIVEFIRST_HUB_DATABASE_URL", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the count as JSON."),
) -> None:
    """Propose a handoff for every member whose "moving to" (or location) falls in another chapter's region.

    Each is proposed once per chapter (a dismissed one is not proposed again); the mover sees it on /moving and
    both chapters' leads on their dashboard.
    """
    from givefirst.hub.services.context import connect
    from givefirst.hub.services.moving import propose_all

    made = propose_all(connect(hub_database(db)))
    if as_json:
        typer.echo(json.dumps({"proposed": made}))
    else:
        console().print(f"{made} new handoff(s) proposed.")
