"""Commands that take your network out and bring it back: export vcard/csv/json/ics, and restore."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from givefirst.cli.base import app, console, open_app, print_json
from givefirst.domain.words import plural

export_app = typer.Typer(
    help=(
        "Export your network: contacts as vCard or CSV, a complete JSON backup, a calendar feed.\n\n"
        "Without --out an export goes to standard output, so it can be piped.\n\n"
        "Examples: givefirst export csv > people.csv;  givefirst export json --out backup.json"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(export_app, name="export")

OUT = typer.Option(
    None, "--out", "-o", metavar="FILE", help="Write to this file (replaced whole, never half-written); else stdout."
)


def _emit(data: bytes, out: Path | None, summary: str) -> None:
    """Write an export to `out` atomically and say so, or send its exact bytes to standard output."""
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from givefirst.services.export import write_atomically

    write_atomically(out, data)
    console().print(f"Wrote {summary} to {out}")


@export_app.command("vcard")
def export_vcard(
    ctx: typer.Context,
    version: str = typer.Option(
        "4.0", "--version", metavar="4.0|3.0", help="vCard version: 4.0, or 3.0 for older address books."
    ),
    include_me: bool = typer.Option(False, "--include-me", help="Include your own card."),
    out: Path | None = OUT,
) -> None:
    """Export everyone as vCards, for an address book (Apple Contacts, Google Contacts, Outlook, a phone).

    Names, emails, phones, profile URLs, organization, title, place, notes and tags (as categories).
    Example: givefirst export vcard --version 3.0 --out contacts.vcf
    """
    from givefirst.services.export import export_vcard as run

    result = run(open_app(ctx), version, include_me=include_me)
    _emit(result.data, out, f"{result.count} people as vCard {version}")


@export_app.command("csv")
def export_csv(ctx: typer.Context, out: Path | None = OUT) -> None:
    """Export everyone as a CSV spreadsheet: one row per person, with tier, strength and last contact.

    UTF-8 with a byte-order mark so Excel reads accents right; a cell that a spreadsheet would run as a formula
    (starting with =, +, -, @) gets a leading apostrophe.

    Example: givefirst export csv --out people.csv
    """
    from givefirst.services.export import export_csv as run

    result = run(open_app(ctx))
    _emit(result.data, out, f"{result.count} people as CSV")


@export_app.command("json")
def export_json(ctx: typer.Context, out: Path | None = OUT) -> None:
    """Export a complete backup as JSON: every table, every row. `givefirst restore` brings it back.

    Example: givefirst export json --out givefirst-backup.json
    """
    from givefirst.services.backup import export_json as run

    result = run(open_app(ctx))
    rows = sum(result.counts.values())
    _emit(result.data, out, f"a complete backup ({plural(rows, 'row')} in {plural(len(result.counts), 'table')})")


@export_app.command("ics")
def export_ics(
    ctx: typer.Context,
    days: int = typer.Option(30, "--days", "-d", help="How many days ahead."),
    out: Path | None = OUT,
) -> None:
    """Export an iCalendar feed of what is coming: follow-ups, promised gives with a due date, planned meetings.

    Reminders are all-day events (open ones from the past included); planned meetings are timed. Events keep
    stable UIDs, so a calendar that subscribes to the file updates them instead of adding duplicates.

    Example: givefirst export ics --days 60 --out ~/Calendars/givefirst.ics
    """
    from givefirst.services.export import export_ics as run

    result = run(open_app(ctx), days)
    _emit(result.data, out, f"{plural(result.count, 'event')} for the next {plural(days, 'day')}")


@app.command()
def restore(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A backup made by `givefirst export json`."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Restore a JSON backup into an empty database: everything or nothing, ids kept.

    Example: givefirst --db ~/restored.db restore givefirst-backup.json
    """
    from givefirst.services.backup import read_backup_file, restore_summary
    from givefirst.services.backup import restore as run

    backup = read_backup_file(file)  # a bad file is refused before a new database is even created
    application = open_app(ctx)
    result = run(application, backup)
    if json_out:
        print_json({"database": application.settings.database, "schema_revision": result.schema_revision,
                    "exported_at": result.exported_at, "people": result.people, "rows": result.counts})  # fmt: skip
        return
    made = f" (made {result.exported_at})" if result.exported_at else ""
    console().print(f"Restored {file}{made}: {restore_summary(result)}.")
