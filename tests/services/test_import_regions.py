"""Imports from outside the US: phone numbers in the user's region or as written, whole names, honest counts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from givefirst.services.context import App
from givefirst.services.importer import import_paths
from givefirst.services.network import list_people, profile
from givefirst.services.people import PersonInput, set_me
from givefirst.store import people as people_store
from givefirst.store.schema import identities, people, person_sources

INDIA = str(Path(__file__).parent / "data" / "google-contacts-india.csv")


def phones(app: App) -> dict[str, set[str]]:
    """Return {person name: their phone identities}."""
    with app.begin() as conn:
        query = select(people.c.name, identities.c.value).join(identities, identities.c.person_id == people.c.id)
        found: dict[str, set[str]] = {}
        for name, value in conn.execute(query.where(identities.c.kind == "phone", people.c.merged_into_id.is_(None))):
            found.setdefault(name, set()).add(value)
        return found


def test_a_user_in_india_gets_indian_numbers_and_the_people_a_human_would_count(app: App) -> None:
    set_me(app, PersonInput(name="Kavita Rao", location="Pune, India"))
    report = import_paths(app, "google", [INDIA])
    assert report.as_dict()["phones"] == {
        "region": "IN", "because": 'your location "Pune, India"', "without_country_code": 5,
    }  # fmt: skip
    found = phones(app)
    assert found["PRIYA RAMAKRISHNAN IYER"] == {"+919876543210"}  # "PRIYA IYER" with +91 is the same phone
    assert found["ANAND KUMAR NAIR"] == {"+918041234567", "+919845012345"}
    assert found["SURESH BABU V"] == {"+912223456789"}
    assert found["NGUYEN THI MINH ANH"] == {"+84901234567"}  # a country code written is kept, whatever the region
    assert not any(v.startswith("+1") for name, values in found.items() if name != "Dana Whitfield" for v in values)
    # Eight rows, seven people: the two Priyas share a phone number.
    assert len(list_people(app)) == 7
    assert report.totals()["added"] == 7 and report.totals()["matched"] == 1


def test_without_a_region_numbers_stay_as_written_and_nobody_is_merged_on_a_guess(app: App) -> None:
    report = import_paths(app, "google", [INDIA])
    assert report.as_dict()["phones"] == {"region": None, "because": None, "without_country_code": 5}
    found = phones(app)
    assert found["PRIYA RAMAKRISHNAN IYER"] == {"98765 43210"}  # not +1 987-654-3210 as before
    assert found["PRIYA IYER"] == {"+919876543210"}
    assert found["SURESH BABU V"] == {"022 2345 6789"}
    assert len(list_people(app)) == 8  # the Priyas stay apart: nothing says the first number is Indian


def test_setting_the_region_and_importing_again_gives_the_numbers_their_country(app: App) -> None:
    import_paths(app, "google", [INDIA])
    set_me(app, PersonInput(location="Pune, India"))
    again = import_paths(app, "google", [INDIA])
    # Every row with a number written without a country code is read anew in IN; the other four are unchanged.
    assert (again.totals()["updated"], again.totals()["unchanged"], again.totals()["merged"]) == (4, 4, 1)
    found = phones(app)
    assert found["PRIYA RAMAKRISHNAN IYER"] == {"+919876543210"}  # the form as written is gone, Priya merged
    assert found["SURESH BABU V"] == {"+912223456789"}
    assert len(list_people(app)) == 7
    third = import_paths(app, "google", [INDIA])
    assert third.totals()["unchanged"] == 8 and not third.totals().get("updated")


def test_names_in_capitals_are_whole_and_found_by_their_whole_name(app: App) -> None:
    import_paths(app, "google", [INDIA])
    assert profile(app, "NGUYEN THI MINH ANH").person.name == "NGUYEN THI MINH ANH"
    assert [r.name for r in list_people(app, search="minh anh")] == ["NGUYEN THI MINH ANH"]
    rahul = profile(app, "Rahul Menon MBA")  # the whole name as written finds him; MBA is kept apart
    assert (rahul.person.name, rahul.person.credentials) == ("RAHUL MENON", "MBA")
    assert rahul.as_dict()["credentials"] == "MBA"


def test_names_cut_by_an_older_import_are_still_found_by_the_whole_name(app: App) -> None:
    set_me(app, PersonInput(name="Kavita Rao"))
    with app.begin() as conn:  # what the old rule stored: half the name as "credentials"
        pid = people_store.insert_person(conn, {"name": "NGUYEN THI", "credentials": "MINH ANH"}, app.now)
    assert profile(app, "NGUYEN THI MINH ANH").relationship.person_id == pid
    assert [r.person_id for r in list_people(app, search="Nguyen Thi Minh")] == [pid]


def test_a_first_import_reports_nothing_unchanged(app: App, tmp_path: Path) -> None:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:anh-1\r\nFN:Nguyen Thi Minh Anh\r\nEMAIL:anh@example.vn\r\nEND:VCARD\r\n"
    path = tmp_path / "twice.vcf"
    path.write_text(card + card, encoding="utf-8")  # phones export a card twice more often than one thinks
    first = import_paths(app, "vcard", [str(path)]).totals()
    assert first["added"] == 1 and first["repeated"] == 1 and "unchanged" not in first
    assert import_paths(app, "vcard", [str(path)]).totals()["unchanged"] == 1


def test_a_contact_s_own_address_says_where_their_numbers_are(app: App, tmp_path: Path) -> None:
    set_me(app, PersonInput(name="Kavita Rao", location="Pune, India"))
    csv = tmp_path / "google.csv"
    csv.write_text(
        "First Name,Last Name,Phone 1 - Label,Phone 1 - Value,Address 1 - City,Address 1 - Region\n"
        "Dana,Whitfield,Mobile,(813) 555-0148,Tampa,FL\n"
        "Arjun,Mehta,Mobile,98765 43210,Pune,\n",
        encoding="utf-8",
    )
    import_paths(app, "google", [str(csv)])
    assert phones(app) == {"Dana Whitfield": {"+18135550148"}, "Arjun Mehta": {"+919876543210"}}


def test_importing_again_gives_back_names_an_older_version_cut(app: App) -> None:
    import_paths(app, "google", [INDIA])
    with app.begin() as conn:  # what the old rule stored for the first row, fingerprint and all
        pid = profile(app, "NGUYEN THI MINH ANH").relationship.person_id
        people_store.update_person(conn, pid, {"name": "NGUYEN THI", "credentials": "MINH ANH"}, app.now)
        conn.execute(person_sources.update().values(fingerprint="from an older version"))
    again = import_paths(app, "google", [INDIA])
    assert again.totals()["updated"] == 1
    assert profile(app, f"#{pid}").person.name == "NGUYEN THI MINH ANH"
    assert profile(app, f"#{pid}").person.credentials is None
    rahul = profile(app, "RAHUL MENON")  # credentials the rule of today also finds are left as they are
    assert rahul.person.credentials == "MBA"
