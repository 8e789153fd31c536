"""Live sources: `source add`, `source remove`, `sources`, and `sync` (the saved sources read again)."""

from __future__ import annotations

import sys
from typing import Any

import typer

from givefirst.cli.base import app, console, open_app, print_json

JSON = typer.Option(False, "--json", help="Print JSON for scripts.")
_SETTINGS = {"no_args_is_help": True, "rich_markup_mode": None,
             "context_settings": {"help_option_names": ["-h", "--help"]}}  # fmt: skip

source_app = typer.Typer(
    help=(
        "Saved sources that `givefirst sync` reads again and again, adding only what is new.\n\n"
        "  givefirst source add work-mail imap --host imap.example.com --user me@example.com "
        '--password-command "pass show mail" --folders INBOX,Sent\n\n'
        "  givefirst source add phone carddav --url https://dav.example.com/me/contacts/ --user me "
        "--password-env DAV_PASSWORD   (your edits to its contacts are pushed back)\n\n"
        "  givefirst source add aop-ny feed --url webcal://example.org/aop-ny.ics --set chapter='AOP New York'\n\n"
        "  givefirst sources   ·   givefirst sync   ·   givefirst source remove work-mail\n\n"
        "Passwords are never saved by givefirst: it reads them from an environment variable, a command, or the "
        "system keyring, each time a sync needs one."
    ),
    **_SETTINGS,  # type: ignore[arg-type]
)
app.add_typer(source_app, name="source")


@source_app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="A short name of your choice: work-mail, personal."),
    kind: str = typer.Argument(
        ..., help="imap (mail headers), carddav (an address book), caldav (calendars), feed (an .ics URL)."
    ),
    host: str | None = typer.Option(None, "--host", help="The server's host name."),
    port: int | None = typer.Option(None, "--port", help="The server's port (IMAP: 993 with TLS, 143 without)."),
    user: str | None = typer.Option(None, "--user", help="The login name (often your address)."),
    url: str | None = typer.Option(None, "--url", help="The address of a collection or feed (kinds that use one)."),
    folders: str | None = typer.Option(
        None,
        "--folders",
        help="IMAP: folders to read, comma-separated (default INBOX,Sent); Sent, Archive... "
        "find the folder the server flags as such (special-use) when none is named so.",
    ),
    me: list[str] = typer.Option([], "--me", help="Your own address (repeat); the IMAP login is one already."),
    security: str | None = typer.Option(
        None, "--security", help="tls (default), starttls, or none (only for a server on this machine)."
    ),
    password_env: str | None = typer.Option(
        None, "--password-env", metavar="VAR", help="Read the password from this environment variable."
    ),
    password_command: str | None = typer.Option(
        None, "--password-command", metavar="CMD", help="Run this command for the password (first line printed)."
    ),
    keyring: bool = typer.Option(False, "--keyring", help="Keep the password in the system keyring (asked now)."),
    every: int = typer.Option(60, "--every", metavar="MINUTES", help="Sync every this many minutes; 0: only by name."),
    include_one_way: bool = typer.Option(
        False, "--include-one-way", help="Mail: also people you only wrote to or only heard from."
    ),
    extra: list[str] = typer.Option([], "--set", metavar="KEY=VALUE", help="A setting of the kind (repeat)."),
    bodies: bool = typer.Option(
        False,
        "--bodies",
        help="IMAP: also keep the plain text of each personal message, for `givefirst heard` (default: headers "
        "only). Change it later with `givefirst source set NAME --bodies on|off`.",
    ),
    json_out: bool = JSON,
) -> None:
    """Save a source to sync. Nothing is read yet: `givefirst sync NAME` does the first sync.

    Example: givefirst source add work-mail imap --host imap.example.com --user me@example.com --password-command
    "pass show mail" --folders INBOX,Sent  (then: givefirst sync work-mail; more in docs/sync.md)
    """
    from givefirst.errors import InvalidInputError
    from givefirst.services.sync import add_source

    settings: dict[str, str] = {}
    for item in extra:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidInputError(f"--set takes KEY=VALUE, not {item!r}")
        settings[key.strip()] = value.strip()
    given: dict[str, Any] = {
        "host": host, "port": port, "user": user, "url": url, "folders": folders, "me": me, "security": security,
        "password_env": password_env, "password_command": password_command, "keyring": keyring,
        "include_one_way": include_one_way, "extra": settings, "bodies": bodies,
    }  # fmt: skip
    secret_value = None
    if keyring:
        if sys.stdin.isatty():
            secret_value = typer.prompt(f"Password for {name}", hide_input=True)
        else:  # a script: `pass show mail | givefirst source add ... --keyring`
            try:
                secret_value = sys.stdin.readline().rstrip("\r\n")
            except OSError:  # no input at all (a closed or captured stdin)
                secret_value = ""
    source = add_source(open_app(ctx), name, kind, given, every, secret_value)
    if json_out:
        print_json(source.as_dict())
        return
    data = source.as_dict()
    console().print(f"Saved source {source.name} ({source.kind}: {data['describe']}). First sync: givefirst sync "
                    f"{source.name}", markup=False)  # fmt: skip


@source_app.command("set")
def set_(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The source's name."),
    bodies: str = typer.Option(
        ...,
        "--bodies",
        metavar="on|off",
        help="on: keep the plain text of each personal message (the next sync reads the folders again to keep "
        "those read before); off: keep headers only, and delete the bodies this source kept.",
    ),
    json_out: bool = JSON,
) -> None:
    """Change a saved source's settings: whether mail bodies are kept, for `givefirst heard`.

    Example: givefirst source set work-mail --bodies on   (then: givefirst sync work-mail; givefirst heard)
    """
    from givefirst.errors import InvalidInputError
    from givefirst.services.sync import set_bodies

    if bodies.strip().lower() not in ("on", "off"):
        raise InvalidInputError(f"--bodies takes on or off, not {bodies!r}")
    done = set_bodies(open_app(ctx), name, bodies.strip().lower() == "on")
    if json_out:
        print_json(done)
        return
    if done["bodies"]:
        text = f"Source {name} keeps mail bodies" + ("." if not done["changed"] else
            f"; its next sync reads {done['folders_to_reread']} folder(s) again to keep the bodies of earlier "
            f"mail (nothing is added twice). Then: givefirst heard")  # fmt: skip
    else:
        text = f"Source {name} keeps headers only; {done['bodies_deleted']} kept bodies deleted."
    console().print(text, markup=False)


@source_app.command("remove")
def remove(
    ctx: typer.Context, name: str = typer.Argument(..., help="The source's name."), json_out: bool = JSON
) -> None:
    """Forget a saved source and where its sync stood. What it brought in (people, interactions) stays."""
    from givefirst.services.sync import remove_source

    source = remove_source(open_app(ctx), name)
    if json_out:
        print_json({"removed": source.name})
    else:
        console().print(f"Removed source {source.name}; the people and interactions it brought in stay.", markup=False)


@app.command("sources")
def sources(ctx: typer.Context, json_out: bool = JSON) -> None:
    """List the saved sources: name, kind, last sync and its result, next due."""
    from givefirst.services.sync import list_sources

    found = [s.as_dict() for s in list_sources(open_app(ctx))]
    if json_out:
        print_json(found)
        return
    from rich.table import Table

    out = console()
    if not found:
        out.print("No sources yet. Add one: givefirst source add --help", markup=False)
        return
    table = Table(box=None, pad_edge=False)
    for column in ("name", "kind", "what", "last sync", "result", "next due"):
        table.add_column(column)
    for s in found:
        result = s["last_result"] or "never synced"
        if s["last_error"]:
            result = f"{result}: {s['last_error']}"
        elif s["last_result"] == "ok":
            totals = s["last_totals"]
            result = f"ok, {totals.get('interactions added', 0)} new interactions"
            if totals.get("added"):
                result += f", {totals['added']} new people"
        due = s["next_due"]
        shown_due = "only by name" if due is None else (str(due)[:16] if due != "now" else "now")
        last = str(s["last_sync"])[:16] if s["last_sync"] else "-"
        table.add_row(s["name"], s["kind"], s["describe"], last, result, shown_due)
    out.print(table)


@app.command("sync")
def sync(
    ctx: typer.Context,
    names: list[str] = typer.Argument(
        None, metavar="NAME", help="Sources to sync now (default: every source that is due)."
    ),
    everything: bool = typer.Option(False, "--all", help="Sync every source, due or not."),
    json_out: bool = JSON,
) -> None:
    """Read what is new in your saved sources; safe to interrupt and repeat, reported like an import.

    With no name, syncs the sources that are due (see `givefirst sources`). For a schedule without
    `givefirst serve` (which syncs in the background), a cron line: */30 * * * * givefirst sync --json
    """
    from givefirst.services.sync import sync_sources

    application = open_app(ctx)
    results = sync_sources(application, names or (), everything=everything)
    if json_out:
        print_json([r.as_dict() for r in results])
    else:
        _render(results)
    if any(r.error for r in results):
        raise typer.Exit(1)


def _render(results: list[Any]) -> None:
    out = console()
    if not results:
        out.print("Nothing due (givefirst sources shows when each is next due; sync NAME forces one).", markup=False)
    for r in results:
        if r.busy:
            out.print(f"{r.source}: skipped, {r.busy}", markup=False)
            continue
        totals = r.report.totals()
        people = ", ".join(f"{totals.get(k, 0)} {k}" for k in ("added", "matched", "merged") if totals.get(k))
        line = (
            f"{r.source} ({r.kind}): {totals.get('interactions added', 0)} interactions added, "
            f"{totals.get('interactions unchanged', 0)} already there, {totals.get('skipped', 0)} skipped"
        )
        out.print(line + (f"; people: {people}" if people else "") + f" in {r.seconds:.1f} s", markup=False)
        shown = {"interactions added", "interactions unchanged", "skipped", "held", "added", "matched", "merged"}
        also = ", ".join(f"{n} {k}" for k, n in sorted(totals.items()) if k not in shown and n)
        if also:  # what other kinds count: people updated, cards pushed, conflicts, events added...
            out.print(f"  also: {also}", markup=False)
        for notice in r.report.notices:  # as an import says them (an address of yours taken from a contact)
            out.print(f"  {notice}", markup=False)
        for hint in r.report.possibly_yours:
            out.print(f"  Possibly yours: {hint['address']} ({hint['reason']}) - givefirst me add {hint['address']}",
                      markup=False)  # fmt: skip
        for unit in r.report.units:
            for origin, reason, kept in unit.notes:
                if kept and origin == unit.label:  # a remark about the unit (job.note), not about one record
                    out.print(f"  {unit.label}: {reason}", markup=False)
        if r.error:
            out.print(f"  failed: {r.error} (what was read before stays; the next sync goes on from there)",
                      markup=False)  # fmt: skip
