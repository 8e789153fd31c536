"""The `givefirst` entry point: runs the Typer app and turns known errors into one-line messages."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer.main
from typer import _click
from typer.core import TyperGroup

from givefirst.cli.base import app, close_all
from givefirst.errors import GivefirstError

# Importing a command module registers its commands; `--help` lists them in this order: people first, then what
# you record, then the daily loop.
for _module in (
    "people_cmds", "activity_cmds", "import_cmds", "plan_cmds", "export_cmds", "intro_cmds", "match_cmds",
    "reach_cmds", "event_cmds", "serve_cmds",
):  # fmt: skip
    importlib.import_module(f"givefirst.cli.{_module}")


class _LazyGroup(TyperGroup):
    """A command group (intro, goal, event…) whose commands are built only when it is used.

    Typer builds every command's parameters before it runs any of them; with some sixty commands that was a
    tenth of `givefirst --help`. The top-level help needs only a group's name and help line: this stands in
    for the group there, and builds the real one when the group is invoked (its context is the real group's).
    """

    def __init__(self, info: Any) -> None:
        help_text = info.help if isinstance(info.help, str) else info.typer_instance.info.help
        super().__init__(name=info.name, help=help_text if isinstance(help_text, str) else None)
        self._info = info

    def make_context(
        self, info_name: str | None, args: list[str], parent: _click.Context | None = None, **extra: Any
    ) -> _click.Context:
        real = typer.main.get_group_from_info(
            self._info,
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode,
            suggest_commands=app.suggest_commands,
        )
        return real.make_context(info_name, args, parent=parent, **extra)


def command() -> _click.Command:
    """Return the click command of the whole CLI, its groups built lazily."""
    groups, app.registered_groups = app.registered_groups, []
    try:
        root = typer.main.get_command(app)
    finally:
        app.registered_groups = groups
    assert isinstance(root, TyperGroup)
    for info in groups:
        root.add_command(_LazyGroup(info))
    return root


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; errors a user can act on print one line and exit non-zero, never a traceback.

    Usage errors (an unknown option, a missing argument) are reported by Typer itself with exit status 2.
    """
    try:
        command()(args=argv, prog_name="givefirst")
    except GivefirstError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            sys.stderr.write(f"error: database problem: {getattr(exc, 'orig', None) or exc}\n")
            sys.exit(1)
        raise
    finally:
        close_all()
