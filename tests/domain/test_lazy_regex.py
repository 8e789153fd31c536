"""Issue 13: the matcher's patterns compile when first used (`lazy_regex`), with the same matches as `re.compile`."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from givefirst.domain import match_schedule
from givefirst.domain.lazy_regex import lazy

SOURCE = r"\b(?:must\s+work|no)\s+(weekends?|nights?)\b"


def test_nothing_is_compiled_until_a_method_is_used() -> None:
    pattern = lazy(SOURCE, re.IGNORECASE)
    assert "search" not in vars(pattern)  # (still deferred)
    assert pattern.pattern == SOURCE and pattern.flags == re.IGNORECASE  # answered without compiling
    assert "search" not in vars(pattern)
    found = pattern.search("Sorry, NO weekends at all")
    assert found is not None and found.group(1) == "weekends"
    assert "search" in vars(pattern)  # the compiled pattern's methods are its own from now on


def test_a_bad_pattern_fails_where_it_is_first_used_with_re_s_own_error() -> None:
    pattern = lazy(r"(unclosed")
    with pytest.raises(re.error):
        pattern.search("x")


def test_an_attribute_a_pattern_does_not_have_is_refused() -> None:
    with pytest.raises(AttributeError):
        lazy("x").no_such_method  # type: ignore[attr-defined]  # noqa: B018


def test_the_matcher_s_patterns_are_deferred_stand_ins() -> None:
    assert not isinstance(match_schedule._ONLY, re.Pattern)  # (a `lazy` stand-in, compiled or not)


@given(st.text(alphabet=st.sampled_from(list("ab no must work weekends nights,."))))
def test_every_method_answers_as_the_compiled_pattern_does(text: str) -> None:
    eager, deferred = re.compile(SOURCE, re.IGNORECASE), lazy(SOURCE, re.IGNORECASE)
    assert [m.span() for m in deferred.finditer(text)] == [m.span() for m in eager.finditer(text)]
    assert deferred.findall(text) == eager.findall(text)
    assert deferred.sub("<>", text) == eager.sub("<>", text)
    assert deferred.split(text) == eager.split(text)
    assert bool(deferred.match(text)) == bool(eager.match(text))
    assert bool(deferred.fullmatch(text)) == bool(eager.fullmatch(text))
    assert deferred.groups == eager.groups == 1
