"""Reach services on a real database: the graph and its cache, warm paths, goals, events, dormant ties, backup."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from givefirst.domain.goals import Target
from givefirst.domain.model import Direction, InteractionKind
from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services import introductions
from givefirst.services.activity import log_interaction
from givefirst.services.backup import export_json, restore
from givefirst.services.context import App
from givefirst.services.event_triage import prep_sheet, rank_events
from givefirst.services.events import EventInput, add_chapter, add_event, add_member, attended, import_events, rsvp
from givefirst.services.goals import add_goal, coverage, finish_goal, list_goals
from givefirst.services.graph import load_network
from givefirst.services.links import link, unlink
from givefirst.services.needs import add_item
from givefirst.services.people import PersonInput, add_person, set_me
from givefirst.services.plan import done, today
from givefirst.services.reach import find_paths
from tests.conftest import NOW

ICS = Path(__file__).parent / "data" / "chapter-events.ics"


def _network(app: App) -> dict[str, int]:
    set_me(app, PersonInput(name="Jordan Reyes", emails=["jordan@reyes.example"], location="Brooklyn, NY"))
    ids = {
        "ana": add_person(app, PersonInput(name="Ana Ruiz", emails=["ana@acme.example"], organization="Acme",
                                           location="Brooklyn, NY")),
        "ben": add_person(app, PersonInput(name="Ben Ortiz", emails=["ben@acme.example"], organization="Acme",
                                           location="Tampa, FL", title="Head of Product")),
        "cy": add_person(app, PersonInput(name="Cy Young", location="Miami, FL")),
        "dee": add_person(app, PersonInput(name="Dee Park", location="Boston, MA")),
    }  # fmt: skip
    for day in range(1, 40, 3):  # Ana is a close tie: two-way, often
        log_interaction(app, ["Ana Ruiz"], kind=InteractionKind.CALL, at=NOW - timedelta(days=day))
    log_interaction(app, ["Dee Park"], kind=InteractionKind.MEETING, at=NOW - timedelta(days=20))
    return ids


def test_the_graph_reads_every_kind_of_evidence_and_caches_contact_edges(app: App) -> None:
    ids = _network(app)
    log_interaction(app, ["Dee Park", "Cy Young"], kind=InteractionKind.MEETING, at=NOW - timedelta(days=3))
    link(app, "Ana Ruiz", "Cy Young", "friend")
    with app.begin() as conn:
        net = load_network(conn, app)
        assert net.why(ids["ana"], ids["ben"]) == "no evidence"  # read from the cache when asked for, as built
        net.fetch_evidence(conn, [(ids["ana"], ids["ben"]), (ids["dee"], ids["cy"]), (ids["ana"], ids["cy"])])
    assert not net.from_cache
    assert net.why(ids["ana"], ids["ben"]) == "both at Acme"  # same organization (and company mail domain)
    assert net.why(ids["dee"], ids["cy"]) == "met together"
    assert net.why(ids["ana"], ids["cy"]) == "you recorded them as friend"
    assert net.why(net.me, ids["ana"]).startswith("your tie (strength 0.")
    assert net.probability(net.me, ids["ana"]) > net.probability(net.me, ids["ben"])  # Ben: never in touch
    assert all(0 < p <= 1 for nbrs in net.edges.values() for p in nbrs.values())
    with app.begin() as conn:
        again = load_network(conn, app)
    assert again.from_cache and again.edges == net.edges
    again_why = again.why  # evidence is read from the cache on demand
    with app.begin() as conn:
        again.fetch_evidence(conn, [(ids["ana"], ids["cy"])])
    assert again_why(ids["ana"], ids["cy"]) == "you recorded them as friend"
    unlink(app, "Ana Ruiz", "Cy Young")  # changed evidence: the cache is updated in place, not rebuilt
    with app.begin() as conn:
        fresh = load_network(conn, app)
    assert fresh.from_cache and fresh.probability(ids["ana"], ids["cy"]) == 0.0
    with app.begin() as conn:
        whole = load_network(conn, app, refresh=True)
    assert not whole.from_cache and whole.edges == fresh.edges


def test_an_introduction_made_is_an_edge(app: App) -> None:
    ids = _network(app)
    intro = introductions.create(app, "Dee Park", "Cy Young", reason="both in logistics", direct=True)
    introductions.take_next(app, intro.view.id)
    with app.begin() as conn:
        net = load_network(conn, app)
        net.fetch_evidence(conn, [(ids["dee"], ids["cy"])])
    assert "introduced by you" in net.why(ids["dee"], ids["cy"])


def test_warm_paths_to_a_person_a_place_a_role_and_an_organization(app: App) -> None:
    ids = _network(app)
    link(app, "Ana Ruiz", "Cy Young", "colleague")
    to_cy = find_paths(app, person="Cy Young")
    best = to_cy.paths[0]
    assert [h.target for h in best.hops] == ["Ana Ruiz", "Cy Young"]
    assert best.score == pytest.approx(best.hops[0].probability * best.hops[1].probability)
    assert best.hops[0].readiness is not None and best.hops[1].readiness is None  # never in touch with Cy
    assert "I believe you two know each other" in best.opener and "Ana" in best.opener
    assert "The weakest link" in best.explanation
    florida = find_paths(app, target=Target(place="Florida"))
    assert florida.target_count == 2 and {p.hops[-1].target for p in florida.paths} == {"Ben Ortiz", "Cy Young"}
    assert all(p.target_reason in ("in Tampa, FL", "in Miami, FL") for p in florida.paths)
    role = find_paths(app, target=Target(roles=("product",)), k=1)
    assert role.paths[0].hops[-1].target_id == ids["ben"]
    assert find_paths(app, target=Target(organization="acme")).target_count == 2
    with pytest.raises(NotFoundError, match="nobody in your network is in Atlantis"):
        find_paths(app, target=Target(place="Atlantis"))
    with pytest.raises(InvalidInputError):
        find_paths(app)
    with pytest.raises(InvalidInputError, match="that is you"):
        find_paths(app, person="me")
    with pytest.raises(InvalidInputError, match="--max-hops"):
        find_paths(app, person="Cy Young", max_hops=4)


def test_a_goal_shows_coverage_and_reranks_the_plan(app: App) -> None:
    ids = _network(app)
    for day in (1500, 1480, 1460, 1440):  # Cy: a real tie, silent four years — now in Florida
        log_interaction(app, ["Cy Young"], kind=InteractionKind.CALL, direction=Direction.MUTUAL,
                        at=NOW - timedelta(days=day))  # fmt: skip
    before = {i.key: i for i in today(app, size=10)}
    link(app, "Ana Ruiz", "Ben Ortiz", "colleague")  # Ana, a close tie in Brooklyn, is a bridge into Florida
    goal = add_goal(app, "Move to Florida", place="Florida")
    assert [g.title for g in list_goals(app)] == ["Move to Florida"]
    cov = coverage(app, goal.id)
    assert cov.people == 2 and cov.by_warmth["dormant"] == 1 and cov.by_warmth["cold"] == 1
    assert {p.hops[-1].target for p in cov.paths} == {"Ben Ortiz", "Cy Young"}
    assert cov.bridges == [(ids["ana"], "Ana Ruiz", 1)]
    after = {i.key: i for i in today(app, size=10)}
    revive = after[f"revive:{ids['cy']}"]
    assert "toward your goal “Move to Florida”: in Miami, FL" in revive.why
    assert revive.score > before[f"revive:{ids['cy']}"].score
    finish_goal(app, goal.id)
    assert list_goals(app) == [] and list_goals(app, all_goals=True)[0].status == "done"
    with pytest.raises(NotFoundError, match="no goal with id 9"):
        coverage(app, 9)
    with pytest.raises(InvalidInputError, match="say what the goal is about"):
        add_goal(app, "Be happy")
    with pytest.raises(InvalidInputError, match="unknown place"):
        add_goal(app, "Move", place="Atlantis")


def test_event_triage_prep_and_follow_ups_within_48_hours(app: App) -> None:
    ids = _network(app)
    add_item(app, "need", "Dee Park", "Looking for a vendor scorecard template")
    add_item(app, "offer", "me", "Vendor scorecard template I built for three clients")
    chapter = add_chapter(app, "AOP", "AOP Boston", "Boston, MA")
    assert chapter == 1
    add_member(app, "Dee Park", "AOP Boston")
    add_member(app, "me", "AOP Boston", sponsor="Ana Ruiz")
    soon = NOW + timedelta(days=3)
    boston = add_event(app, EventInput("AOP Boston meeting", soon.replace(hour=18), chapter="AOP Boston"))
    quiet = add_event(app, EventInput("Some meetup", soon, location="Chicago, IL"))
    ranked = rank_events(app)
    assert [e.row.id for e in ranked] == [boston, quiet]
    assert ranked[0].triage.reasons[0] == "you can help 1 person there"
    assert "Dee Park" in ranked[0].triage.reasons[1] and "your offer" in ranked[0].triage.reasons[1]
    sheet = prep_sheet(app, boston)
    assert sheet["people"][0]["name"] == "Dee Park" and sheet["people"][0]["needs"]
    assert sheet["what_you_can_offer"] == ["Vendor scorecard template I built for three clients"]
    plan = today(app, size=10)
    assert f"event:{boston}" in [i.key for i in plan]
    assert "RSVP yes" in done(app, f"event:{boston}").message
    assert f"event:{boston}" not in [i.key for i in today(app, size=10)]
    with pytest.raises(InvalidInputError, match="mark it attended after it happens"):
        attended(app, boston, ["Dee Park"])
    assert rsvp(app, quiet, "no").startswith("RSVP no")
    with pytest.raises(InvalidInputError):
        rsvp(app, quiet, "perhaps")

    later = App(app.engine, app.settings, soon.replace(hour=21))
    assert "follow-ups for 1" in attended(later, boston, ["Dee Park"], "Talked scorecards")
    attended(later, boston, ["Dee Park"])  # twice: one touch, one follow-up
    items = [i for i in today(later, size=10) if i.key.startswith("followup:")]
    assert len(items) == 1 and items[0].people == ((ids["dee"], "Dee Park"),)
    two_days = App(app.engine, app.settings, later.now + timedelta(hours=48))
    assert any(i.key == items[0].key for i in today(two_days, size=10))


def test_events_import_from_ics_is_idempotent(app: App) -> None:
    _network(app)
    add_chapter(app, "AOP", "AOP Boston", "Boston, MA")
    first = import_events(app, ICS, "AOP Boston")
    assert (first.added, first.updated) == (3, 0)
    assert first.unknown_attendees == 1 and [r for _, r in first.skipped] == [
        "cancelled (STATUS:CANCELLED): the meeting did not take place"
    ]
    again = import_events(app, ICS, "AOP Boston")
    assert (again.added, again.updated) == (0, 3)
    ranked = {e.row.title: e for e in rank_events(app, days=400)}
    assert set(ranked) == {"AOP Boston holiday social", "AOP Boston — monthly meeting", "Solo study hour"}
    assert [a.name for a in ranked["AOP Boston — monthly meeting"].facts.attendees] == ["Dee Park"]
    assert ranked["Solo study hour"].facts.location == "Boston, MA"  # the chapter's place
    with pytest.raises(InvalidInputError, match="not an iCalendar file"):
        import_events(app, Path(__file__))


def test_reach_tables_round_trip_through_a_backup(app: App, other_app: App, tmp_path: Path) -> None:
    _network(app)
    link(app, "Ana Ruiz", "Ben Ortiz", "colleague", "same team")
    add_goal(app, "Move to Florida", place="Florida")
    add_chapter(app, "AOP", "AOP Boston", "Boston, MA")
    add_member(app, "me", "AOP Boston", role="officer", sponsor="Ana Ruiz")
    eid = add_event(app, EventInput("AOP Boston meeting", NOW + timedelta(days=2), chapter="AOP Boston",
                                    expected=["Dee Park"]))  # fmt: skip
    with app.begin() as conn:
        load_network(conn, app)  # fills the edge cache, which backups leave out
    backup = export_json(app)
    doc = json.loads(backup.data)
    for name in ("person_links", "goals", "chapters", "chapter_members", "events", "event_people"):
        assert doc["tables"][name], name
    assert "graph_edges" not in doc["tables"] and "graph_marks" not in doc["tables"]
    path = tmp_path / "backup.json"
    path.write_bytes(backup.data)
    restore(other_app, path)
    assert json.loads(export_json(other_app).data)["tables"] == doc["tables"]
    assert prep_sheet(other_app, eid) == prep_sheet(app, eid)
    assert find_paths(other_app, person="Ben Ortiz").as_dict() == find_paths(app, person="Ben Ortiz").as_dict()


def test_dormant_needs_a_real_relationship(app: App) -> None:
    from givefirst.services.dormant import list_dormant

    _network(app)
    log_interaction(app, ["Cy Young"], kind=InteractionKind.CALL, at=datetime(2020, 1, 5))  # one call: not real
    for day in (1500, 1480, 1460):
        log_interaction(app, ["Ben Ortiz"], kind=InteractionKind.CALL, at=NOW - timedelta(days=day))
    found = list_dormant(app)
    assert [d.name for d in found] == ["Ben Ortiz"]
    assert found[0].revival.reasons[0].startswith("a real relationship gone quiet: 3 two-way touches")
    with pytest.raises(InvalidInputError):
        list_dormant(app, 0)
