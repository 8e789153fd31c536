"""The sources `heard` reads beyond messages and notes, on a real SQLite file: mail bodies where the user kept
them (mbox and maildir imports with --bodies), calendar descriptions, and sources turned off for good."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from givefirst.domain.model import Direction, InteractionKind
from givefirst.errors import InvalidInputError
from givefirst.services import heard
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.importer import ImportOptions, import_paths
from givefirst.services.people import PersonInput, add_person, edit_person
from givefirst.store.schema import interactions, mail_bodies

ME = "jordan@example.com"
PRIYA_ASK = "We're looking for a bookkeeper who knows restaurant payroll in Tampa."


def mail(sender: str, to: str, subject: str, when: datetime, body: str, mid: str) -> bytes:
    """One real-shaped message, as an mbox holds it after its From_ line."""
    head = [f"From: {sender}", f"To: {to}", f"Subject: {subject}", f"Date: {format_datetime(when.replace(tzinfo=UTC))}",
            f"Message-ID: <{mid}>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]  # fmt: skip
    return ("\n".join(head) + "\n\n" + body.rstrip("\n") + "\n").encode()


def write_mbox(path: Path, *messages: bytes) -> str:
    path.write_bytes(b"".join(b"From x@example.com Mon Jan  1 00:00:00 2024\n" + m + b"\n" for m in messages))
    return str(path)


PRIYA = mail("Priya Natarajan <priya@example.com>", f"Jordan <{ME}>", "Re: lunch", datetime(2022, 5, 3, 14),
             f"Hi Jordan,\n\n{PRIYA_ASK} Do you know anyone?\n\nOn Mon, 2 May 2022 Jordan <{ME}> wrote:\n"
             "> I'm looking for a new dentist.\n", "p1@example.com")  # fmt: skip
REPLY = mail(f"Jordan <{ME}>", "Priya Natarajan <priya@example.com>", "Re: lunch", datetime(2022, 5, 3, 16),
             "I'll ask around.\n\nBest,\nJordan\n", "j1@example.com")  # fmt: skip


def _bodies(app: App) -> dict[str, str]:
    with app.begin() as conn:
        return {str(k): str(b) for k, b in conn.execute(select(mail_bodies.c.message_key, mail_bodies.c.body))}


def _import(app: App, kind: str, path: str, bodies: bool = False) -> dict[str, int]:
    report = import_paths(app, kind, [path], ImportOptions(me=frozenset({ME}), bodies=bodies))
    assert not report.failed, report.as_dict()
    return report.totals()


def test_mail_is_headers_only_unless_bodies_are_turned_on(app: App, tmp_path: Path) -> None:
    box = write_mbox(tmp_path / "all.mbox", PRIYA, REPLY)
    assert _import(app, "mbox", box)["interactions added"] == 2
    assert _bodies(app) == {}
    assert heard.scan(app).read == 0  # no body kept: emails are not read (their subjects only with --mail)

    _import(app, "mbox", box, bodies=True)  # the same file again, now with bodies: nothing added twice
    kept = _bodies(app)
    assert set(kept) == {"p1@example.com", "j1@example.com"}
    assert kept["p1@example.com"] == f"Hi Jordan,\n\n{PRIYA_ASK} Do you know anyone?"
    assert kept["j1@example.com"] == "I'll ask around."  # the sign-off and name are the signature
    with app.begin() as conn:
        assert conn.execute(select(func.count()).select_from(interactions)).scalar_one() == 2

    report = heard.scan(app)
    assert report.read == 2
    [c] = heard.list_candidates(app)
    assert (c["person"], c["kind"]) == ("Priya Natarajan", "need") and PRIYA_ASK in c["sentence"]
    assert c["provenance"] == "from an email, 3 May 2022"
    assert not any("dentist" in x["sentence"] for x in heard.list_candidates(app, "all"))  # quoted: cut

    _import(app, "mbox", box, bodies=True)  # a re-import keeps nothing new and gives heard nothing to read
    assert _bodies(app) == kept and heard.scan(app).read == 0


def test_a_body_kept_aside_with_its_one_way_message_is_heard_once_the_reply_arrives(app: App, tmp_path: Path) -> None:
    inbox = write_mbox(tmp_path / "Inbox.mbox", PRIYA)
    totals = _import(app, "mbox", inbox, bodies=True)
    assert totals.get("interactions added", 0) == 0  # one-way so far: kept aside, with its body
    assert set(_bodies(app)) == {"p1@example.com"} and heard.scan(app).read == 0

    sent = write_mbox(tmp_path / "Sent.mbox", REPLY)
    assert _import(app, "mbox", sent)["interactions added"] == 2  # the Sent folder, headers only
    heard.scan(app)
    assert [c["person"] for c in heard.list_candidates(app)] == ["Priya Natarajan"]


def test_a_maildir_keeps_bodies_too_and_bodies_are_only_for_mail(app: App, tmp_path: Path) -> None:
    maildir = tmp_path / "Mail"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "cur" / "1:2,S").write_bytes(PRIYA)
    (maildir / "cur" / "2:2,S").write_bytes(REPLY)
    _import(app, "maildir", str(maildir), bodies=True)
    assert set(_bodies(app)) == {"p1@example.com", "j1@example.com"}
    with app.begin() as conn:
        assert {str(s) for s in conn.execute(select(mail_bodies.c.source)).scalars()} == {"maildir"}
    with pytest.raises(InvalidInputError, match="--bodies is for mail"):
        import_paths(app, "vcard", [str(maildir)], ImportOptions(bodies=True))


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//givefirst tests//heard//EN
BEGIN:VEVENT
UID:lunch-ana@example.org
DTSTAMP:20261101T120000Z
DTSTART:20261110T170000Z
DTEND:20261110T180000Z
SUMMARY:Lunch with Ana
DESCRIPTION:{description}
ORGANIZER;CN=Jordan:mailto:jordan@example.com
ATTENDEE;CN=Jordan;PARTSTAT=ACCEPTED:mailto:jordan@example.com
ATTENDEE;CN=Ana Ruiz;PARTSTAT=ACCEPTED:mailto:ana@example.org
END:VEVENT
END:VCALENDAR
"""


def _ics(path: Path, description: str) -> str:
    path.write_text(ICS.format(description=description), encoding="utf-8")
    return str(path)


def test_a_calendar_description_is_kept_without_its_dial_in_and_read_as_a_note(app: App, tmp_path: Path) -> None:
    first = "Agenda: catch up.\\nShe needs a refrigerated truck for Saturdays.\\n\\nJoin Zoom Meeting\\n" \
            "https://zoom.us/j/123\\nMeeting ID: 123 456"  # fmt: skip
    totals = _import(app, "ics", _ics(tmp_path / "cal.ics", first))
    assert totals["interactions added"] == 1
    with app.begin() as conn:
        details = conn.execute(select(interactions.c.details)).scalar_one()
    assert details == "Agenda: catch up.\nShe needs a refrigerated truck for Saturdays."
    heard.scan(app)
    [c] = heard.list_candidates(app)
    assert (c["person"], c["kind"]) == ("Ana Ruiz", "need") and "refrigerated truck" in c["sentence"]
    assert c["provenance"] == "from a calendar meeting, 10 November 2026"

    assert _import(app, "ics", _ics(tmp_path / "cal.ics", first))["interactions unchanged"] == 1
    assert heard.scan(app).read == 0  # the same description: nothing to read again
    edited = first.replace("catch up.", "catch up. We have two spare tickets to the Rays game.")
    assert _import(app, "ics", _ics(tmp_path / "cal.ics", edited))["interactions updated"] == 1
    report = heard.scan(app)
    assert report.read == 1 and report.proposed == 1 and report.already_known == 1  # the truck: proposed before
    assert {(c["person"], c["kind"]) for c in heard.list_candidates(app)} == {("Ana Ruiz", "need"), ("you", "offer")}


@pytest.fixture
def people(app: App) -> App:
    for name in ("Priya Natarajan", "Marcus Bell"):
        add_person(app, PersonInput(name=name))
    return app


def _linkedin(app: App, who: str, text: str) -> None:
    log_interaction(app, [who], kind=InteractionKind.MESSAGE, direction=Direction.INBOUND, summary=text,
                    at=datetime(2026, 11, 20, 9, 0), source="linkedin")  # fmt: skip


def test_a_source_turned_off_is_remembered_not_read_and_its_candidates_wait(people: App) -> None:
    _linkedin(people, "Priya Natarajan", "I'm looking for a warehouse in Lakeland.")
    heard.scan(people)
    assert heard.count_open(people) == 1

    assert heard.set_source(people, "LinkedIn", False) == {"source": "linkedin", "on": False}
    assert heard.list_candidates(people) == [] and heard.count_open(people) == 0  # waits while off
    _linkedin(people, "Marcus Bell", "Do you know a good forklift mechanic?")
    report = heard.scan(people)  # no --without: the setting is remembered
    assert report.read == 0 and report.sources_off == ["linkedin"]
    listed = {s["source"]: s for s in heard.sources(people)}
    assert listed["linkedin"]["on"] is False and listed["linkedin"]["texts"] == 2
    assert listed["notes"]["on"] is True

    heard.set_source(people, "linkedin", True)
    assert heard.scan(people).read == 1  # what came while it was off is read now
    assert {c["person"] for c in heard.list_candidates(people)} == {"Priya Natarajan", "Marcus Bell"}


def test_notes_off_and_a_source_not_imported_yet(people: App) -> None:
    heard.set_source(people, "notes", False)
    heard.set_source(people, "mbox", False)  # known, though nothing came from it yet
    edit_person(people, "Marcus Bell", PersonInput(notes="He needs a forklift mechanic in Lakeland."))
    assert heard.scan(people).read == 0
    assert {s["source"]: s["on"] for s in heard.sources(people)} == {"notes": False, "mbox": False}
    with pytest.raises(InvalidInputError, match="no source 'gmail' to hear from"):
        heard.set_source(people, "gmail", False)


def test_kept_bodies_descriptions_and_source_settings_are_in_the_backup(
    app: App, other_app: App, tmp_path: Path
) -> None:
    from givefirst.services.backup import export_json, restore

    _import(app, "mbox", write_mbox(tmp_path / "all.mbox", PRIYA, REPLY), bodies=True)
    _import(app, "ics", _ics(tmp_path / "cal.ics", "She needs a refrigerated truck for Saturdays."))
    heard.set_source(app, "linkedin", False)
    heard.scan(app)
    backup = export_json(app)
    path = tmp_path / "backup.json"
    path.write_bytes(backup.data)
    restore(other_app, path)
    assert _bodies(other_app) == _bodies(app) and len(_bodies(app)) == 2
    with other_app.begin() as conn:
        assert conn.execute(select(interactions.c.details).where(interactions.c.details.is_not(None))).scalar_one() \
            == "She needs a refrigerated truck for Saturdays."  # fmt: skip
    assert heard.sources(other_app) == heard.sources(app)
    assert heard.list_candidates(other_app) == heard.list_candidates(app) and heard.scan(other_app).read == 0
