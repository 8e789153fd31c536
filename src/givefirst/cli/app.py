"""The `givefirst` entry point: runs the Typer app and turns known errors into one-line messages."""

from __future__ import annotations

import importlib
import sys

from givefirst.cli.base import app, close_all
from givefirst.errors import GivefirstError

# Importing a command module registers its commands; `--help` lists them in this order: people first, then what
# you record, then the daily loop.
for _module in (
    "people_cmds", "activity_cmds", "import_cmds", "plan_cmds", "export_cmds", "intro_cmds", "match_cmds",
    "reach_cmds", "event_cmds",
):  # fmt: skip
    importlib.import_module(f"givefirst.cli.{_module}")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; errors a user can act on print one line and exit non-zero, never a traceback.

    Usage errors (an unknown option, a missing argument) are reported by Typer itself with exit status 2.
    """
    try:
        app(args=argv, prog_name="givefirst")
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
