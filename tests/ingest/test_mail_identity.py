"""One key per email message (`message_key`), and old addresses with dots in a row accepted as the real
addresses they are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from givefirst.errors import InvalidInputError
from givefirst.ingest.identity import normalize_email
from givefirst.ingest.mail_addresses import address_list
from givefirst.ingest.mail_identity import MAX_KEY, legacy_key, message_key
from givefirst.ingest.mbox import read_maildir_message
from givefirst.ingest.records import Participant

AT = datetime(2025, 3, 3, 9, 0)


def test_a_message_id_is_the_key_with_or_without_its_brackets() -> None:
    assert message_key("<abc@mail.example>", AT, "a@x.example", ["b@x.example"], "Hi") == "abc@mail.example"
    assert message_key(" abc@mail.example ", None, None, [], "") == "abc@mail.example"
    # the rest of the message does not matter when it has an id: every copy carries the same one
    assert message_key("abc@mail.example", AT + timedelta(hours=1), "z@x.example", [], "Fwd") == "abc@mail.example"


def test_a_message_without_id_is_keyed_on_what_every_copy_says_alike() -> None:
    key = message_key(None, AT, "Ana@Example.com", ["b@x.example", "C@x.example"], "Coffee  next week?")
    assert key.startswith("sha256:") and len(key) == len("sha256:") + 32
    assert key == message_key("", AT, "ana@example.com", ["c@x.example", "b@x.example", "b@x.example"],
                              "Coffee next week?")  # fmt: skip
    aware = AT.replace(tzinfo=UTC).astimezone(timezone(timedelta(hours=-5)))  # the same moment in New York
    assert key == message_key(None, aware, "ana@example.com", ["b@x.example", "c@x.example"], "Coffee next week?")


@pytest.mark.parametrize(
    "change",
    [
        {"date": AT + timedelta(seconds=1)}, {"sender": "bob@example.com"}, {"recipients": ["b@x.example"]},
        {"subject": "Tea next week?"},
    ],
)  # fmt: skip
def test_messages_differing_in_date_sender_recipients_or_subject_have_different_keys(change: dict[str, object]) -> None:
    """A mail merge (one subject, one second, one recipient each) stays one message per recipient."""
    said: dict[str, object] = {"date": AT, "sender": "ana@example.com", "recipients": ["b@x.example", "c@x.example"],
                               "subject": "Coffee next week?"}  # fmt: skip
    first = message_key(None, **said)  # type: ignore[arg-type]
    assert message_key(None, **{**said, **change}) != first  # type: ignore[arg-type]


def test_a_monstrous_message_id_is_hashed_to_fit() -> None:
    key = message_key("x" * 2000 + "@junk.example", AT, None, [], "")
    assert len(key) <= MAX_KEY and key.startswith("mid-sha256:")
    assert key == message_key("<" + "x" * 2000 + "@junk.example>", None, None, [], "")


def test_the_legacy_key_is_what_earlier_versions_stored() -> None:
    # the value earlier versions computed for this message (date, sender, subject), kept to recognise it
    assert legacy_key(AT, "ana@example.com", "Hi") == legacy_key(AT, "ana@example.com", "Hi")
    assert legacy_key(AT, "ana@example.com", "Hi") != message_key(None, AT, "ana@example.com", [], "Hi")


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("a..b@example.com", "a..b@example.com"), ("Hal..X@Example.JP", "hal..x@example.jp"),
        (".ab@example.com", ".ab@example.com"), ("taro.@docomo.ne.jp", "taro.@docomo.ne.jp"),
        ("a...b@example.com", "a...b@example.com"),
    ],
)  # fmt: skip
def test_addresses_with_dots_in_a_row_are_real_addresses(raw: str, stored: str) -> None:
    assert normalize_email(raw) == stored


@pytest.mark.parametrize("raw", ["..@example.com", "a..b@example..com", "a..b c@example.com", "a..b@localhost",
                                 "a..b@@example.com", "a..b@-example.com"])  # fmt: skip
def test_dots_in_a_row_do_not_make_garbage_valid(raw: str) -> None:
    with pytest.raises(InvalidInputError, match="invalid email"):
        normalize_email(raw)


def test_a_message_from_an_address_with_two_dots_names_its_sender() -> None:
    data = b'From: "Hal Sato" <hal..x@example.jp>\nTo: me@example.org\nDate: Mon, 3 Mar 2025 09:00:00 +0000\n\nHi\n'
    message = read_maildir_message(data, "cur/1")
    assert not isinstance(message, Exception) and getattr(message, "sender", None) == Participant(
        "Hal Sato", "hal..x@example.jp"
    )
    assert address_list("hal..x@example.jp, b@example.com")[0].email == "hal..x@example.jp"


def test_whom_a_message_counts_with() -> None:
    """Two-way correspondents count, and anyone the caller already knows, whatever the direction."""
    from givefirst.ingest.mail_messages import MailMessage, counted_addresses, my_addresses, to_record

    me = my_addresses(["Me@Example.org"])
    ana, ben, eve = (Participant(n, f"{n.lower()}@example.com") for n in ("Ana", "Ben", "Eve"))
    mine = Participant("Me", "me@example.org")
    messages = [
        MailMessage("a#1", "k1", AT, "ana@example.com", (ana, mine, eve), "Hi"),  # Eve only copied
        MailMessage("a#2", "k2", AT, "me@example.org", (mine, ana), "Re: Hi"),
        MailMessage("a#3", "k3", AT, "ben@example.com", (ben, mine), "Pitch"),  # never answered
    ]
    assert counted_addresses(messages, me) == {"ana@example.com"}
    known = counted_addresses(messages, me, known=lambda address: address == "ben@example.com")
    assert known == {"ana@example.com", "ben@example.com"}
    assert counted_addresses(messages, me, require_two_way=False) is None
    record = to_record(messages[0], me, known, "mbox")
    assert record is not None and record.participants == (ana,) and record.direction == "inbound"
    assert to_record(messages[2], me, {"ana@example.com"}, "mbox") is None
