"""Birthdays read by the contact importers are kept, shown and exported; a later import fills one, never overwrites."""

from __future__ import annotations

from pathlib import Path

from givefirst.services.context import App
from givefirst.services.export import export_vcard
from givefirst.services.importer import import_paths
from givefirst.services.network import profile

CARD = """BEGIN:VCARD
VERSION:3.0
FN:Rosa Delgado
N:Delgado;Rosa;;;
EMAIL;TYPE=INTERNET:rosa@delgado.example
BDAY:1979-04-12
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Ivo Stern
N:Stern;Ivo;;;
EMAIL;TYPE=INTERNET:ivo@stern.example
BDAY:--0704
END:VCARD
"""
CSV = (
    "First Name,Last Name,E-mail 1 - Value,Birthday\n"
    "Rosa,Delgado,rosa@delgado.example,1980-01-01\n"
    "Ivo,Stern,ivo@stern.example,1990-07-04\n"
)


def test_a_birthday_is_kept_shown_and_exported_and_never_overwritten(app: App, tmp_path: Path) -> None:
    card = tmp_path / "contacts.vcf"
    card.write_text(CARD, encoding="utf-8")
    import_paths(app, "vcard", [str(card)])
    assert profile(app, "Rosa Delgado").as_dict()["birthday"] == "1979-04-12"
    assert profile(app, "Ivo Stern").as_dict()["birthday"] is None  # a birthday without a year is no date
    sheet = tmp_path / "google.csv"
    sheet.write_text(CSV, encoding="utf-8")
    import_paths(app, "google", [str(sheet)])
    assert profile(app, "Rosa Delgado").as_dict()["birthday"] == "1979-04-12"  # what was there stays
    assert profile(app, "Ivo Stern").as_dict()["birthday"] == "1990-07-04"  # an empty field is filled
    exported = export_vcard(app, "3.0").data.decode("utf-8")
    assert "BDAY:1979-04-12" in exported and "BDAY:1990-07-04" in exported
