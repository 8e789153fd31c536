"""The whole first hour: every shared sample imported in one go, merges reviewed and undone, exported and restored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_user_story import ok
from tests.conftest import SHARED, Cli

FORMATS, REAL = SHARED / "formats", SHARED / "realdata"
pytestmark = pytest.mark.skipif(not (FORMATS.exists() and REAL.exists()), reason="../shared is not here")
ME = ["--me", "jordan@reyes.example"] + [
    arg
    for address in ("phillip.allen@enron.com", "k..allen@enron.com", "pallen@enron.com", "pallen@ect.enron.com")
    for arg in ("--me", address)
]


def imported(cli: Cli, *args: str) -> dict[str, object]:
    result = cli("import", *args, "--json")
    assert "Traceback" not in result.err + result.out
    assert result.code in (0, 1), result.err  # 1: some real test files are broken on purpose, and reported
    report = json.loads(result.out)
    for unit in report["files"]:
        assert unit["error"] is None or unit["error"].strip(), unit
    return report


def test_every_sample_in_one_go(cli: Cli, tmp_path: Path) -> None:
    ok(cli("init", "--name", "Jordan Reyes", "--email", "jordan@reyes.example"))
    linkedin = [str(FORMATS / d) for d in ("linkedin-2018", "linkedin-2022", "linkedin-2026", "linkedin-excel")]
    reports = {
        "linkedin": imported(cli, "linkedin", *linkedin),
        "csv": imported(cli, "csv", str(FORMATS / "google-csv"), str(FORMATS / "outlook-csv")),
        "vcard": imported(cli, "vcard", str(REAL / "vcard")),
        "ics": imported(cli, "ics", str(REAL / "ics"), *ME, "--since", "2000-01-01", "--until", "2030-01-01"),
        "mbox": imported(cli, "mbox", str(REAL / "mbox" / "enron"), str(REAL / "mbox" / "perceval"), *ME),
        "maildir": imported(cli, "maildir", str(REAL / "maildir" / "notmuch"), *ME),
    }
    totals = {kind: r["totals"] for kind, r in reports.items()}  # type: ignore[index]
    assert totals["linkedin"]["added"] >= 10 and totals["linkedin"]["interactions added"] >= 5
    assert totals["vcard"]["added"] >= 20
    assert totals["mbox"]["interactions added"] >= 50  # Phillip Allen's sent mail and inbox, both ways

    people = json.loads(ok(cli("people", "--json")).out)
    names = [p["name"] for p in people]
    assert names.count("Dana Whitfield") == 1  # LinkedIn 2018 and Google Contacts share her email
    everything_again = imported(cli, "linkedin", *linkedin)
    assert everything_again["totals"].get("added", 0) == 0  # type: ignore[union-attr]
    assert len(json.loads(ok(cli("people", "--json")).out)) == len(people)

    pending = json.loads(ok(cli("merge", "--review", "--json")).out)
    if pending:
        first = pending[0]
        ok(cli("merge", str(first["first"]["id"]), str(first["second"]["id"])))
        merges = json.loads(ok(cli("merges", "--json")).out)
        ok(cli("unmerge", str(merges[0]["id"])))
        assert len(json.loads(ok(cli("people", "--json")).out)) == len(people)

    vcf, backup = tmp_path / "all.vcf", tmp_path / "backup.json"
    ok(cli("export", "vcard", "--out", str(vcf)))
    assert vcf.read_text(encoding="utf-8").count("BEGIN:VCARD") == len(people)
    ok(cli("export", "json", "--out", str(backup)))
    fresh = str(tmp_path / "restored.db")
    ok(cli("restore", str(backup), db=fresh))
    restored = json.loads(ok(cli("people", "--json", db=fresh)).out)
    assert [p["name"] for p in restored] == names
    dana = next(p for p in people if p["name"] == "Dana Whitfield")
    assert (
        json.loads(ok(cli("show", str(dana["id"]), "--json", db=fresh)).out)["emails"]
        == json.loads(ok(cli("show", str(dana["id"]), "--json")).out)["emails"]
    )
