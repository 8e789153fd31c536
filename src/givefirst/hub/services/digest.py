"""The weekly digest: one e-mail per member and ISO week, through the SMTP server the hub's settings name.

"Three members you can help, one introduction waiting for your answer, Monday's meeting." Never to a member who
opted out, never twice in a week: each message is claimed in the `digests` table (member, week) before it is
sent — so a restart, or two workers running the same job, cannot send it again — and the claim is given back
when the server refuses the message, so that the next run retries. Nothing is sent to a member with nothing to
be told. SMTP settings (`hub_settings`): smtp_host, smtp_port (25), smtp_user, smtp_password, smtp_from, and
base_url for the links.
"""

from __future__ import annotations

import contextlib
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from givefirst.errors import InvalidInputError
from givefirst.hub.domain import digest as words
from givefirst.hub.domain import events as rules
from givefirst.hub.domain.access import can_see
from givefirst.hub.domain.events import Event
from givefirst.hub.domain.model import Member
from givefirst.hub.services import jobs
from givefirst.hub.services.context import Hub
from givefirst.hub.store import digests as store
from givefirst.hub.store import events as stored_events
from givefirst.hub.store import members as stored_members
from givefirst.hub.store import settings as stored_settings
from givefirst.hub.store.pairs import pairs_of_helper

DEFAULT_BASE_URL = "http://localhost:8780"
SMTP_KEYS = ("smtp_host", "smtp_port", "smtp_user", "smtp_password", "smtp_from", "base_url")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str
    password: str
    sender: str


def smtp_settings(hub: Hub) -> SmtpSettings | None:
    """Return the hub's SMTP settings, or None when no server is configured (smtp_host unset)."""
    with hub.engine.connect() as conn:
        values = {key: stored_settings.get(conn, key) or "" for key in SMTP_KEYS}
    if not values["smtp_host"]:
        return None
    try:
        port = int(values["smtp_port"] or 25)
    except ValueError:
        raise InvalidInputError(f"the hub setting smtp_port must be a number, not {values['smtp_port']!r}") from None
    sender = values["smtp_from"] or values["smtp_user"]
    if "@" not in sender:
        raise InvalidInputError("set the hub setting smtp_from: the address digests are sent from")
    return SmtpSettings(values["smtp_host"], port, values["smtp_user"], values["smtp_password"], sender)


def configure_smtp(hub: Hub, **values: str) -> None:
    """Store SMTP settings (smtp_host=…, smtp_port=…, …); an empty value clears one."""
    unknown = set(values) - set(SMTP_KEYS)
    if unknown:
        raise InvalidInputError(f"unknown setting {sorted(unknown)[0]!r}; the digest's are {', '.join(SMTP_KEYS)}")
    with hub.engine.begin() as conn:
        for key, value in values.items():
            stored_settings.put(conn, key, value)


@dataclass(frozen=True)
class _Run:
    """What one run reads once for every member: chapters' zones and next meetings, waiting and follow-up counts."""

    zones: dict[int, str]
    meetings: dict[int, Event | None]
    waiting: dict[int, int]
    follow_ups: dict[int, int]


def _run_context(hub: Hub) -> _Run:
    with hub.engine.connect() as conn:
        chapters = stored_members.all_chapters(conn)
        return _Run(
            zones={c.id: c.timezone for c in chapters},
            meetings={c.id: stored_events.next_event(conn, c.id, hub.now()) for c in chapters},
            waiting=store.waiting_per_member(conn),
            follow_ups=store.follow_ups_per_member(conn),
        )


def figures_for(hub: Hub, member: Member, run: _Run | None = None) -> words.DigestFigures:
    """Return what `member` is told this week, counting only what they may see."""
    run = run or _run_context(hub)
    with hub.engine.connect() as conn:
        pairs = pairs_of_helper(conn, member.id, rules.HELP_THRESHOLD)
    names: list[str] = []
    seen: set[int] = set()
    viewer = member.viewer
    for pair in pairs:
        need = pair.need
        if need.member_id not in seen and can_see(viewer, need.member_id, need.member_chapter_id, need.visibility):
            seen.add(need.member_id)
            names.append(pair.seeker_name)
    meeting = run.meetings.get(member.chapter_id)
    tz = run.zones.get(member.chapter_id, "UTC")
    return words.DigestFigures(
        name=member.name,
        can_help=names,
        waiting=run.waiting.get(member.id, 0),
        follow_ups=run.follow_ups.get(member.id, 0),
        next_meeting=(meeting.title, rules.local_time(meeting.starts_at, tz), meeting.place) if meeting else None,
    )


@dataclass
class DigestReport:
    week: str
    dry_run: bool
    sent: int = 0
    already_sent: int = 0
    nothing_to_say: int = 0
    opted_out: int = 0
    failed: list[str] = field(default_factory=list)  # "email: reason"
    messages: list[dict[str, str]] = field(default_factory=list)  # to and subject of each (would-be) message

    def as_json(self) -> dict[str, object]:
        return {
            "week": self.week,
            "dry_run": self.dry_run,
            "sent": self.sent,
            "already_sent": self.already_sent,
            "nothing_to_say": self.nothing_to_say,
            "opted_out": self.opted_out,
            "failed": self.failed,
            "messages": self.messages,
        }


def _message(smtp: SmtpSettings | None, member: Member, figures: words.DigestFigures, base_url: str) -> EmailMessage:
    message = EmailMessage()
    sender = smtp.sender if smtp is not None else "hub@localhost"
    message["From"] = formataddr(("givefirst hub", sender))
    message["To"] = formataddr((member.name, member.email))
    message["Subject"] = words.subject(figures)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message["List-Unsubscribe"] = f"<{base_url.rstrip('/')}/me>"
    message.set_content(words.body(figures, base_url))
    return message


def send_digests(hub: Hub, week: str | None = None, *, dry_run: bool = False) -> DigestReport:
    """Send this week's digest (or `week`'s, "2026-W49") to every member who has something to be told.

    With `dry_run` nothing is sent nor recorded: the report lists what would be. Without SMTP settings a real
    run is refused with the settings to set.
    """
    try:
        chosen = rules.parse_week(week) if week else rules.iso_week(hub.now())
    except ValueError as exc:
        raise InvalidInputError(str(exc)) from None
    smtp = smtp_settings(hub)
    if smtp is None and not dry_run:
        raise InvalidInputError(
            "no SMTP server is configured: set it with `givefirst hub smtp --host … --from …` (or use --dry-run)"
        )
    with hub.engine.connect() as conn:
        people = store.recipients(conn)
        base_url = stored_settings.get(conn, "base_url") or DEFAULT_BASE_URL
        report = DigestReport(week=chosen, dry_run=dry_run, opted_out=store.opted_out_count(conn))
        done = store.sent_this_week(conn, chosen)
    run = _run_context(hub)
    client: smtplib.SMTP | None = None
    try:
        for member in people:
            if member.id in done:  # sent by an earlier run (a run at the same time is stopped by the claim)
                report.already_sent += 1
                continue
            figures = figures_for(hub, member, run)
            if figures.empty:
                report.nothing_to_say += 1
                continue
            message = _message(smtp, member, figures, base_url)
            report.messages.append({"to": member.email, "subject": str(message["Subject"])})
            if dry_run:
                continue
            assert smtp is not None
            with hub.engine.begin() as conn:
                if not store.claim(conn, member.id, chosen, hub.now()):
                    report.already_sent += 1
                    report.messages.pop()
                    continue
            try:
                client = client or _connect(smtp)
                client.send_message(message)
                report.sent += 1
            except (smtplib.SMTPException, OSError) as exc:
                with hub.engine.begin() as conn:
                    store.release(conn, member.id, chosen)
                report.failed.append(f"{member.email}: {exc}")
                report.messages.pop()
                if client is not None:
                    client.close()  # the session may be broken: the next message opens a new one
                client = None
    finally:
        if client is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                client.quit()
    return report


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    """Open a session with the SMTP server: STARTTLS when it offers it, and log in when a user is set."""
    client = smtplib.SMTP(smtp.host, smtp.port, timeout=30)
    client.ehlo()
    if client.has_extn("starttls"):
        client.starttls()
        client.ehlo()
    if smtp.user:
        client.login(smtp.user, smtp.password)
    return client


def digest_job(hub: Hub, payload: dict[str, object]) -> dict[str, object]:
    """The `digest` job kind: send the week's digests (payload {"week": "2026-W49"} optional; default this week).

    Safe to run again or on several workers at once: each message is claimed before it is sent.
    """
    week = payload.get("week")
    return send_digests(hub, week if isinstance(week, str) else None).as_json()


jobs.register("digest", digest_job)  # so a worker runs `{"kind": "digest"}` jobs (queued by cron or a lead)
