"""Imports through the real service on a real database: idempotent, atomic, one person per real person."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from givefirst.services import importer_writer
from givefirst.services.context import App
from givefirst.services.importer import ImportOptions, import_paths
from givefirst.services.network import list_people, profile
from givefirst.store.schema import interactions, metadata, people
from tests.conftest import SHARED

GOOGLE_HEADER = (
    "First Name,Middle Name,Last Name,Organization Name,Organization Title,Notes,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def rows(app: App) -> dict[str, int]:
    with app.begin() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in metadata.sorted_tables}


def test_the_same_file_twice_changes_nothing(app: App, tmp_path: Path) -> None:
    dana = "Dana,,Whitfield,Brightline,Data Engineer,,* myContacts ::: Florida,Work,dana@brightline.example,,\n"
    csv = write(tmp_path, "google.csv", GOOGLE_HEADER + dana + "Li,,Wei,Acme,CFO,,,Work,li@acme.example,,\n")
    first = import_paths(app, "google", [csv])
    assert first.totals()["added"] == 2 and not first.failed
    after_first = rows(app)
    second = import_paths(app, "google", [csv])
    assert second.totals().get("added", 0) == 0 and second.totals()["unchanged"] == 2
    assert rows(app) == after_first
    dana = profile(app, "dana@brightline.example")
    assert dana.relationship.organization == "Brightline" and "florida" in dana.tags


def test_a_dry_run_writes_nothing(app: App, tmp_path: Path) -> None:
    csv = write(tmp_path, "g.csv", GOOGLE_HEADER + "Li,,Wei,Acme,CFO,,,Work,li@acme.example,,\n")
    before = rows(app)
    report = import_paths(app, "google", [csv], ImportOptions(dry_run=True))
    assert report.dry_run and report.totals()["added"] == 1
    assert rows(app) == before


def test_the_same_email_in_two_sources_is_one_person(app: App, tmp_path: Path) -> None:
    google = write(tmp_path, "g.csv", GOOGLE_HEADER + "Mei,,Tanaka,,,,,Work,MEI@example.com,,\n")
    import_paths(app, "google", [google])
    outlook = SHARED / "formats" / "outlook-csv" / "contacts.csv"
    if not outlook.exists():
        pytest.skip("../shared/formats is not here")
    report = import_paths(app, "outlook", [str(outlook)])
    assert report.totals()["matched"] >= 1
    assert [r.name for r in list_people(app) if r.name.startswith("Mei")] == ["Mei Tanaka"]
    mei = profile(app, "mei@example.com")
    assert mei.relationship.location and "Tampa" in mei.relationship.location  # filled in from Outlook


def test_a_broken_unit_is_reported_and_the_others_import(app: App, tmp_path: Path) -> None:
    good = write(tmp_path, "good.csv", GOOGLE_HEADER + "Li,,Wei,Acme,CFO,,,Work,li@acme.example,,\n")
    bad = write(tmp_path, "bad.csv", "this is not,a contacts export\n1,2\n")
    report = import_paths(app, "csv", [bad, good])
    assert [u.label for u in report.failed] == [bad]
    assert "bad.csv" in (report.failed[0].error or "")
    assert [r.name for r in list_people(app)] == ["Li Wei"]


def test_a_unit_lands_whole_or_not_at_all(app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    csv = write(tmp_path, "g.csv", GOOGLE_HEADER + "".join(f"P{i},,Person,,,,,,p{i}@x.example,,\n" for i in range(5)))
    real = importer_writer.Writer.contact
    calls = {"n": 0}

    def crash_on_the_fourth(self: importer_writer.Writer, rec: object) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("the power went out")
        real(self, rec)  # type: ignore[arg-type]

    monkeypatch.setattr(importer_writer.Writer, "contact", crash_on_the_fourth)
    with pytest.raises(RuntimeError):
        import_paths(app, "google", [csv])
    with app.begin() as conn:
        assert conn.execute(select(func.count()).select_from(people).where(~people.c.is_me)).scalar_one() == 0
    monkeypatch.setattr(importer_writer.Writer, "contact", real)
    assert import_paths(app, "google", [csv]).totals()["added"] == 5


def test_linkedin_export_folder_people_and_messages(app: App) -> None:
    folder = SHARED / "formats" / "linkedin-2026"
    if not folder.exists():
        pytest.skip("../shared/formats is not here")
    report = import_paths(app, "linkedin", [str(folder)])
    totals = report.totals()
    assert totals["added"] >= 3 and totals.get("interactions added", 0) >= 1 and not report.failed
    before = rows(app)
    again = import_paths(app, "linkedin", [str(folder)])
    assert again.totals().get("added", 0) == 0 and again.totals().get("interactions added", 0) == 0
    assert again.totals()["unchanged"] == totals["added"]  # every connection known by its row digest
    assert rows(app) == before
    with app.begin() as conn:
        sources = set(conn.execute(select(interactions.c.source).distinct()).scalars())
    assert sources == {"linkedin"}


def test_unknown_kind_and_missing_path_are_clear_errors(app: App, tmp_path: Path) -> None:
    from givefirst.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="unknown import kind"):
        import_paths(app, "myspace", [str(tmp_path)])
    with pytest.raises(InvalidInputError, match="no such file"):
        import_paths(app, "vcard", [str(tmp_path / "nope.vcf")])


def test_provider_rules_make_aliases_one_person(db_url: str, tmp_path: Path) -> None:
    from dataclasses import replace

    from givefirst.config import Settings
    from givefirst.services.context import open_app
    from tests.conftest import NOW

    first = write(tmp_path, "a.csv", GOOGLE_HEADER + "Jane,,Doe,,,,,Work,jane.doe@gmail.com,,\n")
    second = write(tmp_path, "b.csv", GOOGLE_HEADER + "Janie,,D,,,,,Home,JaneDoe+lists@googlemail.com,,\n")
    settings = Settings(database=db_url, today=NOW.date())
    app = open_app(settings, now=NOW)
    try:
        import_paths(app, "google", [first])  # stored before the rule is on: jane.doe@gmail.com as written
    finally:
        app.close()
    app = open_app(replace(settings, email_provider_rules=True), now=NOW)
    try:
        report = import_paths(app, "google", [second])
        assert report.totals().get("added", 0) == 0 and report.totals()["matched"] == 1
        assert [p.name for p in list_people(app)] == ["Jane Doe"]
    finally:
        app.close()
