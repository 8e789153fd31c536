"""Reading a choice the user typed (a kind, a direction, a tier) into its enumeration, or saying what is allowed."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from givefirst.errors import InvalidInputError

E = TypeVar("E", bound=StrEnum)


def choose(enum: type[E], text: str, what: str, aliases: Mapping[str, str] | None = None, also: str = "") -> E:
    """Return the member of `enum` that `text` names (case, spaces and dashes forgiven, aliases allowed).

    `also` names other accepted words in the error message, e.g. ", or auto".
    """
    key = text.strip().lower()
    for candidate in (key, key.replace("-", "_").replace(" ", "_")):
        candidate = (aliases or {}).get(candidate, candidate)
        try:
            return enum(candidate)
        except ValueError:
            continue
    choices = ", ".join(member.value for member in enum)
    raise InvalidInputError(f"unknown {what} {text!r}: choose one of {choices}{also}")
