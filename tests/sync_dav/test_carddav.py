"""CardDAV sources against a real Radicale: first and incremental syncs, pushes, conflicts, deletions, failures."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from givefirst.services import sync_carddav
from givefirst.services.context import App
from givefirst.services.people import PersonInput, edit_person
from givefirst.services.sync import add_source, remove_source, run_sync
from givefirst.services.sync_dav_client import DavConnection
from givefirst.store import people as people_store
from givefirst.store.schema import dav_items, live_source_state, people, person_sources
from tests.sync_dav.servers import PASSWORD, USER, Radicale, vcard


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAV_TEST_PASSWORD", PASSWORD)


def add(app: App, url: str, name: str = "phone") -> str:
    add_source(app, name, "carddav", {"url": url, "user": USER, "password_env": "DAV_TEST_PASSWORD"}, 0)
    return name


def sync(app: App, name: str = "phone") -> dict[str, int]:
    """Sync the source; return the report's totals (and fail the test on a failed sync)."""
    result = run_sync(app, name)
    assert result.error is None, result.error
    return result.report.totals()


def person(app: App, email: str) -> Any:
    with app.begin() as conn:
        pid = people_store.person_by_identity(conn, "email", email)
        assert pid is not None, f"nobody has {email}"
        row = people_store.person_row(conn, pid)
        return row, sorted(v for k, v, _ in people_store.identities_of(conn, pid))


def count_people(app: App) -> int:
    with app.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(people).where(people.c.is_me.is_(False))).scalar_one())


@pytest.fixture
def book(app: App, radicale: Radicale) -> str:
    """An address book of three cards on the server, saved as the source "phone"."""
    url = radicale.collection("addressbook")
    add(app, url)
    radicale.put(url + "ann.vcf", vcard("ann-1", "Ann Lee", "EMAIL;TYPE=work:ann@acme.example", "ORG:Acme",
                                        "TITLE:CFO", "X-PHONE-APP-COLOR:teal"))  # fmt: skip
    radicale.put(url + "raj.vcf", vcard("raj-1", "Raj Patel", "EMAIL:raj@example.org", "TEL;TYPE=cell:+1 212 555 0101"))
    radicale.put(url + "mia.vcf", vcard("mia-1", "Mia Chen", "EMAIL:mia@example.net", "ORG:Globex"))
    return url


def test_first_sync_adds_everyone_and_the_next_asks_only_for_changes(app: App, radicale: Radicale, book: str) -> None:
    first = sync(app)
    assert first["added"] == 3 and not first.get("skipped")
    ann, _ = person(app, "ann@acme.example")
    assert (ann.name, ann.organization, ann.title) == ("Ann Lee", "Acme", "CFO")
    assert person(app, "raj@example.org")[1] == ["+12125550101", "raj@example.org"]

    assert sync(app) == {}  # nothing changed: nothing fetched, nothing counted

    radicale.put(book + "zoe.vcf", vcard("zoe-1", "Zoe Park", "EMAIL:zoe@example.com"))
    radicale.put(book + "ann.vcf", vcard("ann-1", "Ann Lee", "EMAIL;TYPE=work:ann@acme.example", "ORG:Acme",
                                         "TITLE:CEO"))  # fmt: skip
    second = sync(app)
    assert (second["added"], second["updated"]) == (1, 1)
    assert person(app, "ann@acme.example")[0].title == "CEO"  # the server's edit, not edited here: applied
    assert count_people(app) == 4


def test_a_card_matches_a_person_already_known_by_email(app: App, radicale: Radicale, book: str) -> None:
    from givefirst.services.people import add_person

    add_person(app, PersonInput(name="Mia C.", emails=["MIA@example.net"], title="Designer"))
    totals = sync(app)
    assert (totals["added"], totals["matched"]) == (2, 1)
    mia, _ = person(app, "mia@example.net")
    assert (mia.name, mia.title, mia.organization) == ("Mia C.", "Designer", "Globex")  # filled, never overwritten
    assert count_people(app) == 3
    assert sync(app) == {}  # the user's own title is not pushed as an edit


def test_local_edits_are_pushed_with_if_match_keeping_the_rest_of_the_card(
    app: App, radicale: Radicale, book: str
) -> None:
    sync(app)
    edit_person(app, "ann@acme.example", PersonInput(title="Chief Executive", emails=["ann.lee@gmail.example"]))
    edit_person(app, "raj@example.org", PersonInput(organization="Initech"))
    assert sync(app)["pushed"] == 2
    card = radicale.get(book + "ann.vcf")
    assert "TITLE:Chief Executive" in card and "ann.lee@gmail.example" in card and "ann@acme.example" in card
    assert "X-PHONE-APP-COLOR:teal" in card and "ORG:Acme" in card  # what givefirst does not read is kept
    assert "ORG:Initech" in radicale.get(book + "raj.vcf")
    assert sync(app) == {}  # pushed once; the new ETags were recorded


def test_edited_on_both_sides_the_server_wins_and_the_local_edit_goes_to_notes(
    app: App, radicale: Radicale, book: str
) -> None:
    sync(app)
    edit_person(app, "ann@acme.example", PersonInput(title="Treasurer", notes="Met at the AOP gala."))
    edit_person(app, "mia@example.net", PersonInput(organization="Hooli"))  # edited here only: pushed
    radicale.put(book + "ann.vcf", vcard("ann-1", "Ann Lee", "EMAIL;TYPE=work:ann@acme.example", "ORG:Acme",
                                         "TITLE:Chief Financial Officer"))  # fmt: skip
    result = run_sync(app, "phone")
    totals = result.report.totals()
    assert totals["conflicts"] == 1 and totals["pushed"] == 1
    ann, _ = person(app, "ann@acme.example")
    assert ann.title == "Chief Financial Officer"
    assert ann.notes.startswith("Met at the AOP gala.")  # the user's own notes are kept, the edit added below
    assert "title was 'Treasurer' here, 'Chief Financial Officer' on the server" in ann.notes
    said = [s["reason"] for unit in result.as_dict()["files"] for s in unit["skipped"]]
    assert any("edited on both sides" in reason and "Treasurer" in reason for reason in said)
    assert "TITLE:Chief Financial Officer" in radicale.get(book + "ann.vcf")  # the server's version stands
    assert "ORG:Hooli" in radicale.get(book + "mia.vcf")
    assert sync(app) == {}


def test_a_card_deleted_on_the_server_unlinks_the_person_who_stays(app: App, radicale: Radicale, book: str) -> None:
    sync(app)
    radicale.delete(book + "raj.vcf")
    totals = sync(app)
    assert totals["removed"] == 1
    raj, _ = person(app, "raj@example.org")
    with app.begin() as conn:
        links = conn.execute(select(person_sources.c.external_id).where(person_sources.c.person_id == raj.id))
        assert list(links.scalars()) == []
    edit_person(app, "raj@example.org", PersonInput(title="CTO"))  # no longer linked: nothing to push to
    assert sync(app) == {}


class _StopsBeforeFetching(DavConnection):
    """A connection whose server really goes away between listing the changes and fetching them."""

    server: Radicale

    def fetch(self, *args: Any, **kwargs: Any) -> Any:
        self.server.stop()
        return super().fetch(*args, **kwargs)


def test_a_server_gone_mid_sync_writes_nothing_and_the_next_sync_completes(
    app: App, own_radicale: Radicale, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = own_radicale.collection("addressbook")
    own_radicale.put(url + "ann.vcf", vcard("ann-1", "Ann Lee", "EMAIL:ann@acme.example"))
    sync(app, add(app, url))
    with app.begin() as conn:
        state = conn.execute(select(live_source_state.c.value)).all()
    own_radicale.put(url + "raj.vcf", vcard("raj-1", "Raj Patel", "EMAIL:raj@example.org"))
    own_radicale.put(url + "ann.vcf", vcard("ann-1", "Ann Lee", "EMAIL:ann@acme.example", "TITLE:CFO"))

    _StopsBeforeFetching.server = own_radicale
    monkeypatch.setattr(sync_carddav, "DavConnection", _StopsBeforeFetching)
    failed = run_sync(app, "phone")
    assert failed.error is not None and "cannot be reached" in failed.error
    assert count_people(app) == 1 and person(app, "ann@acme.example")[0].title is None
    with app.begin() as conn:
        assert conn.execute(select(live_source_state.c.value)).all() == state  # the token did not move

    monkeypatch.undo()
    monkeypatch.setenv("DAV_TEST_PASSWORD", PASSWORD)
    own_radicale.start()
    totals = sync(app)
    assert (totals["added"], totals["updated"]) == (1, 1)
    assert person(app, "ann@acme.example")[0].title == "CFO" and count_people(app) == 2


def test_a_wrong_password_or_no_server_fails_the_sync_with_one_line(
    app: App, radicale: Radicale, book: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAV_TEST_PASSWORD", "wrong")
    refused = run_sync(app, "phone")
    assert refused.error is not None and "refused the user name or password" in refused.error
    add(app, "http://127.0.0.1:9/", "nowhere")
    gone = run_sync(app, "nowhere")
    assert gone.error is not None and "cannot be reached" in gone.error and "\n" not in gone.error
    assert count_people(app) == 0


def test_removing_the_source_forgets_its_items_and_keeps_the_people(app: App, radicale: Radicale, book: str) -> None:
    sync(app)
    remove_source(app, "phone")
    with app.begin() as conn:
        assert conn.execute(select(func.count()).select_from(dav_items)).scalar_one() == 0
    assert count_people(app) == 3
    add(app, book)  # saved again: a first sync again, which finds everyone already there
    totals = sync(app)
    assert totals["unchanged"] == 3 and not totals.get("added")


def test_a_card_follows_its_person_through_a_merge(app: App, radicale: Radicale, book: str) -> None:
    from givefirst.services.merging import merge_people
    from givefirst.services.people import add_person

    sync(app)
    add_person(app, PersonInput(name="Annie Lee", emails=["annie@home.example"]))
    merge_people(app, "annie@home.example", "ann@acme.example")  # the card's person folded into another
    edit_person(app, "annie@home.example", PersonInput(title="Board member"))
    assert sync(app)["pushed"] == 1
    card = radicale.get(book + "ann.vcf")
    assert "TITLE:Board member" in card and "annie@home.example" in card  # the merged person's values
    assert sync(app) == {}


def test_an_account_url_finds_every_address_book_in_it(app: App, own_radicale: Radicale) -> None:
    home = own_radicale.collection("addressbook")
    work = own_radicale.collection("addressbook")
    own_radicale.collection("calendar")  # not an address book: left alone
    own_radicale.put(home + "ann.vcf", vcard("ann-1", "Ann Lee", "EMAIL:ann@acme.example"))
    own_radicale.put(work + "raj.vcf", vcard("raj-1", "Raj Patel", "EMAIL:raj@example.org"))
    add(app, f"{own_radicale.root}/")  # the server root: its principal, then the address book home
    result = run_sync(app, "phone")
    assert result.error is None and result.report.totals() == {"added": 2}
    assert sorted(unit.label for unit in result.report.units) == sorted([home, work])
    own_radicale.put(work + "mia.vcf", vcard("mia-1", "Mia Chen", "EMAIL:mia@example.net"))
    assert sync(app) == {"added": 1}


def test_a_token_the_server_forgot_falls_back_to_comparing_etags(app: App, radicale: Radicale, book: str) -> None:
    from sqlalchemy import update

    sync(app)
    with app.begin() as conn:  # as after a server restore: our token means nothing to it any more
        conn.execute(update(live_source_state).values(value='"http://radicale.org/ns/sync/forgotten"'))
    radicale.delete(book + "raj.vcf")
    radicale.put(book + "mia.vcf", vcard("mia-1", "Mia Chen", "EMAIL:mia@example.net", "ORG:Globex", "TITLE:CTO"))
    totals = sync(app)
    assert (totals["removed"], totals["updated"]) == (1, 1) and not totals.get("added")  # only what changed
    assert person(app, "mia@example.net")[0].title == "CTO"
    assert sync(app) == {}  # and a fresh token was saved


class _PhoneEditsFirst(DavConnection):
    """A connection whose every push is preceded by the phone changing the same card on the server."""

    server: Radicale
    book: str

    def put(self, href: str, text: str, etag: str | None, kind: Any) -> str | None:
        self.server.put(self.book + href.rsplit("/", 1)[-1], vcard("ann-1", "Ann Lee", "EMAIL:ann@acme.example",
                                                                   "TITLE:Chief Financial Officer"))  # fmt: skip
        return super().put(href, text, etag, kind)


def test_a_card_changed_on_the_server_during_the_push_is_not_overwritten(
    app: App, radicale: Radicale, book: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync(app)
    edit_person(app, "ann@acme.example", PersonInput(title="Treasurer"))
    _PhoneEditsFirst.server, _PhoneEditsFirst.book = radicale, book
    monkeypatch.setattr(sync_carddav, "DavConnection", _PhoneEditsFirst)
    result = run_sync(app, "phone")
    assert result.error is None and not result.report.totals().get("pushed")
    assert any("changed on the server while your edit was pushed" in s["reason"] for f in result.as_dict()["files"]
               for s in f["skipped"])  # fmt: skip
    assert "TITLE:Chief Financial Officer" in radicale.get(book + "ann.vcf")  # If-Match kept the phone's edit
    monkeypatch.undo()
    monkeypatch.setenv("DAV_TEST_PASSWORD", PASSWORD)
    totals = sync(app)  # the next sync merges them: edited on both sides, the server wins
    assert totals["conflicts"] == 1 and person(app, "ann@acme.example")[0].title == "Chief Financial Officer"


def test_a_server_that_took_basic_credentials_gets_them_first_next_time(
    app: App, radicale: Radicale, book: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a sync where the server asked for Basic, the next sends them with its first request: no round trip
    that answers 401 (Radicale waits about a second before each). A password changed since is still refused
    in one clear line, after the server is asked how it wants the credentials."""
    import requests

    answers: list[int] = []
    send = requests.Session.send

    def counted(self: requests.Session, request: Any, **kwargs: Any) -> Any:
        response = send(self, request, **kwargs)
        answers.append(response.status_code)
        return response

    monkeypatch.setattr(requests.Session, "send", counted)
    assert sync(app)["added"] == 3
    assert 401 in answers  # the first sync learns how the server wants them
    with app.begin() as conn:
        kept = {str(k): str(v) for k, v in conn.execute(select(live_source_state.c.key, live_source_state.c.value))}
    assert kept[sync_carddav.AUTH_STATE] == '"basic"'
    answers.clear()
    radicale.put(book + "zoe.vcf", vcard("zoe-1", "Zoe Park", "EMAIL:zoe@example.com"))
    assert sync(app)["added"] == 1
    assert answers and 401 not in answers
    answers.clear()
    assert sync(app) == {}
    assert answers and 401 not in answers
    monkeypatch.setenv("DAV_TEST_PASSWORD", "wrong")
    refused = run_sync(app, "phone")
    assert refused.error is not None and "refused the user name or password" in refused.error
    assert count_people(app) == 4
