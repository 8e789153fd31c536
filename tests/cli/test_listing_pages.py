"""Listings show a page in the table and say how to see the rest; --json and --limit 0 give everything."""

from __future__ import annotations

import json

from tests.cli.test_user_story import ok
from tests.conftest import Cli


def test_people_and_needs_show_a_page_with_a_footer(cli: Cli) -> None:
    for n in range(23):
        ok(cli("add", f"Person {n:02d}"))
        ok(cli("need", f"Person {n:02d}", f"Looking for help number {n}"))
    table = ok(cli("people")).out
    assert "Person 00" in table and "Person 19" in table and "Person 20" not in table
    assert "20 of 23 people (--limit N to see more, --limit 0 for all)" in table
    everyone = ok(cli("people", "--limit", "0")).out
    assert "Person 22" in everyone and "23 people" in everyone and " of " not in everyone.splitlines()[-1]
    assert "1 of 23 people" in ok(cli("people", "--limit", "1")).out
    assert len(json.loads(ok(cli("people", "--json")).out)) == 23  # scripts get everything
    needs = ok(cli("needs")).out
    assert "20 of 23 needs" in needs and "number 19" in needs and "number 20" not in needs
    assert len(json.loads(ok(cli("needs", "--json")).out)) == 23
    assert "23 needs" in ok(cli("needs", "-n", "0")).out
    assert "5 of 23 needs" in ok(cli("needs", "-n", "5")).out
