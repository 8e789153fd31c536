"""`givefirst hub init` and `givefirst hub invite`: set a hub up and let people in, from the server's shell.

Whoever runs these holds the database itself, so they act as the association's operator: their invites are
audited as made by "the command line".
"""

from __future__ import annotations

import typer

from givefirst.cli.base import console, print_json
from givefirst.cli.hub_cmds import DB_HELP, hub_app, hub_database


@hub_app.command("init")
def init(
    db: str | None = typer.Option(None, "--db", envvar="GIVEFIRST_HUB_DATABASE_URL", help=DB_HELP),
    association: str = typer.Option(..., "--association", help="The association's name, as members know it."),
    chapter: list[str] = typer.Option(
        ...,
        "--chapter",
        help='A chapter: "NAME=REGION" (the places it serves, as in "New York=New York, NY; NJ"); repeat.',
    ),
    admin_email: str = typer.Option(..., "--admin-email", help="The first admin's e-mail: the link works for it only."),
    url: str | None = typer.Option(
        None, "--url", help="The address members reach the hub at, for the links (default http://127.0.0.1:8780)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Set a new hub up: the association, its chapters, and a join link for its first admin.

    Creates (and migrates) the database, then prints a single-use link valid for 14 days: open it, give your
    name and a password, and you are the admin (of the first chapter). Invite the others from the hub's
    "Invitations" page or with `givefirst hub invite`.

    Example: givefirst hub init --db postgresql://hub@localhost/hub --association "Project Managers United"
    --chapter "New York=New York, NY" --chapter "Florida=Tampa, FL; Orlando, FL" --admin-email ana@example.org
    """
    from givefirst.hub.services import members
    from givefirst.hub.services.context import connect

    hub = connect(hub_database(db))
    try:
        setup = members.init_hub(hub, association, chapter, admin_email, base_url=url)
        link = members.invite_url(hub, setup.admin_token)
    finally:
        hub.engine.dispose()
    if as_json:
        chapters = [{"slug": c.slug, "name": c.name, "region": c.region} for c in setup.chapters]
        print_json({"association": setup.association, "chapters": chapters, "admin_link": link})
        return
    out = console()
    out.print(f"{setup.association}: {len(setup.chapters)} chapter(s) — " + ", ".join(c.slug for c in setup.chapters))
    out.print(f"The admin's join link (single use, 14 days):\n{link}")


@hub_app.command("invite")
def invite(
    db: str | None = typer.Option(None, "--db", envvar="GIVEFIRST_HUB_DATABASE_URL", help=DB_HELP),
    chapter: str = typer.Option(..., "--chapter", help="The chapter's short name (slug), e.g. new-york."),
    role: str = typer.Option("member", "--role", help="member, lead (runs the chapter) or admin (the association)."),
    sponsor: str | None = typer.Option(None, "--sponsor", help="E-mail of the member who brings them in."),
    email: str | None = typer.Option(None, "--email", help="Their e-mail: the link then works for it only."),
    days: int = typer.Option(14, "--days", min=1, max=365, help="How long the link works."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Print a single-use join link into a chapter (as a member, lead or admin).

    Example: givefirst hub invite --chapter new-york --role lead --email ben@example.org
    """
    from givefirst.errors import InvalidInputError, NotFoundError
    from givefirst.hub.domain.access import Role
    from givefirst.hub.services import members
    from givefirst.hub.services.context import connect

    try:
        chosen = Role(role.strip().lower())
    except ValueError:
        raise InvalidInputError(f"--role {role!r}: choose member, lead or admin") from None
    hub = connect(hub_database(db))
    try:
        target = members.chapter_by_slug(hub, chapter)
        sponsor_id = None
        if sponsor:
            found = members.member_by_email(hub, sponsor)
            if found is None:
                raise NotFoundError(f"--sponsor: no member with the e-mail {sponsor}")
            sponsor_id = found.id
        token = members.create_invite(hub, None, target.id, role=chosen, email=email, sponsor_id=sponsor_id, days=days)
        link = members.invite_url(hub, token)
    finally:
        hub.engine.dispose()
    if as_json:
        print_json({"chapter": target.slug, "role": chosen.value, "email": email, "days": days, "link": link})
        return
    console().print(f"Join link into {target.name} as {chosen.value} (single use, {days} days):\n{link}")
