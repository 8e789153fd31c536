"""Counts in words: "1 thing to do", "2 things to do", "1 person", "3 people"."""

from __future__ import annotations

_IRREGULAR = {"person": "people", "child": "children"}


def plural(count: int, singular: str, many: str | None = None) -> str:
    """Return the count and the word that goes with it: plural(1, "thing") is "1 thing", plural(2, ...) "2 things".

    `many` gives the plural when the English rules below do not (they know "people", "entries", "matches").
    """
    if count == 1:
        return f"{count} {singular}"
    if many is None:
        if singular in _IRREGULAR:
            many = _IRREGULAR[singular]
        elif singular.endswith("y") and singular[-2:-1] not in tuple("aeiou"):
            many = singular[:-1] + "ies"
        elif singular.endswith(("s", "x", "z", "ch", "sh")):
            many = singular + "es"
        else:
            many = singular + "s"
    return f"{count} {many}"
