"""A new user, with `--help` alone, builds a small network and sees it in today, show and stats."""

from __future__ import annotations

import json
from datetime import date

from tests.conftest import Cli, Result


def ok(result: Result) -> Result:
    assert result.code == 0, f"exit {result.code}: {result.err}"
    return result


def test_five_people_logs_gives_asks_needs_offers_reach_today_show_and_stats(cli: Cli) -> None:
    ok(cli("init", "--name", "Jordan Reyes", "--email", "jordan@reyes.example", "--location", "Brooklyn, NY"))
    ok(
        cli(
            "add",
            "Priya Shah",
            "-e",
            "priya@acme.example",
            "--org",
            "Acme Logistics",
            "-l",
            "Tampa, FL",
            "-t",
            "aop-fl",
        )
    )
    ok(cli("add", "Marcus Lee", "-e", "marcus@lee.example", "-l", "Brooklyn, NY", "-t", "aop-ny,client"))
    ok(cli("add", "Dana Whitfield", "-e", "dana@hartwell.example", "--title", "VP Operations"))
    ok(cli("add", "Sam Ortiz", "-p", "(212) 555-0147", "--introduced-by", "Marcus Lee"))
    ok(cli("add", "Priya Patel", "-l", "Miami, FL"))

    ok(cli("log", "Priya Shah", "--kind", "meeting", "-m", "Coffee in Ybor City", "--on", "2026-06-01"))
    ok(cli("log", "marcus@lee.example", "--kind", "email", "-d", "inbound", "--on", "2026-11-10"))
    ok(cli("log", "Marcus Lee", "--kind", "email", "--on", "2026-11-11", "-m", "Replied about the panel"))
    ok(cli("log", "Dana Whitfield", "--kind", "meeting", "--on", "2021-03-01", "-m", "Farewell lunch"))
    for year in (2018, 2019, 2020):
        ok(cli("log", "Dana Whitfield", "--kind", "call", "--on", f"{year}-05-01"))
    ok(cli("log", "Priya Shah", "Sam Ortiz", "--kind", "call", "--on", "2026-11-20", "--follow-up", "2026-11-24"))

    ok(cli("gave", "Priya Shah", "Sent the vendor scorecard template", "--kind", "information"))
    ok(cli("gave", "Marcus Lee", "Intro to a logistics CFO", "--promised", "--requested", "--due", "2026-11-20"))
    asked = ok(cli("ask", "Priya Patel", "A referral at Brightline Health"))
    assert "NOT READY" in asked.out
    assert "never been in touch" in asked.out
    assert "→" in asked.out  # a give-first alternative

    ok(cli("need", "Priya Shah", "Looking for a fractional CFO who knows logistics, Tampa or remote", "-t", "finance"))
    ok(cli("offer", "Marcus Lee", "Fractional CFO for logistics companies, happy to take intro calls", "-t", "finance"))
    ok(cli("offer", "me", "Can review S&OP processes and vendor scorecards", "-t", "operations"))

    plan = ok(cli("today", "--json"))
    items = json.loads(plan.out)["items"]
    keys = [i["key"] for i in items]
    kinds = {i["kind"] for i in items}
    assert any(k.startswith("promise:") for k in keys)
    assert any(k.startswith("followup:") for k in keys)
    assert "give" in kinds
    assert "dormant" in kinds  # Dana: years of calls, silent since 2021
    for item in items:
        assert item["command"] == f"givefirst done {item['key']}"
        assert item["message"] and item["why"]

    shown = ok(cli("show", "Priya Shah"))
    assert "Tie strength" in shown.out and "two-way contact" in shown.out
    assert "Looking for a fractional CFO" in shown.out
    assert "vendor scorecard" in shown.out
    profile = json.loads(ok(cli("show", "priya@acme.example", "--json")).out)
    assert profile["organization"] == "Acme Logistics"
    assert profile["ledger"][0]["direction"] == "gave"
    assert 0 < profile["strength"] <= 1

    stats = json.loads(ok(cli("stats", "--json")).out)
    assert stats["people"] == 5
    assert stats["open_needs"] == 1 and stats["open_offers"] == 2
    assert stats["promised_gives"] == 1
    assert stats["dormant"] == 1
    human = ok(cli("stats"))
    assert "Dunbar" in human.out

    # Acting on the plan changes it.
    promise = next(k for k in keys if k.startswith("promise:"))
    ok(cli("done", promise))
    after = [i["key"] for i in json.loads(ok(cli("today", "--json")).out)["items"]]
    assert promise not in after


def test_people_listing_filters_and_json(cli: Cli) -> None:
    ok(cli("add", "Ana Ruiz", "-l", "Tampa, FL", "-t", "aop-fl", "--org", "Brightline Health"))
    ok(cli("add", "Ben Cho", "-l", "Newark, NJ", "-t", "aop-nj"))
    ok(cli("log", "Ana Ruiz", "--kind", "meeting", "--on", "2026-01-05"))
    rows = json.loads(ok(cli("people", "--json")).out)
    assert [r["name"] for r in rows] == ["Ana Ruiz", "Ben Cho"]
    assert [r["name"] for r in json.loads(ok(cli("people", "-t", "aop-fl", "--json")).out)] == ["Ana Ruiz"]
    assert [r["name"] for r in json.loads(ok(cli("people", "-l", "NJ", "--json")).out)] == ["Ben Cho"]
    assert [r["name"] for r in json.loads(ok(cli("people", "-o", "bright", "--json")).out)] == ["Ana Ruiz"]
    # Ana: one meeting in January, past her 180-day cadence but too weak a tie (0.05) to be due; Ben: never met.
    assert json.loads(ok(cli("people", "--due", "--json")).out) == []
    due = json.loads(ok(cli("people", "--due", "--include-weak", "--json")).out)
    assert [r["name"] for r in due] == ["Ana Ruiz"] and due[0]["past_cadence"] and not due[0]["due"]
    by_strength = json.loads(ok(cli("people", "--sort", "strength", "--json")).out)
    assert by_strength[0]["name"] == "Ana Ruiz"
    table = ok(cli("people"))
    assert "Ana Ruiz" in table.out and "2 people" in table.out


def test_snooze_hides_a_person_from_the_plan(cli: Cli) -> None:
    ok(cli("add", "Ana Ruiz"))
    for month in range(1, 11):
        ok(cli("log", "Ana Ruiz", "--kind", "meeting", "--on", f"2025-{month:02d}-03"))
    keys = [i["key"] for i in json.loads(ok(cli("today", "--json")).out)["items"]]
    assert keys == ["touch:2"]
    ok(cli("snooze", "Ana Ruiz", "--days", "3"))
    assert json.loads(ok(cli("today", "--json")).out)["items"] == []
    back = json.loads(ok(cli("today", "--json", today=date(2026, 11, 29))).out)
    assert [i["key"] for i in back["items"]] == ["touch:2"]
    ok(cli("done", "touch:2", "-m", "Sent her the article on nearshoring"))
    shown = json.loads(ok(cli("show", "Ana Ruiz", "--json")).out)
    assert shown["timeline"][0]["summary"] == "Sent her the article on nearshoring"
