"""Identity normalisers: the same person written differently becomes the same identity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.errors import InvalidInputError
from givefirst.ingest.identity import fold_email, normalize_email, normalize_phone, normalize_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jordan@ReyesConsulting.example", "jordan@reyesconsulting.example"),
        ("  priya.shah@acme.example ", "priya.shah@acme.example"),
    ],
)
def test_emails(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize("raw", ["", "no-at-sign", "two@@signs.example", "a@b", "x@ab--c.example"])
def test_bad_emails_say_what_is_wrong(raw: str) -> None:
    with pytest.raises(InvalidInputError, match="invalid email"):
        normalize_email(raw)


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("(212) 555-0147", "US", "+12125550147"),
        ("212.555.0147", "US", "+12125550147"),
        ("+1 212 555 0147", "DE", "+12125550147"),
        ("030 1234567", "DE", "+49301234567"),
    ],
)
def test_phones_become_e164(raw: str, region: str, expected: str) -> None:
    assert normalize_phone(raw, region) == expected


@pytest.mark.parametrize("raw", ["12", "call me", ""])
def test_bad_phones(raw: str) -> None:
    with pytest.raises(InvalidInputError, match="invalid phone"):
        normalize_phone(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.LinkedIn.com/in/Jane-Doe/?trk=abc", "linkedin.com/in/jane-doe"),
        ("linkedin.com/in/jane-doe", "linkedin.com/in/jane-doe"),
        ("http://example.org/People/Jane/", "example.org/People/Jane"),
    ],
)
def test_profile_urls(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_bad_url() -> None:
    with pytest.raises(InvalidInputError, match="no host"):
        normalize_url("not a url")


def test_malformed_host_is_an_input_error() -> None:
    with pytest.raises(InvalidInputError, match="invalid URL"):
        normalize_url("https://[x")


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["", "http://", "https://", "HTTPS://"]),
    st.sampled_from(["", "www.", "WWW."]),
    st.from_regex(r"[A-Za-z0-9-]{1,12}(\.[A-Za-z0-9-]{1,8}){1,3}", fullmatch=True),
    st.from_regex(r"(/[A-Za-z0-9._~%-]{0,12}){0,3}/?", fullmatch=True),
    st.sampled_from(["", "?trk=abc", "#top", "?a=1#b"]),
)
def test_the_fast_path_agrees_with_urlsplit(scheme: str, www: str, host: str, path: str, tail: str) -> None:
    from urllib.parse import urlsplit

    url = f"{scheme}{www}{host}{path}{tail}"
    parts = urlsplit(url if "://" in url else f"https://{url}")
    expected_host = (parts.hostname or "").lower().removeprefix("www.")
    expected_path = parts.path.rstrip("/")
    if expected_host.endswith("linkedin.com"):
        expected_path = expected_path.lower()
    assert normalize_url(url) == f"{expected_host}{expected_path}"


@settings(max_examples=400, deadline=None)
@given(
    st.from_regex(r"[A-Za-z0-9._%+!-]{1,20}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9-]{1,10}(\.[A-Za-z0-9-]{1,10}){0,2}", fullmatch=True),
    st.sampled_from(["com", "org", "example", "test", "local", "onion", "io", "museum", "c0m", "123", "x"]),
)
def test_the_fast_email_path_agrees_with_email_validator(local: str, domain: str, tld: str) -> None:
    from email_validator import EmailNotValidError, validate_email

    address = f"{local}@{domain}.{tld}"
    try:
        expected: str | None = str(
            validate_email(address, check_deliverability=False, test_environment=True).normalized
        ).lower()
    except EmailNotValidError:
        expected = None
        # the documented exception: dots in a row, or first or last, in the local part do not make it invalid
        squeezed = ".".join(part for part in local.split(".") if part)
        if squeezed and squeezed != local:
            try:
                valid = validate_email(f"{squeezed}@{domain}.{tld}", check_deliverability=False, test_environment=True)
                expected = f"{local}@{valid.domain}".lower()
            except EmailNotValidError:
                pass
    normalize_email.cache_clear()
    try:
        got: str | None = normalize_email(address)
    except InvalidInputError:
        got = None
    assert got == expected, address


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane.Doe+news@Gmail.com", "janedoe@gmail.com"),
        ("j.a.n.e.doe@googlemail.com", "janedoe@gmail.com"),
        ("sam+work@outlook.com", "sam@outlook.com"),
        ("sam.smith+x@icloud.com", "sam.smith@icloud.com"),
        ("sam.smith+x@example.com", "sam.smith+x@example.com"),  # elsewhere a "+" may be part of the address
        ("+only@gmail.com", "+only@gmail.com"),  # no base left: kept as written
    ],
)
def test_provider_rules_fold_aliases(raw: str, expected: str) -> None:
    assert normalize_email(raw, provider_rules=True) == expected
    assert normalize_email(raw) == raw.lower()  # off unless asked for


@given(st.from_regex(r"[a-z0-9.+]{1,12}@(gmail\.com|outlook\.com|example\.org)", fullmatch=True))
def test_folding_is_idempotent(address: str) -> None:
    once = fold_email(address)
    assert fold_email(once) == once and once.endswith(address.rpartition("@")[2].replace("googlemail", "gmail"))
