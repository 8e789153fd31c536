"""`givefirst heard`: needs and offers heard in your messages and notes, to accept, edit, reject or skip."""

from __future__ import annotations

from typing import Any

import typer

from givefirst.cli.base import app, console, open_app, print_json

JSON = typer.Option(False, "--json", help="Print JSON for scripts.")
CANDIDATE = typer.Argument(..., metavar="ID", help="The candidate's id (see `givefirst heard`).")

heard_app = typer.Typer(
    help=(
        "Needs and offers heard in what people already said — LinkedIn messages, your notes and meeting "
        "summaries, calendar descriptions, notes on people, the mail whose bodies you chose to keep — proposed "
        "for you to accept in one step.\n\n"
        "  givefirst heard                      read what is new, then list the candidates\n\n"
        "  givefirst heard accept 12            record it as their need (or offer), straight into matching\n\n"
        '  givefirst heard accept 12 --edit "Looking for a restaurant bookkeeper in Tampa"\n\n'
        "  givefirst heard reject 13 · heard skip 14   (a rejected one is never proposed again)\n\n"
        "  givefirst heard sources · heard off linkedin · heard on linkedin   (remembered, here and on the web)\n\n"
        "Templates and mass messages (recruiters, sales sequences, event blasts, the same text to many people) are "
        "kept out. Emails are read where their bodies are kept (import mbox FILE --bodies; source set NAME --bodies "
        "on); --mail also reads the subjects of the others. --without SOURCE leaves a source out for one run."
    ),
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(heard_app, name="heard")


def _render(out: Any, items: list[dict[str, Any]]) -> None:
    for c in items:
        whose = "Your" if c["person"] == "you" else f"{c['person']}'s"
        status = "" if c["status"] == "proposed" else f"  [{c['status']}]"
        out.print(f"#{c['id']}  {whose} {c['kind']} ({c['confidence']:.2f}){status}", markup=False)
        out.print(f"      “{c['sentence']}”", markup=False)
        out.print(f"      {c['provenance']}", style="dim", markup=False)


@heard_app.callback(invoke_without_command=True)
def heard(
    ctx: typer.Context,
    status: str = typer.Option(
        "proposed", "--status", help="Which candidates: proposed, accepted, rejected, skipped, broadcast or all."
    ),
    limit: int = typer.Option(30, "--limit", "-n", help="How many to list."),
    no_scan: bool = typer.Option(False, "--no-scan", help="List only; do not read new messages and notes first."),
    mail: bool = typer.Option(
        False, "--mail", help="Also read the subject lines of emails whose body was not kept (--bodies)."
    ),
    without: list[str] = typer.Option(
        [],
        "--without",
        metavar="SOURCE",
        help="Leave a source out of this run (linkedin, manual, vcard, ics, notes, mbox, imap…); repeat. To leave "
        "it out for good: givefirst heard off SOURCE.",
    ),
    json_out: bool = JSON,
) -> None:
    """Read what is new, then list the needs and offers heard there, the surest first."""
    if ctx.invoked_subcommand is not None:
        return
    from givefirst.services import heard as service

    application = open_app(ctx)
    report = None if no_scan else service.scan(application, mail=mail, sources_off=tuple(without))
    items = service.list_candidates(application, status, limit)
    if json_out:
        scanned = None if report is None else {k: v for k, v in vars(report).items()}
        print_json({"scan": scanned, "candidates": items})
        return
    out = console()
    if report is not None:
        out.print(
            f"Read {report.read} new texts: {report.proposed} proposed, {report.already_known} already known, "
            f"{report.broadcast} from templates or mass messages left out.",
            style="dim",
        )
    if not items:
        out.print(f"No {status} candidates." if status != "proposed" else "Nothing new heard.")
        return
    _render(out, items)
    if status == "proposed":
        out.print("Next: givefirst heard accept ID [--edit TEXT] · heard reject ID · heard skip ID", style="dim")


@heard_app.command("list")
def list_cmd(
    ctx: typer.Context,
    status: str = typer.Option("proposed", "--status", help="proposed, accepted, rejected, skipped, broadcast, all."),
    limit: int = typer.Option(30, "--limit", "-n", help="How many to list."),
    json_out: bool = JSON,
) -> None:
    """List the candidates without reading anything new."""
    from givefirst.services import heard as service

    items = service.list_candidates(open_app(ctx), status, limit)
    if json_out:
        print_json(items)
        return
    out = console()
    if not items:
        out.print(f"No {status} candidates.")
    _render(out, items)


@heard_app.command("accept")
def accept(
    ctx: typer.Context,
    candidate: int = CANDIDATE,
    edit: str | None = typer.Option(None, "--edit", metavar="TEXT", help="Record this text instead of the sentence."),
    json_out: bool = JSON,
) -> None:
    """Record the candidate as the person's need or offer; it is matched at once."""
    from givefirst.services import heard as service

    done = service.accept(open_app(ctx), candidate, edit)
    if json_out:
        print_json(done)
        return
    whose = "your" if done["person"] == "you" else f"{done['person']}'s"
    console().print(
        f"Recorded {whose} {done['kind']} #{done['item_id']} ({done['provenance']}). "
        f"See what fits: givefirst match --{done['kind']} {done['item_id']}"
        if done["kind"] == "need"
        else f"Recorded {whose} offer #{done['item_id']} ({done['provenance']}). See what fits: givefirst match",
        markup=False,
    )


def _decide(ctx: typer.Context, candidate: int, status: str, json_out: bool) -> None:
    from givefirst.services import heard as service

    done = service.decide(open_app(ctx), candidate, status)
    if json_out:
        print_json(done)
        return
    note = " It will not be proposed again." if status == "rejected" else " Accept it later with `heard accept`."
    console().print(f"Candidate #{candidate} {status}.{note}", markup=False)


@heard_app.command("reject")
def reject(ctx: typer.Context, candidate: int = CANDIDATE, json_out: bool = JSON) -> None:
    """Not a need or offer: never proposed again."""
    _decide(ctx, candidate, "rejected", json_out)


@heard_app.command("skip")
def skip(ctx: typer.Context, candidate: int = CANDIDATE, json_out: bool = JSON) -> None:
    """Not now: kept aside (list with --status skipped), acceptable later."""
    _decide(ctx, candidate, "skipped", json_out)


@heard_app.command("sources")
def sources_cmd(ctx: typer.Context, json_out: bool = JSON) -> None:
    """List the sources heard reads from, each on or off (remembered), with how many texts it holds."""
    from givefirst.services import heard as service

    found = service.sources(open_app(ctx))
    if json_out:
        print_json(found)
        return
    out = console()
    for s in found:
        kept = f", {s['bodies_kept']} mail bodies kept" if "bodies_kept" in s else ""
        count = f"{s['texts']} notes" if s["source"] == service.NOTES else f"{s['texts']} interactions"
        state = "on " if s["on"] else "off"
        out.print(f"{state}  {s['source']:<14} {s['what']} ({count}{kept})", markup=False)
    out.print("Turn one off (or on): givefirst heard off SOURCE · givefirst heard on SOURCE", style="dim")


def _switch(ctx: typer.Context, source: str, on: bool, json_out: bool, forget_bodies: bool = False) -> None:
    from givefirst.services import heard as service

    done = service.set_source(open_app(ctx), source, on, forget_bodies=forget_bodies)
    if json_out:
        print_json(done)
        return
    if on:
        text = f"Heard reads {done['source']} again (its texts not read yet are read on the next run)."
    else:
        text = (f"Heard leaves {done['source']} out from now on: its texts are not read, and its open candidates "
                "are not listed. `givefirst heard on` brings it back.")  # fmt: skip
        if forget_bodies:
            text += f" {done['bodies_forgotten']} kept mail bodies deleted; the mail itself stays, as headers."
    console().print(text, markup=False)


SOURCE = typer.Argument(..., metavar="SOURCE", help="A source from `givefirst heard sources`: linkedin, notes, mbox…")


@heard_app.command("off")
def off(
    ctx: typer.Context,
    source: str = SOURCE,
    forget_bodies: bool = typer.Option(
        False, "--forget-bodies", help="Also delete the mail bodies this source kept (mbox, maildir, imap:NAME)."
    ),
    json_out: bool = JSON,
) -> None:
    """Stop hearing from a source (remembered: heard, the web's Heard page and the background sync obey it).

    Example: givefirst heard off mbox --forget-bodies   (the mail stays as headers; its kept text is deleted)
    """
    _switch(ctx, source, False, json_out, forget_bodies)


@heard_app.command("on")
def on(ctx: typer.Context, source: str = SOURCE, json_out: bool = JSON) -> None:
    """Hear from a source again."""
    _switch(ctx, source, True, json_out)
