"""Commands about people: init, add, edit, show, people."""

from __future__ import annotations

from pathlib import Path

import typer

from givefirst.cli.base import app, console, lasting_objects, open_app, print_json
from givefirst.cli.parsing import parse_day

EMAIL = typer.Option([], "--email", "-e", help="An email address (repeat for several).")
PHONE = typer.Option(
    [], "--phone", "-p", help="A phone number; one without a country code is read in your region (init --region)."
)
URL = typer.Option([], "--url", help="A profile URL, e.g. linkedin.com/in/jane-doe (repeat for several).")
ORG = typer.Option(None, "--org", "-o", help="Organization (employer, school, association).")
TITLE = typer.Option(None, "--title", help="Job title.")
LOCATION = typer.Option(None, "--location", "-l", help='Where they are, e.g. "Tampa, FL" or "Remote".')
TAG = typer.Option([], "--tag", "-t", help="A tag (repeat, or comma-separate several).")
HOW_MET = typer.Option(None, "--how-met", help='How and where you met, e.g. "AOP NY chapter meeting".')
MET_ON = typer.Option(None, "--met-on", metavar="DATE", help="When you met (YYYY-MM-DD).")
INTRODUCED_BY = typer.Option(None, "--introduced-by", metavar="PERSON", help="Who introduced you.")
NOTES = typer.Option(None, "--notes", help="Private notes (they never leave your machine).")
JSON = typer.Option(False, "--json", help="Print JSON for scripts.")
PAGE = 20  # rows a listing shows unless --limit says otherwise: a screenful (rich lays out a row in ~4 ms)


@app.command()
def init(
    ctx: typer.Context,
    name: str | None = typer.Option(None, "--name", "-n", help="Your name."),
    email: list[str] = EMAIL,
    location: str | None = LOCATION,
    region: str | None = typer.Option(
        None,
        "--region",
        metavar="COUNTRY",
        help="Your country (IN, US, GB... or its name): phone numbers without a country code are read there. "
        "Saved as default_region in the config file; without it, the country of --location is used.",
    ),
    json_out: bool = JSON,
) -> None:
    """Create your database (if needed) and record who you are; your addresses are remembered for mail imports.

    Example: givefirst init --name "Jordan Reyes" --email jordan@example.com --location "Brooklyn, NY"
             givefirst init --location "Pune, India"    (numbers without a country code are then Indian ones)
    """
    from givefirst.services.me import add_my_address
    from givefirst.services.people import PersonInput, set_me

    application = open_app(ctx)
    code = _region_code(region) if region is not None else None  # refused before anything is written
    pid = set_me(application, PersonInput(name=name, location=location))
    claims = [add_my_address(application, address) for address in email]  # an address a contact had is taken back
    saved = _save_region(ctx, code) if code is not None else None
    db = application.settings.database
    if json_out:
        print_json({"database": db, "me": pid, "emails": [claim.as_dict() for claim in claims],
                    **({"region": saved[0], "config": str(saved[1])} if saved else {})})  # fmt: skip
        return
    for claim in claims:
        if claim.notice:
            console().print(claim.notice)
    console().print(f"Ready: your network lives in {db}")
    if saved:
        console().print(f"Phone numbers without a country code will be read as {saved[0]} (saved in {saved[1]}).")
    console().print('Next: givefirst add "Name" --email …, then givefirst log, givefirst today.')


def _region_code(text: str) -> str:
    """Return the region a country code or a country's name names, or raise InvalidInputError."""
    from givefirst.config import check_region
    from givefirst.errors import InvalidInputError
    from givefirst.ingest.identity import region_of_location

    code = text.strip().upper() if check_region(text.strip().upper()) else region_of_location(text)
    if code is None:
        raise InvalidInputError(f"unknown region {text!r}: give a two-letter country code (US, IN, GB) or a country")
    return code


def _save_region(ctx: typer.Context, code: str) -> tuple[str, Path]:
    """Save the region into the config file (the one in use, else the default one); return it and the file."""
    from givefirst.cli.base import state
    from givefirst.config import default_config_file, save_region

    path = state(ctx).settings().config_file or default_config_file()
    save_region(path, code)
    return code, path


@app.command()
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Full name."),
    email: list[str] = EMAIL,
    phone: list[str] = PHONE,
    url: list[str] = URL,
    org: str | None = ORG,
    title: str | None = TITLE,
    location: str | None = LOCATION,
    tag: list[str] = TAG,
    how_met: str | None = HOW_MET,
    met_on: str | None = MET_ON,
    introduced_by: str | None = INTRODUCED_BY,
    notes: str | None = NOTES,
    json_out: bool = JSON,
) -> None:
    """Add a person to your network.

    Example: givefirst add "Priya Shah" -e priya@acme.example --org Acme -l "Tampa, FL" -t aop-fl
    """
    from givefirst.services.people import PersonInput, add_person

    application = open_app(ctx)
    data = PersonInput(
        name=name, emails=email, phones=phone, urls=url, organization=org, title=title, location=location,
        tags=tag, how_met=how_met, met_on=parse_day(met_on, application.now.date(), "--met-on") if met_on else None,
        introduced_by=introduced_by, notes=notes,
    )  # fmt: skip
    pid = add_person(application, data)
    if json_out:
        print_json({"id": pid, "name": name})
    else:
        console().print(f'Added {name} (id {pid}). Log a touch: givefirst log {pid} --kind meeting -m "…"')


@app.command()
def edit(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or id."),
    name: str | None = typer.Option(None, "--name", help="New name."),
    email: list[str] = EMAIL,
    phone: list[str] = PHONE,
    url: list[str] = URL,
    org: str | None = typer.Option(None, "--org", "-o", help='Organization ("" clears it).'),
    title: str | None = TITLE,
    location: str | None = LOCATION,
    tag: list[str] = TAG,
    remove_tag: list[str] = typer.Option([], "--remove-tag", help="Remove a tag."),
    remove_email: list[str] = typer.Option([], "--remove-email", help="Remove an email."),
    how_met: str | None = HOW_MET,
    met_on: str | None = MET_ON,
    introduced_by: str | None = INTRODUCED_BY,
    notes: str | None = NOTES,
    tier: str | None = typer.Option(
        None, "--tier", help="Override the tier: inner, close, active, acquaintance, dormant, or auto."
    ),
    cadence: int | None = typer.Option(None, "--cadence", metavar="DAYS", help="Days between touches (0: default)."),
    strength: float | None = typer.Option(
        None, "--strength", help="Override tie strength, 0–1 (a negative value clears it)."
    ),
    json_out: bool = JSON,
) -> None:
    """Change what you know about a person; emails, phones, URLs and tags are added to theirs."""
    from givefirst.services.people import PersonInput, edit_person

    application = open_app(ctx)
    data = PersonInput(
        name=name, emails=email, phones=phone, urls=url, organization=org, title=title, location=location,
        tags=tag, how_met=how_met, met_on=parse_day(met_on, application.now.date(), "--met-on") if met_on else None,
        introduced_by=introduced_by, notes=notes, tier=tier, cadence_days=cadence, strength=strength,
    )  # fmt: skip
    pid = edit_person(application, person, data, remove_tags=remove_tag, remove_emails=remove_email)
    if json_out:
        print_json({"id": pid})
    else:
        console().print(f"Updated id {pid}. See it: givefirst show {pid}")


@app.command()
def show(
    ctx: typer.Context,
    person: str = typer.Argument(..., help='Name, email, id, or "me".'),
    limit: int = typer.Option(15, "--limit", help="Timeline entries to show."),
    json_out: bool = JSON,
) -> None:
    """Show a person: profile, tie strength and why, timeline, ledger, needs, offers, ask readiness."""
    from givefirst.cli.render import render_profile
    from givefirst.services.network import profile

    result = profile(open_app(ctx), person, timeline_limit=limit)
    if json_out:
        print_json(result.as_dict())
    else:
        render_profile(console(), result)


@app.command()
def people(
    ctx: typer.Context,
    search: str | None = typer.Option(None, "--search", "-s", help="Text in name, title, notes or an email."),
    tag: str | None = typer.Option(None, "--tag", "-t", help="Only people with this tag."),
    location: str | None = typer.Option(None, "--location", "-l", help="Location contains this text."),
    org: str | None = typer.Option(None, "--org", "-o", help="Organization contains this text."),
    tier: str | None = typer.Option(None, "--tier", help="inner, close, active, acquaintance or dormant."),
    due: bool = typer.Option(
        False, "--due", help="Only people due for a touch, most at stake first (strength × how overdue)."
    ),
    include_weak: bool = typer.Option(
        False, "--include-weak", help="With --due: also ties past cadence but too weak to be due (strength < 0.1)."
    ),
    at_risk: bool = typer.Option(False, "--at-risk", help="Only ties at risk of going cold."),
    sort: str | None = typer.Option(None, "--sort", help="name, strength, recent or due (default: due with --due)."),
    limit: int | None = typer.Option(
        None, "--limit", "-n", help=f"Show at most this many (default {PAGE} in the table, all with --json; 0: all)."
    ),
    json_out: bool = JSON,
) -> None:
    """List people, with filters and sorting.

    Due means worth doing: past the tie's cadence, strength at least 0.1 by default (or a cadence/tier you set),
    most at stake first (docs/scores.md).

    Examples: givefirst people --due;  givefirst people --due --include-weak;  givefirst people -l FL --tier close
    """
    from givefirst.services.network import people_page

    if limit is None and not json_out:
        limit = PAGE  # a table of 20,000 rows helps nobody; the footer says how to see more
    with lasting_objects():
        rels, total = people_page(
            open_app(ctx), search=search, tag=tag, location=location, organization=org, tier=tier, due=due,
            at_risk=at_risk, sort=sort or ("due" if due else "name"), limit=limit, include_weak=include_weak,
            count=not json_out,
        )  # fmt: skip
    if json_out:
        print_json([r.as_dict() for r in rels])
    else:
        from givefirst.cli.render import render_people

        render_people(console(), rels, total)
