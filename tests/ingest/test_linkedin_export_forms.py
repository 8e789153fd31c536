"""LinkedIn exports as users really have them: group conversations in messages.csv, invitations never accepted,
and files renamed by a browser or a file manager ("Connections (1).csv") or sitting in the zip's subfolder.

Every sample is written here, in the layouts of /work/shared/formats, with fictional people.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from givefirst.ingest.linkedin import is_linkedin_file, parse_linkedin_export, parse_linkedin_file
from givefirst.ingest.records import ContactRecord, InteractionRecord, ParseIssue, Record, UnreadableFileError
from givefirst.services.context import App
from givefirst.services.importer import import_paths
from givefirst.store.schema import people
from tests.conftest import Cli

IN = "https://www.linkedin.com/in/"
CONNECTIONS = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    f"Nadia,Haddad,{IN}nadia-haddad-7a1b2c,,Gulfstream Fintech,Head of Talent,09 Jul 2026\n"
    f"Ben,Okafor,{IN}benokafor,,Orlando Health Partners,Registered Nurse,21 May 2026\n"
    f"Lucía,Fernández,{IN}lucia-fernandez-pm,lucia.f@example.com,Tidewater Software,Product Manager,03 Mar 2025\n"
).encode()
MESSAGES_HEADER = (
    '"CONVERSATION ID","CONVERSATION TITLE","FROM","SENDER PROFILE URL","TO","RECIPIENT PROFILE URLS","DATE",'
    '"SUBJECT","CONTENT","FOLDER","ATTACHMENTS"\n'
)


def _message(conversation: str, sender: str, sender_url: str, to: str, to_urls: str, when: str, text: str,
             title: str = "") -> str:  # fmt: skip
    cells = (conversation, title, sender, sender_url, to, to_urls, when, "", text, "INBOX", "")
    return ",".join('"' + cell.replace('"', '""') + '"' for cell in cells) + "\n"


def _messages(*rows: str) -> bytes:
    return (MESSAGES_HEADER + "".join(rows)).encode()


def _interactions(records: list[Record]) -> list[InteractionRecord]:
    return [r for r in records if isinstance(r, InteractionRecord)]


def _issues(records: list[Record]) -> list[ParseIssue]:
    return [r for r in records if isinstance(r, ParseIssue)]


def _who(record: InteractionRecord) -> list[str]:
    return [p.name or "" for p in record.participants]


# --- group conversations -----------------------------------------------------------------------------------

# A group chat of four: the user (Chris Aldana), Nadia, Ben and Lucía; then a one-to-one with Nadia.
GROUP = _messages(
    _message("2-R1JPVVA=", "Nadia Haddad", f"{IN}nadia-haddad-7a1b2c", "Chris Aldana, Ben Okafor, Lucía Fernández",
             f"{IN}chrisaldana,{IN}benokafor,{IN}lucia-fernandez-pm", "2026-07-20 14:00:00 UTC",
             "Welcome to the Tampa data circle! Ben, Lucía: Chris knows everyone in fintech here.",
             title="Tampa data circle"),
    _message("2-R1JPVVA=", "Ben Okafor", f"{IN}benokafor", "Nadia Haddad, Chris Aldana, Lucía Fernández",
             f"{IN}nadia-haddad-7a1b2c,{IN}chrisaldana,{IN}lucia-fernandez-pm", "2026-07-20 15:10:00 UTC",
             "Thanks Nadia, glad to be here.", title="Tampa data circle"),
    _message("2-R1JPVVA=", "Chris Aldana", f"{IN}chrisaldana", "Nadia Haddad, Ben Okafor, Lucía Fernández",
             f"{IN}nadia-haddad-7a1b2c,{IN}benokafor,{IN}lucia-fernandez-pm", "2026-07-20 16:45:00 UTC",
             "Happy to help, coffee on Friday for all of us?", title="Tampa data circle"),
    _message("2-MTIzNDU2Nzg5MA==", "Nadia Haddad", f"{IN}nadia-haddad-7a1b2c", "Chris Aldana", f"{IN}chrisaldana",
             "2026-07-21 09:00:00 UTC", "Thanks for hosting us."),
)  # fmt: skip


def _group_export() -> list[Record]:
    return list(parse_linkedin_export([("Export/Connections.csv", CONNECTIONS), ("Export/messages.csv", GROUP)]))


def test_a_message_the_user_sent_to_a_group_is_one_outbound_touch_with_each_recipient() -> None:
    records = _interactions(_group_export())
    mine = [r for r in records if r.direction == "outbound"]
    assert len(mine) == 1
    assert _who(mine[0]) == ["Nadia Haddad", "Ben Okafor", "Lucía Fernández"]
    assert [p.profile_url for p in mine[0].participants] == [
        f"{IN}nadia-haddad-7a1b2c", f"{IN}benokafor", f"{IN}lucia-fernandez-pm",
    ]  # fmt: skip
    # Marked apart from a one-to-one message, and the same mark says to whom it went.
    assert mine[0].details == "LinkedIn group message from you to Nadia Haddad, Ben Okafor and Lucía Fernández"


def test_a_message_another_member_sent_to_the_group_is_a_touch_with_its_sender_only() -> None:
    records = _interactions(_group_export())
    inbound = [r for r in records if r.direction == "inbound"]
    # Ben and Lucía received Nadia's welcome as the user did: it is no touch between the user and them.
    assert [_who(r) for r in inbound] == [["Nadia Haddad"], ["Ben Okafor"], ["Nadia Haddad"]]
    assert inbound[0].details == "LinkedIn group message from Nadia Haddad to you, Ben Okafor and Lucía Fernández"
    assert inbound[1].details == "LinkedIn group message from Ben Okafor to Nadia Haddad, you and Lucía Fernández"
    assert inbound[2].details == ""  # the one-to-one message is as it always was


def test_a_co_recipient_the_user_never_wrote_to_joins_nobody(app: App, tmp_path: Path) -> None:
    # Nadia adds the user and Omar, whom the user does not know, to a chat; neither of them writes in it.
    data = _messages(
        _message("c-3", "Nadia Haddad", f"{IN}nadia-haddad-7a1b2c", "Chris Aldana, Omar Siddiqui",
                 f"{IN}chrisaldana,{IN}omar-siddiqui", "2026-08-05 10:00:00 UTC", "You two should meet."),
        _message("c-4", "Ben Okafor", f"{IN}benokafor", "Chris Aldana", f"{IN}chrisaldana",
                 "2026-08-06 10:00:00 UTC", "Are you at the chapter meeting tonight?"),
    )  # fmt: skip
    records = list(parse_linkedin_export([("Connections.csv", CONNECTIONS), ("messages.csv", data)]))
    assert [(r.direction, _who(r)) for r in _interactions(records)] == [
        ("inbound", ["Nadia Haddad"]), ("inbound", ["Ben Okafor"]),
    ]  # fmt: skip
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Connections.csv").write_bytes(CONNECTIONS)
    (folder / "messages.csv").write_bytes(data)
    import_paths(app, "linkedin", [str(folder)])
    with app.begin() as conn:
        names = set(conn.execute(select(people.c.name).where(~people.c.is_me)).scalars())
    assert names == {"Nadia Haddad", "Ben Okafor", "Lucía Fernández"}


def test_recipients_separated_by_semicolons_are_several_people() -> None:
    data = _messages(
        _message("c-7", "Chris Aldana", f"{IN}chrisaldana", "Nadia Haddad; Ben Okafor",
                 f"{IN}nadia-haddad-7a1b2c; {IN}benokafor", "2026-08-01 10:00:00 UTC", "Intro: Nadia, meet Ben."),
    )  # fmt: skip
    records = list(parse_linkedin_export([("Connections.csv", CONNECTIONS), ("messages.csv", data)]))
    (only,) = _interactions(records)
    assert only.direction == "outbound"
    assert [(p.name, p.profile_url) for p in only.participants] == [
        ("Nadia Haddad", f"{IN}nadia-haddad-7a1b2c"), ("Ben Okafor", f"{IN}benokafor"),
    ]  # fmt: skip


def test_a_message_the_user_is_not_on_is_never_a_touch() -> None:
    data = _messages(
        _message("c-1", "Nadia Haddad", f"{IN}nadia-haddad-7a1b2c", "Chris Aldana", f"{IN}chrisaldana",
                 "2026-08-01 10:00:00 UTC", "Hi Chris"),
        _message("c-1", "Chris Aldana", f"{IN}chrisaldana", "Nadia Haddad", f"{IN}nadia-haddad-7a1b2c",
                 "2026-08-01 11:00:00 UTC", "Hi Nadia"),
        _message("c-2", "Nadia Haddad", f"{IN}nadia-haddad-7a1b2c", "Ben Okafor", f"{IN}benokafor",
                 "2026-08-02 10:00:00 UTC", "Ben, a question for you only"),
    )  # fmt: skip
    records = list(parse_linkedin_export([("Connections.csv", CONNECTIONS), ("messages.csv", data)]))
    assert [_who(r) for r in _interactions(records)] == [["Nadia Haddad"], ["Nadia Haddad"]]
    (issue,) = _issues(records)
    assert issue.origin == "messages.csv:4" and "you are neither its sender nor among its recipients" in issue.reason


def test_a_2018_group_message_from_a_member_is_a_touch_with_its_sender_only() -> None:
    data = (
        b"From,To,Date,Subject,Content,Direction,Folder\n"
        b'Kavita Rao,"Arjun Mehta, Ravi Shankar","3/2/18, 9:15 AM",Dinner,Friday?,OUTGOING,SENT\n'
        b'Ravi Shankar,"Kavita Rao, Arjun Mehta","3/2/18, 9:40 AM",RE: Dinner,I am in.,INCOMING,INBOX\n'
    )
    records = _interactions(list(parse_linkedin_file(data, "Messages.csv")))
    assert [(r.direction, _who(r)) for r in records] == [
        ("outbound", ["Arjun Mehta", "Ravi Shankar"]), ("inbound", ["Ravi Shankar"]),
    ]  # fmt: skip


def test_a_2022_group_conversation_without_recipient_urls() -> None:
    data = (
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
        f'2-Q0hBUFRFUg==,,Aisha Bello,{IN}aisha-bello-phd,"Chris Aldana, Greg Ortiz",2022-09-08 18:08:14 UTC,,'
        "Chapter board call on Monday?,INBOX\n"
        f'2-Q0hBUFRFUg==,,Greg Ortiz,{IN}gregortiz,"Aisha Bello, Chris Aldana",2022-09-08 18:30:00 UTC,,'
        "Works for me.,INBOX\n"
        f'2-Q0hBUFRFUg==,,Chris Aldana,{IN}chrisaldana,"Aisha Bello, Greg Ortiz",2022-09-08 19:30:02 UTC,,'
        "Monday 9am then.,INBOX\n"
    ).encode()
    invitations = b'From,To,Sent At,Message,Direction\nChris Aldana,Aisha Bello,"9/1/22, 2:03 PM",,OUTGOING\n'
    records = list(parse_linkedin_export([("messages.csv", data), ("Invitations.csv", invitations)]))
    messages = [r for r in _interactions(records) if r.origin.startswith("messages")]
    assert [(r.direction, _who(r)) for r in messages] == [
        ("inbound", ["Aisha Bello"]), ("inbound", ["Greg Ortiz"]), ("outbound", ["Aisha Bello", "Greg Ortiz"]),
    ]  # fmt: skip
    # Recipient URLs come from the same conversation, where each was a sender.
    assert [p.profile_url for p in messages[2].participants] == [f"{IN}aisha-bello-phd", f"{IN}gregortiz"]


def test_a_group_message_to_more_people_than_an_email_may_have_is_skipped_as_email_is() -> None:
    names = [f"Member {chr(65 + n)}" for n in range(16)]
    urls = [f"{IN}member-{n}" for n in range(16)]
    data = _messages(
        _message("c-big", "Chris Aldana", f"{IN}chrisaldana", ", ".join(names), ",".join(urls),
                 "2026-08-03 08:00:00 UTC", "Thanks all for coming to the meetup!"),
        _message("c-big", "Member A", f"{IN}member-0", ", ".join(["Chris Aldana", *names[1:]]),
                 ",".join([f"{IN}chrisaldana", *urls[1:]]), "2026-08-03 09:00:00 UTC", "Thanks Chris!"),
    )  # fmt: skip
    records = list(parse_linkedin_export([("Connections.csv", CONNECTIONS), ("messages.csv", data)]))
    assert not _interactions(records)
    assert [i.reason for i in _issues(records)] == [
        "a group message to 16 people besides its sender (more than 15): no personal exchange, skipped as such "
        "email is",
    ] * 2


def test_the_user_under_a_name_their_url_tells_is_still_the_user() -> None:
    # 2022 layouts give no recipient URLs: the user, renamed since, is known in a conversation by the URL they
    # sent with there.
    data = (
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
        f"c-1,,Chris Aldana-Moore,{IN}chrisaldana,Aisha Bello,2022-09-08 18:00:00 UTC,,Hello!,INBOX\n"
        f"c-1,,Aisha Bello,{IN}aisha-bello-phd,Chris Aldana-Moore,2022-09-08 19:00:00 UTC,,Hi Chris,INBOX\n"
        f"c-2,,Chris Aldana,{IN}chrisaldana,Greg Ortiz,2024-01-08 18:00:00 UTC,,New name!,INBOX\n"
        f"c-2,,Greg Ortiz,{IN}gregortiz,Chris Aldana,2024-01-08 19:00:00 UTC,,Congrats,INBOX\n"
        f"c-3,,Chris Aldana,{IN}chrisaldana,Dana Whitfield,2024-02-08 18:00:00 UTC,,Lunch?,INBOX\n"
    ).encode()
    records = list(parse_linkedin_file(data, "messages.csv"))
    assert [(r.direction, _who(r)) for r in _interactions(records)] == [
        ("outbound", ["Aisha Bello"]), ("inbound", ["Aisha Bello"]), ("outbound", ["Greg Ortiz"]),
        ("inbound", ["Greg Ortiz"]), ("outbound", ["Dana Whitfield"]),
    ]  # fmt: skip


# --- invitations -------------------------------------------------------------------------------------------

INVITATIONS = (
    "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
    # accepted: Nadia is a connection
    f'Chris Aldana,Nadia Haddad,"7/9/26, 10:02 AM",Great talk!,OUTGOING,{IN}chrisaldana,{IN}nadia-haddad-7a1b2c\n'
    # never accepted, and no word since
    f'Chris Aldana,Omar Siddiqui,"7/12/26, 8:15 AM",,OUTGOING,{IN}chrisaldana,{IN}omar-siddiqui\n'
    # not accepted (yet), but they wrote to each other
    f'Chris Aldana,Dana Whitfield,"7/14/26, 6:00 PM",,OUTGOING,{IN}chrisaldana,{IN}danawhitfield\n'
    # received and accepted: Ben is a connection
    f'Ben Okafor,Chris Aldana,"5/20/26, 7:45 PM",,INCOMING,{IN}benokafor,{IN}chrisaldana\n'
    # received, never accepted
    f'Rita Recruiter,Chris Aldana,"8/1/26, 9:00 AM",Great opportunity!,INCOMING,{IN}rita-talent,{IN}chrisaldana\n'
    f'Victor Sales,Chris Aldana,"8/2/26, 9:00 AM",,INCOMING,{IN}victor-sales,{IN}chrisaldana\n'
).encode()
DANA = _messages(
    _message("c-9", "Chris Aldana", f"{IN}chrisaldana", "Dana Whitfield", f"{IN}danawhitfield",
             "2026-07-14 18:05:00 UTC", "Hi Dana, just sent you an invitation."),
)  # fmt: skip
SENT_NOT_ACCEPTED = "an invitation you sent that was not accepted (not a connection, no message): left out"
RECEIVED_NOT_ACCEPTED = "an invitation you received and did not accept (not a connection, no message): left out"


def test_only_invitations_the_rest_of_the_export_confirms_are_kept() -> None:
    files = [("Connections.csv", CONNECTIONS), ("Invitations.csv", INVITATIONS), ("messages.csv", DANA)]
    records = list(parse_linkedin_export(files))
    invitations = [r for r in _interactions(records) if r.origin.startswith("Invitations")]
    assert [(r.direction, _who(r)) for r in invitations] == [
        ("outbound", ["Nadia Haddad"]), ("outbound", ["Dana Whitfield"]), ("inbound", ["Ben Okafor"]),
    ]  # fmt: skip
    assert [(i.origin, i.reason) for i in _issues(records)] == [
        ("Invitations.csv:3", SENT_NOT_ACCEPTED),
        ("Invitations.csv:6", RECEIVED_NOT_ACCEPTED),
        ("Invitations.csv:7", RECEIVED_NOT_ACCEPTED),
    ]


def test_a_2018_invitation_is_confirmed_by_name() -> None:
    connections = (
        b'First Name,Last Name,Email Address,Company,Position,Connected On\nMarcus,Lee,,,,"10/30/18, 4:20 PM"\n'
    )
    invitations = (
        b"From,To,Sent At,Message,Direction\n"
        b'Chris Aldana,Marcus Lee,"10/30/18, 4:02 PM","Great meeting you, Marcus.",OUTGOING\n'
        b'Priya Natarajan,Chris Aldana,"11/2/18, 7:45 PM",,INCOMING\n'
    )
    records = list(parse_linkedin_export([("Connections.csv", connections), ("Invitations.csv", invitations)]))
    assert [_who(r) for r in _interactions(records)] == [["Marcus Lee"]]
    assert [i.reason for i in _issues(records)] == [RECEIVED_NOT_ACCEPTED]


def test_invitations_without_connections_to_check_them_against_are_left_out_and_say_why() -> None:
    records = list(parse_linkedin_export([("Invitations.csv", INVITATIONS), ("messages.csv", DANA)]))
    # Dana is on a message; of the others, nothing in this import tells whether they were accepted.
    assert [_who(r) for r in _interactions(records) if r.origin.startswith("Invitations")] == [["Dana Whitfield"]]
    reasons = [i.reason for i in _issues(records)]
    assert len(reasons) == 5
    assert set(reasons) == {
        "an invitation left out: without Connections.csv in the same import it cannot be told whether it was "
        "accepted (import the whole export, its zip or its folder)"
    }


def test_reading_invitations_alone_still_reads_every_row() -> None:
    # One file read on its own is read whole; the whole export is what judges which invitations were accepted.
    records = list(parse_linkedin_file(INVITATIONS, "Invitations.csv"))
    assert len(_interactions(records)) == 6


def test_unaccepted_invitations_add_nobody_to_the_network(app: App, tmp_path: Path) -> None:
    folder = tmp_path / "Basic_LinkedInDataExport_12-01-2026"
    folder.mkdir()
    (folder / "Connections.csv").write_bytes(CONNECTIONS)
    (folder / "Invitations.csv").write_bytes(INVITATIONS)
    (folder / "messages.csv").write_bytes(DANA)
    report = import_paths(app, "linkedin", [str(folder)])
    with app.begin() as conn:
        names = set(conn.execute(select(people.c.name).where(~people.c.is_me)).scalars())
    assert names == {"Nadia Haddad", "Ben Okafor", "Lucía Fernández", "Dana Whitfield"}
    (unit,) = report.as_dict()["files"]
    reasons = [s["reason"] for s in unit["skipped"]]
    assert reasons.count(SENT_NOT_ACCEPTED) == 1 and reasons.count(RECEIVED_NOT_ACCEPTED) == 2


def test_files_named_one_by_one_are_judged_as_one_export(app: App, tmp_path: Path) -> None:
    for name, data in (("Connections.csv", CONNECTIONS), ("Invitations.csv", INVITATIONS), ("messages.csv", DANA)):
        (tmp_path / name).write_bytes(data)
    named = [str(tmp_path / n) for n in ("Connections.csv", "Invitations.csv", "messages.csv")]
    report = import_paths(app, "linkedin", named)
    with app.begin() as conn:
        names = set(conn.execute(select(people.c.name).where(~people.c.is_me)).scalars())
    assert names == {"Nadia Haddad", "Ben Okafor", "Lucía Fernández", "Dana Whitfield"}
    (unit,) = report.as_dict()["files"]  # one export, as the folder is
    reasons = [s["reason"] for s in unit["skipped"]]
    assert reasons.count(SENT_NOT_ACCEPTED) == 1 and reasons.count(RECEIVED_NOT_ACCEPTED) == 2


# --- file names --------------------------------------------------------------------------------------------

INVITATION = b'From,To,Sent At,Message,Direction\nChris Aldana,Nadia Haddad,"7/9/26, 10:02 AM",,OUTGOING\n'


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("Connections (1).csv", CONNECTIONS, ContactRecord),
        ("Connections(2).csv", CONNECTIONS, ContactRecord),
        ("Downloads/messages (3).csv", GROUP, InteractionRecord),
        ("Invitations - Copy.csv", INVITATION, InteractionRecord),
        ("Connections copy.csv", CONNECTIONS, ContactRecord),
        ("Copy of Connections.csv", CONNECTIONS, ContactRecord),
        ("Invitations - Copy (2).csv", INVITATION, InteractionRecord),
    ],
)
def test_a_renamed_download_is_read_by_its_name(name: str, data: bytes, kind: type) -> None:
    assert is_linkedin_file(name)
    records = list(parse_linkedin_file(data, name))
    assert records and all(isinstance(r, kind) for r in records if not isinstance(r, ParseIssue))


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("linkedin-contacts-2026.csv", CONNECTIONS, ContactRecord),
        ("export.csv", GROUP, InteractionRecord),
        ("sent_requests.csv", INVITATION, InteractionRecord),
        ("Connections_backup.csv", CONNECTIONS.decode().encode("utf-16"), ContactRecord),
    ],
)
def test_a_file_named_otherwise_is_read_by_its_header_row(name: str, data: bytes, kind: type) -> None:
    records = list(parse_linkedin_file(data, name))
    assert records and all(isinstance(r, kind) for r in records if not isinstance(r, ParseIssue))


@pytest.mark.parametrize(
    "data",
    [
        b"First Name,Last Name,Company\nAna,Lima,Acme\n",  # a contacts CSV: no Connected On
        b"Name,Given Name,E-mail 1 - Value\nAna,Ana,ana@example.com\n",
        b"\x00\x01\x02binary",
        b"",
    ],
)
def test_a_file_neither_named_nor_shaped_like_linkedin_is_refused_by_name(data: bytes) -> None:
    with pytest.raises(UnreadableFileError, match=r"^Downloads/contacts\.csv: not a LinkedIn export file"):
        parse_linkedin_file(data, "Downloads/contacts.csv")


def test_an_export_finds_its_files_by_name_variant_and_header_and_leaves_the_rest() -> None:
    files = [
        ("Basic_LinkedInDataExport_12-01-2026/Connections (1).csv", CONNECTIONS),
        ("Basic_LinkedInDataExport_12-01-2026/Invitations - Copy.csv", INVITATION),
        ("Basic_LinkedInDataExport_12-01-2026/chats.csv", GROUP),
        ("Basic_LinkedInDataExport_12-01-2026/Profile.csv", b"First Name,Last Name,Headline\nChris,Aldana,Hi\n"),
        # LinkedIn's own coach conversations: shaped like messages, with no person in them
        ("Basic_LinkedInDataExport_12-01-2026/guide_messages.csv", GROUP),
        ("__MACOSX/Basic_LinkedInDataExport_12-01-2026/._Connections.csv", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac"),
    ]
    records = list(parse_linkedin_export(files))
    assert {r.origin.split(":")[0] for r in records} == {
        "Basic_LinkedInDataExport_12-01-2026/Connections (1).csv",
        "Basic_LinkedInDataExport_12-01-2026/Invitations - Copy.csv",
        "Basic_LinkedInDataExport_12-01-2026/chats.csv",
    }
    assert not _issues(records)


def test_an_export_of_no_linkedin_file_says_how_it_looked() -> None:
    with pytest.raises(
        UnreadableFileError, match=r"in it; is this a LinkedIn export\? .*by its name or its header row"
    ):
        list(parse_linkedin_export([("notes.csv", b"a,b\n1,2\n")]))


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_with_its_files_in_a_subfolder_imports(app: App, tmp_path: Path) -> None:
    export = _zip(tmp_path / "Basic_LinkedInDataExport_12-01-2026.zip", {
        "Basic_LinkedInDataExport_12-01-2026/Connections.csv": CONNECTIONS,
        "Basic_LinkedInDataExport_12-01-2026/messages (1).csv": GROUP,
        "Basic_LinkedInDataExport_12-01-2026/Profile.csv": b"First Name,Last Name\nChris,Aldana\n",
    })  # fmt: skip
    report = import_paths(app, "linkedin", [str(export)])
    assert not report.failed
    totals = report.totals()
    assert totals["added"] == 3 and totals["interactions added"] == 4


def test_a_renamed_download_imports_alone(app: App, tmp_path: Path) -> None:
    path = tmp_path / "Connections (1).csv"
    path.write_bytes(CONNECTIONS)
    report = import_paths(app, "linkedin", [str(path)])
    assert not report.failed and report.totals()["added"] == 3


def test_the_cli_names_a_file_that_is_no_linkedin_file(cli: Cli, tmp_path: Path) -> None:
    assert cli("init", "--name", "Chris Aldana").code == 0
    path = tmp_path / "Contacts (1).csv"
    path.write_bytes(b"First Name,Last Name,Company\nAna,Lima,Acme\n")
    result = cli("import", "linkedin", str(path), "--json")
    assert result.code == 1 and "Traceback" not in result.out + result.err
    (unit,) = json.loads(result.out)["files"]
    assert unit["failed"] is True and "Contacts (1).csv" in unit["error"]
    assert "is this a LinkedIn export?" in unit["error"]
