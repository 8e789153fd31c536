"""The Heard page, its JSON twin and the Heard section of Today, in-process on the test database."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from givefirst.domain.model import Direction, InteractionKind
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from tests.conftest import NOW
from tests.web.conftest import Seeded, csrf, same_database


def _heard_message(app: App, seeded: Seeded, text: str) -> None:
    log_interaction(app, [f"#{seeded.cy}"], kind=InteractionKind.MESSAGE, direction=Direction.INBOUND,
                    summary=text, at=NOW - timedelta(days=3), source="linkedin")  # fmt: skip


def test_the_page_lists_what_was_heard_with_its_provenance(web: TestClient, app: App, seeded: Seeded) -> None:
    _heard_message(app, seeded, "Could you introduce me to someone who runs a commissary kitchen in Tampa?")
    page = web.get("/heard")
    assert page.status_code == 200 and "Cy Young" in page.text
    assert "commissary kitchen" in page.text and "from a LinkedIn message, 22 November 2026" in page.text
    data = web.get("/heard.json").json()
    assert data["open"] == 1 and data["candidates"][0]["kind"] == "need"


def test_accepting_from_today_records_the_need_and_comes_back(web: TestClient, app: App, seeded: Seeded) -> None:
    _heard_message(app, seeded, "I'm looking for a bookkeeper who knows restaurant payroll.")
    section = web.get("/heard/section")
    assert section.status_code == 200 and "<html" not in section.text and "restaurant payroll" in section.text
    assert 'hx-get="/heard/section"' in web.get("/today").text
    [c] = web.get("/heard.json").json()["candidates"]
    form = {"action": "accept", "text": "A restaurant payroll bookkeeper", "back": "today", "csrf_token": csrf(web)}
    r = web.post(f"/heard/{c['id']}", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/today"
    needs = web.get(f"/people/{seeded.cy}.json").json()["needs"]
    assert any(n["text"] == "A restaurant payroll bookkeeper" for n in needs)
    assert web.get("/heard.json").json()["open"] == 0


def test_reject_and_skip_as_json_and_bad_requests(web: TestClient, app: App, seeded: Seeded) -> None:
    _heard_message(app, seeded, "We're hiring a line cook for the new St. Pete location. Happy to share the details.")
    found = web.get("/heard.json").json()["candidates"]
    assert found
    token = {"X-CSRF-Token": csrf(web)}
    r = web.post(f"/heard/{found[0]['id']}.json", json={"action": "reject"}, headers=token)
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    again = web.post(f"/heard/{found[0]['id']}.json", json={"action": "accept"}, headers=token)
    assert again.status_code == 400 and "already rejected" in again.text
    missing = web.post("/heard/999.json", json={"action": "skip"}, headers=token)
    assert missing.status_code == 404
    unknown = web.post(f"/heard/{found[0]['id']}", data={"action": "maybe", "csrf_token": csrf(web)})
    assert unknown.status_code == 400
    assert web.post("/heard/999.json", json={"action": "skip"}).status_code == 403  # no CSRF token


def test_the_sources_form_turns_a_source_off_for_good_and_back_on(web: TestClient, app: App, seeded: Seeded) -> None:
    from givefirst.services import heard

    _heard_message(app, seeded, "Could you introduce me to someone who runs a commissary kitchen in Tampa?")
    page = web.get("/heard").text
    assert 'id="sources"' in page and 'name="source" value="linkedin"' in page and "Turn off" in page
    form = {"source": "linkedin", "on": "off", "csrf_token": csrf(web)}
    r = web.post("/heard/sources", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/heard#sources"
    other = same_database(app)  # the setting is in the database: the CLI and the background sync see it
    assert {s["source"]: s["on"] for s in heard.sources(other)}["linkedin"] is False
    other.close()
    assert {s["source"]: s["on"] for s in web.get("/heard/sources.json").json()}["linkedin"] is False
    data = web.get("/heard.json").json()
    assert data["open"] == 0 and data["candidates"] == [] and data["scan"]["sources_off"] == ["linkedin"]
    assert "Turn on" in web.get("/heard").text
    assert "commissary" not in web.get("/heard/section").text  # Today's section obeys it too

    token = {"X-CSRF-Token": csrf(web)}
    back = web.post("/heard/sources.json", json={"source": "linkedin", "on": True}, headers=token)
    assert back.status_code == 200 and back.json() == {"source": "linkedin", "on": True}
    assert web.get("/heard.json").json()["open"] == 1
    unknown = web.post("/heard/sources.json", json={"source": "gmail", "on": False}, headers=token)
    assert unknown.status_code == 400 and "no source 'gmail'" in unknown.text
    bad = web.post("/heard/sources", data={"source": "linkedin", "on": "maybe", "csrf_token": csrf(web)})
    assert bad.status_code == 400
