"""Advertisers and company pages in LinkedIn messages are skipped, in every generation, by rule and not by name."""

from __future__ import annotations

from pathlib import Path

from givefirst.ingest.linkedin import parse_linkedin_export, parse_linkedin_file
from givefirst.ingest.records import ContactRecord, InteractionRecord, ParseIssue, Record

DATA = Path(__file__).parent / "data" / "linkedin"


def _export(folder: str) -> list[Record]:
    files = sorted((DATA / folder).iterdir())
    return list(parse_linkedin_export((f"Export/{f.name}", f.read_bytes()) for f in files))


def _people_on_messages(records: list[Record]) -> set[str]:
    return {p.name or "" for r in records if isinstance(r, InteractionRecord) for p in r.participants}


def test_2018_advertisers_become_skipped_messages_not_people() -> None:
    records = _export("ads-2018")
    skipped = {r.reason for r in records if isinstance(r, ParseIssue)}
    assert skipped == {
        "sponsored message or company page (no profile, not a connection, never written to): Google Cloud",
        "sponsored message or company page (no profile, not a connection, never written to): Amazon Web",
        "sponsored message or company page (no profile, not a connection, never written to): GoDaddy",
        'sponsored message (the sender signs as "someone from a company"): Angela from Upwork',
        'sponsored message (from "LinkedIn Member", no profile)',
    }
    # The people a careful reader counts: two connections, and Rohan, whom the user answered.
    assert _people_on_messages(records) == {"Arjun Mehta", "Rohan Das", "Sneha Kulkarni"}
    assert [r.name for r in records if isinstance(r, ContactRecord)] == ["Arjun Mehta", "Sneha Kulkarni"]


def test_a_connection_who_was_never_answered_is_still_a_person() -> None:
    # Sneha has no profile URL (2018) and was never written to, but she is a connection: not an advertiser.
    records = _export("ads-2018")
    assert any(isinstance(r, InteractionRecord) and r.participants[0].name == "Sneha Kulkarni" for r in records)


def test_2022_sponsored_conversations_company_pages_and_profileless_senders_are_skipped() -> None:
    path = DATA / "ads-2022" / "messages.csv"
    records = list(parse_linkedin_file(path.read_bytes(), "messages.csv"))
    assert [r.reason for r in records if isinstance(r, ParseIssue)] == [
        "sponsored message (the conversation is marked sponsored): Priya from Naukri",
        "message from a company page, not a person: Deccan Analytics",
        "sponsored message or company page (no profile, not a connection, never written to): Zoho Workplace",
    ]
    # A recruiter with a profile of her own is a person, answered or not.
    assert _people_on_messages(records) == {"Arjun Mehta", "Meera Iyer"}


def test_a_group_conversation_the_user_wrote_in_keeps_its_profileless_members() -> None:
    data = (
        b"From,To,Date,Subject,Content,Direction,Folder\n"
        b'Kavita Rao,"Arjun Mehta, Ravi Shankar","3/2/18, 9:15 AM",Dinner,Friday?,OUTGOING,SENT\n'
        b'Ravi Shankar,"Kavita Rao, Arjun Mehta","3/2/18, 9:40 AM",RE: Dinner,I am in.,INCOMING,INBOX\n'
    )
    records = list(parse_linkedin_file(data, "Messages.csv"))
    assert not [r for r in records if isinstance(r, ParseIssue)]
    assert _people_on_messages(records) == {"Arjun Mehta", "Ravi Shankar"}
