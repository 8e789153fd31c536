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
    paths: list[str] = typer.Argument(
        ...,
        help="Files or folders: a LinkedIn export folder or zip; a maildir, or a Maildir++ root with its .Sent and "
        "other subfolders, or .eml files.",
    ),
    me: list[str] = typer.Option(
        [], "--me", help="Your own email address (repeat; mail and calendars need one); remembered after."
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
    bodies: bool = typer.Option(
        False,
        "--bodies",
        help="Mail: also keep the plain text of each personal message (quotes and signatures cut), so that "
        "`givefirst heard` can hear needs and offers in it. Off by default: only headers are kept.",
    ),
    wait: float = typer.Option(
        600,
        "--wait",
        metavar="SECONDS",
        help="If another import is running on this database, wait this long (0: do not wait).",
    ),
    encoding: str | None = typer.Option(
        None,
        "--encoding",
        metavar="CHARSET",
        help="Contact files: the character set they were saved in when it is not recognised, e.g. cp1252 "
        "(Outlook and Excel on Windows), latin-1, utf-16.",
    ),
    json_out: bool = JSON,
) -> None:
    """Import contacts, messages, meetings or mail. Safe to repeat: nothing is stored twice.

    Each file (or export folder) lands whole or not at all. People found in several sources become one
    person (same email, phone or profile URL); look-alikes are proposed for review (givefirst merge --review).

    Examples: givefirst import linkedin ~/Downloads/Basic_LinkedInDataExport.zip
              givefirst import mbox ~/mail/archive.mbox --me jordan@example.com --dry-run
              givefirst import maildir ~/Maildir
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
        lock_wait=wait,
        encoding=encoding,
        bodies=bodies,
    )
    out = console()
    with _progress() as advance:
        result = import_paths(application, kind, paths, options, progress=advance, notify=_tell)
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


def _tell(message: str) -> None:
    """Say on the error stream, at once, why the import is not starting yet (stdout may be a JSON pipe)."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


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
    from givefirst.domain.words import plural

    totals = data["totals"]
    verb = "Would import" if data["dry_run"] else "Imported"
    # Only what happened: a first import has nothing unchanged, and "0 merged" says nothing.
    said = {"matched": "matched by email, phone or profile", "updated": "updated",
            "unchanged": "unchanged since last time", "repeated": "repeated within the files",
            "merged": "merged"}  # fmt: skip
    people = ", ".join([f"{totals.get('added', 0)} added"] + [f"{totals[k]} {said[k]}" for k in said if totals.get(k)])
    out.print(f"{verb} {data['kind']} from {plural(len(data['files']), 'file')}: people — {people}")
    updated = totals.get("interactions updated", 0)
    updated_text = f"{updated} with people or direction added, " if updated else ""
    out.print(
        f"interactions — {totals.get('interactions added', 0)} added, {updated_text}"
        f"{totals.get('interactions unchanged', 0)} already there; "
        f"{totals.get('skipped', 0)} skipped, {plural(totals.get('warnings', 0), 'warning')}"
    )
    if totals.get("events added") or totals.get("events updated"):  # calendars: meetings too large to be touches
        out.print(f"events — {totals.get('events added', 0)} added, {totals.get('events updated', 0)} updated")
    _render_phones(out, data.get("phones") or {})
    for notice in data.get("notices", []):
        out.print(notice)
    reasons: dict[str, int] = {}
    for f in data["files"]:
        if f["error"]:  # a file in a folder that had others to import is reported, not a failure
            out.print(f"[red]error[/red]: {f['error']}" if f["failed"] else f"not imported: {f['error']}")
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


def _render_phones(out: Any, phones: dict[str, Any]) -> None:
    """Say once how numbers without a country code were read, and how to change it."""
    from givefirst.domain.words import plural

    count = phones.get("without_country_code", 0)
    if not count:
        return
    numbers = plural(count, "phone number")
    was, they = ("was", "it was") if count == 1 else ("were", "they were")
    if phones.get("region"):
        out.print(
            f"{numbers} had no country code and {was} read as {phones['region']} numbers (from {phones['because']}); "
            "if that is wrong: givefirst init --region XX, then import again",
            markup=False,
        )
    else:
        out.print(
            f"{numbers} had no country code and no region is known, so {they} kept as written, with no country "
            'given; set yours (givefirst init --region IN, or --location "City, Country"), then import again',
            markup=False,
        )


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
    from givefirst.domain.words import plural

    out.print(plural(len(rows), "merge"))


@app.command()
def unmerge(ctx: typer.Context, merge_id: int = typer.Argument(..., help="The merge's id (givefirst merges).")) -> None:
    """Undo a merge: the merged person comes back with everything that was theirs."""
    from givefirst.services.merging import unmerge as undo

    outcome = undo(open_app(ctx), merge_id)
    console().print(f"Undid merge {outcome.merge_id}: {outcome.merged} is separate from {outcome.kept} again.")
