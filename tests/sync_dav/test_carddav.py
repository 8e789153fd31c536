"""CardDAV sources against a real Radicale: first and incremental syncs, pushes, conflicts, deletions, failures."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from givefirst.services.context import App
from givefirst.services.people import PersonInput, edit_person
from givefirst.services.sync_carddav import DavSource, sync_carddav
from givefirst.services.sync_dav_client import DavConnection, SourceUnreachableError
from givefirst.store import dav_state
from givefirst.store import people as people_store
from givefirst.store.schema import dav_collections, people, person_sources
from tests.sync_dav.conftest import PASSWORD, USER, Radicale, vcard


def source(url: str, password: str = PASSWORD) -> DavSource:
    return DavSource("phone", url, USER, password)


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
def book(radicale: Radicale) -> str:
    url = radicale.collection("addressbook")
    radicale.put(url + "ann.vcf", vcard("ann-1", "Ann Lee", "EMAIL;TYPE=work:ann@acme.example", "ORG:Acme",
                                        "TITLE:CFO", "X-PHONE-APP-COLOR:teal"))  # fmt: skip
    radicale.put(url + "raj.vcf", vcard("raj-1", "Raj Patel", "EMAIL:raj@example.org", "TEL;TYPE=cell:+1 212 555 0101"))
    radicale.put(url + "mia.vcf", vcard("mia-1", "Mia Chen", "EMAIL:mia@example.net", "ORG:Globex"))
    return url


def test_first_sync_adds_everyone_and_the_next_asks_only_for_changes(app: App, radicale: Radicale, book: str) -> None:
    first = sync_carddav(app, source(book)).totals()
    assert first["added"] == 3 and not first.get("skipped")
    ann, _ = person(app, "ann@acme.example")
    assert (ann.name, ann.organization, ann.title) == ("Ann Lee", "Acme", "CFO")
    assert person(app, "raj@example.org")[1] == ["+12125550101", "raj@example.org"]

    assert sync_carddav(app, source(book)).totals() == {}  # nothing changed: nothing fetched, nothing counted

    radicale.put(book + "zoe.vcf", vcard("zoe-1", "Zoe Park", "EMAIL:zoe@example.com"))
    radicale.put(book + "ann.vcf", vcard("ann-1", "Ann Lee", "EMAIL;TYPE=work:ann@acme.example", "ORG:Acme",
                                         "TITLE:CEO"))  # fmt: skip
    second = sync_carddav(app, source(book)).totals()
    assert (second["added"], second["updated"]) == (1, 1)
    assert person(app, "ann@acme.example")[0].title == "CEO"  # the server's edit, not edited here: applied
    assert count_people(app) == 4


def test_a_card_matches_a_person_already_known_by_email(app: App, radicale: Radicale, book: str) -> None:
    from givefirst.services.people import add_person

    add_person(app, PersonInput(name="Mia C.", emails=["MIA@example.net"], title="Designer"))
    totals = sync_carddav(app, source(book)).totals()
    assert (totals["added"], totals["matched"]) == (2, 1)
    mia, _ = person(app, "mia@example.net")
    assert (mia.name, mia.title, mia.organization) == ("Mia C.", "Designer", "Globex")  # filled, never overwritten
    assert count_people(app) == 3
    assert sync_carddav(app, source(book)).totals() == {}  # the user's own title is not pushed as an edit


def test_local_edits_are_pushed_with_if_match_keeping_the_rest_of_the_card(
    app: App, radicale: Radicale, book: str
) -> None:
    sync_carddav(app, source(book))
    edit_person(app, "ann@acme.example", PersonInput(title="Chief Executive", emails=["ann.lee@gmail.example"]))
    edit_person(app, "raj@example.org", PersonInput(organization="Initech"))
    report = sync_carddav(app, source(book))
    assert report.totals()["pushed"] == 2
    card = radicale.get(book + "ann.vcf")
    assert "TITLE:Chief Executive" in card and "ann.lee@gmail.example" in card and "ann@acme.example" in card
    assert "X-PHONE-APP-COLOR:teal" in card and "ORG:Acme" in card  # what givefirst does not read is kept
    assert "ORG:Initech" in radicale.get(book + "raj.vcf")
    assert sync_carddav(app, source(book)).totals() == {}  # pushed once; the new ETags were recorded


def test_edited_on_both_sides_the_server_wins_and_the_local_edit_goes_to_notes(
    app: App, radicale: Radicale, book: str
) -> None:
    sync_carddav(app, source(book))
    edit_person(app, "ann@acme.example", PersonInput(title="Treasurer", notes="Met at the AOP gala."))
    edit_person(app, "mia@example.net", PersonInput(organization="Hooli"))  # edited here only: pushed
    radicale.put(book + "ann.vcf", vcard("ann-1", "Ann Lee", "EMAIL;TYPE=work:ann@acme.example", "ORG:Acme",
                                         "TITLE:Chief Financial Officer"))  # fmt: skip
    report = sync_carddav(app, source(book))
    totals = report.totals()
    assert totals["conflicts"] == 1 and totals["pushed"] == 1
    ann, _ = person(app, "ann@acme.example")
    assert ann.title == "Chief Financial Officer"
    assert ann.notes.startswith("Met at the AOP gala.")  # the user's own notes are kept, the edit added below
    assert "title was 'Treasurer' here, 'Chief Financial Officer' on the server" in ann.notes
    said = [s["reason"] for unit in report.as_dict()["files"] for s in unit["skipped"]]
    assert any("edited on both sides" in reason and "Treasurer" in reason for reason in said)
    assert "TITLE:Chief Financial Officer" in radicale.get(book + "ann.vcf")  # the server's version stands
    assert "ORG:Hooli" in radicale.get(book + "mia.vcf")
    assert sync_carddav(app, source(book)).totals() == {}


def test_a_card_deleted_on_the_server_unlinks_the_person_who_stays(app: App, radicale: Radicale, book: str) -> None:
    sync_carddav(app, source(book))
    radicale.delete(book + "raj.vcf")
    totals = sync_carddav(app, source(book)).totals()
    assert totals["removed"] == 1
    raj, _ = person(app, "raj@example.org")
    with app.begin() as conn:
        links = conn.execute(select(person_sources.c.external_id).where(person_sources.c.person_id == raj.id))
        assert list(links.scalars()) == []
    edit_person(app, "raj@example.org", PersonInput(title="CTO"))  # no longer linked: nothing to push to
    assert sync_carddav(app, source(book)).totals() == {}


class _StopsBeforeFetching(DavConnection):
    """A connection whose server goes away between listing the changes and fetching them."""

    def __init__(self, server: Radicale, url: str) -> None:
        super().__init__(url, USER, PASSWORD)
        self.server = server

    def fetch(self, *args: Any, **kwargs: Any) -> Any:
        self.server.stop()
        return super().fetch(*args, **kwargs)


def test_a_server_gone_mid_sync_writes_nothing_and_the_next_sync_completes(app: App, own_radicale: Radicale) -> None:
    url = own_radicale.collection("addressbook")
    own_radicale.put(url + "ann.vcf", vcard("ann-1", "Ann Lee", "EMAIL:ann@acme.example"))
    sync_carddav(app, source(url))
    with app.begin() as conn:
        token = conn.execute(select(dav_collections.c.sync_token)).scalar_one()
    own_radicale.put(url + "raj.vcf", vcard("raj-1", "Raj Patel", "EMAIL:raj@example.org"))
    own_radicale.put(url + "ann.vcf", vcard("ann-1", "Ann Lee", "EMAIL:ann@acme.example", "TITLE:CFO"))

    report = sync_carddav(app, source(url), connection=_StopsBeforeFetching(own_radicale, url))
    assert report.failed and "cannot be reached" in str(report.failed[0].error)
    assert count_people(app) == 1 and person(app, "ann@acme.example")[0].title is None
    with app.begin() as conn:
        assert conn.execute(select(dav_collections.c.sync_token)).scalar_one() == token  # the token did not move

    own_radicale.start()
    totals = sync_carddav(app, source(url)).totals()
    assert (totals["added"], totals["updated"]) == (1, 1)
    assert person(app, "ann@acme.example")[0].title == "CFO" and count_people(app) == 2


def test_a_wrong_password_or_no_server_is_a_one_line_error(app: App, radicale: Radicale, book: str) -> None:
    with pytest.raises(SourceUnreachableError, match="refused the user name or password"):
        sync_carddav(app, source(book, password="wrong"))
    with pytest.raises(SourceUnreachableError, match="cannot be reached"):
        sync_carddav(app, source("http://127.0.0.1:9/"))
    with app.begin() as conn:
        assert dav_state.etags(conn, 1) == {}
