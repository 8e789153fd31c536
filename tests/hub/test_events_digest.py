"""The weekly digest, sent to a real SMTP server (aiosmtpd) that the test starts on loopback."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from givefirst.errors import InvalidInputError
from givefirst.hub.domain.access import Role, Visibility
from givefirst.hub.services.context import Hub
from givefirst.hub.services.digest import configure_smtp, send_digests
from givefirst.hub.store.schema import digests
from tests.hub import factory


class Inbox:
    """An SMTP handler keeping what it receives; addresses in `refuse` are turned away (554)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse: set[str] = set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # the name aiosmtpd calls
        if set(envelope.rcpt_tos) & self.refuse:
            return "554 5.7.1 refused by the test"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in str(m["To"])]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def inbox(hub: Hub) -> Iterator[Inbox]:
    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    configure_smtp(
        hub,
        smtp_host="127.0.0.1",
        smtp_port=str(port),
        smtp_from="hub@chapter.example.org",
        base_url="https://hub.example.org",
    )
    try:
        yield handler
    finally:
        controller.stop()


def _joined(hub: Hub, chapter: int, name: str, role: Role = Role.MEMBER, **values: object) -> int:
    member = factory.member(hub, chapter, name, role)
    return factory.update_member(
        hub, member, password_hash="argon2-test-hash", email=f"{name.lower()}@example.org", **values
    )


def _chapter(hub: Hub) -> dict[str, int]:
    ny = factory.chapter(hub)
    ana, bo, cy = _joined(hub, ny, "Ana"), _joined(hub, ny, "Bo"), _joined(hub, ny, "Cy")
    opted = _joined(hub, ny, "Otto", digest_opt_out=True)
    quiet = _joined(hub, ny, "Quiet")  # nothing to be told (like Cy)… until a meeting is planned
    factory.member(hub, ny, "Ivy")  # invited, never joined (no password): no digest
    offer = factory.item(hub, ana, "offer", "websites")
    for who in (bo, cy, opted):  # Otto opted out of digests, not out of being helped
        factory.match(hub, factory.item(hub, who, "need", "a website"), offer, 0.88)
    hidden = factory.item(hub, quiet, "need", "a private website", Visibility.LEADS)
    factory.match(hub, hidden, offer, 0.9)  # Ana may not see it: Quiet is not counted
    factory.introduction(hub, bo, ana, helper_answer="accepted")  # waiting for Bo
    factory.introduction(hub, cy, ana, seeker_answer="declined")  # over: waits for nobody
    factory.match(hub, factory.item(hub, opted, "need", "a website too"), factory.item(hub, bo, "offer", "sites"), 0.88)
    return {"ny": ny, "ana": ana, "bo": bo, "cy": cy, "opted": opted, "quiet": quiet}


def test_each_member_gets_one_digest_a_week(hub: Hub, inbox: Inbox) -> None:
    c = _chapter(hub)
    report = send_digests(hub)
    assert report.week == "2026-W48" and report.sent == 2 and report.opted_out == 1 and report.nothing_to_say == 2
    ana = inbox.to("ana@example.org")
    assert len(ana) == 1
    assert ana[0]["Subject"].strip() == "Your week on the hub: 3 members you can help"
    body = ana[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "3 members you can help this week: Bo, Cy, Otto." in body and "https://hub.example.org/help" in body
    assert "private" not in body and "Quiet" not in body
    bo = inbox.to("bo@example.org")[0]
    assert bo["Subject"].strip() == "Your week on the hub: 1 member you can help, 1 introduction waiting for you"
    assert inbox.to("otto@example.org") == [] and inbox.to("ivy") == []
    again = send_digests(hub)
    assert again.sent == 0 and again.already_sent == 2 and len(inbox.messages) == 2
    with hub.engine.connect() as conn:
        assert sorted(conn.execute(select(digests.c.member_id, digests.c.week))) == sorted(
            [(c["ana"], "2026-W48"), (c["bo"], "2026-W48")]
        )
    factory.event(hub, c["ny"], "December meeting", days=5)  # now everyone has something: the next meeting
    assert send_digests(hub).sent == 2  # only Cy and Quiet, who had nothing to be told before
    quiet = inbox.to("quiet@example.org")[0]
    assert "December meeting on Mon 30 Nov" in str(quiet["Subject"])
    assert send_digests(hub, "2026-W49").sent == 4  # next week is another week


def test_a_refused_message_is_retried_next_run(hub: Hub, inbox: Inbox) -> None:
    _chapter(hub)
    inbox.refuse = {"bo@example.org"}
    report = send_digests(hub)
    assert report.sent == 1 and len(report.failed) == 1 and report.failed[0].startswith("bo@example.org")
    inbox.refuse = set()
    retry = send_digests(hub)
    assert retry.sent == 1 and retry.already_sent == 1 and len(inbox.to("bo@example.org")) == 1


def test_the_digest_job_sends_the_week_given(hub: Hub, inbox: Inbox) -> None:
    from givefirst.hub.services.digest import digest_job

    _chapter(hub)
    assert digest_job(hub, {"week": "2026-W50"})["sent"] == 2
    assert digest_job(hub, {"week": "2026-W50"})["already_sent"] == 2
    assert digest_job(hub, {})["week"] == "2026-W48"


def test_a_dry_run_sends_and_records_nothing(hub: Hub, inbox: Inbox) -> None:
    _chapter(hub)
    report = send_digests(hub, dry_run=True)
    assert sorted(m["to"] for m in report.messages) == ["ana@example.org", "bo@example.org"]
    assert inbox.messages == []
    with hub.engine.connect() as conn:
        assert conn.execute(select(digests)).all() == []


def test_without_a_server_a_real_run_is_refused(hub: Hub) -> None:
    _chapter(hub)
    with pytest.raises(InvalidInputError, match="no SMTP server is configured"):
        send_digests(hub)
    assert len(send_digests(hub, dry_run=True).messages) == 2
    with pytest.raises(InvalidInputError, match="2026-W49"):
        send_digests(hub, "soon", dry_run=True)


def test_the_cli_sends_the_digest(hub: Hub, inbox: Inbox, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from givefirst.cli.app import main

    _chapter(hub)

    def run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        try:
            main(["hub", "digest", "--db", db_url, "--week", "2030-W01", *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        return code, capsys.readouterr().out

    code, out = run("--dry-run")
    assert code == 0 and "would send 2 digest(s)" in out and "ana@example.org" in out and inbox.messages == []
    code, out = run("--json")
    assert code == 0 and json.loads(out)["sent"] == 2 and len(inbox.messages) == 2
    code, out = run()
    assert code == 0 and "sent 0 digest(s)" in out and "2 sent already this week" in out


def test_the_cli_sets_the_mail_server(
    hub: Hub, db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from givefirst.cli.app import main
    from givefirst.hub.services.digest import smtp_settings

    monkeypatch.setenv("GIVEFIRST_HUB_SMTP_PASSWORD", "s3cret")
    with pytest.raises(SystemExit) as done:
        main(
            ["hub", "smtp", "--db", db_url, "--host", "smtp.example.org", "--user", "hub", "--from", "hub@example.org"]
        )
    assert done.value.code in (0, None)
    assert "Digests will go through smtp.example.org:587" in capsys.readouterr().out
    found = smtp_settings(hub)
    assert found is not None and (found.host, found.port, found.user, found.password, found.sender) == (
        "smtp.example.org",
        587,
        "hub",
        "s3cret",
        "hub@example.org",
    )
    configure_smtp(hub, smtp_port="twenty-five")
    with pytest.raises(InvalidInputError, match="smtp_port must be a number"):
        smtp_settings(hub)
