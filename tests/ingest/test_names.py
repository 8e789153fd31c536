"""Names keep every word; only known post-nominals are credentials."""

from __future__ import annotations

import pytest

from givefirst.ingest.names import comparable_name, split_credentials


@pytest.mark.parametrize(
    "name",
    [
        "NGUYEN THI MINH ANH",  # a Google Contacts file in capitals lost half its names to "credentials"
        "PRIYA RAMAKRISHNAN IYER",
        "LI WEI MA",  # Ma is a family name: a credential only after a comma
        "TRAN VAN DO",  # Do is a Vietnamese family name
        "Ramesh Kumar V",  # a South Indian initial after the name
        "Md Abdul KARIM",
        "Doe, John",  # "family, given": not credentials
        "Anne-Marie DUPONT",
    ],
)
def test_names_in_capitals_keep_every_word(name: str) -> None:
    assert split_credentials(name) == (name, None)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dana Whitfield, CPA, PMP", ("Dana Whitfield", "CPA, PMP")),
        ("Aisha Bello, Ph.D.", ("Aisha Bello", "Ph.D.")),
        ("Li Wei PhD", ("Li Wei", "PhD")),
        ("WANG XIAO MING CPA", ("WANG XIAO MING", "CPA")),
        ("Rahul MENON MBA PMP", ("Rahul MENON", "MBA PMP")),
        ("John Smith M.D.", ("John Smith", "M.D.")),  # dotted: a degree, not the family name Md
        ("Li Ma, MA", ("Li Ma", "MA")),
        ("Jane Roe, SHRM-CP", ("Jane Roe", "SHRM-CP")),
        ("Sam Lee Jr.", ("Sam Lee", "Jr.")),
        ("Kim Ode, RN", ("Kim Ode", "RN")),
    ],
)
def test_known_post_nominals_are_credentials(name: str, expected: tuple[str, str]) -> None:
    assert split_credentials(name) == expected


def test_two_words_are_never_cut() -> None:
    assert split_credentials("Jordan CPA") == ("Jordan CPA", None)


def test_comparable_names_keep_capitalised_words() -> None:
    assert comparable_name("NGUYEN THI MINH ANH") == "nguyen thi minh anh"
    assert comparable_name("Aisha Bello, Ph.D.") == comparable_name("AISHA BELLO")
