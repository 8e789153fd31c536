"""Phone numbers without a country code: read in the user's region, or kept as written; never a guessed country."""

from __future__ import annotations

import pytest

from givefirst.errors import InvalidInputError
from givefirst.ingest.identity import Phone, normalize_phone, read_phone, region_of_location


@pytest.mark.parametrize(
    ("written", "region", "expected"),
    [
        ("98765 43210", "IN", Phone("+919876543210", local=True)),  # an Indian mobile
        ("022 2345 6789", "IN", Phone("+912223456789", local=True)),  # a Mumbai landline, trunk 0
        ("+91 98765 43210", None, Phone("+919876543210", local=False)),
        ("+91 98765 43210", "US", Phone("+919876543210", local=False)),
        ("0091 98765 43210", None, Phone("+919876543210", local=False)),  # "00" dials abroad
        ("(212) 555-0147", "US", Phone("+12125550147", local=True)),
        ("98765 43210", None, Phone("98765 43210", local=True)),  # no region: as written, not +1
        ("022  2345 6789", None, Phone("022 2345 6789", local=True)),
    ],
)
def test_numbers_are_read_in_the_region_or_kept_as_written(written: str, region: str | None, expected: Phone) -> None:
    assert read_phone(written, region) == expected


def test_no_country_is_ever_guessed() -> None:
    # Before, every number without a country code was read as a US one: "98765 43210" became +1 987-654-3210.
    assert not read_phone("98765 43210", None).has_country
    with pytest.raises(InvalidInputError, match="no country code and your region is not known"):
        normalize_phone("98765 43210")


@pytest.mark.parametrize("written", ["12", "call me", "", "12345678901234567890"])
def test_what_is_not_a_phone_number(written: str) -> None:
    with pytest.raises(InvalidInputError, match="invalid phone"):
        read_phone(written, None)


@pytest.mark.parametrize(
    ("location", "region"),
    [
        ("Pune, India", "IN"),
        ("Mumbai, Maharashtra, India", "IN"),
        ("Brooklyn, NY", "US"),
        ("Tampa, FL", "US"),
        ("Toronto, ON", "CA"),
        ("London, UK", "GB"),
        ("München, Deutschland", "DE"),
        ("Hanoi, Vietnam", "VN"),
        ("Remote", None),
        ("Pune", None),  # a city alone names no country here
        ("Atlanta, Georgia", None),  # the state or the country: not guessed
        ("", None),
        (None, None),
    ],
)
def test_the_region_of_a_location(location: str | None, region: str | None) -> None:
    assert region_of_location(location) == region
