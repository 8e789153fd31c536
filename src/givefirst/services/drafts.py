"""Drafts for each step of an introduction, from Jinja templates the user can override; nothing is ever sent.

The shipped templates live in the package (`givefirst/templates/intro/*.j2`); a file of the same name in
`<config dir>/templates/intro/` (next to config.toml) replaces one. Templates render in Jinja's sandbox with
undefined names an error; what people wrote (names, the reason, a need) is passed in as values and never
parsed as a template. A template starts with a `Subject:` line, then a blank line, then the body.

A draft leaves as plain text, a mailto: link (RFC 6068) or an .eml file (RFC 5322, `X-Unsent: 1`, so that
mail clients open it as a draft to edit and send).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from givefirst.config import Settings, default_config_file
from givefirst.domain import introductions as flow
from givefirst.domain.introductions import DraftKind
from givefirst.domain.messages import first_name
from givefirst.errors import InvalidInputError
from givefirst.services.choices import choose
from givefirst.services.context import App
from givefirst.services.introductions import IntroView, Party
from givefirst.services.introductions import show as show_intro
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store

TEMPLATE_GROUP = "intro"
SUFFIX = ".j2"
MAX_TEMPLATE_BYTES = 64_000


def parse_draft_kind(text: str) -> DraftKind:
    aliases = {"ask": "ask_first", "ask_a": "ask_first", "ask_b": "ask_second", "intro": "introduce",
               "introduction": "introduce", "followup": "follow_up"}  # fmt: skip
    return choose(DraftKind, text, "draft", aliases)


def templates_dir(settings: Settings) -> Path:
    """Return the folder whose `intro/NAME.j2` files override the shipped templates (it may not exist)."""
    config = settings.config_file or default_config_file()
    return config.parent / "templates"


def shipped_template(kind: DraftKind) -> str:
    return (resources.files("givefirst") / "templates" / TEMPLATE_GROUP / f"{kind.value}{SUFFIX}").read_text("utf-8")


@dataclass(frozen=True)
class TemplateInfo:
    kind: DraftKind
    override: Path  # where the user's copy goes
    overridden: bool

    def to_json(self) -> dict[str, Any]:
        return {"name": self.kind.value, "override": str(self.override), "overridden": self.overridden}


def template_list(settings: Settings) -> list[TemplateInfo]:
    folder = templates_dir(settings) / TEMPLATE_GROUP
    return [
        TemplateInfo(k, folder / f"{k.value}{SUFFIX}", (folder / f"{k.value}{SUFFIX}").is_file()) for k in DraftKind
    ]


def copy_templates(settings: Settings) -> list[Path]:
    """Copy the shipped templates into the user's folder for editing; existing copies are kept. Return new files."""
    folder = templates_dir(settings) / TEMPLATE_GROUP
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(f"cannot create {folder}: {exc.strerror or exc}") from None
    written = []
    for kind in DraftKind:
        target = folder / f"{kind.value}{SUFFIX}"
        if not target.exists():
            with resources.as_file(resources.files("givefirst") / "templates" / TEMPLATE_GROUP / target.name) as source:
                shutil.copyfile(source, target)
            written.append(target)
    return written


def _template_source(settings: Settings, kind: DraftKind) -> tuple[str, str]:
    """Return (source, where it came from): the user's copy when there is one, else the shipped template."""
    path = templates_dir(settings) / TEMPLATE_GROUP / f"{kind.value}{SUFFIX}"
    if path.is_file():
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidInputError(f"cannot read template {path}: {exc.strerror or exc}") from None
        if len(data) > MAX_TEMPLATE_BYTES:
            raise InvalidInputError(f"template {path} is too large ({len(data)} bytes) for a message")
        try:
            return data.decode("utf-8"), str(path)
        except UnicodeDecodeError:
            raise InvalidInputError(f"template {path} is not UTF-8 text") from None
    return shipped_template(kind), f"built-in {TEMPLATE_GROUP}/{kind.value}{SUFFIX}"


def render_template(source: str, origin: str, context: dict[str, Any]) -> str:
    """Render a template in Jinja's sandbox: no attribute tricks, undefined names an error, plain text out."""
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        autoescape=False, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True
    )
    env.filters["sentence"] = sentence
    try:
        return env.from_string(source).render(context)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f"{origin}, line {line}" if line else origin
        message = " ".join(str(exc.message or exc).split())
        raise InvalidInputError(f"template {where}: {message}") from None


def sentence(text: Any) -> str:
    """End a text as a sentence (the `sentence` filter): a full stop unless it already ends in punctuation."""
    t = str(text).strip()
    return t if not t or t[-1] in ".!?…)”\"'" else t + "."


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str | None


@dataclass(frozen=True)
class Draft:
    intro_id: int
    kind: DraftKind
    sender: Recipient
    to: tuple[Recipient, ...]
    subject: str
    body: str
    template: str  # where the template came from

    @property
    def missing(self) -> tuple[str, ...]:
        """Recipients without an email address (left out of mailto: links and .eml files)."""
        return tuple(r.name for r in self.to if not r.email)

    @property
    def text(self) -> str:
        to = ", ".join(f"{r.name} <{r.email}>" if r.email else r.name for r in self.to)
        return f"To: {to}\nSubject: {self.subject}\n\n{self.body}"

    def to_json(self) -> dict[str, Any]:
        return {
            "introduction": self.intro_id,
            "draft": self.kind.value,
            "to": [{"name": r.name, "email": r.email} for r in self.to],
            "subject": self.subject,
            "body": self.body,
            "template": self.template,
            "mailto": mailto(self),
        }


def _split(text: str, origin: str) -> tuple[str, str]:
    head, _, body = text.lstrip("\n").partition("\n")
    if not head.lower().startswith("subject:"):
        raise InvalidInputError(f"template {origin} must start with a 'Subject:' line, then a blank line and the body")
    subject = " ".join(head[len("subject:") :].split())
    return subject, body.strip("\n") + "\n"


def _about(row: Any) -> str:
    title, org = row.title or "", row.organization or ""
    if title and org:
        return f"{title} at {org}"
    return title or org


def _person(conn: Any, party: Party, need: str | None, offer: str | None) -> dict[str, Any]:
    row = people_store.person_row(conn, party.id)
    return {
        "id": party.id,
        "name": party.name,
        "first_name": first_name(party.name),
        "about": _about(row),
        "title": row.title or "",
        "organization": row.organization or "",
        "location": row.location or "",
        "email": party.emails[0] if party.emails else "",
        "need": need or "",
        "offer": offer or "",
    }


def draft(app: App, intro_id: int, kind: DraftKind | None = None) -> Draft:
    """Return the draft an introduction needs now (or the `kind` asked for), rendered from its template."""
    view = show_intro(app, intro_id)
    if kind is None:
        kind = flow.default_draft(view.intro)
        if kind is None:
            raise InvalidInputError(
                f"introduction #{intro_id} is {view.status}; nothing to draft (choose one with --step)"
            )
    with app.begin() as conn:
        context = _context(conn, app, view)
    first, second = context["first"], context["second"]
    to, other = {
        DraftKind.ASK_FIRST: ((first,), second),
        DraftKind.ASK_SECOND: ((second,), first),
        DraftKind.INTRODUCE: ((first, second), None),
        DraftKind.FOLLOW_UP: ((first, second), None),
    }[kind]
    context.update(to=to[0] if len(to) == 1 else list(to), other=other)
    source, origin = _template_source(app.settings, kind)
    subject, body = _split(render_template(source, origin, context), origin)
    me = context["me"]
    return Draft(
        intro_id=view.id,
        kind=kind,
        sender=Recipient(me["name"], me["email"] or None),
        to=tuple(Recipient(p["name"], p["email"] or None) for p in to),
        subject=subject,
        body=body,
        template=origin,
    )


def _context(conn: Any, app: App, view: IntroView) -> dict[str, Any]:
    me_id = app.me(conn)
    me_row = people_store.person_row(conn, me_id)
    me_emails = [v for k, v, _ in people_store.identities_of(conn, me_id) if k == "email"]
    need_owner = _owner(conn, "need", view.need_id)
    offer_owner = _owner(conn, "offer", view.offer_id)
    people = {
        party.id: _person(
            conn, party, view.need if need_owner == party.id else None, view.offer if offer_owner == party.id else None
        )
        for party in (view.first, view.second)
    }
    return {
        "intro_id": view.id,
        "first": people[view.first.id],
        "second": people[view.second.id],
        "me": {
            "name": str(me_row.name),
            "first_name": first_name(str(me_row.name)),
            "email": me_emails[0] if me_emails else "",
        },
        "reason": view.reason,
        "need": view.need or "",
        "offer": view.offer or "",
        "direct": view.direct,
    }


def _owner(conn: Any, which: str, item_id: int | None) -> int | None:
    row = None if item_id is None else needs_store.item_row(conn, which, item_id)
    return None if row is None else int(row.person_id)


def mailto(d: Draft) -> str:
    """Return a mailto: link (RFC 6068): addresses and fields percent-encoded as UTF-8, line breaks as CRLF."""
    to = ",".join(quote(r.email, safe="@") for r in d.to if r.email)
    subject = quote(d.subject, safe="")
    body = quote(d.body.replace("\r\n", "\n").replace("\n", "\r\n"), safe="")
    return f"mailto:{to}?subject={subject}&body={body}"


def eml(d: Draft, now: datetime | None = None) -> bytes:
    """Return the draft as an RFC 5322 message marked unsent, for a mail client to open, edit and send."""
    msg = EmailMessage()
    if d.sender.email:
        msg["From"] = Address(display_name=d.sender.name, addr_spec=d.sender.email)
    addresses = [Address(display_name=r.name, addr_spec=r.email) for r in d.to if r.email]
    if addresses:
        msg["To"] = addresses
    msg["Subject"] = d.subject
    if now is not None:
        msg["Date"] = format_datetime(now.replace(tzinfo=UTC))
    msg["X-Unsent"] = "1"
    msg.set_content(d.body)
    return msg.as_bytes()
