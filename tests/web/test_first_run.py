"""Issue 12, items 9 and 10: a new user on an empty database does everything from the web, and the smaller
defects seen on the way (labels, sorting, an edit's confirmation, sign-in attempts, an import error's path)."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from fastapi.testclient import TestClient

from givefirst.config import Settings
from givefirst.domain.model import ExchangeStatus
from givefirst.services.context import App
from givefirst.services.ledger import ask
from givefirst.web import create_app
from tests.conftest import NOW
from tests.web.conftest import CSRF, Seeded


def csrf(client: TestClient) -> str:
    """Return the session's CSRF token from the start page (on an empty database Today has no form)."""
    found = CSRF.search(client.get("/start").text)
    assert found, "the start page carries no CSRF token"
    return found.group(1)


def _post(client: TestClient, path: str, data: dict[str, str]) -> str:
    """Post a form as the page would, follow the redirect, and return the page it leads to."""
    r = client.post(path, data={**data, "csrf_token": csrf(client)}, follow_redirects=False)
    assert r.status_code == 303, (path, r.status_code, r.text[:500])
    return client.get(r.headers["location"]).text


def test_empty_pages_say_what_to_do_first(web: TestClient) -> None:
    people = web.get("/people").text
    assert "Nobody matches" not in people and "No one here yet" in people and 'href="/start"' in people
    assert "Nobody matches" in web.get("/people?q=zed").text  # with a filter, the filter is the reason
    stats = web.get("/stats").text
    assert "on target" not in stats and "No gives or asks recorded yet" in stats
    events = web.get("/events").text
    assert "givefirst event add" not in events and 'href="/start#event"' in events
    today = web.get("/today").text
    assert 'href="/start"' in today and 'href="/start#me"' in today  # who you are, first


def test_a_new_user_sets_up_everything_from_the_web(web: TestClient) -> None:
    page = _post(web, "/start/me", {"me_name": "Jordan Reyes", "me_email": "jordan@reyes.example",
                                    "me_location": "Brooklyn, NY"})  # fmt: skip
    assert "givefirst knows who you are" in page
    assert 'href="/start#me"' not in web.get("/today").text
    me = web.get("/people/1.json").json()
    assert me["name"] == "Jordan Reyes" and me["is_me"]
    mine = web.get(f"/people/{me['id']}").text
    assert "acquaintance" not in mine and "Strength 0.00" not in mine and "This is you" in mine

    page = _post(web, "/people/new", {"name": "Ana Ruiz", "org": "Harbor Health", "location": "Tampa, FL"})
    assert "Added Ana Ruiz." in page
    page = _post(web, "/start/chapter", {"ch_org": "AOP", "ch_name": "AOP Tampa", "ch_location": "Tampa, FL"})
    assert "Added the chapter AOP Tampa." in page and "AOP Tampa" in page
    day = (NOW + timedelta(days=5)).date().isoformat()
    page = _post(web, "/events/new", {"ev_title": "AOP Tampa chapter meeting", "ev_date": day, "ev_time": "18:30",
                                      "ev_location": "Tampa", "ev_chapter": "AOP Tampa"})  # fmt: skip
    assert "Added the event AOP Tampa chapter meeting." in page and "Who is likely there" in page
    assert any(e["title"] == "AOP Tampa chapter meeting" for e in web.get("/events.json").json()["events"])
    page = _post(web, "/start/goal", {"goal_title": "Move to Florida", "goal_place": "Florida"})
    assert "Added your goal: Move to Florida." in page

    paths = web.get("/paths?org=Harbor+Health").text
    assert "To someone at Harbor Health" in paths or "Harbor Health" in paths
    assert "Traceback" not in paths


def test_set_up_forms_keep_what_was_typed_and_say_what_is_wrong(web: TestClient) -> None:
    token = csrf(web)
    r = web.post("/events/new", data={"ev_title": "Mixer", "ev_date": "next tuesday", "csrf_token": token})
    assert r.status_code == 400 and "A date like 2026-03-01." in r.text and 'value="Mixer"' in r.text
    r = web.post("/start/goal", data={"goal_title": "Move", "goal_place": "Atlantis", "csrf_token": token})
    assert r.status_code == 400 and "unknown place" in r.text and 'value="Atlantis"' in r.text
    r = web.post("/start/me", data={"me_name": "", "csrf_token": token})
    assert r.status_code == 400 and "Your name" in r.text


def test_people_columns_sort_and_strength_is_more_than_a_bare_number(web: TestClient, seeded: Seeded) -> None:
    page = web.get("/people").text
    assert re.search(r'<th aria-sort="ascending"><a href="/people\?sort=name&amp;page=1">Name', page)
    assert 'href="/people?sort=strength&amp;page=1"' in page and 'href="/people?sort=recent&amp;page=1"' in page
    assert "<meter" in page
    by_strength = web.get("/people?sort=strength").text
    assert '<th aria-sort="descending"><a href="/people?sort=strength' in by_strength


def test_an_ask_is_not_labelled_promised_and_suggestions_have_an_action(
    web: TestClient, seeded: Seeded, app: App
) -> None:
    ask(app, f"#{seeded.ben}", "an intro to his CFO")
    page = web.get(f"/people/{seeded.ben}").text
    row = page.split("an intro to his CFO")[1].split("</li>")[0]
    assert "promised" not in row and "waiting for an answer" in row
    assert ExchangeStatus.PROMISED.value == "promised"  # the stored status is unchanged: only the label says more
    connect = web.get("/connect").text
    for card in connect.split('<article class="card suggestion">')[1:]:
        assert "<button" in card or 'class="button' in card, card[:200]


def test_sign_in_attempts_are_limited(app: App) -> None:
    settings = Settings(database=app.settings.database, today=NOW.date())
    token = "a-long-enough-token"
    with TestClient(create_app(settings, token=token, now=NOW), base_url="http://127.0.0.1") as client:
        page = client.get("/login").text
        form_token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
        assert form_token
        data = {"token": "wrong", "next": "/today", "csrf_token": form_token.group(1)}
        codes = [client.post("/login", data=data).status_code for _ in range(6)]
        assert codes[:5] == [401] * 5 and codes[5] == 429
        right = client.post("/login", data={**data, "token": token}, follow_redirects=False)
        assert right.status_code == 429 and "wait" in right.text and int(right.headers["retry-after"]) > 0


def test_an_import_error_names_the_upload_not_the_servers_folder(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    r = web.post("/import", data={"kind": "vcard", "csrf_token": token},
                 files={"files": ("broken.vcf", b"\xff\xfe not a card \x00", "text/vcard")},
                 follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    job = r.headers["location"].rsplit("/", 1)[1]
    for _ in range(100):
        state = web.get(f"/import/jobs/{job}.json").json()
        if state["finished"]:
            break
        time.sleep(0.05)
    shown = str(state["error"]) + str(state["report"])
    assert "givefirst-upload-" not in shown and "/tmp" not in shown
    # The upload as it was sent, named once: not "00-broken.vcf: 00-broken.vcf: …".
    page = web.get(f"/import/jobs/{job}").text
    assert "00-broken" not in shown and 'class="error">broken.vcf: not valid utf-16 text' in page
