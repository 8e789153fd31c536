"""At the event, on a phone (in-process, SQLite and PostgreSQL): event mode, check-in, a give, quick capture with
its look-alike check and replay, the CSRF rules for the offline outbox, your card as a QR code, the phone's login
page (loopback only) and the PWA's manifest and service worker."""

from __future__ import annotations

import json
import struct
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from givefirst.config import Settings
from givefirst.services.card import qr_svg
from givefirst.services.context import App
from givefirst.services.events import EventInput, add_event
from givefirst.services.needs import add_item
from givefirst.services.people import PersonInput, set_me
from givefirst.web import create_app
from tests.conftest import NOW
from tests.web.conftest import CSRF, Seeded, csrf

STATIC = Path(__file__).resolve().parents[2] / "src" / "givefirst" / "web" / "static"


@pytest.fixture
def meeting(app: App, seeded: Seeded) -> int:
    """A chapter meeting two hours from now where Ana (a need Ben can meet) and Ben (hiring) are expected."""
    return add_event(app, EventInput("AOP Tampa chapter meeting", NOW + timedelta(hours=2), location="Tampa, FL",
                                     expected=[f"#{seeded.ana}", f"#{seeded.ben}"]))  # fmt: skip


def live(web: TestClient, event_id: int) -> dict:  # type: ignore[type-arg]
    answer = web.get(f"/events/{event_id}/live.json")
    assert answer.status_code == 200, answer.text
    data: dict = answer.json()  # type: ignore[type-arg]
    return data


def test_event_mode_shows_who_is_expected_whom_to_help_and_who_helps_you(
    web: TestClient, app: App, seeded: Seeded, meeting: int
) -> None:
    add_item(app, "need", "me", "Looking for a data engineering manager role in Tampa")
    data = live(web, meeting)
    assert [p["name"] for p in data["expected"]] == ["Ana Ruiz", "Ben Ortiz"] and data["here"] == []
    (ana,) = data["help"]
    assert ana["name"] == "Ana Ruiz" and "introduce them to Ben Ortiz, also there" in ana["line"]
    assert [p["name"] for p in data["helps_you"]] == ["Ben Ortiz"] and "hiring" in data["helps_you"][0]["line"]
    assert data["introductions"] == ["Ana Ruiz → Ben Ortiz: Looking for a data engineering role in Tampa"]
    page = web.get(f"/events/{meeting}/live")
    assert page.status_code == 200 and "+ Met someone" in page.text and "introduce them to Ben Ortiz" in page.text
    assert 'action="/capture"' in page.text and f'name="event_id" value="{meeting}"' in page.text


def test_live_opens_the_event_on_now_or_says_there_is_none(web: TestClient, app: App, seeded: Seeded) -> None:
    empty = web.get("/live", follow_redirects=False)
    assert empty.status_code == 200 and "No event on now" in empty.text
    add_event(app, EventInput("Last month's mixer", NOW - timedelta(days=30)))
    later = add_event(app, EventInput("Next week's mixer", NOW + timedelta(days=7)))
    soon = add_event(app, EventInput("Tonight's meeting", NOW + timedelta(hours=5)))
    answer = web.get("/live", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"/events/{soon}/live" and later != soon


def test_check_in_and_a_give_in_one_tap_each(web: TestClient, seeded: Seeded, meeting: int) -> None:
    token = csrf(web)
    answer = web.post(f"/events/{meeting}/live/checkin", data={"csrf_token": token, "person_id": str(seeded.ana)},
                      follow_redirects=False)  # fmt: skip
    # Back to the list the tap came from, which says what was done (a phone down the Expected list stays there).
    assert answer.status_code == 303
    assert answer.headers["location"].endswith(f"?ok=checkin&pid={seeded.ana}&at=expected#expected")
    assert "Ana Ruiz: Checked in." in web.get(answer.headers["location"]).text
    assert [p["name"] for p in live(web, meeting)["here"]] == ["Ana Ruiz"]
    said = web.post(f"/events/{meeting}/live/give.json", json={"person_id": seeded.ben, "what": "Passed on a CFO lead"},
                    headers={"X-CSRF-Token": token})  # fmt: skip
    assert said.status_code == 200 and said.json()["message"].startswith("Gave to Ben Ortiz at AOP Tampa")
    (gave,) = [e for e in web.get(f"/people/{seeded.ben}.json").json()["ledger"] if e["direction"] == "gave"]
    assert (gave["description"], gave["status"]) == ("Passed on a CFO lead", "done")
    assert {p["name"] for p in live(web, meeting)["here"]} == {"Ana Ruiz", "Ben Ortiz"}


def test_one_tap_actions_refuse_no_csrf_strangers_and_yourself(
    web: TestClient, app: App, seeded: Seeded, meeting: int
) -> None:
    no_token = web.post(f"/events/{meeting}/live/checkin", data={"person_id": str(seeded.ana)})
    assert no_token.status_code == 403 and live(web, meeting)["here"] == []
    token = csrf(web)
    me = set_me(app, PersonInput(name="Jordan Reyes"))
    for pid, status in ((me, 404), (99999, 404)):
        answer = web.post(
            f"/events/{meeting}/live/checkin.json", json={"person_id": pid}, headers={"X-CSRF-Token": token}
        )
        assert answer.status_code == status and "no person" in answer.json()["error"]
    empty = web.post(f"/events/{meeting}/live/give.json", json={"person_id": seeded.ana, "what": "  "},
                     headers={"X-CSRF-Token": token})  # fmt: skip
    assert empty.status_code == 400 and "say what you gave" in empty.json()["error"]
    assert web.post("/events/999/live/checkin.json", json={"person_id": seeded.ana},
                    headers={"X-CSRF-Token": token}).status_code == 404  # fmt: skip


def test_quick_capture_adds_them_met_at_the_event_with_a_follow_up_in_today(
    web: TestClient, seeded: Seeded, meeting: int
) -> None:
    form = {"csrf_token": csrf(web), "name": "Dana Whitfield", "organization": "Bay Bank", "which": "offer",
            "text": "Happy to introduce Tampa CFOs", "event_id": str(meeting)}  # fmt: skip
    answer = web.post("/capture", data=form, follow_redirects=False)
    assert answer.status_code == 303 and "ok=captured" in answer.headers["location"]
    assert "Dana Whitfield: Saved. The follow-up is in Today." in web.get(answer.headers["location"]).text
    (dana,) = [p for p in live(web, meeting)["here"] if p["name"] == "Dana Whitfield"]
    assert dana["status"] == "met" and dana["organization"] == "Bay Bank"
    person = web.get(f"/people/{dana['id']}.json").json()
    assert person["how_met"] == "Met at AOP Tampa chapter meeting" and person["met_on"] == NOW.date().isoformat()
    assert [o["text"] for o in person["offers"]] == ["Happy to introduce Tampa CFOs"]
    (item,) = [i for i in web.get("/today.json").json()["items"] if i["title"] == "Follow up with Dana Whitfield"]
    assert (
        item["key"].startswith("followup:")
        and "while they still remember you: within 48 hours of meeting" in item["why"]
    )
    assert "following up after we met at AOP Tampa chapter meeting" in item["message"]
    due = NOW.date() + timedelta(days=1)
    assert f"you meant to follow up by {due.isoformat()}" in item["why"]  # within 48 hours


def test_a_look_alike_is_asked_about_this_is_x_or_someone_new(web: TestClient, seeded: Seeded, meeting: int) -> None:
    token = csrf(web)
    form = {
        "csrf_token": token,
        "name": "Ana Ruis",
        "which": "need",
        "text": "A CFO in Tampa",
        "event_id": str(meeting),
    }
    asked = web.post("/capture", data=form, follow_redirects=False)
    assert asked.status_code == 200 and "Is this someone you already know?" in asked.text
    assert "This is Ana Ruiz" in asked.text and "No, Ana Ruis is someone new" in asked.text
    before = web.get("/people.json").json()["total"]
    assert before == 4  # nothing was added while asking (the four seeded; "me" is not listed)
    known = web.post("/capture", data={**form, "known_id": str(seeded.ana)}, follow_redirects=False)
    assert known.status_code == 303 and known.headers["location"].endswith(f"pid={seeded.ana}#main")
    assert web.get("/people.json").json()["total"] == before
    ana = web.get(f"/people/{seeded.ana}.json").json()
    assert "A CFO in Tampa" in [n["text"] for n in ana["needs"]]
    assert [p["status"] for p in live(web, meeting)["here"] if p["id"] == seeded.ana] == ["met"]
    new = web.post("/capture", data={**form, "new": "1"}, follow_redirects=False)
    assert new.status_code == 303 and web.get("/people.json").json()["total"] == before + 1


def test_look_alikes_as_json_a_first_name_an_email_and_someone_new(web: TestClient, seeded: Seeded) -> None:
    headers = {"X-CSRF-Token": csrf(web)}
    first = web.post("/capture.json", json={"name": "Ben"}, headers=headers)
    assert first.status_code == 409 and [k["name"] for k in first.json()["candidates"]] == ["Ben Ortiz"]
    email = web.post("/capture.json", json={"name": "A. Ruiz-Lopez", "email": "ANA@ruiz.example"}, headers=headers)
    assert email.status_code == 409 and email.json()["candidates"][0]["reasons"] == "ana@ruiz.example is theirs"
    taken = web.post("/capture.json", json={"name": "Someone Else", "email": "ana@ruiz.example", "new": True},
                     headers=headers)  # fmt: skip
    assert taken.status_code == 400 and "belongs to someone you already know" in taken.json()["error"]
    fresh = web.post("/capture.json", json={"name": "Priya Natarajan"}, headers=headers)
    assert fresh.status_code == 200 and fresh.json()["new_person"] and fresh.json()["item_id"] is None
    for bad, words in (({"name": " "}, "needs a name"), ({"name": "X Y", "email": "nope"}, "not look like an email"),
                       ({"name": "X Y", "client_id": "bad id!"}, "client_id")):  # fmt: skip
        answer = web.post("/capture.json", json=bad, headers=headers)
        assert answer.status_code == 400 and words in answer.json()["error"], answer.text
    assert web.post("/capture.json", json={"name": "Q", "which": "ask"}, headers=headers).status_code == 422
    assert web.post("/capture.json", json={"name": "Q R", "known_id": 9999}, headers=headers).status_code == 404


def test_a_replayed_capture_is_recorded_once(web: TestClient, seeded: Seeded, meeting: int) -> None:
    headers = {"X-CSRF-Token": csrf(web)}
    body = {"name": "Marcus Lee", "event_id": meeting, "text": "A mentor in fintech", "client_id": "a1b2c3d4e5f60718"}
    first = web.post("/capture.json", json=body, headers=headers)
    again = web.post("/capture.json", json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert (first.json()["already"], again.json()["already"]) == (False, True)
    assert again.json()["person_id"] == first.json()["person_id"] and again.json()["message"].endswith("already saved")
    items = [i for i in web.get("/today.json").json()["items"] if i["title"] == "Follow up with Marcus Lee"]
    assert len(items) == 1 and len(web.get(f"/people/{first.json()['person_id']}.json").json()["needs"]) == 1


def test_the_outbox_replays_with_a_fresh_token_and_nothing_else_passes(web: TestClient, app: App) -> None:
    assert web.post("/capture.json", json={"name": "Lena Park"}).status_code == 403
    assert web.post("/capture.json", json={"name": "Lena Park"}, headers={"X-CSRF-Token": "0" * 32}).status_code == 403
    fresh = web.get("/capture/token.json")
    assert fresh.status_code == 200 and fresh.headers["cross-origin-resource-policy"] == "same-origin"
    assert "access-control-allow-origin" not in fresh.headers
    answer = web.post("/capture.json", json={"name": "Lena Park"}, headers={"X-CSRF-Token": fresh.json()["csrf_token"]})
    assert answer.status_code == 200
    # A server restarted while the phone was offline: the old session is gone, the token read anew passes.
    settings = Settings(database=app.settings.database, today=NOW.date())
    with TestClient(create_app(settings, now=NOW), base_url="http://127.0.0.1", cookies=web.cookies) as restarted:
        stale = restarted.post("/capture.json", json={"name": "Omar Haddad"},
                               headers={"X-CSRF-Token": fresh.json()["csrf_token"]})  # fmt: skip
        assert stale.status_code == 403
        renewed = restarted.get("/capture/token.json").json()["csrf_token"]
        replay = restarted.post("/capture.json", json={"name": "Omar Haddad"}, headers={"X-CSRF-Token": renewed})
        assert replay.status_code == 200


def test_the_outbox_needs_the_access_token_off_loopback(app: App) -> None:
    settings = Settings(database=app.settings.database, today=NOW.date())
    served = create_app(settings, token="a-long-enough-token", host="0.0.0.0", now=NOW)
    with TestClient(served, base_url="http://192.168.1.20:8765") as phone:
        assert phone.get("/capture/token.json").status_code == 401
        assert phone.post("/capture.json", json={"name": "Lena Park"}).status_code == 401
        assert phone.get("/sw.js").status_code == 200 and phone.get("/manifest.webmanifest").status_code == 200
        signed = phone.get("/live?token=a-long-enough-token", follow_redirects=False)
        assert signed.status_code == 303 and signed.headers["location"] == "/live"
        token = phone.get("/capture/token.json").json()["csrf_token"]
        assert (
            phone.post("/capture.json", json={"name": "Lena Park"}, headers={"X-CSRF-Token": token}).status_code == 200
        )


def test_your_card_shares_what_you_choose(web: TestClient, app: App) -> None:
    set_me(app, PersonInput(name="Jordan Reyes", emails=["jordan@reyes.example"], phones=["+1 813 555 0142"],
                            urls=["linkedin.com/in/jordanreyes"], organization="Reyes Advisory", title="Consultant",
                            location="Tampa, FL"))  # fmt: skip
    card = web.get("/card.json").json()
    shared = {f["key"]: f["shared"] for f in card["fields"]}
    assert shared == {"organization": True, "title": True, "email0": True, "phone0": False, "url0": True,
                      "location": False}  # fmt: skip
    assert "EMAIL" in card["vcard"] and "TEL" not in card["vcard"] and "ORG:Reyes Advisory" in card["vcard"]
    assert "VERSION:3.0" in card["vcard"] and "FN:Jordan Reyes" in card["vcard"]
    chosen = web.get("/card.vcf?chosen=1&share=phone0").text
    assert "TEL" in chosen and "EMAIL" not in chosen and "ORG" not in chosen and "FN:Jordan Reyes" in chosen
    assert web.get("/card.vcf?chosen=1").text.count("\n") < card["vcard"].count("\n")  # only the name
    svg = web.get("/card.svg?chosen=1&share=email0")
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert svg.text.startswith("<?xml") and "<path" in svg.text and "<script" not in svg.text
    assert svg.text != web.get("/card.svg?chosen=1&share=phone0").text  # a different card, a different code
    emailed = web.get("/card.json?chosen=1&share=email0").json()["vcard"]
    assert svg.content == qr_svg(emailed, title="Jordan Reyes's card")  # the code holds exactly that vCard
    page = web.get("/card")
    assert (
        'src="/card.svg?chosen=1&amp;share=organization&amp;share=title&amp;share=email0&amp;share=url0"' in page.text
    )
    assert 'value="phone0">' in page.text and 'value="email0" checked>' in page.text


def test_a_card_before_you_said_who_you_are_asks_you_to(web: TestClient) -> None:
    page = web.get("/card")
    assert page.status_code == 200 and "Say who you are" in page.text


def test_the_phone_page_shows_the_login_code_only_on_this_machine(app: App) -> None:
    settings = Settings(database=app.settings.database, today=NOW.date())
    served = create_app(settings, token="a-long-enough-token", host="0.0.0.0", now=NOW)
    with TestClient(served, base_url="http://192.168.1.20:8765") as phone:
        assert phone.get("/live?token=a-long-enough-token").status_code == 200
        assert phone.get("/phone").status_code == 404 and phone.get("/phone/qr.svg").status_code == 404
    with TestClient(served, base_url="http://192.168.1.20:8765", client=("127.0.0.1", 50000)) as here:
        page = here.get("/phone", headers={"Authorization": "Bearer a-long-enough-token"})
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        assert ":8765/live?token=a-long-enough-token" in page.text and 'src="/phone/qr.svg"' in page.text
        qr = here.get("/phone/qr.svg", headers={"Authorization": "Bearer a-long-enough-token"})
        assert qr.status_code == 200 and "<path" in qr.text
    alone = create_app(settings, now=NOW)  # bound to loopback: a phone cannot reach it
    with TestClient(alone, base_url="http://127.0.0.1", client=("127.0.0.1", 50000)) as here:
        page = here.get("/phone")
        assert "givefirst serve --host 0.0.0.0 --token auto" in page.text and "qr.svg" not in page.text
        assert here.get("/phone/qr.svg").status_code == 404


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_app_installs_manifest_icons_and_service_worker(web: TestClient) -> None:
    manifest = web.get("/manifest.webmanifest")
    assert manifest.headers["content-type"] == "application/manifest+json"
    data = json.loads(manifest.text)
    assert data["start_url"] == "/live" and data["display"] == "standalone" and data["scope"] == "/"
    for icon in data["icons"]:
        size = tuple(int(n) for n in icon["sizes"].split("x"))
        assert web.get(icon["src"]).status_code == 200
        assert _png_size(STATIC / icon["src"].removeprefix("/static/")) == size
    assert {i["purpose"] for i in data["icons"]} == {"any", "maskable"}
    worker = web.get("/sw.js")
    assert (
        worker.headers["content-type"].startswith("text/javascript") and worker.headers["cache-control"] == "no-cache"
    )
    assert 'importScripts("/static/outbox.js")' in worker.text
    for path in ("/static/style.css", "/static/live.css", "/static/live.js", "/static/outbox.js"):
        assert path in worker.text and web.get(path).status_code == 200
    page = web.get("/today").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page and "/static/live.js" in page


def test_a_capture_without_an_event_lands_on_the_persons_page(web: TestClient) -> None:
    page = web.get("/capture")
    assert page.status_code == 200 and 'name="event_id" value=""' in page.text
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    answer = web.post("/capture", data={"csrf_token": token, "name": "Sam Okafor", "event_id": ""},
                      follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303 and answer.headers["location"].startswith("/people/")
    person = web.get(answer.headers["location"] + ".json").json()
    assert person["how_met"] == "Met in person"
    bad = web.post("/capture", data={"csrf_token": token, "name": "", "organization": "Kept Co"})
    assert bad.status_code == 400 and "needs a name" in bad.text and 'value="Kept Co"' in bad.text


def test_the_same_capture_sent_twice_at_once_is_recorded_once(web: TestClient, app: App, seeded: Seeded) -> None:
    import threading

    from givefirst.services.capture import CaptureInput, capture
    from tests.web.conftest import same_database

    body = CaptureInput(name="Noor Aziz", text="A designer for her startup", client_id="0f1e2d3c4b5a6978")
    apps = [same_database(app), same_database(app)]
    results: list[object] = []
    start = threading.Barrier(2)

    def send(which: App) -> None:
        start.wait()
        try:
            results.append(capture(which, body))
        except Exception as exc:  # the test reports whatever went wrong
            results.append(exc)

    threads = [threading.Thread(target=send, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for a in apps:
        a.close()
    assert sorted(getattr(r, "already", r) for r in results) == [False, True], results  # type: ignore[type-var]
    people = web.get("/people.json?q=Noor").json()
    assert people["total"] == 1


def test_event_mode_of_an_event_that_does_not_exist_is_a_clear_404(web: TestClient) -> None:
    assert web.get("/events/999/live.json").json() == {"error": "no event with id 999 (see `givefirst events --all`)"}
    page = web.get("/events/999/live")
    assert page.status_code == 404 and "no event with id 999" in page.text and "Traceback" not in page.text
    assert web.get("/events/1/live?ok=hacked").status_code == 422
