"""Regular expressions compiled the first time they are used, not when their module is imported.

The matcher's readers (places, sides, constraints, schedules, ages, languages…) hold about a hundred module-level
patterns, many of them long alternations. Compiled at import they cost about 40 ms on every command that reads a
statement, a sixth of adding one need at 100,000 people, although one need and its short-list use about a third
of them: most readers look for a cheap cue first ("day", "licen", a digit) and never reach their pattern.

`lazy` returns a stand-in typed as the `re.Pattern` it will be: on its first use it compiles the pattern and
keeps the compiled pattern's methods as its own attributes, so every later call goes straight to `re` with no
layer in between. It answers `pattern` and `flags` without compiling (patterns built from other patterns' text).
"""

from __future__ import annotations

import re
from typing import Any, cast

# The methods and attributes of a compiled pattern that a stand-in hands over once compiled.
_FORWARDED = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner", "groups",
              "groupindex")  # fmt: skip


class _Deferred:
    """A pattern's text and flags until something asks for more (then `re.compile` once)."""

    def __init__(self, source: str, flags: int) -> None:
        self.pattern, self.flags = source, flags

    def __getattr__(self, name: str) -> Any:  # (called only for what the instance does not hold yet)
        if name not in _FORWARDED:
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        for attribute in _FORWARDED:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self.flags!r})"


def lazy(source: str, flags: int = 0) -> re.Pattern[str]:
    """Return a pattern that compiles `source` with `flags` when first used (the same matches as `re.compile`)."""
    # (typed as the pattern it stands for: it answers every method a reader calls on one, with the same arguments)
    return cast("re.Pattern[str]", _Deferred(source, int(flags)))
