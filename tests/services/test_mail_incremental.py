"""Mail imported in several runs, in any order, in several formats and folders, stores what one run of it all
stores: the same people, one interaction per message, the one-way correspondents left out until they answer."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from givefirst.config import Settings
from givefirst.ingest.mail_identity import legacy_key
from givefirst.services.context import App, open_app
from givefirst.services.importer import ImportOptions, ImportReport, import_paths
from givefirst.services.people import PersonInput, add_person
from givefirst.store import mail as mail_store
from givefirst.store.schema import interactions
from tests.conftest import NOW
from tests.services.mail_samples import ME, Mail, Mailbox, sample_mailbox, snapshot, write_maildir, write_mbox


def imported(app: App, kind: str, *paths: Path, me: tuple[str, ...] = (ME,), dry_run: bool = False) -> ImportReport:
    report = import_paths(app, kind, [str(p) for p in paths], ImportOptions(me=frozenset(me), dry_run=dry_run))
    assert not report.failed, report.failed
    return report


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[App]:
    """A second SQLite database, for the reference import: one run of all the mail."""
    application = open_app(Settings(database=str(tmp_path / "reference.db"), today=NOW.date()), now=NOW)
    yield application
    application.close()


@pytest.fixture
def reference(fresh: App, tmp_path: Path) -> dict[str, object]:
    box = sample_mailbox()
    inbox, sent = (
        write_mbox(tmp_path / "ref" / "Inbox", box.folder("inbox")),
        write_mbox(tmp_path / "ref" / "Sent", box.folder("sent")),
    )
    imported(fresh, "mbox", inbox, sent)
    return snapshot(fresh)


def test_one_run_of_the_sample_counts_as_a_careful_human_would(reference: dict[str, object]) -> None:
    people = dict(reference["people"])  # type: ignore[call-overload]
    assert people == {
        "Ana Lima": ("ana@example.com",), "Dee Novak": ("dee@example.com",), "Fay Wong": ("fay@example.com",),
        "Gus Berg": ("gus@example.com",), "Hal Sato": ("hal..x@example.jp",), "Ivy Chen": ("ivy@example.com",),
    }  # fmt: skip  # Ben, Cy and Jon never both wrote and heard back; Eve was only copied; Hal has his address
    mails = reference["interactions"]
    assert len(mails) == 14  # type: ignore[arg-type]
    group = [m for m in mails if m[2] == "Introducing you two"]  # type: ignore[attr-defined]
    assert group == [
        ("2025-03-03T18:00:00", "outbound", "Introducing you two", ("fay@example.com", "gus@example.com"), True)
    ]
    assert all(m[4] for m in mails)  # type: ignore[attr-defined]  # every email keyed on its message


@pytest.mark.parametrize("first", ["inbox", "sent"])
def test_inbox_and_sent_in_two_runs_give_what_one_run_gives(
    app: App, tmp_path: Path, reference: dict[str, object], first: str
) -> None:
    box = sample_mailbox()
    files = {name: write_mbox(tmp_path / name / "mail.mbox", box.folder(name)) for name in ("inbox", "sent")}
    second = "sent" if first == "inbox" else "inbox"
    one = imported(app, "mbox", files[first])
    assert one.totals().get("interactions added", 0) == 0  # nobody is two-way yet: all of it kept aside
    two = imported(app, "mbox", files[second])
    assert two.totals()["interactions added"] == 14
    assert snapshot(app) == reference
    with app.begin() as conn:  # only the mail of those who never both wrote and heard back still waits
        waiting = {address for m in mail_store.pending_messages(conn) for address, _ in m.people if address != ME}
    known = {email for _, emails in snapshot(app)["people"] for email in emails}  # type: ignore[attr-defined]
    assert waiting - known == {"ben@example.com", "cy@example.com", "jon@example.com", "eve@example.com"}
    later = Mailbox()
    later.add("inbox", "ana@example.com", ME, "Next month?", 900, message_id="later.1@mail.example")
    report = imported(app, "mbox", write_mbox(tmp_path / "later.mbox", later.mails))
    # Dee's message (Eve copied) is judged again, but this file did not hold it: only the new message is reported
    assert report.totals() == {"interactions added": 1}


@pytest.mark.parametrize("seed", range(6))
def test_any_split_in_any_order_gives_what_one_run_gives(
    tmp_path: Path, reference: dict[str, object], seed: int
) -> None:
    """Property-style: the mailbox dealt at random into two to four files, imported one by one in a random order,
    in mbox or maildir form at random, always ends as the one run of it all."""
    rng = random.Random(seed)
    mails = sample_mailbox().mails
    parts: list[list[Mail]] = [[] for _ in range(rng.randint(2, 4))]
    for mail in mails:
        rng.choice(parts).append(mail)
    application = open_app(Settings(database=str(tmp_path / f"split{seed}.db"), today=NOW.date()), now=NOW)
    try:
        for number, part in enumerate(parts):
            if not part:
                continue
            if rng.random() < 0.5:
                imported(application, "mbox", write_mbox(tmp_path / f"part{number}.mbox", part))
            else:
                imported(application, "maildir", write_maildir(tmp_path / f"part{number}", part))
        assert snapshot(application) == reference
    finally:
        application.close()


def test_inbox_as_maildir_and_sent_as_mbox(app: App, tmp_path: Path, reference: dict[str, object]) -> None:
    box = sample_mailbox()
    imported(app, "maildir", write_maildir(tmp_path / "Inbox", box.folder("inbox")))
    imported(app, "mbox", write_mbox(tmp_path / "Sent.mbox", box.folder("sent")))
    assert snapshot(app) == reference


def test_the_same_mail_as_mbox_and_as_maildir_is_stored_once(
    app: App, tmp_path: Path, reference: dict[str, object]
) -> None:
    box = sample_mailbox()
    imported(app, "mbox", write_mbox(tmp_path / "Inbox.mbox", box.folder("inbox")),
             write_mbox(tmp_path / "Sent.mbox", box.folder("sent")))  # fmt: skip
    again = imported(app, "maildir", write_maildir(tmp_path / "md" / "Inbox", box.folder("inbox")),
                     write_maildir(tmp_path / "md" / "Sent", box.folder("sent")))  # fmt: skip
    assert again.totals().get("interactions added", 0) == 0
    assert again.totals()["interactions unchanged"] == 14
    assert snapshot(app) == reference


def test_an_all_mail_folder_beside_sent_is_stored_once(app: App, tmp_path: Path, reference: dict[str, object]) -> None:
    """An "All documents" folder holds copies of the Inbox and of Sent: in one command or two, each message once."""
    box = sample_mailbox()
    everything = write_mbox(tmp_path / "All mail", box.mails)
    sent = write_mbox(tmp_path / "Sent", box.folder("sent"))
    report = imported(app, "mbox", everything, sent)
    assert report.totals()["interactions added"] == 14
    assert snapshot(app) == reference
    imported(app, "mbox", sent)
    assert snapshot(app) == reference


def test_mail_with_someone_already_in_the_network_counts_both_ways(app: App, tmp_path: Path) -> None:
    """Ben never got an answer, but the user added him by hand: his messages are touchpoints."""
    add_person(app, PersonInput(name="Ben Okafor", emails=["ben@example.com"]))
    box = sample_mailbox()
    imported(app, "mbox", write_mbox(tmp_path / "Inbox", box.folder("inbox")))
    mails = snapshot(app)["interactions"]
    assert [m[2] for m in mails if m[3] == ("ben@example.com",)] == ["Quick pitch", "Following up"]


def test_mail_kept_aside_is_imported_once_its_correspondent_is_known(app: App, tmp_path: Path) -> None:
    box = sample_mailbox()
    inbox = write_mbox(tmp_path / "Inbox", box.folder("inbox"))
    imported(app, "mbox", inbox)
    assert snapshot(app)["interactions"] == []
    add_person(app, PersonInput(name="Ben Okafor", emails=["ben@example.com"]))
    report = imported(app, "mbox", write_mbox(tmp_path / "Later", box.folder("inbox")[:1]))  # any later mail import
    assert report.totals()["interactions added"] == 2  # Ben's two messages, kept aside until now
    assert {m[2] for m in snapshot(app)["interactions"]} == {"Quick pitch", "Following up"}


def test_a_dry_run_keeps_nothing_aside(app: App, tmp_path: Path) -> None:
    inbox = write_mbox(tmp_path / "Inbox", sample_mailbox().folder("inbox"))
    imported(app, "mbox", inbox, dry_run=True)
    with app.begin() as conn:
        assert mail_store.count_pending(conn) == 0
    imported(app, "mbox", inbox)
    with app.begin() as conn:
        assert mail_store.count_pending(conn) > 0


def test_importing_again_in_any_order_adds_nothing(app: App, tmp_path: Path, reference: dict[str, object]) -> None:
    box = sample_mailbox()
    inbox, sent = write_mbox(tmp_path / "Inbox", box.folder("inbox")), write_mbox(tmp_path / "Sent", box.folder("sent"))
    for paths in ([inbox], [inbox], [sent], [sent], [inbox, sent], [inbox]):
        imported(app, "mbox", *paths)
    assert snapshot(app) == reference
    report = imported(app, "mbox", inbox, sent)
    assert report.totals().get("interactions added", 0) == 0 and report.totals().get("added", 0) == 0


def test_a_message_without_message_id_stored_by_an_earlier_version_is_not_stored_again(
    app: App, tmp_path: Path
) -> None:
    box = sample_mailbox()
    inbox, sent = write_mbox(tmp_path / "Inbox", box.folder("inbox")), write_mbox(tmp_path / "Sent", box.folder("sent"))
    imported(app, "mbox", inbox, sent)
    article = next(m for m in box.mails if m.subject == "The article I mentioned")
    old = legacy_key(article.at, article.sender, article.subject)
    with app.begin() as conn:  # as an earlier version stored it: keyed on date, sender and subject only
        conn.execute(update(interactions).where(interactions.c.summary == article.subject)
                     .values(message_key=old, external_id=old))  # fmt: skip
    report = imported(app, "mbox", inbox)
    assert report.totals().get("interactions added", 0) == 0
    with app.begin() as conn:
        key = conn.execute(select(interactions.c.message_key).where(interactions.c.summary == article.subject)).scalar()
    assert key != old and key is not None and key.startswith("sha256:")
