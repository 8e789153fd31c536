"""`givefirst export …` and `givefirst restore` through the real entry point."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import icalendar
import pytest
import vobject

from givefirst.services.context import App
from givefirst.services.demo import build_demo
from tests.cli.test_user_story import ok
from tests.conftest import Cli


def _network(cli: Cli) -> None:
    ok(cli("init", "--name", "Jordan Reyes", "--email", "jordan@reyes.example", "--location", "Brooklyn, NY"))
    ok(cli("add", "Priya Shah", "-e", "priya@acme.example", "-p", "(212) 555-0147", "--org", "Acme", "-t", "aop-fl"))
    ok(cli("add", '=HYPERLINK("http://x","y")', "--notes", "@SUM(A1)"))
    ok(cli("log", "Priya Shah", "--kind", "meeting", "--on", "2026-11-20", "--follow-up", "2026-11-28"))
    ok(cli("log", "Priya Shah", "--kind", "meeting", "--on", "2026-12-01 18:30", "-m", "Chapter dinner"))
    ok(cli("gave", "Priya Shah", "Send the scorecard", "--promised", "--due", "2026-12-03"))


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_export_vcard_to_stdout_and_to_a_file(cli: Cli, tmp_path: Path, version: str) -> None:
    _network(cli)
    shown = ok(cli("export", "vcard", "--version", version))
    cards = list(vobject.readComponents(shown.out))
    assert sorted(c.fn.value for c in cards) == ['=HYPERLINK("http://x","y")', "Priya Shah"]
    priya = next(c for c in cards if c.fn.value == "Priya Shah")
    assert priya.email.value == "priya@acme.example" and priya.tel.value.removeprefix("tel:") == "+12125550147"

    target = tmp_path / "contacts.vcf"
    written = ok(cli("export", "vcard", "--version", version, "--include-me", "--out", str(target)))
    assert f"Wrote 3 people as vCard {version} to {target}" in written.out
    assert "Jordan Reyes" in {c.fn.value for c in vobject.readComponents(target.read_text("utf-8"))}


def test_export_csv_is_excel_ready(cli: Cli, tmp_path: Path) -> None:
    _network(cli)
    out = ok(cli("export", "csv")).out
    assert out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    names = {r["name"]: r for r in rows}
    assert set(names) == {'\'=HYPERLINK("http://x","y")', "Priya Shah"}
    assert names['\'=HYPERLINK("http://x","y")']["notes"] == "'@SUM(A1)"
    target = tmp_path / "people.csv"
    assert "Wrote 2 people as CSV" in ok(cli("export", "csv", "-o", str(target))).out
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_ics_gives_a_feed(cli: Cli, tmp_path: Path) -> None:
    _network(cli)
    target = tmp_path / "givefirst.ics"
    assert "Wrote 3 events for the next 30 days" in ok(cli("export", "ics", "--out", str(target))).out
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    uids = sorted(str(e["UID"]).split("-")[0] for e in calendar.walk("VEVENT"))
    assert uids == ["followup", "planned", "promise"]
    assert len(list(icalendar.Calendar.from_ical(ok(cli("export", "ics", "--days", "3")).out).walk("VEVENT"))) == 1


def test_export_json_then_restore_gives_the_same_network_and_plan(app: App, cli: Cli, tmp_path: Path) -> None:
    counts = build_demo(app)  # into the database the CLI uses
    ok(cli("snooze", "Tomás Herrera", "--days", "3"))
    backup = tmp_path / "backup.json"
    assert "Wrote a complete backup" in ok(cli("export", "json", "--out", str(backup))).out
    assert json.loads(ok(cli("export", "json")).out)["tables"]["people"]  # stdout works too

    restored_db = str(tmp_path / "restored.db")  # an SQLite file, whatever the backend of the original
    said = ok(cli("restore", str(backup), db=restored_db))
    assert said.out.startswith(f"Restored {backup} (made ")
    assert f"{counts['people']} people, {counts['interactions']} interactions" in said.out

    again = tmp_path / "again.json"
    ok(cli("export", "json", "--out", str(again), db=restored_db))

    def without_time(path: Path) -> list[str]:
        return [line for line in path.read_text("utf-8").splitlines() if '"exported_at"' not in line]

    assert without_time(again) == without_time(backup)
    plan = json.loads(ok(cli("today", "--json")).out)
    assert plan["items"] and json.loads(ok(cli("today", "--json", db=restored_db)).out) == plan

    # A second restore into the now full database is refused in one line, and changes nothing.
    refused = cli("restore", str(backup), db=restored_db)
    assert refused.code == 1 and refused.err.count("\n") == 1
    assert "already holds" in refused.err and "restore needs an empty database" in refused.err
    restored = json.loads(ok(cli("restore", str(backup), "--json", db=str(tmp_path / "third.db"))).out)
    assert restored["rows"]["interactions"] == counts["interactions"] and restored["people"] == counts["people"]


def test_restore_errors_are_one_line(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "givefirst-backup", "format_version": 1, "tables": {')
    result = cli("restore", str(bad))
    assert result.code == 2 and result.err == f"error: cannot restore {bad}: not valid JSON " + (
        "(Expecting property name enclosed in double quotes at line 1, column 64); nothing was written\n"
    )
    never = tmp_path / "never.db"
    assert cli("restore", str(bad), db=str(never)).code == 2 and not never.exists()  # checked before it is made
    missing = cli("restore", str(tmp_path / "nowhere.json"))
    assert missing.code == 1 and missing.err == f"error: cannot restore {tmp_path / 'nowhere.json'}: no such file\n"
    people = json.loads(ok(cli("people", "--json")).out)
    assert people == []
    nowhere = cli("export", "csv", "--out", str(tmp_path / "no" / "people.csv"))
    assert nowhere.code == 2 and "folder" in nowhere.err and nowhere.err.count("\n") == 1
    wrong = cli("export", "vcard", "--version", "2.1")
    assert wrong.code == 2 and "choose 4.0 or 3.0" in wrong.err


@pytest.mark.parametrize("command", [["export", "vcard"], ["export", "csv"], ["export", "json"], ["export", "ics"],
                                     ["restore"], ["export"]])  # fmt: skip
def test_every_command_teaches_with_an_example(cli: Cli, command: list[str]) -> None:
    shown = ok(cli(*command, "--help")).out
    assert "Example" in shown and "givefirst " in shown.split("Example", 1)[1]
