"""The `givefirst` command's entry point: the CLI imported without the cycle collector, then the command run.

Importing the CLI (SQLAlchemy, Typer, Rich and givefirst's own modules) makes a few hundred thousand objects that
live as long as the process; none of them is garbage. The cycle collector nevertheless walked them some 130 times
while they were made, a full pass among them (about 30 ms of a plain command's 300, and more after it: every later
full pass walks them again). So the collector is off while they are imported, and they go to its permanent
generation (`gc.freeze`) before it is turned back on: the command's own garbage is collected as before, without
walking the imports. `givefirst.cli.app.main` stays the function to call from Python (tests, `python -m`).
"""

from __future__ import annotations

import gc


def run() -> None:
    """Import the CLI with the collector off, freeze what the imports made, and run the command line."""
    gc.disable()
    try:
        from givefirst.cli.app import main
        from givefirst.cli.base import one_command_process

        one_command_process()
    finally:
        gc.freeze()
        gc.enable()
    main()
