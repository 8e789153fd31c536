"""Normalising the identities that recognise a person across sources: emails, phones, profile URLs."""

from __future__ import annotations

import re
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


@lru_cache(maxsize=65536)
def normalize_phone(text: str, region: str = "US") -> str:
    """Return the phone number in E.164 ("+12125550147"), reading local numbers in `region`."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInputError(f"invalid phone number {text!r}: {exc}") from None
    if not phonenumbers.is_possible_number(number):
        raise InvalidInputError(f"invalid phone number {text!r}: not a possible number in {region}")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


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
