"""Events, the Network picture and warm paths, in-process on the demo network (which has events and a goal)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from givefirst.config import Settings
from givefirst.services.context import App
from givefirst.services.demo import build_demo
from givefirst.services.people import PersonInput, add_person
from givefirst.web import create_app
from givefirst.web.graph_layout import BANDS, radial_layout
from tests.conftest import NOW
from tests.web.conftest import csrf


@pytest.fixture
def demo_web(app: App) -> Iterator[TestClient]:
    build_demo(app)
    settings = Settings(database=app.settings.database, today=NOW.date())
    with TestClient(create_app(settings, now=NOW), base_url="http://127.0.0.1") as client:
        yield client


def test_events_are_ranked_with_reasons_and_have_a_prep_sheet(demo_web: TestClient) -> None:
    events = demo_web.get("/events.json").json()["events"]
    assert len(events) >= 2
    assert [e["score"] for e in events] == sorted((e["score"] for e in events), reverse=True)
    assert all(e["reasons"] for e in events)
    page = demo_web.get("/events").text
    assert events[0]["title"] in page and "Prep sheet" in page
    sheet = demo_web.get(f"/events/{events[0]['id']}.json").json()
    assert sheet["event"]["id"] == events[0]["id"] and sheet["people"] and sheet["why_go"]
    page = demo_web.get(f"/events/{events[0]['id']}").text
    assert "Who is likely there" in page and sheet["people"][0]["name"] in page
    assert demo_web.get("/events/99999").status_code == 404
    assert demo_web.get("/events.json?days=0").status_code == 422


def test_rsvp_from_the_page_and_as_json(demo_web: TestClient) -> None:
    token = csrf(demo_web)
    event = demo_web.get("/events.json").json()["events"][0]
    r = demo_web.post(f"/events/{event['id']}/rsvp", data={"answer": "yes", "csrf_token": token},
                      headers={"HX-Request": "true"})  # fmt: skip
    assert r.status_code == 200 and "RSVP yes" in r.text
    assert demo_web.get(f"/events/{event['id']}.json").json()["event"]["rsvp"] == "yes"
    r = demo_web.post(f"/events/{event['id']}/rsvp.json", json={"answer": "maybe"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200
    assert demo_web.get(f"/events/{event['id']}.json").json()["event"]["rsvp"] == "maybe"
    r = demo_web.post(f"/events/{event['id']}/rsvp", data={"answer": "perhaps", "csrf_token": token})
    assert r.status_code == 400 and "yes, maybe, no or none" in r.text
    assert demo_web.post(f"/events/{event['id']}/rsvp.json", json={"answer": "yes"}).status_code == 403


def test_the_network_is_laid_out_in_rings_coloured_by_tier(demo_web: TestClient) -> None:
    data = demo_web.get("/network.json").json()
    assert data["shown"] == data["people_in_network"] == len(data["nodes"]) > 100
    assert data["edges"] and all(0 < e[2] <= 1 for e in data["edges"])
    ids = {n["id"] for n in data["nodes"]}
    assert all(a in ids and b in ids for a, b, _ in data["edges"])
    for n in data["nodes"]:
        low, high = BANDS[n["tier"]]
        assert low - 1 <= (n["x"] ** 2 + n["y"] ** 2) ** 0.5 <= high + 1, n
    inner = demo_web.get("/network.json?tier=inner&tier=close").json()
    assert {n["tier"] for n in inner["nodes"]} <= {"inner", "close"} and inner["shown"] < data["shown"]
    assert demo_web.get("/network.json?limit=10").json()["shown"] == 10
    assert demo_web.get("/network.json?tier=best").status_code == 422
    page = demo_web.get("/network?tier=inner").text
    assert 'data-source="/network.json?limit=2000&amp;tier=inner&amp;q="' in page
    assert 'id="__________cytoscape_stylesheet"' in page  # Cytoscape then injects no style (the CSP refuses it)


def test_radial_layout_puts_each_tier_in_its_band() -> None:
    nodes = [{"id": i, "name": f"P{i}", "tier": t, "strength": (i % 10) / 10, "organization": None}
             for i, t in enumerate(["inner"] * 5 + ["acquaintance"] * 2000)]  # fmt: skip
    where = radial_layout(nodes)
    assert len(where) == 2005 and len(set(where.values())) == 2005
    assert all(60 <= (x * x + y * y) ** 0.5 <= 120 for i, (x, y) in where.items() if i < 5)


def test_warm_paths_on_a_persons_page(demo_web: TestClient, app: App) -> None:
    people = demo_web.get("/people.json?q=janelle").json()["people"]
    assert people
    janelle = people[0]
    page = demo_web.get(f"/people/{janelle['id']}").text
    assert f'hx-get="/people/{janelle["id"]}/paths"' in page
    # Someone you are in touch with needs no introduction: no path, and no opener addressed to them about them.
    direct = demo_web.get(f"/people/{janelle['id']}/paths.json").json()
    assert direct["paths"] == [] and direct["direct"].startswith(f"You know {janelle['name']} directly")
    # A colleague of hers you have never been in touch with: the path goes through her.
    profile = demo_web.get(f"/people/{janelle['id']}.json").json()
    zed = add_person(app, PersonInput(name="Zed Quill", organization=profile["organization"]))
    paths = demo_web.get(f"/people/{zed}/paths.json").json()
    assert paths["direct"] is None and paths["paths"]
    assert all(len(p["hops"]) > 1 and p["hops"][-1]["to"]["id"] == zed for p in paths["paths"])
    fragment = demo_web.get(f"/people/{zed}/paths").text
    assert "Opener to" in fragment and "<html" not in fragment
    for path in paths["paths"]:  # the hint to give first is beside the message, never in it
        assert "Give first" not in path["opener"]
    me = demo_web.get("/people.json").json()  # the user is never listed, and has no path to themselves
    assert all(p["name"] != "Jordan Reyes" for p in me["people"])
