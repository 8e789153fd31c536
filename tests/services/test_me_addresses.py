"""The user's own addresses: remembered, taken back from a contact an import made of one, proposed when seen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from givefirst.config import Settings
from givefirst.errors import NotFoundError
from givefirst.services.context import App, open_app
from givefirst.services.importer import ImportOptions, import_paths
from givefirst.services.me import add_my_address, my_addresses, remove_my_address
from givefirst.services.people import PersonInput, set_me
from tests.conftest import NOW
from tests.services.mail_samples import ME, ME_NAME, WORK, Mailbox, sample_mailbox, snapshot, write_mbox


def work_mail() -> Mailbox:
    """Mail the user wrote from their work address, and between their two addresses."""
    box = Mailbox()
    box.add("sent", WORK, "ana@example.com", "From my work address", 60, cc=(ME,))  # a copy to themselves
    box.add("sent", WORK, "ana@example.com", "Also from work", 63)  # "not to or from you" until WORK is known
    box.add("sent", WORK, ME, "Note to self", 61)
    box.add("inbox", ME, WORK, "Forwarding the deck", 62)
    return box


def files(tmp_path: Path) -> dict[str, Path]:
    box, work = sample_mailbox(), work_mail()
    return {
        "inbox": write_mbox(tmp_path / "Inbox", box.folder("inbox") + work.folder("inbox")),
        "sent": write_mbox(tmp_path / "Sent", box.folder("sent")),
        "work": write_mbox(tmp_path / "work" / "Sent", work.folder("sent")),
    }


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[App]:
    application = open_app(Settings(database=str(tmp_path / "reference.db"), today=NOW.date()), now=NOW)
    yield application
    application.close()


def test_addresses_given_at_an_import_are_remembered(app: App, tmp_path: Path) -> None:
    mail = files(tmp_path)
    import_paths(app, "mbox", [str(mail["inbox"])], ImportOptions(me=frozenset({ME})))
    assert my_addresses(app) == [{"address": ME, "from": "remembered"}]
    report = import_paths(app, "mbox", [str(mail["sent"])])  # no --me needed any more
    assert not report.failed and report.totals()["interactions added"] > 0


def test_an_own_address_made_a_contact_is_taken_back_and_the_mail_put_right(
    app: App, fresh: App, tmp_path: Path
) -> None:
    """Imported with only the first address, the second became a contact; `me add` and a re-import leave exactly
    what importing with both addresses from the start gives."""
    mail = files(tmp_path)
    paths = [str(mail["inbox"]), str(mail["sent"]), str(mail["work"])]
    import_paths(app, "mbox", paths, ImportOptions(me=frozenset({ME})))
    assert (ME_NAME, (WORK,)) in snapshot(app)["people"]  # type: ignore[operator]  # the defect: a close contact
    claim = add_my_address(app, WORK)
    assert claim.contact is not None and claim.contact[1] == ME_NAME
    assert claim.contact_removed and claim.messages_removed == 2 and claim.messages_kept == 1
    assert claim.notice is not None and "import that mail again" in claim.notice
    import_paths(app, "mbox", [str(mail["work"])])
    import_paths(fresh, "mbox", paths, ImportOptions(me=frozenset({ME, WORK})))
    assert snapshot(app) == snapshot(fresh)
    sent_from_work = [m for m in snapshot(app)["interactions"] if m[2] == "From my work address"]  # type: ignore[attr-defined]
    assert [m[1] for m in sent_from_work] == ["outbound"]


def test_a_real_contacts_shared_address_moves_alone(app: App) -> None:
    from givefirst.services.people import add_person

    pid = add_person(app, PersonInput(name="Front Desk", emails=["desk@work.example", "lee@work.example"]))
    claim = add_my_address(app, "desk@work.example")
    assert claim.contact == (pid, "Front Desk") and claim.contact_kept and not claim.contact_removed
    assert claim.notice is not None and "keeps their other addresses" in claim.notice
    assert {"address": "desk@work.example", "from": "remembered"} in my_addresses(app)


def test_likely_own_addresses_are_proposed(app: App, tmp_path: Path) -> None:
    mail = files(tmp_path)
    report = import_paths(app, "mbox", [str(mail["work"])], ImportOptions(me=frozenset({ME})))
    assert report.possibly_yours[0]["address"] == WORK
    assert report.possibly_yours[0]["reason"] == "sender of 100% of Sent"
    set_me(app, PersonInput(name=ME_NAME))
    inbox = import_paths(app, "mbox", [str(mail["inbox"])])
    assert [(p["address"], p["reason"]) for p in inbox.possibly_yours] == [(WORK, f"under your name ({ME_NAME})")]
    add_my_address(app, WORK)
    assert import_paths(app, "mbox", [str(mail["work"])]).possibly_yours == []  # known now: nothing to propose


def test_removing_an_address(app: App) -> None:
    add_my_address(app, ME)
    assert not add_my_address(app, ME.upper()).added  # already yours, however spelt
    assert remove_my_address(app, ME) == ME
    assert my_addresses(app) == []
    with pytest.raises(NotFoundError, match="not one of your addresses"):
        remove_my_address(app, ME)
