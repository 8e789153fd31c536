"""`givefirst import`, `merge`, `merges` and `unmerge` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_errors import one_line_error
from tests.cli.test_user_story import ok
from tests.conftest import Cli

HEADER = "First Name,Last Name,Organization Name,E-mail 1 - Label,E-mail 1 - Value\n"


def contacts(tmp_path: Path, *lines: str) -> str:
    path = tmp_path / "contacts.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def test_import_reports_and_is_idempotent(cli: Cli, tmp_path: Path) -> None:
    path = contacts(tmp_path, "Katherine,Johnson,NASA,Work,kj@nasa.example", "Katherine,Jonson,NASA,,",
                    "Dorothy,Vaughan,NASA,Work,dv@nasa.example")  # fmt: skip
    report_file = tmp_path / "report.json"
    dry = ok(cli("import", "csv", path, "--dry-run"))
    assert "Would import" in dry.out and "Dry run: nothing was written." in dry.out
    assert json.loads(ok(cli("people", "--json")).out) == []
    first = ok(cli("import", "csv", path, "--report", str(report_file)))
    assert "3 added" in first.out and "givefirst merge --review" in first.out
    saved = json.loads(report_file.read_text(encoding="utf-8"))
    assert saved["totals"]["added"] == 3 and saved["files"][0]["file"] == path
    assert "Katherine Jonson" in ok(cli("merge", "--review")).out  # the look-alike is found on review
    again = json.loads(ok(cli("import", "csv", path, "--json")).out)
    assert again["totals"].get("added", 0) == 0 and again["totals"]["unchanged"] == 3


def test_review_merge_and_undo(cli: Cli, tmp_path: Path) -> None:
    ok(cli("import", "csv", contacts(tmp_path, "Katherine,Johnson,NASA,Work,kj@nasa.example",
                                     "Katherine,Jonson,NASA,,")))  # fmt: skip
    listed = ok(cli("merge", "--review"))  # not a terminal: lists them
    assert "Katherine Johnson" in listed.out and "Katherine Jonson" in listed.out and "1 look-alikes" in listed.out
    pending = json.loads(ok(cli("merge", "--review", "--json")).out)
    first, second = pending[0]["first"]["id"], pending[0]["second"]["id"]
    merged = ok(cli("merge", str(first), str(second)))
    assert "Merged Katherine Jonson into Katherine Johnson" in merged.out
    assert [p["name"] for p in json.loads(ok(cli("people", "--json")).out)] == ["Katherine Johnson"]
    merges = json.loads(ok(cli("merges", "--json")).out)
    assert len(merges) == 1
    ok(cli("unmerge", str(merges[0]["id"])))
    assert len(json.loads(ok(cli("people", "--json")).out)) == 2
    assert "already undone" in one_line_error(cli("unmerge", str(merges[0]["id"])))


def test_import_errors_are_one_line(cli: Cli, tmp_path: Path) -> None:
    assert "unknown import kind" in one_line_error(cli("import", "myspace", str(tmp_path)), 2)
    assert "no such file" in one_line_error(cli("import", "vcard", str(tmp_path / "missing.vcf")), 2)
    assert "name two people" in one_line_error(cli("merge", "Ana"), 2)
    bad = tmp_path / "bad.csv"
    bad.write_text("not,a,contacts,file\n", encoding="utf-8")
    result = cli("import", "csv", str(bad))
    assert result.code == 1 and "Traceback" not in result.err + result.out
    assert "error" in result.out and "bad.csv" in result.out
