"""`givefirst hub intros|answer|outcome`: the hub introductions the user takes part in, recorded here at once."""

from __future__ import annotations

import typer

from givefirst.cli.base import console, open_app, print_json
from givefirst.cli.hub_cmds import hub_app

HUB_HELP = "Which hub (its short name); needed only when you joined several."


@hub_app.command("intros")
def intros(
    ctx: typer.Context,
    hub: str | None = typer.Option(None, "--hub", help=HUB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the introductions as JSON."),
) -> None:
    """List the hub introductions you take part in, and record what is new in your ledger and timeline."""
    from givefirst.services import hub_intros

    app = open_app(ctx)
    link = hub_intros.pick_link(app, hub)
    found, offline = hub_intros.listing(app, link)
    if as_json:
        print_json({"hub": link.name, "offline": offline, "introductions": found})
        return
    out = console()
    if offline:
        out.print(f"{link.name} is not answering ({offline}); as last recorded here:")
    if not found:
        out.print("No introductions yet.")
    for i in found:
        who = f" — {i['seeker']} ← {i['helper']}: {i['need']}" if "need" in i else ""
        side = f" (you: {i['your_side']})" if i.get("your_side") else ""
        done = f", {i['outcome']}" if i.get("outcome") else ""
        out.print(f"{i['id']}  {i['state']}{done}{side}{who}", markup=False, highlight=False)


@hub_app.command("answer")
def answer(
    ctx: typer.Context,
    intro_id: str = typer.Argument(..., help="The introduction's id (from givefirst hub intros)."),
    reply: str = typer.Argument(..., help="yes or no"),
    hub: str | None = typer.Option(None, "--hub", help=HUB_HELP),
) -> None:
    """Accept (yes) or decline (no) a hub introduction; recorded here at once."""
    from givefirst.errors import InvalidInputError
    from givefirst.services import hub_intros

    if reply.lower() not in ("yes", "no"):
        raise InvalidInputError(f"answer yes or no, not {reply!r}")
    app = open_app(ctx)
    said = hub_intros.answer(app, hub_intros.pick_link(app, hub), intro_id, reply.lower() == "yes")
    console().print(said, markup=False, highlight=False)


@hub_app.command("outcome")
def outcome(
    ctx: typer.Context,
    intro_id: str = typer.Argument(..., help="The introduction's id (from givefirst hub intros)."),
    value: str = typer.Argument(..., help="helped, hired or no_thanks"),
    note: str = typer.Option("", "--note", help="A word on how it went (shared with the other side on the hub)."),
    hub: str | None = typer.Option(None, "--hub", help=HUB_HELP),
) -> None:
    """Record how a hub introduction went: on the hub, in your ledger and in your timeline."""
    from givefirst.services import hub_intros

    app = open_app(ctx)
    said = hub_intros.outcome(app, hub_intros.pick_link(app, hub), intro_id, value, note)
    console().print(said, markup=False, highlight=False)
