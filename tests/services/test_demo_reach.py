"""The issue's "done when", on the demo network: the move to Florida, a dormant tie, two chapter events."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from givefirst.domain.model import ItemKind
from givefirst.services.context import App
from givefirst.services.demo import build_demo
from givefirst.services.event_triage import prep_sheet, rank_events
from givefirst.services.events import attended
from givefirst.services.goals import coverage, list_goals
from givefirst.services.health import plot_stats
from givefirst.services.plan import today
from givefirst.services.stats import network_stats


@pytest.fixture
def demo(app: App) -> App:
    build_demo(app)
    return app


def test_the_relocation_goal_shows_coverage_and_three_warm_paths_into_florida(demo: App) -> None:
    [goal] = list_goals(demo)
    assert goal.title == "Move to Florida" and goal.place == "Florida"
    cov = coverage(demo, goal.id)
    assert cov.people >= 40
    assert cov.by_warmth["warm"] >= 5 and cov.by_warmth["cooling"] >= 5 and cov.by_warmth["dormant"] >= 1
    assert len(cov.paths) == 3
    for path in cov.paths:
        assert path.target_reason.startswith("in ")
        assert path.target_reason.endswith(", FL") and path.opener and path.explanation
    assert cov.paths[0].hops[-1].target == "Marcus Bell"  # the inner-circle friend who moved to Tampa
    assert [e["title"] for e in cov.events] == ["AOP Tampa Bay chapter holiday mixer"]
    assert any(c["name"] == "AOP Tampa Bay" and c["you_are_a_member"] for c in cov.chapters)


def test_a_dormant_tie_is_proposed_with_a_reason(demo: App) -> None:
    items = today(demo)
    [revive] = [i for i in items if i.kind is ItemKind.DORMANT]
    assert revive.title == "Revive your tie with Olivia Okonkwo"  # the Hartwell colleague now in Orlando
    assert revive.why[0].startswith("a real relationship gone quiet")
    assert "toward your goal “Move to Florida”: in Orlando, FL" in revive.why


def test_the_new_york_meeting_ranks_high_despite_the_move_and_the_florida_event_for_the_goal(demo: App) -> None:
    ranked = {e.row.title: e for e in rank_events(demo)}
    ny = ranked["AOP New York chapter meeting — supply-chain resilience panel"]
    fl = ranked["AOP Tampa Bay chapter holiday mixer"]
    assert ny.triage.score >= 0.6 and fl.triage.score >= 0.6
    assert ny.triage.parts["goal"] == 0.0  # nothing in it for the move...
    assert ny.triage.reasons[0].startswith("you can help") and int(ny.triage.reasons[0].split()[3]) >= 3
    assert any("still your network, and helping them is the point" in r for r in ny.triage.reasons)
    assert any("Aisha Mohammed" in r and "Brightline" in r for r in ny.triage.reasons)
    assert fl.triage.parts["goal"] == 1.0
    assert "toward your goal “Move to Florida”: it is held in Armature Works, Tampa, FL" in fl.triage.reasons
    upcoming = [i for i in today(demo, size=10) if i.kind is ItemKind.UPCOMING]
    assert any(i.title.startswith("Go to AOP New York chapter meeting") for i in upcoming)


def test_the_prep_sheet_and_the_follow_ups_after_the_meeting(demo: App) -> None:
    # read at engine m7's default threshold, 0.6: the demo's vendor-scorecard pair for Priya is a fair match at a
    # chance of 0.68 since engine m8, below its default of 0.85 (docs/matching.md, "Engine m8")
    demo = App(demo.engine, replace(demo.settings, plan=replace(demo.settings.plan, match_threshold=0.6)), demo.now)
    [ny] = [e for e in rank_events(demo) if e.row.title.startswith("AOP New York")]
    sheet = prep_sheet(demo, ny.row.id)
    names = [p["name"] for p in sheet["people"]]
    assert "Priya Natarajan" in names and "Harold Brennan" in names
    priya = next(p for p in sheet["people"] if p["name"] == "Priya Natarajan")
    assert any("scorecard" in n for n in priya["needs"]) and priya["you_can_help"]
    assert any("Jamal Carter" in pair for pair in sheet["introductions"])
    assert any("Brightline" in o for o in sheet["what_you_can_offer"])
    after = App(demo.engine, demo.settings, ny.row.starts_at + timedelta(hours=3))
    attended(after, ny.row.id, ["Priya Natarajan", "Jamal Carter"])
    follow = [i for i in today(after, size=10) if i.key.startswith("followup:")]
    met = [i for i in follow if {n for _, n in i.people} == {"Priya Natarajan", "Jamal Carter"}]
    assert len(met) == 1 and "after: Met at AOP New York chapter meeting" in " ".join(met[0].why)


def test_stats_report_brokerage_and_draw_a_readable_picture(demo: App, tmp_path: Path) -> None:
    data = network_stats(demo)
    ego = data["brokerage"]
    assert ego["contacts"] == 150 and 0 < ego["effective_size"] <= 150 and 0 < ego["constraint"] < 1
    path = plot_stats(data, tmp_path / "health.png")
    png = path.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 40_000  # four drawn panels, not an empty canvas
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width >= 1000 and height >= 700


def test_events_read_only_their_attendees_pairs_and_rank_as_on_every_pair(
    demo: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The events and the prep sheet read the pairs of the attendees' needs (and the user's) only: the ranking,
    the reasons and the sheet are what every pair of the network gives."""
    from givefirst.services import event_triage

    narrow = [(e.row.id, e.triage, e.facts) for e in rank_events(demo)]
    sheets = [prep_sheet(demo, event_id) for event_id, _, _ in narrow]
    monkeypatch.setattr(event_triage, "MAX_LISTED", 0)  # too many to list: every need's pairs are read
    assert [(e.row.id, e.triage, e.facts) for e in rank_events(demo)] == narrow
    assert [prep_sheet(demo, event_id) for event_id, _, _ in narrow] == sheets
    assert any(a.helps for _, _, facts in narrow for a in facts.attendees)  # the pairs are used
