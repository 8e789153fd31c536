"""Commands for the daily loop: today, done, snooze, stats, demo."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import typer

from givefirst.cli.base import app, console, lasting_objects, open_app, print_json, state
from givefirst.domain.words import plural

JSON = typer.Option(False, "--json", help="Print JSON for scripts.")


def _plan_json(items: list) -> list[dict[str, object]]:  # type: ignore[type-arg]
    return [
        {
            "key": i.key, "kind": i.kind.value, "people": [{"id": pid, "name": n} for pid, n in i.people],
            "title": i.title, "why": list(i.why), "message": i.message, "command": i.command,
            "score": round(i.score, 4),
        }
        for i in items
    ]  # fmt: skip


@app.command()
def today(
    ctx: typer.Context,
    size: int | None = typer.Option(None, "--size", "-n", help="How many items (default 7; config [plan] size)."),
    json_out: bool = JSON,
) -> None:
    """What to do for your network today: a short, ranked, give-first plan.

    Sections: what you owe, give opportunities, keeping in touch, a dormant tie, upcoming.
    Each item ends with the command that marks it done; `givefirst snooze KEY` puts it off.
    """
    with lasting_objects():
        from givefirst.cli.render import render_plan
        from givefirst.services.plan import today as plan_today

        application = open_app(ctx)
        items = plan_today(application, size)
    if json_out:
        print_json({"date": application.now.date().isoformat(), "items": _plan_json(items)})
        return
    weak = 0
    if not items:  # say why: after a first import, most ties are often too weak to be due (docs/scores.md)
        from givefirst.services.network import list_people

        weak = len(list_people(application, due=True, include_weak=True))
    render_plan(console(), items, application.now, weak_past_cadence=weak)


@app.command()
def done(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="The item key from `givefirst today`, e.g. touch:12 or promise:3."),
    note: str = typer.Option("", "--note", "-m", help="What you did or said."),
    kind: str = typer.Option("message", "--kind", "-k", help="How you reached out: message, email, call, meeting."),
    need: str | None = typer.Option(None, "--need", metavar="TEXT", help="What they said they need (ask:, touch:)."),
    offer: str | None = typer.Option(None, "--offer", metavar="TEXT", help="What they said they can offer."),
) -> None:
    """Mark a plan item done and record it (a give, a check-in, a follow-up, a confirmed meeting).

    On a check-in or the give-first question, record their answer in the same step:
    givefirst done ask:12 --need "A CFO for their Series A, part-time"
    """
    from givefirst.errors import InvalidInputError
    from givefirst.services.activity import parse_interaction_kind
    from givefirst.services.plan import done as plan_done

    if need is not None and offer is not None:
        raise InvalidInputError("record one answer at a time: --need or --offer")
    answer = ("need", need) if need is not None else ("offer", offer) if offer is not None else None
    outcome = plan_done(open_app(ctx), key, note, parse_interaction_kind(kind), answer)
    console().print(f"Done: {outcome.message}")


@app.command()
def snooze(
    ctx: typer.Context,
    target: str = typer.Argument(..., help="A plan item key (touch:12) or a person (name, email, id)."),
    days: int = typer.Option(7, "--days", "-d", help="For how many days."),
) -> None:
    """Put off a plan item, or everything about one person, for a while. Due dates still count from real contact."""
    from givefirst.services.plan import snooze as plan_snooze

    outcome = plan_snooze(open_app(ctx), target, days)
    console().print(outcome.message)


@app.command()
def stats(
    ctx: typer.Context,
    json_out: bool = JSON,
    plot: Path | None = typer.Option(None, "--plot", metavar="FILE.png", help="Also draw it all into a PNG picture."),
) -> None:
    """Network health: tiers against Dunbar's layers, ties due and at risk, dormancy, your give/ask balance,
    and brokerage (Burt's effective size and constraint of your ego network)."""
    from givefirst.cli.render import render_stats
    from givefirst.services.health import check_plot_target, plot_stats
    from givefirst.services.stats import network_stats

    if plot is not None:
        check_plot_target(plot)
    with lasting_objects():
        data = network_stats(open_app(ctx))
    if plot is not None:
        plot_stats(data, plot)
    if json_out:
        print_json(data)
    else:
        render_stats(console(), data)
        if plot is not None:
            console().print(f"Picture written to {plot}")


@app.command()
def demo(
    ctx: typer.Context,
    size: int | None = typer.Option(None, "--size", "-n", help="Plan items to show."),
    json_out: bool = JSON,
) -> None:
    """Build the demo network (a consultant moving from New York to Florida) and show today's plan.

    It lives in its own file (demo.db in your data folder, or --db), rebuilt on every run, so your own
    network is never touched.
    """
    from givefirst.cli.render import render_plan
    from givefirst.config import user_data_dir
    from givefirst.services.demo import build_demo, prepare_demo_database
    from givefirst.services.plan import today as plan_today

    st = state(ctx)
    settings = st.settings()
    chosen = st.database
    target = chosen or str(user_data_dir() / "demo.db")
    if not chosen:
        user_data_dir().mkdir(parents=True, exist_ok=True)
    settings = replace(settings, database=prepare_demo_database(target), database_is_default=False)
    application = st.app(settings)
    out = console()
    with out.status("Building the demo network…"):  # shown on a terminal only; a second or two
        counts = build_demo(application)
        items = plan_today(application, size)
    if json_out:
        print_json({"database": target, "counts": counts, "items": _plan_json(items)})
        return
    out.print(
        f"Demo network built in {target}: {plural(counts['people'], 'person')}, "
        f"{plural(counts['interactions'], 'interaction')}, {counts['exchanges']} gives and asks, "
        f"{plural(counts['needs'], 'need')}, {plural(counts['offers'], 'offer')}.\n"
    )
    render_plan(out, items, application.now)
    db = f'"{target}"' if " " in target else target
    out.print(
        f'\nExplore it:\n  givefirst --db {db} people --due --sort due\n  givefirst --db {db} show "Jordan Reyes"\n'
        f'  givefirst --db {db} stats\n  givefirst --db {db} ask <someone> "a referral" --dry-run\n'
        f"  givefirst --db {db} goal show 1\n  givefirst --db {db} events\n  givefirst --db {db} path --place Florida"
    )
