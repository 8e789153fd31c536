"""Reach through the real entry point: path, link, goal, dormant, events, chapters, members, stats --plot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_errors import one_line_error
from tests.cli.test_user_story import ok
from tests.conftest import Cli

ICS = Path(__file__).parents[1] / "services" / "data" / "chapter-events.ics"


@pytest.fixture
def network(cli: Cli) -> Cli:
    ok(cli("init", "--name", "Jordan Reyes", "--email", "jordan@reyes.example", "--location", "Brooklyn, NY"))
    ok(cli("add", "Ana Ruiz", "-e", "ana@ruiz.example", "-l", "Brooklyn, NY", "--org", "Acme"))
    ok(cli("add", "Ben Ortiz", "-l", "Tampa, FL", "--title", "Head of Product", "--org", "Suncoast"))
    ok(cli("add", "Dee Park", "-l", "Boston, MA"))
    for day in ("2026-11-01", "2026-11-10", "2026-11-20"):
        ok(cli("log", "Ana Ruiz", "--kind", "call", "--on", day, "-m", "catch-up"))
    ok(cli("log", "Dee Park", "--kind", "meeting", "--on", "2026-11-05"))
    return cli


def test_paths_links_and_goals(network: Cli, tmp_path: Path) -> None:
    cli = network
    assert (
        "Linked: Ana Ruiz and Ben Ortiz (colleague)"
        in ok(cli("link", "Ana Ruiz", "Ben Ortiz", "--as", "colleague")).out
    )
    text = ok(cli("path", "Ben Ortiz")).out
    assert "1. you → Ana Ruiz → Ben Ortiz" in text and "you recorded them as colleague" in text
    assert "ask readiness:" in text and "Opener: Hi Ana" in text
    data = json.loads(ok(cli("path", "--place", "Florida", "--json")).out)
    assert data["people_in_target"] == 1 and data["paths"][0]["hops"][-1]["to"]["name"] == "Ben Ortiz"
    assert 0 < data["paths"][0]["score"] <= 1
    assert json.loads(ok(cli("path", "--role", "product", "--org", "Suncoast", "--json", "-k", "1")).out)["paths"]

    assert "Goal #1: Move to Florida" in ok(cli("goal", "add", "Move to Florida", "--place", "Florida")).out
    assert json.loads(ok(cli("goal", "list", "--json")).out)[0]["place"] == "Florida"
    shown = ok(cli("goal", "show", "1")).out
    assert "Coverage: 1 person reaches it" in shown and "Best warm paths in:" in shown
    cov = json.loads(ok(cli("goal", "show", "1", "--json")).out)
    assert cov["people_in_goal"] == 1 and cov["paths"][0]["hops"][-1]["to"]["name"] == "Ben Ortiz"
    assert "Goal #1 done" in ok(cli("goal", "done", "1")).out
    assert "No goals yet" in ok(cli("goal", "list")).out
    assert "Unlinked" in ok(cli("unlink", "Ana Ruiz", "Ben Ortiz")).out
    assert json.loads(ok(cli("dormant", "--json")).out) == []

    plot = tmp_path / "health.png"
    assert "Picture written to" in ok(cli("stats", "--plot", str(plot))).out
    assert plot.read_bytes()[:4] == b"\x89PNG"
    assert json.loads(ok(cli("stats", "--json")).out)["brokerage"]["contacts"] == 2


def test_chapters_events_prep_and_follow_ups(network: Cli) -> None:
    cli = network
    ok(cli("need", "Dee Park", "Looking for a vendor scorecard template"))
    ok(cli("offer", "me", "Vendor scorecard template I built for three clients"))
    assert (
        "Chapter #1: AOP Boston" in ok(cli("chapter", "add", "AOP Boston", "--org", "AOP", "--place", "Boston, MA")).out
    )
    assert "Dee Park joined AOP Boston as member" in ok(cli("member", "add", "Dee Park", "AOP Boston")).out
    assert "sponsored by Ana Ruiz" in ok(cli("member", "add", "me", "AOP Boston", "--sponsor", "Ana Ruiz")).out
    chapters = json.loads(ok(cli("chapter", "list", "--json")).out)
    assert chapters[0]["members"] == 2 and chapters[0]["your_sponsor"] == "Ana Ruiz"
    assert "you — member, sponsored by Ana Ruiz" in ok(cli("chapter", "show", "AOP Boston")).out

    added = ok(cli("event", "add", "AOP Boston meeting", "--on", "2026-11-27 18:00", "--chapter", "AOP Boston"))
    assert added.out.startswith("Event #1: AOP Boston meeting on Fri 27 Nov 18:00")
    ok(cli("event", "add", "Chicago meetup", "--on", "2026-11-28 18:00", "--where", "Chicago, IL"))
    assert "1 expected at event #2" in ok(cli("event", "expect", "2", "Ana Ruiz")).out
    ranked = json.loads(ok(cli("events", "--json")).out)
    assert [e["id"] for e in ranked] == [1, 2] and ranked[0]["reasons"][0] == "you can help 1 person there"
    text = ok(cli("events")).out
    assert "#1  Fri 27 Nov 18:00  AOP Boston meeting" in text and "Prep: givefirst event prep 1" in text
    prep = ok(cli("event", "prep", "1")).out
    assert "Who is likely there (1):" in prep and "needs: Looking for a vendor scorecard template" in prep
    assert json.loads(ok(cli("event", "prep", "1", "--json")).out)["what_you_can_offer"]
    assert "RSVP yes" in ok(cli("event", "rsvp", "1", "yes")).out

    after = ok(cli("event", "attended", "1", "--met", "Dee Park", today=__import__("datetime").date(2026, 11, 27)))
    assert "follow-ups for 1" in after.out
    plan = json.loads(ok(cli("today", "--json", today=__import__("datetime").date(2026, 11, 28))).out)
    follow = [i for i in plan["items"] if i["key"].startswith("followup:")]
    assert follow and follow[0]["people"][0]["name"] == "Dee Park"
    assert "within 48 hours" in " ".join(follow[0]["why"])
    assert "Removed" in ok(cli("member", "remove", "Dee Park", "AOP Boston")).out

    imported = ok(cli("event", "import", str(ICS), "--chapter", "AOP Boston"))
    assert "Events: 3 added, 0 updated, 1 skipped" in imported.out
    again = json.loads(ok(cli("event", "import", str(ICS), "--json")).out)
    assert again["added"] == 0 and again["updated"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("path", "Nobody"), "no person named 'Nobody'"),
        (("path",), "say whom to reach"),
        (("path", "--place", "Atlantis"), "nobody in your network is in Atlantis"),
        (("path", "Ana Ruiz", "--max-hops", "5"), "--max-hops must be 1, 2 or 3"),
        (("link", "Ana Ruiz", "Ana Ruiz"), "name two different people"),
        (("link", "Ana Ruiz", "Ben Ortiz", "--as", "rival"), "unknown relationship 'rival'"),
        (("unlink", "Ana Ruiz", "Ben Ortiz"), "no relationship recorded"),
        (("goal", "show", "7"), "no goal with id 7"),
        (("goal", "add", "Move", "--place", "Atlantis"), "unknown place 'Atlantis'"),
        (("goal", "add", "Be happy"), "say what the goal is about"),
        (("event", "prep", "9"), "no event with id 9"),
        (("event", "add", "Party", "--on", "someday"), "invalid --on 'someday'"),
        (("event", "add", "Party", "--on", "2026-12-01", "--chapter", "Nowhere"), "no chapter named 'Nowhere'"),
        (("event", "rsvp", "9", "yes"), "no event with id 9"),
        (("event", "import", "/nonexistent/x.ics"), "cannot read /nonexistent/x.ics"),
        (("member", "add", "Nobody", "1"), "no chapter with id 1"),
        (("stats", "--plot", "health.jpg"), "--plot writes a PNG picture"),
        (("dormant", "--limit", "0"), "--limit must be at least 1"),
    ],
)
def test_bad_input_is_one_line(network: Cli, args: tuple[str, ...], message: str) -> None:
    assert message in one_line_error(network(*args))
