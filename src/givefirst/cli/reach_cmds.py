"""Reach: `givefirst path`, `link`/`unlink`, `goal …` and `dormant` — warm paths, goals and old ties."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from givefirst.cli.base import app, console, lasting_objects, open_app, print_json
from givefirst.domain.words import plural

if TYPE_CHECKING:
    from givefirst.services.reach import WarmPath

JSON = typer.Option(False, "--json", help="Print JSON for scripts.")


def render_paths(out: Any, paths: list[WarmPath]) -> None:
    for n, p in enumerate(paths, 1):
        chain = " → ".join(["you", *(h.target for h in p.hops)])
        out.print(f"\n{n}. {chain}   (score {p.score:.3f}{'; ' + p.target_reason if p.target_reason else ''})")
        for h in p.hops:
            ready = f" · ask readiness: {h.readiness.verdict.value}" if h.readiness else ""
            concern = f" ({h.readiness.reasons[0]})" if h.readiness and h.readiness.reasons else ""
            out.print(f"   {h.source} → {h.target}: {h.probability:.2f} — {h.why}{ready}{concern}")
        out.print(f"   Why: {p.explanation}")
        out.print(f"   Opener: {p.opener}")
        if p.give_first:
            out.print(f"   Give first (for you, not in the message): {p.give_first}")


@app.command()
def path(
    ctx: typer.Context,
    person: str | None = typer.Argument(None, help="Whom to reach: a name, email or id (or use the options)."),
    org: str | None = typer.Option(None, "--org", help="Someone at this organization ('Acme')."),
    place: str | None = typer.Option(None, "--place", help="Someone in this place: a state, city or region."),
    role: str | None = typer.Option(None, "--role", help="Someone whose title has these words ('product')."),
    tag: list[str] = typer.Option([], "--tag", help="Someone with this tag or industry (repeatable)."),
    k: int = typer.Option(3, "--k", "-k", help="How many paths."),
    max_hops: int = typer.Option(3, "--max-hops", help="At most this many hops (1 to 3)."),
    json_out: bool = JSON,
) -> None:
    """Warm paths to a person, an organization, a place or a role, through people you know.

    Paths are ranked by the product of their hops' probabilities (the chance every introduction holds), at most
    three hops. Each hop says what the edge rests on (your tie strength, shared meetings, an employer, a link
    you recorded) and how ready you are to ask; the first ask comes with a give-first opener.

      givefirst path "Janelle Brooks"
      givefirst path --place Florida
      givefirst path --org "Tampa General" --role supply
    """
    from givefirst.domain.goals import Target, split_words
    from givefirst.services.reach import find_paths

    target = Target(place=place, roles=split_words(role), tags=tuple(t.lower() for t in tag), organization=org)
    with lasting_objects():
        result = find_paths(open_app(ctx), person=person, target=target, k=k, max_hops=max_hops)
    if json_out:
        print_json(result.as_dict())
        return
    out = console()
    if result.direct:
        out.print(result.direct)
        return
    who = "" if person else f" ({result.target_count} {'person' if result.target_count == 1 else 'people'})"
    out.print(f"Warm paths to {result.target}{who}:")
    if not result.paths:
        out.print("  no path of at most three hops — add what you know: `givefirst link A B --as colleague`")
    render_paths(out, result.paths)


@app.command()
def link(
    ctx: typer.Context,
    first: str = typer.Argument(..., help="A person (name, email or id)."),
    second: str = typer.Argument(..., help="Another person."),
    kind: str = typer.Option("knows", "--as", help="colleague, friend, family, mentor, client, classmate or knows."),
    note: str = typer.Option("", "--note", "-m", help="How you know they know each other."),
) -> None:
    """Record that two of your contacts know each other — the strongest evidence for warm paths."""
    from givefirst.services.links import link as do_link

    console().print(do_link(open_app(ctx), first, second, kind, note))


@app.command()
def unlink(
    ctx: typer.Context,
    first: str = typer.Argument(..., help="A person."),
    second: str = typer.Argument(..., help="Another person."),
) -> None:
    """Forget a relationship recorded with `givefirst link`."""
    from givefirst.services.links import unlink as do_unlink

    console().print(do_unlink(open_app(ctx), first, second))


goal_app = typer.Typer(
    help=(
        "Goals: what you are working toward — a place ('Move to Florida'), a role ('product role in fintech').\n\n"
        "An open goal re-ranks `givefirst today` toward the people who reach it (and says so), and `goal show` "
        "tells how well your network covers it: warm, cooling and dormant ties there, the best warm paths in, "
        "and the events and chapters that serve it.\n\n"
        '  givefirst goal add "Move to Florida" --place Florida\n\n'
        '  givefirst goal add "Product role in fintech" --role product --tag fintech\n\n'
        "  givefirst goal show 1  ·  goal list  ·  goal done 1"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(goal_app, name="goal")


@goal_app.command("add")
def goal_add(
    ctx: typer.Context,
    title: str = typer.Argument(..., help="What you are working toward, in your words."),
    place: str | None = typer.Option(None, "--place", help="Where: a state, a city or a region."),
    role: str = typer.Option("", "--role", help="Role words a title should have ('product manager')."),
    tag: list[str] = typer.Option([], "--tag", "--industry", help="Industries or tags (repeatable)."),
) -> None:
    """Add a goal (it needs a --place, --role or --tag to know whom it is about)."""
    from givefirst.services.goals import add_goal

    goal = add_goal(open_app(ctx), title, place=place, roles=role, tags=",".join(tag))
    console().print(f"Goal #{goal.id}: {goal.title} — see `givefirst goal show {goal.id}`")


@goal_app.command("list")
def goal_list(
    ctx: typer.Context,
    all_goals: bool = typer.Option(False, "--all", help="Include goals marked done."),
    json_out: bool = JSON,
) -> None:
    """List your goals (open ones, unless --all)."""
    from givefirst.services.goals import list_goals

    goals = list_goals(open_app(ctx), all_goals=all_goals)
    if json_out:
        print_json([g.as_dict() for g in goals])
        return
    out = console()
    if not goals:
        out.print('No goals yet: givefirst goal add "Move to Florida" --place Florida')
    for g in goals:
        about = ", ".join(x for x in (g.place, " ".join(g.roles), ", ".join(g.tags)) if x)
        out.print(f"#{g.id}  {g.title}  ({about}){'  [done]' if g.status == 'done' else ''}")


@goal_app.command("show")
def goal_show(
    ctx: typer.Context,
    goal_id: int = typer.Argument(..., metavar="ID", help="The goal's id (see `givefirst goal list`)."),
    k: int = typer.Option(3, "--k", "-k", help="How many warm paths."),
    json_out: bool = JSON,
) -> None:
    """How your network covers a goal: ties in it by warmth, the best paths in, events and chapters for it."""
    from givefirst.services.goals import coverage

    cov = coverage(open_app(ctx), goal_id, k)
    if json_out:
        print_json(cov.as_dict())
        return
    out = console()
    c = cov.by_warmth
    out.print(f"Goal #{cov.goal.id}: {cov.goal.title}")
    reach = "reaches" if cov.people == 1 else "reach"
    out.print(f"Coverage: {plural(cov.people, 'person')} {reach} it — {c['warm']} warm, {c['cooling']} cooling, "
              f"{c['dormant']} dormant, {c['cold']} never really in touch")  # fmt: skip
    for _, name, why in cov.warm:
        out.print(f"  {name}: {why}")
    if cov.bridges:
        shown = ", ".join(f"{name} ({n})" for _, name, n in cov.bridges[:5])
        out.print(f"Bridges: {len(cov.bridges)} of your active ties outside it know people in it — {shown}")
    out.print("\nBest warm paths in:")
    render_paths(out, cov.paths)
    out.print("\nEvents that serve it:" if cov.events else "\nNo upcoming event in the goal's place yet.")
    for e in cov.events:
        out.print(f"  #{e['id']} {e['starts_at'][:16].replace('T', ' ')} {e['title']} — {e['why']}")
    out.print("Chapters that serve it:" if cov.chapters else "No chapter serves it yet (`givefirst chapter add`).")
    for ch in cov.chapters:
        member = " (you are a member)" if ch["you_are_a_member"] else " — consider joining"
        out.print(f"  {ch['name']}: {ch['why']}{member}")


@goal_app.command("done")
def goal_done(ctx: typer.Context, goal_id: int = typer.Argument(..., metavar="ID", help="The goal's id.")) -> None:
    """Mark a goal reached (it stops re-ranking the plan)."""
    from givefirst.services.goals import finish_goal

    goal = finish_goal(open_app(ctx), goal_id)
    console().print(f"Goal #{goal.id} done: {goal.title}")


@app.command()
def dormant(
    ctx: typer.Context,
    limit: int = typer.Option(10, "--limit", "-n", help="How many."),
    json_out: bool = JSON,
) -> None:
    """Dormant ties worth reviving: real relationships silent for years, ranked by what reconnecting could do now.

    Ranked by relevance to your goals and needs, by what you could give them, and by novelty (nobody you are
    close to works where they do) — not only by how close you once were. A few a week appear in `today`.
    """
    from givefirst.services.dormant import list_dormant

    found = list_dormant(open_app(ctx), limit)
    if json_out:
        print_json([d.as_dict() for d in found])
        return
    out = console()
    if not found:
        out.print("No dormant ties: nobody you had a real relationship with has been silent for years.")
    for d in found:
        out.print(f"\n{d.name} (id {d.person_id}) — score {d.revival.score:.2f}")
        for reason in d.revival.reasons:
            out.print(f"  · {reason}")
        out.print(f"  Message: {d.message}")
        out.print(f"  Done: givefirst done revive:{d.person_id}")
