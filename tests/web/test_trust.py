"""Issue 12, part 1: actions you can trust — privacy of mail links and openers, exactly-once forms with a message
after the redirect, Done that records what the user said, undo, and an expired session that says so."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from urllib.parse import unquote

from fastapi.testclient import TestClient

from givefirst.config import Settings
from givefirst.services.context import App
from givefirst.services.events import EventInput, add_event
from givefirst.services.people import PersonInput, add_person
from givefirst.web import create_app
from tests.conftest import NOW
from tests.web.conftest import CSRF, Seeded, csrf

CHECK_IN = ("touch:", "ask:")  # a check-in, or the give-first question when nothing is known of their needs
ONCE = re.compile(r'name="form_once" value="([^"]+)"')


def _item(client: TestClient, prefix: str | tuple[str, ...]) -> dict:  # type: ignore[type-arg]
    return next(i for i in client.get("/today.json").json()["items"] if i["key"].startswith(prefix))


def _form(client: TestClient, path: str) -> tuple[str, str]:
    """Return the CSRF token and a fresh one-time token, as the page at `path` carries them."""
    page = client.get(path).text
    token, once = CSRF.search(page), ONCE.search(page)
    assert token and once, "the page's forms carry a CSRF token and a one-time token"
    return token.group(1), once.group(1)


# 1-3. Privacy and trust ------------------------------------------------------------------------------------------


def test_an_introduction_offer_is_mailed_to_the_person_asked_only(web: TestClient, seeded: Seeded) -> None:
    item = _item(web, "give:")
    assert [p["name"] for p in item["people"]] == ["Ana Ruiz", "Ben Ortiz"]  # the item is about both...
    assert item["mailto"].startswith("mailto:ana@ruiz.example?")  # ...the message goes to Ana alone
    assert "ben@ortiz.example" not in unquote(item["mailto"])
    page = web.get("/today").text
    assert "ben@ortiz.example" not in page.split("Offer Ana Ruiz an introduction")[1].split("</article>")[0]


def test_an_event_item_never_puts_its_guests_in_a_mail_link(web: TestClient, seeded: Seeded, app: App) -> None:
    guests = [add_person(app, PersonInput(name=f"Guest {n}", emails=[f"guest{n}@example.org"])) for n in range(8)]
    event = add_event(
        app,
        EventInput(
            title="AOP Tampa chapter meeting",
            starts_at=NOW + timedelta(days=3),
            expected=[f"#{g}" for g in guests] + [f"#{seeded.ana}", f"#{seeded.ben}"],
        ),
    )
    item = _item(web, "event:")
    assert item["mailto"] is None and item["event_id"] == event
    article = web.get("/today").text.split('data-key="event:')[1].split("</article>")[0]
    assert "mailto:" not in article and "@example.org" not in article
    assert f'href="/events/{event}"' in article and f'href="/events/{event}.ics"' in article  # prep, calendar
    assert f'hx-post="/events/{event}/rsvp"' in article  # RSVP
    assert "<details" in article  # ten names folded below the reasons, not listed before them
    ics = web.get(f"/events/{event}.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert b"SUMMARY:AOP Tampa chapter meeting" in ics.content and b"ATTENDEE" not in ics.content


def test_rsvp_buttons_stay_and_show_the_answer(web: TestClient, seeded: Seeded, app: App) -> None:
    event = add_event(app, EventInput(title="Mixer", starts_at=NOW + timedelta(days=2)))
    token, once = _form(web, "/events")
    r = web.post(f"/events/{event}/rsvp", data={"answer": "maybe", "csrf_token": token, "form_once": once},
                 headers={"HX-Request": "true"})  # fmt: skip
    assert r.status_code == 200
    assert 'value="maybe" aria-pressed="true"' in r.text and 'value="yes" aria-pressed="false"' in r.text


def test_the_give_first_hint_is_beside_the_message_never_inside_it(web: TestClient, seeded: Seeded) -> None:
    page = web.get(f"/people/{seeded.ana}").text
    assert "Give first: Give first:" not in page
    for pid in (seeded.ana, seeded.ben, seeded.cy):
        paths = web.get(f"/people/{pid}/paths.json").json()
        assert all("Give first" not in p["opener"] for p in paths["paths"])
        # everyone here has been in touch with you: no "warm path" addressed to them about meeting them
        assert paths["paths"] == [] and paths["direct"]


# 4. Exactly once, and visible ------------------------------------------------------------------------------------


def test_a_give_posted_twice_records_once_and_the_page_says_so(web: TestClient, seeded: Seeded) -> None:
    token, once = _form(web, f"/people/{seeded.ben}")
    form = {"what": "gave", "ledger_kind": "advice", "description": "notes on the Tampa market",
            "csrf_token": token, "form_once": once}  # fmt: skip
    first = web.post(f"/people/{seeded.ben}/ledger", data=form, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == f"/people/{seeded.ben}#ledger"
    shown = web.get(first.headers["location"]).text
    assert "Recorded what you gave." in shown
    assert "Recorded what you gave." not in web.get(f"/people/{seeded.ben}").text  # shown once
    again = web.post(f"/people/{seeded.ben}/ledger", data=form)  # a reload, a double click
    assert again.status_code == 200 and "sent twice" in again.text
    ledger = web.get(f"/people/{seeded.ben}.json").json()["ledger"]
    assert [e["description"] for e in ledger].count("notes on the Tampa market") == 1


def test_every_recording_form_redirects_with_a_message(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    posts = [
        (f"/people/{seeded.cy}/log", {"kind": "call", "summary": "caught up"}, "Logged."),
        (f"/people/{seeded.cy}/items", {"which": "offer", "item_text": "intro to a CFO"}, "Recorded the offer."),
        ("/introductions", {"need_id": str(seeded.need), "offer_id": str(seeded.offer)}, "Suggested introduction"),
        (f"/people/{seeded.cy}/edit", {"name": "Cy Young", "tier": "auto"}, "Saved your changes to Cy Young."),
    ]
    for path, data, message in posts:
        r = web.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303, (path, r.text[:300])
        shown = web.get(r.headers["location"]).text
        assert message in shown, path
        if path == "/introductions":  # the message its first step needs, to copy, once
            assert "Next message" in shown and "Next message" not in web.get("/connect").text


def test_done_twice_in_a_row_with_htmx_records_once(web: TestClient, seeded: Seeded) -> None:
    token, once = _form(web, "/today")
    key = _item(web, CHECK_IN)["key"]
    form = {"key": key, "kind": "call", "csrf_token": token, "form_once": once}
    assert web.post("/today/done", data=form, headers={"HX-Request": "true"}).status_code == 200
    second = web.post("/today/done", data=form, headers={"HX-Request": "true"})
    assert second.status_code == 409 and "sent twice" in second.text and "<html" not in second.text


# 5. Done records what the user said, and can be undone -----------------------------------------------------------


def test_done_on_a_promise_records_how_and_the_note_on_the_timeline_and_undo_takes_it_back(
    web: TestClient, seeded: Seeded
) -> None:
    token = csrf(web)
    key = _item(web, "promise:")["key"]
    r = web.post("/today/done", data={"key": key, "kind": "call", "note": "walked her through it",
                                      "csrf_token": token}, headers={"HX-Request": "true"})  # fmt: skip
    assert r.status_code == 200 and "Delivered to Ana Ruiz" in r.text
    undo = re.search(r'action="(/today/undo/[^"]+)"', r.text)
    assert undo, "the answer offers to undo"
    ana = web.get(f"/people/{seeded.ana}.json").json()
    latest = ana["timeline"][0]
    assert latest["kind"] == "call" and "walked her through it" in latest["summary"]
    assert ana["ledger"][0]["status"] == "done"

    back = web.post(undo.group(1), data={"csrf_token": token}, follow_redirects=False)
    assert back.status_code == 303
    assert "Undone: Delivered to Ana Ruiz" in web.get("/today").text
    ana = web.get(f"/people/{seeded.ana}.json").json()
    assert ana["ledger"][0]["status"] == "promised"
    assert all("walked her through it" not in t["summary"] for t in ana["timeline"])
    assert key in [i["key"] for i in web.get("/today.json").json()["items"]]
    again = web.post(undo.group(1), data={"csrf_token": token})  # once only
    assert again.status_code == 400 and "can no longer be undone" in again.text


def test_snooze_names_the_item_offers_undo_and_refuses_keys_that_do_not_exist(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    key = _item(web, CHECK_IN)["key"]
    r = web.post("/today/snooze.json", json={"key": key, "days": 30}, headers={"X-CSRF-Token": token})
    body = r.json()
    assert r.status_code == 200 and key not in body["message"] and "with" in body["message"] and body["undo"]
    assert (
        "⏸"
        not in web.post(
            "/today/snooze",
            data={"key": _item(web, "promise:")["key"], "days": "1", "csrf_token": token},
            headers={"HX-Request": "true"},
        ).text
    )
    assert key not in [i["key"] for i in web.get("/today.json").json()["items"]]
    r = web.post("/today/undo.json", json={"undo": body["undo"]}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and key in [i["key"] for i in web.get("/today.json").json()["items"]]
    r = web.post("/today/snooze.json", json={"key": "promise:99999"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 404


# 6. An expired session says so ---------------------------------------------------------------------------------


def test_an_expired_session_says_so_and_offers_to_reload(web: TestClient, seeded: Seeded, app: App) -> None:
    token = csrf(web)
    key = _item(web, CHECK_IN)["key"]
    restarted = create_app(Settings(database=app.settings.database, today=NOW.date()), now=NOW)  # a new secret
    old = dict(web.cookies)
    with TestClient(restarted, base_url="http://127.0.0.1", cookies=old) as tab:
        r = tab.post(f"/people/{seeded.ana}/log", data={"kind": "call", "csrf_token": token})
        assert r.status_code == 403 and "session expired" in r.text and f'href="/people/{seeded.ana}"' in r.text
    with TestClient(restarted, base_url="http://127.0.0.1", cookies=old) as later:
        r = later.post("/today/done", data={"key": key, "csrf_token": token},
                       headers={"HX-Request": "true", "HX-Current-URL": "http://127.0.0.1/today"})  # fmt: skip
        assert r.status_code == 403 and "<html" not in r.text
        assert "session expired" in r.text and 'href="/today"' in r.text
        fresh = csrf(later)  # the reload gave a new session: the action works again
        r = later.post("/today/done", data={"key": key, "csrf_token": fresh}, follow_redirects=False)
        assert r.status_code == 303
    # a forged or missing token without an old session is not called an expired session
    r = web.post("/today/done", data={"key": key, "csrf_token": "0" * 32})
    assert r.status_code == 403 and "session expired" not in r.text


def test_an_expired_session_on_a_server_with_a_token_says_so_too(app: App, seeded: Seeded) -> None:
    settings = Settings(database=app.settings.database, today=NOW.date())
    token = "a-long-enough-token"
    first = create_app(settings, token=token, host="0.0.0.0", now=NOW)
    with TestClient(first, base_url="http://192.168.1.5:8765") as client:
        client.get(f"/today?token={token}")
        old = dict(client.cookies)
    restarted = create_app(settings, token=token, host="0.0.0.0", now=NOW)
    with TestClient(restarted, base_url="http://192.168.1.5:8765", cookies=old) as client:
        r = client.post("/today/done", data={"key": "touch:1"}, headers={"HX-Request": "true"})
        assert r.status_code == 401 and r.headers["content-type"].startswith("text/html")
        assert "session expired" in r.text and 'href="/login"' in r.text and "<html" not in r.text
    with TestClient(restarted, base_url="http://192.168.1.5:8765", cookies=old) as client:
        r = client.post("/today/done.json", json={"key": "touch:1"})
        assert r.status_code == 401 and "session expired" in r.text
    with TestClient(restarted, base_url="http://192.168.1.5:8765") as client:  # never signed in: no "expired"
        r = client.post("/today/done", data={"key": "touch:1"}, headers={"HX-Request": "true"})
        assert r.status_code == 401 and "expired" not in r.text


def test_a_refused_form_may_be_sent_again(web: TestClient, seeded: Seeded) -> None:
    token, once = _form(web, f"/people/{seeded.ben}")
    form = {"what": "gave", "description": "", "csrf_token": token, "form_once": once}
    assert web.post(f"/people/{seeded.ben}/ledger", data=form).status_code == 400  # nothing recorded
    form["description"] = "notes on the Tampa market"  # went back, filled it in, sent the same form
    r = web.post(f"/people/{seeded.ben}/ledger", data=form, follow_redirects=False)
    assert r.status_code == 303
    assert web.post(f"/people/{seeded.ben}/ledger", data=form).status_code == 200  # now it was recorded: refused
    ledger = web.get(f"/people/{seeded.ben}.json").json()["ledger"]
    assert [e["description"] for e in ledger].count("notes on the Tampa market") == 1


def test_deciding_a_look_alike_redirects_with_a_message(web: TestClient, seeded: Seeded) -> None:
    token = csrf(web)
    csv = "First Name,Last Name,E-mail Address\nAna,Ruiz,ana.ruiz@other.example\n"
    r = web.post("/import", data={"kind": "outlook", "csrf_token": token},
                 files={"files": ("contacts.csv", csv.encode(), "text/csv")}, follow_redirects=False)  # fmt: skip
    job = r.headers["location"].rsplit("/", 1)[1]
    for _ in range(100):
        if web.get(f"/import/jobs/{job}.json").json()["finished"]:
            break
        time.sleep(0.05)
    found = web.get("/import/merges.json").json()["lookalikes"]
    assert found, "the second Ana Ruiz is proposed as a look-alike"
    token, once = _form(web, "/import/merges")
    form = {"decision": "reject", "csrf_token": token, "form_once": once}
    r = web.post(f"/import/merges/{found[0]['id']}", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/import/merges"
    page = web.get("/import/merges").text
    assert 'class="flash' in page


def test_the_reload_link_stays_on_this_server(web: TestClient, seeded: Seeded, app: App) -> None:
    restarted = create_app(Settings(database=app.settings.database, today=NOW.date()), now=NOW)
    for current in ("http://127.0.0.1//evil.example/x", "http://127.0.0.1/\\evil.example", "javascript:alert(1)"):
        with TestClient(restarted, base_url="http://127.0.0.1", cookies=dict(web.cookies)) as later:
            r = later.post("/today/done", data={"key": "touch:1", "csrf_token": "x"},
                           headers={"HX-Request": "true", "HX-Current-URL": current})  # fmt: skip
            assert r.status_code == 403 and 'href="/today"' in r.text, current


def test_every_form_on_a_page_gets_its_own_one_time_token_and_every_view_new_ones(
    web: TestClient, seeded: Seeded
) -> None:
    """One random draw a response, numbered per form (`context._with_onces`): still one token per form, none
    shared with another form or another view."""
    path = f"/people/{seeded.ben}"
    first, second = ONCE.findall(web.get(path).text), ONCE.findall(web.get(path).text)
    assert len(first) >= 2 and len(set(first)) == len(first)
    assert len(set(second)) == len(second) and not set(first) & set(second)
    assert all(len(token) >= 22 for token in first)  # 16 random bytes (and the form's number) each
