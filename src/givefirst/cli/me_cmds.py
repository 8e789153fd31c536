"""Your own email addresses: `givefirst me add`, `me remove`, `me list`."""

from __future__ import annotations

import typer

from givefirst.cli.base import app, console, open_app, print_json

JSON = typer.Option(False, "--json", help="Print JSON for scripts.")
ADDRESS = typer.Argument(..., metavar="ADDRESS", help="An email address of yours, e.g. jordan@work.example.")

me_app = typer.Typer(
    help=(
        "Your own email addresses, remembered: mail imports know which messages you wrote and never make a\n"
        "contact of your second address. `givefirst init --email` and `import … --me` remember them too.\n\n"
        "  givefirst me add jordan@work.example   (an address a contact had is taken back, their mail fixed)\n\n"
        "  givefirst me list  ·  givefirst me remove old@example.com"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(me_app, name="me")


@me_app.command("add")
def add(ctx: typer.Context, addresses: list[str] = ADDRESS, json_out: bool = JSON) -> None:
    """Remember addresses as yours. One that an earlier mail import made a contact of is taken back from them:
    their messages between your own addresses go, and a contact with nothing else to them goes too."""
    from givefirst.services.me import add_my_address

    application = open_app(ctx)
    claims = [add_my_address(application, address) for address in addresses]
    if json_out:
        print_json([claim.as_dict() for claim in claims])
        return
    out = console()
    for claim in claims:
        out.print(f"{claim.address}: {'yours now' if claim.added else 'already yours'}")
        if claim.notice:
            out.print(f"  {claim.notice}")


@me_app.command("remove")
def remove(ctx: typer.Context, address: str = ADDRESS) -> None:
    """Forget an address as yours (mail already imported stays as it is)."""
    from givefirst.services.me import remove_my_address

    value = remove_my_address(open_app(ctx), address)
    console().print(f"{value} is no longer one of your addresses.")


@me_app.command("list")
def list_(ctx: typer.Context, json_out: bool = JSON) -> None:
    """List your addresses: those remembered, and those set in the configuration file (me_emails)."""
    from givefirst.services.me import my_addresses

    found = my_addresses(open_app(ctx))
    if json_out:
        print_json(found)
        return
    out = console()
    for item in found:
        out.print(item["address"] + ("  (configuration file)" if item["from"] == "configuration" else ""))
    if not found:
        out.print("No address of yours yet: givefirst me add you@example.com")
