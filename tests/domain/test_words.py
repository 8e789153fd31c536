"""Counts in words."""

from __future__ import annotations

import pytest

from givefirst.domain.words import plural


@pytest.mark.parametrize(
    ("count", "word", "expected"),
    [
        (1, "thing", "1 thing"),
        (0, "thing", "0 things"),
        (2, "thing", "2 things"),
        (1, "person", "1 person"),
        (3, "person", "3 people"),
        (2, "entry", "2 entries"),
        (2, "day", "2 days"),
        (2, "match", "2 matches"),
        (2, "phone number", "2 phone numbers"),
        (2, "criterion", "2 criteria"),
    ],
)
def test_plural(count: int, word: str, expected: str) -> None:
    many = "criteria" if word == "criterion" else None
    assert plural(count, word, many) == expected
