"""Normalising the identities that recognise a person across sources: emails, phones, profile URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from givefirst.errors import InvalidInputError


# Cached: an archive names the same few thousand correspondents hundreds of thousands of times, and checking an
# address properly (email-validator) costs tens of microseconds.
@lru_cache(maxsize=65536)
def normalize_email(text: str, provider_rules: bool = False) -> str:
    """Return the email in canonical form (lower-case), or raise InvalidInputError saying what is wrong.

    With `provider_rules`, the spellings a mail provider delivers to one mailbox become one address (see
    `fold_email`); it is off unless the user turns it on (`email_provider_rules = true`).
    """
    plain = text.strip()
    if _PLAIN_EMAIL.match(plain) and len(plain) <= 254 and plain.rsplit(".", 1)[1].lower() not in _SPECIAL_TLDS:
        # A plain ASCII address (dot-atom local part, ordinary domain): valid as it stands, and checking it here
        # is a hundred times cheaper than the full check below, which imports of unique addresses pay per row.
        address = plain.lower()
    else:
        from email_validator import EmailNotValidError, validate_email

        try:
            result = validate_email(text.strip(), check_deliverability=False, test_environment=True)
            address = str(result.normalized).lower()
        except EmailNotValidError as exc:
            loose = _with_loose_dots(plain)
            if loose is None:
                raise InvalidInputError(f"invalid email {text!r}: {exc}") from None
            address = loose
    return fold_email(address) if provider_rules else address


def _with_loose_dots(address: str) -> str | None:
    """Return an address whose local part has dots in a row, or first or last, when it is valid but for them.

    RFC 5322 forbids "a..b@" and "ab.@", but real mail systems handed such addresses out (Japanese mobile
    carriers did until 2009) and archives are full of them: they are real people's addresses, delivered as
    written. So the dots alone never make an address invalid; everything else is checked as email-validator
    checks it, on the address with its dots squeezed ("a..b." checked as "a.b"), and the address is kept as
    written (in lower case).
    """
    from email_validator import EmailNotValidError, validate_email

    local, at, domain = address.rpartition("@")
    if not at or (".." not in local and not local.startswith(".") and not local.endswith(".")):
        return None
    squeezed = ".".join(part for part in local.split(".") if part)
    if not squeezed:
        return None  # dots and nothing else
    try:
        result = validate_email(f"{squeezed}@{domain}", check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return None
    return f"{local}@{result.domain}".lower()


# Providers that deliver "name+anything@" to "name@" (subaddressing), and Gmail, which also ignores dots in the
# local part and treats googlemail.com as gmail.com. Only providers that document the rule: elsewhere a "+" or a
# dot may be part of a different person's address.
_GMAIL = frozenset({"gmail.com", "googlemail.com"})
_PLUS_TAGS = frozenset(
    {"outlook.com", "hotmail.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "fastmail.com",
     "fastmail.fm", "proton.me", "protonmail.com", "pm.me"}
)  # fmt: skip


def fold_email(address: str) -> str:
    """Return an address in lower case with its provider's aliases folded: "Jane.Doe+news@googlemail.com" is
    "janedoe@gmail.com"; addresses at other domains come back only lower-cased."""
    address = address.lower()
    local, at, domain = address.rpartition("@")
    if not at or not local:
        return address
    if domain not in _GMAIL and domain not in _PLUS_TAGS:
        return address
    base = local.split("+", 1)[0]
    if domain in _GMAIL:
        base, domain = base.replace(".", ""), "gmail.com"
    return f"{base}@{domain}" if base else address  # "+x@gmail.com" is no alias of anything: kept as it is


@dataclass(frozen=True)
class Phone:
    """A phone number as an identity: E.164 when its country is known, else as written."""

    value: str  # "+919876543210", or "98765 43210" when it has no country code and no region is known
    local: bool  # written without a country code, so `value` depends on the region it was read in

    @property
    def has_country(self) -> bool:
        return self.value.startswith("+")


# What a phone number written by hand may hold besides digits: separators, brackets, an extension.
_PHONE_TEXT = re.compile(r"^\+?[0-9 ()./-]+(?:\s*(?:x|ext\.?|extension|#|;ext=)\s*[0-9]+)?$", re.IGNORECASE)


@lru_cache(maxsize=65536)
def read_phone(text: str, region: str | None) -> Phone:
    """Return a phone number as an identity, reading a number without a country code in `region`.

    "+91 98765 43210" is "+919876543210" whatever the region; "98765 43210" is "+919876543210" in region IN, and
    with no region it stays "98765 43210" (local): no country is ever guessed. An extension is kept: "+1 212 555
    0147 x89" is "+12125550147;ext=89". Raises InvalidInputError for text that is not a possible phone number.
    """
    import phonenumbers

    written = " ".join(text.split())
    international = written.startswith("+") or (region is None and written.startswith("00"))
    if not international and region is None:
        digits = sum(c.isdigit() for c in written)
        if not _PHONE_TEXT.match(written) or not 5 <= digits <= 17:
            raise InvalidInputError(f"invalid phone number {text!r}: not a phone number")
        return Phone(written, local=True)
    if written.startswith("00") and international:
        written = "+" + written[2:].lstrip()  # "00" dials abroad nearly everywhere outside North America
    try:
        number = phonenumbers.parse(written, None if international else region, keep_raw_input=True)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInputError(f"invalid phone number {text!r}: {exc}") from None
    if not phonenumbers.is_possible_number(number):
        where = "" if international else f" in {region}"
        raise InvalidInputError(f"invalid phone number {text!r}: not a possible number{where}")
    local = number.country_code_source == phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY
    value = str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    if number.extension:
        # E.164 has no extension, but it is part of whom the number reaches: two people behind one switchboard
        # ("x89", "x90") are not one person, nor is either of them the switchboard. Written as RFC 3966 does,
        # which a tel: link and phonenumbers both read back.
        value += f";ext={number.extension}"
    return Phone(value, local=local)


def normalize_phone(text: str, region: str | None = None) -> str:
    """Return the phone number in E.164 ("+12125550147"), reading local numbers in `region`.

    Raises InvalidInputError for a number without a country code when no region is given: that would need a
    country guessed.
    """
    phone = read_phone(text, region)
    if not phone.has_country:
        raise InvalidInputError(
            f"the phone number {text!r} has no country code and your region is not known: write it with its "
            "country code (+1 212 555 0147, +91 98765 43210) or set your region: givefirst init --region IN"
        )
    return phone.value


# Country names (in every language phonenumbers knows, English first) and a few common short forms → region.
_COUNTRY_ALIASES = {
    "usa": "US", "us": "US", "united states of america": "US", "america": "US", "uk": "GB", "great britain": "GB",
    "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "uae": "AE",
    "korea": "KR", "south korea": "KR", "russia": "RU", "viet nam": "VN", "czechia": "CZ", "holland": "NL",
}  # fmt: skip
# US states and Canadian provinces, as "City, ST" locations write them.
_US_STATES = frozenset(
    {"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
     "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
     "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR"}
)  # fmt: skip
_CA_PROVINCES = frozenset({"ON", "QC", "BC", "AB", "MB", "SK", "NS", "NB", "NL", "PE", "YT", "NT", "NU"})


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from phonenumbers.geodata.locale import LOCALE_DATA

    names: dict[str, str] = {}
    for language in ("aa", None):  # "aa" holds the English names; then every other language's own
        for code, by_language in LOCALE_DATA.items():
            values = [by_language.get("aa", "")] if language else list(by_language.values())
            for value in values:
                if value and not value.startswith("*"):
                    names.setdefault(value.casefold(), code)
    for alias, code in _COUNTRY_ALIASES.items():
        names.setdefault(alias, code)
    return names


@lru_cache(maxsize=8192)  # an address book names the same few hundred places over and over
def region_of_location(location: str | None) -> str | None:
    """Return the region (ISO 3166 code) a location names, or None: "Pune, India" → "IN", "Tampa, FL" → "US".

    Read from the last part of the location: a country name, or a US state or Canadian province code after a
    city. Nothing else is guessed ("Remote", "Pune" alone → None).
    """
    parts = [p.strip() for p in (location or "").split(",") if p.strip()]
    if not parts:
        return None
    last = parts[-1]
    if len(parts) >= 2 and last.upper().rstrip(".") in _US_STATES and len(last.rstrip(".")) == 2:
        return "US"
    if len(parts) >= 2 and last.upper() in _CA_PROVINCES:
        return "CA"
    if len(parts) >= 2 and last.casefold() == "georgia":
        return None  # "Atlanta, Georgia" or "Tbilisi, Georgia": the state or the country
    return _country_names().get(" ".join(last.replace(".", "").split()).casefold())


_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"(?![A-Za-z0-9]{2}--)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"  # "ab--": reserved (IDNA), slow path
_PLAIN_EMAIL = re.compile(rf"^(?={_ATOM}(?:\.{_ATOM})*@)[^@]{{1,64}}@(?:{_LABEL}\.)+[A-Za-z]{{2,24}}$")
_SPECIAL_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion"})  # email-validator refuses these
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_SIMPLE_URL = re.compile(r"^(?:https?://)?([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(/[A-Za-z0-9._~%/-]*)?(?:[?#].*)?$")


def normalize_url(text: str) -> str:
    """Return a profile URL in canonical form: no scheme, no "www.", lower-case host, no query or trailing slash.

    "https://www.LinkedIn.com/in/jane-doe/?trk=x" and "linkedin.com/in/jane-doe" become the same identity.
    """
    raw = text.strip()
    if not raw:
        raise InvalidInputError("invalid URL: empty")
    if simple := _SIMPLE_URL.match(raw):
        # The common shape (scheme, host, plain path): the same result as urlsplit below, several times faster,
        # which matters when an export holds tens of thousands of profile URLs.
        host, path = simple.group(1).lower().removeprefix("www."), (simple.group(2) or "").rstrip("/")
        return f"{host}{path.lower() if host.endswith('linkedin.com') else path}"
    try:
        parts = urlsplit(raw if _SCHEME.match(raw) else f"https://{raw}")
        host = (parts.hostname or "").lower().removeprefix("www.")
    except ValueError as exc:  # urlsplit rejects malformed hosts such as "https://[x"
        raise InvalidInputError(f"invalid URL {text!r}: {exc}") from None
    if "." not in host:
        raise InvalidInputError(f"invalid URL {text!r}: no host name")
    path = parts.path.rstrip("/")
    if host.endswith("linkedin.com"):
        path = path.lower()  # LinkedIn profile slugs are case-insensitive
    return f"{host}{path}"
