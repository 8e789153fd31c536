"""`givefirst hub join|leave|status|sync|publish|unpublish`: the personal app as a client of chapter hubs.

(The other `hub` commands run a hub; these use one. Names are distinct: serve, worker, match, demo, digest, smtp,
handoffs, init and invite belong to the server.)
"""

from __future__ import annotations

import typer

from givefirst.cli.base import console, open_app, print_json
from givefirst.cli.hub_cmds import hub_app

JSON = typer.Option(False, "--json", help="Print JSON for scripts.")
HUB = typer.Option(None, "--hub", metavar="NAME", help="Which joined hub (needed when several are joined).")
VISIBILITY = typer.Option("chapter", "--visibility", metavar="WHO", help="Who sees it: chapter, association or leads.")


@hub_app.command("join")
def join(
    ctx: typer.Context,
    url: str = typer.Argument(..., help="The hub's address, e.g. https://hub.example.org"),
    name: str | None = typer.Option(None, "--name", help="A short name for it here (default: its host name)."),
    token_env: str | None = typer.Option(None, "--token-env", metavar="VAR", help="An environment variable holding "
                                         "your API token (make one on the hub's /me page)."),
    token_command: str | None = typer.Option(None, "--token-command", metavar="CMD",
                                             help="A command printing the token, e.g. 'pass show hub'."),
    keyring: bool = typer.Option(False, "--keyring", help="Ask for the token once and keep it in the system keyring."),
) -> None:  # fmt: skip
    """Join a chapter hub as a member: the token is checked, and only where it is kept is remembered.

    Nothing is sent to the hub until you publish a need or offer (--publish, or `givefirst hub publish`).

    Example: givefirst hub join https://hub.example.org --token-env GIVEFIRST_HUB_TOKEN
    """
    from givefirst.services import credentials, hub_membership

    secret = hub_membership.token_place(token_env, token_command, keyring)
    typed = None
    if keyring:
        credentials.require_keyring("hub")
        typed = typer.prompt("API token (from the hub's /me page)", hide_input=True)
    link = hub_membership.join(open_app(ctx), url, name=name, secret=secret, keyring_token=typed)
    where = ", ".join(p for p in (link.chapter and f"chapter {link.chapter}", link.association) if p)
    console().print(f"Joined {link.url} as {link.name!r}: you are {link.member_name}{f' ({where})' if where else ''}.",
                    markup=False)  # fmt: skip
    console().print("Publish a need or offer with --publish chapter; bring the board here with: givefirst hub sync")


@hub_app.command("leave")
def leave(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The hub's name here (givefirst hub status)."),
    keep_published: bool = typer.Option(False, "--keep-published", help="Leave your published items on the hub."),
    offline: bool = typer.Option(False, "--offline", help="The hub is down: forget it here only."),
) -> None:
    """Leave a hub: withdraw your published items from it (unless --keep-published), then forget it and all that
    came from it here."""
    from givefirst.services import hub_membership

    left = hub_membership.leave(open_app(ctx), name, keep_published=keep_published, offline=offline)
    out = console()
    out.print(f"Left {left.name}: {left.withdrawn} published item(s) withdrawn from the hub.")
    if left.left_on_hub:
        out.print(f"{left.left_on_hub} published item(s) stay on the hub; close them on its /me/items page.")


@hub_app.command("status")
def status(ctx: typer.Context, json_out: bool = JSON) -> None:
    """Show each joined hub: who you are there, the last sync, your published items and what came back."""
    from givefirst.services import hub_membership

    hubs = hub_membership.status(open_app(ctx))
    if json_out:
        print_json(hubs)
        return
    out = console()
    if not hubs:
        out.print("No hub joined. Join your chapter's: givefirst hub join URL --token-env VAR")
        return
    for h in hubs:
        out.print(f"[bold]{h['name']}[/bold]  {h['url']}")
        who = ", ".join(p for p in (h["association"], h["chapter"] and f"chapter {h['chapter']}") if p)
        out.print(f"  you: {h['member']}{f' ({who})' if who else ''}", markup=False)
        last = h["last_sync_at"] or "never"
        out.print(f"  last sync: {last}" + (f"; last attempt failed: {h['last_error']}" if h["last_error"] else ""),
                  markup=False)  # fmt: skip
        out.print(f"  pulled: {h['pulled']['board_items']} board items, {h['pulled']['introductions']} introductions")
        for p in h["published"]:
            out.print(f"  {p['kind']} #{p['id']} [{p['visibility']}] {p['state']}: {p['text']}", markup=False)
        for r in h["reports"][:5]:
            out.print(f"  {r['at']} {r['kind']}: {r['message']}", markup=False)


@hub_app.command("sync")
def sync(
    ctx: typer.Context,
    name: str | None = typer.Argument(None, help="Only this hub (default: every joined hub)."),
    json_out: bool = JSON,
) -> None:
    """Send what you published, edited or closed here, then bring back the board, events and introductions.
    A hub that does not answer is reported and skipped."""
    from givefirst.services import hub_sync

    out = console()
    progress = None if json_out else (lambda line: out.print(line, markup=False))
    results = hub_sync.sync(open_app(ctx), name, progress)
    if json_out:
        print_json([r.as_dict() for r in results])
    elif not results:
        out.print("No hub joined. Join your chapter's: givefirst hub join URL --token-env VAR")


@hub_app.command("publish")
def publish(
    ctx: typer.Context,
    which: str = typer.Argument(..., help="need or offer"),
    item_id: int = typer.Argument(..., help="Its id (givefirst needs me / offers me)."),
    visibility: str = VISIBILITY,
    hub: str | None = HUB,
) -> None:
    """Publish one of your own open needs or offers to a hub (again with another --visibility to change who sees
    it). Only yours: a contact's stays on this machine."""
    from givefirst.services import hub_publish

    for line in hub_publish.publish(open_app(ctx), which, item_id, visibility, hub):
        console().print(line, markup=False)


@hub_app.command("unpublish")
def unpublish(
    ctx: typer.Context,
    which: str = typer.Argument(..., help="need or offer"),
    item_id: int = typer.Argument(..., help="Its id."),
    hub: str | None = HUB,
) -> None:
    """Withdraw one of your needs or offers from a hub; it stays open here."""
    from givefirst.services import hub_publish

    for line in hub_publish.unpublish(open_app(ctx), which, item_id, hub):
        console().print(line, markup=False)
