"""The Typer application, its global options and the helpers every command shares."""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from givefirst.config import Settings
    from givefirst.services.context import App

HELP = """givefirst — give-first networking, a few small actions a day.

Start with `givefirst demo` to explore a sample network, or `givefirst init --name "Your Name"` and
`givefirst add` to build your own. Every day: `givefirst today`.
"""

app = typer.Typer(
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


_opened: list[App] = []
_one_command = [False]  # true in the `givefirst` process (`entry.run`): it ends when its command does


def one_command_process() -> None:
    """Say that this process ends with its command (`entry.run`), so `lasting_objects` may freeze what it made."""
    _one_command[0] = True


@contextmanager
def lasting_objects() -> Iterator[None]:
    """Run a command's reading with the cycle collector off.

    A command like `today` reads tens of thousands of rows and builds as many objects, which live until it ends:
    none of them is garbage, and the collector's passes over them (and over everything imported before) are
    wasted. Turned back on, its next pass would still walk them all once, and the passes after that again, so in
    the `givefirst` process they go to the permanent generation first (`gc.freeze`), as the imports did
    (`entry.run`): at 20,000 people that is 50 ms of `today`'s 380 (docs/benchmarks.md). A process that lives on
    (a test run, a Python caller) keeps its collector as it was: there it walks them once.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _one_command[0]:
            gc.freeze()
        if was_on:
            gc.enable()


def close_all() -> None:
    """Dispose of every database engine a command opened (the process may be a long-lived test run)."""
    while _opened:
        _opened.pop().close()


class State:
    """Global options, resolved into Settings on first use."""

    def __init__(self, database: str | None, today: str | None) -> None:
        self.database = database
        self.today = today
        self._app: App | None = None

    def settings(self) -> Settings:
        from givefirst.config import resolve_settings

        return resolve_settings(database=self.database, today=self.today)

    def app(self, settings: Settings | None = None) -> App:
        """Return the App, opening the database on first use (with `settings` when given)."""
        if self._app is None:
            from givefirst.services.context import open_app

            self._app = open_app(settings or self.settings())
            _opened.append(self._app)
        return self._app


@app.callback()
def main_options(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None, "--db", metavar="PATH|URL", help="Database file or URL (default: your data folder; env GIVEFIRST_DB)."
    ),
    today: str | None = typer.Option(
        None, "--today", metavar="YYYY-MM-DD", help="Pretend today is this date (env GIVEFIRST_TODAY)."
    ),
) -> None:
    ctx.obj = State(db, today)


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj


def open_app(ctx: typer.Context) -> App:
    return state(ctx).app()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def console() -> Any:
    from rich.console import Console

    # Piped output (a file, a pager, a test) gets a wide fixed width instead of 80 columns, so lines stay whole.
    return Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 140)
