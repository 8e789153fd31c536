"""`givefirst intro …`: broker an introduction from suggestion to outcome, with drafts for every message."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from givefirst.cli.base import app, console, open_app, print_json, state
from givefirst.cli.parsing import parse_when
from givefirst.domain.words import plural

if TYPE_CHECKING:
    from givefirst.services.introductions import IntroView, Result

intro_app = typer.Typer(
    help=(
        "Introduce two people who should meet — double opt-in by default.\n\n"
        "The etiquette: ask each person privately before you connect them, so nobody gets an introduction they "
        "did not want. An introduction goes suggested → asked A → A agreed → asked B → B agreed → introduced → "
        "closed with an outcome (hired, met, helped, nothing); anyone can decline on the way.\n\n"
        "A typical run:\n\n"
        '  givefirst intro new "Ana Ruiz" "Ben Ortiz" --reason "Ana wants a data role in Tampa; Ben hires there"\n\n'
        "  givefirst intro draft 1 --eml ask-ana.eml   (open it in your mail client, edit, send)\n\n"
        "  givefirst intro asked 1  ·  intro agreed 1  ·  intro asked 1  ·  intro agreed 1  ·  intro introduced 1\n\n"
        "  givefirst intro close 1 --outcome hired\n\n"
        "Each step is logged as an interaction; the introduction counts as a give to both; `givefirst today` "
        "reminds you to nudge an unanswered ask after a week and to ask how it went two weeks after. "
        "givefirst never sends anything itself."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(intro_app, name="intro")

JSON = typer.Option(False, "--json", help="Print JSON for scripts.")
INTRO_ID = typer.Argument(..., metavar="ID", help="The introduction's id (see `givefirst intro list`).")
VIA = typer.Option(
    None, "--via", metavar="HOW", help="How it happened: email (default), message, call, video, meeting."
)
NOTE = typer.Option("", "--note", "-m", help="A note for the timeline, e.g. what they said.")
ON = typer.Option(None, "--on", metavar="WHEN", help="When it happened: YYYY-MM-DD [HH:MM], yesterday, '3 days ago'.")


def _print_result(result: Result, json_out: bool, headline: str | None = None) -> None:
    view = result.view
    if json_out:
        print_json({**view.to_json(), "notes": list(result.notes)})
        return
    out = console()
    out.print(headline or f"Introduction #{view.id}: {view.first.name} → {view.second.name} — {view.status}.")
    for note in result.notes:
        out.print(f"  {note}")
    _print_next(view)


def _print_next(view: IntroView) -> None:
    from givefirst.domain.introductions import Action

    nxt = view.next
    if nxt.action is None:
        return
    commands = {
        Action.ASK: f"givefirst intro draft {view.id}   then   givefirst intro asked {view.id}",
        Action.AGREE: f"givefirst intro agreed {view.id}  |  declined {view.id}  |  no-answer {view.id}",
        Action.INTRODUCE: f"givefirst intro draft {view.id}   then   givefirst intro introduced {view.id}",
        Action.CLOSE: f"givefirst intro close {view.id} --outcome hired|met|helped|nothing",
    }
    console().print(f"Next: {view.next_text}.\n  {commands[nxt.action]}")


def _when(ctx: typer.Context, on: str | None) -> Any:
    return parse_when(on, open_app(ctx).now, "--on") if on else None


@intro_app.command("new")
def new(
    ctx: typer.Context,
    first: str | None = typer.Argument(None, metavar="[A]", help="The person asked first: name, email or id."),
    second: str | None = typer.Argument(None, metavar="[B]", help="The person asked second."),
    reason: str = typer.Option("", "--reason", "-r", help="Why they should meet; it goes into every draft."),
    need: int | None = typer.Option(None, "--need", metavar="ID", help="The need this serves (givefirst needs)."),
    offer: int | None = typer.Option(None, "--offer", metavar="ID", help="The offer that meets it (givefirst offers)."),
    direct: bool = typer.Option(False, "--direct", help="Skip the opt-in: you will introduce them straight away."),
    note: str = NOTE,
    on: str | None = typer.Option(
        None, "--on", metavar="WHEN", help="When you thought of it, if earlier (steps cannot come before it)."
    ),
    json_out: bool = JSON,
) -> None:
    """Suggest an introduction between A and B (A is asked first), or for a need and an offer.

    With --need and --offer the two people and the reason can be left out: the one with the need is asked
    first. Nobody is contacted until you say so.

    Examples:

      givefirst intro new "Ana Ruiz" "Ben Ortiz" -r "Ana is moving to Tampa; Ben's team hires data engineers"

      givefirst intro new --need 4 --offer 9
    """
    from givefirst.services.introductions import create

    result = create(open_app(ctx), first, second, reason=reason, need_id=need, offer_id=offer, direct=direct,
                    note=note, at=_when(ctx, on))  # fmt: skip
    v = result.view
    _print_result(result, json_out, f"Suggested introduction #{v.id}: {v.first.name} → {v.second.name} ({v.reason})")


@intro_app.command("list")
def list_(
    ctx: typer.Context,
    person: str | None = typer.Argument(None, help="Only introductions involving this person."),
    state: list[str] = typer.Option(
        [], "--state", "-s", help="Only these states (repeat): suggested, asked_first, …, closed, declined, no_answer."
    ),
    all_: bool = typer.Option(False, "--all", help="Include finished ones (closed, declined, no answer)."),
    json_out: bool = JSON,
) -> None:
    """List introductions in play (all of them with --all): open ones first, the latest changed first."""
    from rich.table import Table

    from givefirst.services.introductions import list_introductions, parse_state

    views = list_introductions(
        open_app(ctx), states=[parse_state(s) for s in state] or None, person=person, include_finished=all_
    )
    if json_out:
        print_json([v.to_json() for v in views])
        return
    table = Table(show_edge=False, pad_edge=False)
    for column in ("id", "A", "B", "status", "since", "reason"):
        table.add_column(column)
    for v in views:
        reason = v.reason if len(v.reason) <= 60 else v.reason[:59].rstrip() + "…"
        table.add_row(str(v.id), v.first.name, v.second.name, v.status, f"{v.updated_at:%Y-%m-%d}", reason)
    out = console()
    out.print(table)
    out.print(plural(len(views), "introduction") + ("" if all_ or state else " in play (--all for finished ones)"))


@intro_app.command("show")
def show(ctx: typer.Context, intro_id: int = INTRO_ID, json_out: bool = JSON) -> None:
    """Show an introduction: both people, the reason, every step so far and what comes next."""
    from givefirst.services.introductions import show as show_intro

    v = show_intro(open_app(ctx), intro_id)
    if json_out:
        print_json(v.to_json())
        return
    out = console()
    out.print(f"Introduction #{v.id}" + (" (direct)" if v.direct else " (double opt-in)"))
    for label, party in (("A", v.first), ("B", v.second)):
        out.print(f"  {label}: {party.name}" + (f" <{party.emails[0]}>" if party.emails else "  (no email)"))
    out.print(f"  why: {v.reason}")
    if v.need:
        out.print(f"  need #{v.need_id}: {v.need}")
    if v.offer:
        out.print(f"  offer #{v.offer_id}: {v.offer}")
    out.print(f"  status: {v.status}")
    for s in v.steps:
        out.print(f"    {s.at:%Y-%m-%d %H:%M}  {s.state.value}" + (f"  — {s.note}" if s.note else ""))
    _print_next(v)


def _step(ctx: typer.Context, intro_id: int, action: str, json_out: bool, **kwargs: Any) -> None:
    from givefirst.domain.introductions import Action
    from givefirst.services.introductions import parse_via, take_next, take_step

    via = kwargs.pop("via", None)
    kwargs["via"] = parse_via(via) if via else None
    kwargs["at"] = _when(ctx, kwargs.pop("on", None))
    application = open_app(ctx)
    if action == "next":
        result = take_next(application, intro_id, **kwargs)
    else:
        result = take_step(application, intro_id, Action(action), **kwargs)
    _print_result(result, json_out)


@intro_app.command("next")
def next_(
    ctx: typer.Context,
    intro_id: int = INTRO_ID,
    via: str | None = VIA,
    note: str = NOTE,
    on: str | None = ON,
    json_out: bool = JSON,
) -> None:
    """Record the step that naturally comes next on the happy path (asked, agreed or introduced)."""
    _step(ctx, intro_id, "next", json_out, via=via, note=note, on=on)


@intro_app.command("asked")
def asked(
    ctx: typer.Context,
    intro_id: int = INTRO_ID,
    who: str | None = typer.Option(
        None, "--who", metavar="A|B", help="Who you asked (default: A, then B); asking B first makes B the first."
    ),
    via: str | None = VIA,
    note: str = NOTE,
    on: str | None = ON,
    json_out: bool = JSON,
) -> None:
    """Record that you asked the next person (A, then B) whether they would like the introduction.

    If they have not answered in a week, `givefirst today` reminds you to nudge them.
    """
    _step(ctx, intro_id, "ask", json_out, who=who, via=via, note=note, on=on)


@intro_app.command("agreed")
def agreed(
    ctx: typer.Context,
    intro_id: int = INTRO_ID,
    who: str | None = typer.Option(
        None, "--who", metavar="A|B", help="Who said yes (a check: it must be who was asked)."
    ),
    via: str | None = VIA,
    note: str = NOTE,
    on: str | None = ON,
    json_out: bool = JSON,
) -> None:
    """Record that the person you asked said yes."""
    _step(ctx, intro_id, "agree", json_out, who=who, via=via, note=note, on=on)


@intro_app.command("declined")
def declined(
    ctx: typer.Context,
    intro_id: int = INTRO_ID,
    who: str | None = typer.Option(
        None,
        "--who",
        metavar="A|B|me",
        help="Who said no: A, B, me (you dropped it) or a name; default: who was asked.",
    ),
    via: str | None = VIA,
    note: str = NOTE,
    on: str | None = ON,
    json_out: bool = JSON,
) -> None:
    """Record that someone declined. Final: the pair is never suggested again for this reason."""
    _step(ctx, intro_id, "decline", json_out, who=who, via=via, note=note, on=on)


@intro_app.command("no-answer")
def no_answer(
    ctx: typer.Context, intro_id: int = INTRO_ID, note: str = NOTE, on: str | None = ON, json_out: bool = JSON
) -> None:
    """Record that the person asked never answered, and let it go (you can start a new one later)."""
    _step(ctx, intro_id, "no_answer", json_out, note=note, on=on)


@intro_app.command("introduced")
def introduced(
    ctx: typer.Context,
    intro_id: int = INTRO_ID,
    direct: bool = typer.Option(False, "--direct", help="Introduce them even though not both have agreed."),
    via: str | None = VIA,
    note: str = NOTE,
    on: str | None = ON,
    json_out: bool = JSON,
) -> None:
    """Record that you introduced them: a give to both, and a follow-up in two weeks to ask how it went."""
    _step(ctx, intro_id, "introduce", json_out, direct=direct, via=via, note=note, on=on)


@intro_app.command("close")
def close(
    ctx: typer.Context,
    intro_id: int = INTRO_ID,
    outcome: str = typer.Option(..., "--outcome", "-o", metavar="OUTCOME", help="hired, met, helped or nothing."),
    note: str = NOTE,
    on: str | None = ON,
    json_out: bool = JSON,
) -> None:
    """Close an introduction with how it went; hired or helped also marks its need met."""
    from givefirst.services.introductions import parse_outcome

    _step(ctx, intro_id, "close", json_out, outcome=parse_outcome(outcome), note=note, on=on)


@intro_app.command("draft")
def draft(
    ctx: typer.Context,
    intro_id: int = INTRO_ID,
    step: str | None = typer.Option(
        None, "--step", metavar="DRAFT", help="ask-first, ask-second, introduce or follow-up (default: what is due)."
    ),
    mailto_: bool = typer.Option(False, "--mailto", help="Print a mailto: link instead of the text."),
    eml: Path | None = typer.Option(None, "--eml", metavar="FILE", help="Write an .eml draft for your mail client."),
    json_out: bool = JSON,
) -> None:
    """Draft the message the introduction needs now: the opt-in question to A or B, or the introduction.

    Drafts come from templates you can edit (see `givefirst intro templates`). Nothing is sent: copy the
    text, open the mailto: link, or open the .eml file in your mail client, edit and send it yourself.
    """
    from givefirst.services.drafts import draft as make_draft
    from givefirst.services.drafts import eml as to_eml
    from givefirst.services.drafts import mailto, parse_draft_kind
    from givefirst.services.export import write_atomically

    application = open_app(ctx)
    d = make_draft(application, intro_id, parse_draft_kind(step) if step else None)
    if json_out:
        print_json(d.to_json())
        return
    out = console()
    if eml is not None:
        write_atomically(eml, to_eml(d, application.now))
        out.print(f"Wrote the {d.kind.value.replace('_', ' ')} draft to {eml}; open it in your mail client to send.")
    elif mailto_:
        out.print(mailto(d), markup=False)
    else:
        out.print(d.text, markup=False)
    if d.missing:
        import sys

        sys.stderr.write(f"note: no email address for {', '.join(d.missing)} (add one with givefirst edit NAME -e)\n")


@intro_app.command("templates")
def templates(
    ctx: typer.Context,
    copy: bool = typer.Option(False, "--copy", help="Copy the built-in templates to your folder to edit them."),
    json_out: bool = JSON,
) -> None:
    """Show the draft templates and where your own copies go (a copy there replaces the built-in one).

    Templates are Jinja text: a 'Subject:' line, a blank line, then the body. Variables: first, second
    (name, first_name, about, title, organization, location, email, need, offer), to, other, me, reason,
    need, offer, direct.
    """
    from givefirst.services.drafts import copy_templates, template_list

    settings = state(ctx).settings()
    written = copy_templates(settings) if copy else []
    infos = template_list(settings)
    if json_out:
        print_json([i.to_json() for i in infos])
        return
    out = console()
    for i in infos:
        out.print(f"{i.kind.value:<11} {'yours   ' if i.overridden else 'built-in'}  {i.override}", markup=False)
    if written:
        out.print(f"Copied {plural(len(written), 'template')}; edit them and `givefirst intro draft` uses yours.")
    elif not copy:
        out.print("Edit your own: givefirst intro templates --copy")
