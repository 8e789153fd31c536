"""`givefirst match`: whose need fits whose offer across the network, each suggestion with its explanation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from givefirst.cli.base import app, console, open_app, print_json
from givefirst.domain.words import plural

if TYPE_CHECKING:
    from givefirst.services.matching import Suggestion

JSON = typer.Option(False, "--json", help="Print JSON for scripts.")


def _why(s: Suggestion) -> str:
    parts = []
    for signal in s.match.signals:
        if signal.name in ("semantic", "lexical"):
            parts.append(f"{signal.name} {signal.points:+.2f}")
        elif signal.points <= -0.005 or signal.name != "freshness":
            parts.append(f"{signal.name} {signal.points:+.2f} ({signal.note})")
    if s.broker is not None:
        parts.append(f"broker value {s.broker:.2f}")
    return " · ".join(parts)


def _render(out: Any, found: list[Suggestion], empty: str) -> None:
    if not found:
        out.print(empty)
        return
    for s in found:
        if s.own_need:
            title = f"Ask {s.offerer} — their offer fits your need"
        elif s.mine:
            title = f"Give {s.needer} your offer"
        else:
            title = f"Introduce {s.needer} to {s.offerer}"
        out.print(f"[bold]{s.match.score:.2f}[/bold]  {title}")
        out.print(f"      {s.needer} needs (#{s.need.id}): {s.need.text}", markup=False)
        out.print(f"      {s.offerer} offers (#{s.offer.id}): {s.offer.text}", markup=False)
        out.print(f"      why: {_why(s)}", markup=False, style="dim")
        if not s.mine and not s.own_need:
            out.print(f"      next: givefirst intro new --need {s.need.id} --offer {s.offer.id}", style="dim")


@app.command()
def match(
    ctx: typer.Context,
    person: str | None = typer.Argument(None, help="Show what can be done for this person (name, email, id)."),
    only: str | None = typer.Option(None, "--person", "-p", help="Only suggestions involving this person."),
    tag: str | None = typer.Option(None, "--tag", "-t", help="Only needs or offers with this tag."),
    min_score: float | None = typer.Option(
        None,
        "--min-score",
        metavar="X",
        help=(
            "Lowest score shown: the chance, 0–1, that an introduction is good (default: every pair from [plan] "
            "match_threshold, 0.85, and a need's best one from match_best_threshold, 0.70)."
        ),
    ),
    need: int | None = typer.Option(None, "--need", metavar="ID", help="Only the offers that meet this need."),
    limit: int = typer.Option(20, "--limit", "-n", help="How many suggestions."),
    rescore: bool = typer.Option(False, "--rescore", help="Score every pair again from scratch first."),
    json_out: bool = JSON,
) -> None:
    """Whose need fits whose offer: the best introductions and gives across your network, explained.

    The score is the chance that the introduction is a good one (calibrated on labelled networks). Shown: every
    pair from a chance of 0.85, and a need's best one from 0.70 (most needs have one good answer at most).

    Examples: givefirst match · givefirst match "Dana Lee" · givefirst match --tag jobs --min-score 0.5
    """
    from givefirst.services import matching

    application = open_app(ctx)
    if rescore:
        report = matching.rescore(application)
        if not json_out:
            console().print(
                f"Re-scored {plural(report.needs_scored, 'need')}: {plural(report.pairs, 'pair')} kept, "
                f"{plural(report.embedded, 'text')} embedded."
            )
    out = console()
    if person is not None:
        result = matching.for_person(application, person, min_score=min_score, limit=limit)
        if json_out:
            print_json(
                {
                    "person": {"id": result.person_id, "name": result.name},
                    "needs_met": [s.as_dict() for s in result.needs_met],
                    "offers_serving": [s.as_dict() for s in result.offers_serving],
                }
            )
            return
        out.print(f"[bold]What you can do for {result.name}[/bold]")
        out.print("\n[bold]Their needs, met by others[/bold]")
        _render(out, result.needs_met, "      nothing fits their open needs yet")
        out.print("\n[bold]Their offers, serving others[/bold]")
        _render(out, result.offers_serving, "      nobody's open need fits their offers yet")
        return
    if need is not None:
        found = matching.for_need(application, need, min_score=min_score, limit=limit)
    else:
        found = matching.suggestions(application, person=only, tag=tag, min_score=min_score, limit=limit)
    if json_out:
        print_json([s.as_dict() for s in found])
    else:
        _render(out, found, "No suggestions at this threshold (try --min-score 0.3, or record more needs and offers).")
