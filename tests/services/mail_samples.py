"""A small, real-looking mailbox (Inbox, Sent, an "All mail" of copies) written as mbox files or maildirs, and a
snapshot of what an import stored, to compare imports made in different ways."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from givefirst.services.context import App
from givefirst.store.schema import identities, interaction_people, interactions, people

ME = "jordan@example.org"
ME_NAME = "Jordan Reyes"
WORK = "jordan.reyes@work.example"  # the user's second address, which they forget to give
START = datetime(2025, 3, 3, 9, 0)


@dataclass(frozen=True)
class Mail:
    folder: str  # inbox | sent
    sender: str
    to: tuple[str, ...]
    subject: str
    at: datetime
    message_id: str | None
    cc: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()  # further header lines

    def text(self) -> str:
        lines = [f"From: {_named(self.sender)}", f"To: {', '.join(_named(a) for a in self.to)}"]
        if self.cc:
            lines.append(f"Cc: {', '.join(_named(a) for a in self.cc)}")
        lines += [f"Subject: {self.subject}", f"Date: {format_datetime(self.at.replace(tzinfo=UTC))}"]
        if self.message_id:
            lines.append(f"Message-ID: <{self.message_id}>")
        lines += [*self.extra, "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
        return "\n".join(lines) + "\n\nHello,\n\nFrom the archive, with love.\n"


NAMES = {
    ME: ME_NAME, WORK: ME_NAME, "ana@example.com": "Ana Lima", "ben@example.com": "Ben Okafor",
    "cy@example.com": "Cy Park", "dee@example.com": "Dee Novak", "eve@example.com": "Eve Santos",
    "fay@example.com": "Fay Wong", "gus@example.com": "Gus Berg", "hal..x@example.jp": "Hal Sato",
    "ivy@example.com": "Ivy Chen", "jon@example.com": "Jon Diaz",
}  # fmt: skip


def _named(address: str) -> str:
    name = NAMES.get(address)
    return f'"{name}" <{address}>' if name else address


@dataclass
class Mailbox:
    mails: list[Mail] = field(default_factory=list)

    def add(self, folder: str, sender: str, to: str | tuple[str, ...], subject: str, hours: float,
            message_id: str | None = "auto", **more: Any) -> Mail:  # fmt: skip
        mid = f"m{len(self.mails) + 1}.{sender.split('@')[0]}@mail.example" if message_id == "auto" else message_id
        mail = Mail(folder, sender, (to,) if isinstance(to, str) else to, subject, START + timedelta(hours=hours),
                    mid, **more)  # fmt: skip
        self.mails.append(mail)
        return mail

    def folder(self, name: str) -> list[Mail]:
        return [m for m in self.mails if m.folder == name]


def sample_mailbox() -> Mailbox:
    """Inbox and Sent of a year's personal mail: two-way, one-way, copied, group, list and robot mail."""
    box = Mailbox()
    box.add("inbox", "ana@example.com", ME, "Coffee next week?", 1)
    box.add("sent", ME, "ana@example.com", "Re: Coffee next week?", 2)
    box.add("inbox", "ana@example.com", ME, "Re: Coffee next week?", 3)
    box.add("inbox", "ana@example.com", ME, "The article I mentioned", 50, message_id=None)  # no Message-ID
    box.add("sent", ME, "ana@example.com", "Thanks for the article", 51, message_id=None)
    box.add("inbox", "ben@example.com", ME, "Quick pitch", 5)  # one-way: never answered
    box.add("inbox", "ben@example.com", ME, "Following up", 30)
    box.add("sent", ME, "cy@example.com", "Hello from the conference", 6)  # one-way: never answered
    box.add("inbox", "dee@example.com", ME, "Board meeting notes", 7, cc=("eve@example.com",))  # Eve only copied
    box.add("sent", ME, "dee@example.com", "Re: Board meeting notes", 8)
    box.add("sent", ME, ("fay@example.com", "gus@example.com"), "Introducing you two", 9)  # a group message
    box.add("inbox", "fay@example.com", ME, "Re: Introducing you two", 10)
    box.add("inbox", "gus@example.com", ME, "Thanks for the intro", 80)
    box.add("inbox", "hal..x@example.jp", ME, "Old friend here", 11)  # an old address with two dots
    box.add("sent", ME, "hal..x@example.jp", "Re: Old friend here", 12)
    # a mail merge: the same subject at the same second to two people, no Message-ID; Ivy answered, Jon did not
    box.add("sent", ME, "ivy@example.com", "Our spring gathering", 20, message_id=None)
    box.add("sent", ME, "jon@example.com", "Our spring gathering", 20, message_id=None)
    box.add("inbox", "ivy@example.com", ME, "Re: Our spring gathering", 21)
    box.add("inbox", "ana@example.com", ME, "[friends] Picnic", 40, extra=("List-Id: Friends <friends.example>",))
    box.add("inbox", "no-reply@shop.example", ME, "Your order", 41)
    return box


def write_mbox(path: Path, mails: list[Mail]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for mail in mails:
            stamp = mail.at.strftime("%a %b %d %H:%M:%S %Y")
            body = "\n".join(">" + line if line.startswith("From ") else line for line in mail.text().split("\n"))
            out.write(f"From {mail.sender} {stamp}\n{body}\n")  # mboxrd: a body line "From " escaped
    return path


def write_maildir(path: Path, mails: list[Mail]) -> Path:
    (path / "cur").mkdir(parents=True, exist_ok=True)
    for sub in ("new", "tmp"):
        (path / sub).mkdir(exist_ok=True)
    for number, mail in enumerate(mails, 1):
        (path / "cur" / f"{1700000000 + number}.M{number}P1.host:2,S").write_text(mail.text(), encoding="utf-8")
    return path


def snapshot(app: App) -> dict[str, Any]:
    """Return what the database holds of the network, independent of ids and of the order of writing."""
    with app.begin() as conn:
        emails: dict[int, list[str]] = {}
        for pid, value in conn.execute(select(identities.c.person_id, identities.c.value)
                                       .where(identities.c.kind == "email")):  # fmt: skip
            emails.setdefault(int(pid), []).append(str(value))
        found = conn.execute(
            select(people.c.id, people.c.name, people.c.is_me).where(people.c.merged_into_id.is_(None))
        )
        persons = sorted(
            (str(name), tuple(sorted(emails.get(int(pid), [])))) for pid, name, is_me in found if not is_me
        )
        on: dict[int, list[str]] = {}
        for iid, pid in conn.execute(select(interaction_people.c.interaction_id, interaction_people.c.person_id)):
            on.setdefault(int(iid), []).extend(emails.get(int(pid), [f"#{pid}"]))
        rows = conn.execute(select(interactions.c.id, interactions.c.occurred_at, interactions.c.direction,
                                   interactions.c.summary, interactions.c.message_key))  # fmt: skip
        mails = sorted((at.isoformat(), direction, summary, tuple(sorted(on.get(int(iid), []))), key is not None)
                       for iid, at, direction, summary, key in rows)  # fmt: skip
    return {"people": persons, "interactions": mails}


__all__ = ["ME", "ME_NAME", "WORK", "Mail", "Mailbox", "sample_mailbox", "snapshot", "write_maildir", "write_mbox"]
