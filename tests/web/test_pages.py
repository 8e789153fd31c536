"""Every page and its JSON twin, in-process, on a real database: what they show and what they do."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from tests.web.conftest import XSS_NAME, Seeded, csrf, same_database

PAGES = ["/today", "/people", "/people/new", "/connect", "/stats", "/import", "/import/merges"]
JSON = ["/today.json", "/people.json", "/connect.json", "/stats.json", "/import/merges.json", "/healthz.json"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_the_security_headers(web: TestClient, seeded: Seeded, path: str) -> None:
    r = web.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert "<script>" not in r.text  # no inline script anywhere: only <script src=...>
    assert 'name="csrf_token"' in r.text or path in ("/stats", "/import/merges")


@pytest.mark.parametrize("path", JSON)
def test_every_json_twin_answers_json(web: TestClient, seeded: Seeded, path: str) -> None:
    r = web.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    assert isinstance(r.json(), dict)


def test_today_shows_the_plan_with_its_message_and_mailto(web: TestClient, seeded: Seeded) -> None:
    data = web.get("/today.json").json()
    keys = [i["key"] for i in data["items"]]
    assert f"promise:{1}" in keys or any(k.startswith("promise:") for k in keys)
    promise = next(i for i in data["items"] if i["key"].startswith("promise:"))
    assert promise["people"][0]["name"] == "Ana Ruiz"
    assert promise["mailto"].startswith("mailto:ana@ruiz.example?subject=")
    page = web.get("/today").text
    assert "Send Ana the hiring checklist" in page
    assert 'href="mailto:ana@ruiz.example?subject=' in page


def test_done_with_htmx_answers_a_fragment_and_the_item_leaves_the_plan(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    key = next(i["key"] for i in web.get("/today.json").json()["items"] if i["key"].startswith("promise:"))
    r = web.post("/today/done", data={"key": key, "kind": "email", "note": "sent it", "csrf_token": token},
                 headers={"HX-Request": "true"})  # fmt: skip
    assert r.status_code == 200
    assert "Delivered to Ana Ruiz" in r.text and "<html" not in r.text
    assert key not in [i["key"] for i in web.get("/today.json").json()["items"]]
    ledger = web.get(f"/people/{seeded.ana}.json").json()["ledger"]
    assert ledger[0]["status"] == "done"


def test_snooze_and_done_as_json(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    items = web.get("/today.json").json()["items"]
    first, second = items[0]["key"], items[1]["key"]
    r = web.post("/today/snooze.json", json={"key": first, "days": 3}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["message"].startswith("Snoozed")
    r = web.post("/today/done.json", json={"key": second}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.text
    left = [i["key"] for i in web.get("/today.json").json()["items"]]
    assert first not in left and second not in left


def test_a_bad_plan_key_is_a_clear_error_not_a_crash(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    r = web.post("/today/done.json", json={"key": "nonsense"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 400 and "not a plan item" in r.json()["error"]
    r = web.post("/today/done", data={"key": "touch:999999", "csrf_token": token})
    assert r.status_code in (400, 404) and "Traceback" not in r.text and "<h1>" in r.text


def test_people_filters_sort_and_paginate(web: TestClient, seeded: Seeded) -> None:
    everyone = web.get("/people.json").json()
    assert everyone["total"] == 4 and everyone["pages"] == 1
    assert [p["name"] for p in web.get("/people.json?tag=hiring").json()["people"]] == ["Ben Ortiz"]
    assert {p["name"] for p in web.get("/people.json?location=tampa").json()["people"]} == {"Ana Ruiz", "Ben Ortiz"}
    assert [p["name"] for p in web.get("/people.json?org=acme").json()["people"]] == ["Ben Ortiz"]
    assert [p["name"] for p in web.get("/people.json?q=ruiz").json()["people"]] == ["Ana Ruiz"]
    by_recent = [p["name"] for p in web.get("/people.json?sort=recent").json()["people"]]
    assert by_recent[0] == "Ben Ortiz" and by_recent[-1] == "Cy Young"
    cy_tier = next(p["tier"] for p in everyone["people"] if p["name"] == "Cy Young")
    same = web.get(f"/people.json?tier={cy_tier}").json()["people"]
    assert "Cy Young" in [p["name"] for p in same] and {p["tier"] for p in same} == {cy_tier}
    assert "aop-fl" in everyone["tags"]
    assert web.get("/people.json?page=0").status_code == 422
    assert web.get("/people.json?sort=shoe").status_code == 422
    page = web.get("/people?tag=aop-fl&sort=name").text
    assert "Ana Ruiz" in page and "Cy Young" not in page


def test_people_are_paginated_by_fifty(web: TestClient, app: App) -> None:
    from givefirst.services.people import PersonInput, add_person

    for n in range(55):
        add_person(app, PersonInput(name=f"Person {n:02d}"))
    first, second = web.get("/people.json").json(), web.get("/people.json?page=2").json()
    assert (first["total"], first["pages"], len(first["people"]), len(second["people"])) == (55, 2, 50, 5)
    assert 'rel="next"' in web.get("/people").text


def test_bulk_tagging(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    r = web.post("/people/tags", data={"ids": [str(seeded.ana), str(seeded.cy)], "tag": "Florida", "action": "add",
                                       "csrf_token": token, "back": "sort=name"})  # fmt: skip
    assert r.status_code == 200 and "Tagged 2 people" in r.text
    assert {p["name"] for p in web.get("/people.json?tag=florida").json()["people"]} == {"Ana Ruiz", "Cy Young"}
    r = web.post("/people/tags.json", json={"ids": [seeded.cy], "remove": ["florida"]}, headers={"X-CSRF-Token": token})
    assert r.json() == {"changed": 1}
    assert [p["name"] for p in web.get("/people.json?tag=florida").json()["people"]] == ["Ana Ruiz"]
    # Nobody ticked, or no tag: back to the same list and filters, saying what is missing; nothing changes.
    r = web.post("/people/tags", data={"tag": "x", "csrf_token": token, "back": "tier=close"})
    assert r.status_code == 200 and "Tick at least one person to tag." in r.text and "tier=close" in str(r.url)
    r = web.post("/people/tags", data={"ids": [str(seeded.ana)], "tag": "", "csrf_token": token})
    assert r.status_code == 200 and "Type the tag to add or remove." in r.text
    assert [p["name"] for p in web.get("/people.json?tag=florida").json()["people"]] == ["Ana Ruiz"]


def test_person_page_shows_profile_strength_ledger_needs_and_timeline(web: TestClient, seeded: Seeded) -> None:
    page = web.get(f"/people/{seeded.ana}").text
    for text in ("Ana Ruiz", "Harbor Health", "Strength", "two-way contact", "Send Ana the hiring checklist",
                 "Looking for a data engineering role in Tampa", "coffee 0", "Could you ask them"):  # fmt: skip
        assert text in page, text
    data = web.get(f"/people/{seeded.ana}.json").json()
    assert data["name"] == "Ana Ruiz" and data["strength_components"] and len(data["timeline"]) == 3
    assert web.get("/people/999999").status_code == 404
    assert web.get("/people/999999.json").json() == {"error": "no person with id 999999"}


def test_quick_log_and_its_errors_keep_what_was_typed(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    r = web.post(f"/people/{seeded.cy}/log", data={"kind": "call", "summary": "caught up on the move",
                                                    "on": "yesterday-ish", "csrf_token": token})  # fmt: skip
    assert r.status_code == 400
    assert 'aria-invalid="true"' in r.text and "A date like 2026-03-01." in r.text
    assert 'value="caught up on the move"' in r.text  # nothing typed is lost
    r = web.post(f"/people/{seeded.cy}/log", data={"kind": "call", "summary": "caught up on the move",
                                                    "on": "2099-01-01", "csrf_token": token})  # fmt: skip
    assert r.status_code == 400 and "the date 2099-01-01 is more than 2 years ahead; check the year" in r.text
    assert 'value="caught up on the move"' in r.text
    r = web.post(f"/people/{seeded.cy}/log", data={"kind": "call", "summary": "caught up on the move",
                                                    "on": "2027-01-01", "csrf_token": token})  # fmt: skip
    assert r.status_code == 200 and "Logged." in r.text  # a future date is a planned touch
    r = web.post(f"/people/{seeded.cy}/log", data={"kind": "call", "summary": "caught up", "csrf_token": token})
    assert r.status_code == 200 and "Logged." in r.text
    timeline = web.get(f"/people/{seeded.cy}.json").json()["timeline"]
    assert timeline[0]["summary"] == "caught up on the move" and timeline[0]["planned"]
    assert any(t["summary"] == "caught up" and t["kind"] == "call" for t in timeline)
    r = web.post(f"/people/{seeded.cy}/log.json", json={"kind": "carrier pigeon"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 400 and "kind" in r.json()["error"]


def test_recording_a_need_and_its_errors(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    r = web.post(f"/people/{seeded.cy}/items", data={"which": "need", "item_text": "", "item_tags": "moving",
                                                      "csrf_token": token})  # fmt: skip
    assert r.status_code == 400 and "Say what it is" in r.text and 'value="moving"' in r.text
    r = web.post(f"/people/{seeded.cy}/items", data={"which": "offer", "item_text": "Spare tickets to the Mets",
                                                      "expires_on": "2020-01-01", "csrf_token": token})  # fmt: skip
    assert r.status_code == 400 and "already past" in r.text and "Spare tickets to the Mets" in r.text
    r = web.post(f"/people/{seeded.cy}/items", data={"which": "offer", "item_text": "Spare tickets to the Mets",
                                                      "csrf_token": token})  # fmt: skip
    assert r.status_code == 200 and "Recorded the offer." in r.text
    assert web.get(f"/people/{seeded.cy}.json").json()["offers"][0]["text"] == "Spare tickets to the Mets"


def test_recording_gives_promises_and_asks_on_a_persons_page(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    r = web.post(f"/people/{seeded.cy}/ledger", data={"what": "gave", "ledger_kind": "job_lead", "description": "",
                                                       "due_on": "soon", "csrf_token": token})  # fmt: skip
    assert r.status_code == 400 and "Say what it was" in r.text and "A date like 2026-03-01." in r.text
    assert 'value="soon"' in r.text
    r = web.post(f"/people/{seeded.cy}/ledger", data={"what": "promised", "ledger_kind": "introduction",
                                                       "description": "Intro to a Tampa CFO", "due_on": "2026-12-01",
                                                       "csrf_token": token})  # fmt: skip
    assert r.status_code == 200 and "Today will remind you" in r.text
    assert any(i["title"].endswith("Intro to a Tampa CFO") for i in web.get("/today.json").json()["items"])
    asked = {"what": "asked", "ledger_kind": "referral", "description": "A referral to Acme", "csrf_token": token}
    r = web.post(f"/people/{seeded.cy}/ledger", data=asked)
    assert r.status_code == 200 and "Recorded the ask. Readiness:" in r.text  # warned, never blocked
    ledger = web.get(f"/people/{seeded.cy}.json").json()["ledger"]
    assert {(e["direction"], e["status"]) for e in ledger} >= {("gave", "promised"), ("asked", "promised")}
    received = {"what": "received", "description": "A lead at Acme", "kind": "job_lead"}
    r = web.post(f"/people/{seeded.ben}/ledger.json", json=received, headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["what"] == "received"
    r = web.post(f"/people/{seeded.ben}/ledger.json", json={"what": "asked", "description": "Coffee?"},
                 headers={"X-CSRF-Token": token})  # fmt: skip
    assert r.json()["ask_readiness"]["verdict"] in ("ready", "caution", "not_ready")


def test_editing_someone_keeps_what_was_typed_on_an_error(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    page = web.get(f"/people/{seeded.ben}/edit").text
    assert 'value="Ben Ortiz"' in page and 'value="aop-fl, hiring"' in page and 'value="Acme"' in page
    form = {"name": "Ben Ortiz", "org": "Acme Corp", "title": "Head of Data", "location": "Tampa, FL",
            "tags": "hiring, florida", "email": "", "how_met": "", "notes": "", "tier": "inner", "cadence": "soon",
            "csrf_token": token}  # fmt: skip
    r = web.post(f"/people/{seeded.ben}/edit", data=form)
    assert r.status_code == 400 and "A number of days" in r.text and 'value="Head of Data"' in r.text
    r = web.post(f"/people/{seeded.ben}/edit", data={**form, "email": "ana@ruiz.example", "cadence": "21"})
    assert r.status_code == 400 and "Ana Ruiz" in r.text  # the address belongs to someone else
    r = web.post(f"/people/{seeded.ben}/edit", data={**form, "cadence": "21"}, follow_redirects=False)
    assert r.status_code == 303
    ben = web.get(f"/people/{seeded.ben}.json").json()
    assert (ben["organization"], ben["title"], ben["tier"], ben["tier_overridden"], ben["cadence_days"]) == (
        "Acme Corp", "Head of Data", "inner", True, 21)  # fmt: skip
    assert ben["tags"] == ["florida", "hiring"]
    assert 'option value="inner" selected' in web.get(f"/people/{seeded.ben}/edit").text
    r = web.post(f"/people/{seeded.ben}/edit", data={**form, "tier": "auto", "cadence": "0"}, follow_redirects=False)
    assert web.get(f"/people/{seeded.ben}.json").json()["tier_overridden"] is False


def test_adding_someone_with_errors_next_to_the_fields(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    r = web.post("/people/new", data={"name": "", "email": "not-an-address", "org": "Acme", "csrf_token": token})
    assert r.status_code == 400
    assert "A person needs a name." in r.text and "does not look like an email" in r.text
    assert 'value="Acme"' in r.text and 'value="not-an-address"' in r.text
    r = web.post("/people/new", data={"name": "Dee Park", "email": "ana@ruiz.example", "csrf_token": token})
    assert r.status_code == 400 and "Ana Ruiz" in r.text and 'value="Dee Park"' in r.text
    r = web.post("/people/new", data={"name": "Dee Park", "email": "dee@park.example", "tags": "new, aop-fl",
                                      "csrf_token": token}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    pid = int(r.headers["location"].rsplit("/", 1)[1])
    assert web.get(f"/people/{pid}.json").json()["tags"] == ["aop-fl", "new"]


def test_connect_suggests_and_the_board_advances_with_the_next_draft(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    data = web.get("/connect.json?min_score=0").json()
    assert any(s["need"]["id"] == seeded.need and s["offer"]["id"] == seeded.offer for s in data["suggestions"])
    r = web.post("/introductions", data={"need_id": str(seeded.need), "offer_id": str(seeded.offer),
                                         "csrf_token": token})  # fmt: skip
    assert r.status_code == 200 and "Suggested introduction #" in r.text
    assert "Next message: ask first" in r.text  # the opt-in question to Ana
    intro = web.get("/connect.json").json()["board"]["suggested"][0]
    states = []
    for _ in range(5):
        r = web.post(f"/introductions/{intro['id']}/step", data={"step": "next", "csrf_token": token},
                     headers={"HX-Request": "true"})  # fmt: skip
        assert r.status_code == 200 and "<html" not in r.text
        board = web.get("/connect.json").json()["board"]
        states.append(next(k for k, cards in board.items() if any(c["id"] == intro["id"] for c in cards)))
    assert states == ["asked_first", "first_agreed", "asked_second", "second_agreed", "introduced"]
    r = web.post(f"/introductions/{intro['id']}/step.json", json={"step": "close"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 400 and "how it went" in r.json()["error"]
    r = web.post(f"/introductions/{intro['id']}/step.json", json={"step": "close", "outcome": "hired"},
                 headers={"X-CSRF-Token": token})  # fmt: skip
    assert r.json()["state"] == "closed"
    assert web.get("/connect.json").json()["board"]["finished"][0]["id"] == intro["id"]
    r = web.post(f"/introductions/{intro['id']}/step", data={"step": "next", "csrf_token": token},
                 headers={"HX-Request": "true"})  # fmt: skip
    assert 'class="error"' in r.text  # a finished introduction does not move, and says why


def test_an_introduction_nobody_answered(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    created = web.post("/introductions.json", json={"need_id": seeded.need, "offer_id": seeded.offer},
                       headers={"X-CSRF-Token": token}).json()  # fmt: skip
    web.post(f"/introductions/{created['id']}/step", data={"step": "next", "csrf_token": token})
    board = web.get("/connect").text
    assert 'value="no_answer"' in board and 'value="decline"' in board
    r = web.post(f"/introductions/{created['id']}/step", data={"step": "no_answer", "csrf_token": token},
                 headers={"HX-Request": "true"})  # fmt: skip
    assert r.status_code == 200
    assert web.get("/connect.json").json()["board"]["finished"][0]["state"] == "no_answer"


def test_the_draft_of_each_step_is_shown(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    created = web.post("/introductions.json", json={"need_id": seeded.need, "offer_id": seeded.offer},
                       headers={"X-CSRF-Token": token}).json()  # fmt: skip
    assert created["draft"]["draft"] == "ask_first" and created["draft"]["mailto"].startswith("mailto:")
    moved = web.post(f"/introductions/{created['id']}/step.json", json={}, headers={"X-CSRF-Token": token}).json()
    assert moved["state"] == "asked_first"
    assert web.get(f"/introductions/{created['id']}/draft.json").status_code == 200
    assert web.get("/introductions/99999/draft.json").status_code == 404


def test_stats_draws_its_charts_on_the_server(web: TestClient, seeded: Seeded) -> None:
    page = web.get("/stats").text
    assert page.count("<svg") == 2 and "<rect" in page and "Dunbar" in page
    data = web.get("/stats.json").json()
    assert data["people"] == 4 and len(data["ledger_by_month"]) == 12
    assert {r["name"] for r in data["ties_at_risk"]} <= {"Ana Ruiz", "Ben Ortiz", "Cy Young", XSS_NAME}


def test_a_write_from_the_cli_shows_at_once(web: TestClient, seeded: Seeded, app: App) -> None:
    before = web.get(f"/people/{seeded.ben}.json").json()["timeline"]
    elsewhere = same_database(app)  # another process, as far as the server knows
    try:
        log_interaction(elsewhere, [f"#{seeded.ben}"], summary="written from the CLI")
    finally:
        elsewhere.close()
    after = web.get(f"/people/{seeded.ben}.json").json()["timeline"]
    assert len(after) == len(before) + 1 and after[0]["summary"] == "written from the CLI"


def test_unknown_pages_and_bad_input_never_show_a_traceback(web: TestClient, seeded: Seeded) -> None:
    for path in ("/nowhere", "/people/abc", "/people/1/../../etc/passwd", "/static/../pyproject.toml",
                 "/static/%2e%2e/%2e%2e/config.py", "/import/jobs/nope"):  # fmt: skip
        r = web.get(path)
        assert r.status_code in (404, 400, 422), (path, r.status_code)
        assert "Traceback" not in r.text
    assert web.get("/import/jobs/nope.json").json() == {
        "error": "no such import (imports are kept until the server stops)"
    }
    for path in ("/people.json?q=%00", "/people?q=a%00b", f"/people/{seeded.ana}/paths.json", "/network.json?q=%00"):
        assert web.get(path).status_code < 500, path  # a NUL is refused by PostgreSQL: a 400, never a crash
    token = csrf(web)
    r = web.post(f"/people/{seeded.cy}/log.json", json={"summary": "nul \u0000 here"}, headers={"X-CSRF-Token": token})
    assert r.status_code in (200, 400)
    r = web.post("/today/done.json", content=b"{not json", headers={"X-CSRF-Token": csrf(web),
                                                                    "content-type": "application/json"})  # fmt: skip
    assert r.status_code == 422 and "error" in r.json()


def test_the_openapi_document_describes_the_json_api(web: TestClient) -> None:
    doc = web.get("/openapi.json").json()
    paths = set(doc["paths"])
    for path in ("/today.json", "/people.json", "/people/{pid}.json", "/connect.json", "/stats.json",
                 "/today/done.json", "/introductions/{intro_id}/step.json", "/import/jobs/{job_id}.json"):  # fmt: skip
        assert path in paths, path
    assert not any(not p.endswith(".json") for p in paths)  # the HTML pages are not part of the API


def test_static_assets_are_served_by_the_app(web: TestClient) -> None:
    for path in ("/static/style.css", "/static/app.js", "/static/vendor/htmx.min.js"):
        r = web.get(path)
        assert r.status_code == 200 and len(r.content) > 500, path
    page = web.get("/today").text
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing loads from elsewhere


def test_the_import_job_page_polls_until_done(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    csv = "First Name,Last Name,E-mail Address\nLee,Park,lee@park.example\n"
    r = web.post("/import", data={"kind": "outlook", "csrf_token": token},
                 files={"files": ("contacts.csv", csv.encode(), "text/csv")}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    job = r.headers["location"].rsplit("/", 1)[1]
    for _ in range(100):
        state = web.get(f"/import/jobs/{job}.json").json()
        if state["finished"]:
            break
        time.sleep(0.05)
    assert state["finished"] and state["error"] is None
    assert state["report"]["totals"]["added"] == 1
    page = web.get(f"/import/jobs/{job}").text
    assert "People added" in page and "hx-get" not in page
