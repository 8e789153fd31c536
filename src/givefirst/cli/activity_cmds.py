"""Commands that record what happened: log, gave, got, ask, need, offer, needs, offers, close."""

from __future__ import annotations

import typer

from givefirst.cli.base import app, console, open_app, print_json
from givefirst.cli.parsing import parse_day, parse_when

JSON = typer.Option(False, "--json", help="Print JSON for scripts.")
WHEN = typer.Option(None, "--on", metavar="WHEN", help="When: YYYY-MM-DD [HH:MM], yesterday, '3 days ago'.")
KIND_HELP = "introduction, job_lead, referral, information, advice, recommendation, invitation, favour, other"


@app.command()
def log(
    ctx: typer.Context,
    people: list[str] = typer.Argument(..., help="One or more people: names, emails or ids."),
    kind: str = typer.Option("message", "--kind", "-k", help="meeting, call, video, event, message, email, note."),
    direction: str | None = typer.Option(
        None, "--direction", "-d", help="outbound, inbound or mutual (default: by kind)."
    ),
    summary: str = typer.Option("", "--summary", "-m", help="What it was about."),
    on: str | None = WHEN,
    follow_up: str | None = typer.Option(
        None, "--follow-up", metavar="DATE", help="Remind me to follow up on this date (e.g. 3d)."
    ),
    json_out: bool = JSON,
) -> None:
    """Log an interaction with one or more people. A future date plans it.

    Example: givefirst log "Priya Shah" "Marcus Lee" --kind meeting -m "Lunch at AOP" --follow-up 3d
    """
    from givefirst.services.activity import log_interaction, parse_direction, parse_interaction_kind

    application = open_app(ctx)
    now = application.now
    iid = log_interaction(
        application,
        people,
        kind=parse_interaction_kind(kind),
        direction=parse_direction(direction) if direction else None,
        at=parse_when(on, now, "--on") if on else None,
        summary=summary,
        follow_up_on=parse_day(follow_up, now.date(), "--follow-up") if follow_up else None,
    )
    if json_out:
        print_json({"id": iid})
    else:
        console().print(f"Logged interaction {iid} with {', '.join(people)}.")


@app.command()
def gave(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or id."),
    what: str = typer.Argument(..., help='What you gave, e.g. "intro to a Tampa CFO".'),
    kind: str = typer.Option("other", "--kind", "-k", help=KIND_HELP),
    promised: bool = typer.Option(False, "--promised", help="You promised it and have not done it yet."),
    requested: bool = typer.Option(False, "--requested", help="They asked you for it."),
    due: str | None = typer.Option(None, "--due", metavar="DATE", help="When you promised it by."),
    on: str | None = WHEN,
    json_out: bool = JSON,
) -> None:
    """Record something you gave (or promised): an intro, a lead, advice, a favour.

    A promise shows in `givefirst today` until you mark it done.
    """
    from givefirst.domain.model import ExchangeDirection, ExchangeStatus
    from givefirst.services.ledger import parse_kind, record

    application = open_app(ctx)
    now = application.now
    eid = record(
        application, person, ExchangeDirection.GAVE, what, kind=parse_kind(kind),
        status=ExchangeStatus.PROMISED if promised else ExchangeStatus.DONE, requested=requested,
        at=parse_when(on, now, "--on") if on else None,
        due_on=parse_day(due, now.date(), "--due") if due else None,
    )  # fmt: skip
    if json_out:
        print_json({"id": eid})
    else:
        verb = "Promised" if promised else "Recorded give"
        console().print(f"{verb} #{eid} to {person}: {what}")


@app.command()
def got(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or id."),
    what: str = typer.Argument(..., help="What they gave you."),
    kind: str = typer.Option("other", "--kind", "-k", help=KIND_HELP),
    on: str | None = WHEN,
    json_out: bool = JSON,
) -> None:
    """Record something someone gave you (a favour received counts in the balance)."""
    from givefirst.domain.model import ExchangeDirection
    from givefirst.services.ledger import parse_kind, record

    application = open_app(ctx)
    at = parse_when(on, application.now, "--on") if on else None
    eid = record(application, person, ExchangeDirection.RECEIVED, what, kind=parse_kind(kind), at=at)
    if json_out:
        print_json({"id": eid})
    else:
        console().print(f"Recorded #{eid}: {person} gave you {what}")


@app.command()
def ask(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or id."),
    what: str = typer.Argument(..., help="What you are asking for."),
    kind: str = typer.Option("other", "--kind", "-k", help=KIND_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only show the readiness; record nothing."),
    json_out: bool = JSON,
) -> None:
    """Check whether a relationship can carry an ask, then record it. Warns, never blocks.

    Readiness weighs the give/ask balance, time since the last touch and the last ask, and tie strength;
    when it is not ready it proposes a give-first alternative.
    """
    from givefirst.cli.render import render_readiness
    from givefirst.services.ledger import ask as ask_service
    from givefirst.services.ledger import parse_kind

    result = ask_service(open_app(ctx), person, what, kind=parse_kind(kind), record_it=not dry_run)
    r = result.readiness
    if json_out:
        print_json({
            "id": result.exchange_id, "person_id": result.person_id, "verdict": r.verdict.value,
            "reasons": list(r.reasons), "in_favour": list(r.strengths), "alternative": r.alternative,
        })  # fmt: skip
        return
    out = console()
    render_readiness(out, result.name, r)
    if result.exchange_id is not None:
        out.print(f"Recorded ask #{result.exchange_id}. When they help: givefirst done-ask {result.exchange_id}")


@app.command("done-ask")
def done_ask(
    ctx: typer.Context,
    ask_id: int = typer.Argument(..., help="The ask's id."),
    declined: bool = typer.Option(False, "--declined", help="They said no."),
) -> None:
    """Close an ask: they helped (default) or declined."""
    from givefirst.domain.model import ExchangeStatus
    from givefirst.services.ledger import set_status

    set_status(open_app(ctx), ask_id, ExchangeStatus.DECLINED if declined else ExchangeStatus.DONE)
    console().print(f"Ask #{ask_id} {'declined' if declined else 'done'}.")


def _add_item(ctx: typer.Context, which: str, person: str, text: str, tag: list[str], location: str | None,
              expires: str | None, suggestions: int, json_out: bool, publish: str | None = None,
              hub: str | None = None) -> None:  # fmt: skip
    from givefirst.services.needs import record_item

    application = open_app(ctx)
    expires_on = parse_day(expires, application.now.date(), "--expires") if expires else None
    recorded = record_item(application, which, person, text, tags=tag, location=location, expires_on=expires_on,
                           suggestions=suggestions, publish=publish, hub=hub)  # fmt: skip
    if json_out:
        print_json({"id": recorded.id, "suggestions": [s.as_dict() for s in recorded.suggestions],
                    "hub": recorded.hub_lines})  # fmt: skip
        return
    out = console()
    out.print(f"Recorded {which} #{recorded.id} for {person}: {text}", markup=False)
    for line in recorded.hub_lines:
        out.print(line, markup=False)
    if suggestions:
        from givefirst.cli.match_cmds import _render

        if which == "need":
            out.print("\n[bold]Offers that meet it[/bold]")
            empty = f"      nothing fits it yet (lower the bar: givefirst match --need {recorded.id} --min-score 0.3)"
        else:
            out.print("\n[bold]Needs it can serve[/bold]")
            empty = "      nobody's open need fits it yet"
        _render(out, recorded.suggestions, empty)


TAGS = typer.Option([], "--tag", "-t", help="A tag, e.g. jobs, finance (repeat or comma-separate).")
ITEM_LOCATION = typer.Option(None, "--location", "-l", help="Where it applies (default: the person's location).")
EXPIRES = typer.Option(None, "--expires", metavar="DATE", help="When it goes stale (e.g. 2026-12-31 or 3w).")
SUGGESTIONS = typer.Option(
    3, "--suggestions", "-s", metavar="N", help="Show its best N matches (0: none), as `givefirst match` does."
)
PUBLISH = typer.Option(
    None, "--publish", metavar="WHO",
    help="Your own only: publish it to your joined hub, seen by: chapter, association or leads.",
)  # fmt: skip
PUBLISH_HUB = typer.Option(None, "--hub", metavar="NAME", help="With --publish: which joined hub, when several.")


@app.command()
def need(
    ctx: typer.Context,
    person: str = typer.Argument(..., help='Whose need: name, email, id or "me".'),
    text: str = typer.Argument(..., help="The need in their words."),
    tag: list[str] = TAGS,
    location: str | None = ITEM_LOCATION,
    expires: str | None = EXPIRES,
    suggestions: int = SUGGESTIONS,
    publish: str | None = PUBLISH,
    hub: str | None = PUBLISH_HUB,
    json_out: bool = JSON,
) -> None:
    """Record what someone is looking for (needs go stale: give --expires), then show the offers that meet it.

    Example: givefirst need "Priya Shah" "Looking for a fractional CFO, Tampa or remote" -t finance
    """
    _add_item(ctx, "need", person, text, tag, location, expires, suggestions, json_out, publish, hub)


@app.command()
def offer(
    ctx: typer.Context,
    person: str = typer.Argument(..., help='Whose offer: name, email, id, or "me" for your own giveables.'),
    text: str = typer.Argument(..., help="What they can give."),
    tag: list[str] = TAGS,
    location: str | None = ITEM_LOCATION,
    expires: str | None = EXPIRES,
    suggestions: int = SUGGESTIONS,
    publish: str | None = PUBLISH,
    hub: str | None = PUBLISH_HUB,
    json_out: bool = JSON,
) -> None:
    """Record what someone can offer; yours ("me") are giveables: a job lead, spare tickets, your expertise.
    Then show the open needs it can serve.

    Example: givefirst offer me "Spare ticket to ProMat in March" -t events --expires 2027-03-01
    """
    _add_item(ctx, "offer", person, text, tag, location, expires, suggestions, json_out, publish, hub)


def _list_items(
    ctx: typer.Context, which: str, person: str | None, include_closed: bool, limit: int | None, json_out: bool
) -> None:
    from givefirst.services.needs import items_page

    if limit is None and not json_out:
        limit = PAGE  # the table shows a page; the footer says how to see more
    items, total = items_page(open_app(ctx), which, person, include_closed, limit)
    if json_out:
        print_json(items)
    else:
        from givefirst.cli.render import render_items

        render_items(console(), which, items, total)


PAGE = 20  # a screenful: rich lays a table out at some milliseconds a row
LIMIT = typer.Option(
    None, "--limit", "-n", help=f"Show at most this many (default {PAGE} in the table, all with --json; 0: all)."
)


@app.command()
def needs(
    ctx: typer.Context,
    person: str | None = typer.Argument(None, help="Only this person's."),
    all_: bool = typer.Option(False, "--all", help="Include met, withdrawn and expired needs."),
    limit: int | None = LIMIT,
    json_out: bool = JSON,
) -> None:
    """List open needs across your network (or one person's), oldest first."""
    _list_items(ctx, "need", person, all_, limit, json_out)


@app.command()
def offers(
    ctx: typer.Context,
    person: str | None = typer.Argument(None, help='Only this person\'s ("me" for your giveables).'),
    all_: bool = typer.Option(False, "--all", help="Include given, withdrawn and expired offers."),
    limit: int | None = LIMIT,
    json_out: bool = JSON,
) -> None:
    """List open offers across your network (or one person's), oldest first."""
    _list_items(ctx, "offer", person, all_, limit, json_out)


@app.command()
def close(
    ctx: typer.Context,
    which: str = typer.Argument(..., help="need or offer"),
    item_id: int = typer.Argument(..., help="Its id (shown by `givefirst needs` / `offers`)."),
    as_: str = typer.Option("", "--as", help="need: met or withdrawn; offer: given or withdrawn; or open."),
) -> None:
    """Close a need (met, withdrawn) or an offer (given, withdrawn), so the plan stops proposing it."""
    from givefirst.errors import InvalidInputError
    from givefirst.services.needs import close_item

    if which not in ("need", "offer"):
        raise InvalidInputError(f"close a need or an offer, not {which!r}")
    status = as_ or ("met" if which == "need" else "given")
    lines = close_item(open_app(ctx), which, item_id, status)
    console().print(f"{which.capitalize()} #{item_id} marked {status}.")
    for line in lines:
        console().print(line, markup=False)


@app.command()
def update(
    ctx: typer.Context,
    which: str = typer.Argument(..., help="need or offer"),
    item_id: int = typer.Argument(..., help="Its id (shown by `givefirst needs` / `offers`)."),
    text: str | None = typer.Option(None, "--text", help="What it says now."),
    tag: list[str] = typer.Option([], "--tag", "-t", help="Its tags now (repeat or comma-separate)."),
    location: str | None = typer.Option(None, "--location", "-l", help="Where it applies now."),
) -> None:
    """Change what a need or offer says; a published one is changed on its hub too.

    Example: givefirst update need 12 --text "Looking for a fractional CFO, remote is fine"
    """
    from givefirst.errors import InvalidInputError
    from givefirst.services.needs import edit_item

    if which not in ("need", "offer"):
        raise InvalidInputError(f"update a need or an offer, not {which!r}")
    if text is None and not tag and location is None:
        raise InvalidInputError("say what changes: --text, --tag or --location")
    lines = edit_item(open_app(ctx), which, item_id, text=text, tags=tag or None, location=location)
    console().print(f"{which.capitalize()} #{item_id} updated.")
    for line in lines:
        console().print(line, markup=False)
