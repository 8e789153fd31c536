"""Writing givefirst's edits into a vCard: the five fields change, every other line stays as it was."""

from __future__ import annotations

from givefirst.ingest.identity import normalize_email, normalize_phone
from givefirst.ingest.vcard import parse_vcards
from givefirst.ingest.vcard_write import CardEdit, edit_card

CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ann-1\r\nFN:Ann Lee\r\nN:Lee;Ann;;;\r\nORG:Acme;Finance\r\nTITLE:CFO\r\n"
    "EMAIL;TYPE=work:ann@acme.example\r\nEMAIL;TYPE=home:ann@home.example\r\n"
    "TEL;TYPE=cell:+1 (212) 555-0101\r\nADR;TYPE=work:;;1 Main St;New York;NY;10001;USA\r\n"
    "NOTE:Met at the AOP gala\\, 2024\r\nX-PHONE-APP-COLOR:teal\r\nEND:VCARD\r\n"
)


def same(kind: str, value: str) -> str:
    return normalize_email(value) if kind == "email" else normalize_phone(value, "US")


def test_an_edit_changes_the_five_fields_and_keeps_the_rest() -> None:
    edit = CardEdit(name="Ann Lee-Park", title="Treasurer", emails=("ann@acme.example", "ann@new.example"),
                    phones=("+12125550101", "+13055550199"))  # fmt: skip
    text = edit_card(CARD, edit, same)
    (record,) = parse_vcards(text.encode(), "ann.vcf")
    assert record.name == "Ann Lee-Park" and record.title == "Treasurer"  # type: ignore[union-attr]
    assert [e.value for e in record.emails] == ["ann@acme.example", "ann@new.example"]  # type: ignore[union-attr]
    assert "TEL;TYPE=cell:+1 (212) 555-0101" in text  # recognised in another spelling: kept as written
    assert "+13055550199" in text and "ann@home.example" not in text
    for kept in ("ORG:Acme;Finance", "UID:ann-1", "X-PHONE-APP-COLOR:teal", "ADR;TYPE=work:;;1 Main St;New York",
                 "NOTE:Met at the AOP gala\\, 2024", "N:Lee-Park;Ann"):  # fmt: skip
        assert kept in text, kept


def test_clearing_the_organization_and_title_removes_them() -> None:
    text = edit_card(CARD, CardEdit(organization="", title=""), same)
    assert "ORG" not in text and "TITLE" not in text and "FN:Ann Lee" in text
    assert edit_card(CARD, CardEdit(), same).count("EMAIL") == 2  # an empty edit changes nothing that matters
