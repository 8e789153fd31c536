"""Exports and restore on a real database: vCards and CSV read back, a JSON backup restores exactly, feeds parse."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject

from givefirst.domain.model import ExchangeDirection, ExchangeStatus, InteractionKind
from givefirst.errors import DatabaseError, InvalidInputError, NewerDatabaseError, NotFoundError
from givefirst.services.activity import log_interaction
from givefirst.services.backup import export_json, restore
from givefirst.services.context import App
from givefirst.services.demo import build_demo
from givefirst.services.export import (
    export_csv,
    export_ics,
    export_vcard,
    split_name,
    split_place,
    spreadsheet_safe,
    write_atomically,
)
from givefirst.services.ledger import record
from givefirst.services.needs import add_item
from givefirst.services.people import PersonInput, add_person, edit_person, set_me
from givefirst.services.plan import done, snooze, today
from givefirst.store import backup as backup_store
from givefirst.store import people as people_store
from tests.conftest import NOW

STAMP = datetime(2026, 11, 25, 9, 30)


def _small_network(app: App) -> dict[str, int]:
    set_me(app, PersonInput(name="Jordan Reyes", emails=["jordan@reyes.example"], location="Brooklyn, NY"))
    ids = {
        "priya": add_person(app, PersonInput(
            name="Priya Shah", emails=["priya@acme.example", "priya.shah@mail.example"], phones=["(212) 555-0147"],
            urls=["https://www.linkedin.com/in/priya-shah/"], organization="Acme Logistics", title="VP, Operations",
            location="Tampa, FL", tags=["aop-fl", "client"], notes="Two kids; loves sailing.\nMet via AOP.",
        )),
        "tomas": add_person(app, PersonInput(name="Tomás Herrera", emails=["tomas@herrera.example"],
                                             phones=["+44 20 7946 0958"], location="London, UK")),
        "ana": add_person(app, PersonInput(name="Ana María de la Cruz", location="Remote", tags=["mentor"])),
        "cher": add_person(app, PersonInput(name="Cher")),
    }  # fmt: skip
    with app.begin() as conn:
        people_store.add_identity(conn, ids["cher"], "email", "cher@work.example", "Work")
        people_store.add_identity(conn, ids["cher"], "phone", "+13475550140", "Mobile")
    return ids


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vcards_read_back_with_names_emails_and_phones(app: App, version: str) -> None:
    ids = _small_network(app)
    gone = add_person(app, PersonInput(name="Merged Away", emails=["old@x.example"]))
    with app.begin() as conn:
        people_store.update_person(conn, gone, {"merged_into_id": ids["priya"]}, app.now)

    result = export_vcard(app, version)
    cards = {c.uid.value: c for c in vobject.readComponents(result.data.decode("utf-8"))}
    assert result.count == 4
    assert set(cards) == {f"givefirst-{pid}" for pid in ids.values()}  # neither "me" nor the merged-away person
    for card in cards.values():
        assert card.version.value == version

    def phones(card: Any) -> list[str]:
        return [t.value.removeprefix("tel:") for t in getattr(card, "tel_list", [])]

    def emails(card: Any) -> list[str]:
        return [e.value for e in getattr(card, "email_list", [])]

    priya = cards[f"givefirst-{ids['priya']}"]
    assert priya.fn.value == "Priya Shah"
    assert (priya.n.value.given, priya.n.value.family) == ("Priya", "Shah")
    assert emails(priya) == ["priya@acme.example", "priya.shah@mail.example"]
    assert phones(priya) == ["+12125550147"]
    assert priya.org.value == ["Acme Logistics"]
    assert priya.title.value == "VP, Operations"
    assert (priya.adr.value.city, priya.adr.value.region) == ("Tampa", "FL")
    assert priya.note.value == "Two kids; loves sailing.\nMet via AOP."
    assert priya.categories.value == ["aop-fl", "client"]
    assert priya.url.value == "https://linkedin.com/in/priya-shah"

    tomas = cards[f"givefirst-{ids['tomas']}"]
    assert tomas.fn.value == "Tomás Herrera" and tomas.n.value.family == "Herrera"
    assert phones(tomas) == ["+442079460958"]
    assert (tomas.adr.value.city, tomas.adr.value.country) == ("London", "UK")

    ana = cards[f"givefirst-{ids['ana']}"]
    assert (ana.n.value.given, ana.n.value.additional, ana.n.value.family) == ("Ana", "María", "de la Cruz")
    assert ana.note.value == "Location: Remote" and not hasattr(ana, "adr")

    cher = cards[f"givefirst-{ids['cher']}"]
    assert cher.fn.value == "Cher" and cher.n.value.given == "Cher"
    assert emails(cher) == ["cher@work.example"] and phones(cher) == ["+13475550140"]
    assert "work" in [t.lower() for t in cher.email.params["TYPE"]]
    assert cher.tel.params["TYPE"] == ["cell"]

    with_me = {c.fn.value for c in vobject.readComponents(export_vcard(app, version, include_me=True).data.decode())}
    assert "Jordan Reyes" in with_me


def test_an_unknown_vcard_version_is_refused(app: App) -> None:
    with pytest.raises(InvalidInputError, match=r"4\.0 or 3\.0"):
        export_vcard(app, "2.1")


def test_names_and_places_are_split_for_address_books() -> None:
    assert split_name("Priya Shah") == ("Priya", "", "Shah")
    assert split_name("Jan van der Berg") == ("Jan", "", "van der Berg")
    assert split_name("Cher") == ("Cher", "", "")
    assert split_place("Tampa, FL") == ("Tampa", "FL", "")
    assert split_place("Tampa, Florida") == ("Tampa", "Florida", "")
    assert split_place("Lyon, Auvergne-Rhône-Alpes, France") == ("Lyon", "Auvergne-Rhône-Alpes", "France")
    assert split_place("Remote, US") is None and split_place(None) is None


def test_csv_is_safe_against_formula_injection(app: App) -> None:
    hyperlink = '=HYPERLINK("http://x","y")'
    add_person(app, PersonInput(name=hyperlink, title="+1 for the team", notes="-2+3 is what she said"))
    sums = add_person(app, PersonInput(name="@SUM(A1)", phones=["+1 212 555 0199"]))
    with app.begin() as conn:  # what an import may bring in untrimmed
        people_store.update_person(conn, sums, {"how_met": "\tTabbed in", "notes": "\r=1+1"}, app.now)
    add_person(app, PersonInput(name="Zoë Ørsted", location="Tampa, FL", tags=["aop-fl", "client"]))

    data = export_csv(app).data
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 3
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {"'" + hyperlink, "'@SUM(A1)", "Zoë Ørsted"}
    assert by_name["'" + hyperlink]["title"] == "'+1 for the team"
    assert by_name["'" + hyperlink]["notes"] == "'-2+3 is what she said"
    assert by_name["'@SUM(A1)"]["how_met"] == "'\tTabbed in"
    assert by_name["'@SUM(A1)"]["notes"] == "'\r=1+1"
    assert by_name["'@SUM(A1)"]["phones"] == "'+12125550199"
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    zoe = by_name["Zoë Ørsted"]
    assert zoe["tags"] == "aop-fl, client" and zoe["location"] == "Tampa, FL"
    assert list(rows[0]) == [
        "id", "name", "emails", "phones", "urls", "organization", "title", "location", "tags", "tier", "strength",
        "last_contact", "how_met", "notes",
    ]  # fmt: skip
    assert spreadsheet_safe("\r=1") == "'\r=1" and spreadsheet_safe("Ann") == "Ann"


def test_csv_carries_tier_strength_and_last_contact(app: App) -> None:
    ids = _small_network(app)
    log_interaction(app, ["Priya Shah"], kind=InteractionKind.MEETING, at=datetime(2026, 11, 1, 10, 0))
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(export_csv(app).data.decode("utf-8-sig")))}
    priya = rows[str(ids["priya"])]
    assert priya["last_contact"] == "2026-11-01"
    assert 0 < float(priya["strength"]) <= 1 and priya["tier"]
    assert priya["emails"] == "priya@acme.example; priya.shah@mail.example"
    assert priya["urls"] == "https://linkedin.com/in/priya-shah"
    assert rows[str(ids["cher"])]["last_contact"] == ""


def _varied_network(app: App) -> None:
    """The demo, plus what it lacks: snoozes, plan actions, a merged-away person, an out-of-order introducer."""
    build_demo(app)
    first = add_person(app, PersonInput(name="Early Bird", emails=["early@bird.example"], tags=["late-intro"]))
    later = add_person(app, PersonInput(name="Late Introducer", phones=["+13055550123"]))
    edit_person(app, str(first), PersonInput(introduced_by=str(later)))  # a reference to a higher id
    gone = add_person(app, PersonInput(name="Early B.", met_on=date(2019, 5, 1)))
    with app.begin() as conn:
        people_store.update_person(conn, gone, {"merged_into_id": first}, app.now)
    log_interaction(app, [str(first), str(later)], kind=InteractionKind.MEETING, at=NOW + timedelta(days=3),
                    summary="Planned coffee", follow_up_on=NOW.date() + timedelta(days=5))  # fmt: skip
    record(app, str(first), ExchangeDirection.GAVE, "A spare ticket", status=ExchangeStatus.PROMISED,
           due_on=NOW.date() + timedelta(days=2))  # fmt: skip
    add_item(app, "need", str(first), "Looking for a Tampa accountant", tags=["finance"])
    items = today(app)
    done(app, items[0].key, "Done it")
    snooze(app, items[1].key, 5)
    snooze(app, "Late Introducer", 3)


def _without_time(data: bytes) -> list[bytes]:
    return [line for line in data.splitlines() if not line.strip().startswith(b'"exported_at"')]


def test_a_json_backup_restores_exactly(app: App, other_app: App, tmp_path: Path) -> None:
    _varied_network(app)
    backup = export_json(app, exported_at=STAMP)
    doc = json.loads(backup.data)
    assert doc["schema_revision"] and doc["givefirst_version"] and doc["exported_at"] == STAMP.isoformat()
    assert list(doc["tables"]) == [t.name for t in backup_store.backup_tables()]  # every table, parents first
    for name in ("people", "identities", "interactions", "interaction_people", "exchanges", "needs", "offers",
                 "snoozes", "plan_actions", "tie_stats", "person_tags", "tags", "organizations"):  # fmt: skip
        assert doc["tables"][name], f"{name} is empty: the round trip would not prove much"
    path = tmp_path / "backup.json"
    path.write_bytes(backup.data)

    restored = restore(other_app, path)
    assert restored.counts == backup.counts and restored.people == len(doc["tables"]["people"]) - 2  # me, merged

    again = export_json(other_app)
    assert _without_time(again.data) == _without_time(backup.data)
    assert export_json(other_app, exported_at=STAMP).data == backup.data
    assert today(other_app) == today(app)
    assert export_vcard(other_app).data == export_vcard(app).data
    assert export_csv(other_app).data == export_csv(app).data

    # Ids carry on after the largest restored one (PostgreSQL's sequences were moved on).
    largest = max(r["id"] for r in doc["tables"]["people"])
    assert add_person(other_app, PersonInput(name="After The Restore")) == largest + 1
    largest_interaction = max(r["id"] for r in doc["tables"]["interactions"])
    assert log_interaction(other_app, ["After The Restore"]) == largest_interaction + 1


def test_restore_refuses_a_database_that_is_not_empty(app: App, other_app: App, tmp_path: Path) -> None:
    _small_network(app)
    path = tmp_path / "backup.json"
    path.write_bytes(export_json(app).data)
    add_person(other_app, PersonInput(name="Already Here"))  # and the placeholder "Me" with them
    with pytest.raises(DatabaseError, match="already holds 2 people; restore needs an empty database"):
        restore(other_app, path)
    with other_app.begin() as conn:
        assert backup_store.tables_with_rows(conn) == ["people"]
        assert people_store.count_people(conn) == 1


def _broken(doc: dict[str, Any], how: str) -> bytes:
    tables = doc["tables"]
    if how == "truncated":
        return json.dumps(doc).encode()[:-40]
    if how == "not a backup":
        return b'{"people": []}'
    if how == "a list":
        return b"[1, 2, 3]"
    if how == "bad date":
        tables["people"][0]["met_on"] = "last spring"
    elif how == "bad number":
        tables["tie_stats"][0]["mutual"] = "lots"
    elif how == "boolean as text":
        tables["people"][0]["is_me"] = "yes"
    elif how == "empty required":
        tables["people"][1]["name"] = None
    elif how == "unknown table":
        tables["gossip"] = []
    elif how == "unknown column":
        tables["people"][0]["shoe_size"] = 44
    elif how == "missing table":
        del tables["identities"]
    elif how == "missing column":
        for row in tables["interactions"]:
            del row["kind"]
    elif how == "ragged rows":
        del tables["people"][1]["notes"]
    elif how == "dangling reference":
        tables["identities"][0]["person_id"] = 9999
    elif how == "duplicate identity":
        tables["identities"].append(dict(tables["identities"][0], id=9999))
    elif how == "no revision":
        del doc["schema_revision"]
    elif how == "binary":
        return b"\xff\xfe\x00garbage"
    return json.dumps(doc).encode()


BROKEN = {
    "truncated": "not valid JSON",
    "not a backup": "not a givefirst backup",
    "a list": "not a givefirst backup",
    "bad date": "table people, row 1: column met_on: expected a date",
    "bad number": "table tie_stats, row 1: column mutual: expected a number",
    "boolean as text": "table people, row 1: column is_me: expected true or false",
    "empty required": "table people, row 2: column name may not be empty",
    "unknown table": "unknown table gossip",
    "unknown column": "table people, row 1: unknown column shoe_size",
    "missing table": "table identities is missing",
    "missing column": "table interactions, row 1: column kind is missing",
    "ragged rows": "table people, row 2: its columns differ",
    "dangling reference": "the backup is inconsistent",
    "duplicate identity": "the backup is inconsistent",
    "binary": "not UTF-8",
    "no revision": 'it has no "schema_revision"',
}


def test_a_broken_backup_names_the_file_and_writes_nothing(app: App, other_app: App, tmp_path: Path) -> None:
    _small_network(app)
    log_interaction(app, ["Priya Shah", "Cher"], summary="Lunch")
    original = json.loads(export_json(app).data)
    for how, message in BROKEN.items():
        path = tmp_path / f"{how.replace(' ', '-')}.json"
        path.write_bytes(_broken(json.loads(json.dumps(original)), how))
        with pytest.raises(InvalidInputError) as caught:
            restore(other_app, path)
        text = str(caught.value)
        assert text.startswith(f"cannot restore {path}: "), how
        assert message in text, (how, text)
        assert "\n" not in text
        with other_app.begin() as conn:
            assert backup_store.tables_with_rows(conn) == [], how
    with pytest.raises(NotFoundError, match="no such file"):
        restore(other_app, tmp_path / "nowhere.json")


def test_a_backup_from_a_newer_givefirst_is_refused(app: App, other_app: App, tmp_path: Path) -> None:
    doc = json.loads(export_json(app).data)
    doc["schema_revision"] = "0099_from_the_future"
    path = tmp_path / "new.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(NewerDatabaseError, match=r"newer givefirst .*0099_from_the_future"):
        restore(other_app, path)


def test_a_backup_of_an_older_schema_restores(app: App, other_app: App, tmp_path: Path) -> None:
    _small_network(app)
    doc = json.loads(export_json(app).data)
    doc["schema_revision"] = "0001_initial"  # before sources, merges and candidates; people lacked two columns
    for name in ("person_sources", "merges", "merge_candidates"):
        del doc["tables"][name]
    for row in doc["tables"]["people"]:
        del row["credentials"], row["merged_into_id"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(doc))
    restored = restore(other_app, path)
    assert restored.people == 4 and restored.schema_revision == "0001_initial"
    assert export_vcard(other_app).data == export_vcard(app).data


def test_the_calendar_feed_holds_what_is_coming(app: App) -> None:
    _small_network(app)
    day = NOW.date()
    soon = log_interaction(app, ["Priya Shah", "Cher"], summary="Lunch", follow_up_on=day + timedelta(days=3))
    late = log_interaction(app, ["Tomás Herrera"], summary="Call", at=NOW - timedelta(days=9),
                           follow_up_on=day - timedelta(days=2))  # fmt: skip
    log_interaction(app, ["Cher"], follow_up_on=day + timedelta(days=45))  # beyond the window
    meeting = log_interaction(app, ["Priya Shah"], kind=InteractionKind.MEETING, summary="Coffee in Ybor City",
                              at=datetime(2026, 12, 2, 9, 30))  # fmt: skip
    log_interaction(app, ["Cher"], kind=InteractionKind.MEETING, at=datetime(2027, 3, 1, 9, 0))  # beyond
    promise = record(app, "Priya Shah", ExchangeDirection.GAVE, "Send the scorecard template",
                     status=ExchangeStatus.PROMISED, due_on=day + timedelta(days=7))  # fmt: skip
    record(app, "Cher", ExchangeDirection.GAVE, "An intro, some day", status=ExchangeStatus.PROMISED)  # no date
    record(app, "Cher", ExchangeDirection.GAVE, "Done already", due_on=day + timedelta(days=1))  # done
    done(app, f"followup:{soon}")  # a follow-up done leaves the feed
    soon_again = log_interaction(app, ["Priya Shah"], summary="Panel", follow_up_on=day + timedelta(days=3))

    result = export_ics(app, days=30, exported_at=STAMP)
    calendar = icalendar.Calendar.from_ical(result.data)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        f"followup-{soon_again}@givefirst", f"followup-{late}@givefirst", f"promise-{promise}@givefirst",
        f"planned-{meeting}@givefirst",
    }  # fmt: skip
    assert result.count == 4
    assert str(calendar["PRODID"]).startswith("-//givefirst//") and str(calendar["VERSION"]) == "2.0"

    reminder = events[f"followup-{soon_again}@givefirst"]
    assert reminder.decoded("DTSTART") == day + timedelta(days=3)
    assert not isinstance(reminder.decoded("DTSTART"), datetime)  # all-day
    assert reminder.decoded("DTEND") == day + timedelta(days=4)
    assert str(reminder["SUMMARY"]) == "Follow up with Priya Shah"
    assert f"givefirst done followup:{soon_again}" in str(reminder["DESCRIPTION"])
    assert "overdue" in str(events[f"followup-{late}@givefirst"]["SUMMARY"])

    owed = events[f"promise-{promise}@givefirst"]
    assert str(owed["SUMMARY"]) == "Deliver to Priya Shah: Send the scorecard template"
    assert owed.decoded("DTSTART") == day + timedelta(days=7)

    planned = events[f"planned-{meeting}@givefirst"]
    assert planned.decoded("DTSTART") == datetime(2026, 12, 2, 9, 30)  # timed, as recorded
    assert planned.decoded("DTEND") == datetime(2026, 12, 2, 10, 30)
    assert str(planned["SUMMARY"]) == "Coffee in Ybor City"
    assert "Priya Shah" in str(planned["DESCRIPTION"])
    for event in events.values():
        assert event.decoded("DTSTAMP").replace(tzinfo=None) == STAMP

    # The same data gives the same feed: a subscribed calendar sees no churn.
    assert export_ics(app, days=30, exported_at=STAMP).data == result.data
    wider = icalendar.Calendar.from_ical(export_ics(app, days=120).data)
    assert len(list(wider.walk("VEVENT"))) == 6
    with pytest.raises(InvalidInputError):
        export_ics(app, days=-1)


def test_files_are_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "people.csv"
    target.write_text("old")
    target.chmod(0o644)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["people.csv"]  # no temporary file left behind
    fresh = tmp_path / "backup.json"
    write_atomically(fresh, b"{}")
    assert (fresh.stat().st_mode & 0o777) == 0o600  # a new export is private: it holds your notes
    with pytest.raises(InvalidInputError, match="does not exist"):
        write_atomically(tmp_path / "missing" / "x.csv", b"")
    with pytest.raises(InvalidInputError, match="it is a folder"):
        write_atomically(tmp_path, b"")
