"""Commands that bring the network in and keep it one person per person: import, merge, merges, unmerge."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from givefirst.cli.base import app, console, open_app, print_json
from givefirst.cli.parsing import parse_day

JSON = typer.Option(False, "--json", help="Print JSON for scripts.")


@app.command("import")
def import_(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help="linkedin, vcard, google, outlook, csv (either), ics, mbox or maildir."),
    paths: list[str] = typer.Argument(..., help="Files or folders (a LinkedIn export folder or zip; a maildir)."),
    me: list[str] = typer.Option(
        [], "--me", help="Your own email address (repeat); remembered, so later imports need it no more."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would happen; write nothing."),
    report: Path | None = typer.Option(None, "--report", help="Write the full report as JSON to this file."),
    since: str | None = typer.Option(
        None, "--since", metavar="DATE", help="Calendars: meetings from this date (default: ten years ago)."
    ),
    until: str | None = typer.Option(
        None, "--until", metavar="DATE", help="Calendars: meetings until this date (default: in 90 days)."
    ),
    one_way: bool = typer.Option(False, "--include-one-way", help="Mail: also people you only wrote to or heard from."),
    json_out: bool = JSON,
) -> None:
    """Import contacts, messages, meetings or mail. Safe to repeat: nothing is stored twice.

    Each file (or export folder) lands whole or not at all. People found in several sources become one
    person (same email, phone or profile URL); look-alikes are proposed for review (givefirst merge --review).

    Examples: givefirst import linkedin ~/Downloads/Basic_LinkedInDataExport.zip
              givefirst import mbox ~/mail/archive.mbox --me jordan@example.com --dry-run
    """
    from datetime import datetime, time

    from givefirst.services.importer import ImportOptions, import_paths

    application = open_app(ctx)
    today = application.now.date()
    options = ImportOptions(
        me=frozenset(m.strip().lower() for m in me),
        dry_run=dry_run,
        two_way_only=not one_way,
        window_start=datetime.combine(parse_day(since, today, "--since"), time()) if since else None,
        window_end=datetime.combine(parse_day(until, today, "--until"), time()) if until else None,
    )
    out = console()
    with _progress() as advance:
        result = import_paths(application, kind, paths, options, progress=advance)
    data = result.as_dict()
    if report is not None:
        import json

        report.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    if json_out:
        print_json(data)
    else:
        _render_report(out, data)
    if result.failed:
        raise typer.Exit(1)


class _progress:
    """A progress line on the terminal's error stream while an import runs (nothing when not a terminal)."""

    def __enter__(self) -> Any:
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed} records"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.bar.start()
        self.tasks: dict[str, Any] = {}

        def advance(label: str, done: int) -> None:
            if label not in self.tasks:
                self.tasks[label] = self.bar.add_task(f"importing {Path(label).name}", total=None)
            self.bar.update(self.tasks[label], completed=done)

        return advance

    def __exit__(self, *exc: object) -> None:
        if hasattr(self, "bar"):
            self.bar.stop()


def _render_report(out: Any, data: dict[str, Any]) -> None:
    totals = data["totals"]
    verb = "Would import" if data["dry_run"] else "Imported"
    people = ", ".join(f"{totals.get(k, 0)} {k}" for k in ("added", "matched", "updated", "unchanged", "merged"))
    out.print(f"{verb} {data['kind']} from {len(data['files'])} file(s): people — {people}")
    updated = totals.get("interactions updated", 0)
    updated_text = f"{updated} with people or direction added, " if updated else ""
    out.print(
        f"interactions — {totals.get('interactions added', 0)} added, {updated_text}"
        f"{totals.get('interactions unchanged', 0)} already there; "
        f"{totals.get('skipped', 0)} skipped, {totals.get('warnings', 0)} warnings"
    )
    for notice in data.get("notices", []):
        out.print(notice)
    reasons: dict[str, int] = {}
    for f in data["files"]:
        if f["error"]:
            out.print(f"[red]error[/red]: {f['error']}")
        for s in f["skipped"]:
            label = ("imported, but " if s.get("imported") else "skipped ") + s["reason"]
            reasons[label] = reasons.get(label, 0) + 1
    for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])[:12]:
        out.print(f"  {n} × {reason}")
    if len(reasons) > 12:
        out.print(f"  … and {len(reasons) - 12} other reasons (see --report FILE)")
    if totals.get("added") and not data["dry_run"]:
        out.print("New people may have look-alikes among those you knew: givefirst merge --review")
    for hint in data.get("possibly_yours", []):
        out.print(f"Possibly yours: {hint['address']} ({hint['reason']}) - givefirst me add {hint['address']}")
    if data["dry_run"]:
        out.print("Dry run: nothing was written.")


@app.command()
def merge(
    ctx: typer.Context,
    kept: str | None = typer.Argument(None, help="The person to keep (name, email or id)."),
    merged: str | None = typer.Argument(None, help="The person to fold into them."),
    review: bool = typer.Option(False, "--review", help="Walk through proposed look-alikes one by one."),
    json_out: bool = JSON,
) -> None:
    """Merge two records of the same person (all history kept; `givefirst unmerge` undoes it).

    With --review, go through the look-alikes imports proposed: m merge, r reject (never proposed again),
    s skip, q quit. Without a terminal, --review lists them.
    """
    from givefirst.errors import InvalidInputError
    from givefirst.services import merging

    application = open_app(ctx)
    out = console()
    if review:
        pending = merging.lookalikes(application)
        if json_out or not sys.stdin.isatty():
            if json_out:
                print_json(pending)
            else:
                for c in pending:
                    out.print(
                        f"#{c['id']}  {c['first']['name']} (id {c['first']['id']})  ~  "
                        f"{c['second']['name']} (id {c['second']['id']})  {c['score']:.2f}: {c['reasons']}"
                    )
                out.print(f"{len(pending)} look-alikes. Merge one: givefirst merge ID1 ID2")
            return
        for c in pending:
            out.print(
                f"\n{c['first']['name']} (id {c['first']['id']})  ~  {c['second']['name']} "
                f"(id {c['second']['id']})\n  {c['reasons']}"
            )
            answer = typer.prompt("  [m]erge, [r]eject, [s]kip, [q]uit", default="s").strip().lower()[:1]
            if answer == "q":
                break
            if answer in ("m", "r"):
                result = merging.decide(application, c["id"], accept=answer == "m")
                out.print(f"  merged (merge {result.merge_id})" if result else "  rejected")
        return
    if not (kept and merged):
        raise InvalidInputError("name two people to merge (givefirst merge KEPT MERGED), or use --review")
    outcome = merging.merge_people(application, kept, merged)
    if json_out:
        print_json({"merge": outcome.merge_id, "kept": outcome.kept, "merged": outcome.merged})
    else:
        out.print(
            f"Merged {outcome.merged} into {outcome.kept} (merge {outcome.merge_id}; "
            f"undo: givefirst unmerge {outcome.merge_id})"
        )


@app.command()
def merges(ctx: typer.Context, json_out: bool = JSON) -> None:
    """List the merges in force, newest first, with the id that undoes each."""
    from givefirst.services.merging import list_merges

    rows = list_merges(open_app(ctx))
    if json_out:
        print_json(rows)
        return
    out = console()
    for r in rows:
        out.print(f"#{r['id']}  {r['merged']['name']} → {r['kept']['name']}  ({r['reason']}, {r['at'][:10]})")
    out.print(f"{len(rows)} merges")


@app.command()
def unmerge(ctx: typer.Context, merge_id: int = typer.Argument(..., help="The merge's id (givefirst merges).")) -> None:
    """Undo a merge: the merged person comes back with everything that was theirs."""
    from givefirst.services.merging import unmerge as undo

    outcome = undo(open_app(ctx), merge_id)
    console().print(f"Undid merge {outcome.merge_id}: {outcome.merged} is separate from {outcome.kept} again.")
