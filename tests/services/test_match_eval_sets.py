"""The labelled evaluation sets are well formed: ids resolve, labels point at offers of other people."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SHARED

OWN = Path(__file__).resolve().parents[2] / "benchmarks" / "eval" / "matching-second.jsonl"
# The later sets, each with the least it holds: (people, needs, offers, needs without a match). Enough needs without
# a match to measure false suggestions.
LATER = {
    "third": (40, 40, 40, 5),
    "fourth": (60, 60, 70, 8),
    "fifth": (110, 80, 85, 12),
    "sixth": (110, 90, 100, 12),
    "seventh": (110, 90, 100, 12),
    "eighth": (150, 120, 140, 20),
    "ninth": (110, 100, 120, 20),
    "tenth": (110, 100, 120, 20),
    "eleventh": (150, 110, 130, 20),
    "twelfth": (150, 110, 130, 20),
    "thirteenth": (150, 110, 130, 20),
    "fourteenth": (150, 110, 130, 20),
    "fifteenth": (150, 110, 130, 20),
    "sixteenth": (150, 110, 130, 20),
    "seventeenth": (150, 110, 130, 20),
    "eighteenth": (150, 110, 130, 20),
    "nineteenth": (150, 110, 130, 20),
    "twentieth": (150, 110, 130, 20),
    "twentyfirst": (150, 110, 130, 20),
    "twentysecond": (150, 110, 130, 20),
    "twentythird": (150, 110, 130, 20),
    "twentyfourth": (150, 110, 130, 20),
    "twentyfifth": (150, 110, 130, 20),
    "twentysixth": (150, 110, 130, 20),
    "twentyseventh": (150, 110, 130, 20),
    "twentyeighth": (150, 110, 130, 20),
    "twentyninth": (150, 110, 130, 20),
    "thirtieth": (150, 110, 130, 20),
    "thirtyfirst": (150, 110, 130, 20),
    "thirtysecond": (150, 110, 130, 20),
    "thirtythird": (150, 110, 130, 20),
    "thirtyfourth": (150, 110, 130, 20),
    "thirtyfifth": (150, 110, 130, 20),
    "thirtysixth": (150, 110, 130, 20),
    "thirtyseventh": (150, 110, 130, 20),
}
DEV = SHARED / "eval" / "matching-dev.jsonl"
FIELDS = {"id", "person", "name", "location", "kind", "text"}


def check_set(path: Path) -> tuple[int, int, int, int]:
    """Return (people, needs, offers, needs without a match) after checking every rule of the format."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    items: dict[str, dict[str, str]] = {}
    names: dict[str, str] = {}
    for row in rows:
        assert set(row) == FIELDS, row
        assert row["kind"] in {"need", "offer"} and row["id"][0] == row["kind"][0], row
        assert row["id"] not in items, f"{row['id']} twice"
        assert row["text"].strip(), row
        assert names.setdefault(row["person"], row["name"]) == row["name"], f"{row['person']} has two names"
        items[row["id"]] = row
    labels_path = path.with_name(path.name.replace(".jsonl", ".labels.jsonl"))
    labels = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    labelled = [entry["need"] for entry in labels]
    needs = [i for i, row in items.items() if row["kind"] == "need"]
    assert sorted(labelled) == sorted(needs), "every need has exactly one label line"
    for entry in labels:
        need = items[entry["need"]]
        for offer_id, grade in entry["relevant"].items():
            assert offer_id in items and items[offer_id]["kind"] == "offer", f"{entry['need']}: {offer_id} is no offer"
            assert grade in (1, 2), f"{entry['need']}: grade {grade}"
            assert items[offer_id]["person"] != need["person"], f"{entry['need']}: {offer_id} is the same person"
    empty = sum(1 for entry in labels if not entry["relevant"])
    return len(names), len(needs), len(items) - len(needs), empty


def test_the_second_set_is_well_formed_and_as_large_as_the_dev_set() -> None:
    people, needs, offers, empty = check_set(OWN)
    assert (people, needs, offers) >= (76, 88, 106) and people >= 76 and offers >= 106
    assert empty >= 10  # enough no-match needs to measure false suggestions


@pytest.mark.parametrize("name", LATER)
def test_the_later_sets_are_well_formed(name: str) -> None:
    people, needs, offers, empty = check_set(OWN.with_name(f"matching-{name}.jsonl"))
    least_people, least_needs, least_offers, least_empty = LATER[name]
    assert people >= least_people and needs >= least_needs and offers >= least_offers
    assert empty >= least_empty


@pytest.mark.skipif(not DEV.exists(), reason="the dev set (../shared/eval) is absent")
def test_the_dev_set_is_well_formed() -> None:
    assert check_set(DEV)[1] == 88


def test_a_label_pointing_at_the_needs_own_person_is_refused(tmp_path: Path) -> None:
    rows = [
        {"id": "n001", "person": "p001", "name": "A", "location": "", "kind": "need", "text": "Need a plumber."},
        {"id": "o001", "person": "p001", "name": "A", "location": "", "kind": "offer", "text": "Plumber."},
    ]
    (tmp_path / "x.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "x.labels.jsonl").write_text(json.dumps({"need": "n001", "relevant": {"o001": 2}}) + "\n")
    with pytest.raises(AssertionError, match="same person"):
        check_set(tmp_path / "x.jsonl")
