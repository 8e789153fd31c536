"""The `givefirst` entry point: runs the Typer app and turns known errors into one-line messages."""

from __future__ import annotations

import importlib
import inspect
import sys
from typing import Any

import typer.main
from typer import _click
from typer.core import TyperCommand
from typer.models import CommandInfo, TyperInfo

from givefirst.cli.base import app, close_all
from givefirst.cli.plain_params import use_plain_params
from givefirst.errors import GivefirstError

# Importing a command module registers its commands; `--help` lists them in this order: people first, then what
# you record, then the daily loop.
for _module in (
    "people_cmds", "me_cmds", "activity_cmds", "import_cmds", "plan_cmds", "export_cmds", "intro_cmds", "match_cmds",
    "reach_cmds", "event_cmds", "source_cmds", "heard_cmds", "serve_cmds", "hub_cmds",
):  # fmt: skip
    importlib.import_module(f"givefirst.cli.{_module}")


def _build(info: Any) -> _click.Command:
    """Return the real click command of a registered Typer command or group."""
    built: _click.Command
    if isinstance(info, TyperInfo):
        built = typer.main.get_group_from_info(
            info,
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode,
            suggest_commands=app.suggest_commands,
        )
    else:
        built = typer.main.get_command_from_info(
            info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode
        )
    use_plain_params(built)
    return built


def _help_of(info: Any) -> str | None:
    text = info.help if isinstance(info.help, str) else None
    if text is None and isinstance(info, TyperInfo) and info.typer_instance is not None:
        group_help = info.typer_instance.info.help
        text = group_help if isinstance(group_help, str) else None
    if text is None and getattr(info, "callback", None) is not None:
        text = inspect.getdoc(info.callback)
    return inspect.cleandoc(text) if text else None


class _Lazy(TyperCommand):
    """A command or command group built only when it is run.

    Typer builds every command's parameters before it runs any of them: with sixty commands that was a third
    of `givefirst --help` and a slice of every other command. The top-level help needs only a name and a help
    line; this stands in for the command there and builds the real one when it is invoked (the context it
    makes is the real command's, so the real one runs).
    """

    def __init__(self, name: str, info: Any) -> None:
        super().__init__(name=name, help=_help_of(info), hidden=bool(getattr(info, "hidden", False)))
        self._info = info

    def make_context(
        self, info_name: str | None, args: list[str], parent: _click.Context | None = None, **extra: Any
    ) -> _click.Context:
        return _build(self._info).make_context(info_name, args, parent=parent, **extra)


def command() -> _click.Command:
    """Return the click command of the whole CLI, its commands and groups built when they are run."""
    commands, groups = app.registered_commands, app.registered_groups
    app.registered_commands, app.registered_groups = [], []
    try:
        root = typer.main.get_group(app)
    finally:
        app.registered_commands, app.registered_groups = commands, groups
    use_plain_params(root)  # --db and --today
    infos: list[CommandInfo | TyperInfo] = [*commands, *groups]
    for info in infos:
        name = info.name if isinstance(info.name, str) else None
        if name is None and isinstance(info, CommandInfo) and info.callback is not None:
            name = typer.main.get_command_name(info.callback.__name__)
        if name:
            root.add_command(_Lazy(name, info))
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


if __name__ == "__main__":  # `python -m givefirst.cli.app …`, as the tests and the benchmarks start it
    main()
