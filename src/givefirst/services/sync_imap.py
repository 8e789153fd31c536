"""IMAP sources: the headers of new messages (and, for a source with bodies on, the messages' text), folder by
folder, incremental by UIDVALIDITY and UIDNEXT.

Each folder's state is {"uidvalidity", "next_uid", "messages", "modseq"}. A sync asks every folder's STATUS
(one round trip; with CONDSTORE, an unchanged HIGHESTMODSEQ settles it at once), fetches only the UIDs from
`next_uid` on, and only their header fields (`BODY.PEEK[HEADER.FIELDS (...)]`, which leaves them unread; with
`bodies` in the config, `BODY.PEEK[]` of the first MAX_RAW_BYTES, also unread, whose text the mail import keeps
for `givefirst heard` under "imap:NAME"), in units of UNIT_SIZE messages, each written with its new `next_uid`
in one transaction. When UIDVALIDITY changes, the server has renumbered the folder: it is read again from the
start, and the messages' ids (Message-ID, or a digest of date, sender and subject) keep anything from being
added twice, as they do for a message moved from one folder to another. A message deleted on the server keeps
its interaction: history stays.

The headers go through the mail import itself (`services.mail_import.mail_records`, source "imap"): the same
rules, the same key per message (`ingest.mail_identity.message_key`) and the same two-way memory (`mail_pending`)
as an mbox or maildir import. So a message is one interaction whether it came from an mbox, a maildir or IMAP,
in any order, and an Inbox synced here with a Sent folder imported from a file gives what one import of both
gives. Each unit takes the import lock (`store.import_lock`): an import and a sync never judge the kept-aside
mail at the same time.
"""

from __future__ import annotations

import contextlib
import imaplib
import ssl
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import Connection

from givefirst.errors import InvalidInputError
from givefirst.ingest.email_headers import RawHeaders
from givefirst.ingest.mail_body import MAX_RAW_BYTES
from givefirst.ingest.mbox import scan_maildir_message
from givefirst.ingest.records import ParseIssue, Record
from givefirst.services.mail_import import OwnAddressHints, mail_records
from givefirst.services.sync import SyncError, SyncJob
from givefirst.store.import_lock import import_lock

SOURCE = "imap"  # the interactions' source: the same message from two accounts (or folders) is one interaction
FIELDS = "FROM TO CC DATE SUBJECT MESSAGE-ID LIST-ID PRECEDENCE AUTO-SUBMITTED CONTENT-TYPE"
FETCH = f"BODY.PEEK[HEADER.FIELDS ({FIELDS})]"
# With bodies on (`source add … --bodies`): the message's first MAX_RAW_BYTES, headers and text, still unread.
FETCH_WHOLE = f"BODY.PEEK[]<0.{MAX_RAW_BYTES}>"
FETCH_CHUNK = 500  # UIDs per FETCH command
UNIT_SIZE = 5000  # messages per transaction: memory stays bounded and an interrupted first sync keeps its units
TIMEOUT = 30.0  # seconds without an answer before the server counts as gone
LOCK_WAIT = 300.0  # seconds a unit waits for an import running on the same database before the sync fails
DEFAULT_FOLDERS = ("INBOX", "Sent")
# Names that find the folder the server flags for that use (RFC 6154) when no folder has the very name.
SPECIAL_USE = {name: f"\\{name.title()}".encode() for name in ("sent", "archive", "all", "drafts", "junk", "trash")}
SECURITY = {"tls": 993, "starttls": 143, "none": 143}
_KNOWN = {"host", "port", "user", "folders", "me", "security", "include_one_way", "extra", "password_env",
          "password_command", "keyring", "bodies"}  # fmt: skip


class ImapKind:
    name = "imap"
    help = "an IMAP mailbox: who wrote to whom and when, from the headers of the folders you choose (--bodies: text)"
    secret_required = True
    errors: tuple[type[BaseException], ...] = (imaplib.IMAP4.error,)

    def check_config(self, given: Mapping[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(given) - _KNOWN)
        if unknown:
            raise InvalidInputError(f"an imap source takes no --{unknown[0].replace('_', '-')}")
        if given.get("extra"):
            raise InvalidInputError(f"an imap source has no setting {next(iter(given['extra']))!r} (--set)")
        if not given.get("host") or not given.get("user"):
            raise InvalidInputError("an imap source needs --host and --user")
        security = str(given.get("security") or "tls").lower()
        if security not in SECURITY:
            raise InvalidInputError(f"--security {security!r}: use tls, starttls or none")
        port = int(given.get("port") or SECURITY[security])
        if not 0 < port < 65536:
            raise InvalidInputError(f"--port {port}: not a port number")
        folders = [f.strip() for f in str(given.get("folders") or ",".join(DEFAULT_FOLDERS)).split(",") if f.strip()]
        if not folders:
            raise InvalidInputError("--folders names no folder")
        config: dict[str, Any] = {
            "host": str(given["host"]).strip(), "port": port, "user": str(given["user"]).strip(),
            "security": security, "folders": folders, "me": sorted({m.strip().lower() for m in given.get("me", ())}),
        }  # fmt: skip
        for key in ("password_env", "password_command", "keyring", "include_one_way", "bodies"):
            if given.get(key):
                config[key] = given[key]
        return config

    def describe(self, config: Mapping[str, Any]) -> str:
        kept = " (with bodies)" if config.get("bodies") else ""
        return f"{config.get('user')} at {config.get('host')}: {', '.join(config.get('folders', ()))}{kept}"

    def sync(self, job: SyncJob) -> None:
        config = job.source.config
        user = str(config["user"])
        me = job.me | ({user.lower()} if "@" in user else set())
        if not me:
            raise SyncError(f"source {job.source.name}: say which address is yours (source add ... --me ADDRESS)")
        client = connect(job.source.name, config, job.secret() or "")
        hints = OwnAddressHints()
        try:
            _remember_mine(job, {*config.get("me", ()), *({user.lower()} if "@" in user else ())})
            condstore = client.has_capability("CONDSTORE")
            for folder in resolve_folders(client, config["folders"]):
                _sync_folder(job, client, folder, me, condstore, hints)
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):  # a server gone already: nothing to close
                client.logout()
            job.report.possibly_yours = hints.proposals(me)


KIND = ImapKind()


def connect(name: str, config: Mapping[str, Any], password: str) -> Any:
    """Return a logged-in IMAPClient, or raise SyncError saying what failed (reaching the server, or login)."""
    from imapclient import IMAPClient
    from imapclient.exceptions import LoginError

    host, port, security = config["host"], int(config["port"]), config.get("security", "tls")
    try:
        client = IMAPClient(host, port=port, ssl=security == "tls", timeout=TIMEOUT)
        if security == "starttls":
            client.starttls(ssl.create_default_context())
    except (OSError, imaplib.IMAP4.error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
        raise SyncError(f"source {name}: cannot reach {host}:{port} ({reason})") from None
    try:
        client.login(config["user"], password)
    except LoginError as exc:
        raise SyncError(f"source {name}: {host} refused the login of {config['user']} ({exc})") from None
    return client


def resolve_folders(client: Any, asked: list[str]) -> list[str]:
    """Return the server's folders for the names asked: the very name, else the folder flagged for that use."""
    listed = client.list_folders()
    names = {str(name).lower() if str(name).upper() != "INBOX" else "inbox": str(name) for _, _, name in listed}
    flagged: dict[bytes, str] = {}
    for flags, _, name in listed:
        for flag in flags:
            flagged.setdefault(flag if isinstance(flag, bytes) else str(flag).encode(), str(name))
    found: list[str] = []
    for wanted in asked:
        folder = names.get(wanted.lower())
        if folder is None and wanted.lower() in SPECIAL_USE:
            folder = flagged.get(SPECIAL_USE[wanted.lower()])
        if folder is None:
            shown = ", ".join(sorted(names.values())[:20])
            raise SyncError(f"no folder {wanted!r} on the server (it has: {shown})")
        if folder not in found:
            found.append(folder)
    return found


def _remember_mine(job: SyncJob, addresses: Iterable[str]) -> None:
    """Remember the account's login as the user's own address, as `import --me` does: a message the user sent
    from it and kept aside by this sync must read as theirs to a later mbox import too."""
    from givefirst.services.me import add_my_address

    for address in sorted(addresses):
        try:
            claim = add_my_address(job.app, address)
        except InvalidInputError:  # a login that only looks like an address: used for this sync, not remembered
            continue
        if claim.notice:
            job.report.notices.append(claim.notice)


def _sync_folder(
    job: SyncJob, client: Any, folder: str, me: frozenset[str], condstore: bool, hints: OwnAddressHints
) -> None:
    key = f"folder:{folder}"
    items = [b"UIDVALIDITY", b"UIDNEXT", b"MESSAGES", *([b"HIGHESTMODSEQ"] if condstore else [])]
    status = {k.decode().upper() if isinstance(k, bytes) else str(k).upper(): v
              for k, v in client.folder_status(folder, items).items()}  # fmt: skip
    uidvalidity, uidnext, count = int(status["UIDVALIDITY"]), int(status["UIDNEXT"]), int(status["MESSAGES"])
    modseq = int(status["HIGHESTMODSEQ"]) if "HIGHESTMODSEQ" in status else None
    saved: dict[str, Any] | None = job.state.get(key)
    if saved is not None and saved.get("uidvalidity") != uidvalidity:
        job.note(folder, folder, "UIDVALIDITY changed (the server renumbered the folder): read again, nothing twice")
        saved = None
    if saved is not None and modseq is not None and saved.get("modseq") == modseq and count == saved["messages"]:
        return  # CONDSTORE: nothing at all changed in the folder since the last sync
    start = int(saved["next_uid"]) if saved else 1
    state = {"uidvalidity": uidvalidity, "next_uid": max(start, uidnext), "messages": count, "modseq": modseq}
    uids: list[int] = []
    if uidnext > start:
        client.select_folder(folder, readonly=True)
        # "UID n:*" also matches the last message when every UID is below n: keep only those from n on.
        uids = sorted(int(u) for u in client.search(["UID", f"{start}:*"]) if int(u) >= start)
    if saved is not None and saved.get("messages") is not None:
        gone = int(saved["messages"]) + len(uids) - count
        if gone > 0:
            job.note(folder, folder, f"{gone} message(s) deleted or moved away since the last sync: "
                     "their interactions stay")  # fmt: skip
    if not uids:
        if saved != state:
            job.write(folder, [], {key: state})
        return
    origin = f"imap://{job.source.config['user']}@{job.source.config['host']}/{folder}"
    for first in range(0, len(uids), UNIT_SIZE):
        unit = uids[first : first + UNIT_SIZE]
        last_unit = first + UNIT_SIZE >= len(uids)
        # Before the last unit the folder is read only up to a UID: its count and modseq are not known yet.
        step = state if last_unit else {**state, "next_uid": unit[-1] + 1, "modseq": None, "messages": None}

        def records(conn: Connection, unit: list[int] = unit) -> Iterator[Record]:
            writer = job.writer  # the Writer of this very transaction, set by job.write
            if writer is None or writer.conn is not conn:
                raise RuntimeError("IMAP records asked for outside job.write")
            bodies = bool(job.source.config.get("bodies"))
            return mail_records(
                writer, _fetch_headers(client, unit, origin, bodies), me=me, source=SOURCE,
                max_recipients=job.options.max_recipients, two_way_only=job.options.two_way_only,
                provider_rules=job.options.provider_rules, hints=hints,
                bodies=body_source(job.source.name) if bodies else None,
            )  # fmt: skip

        with import_lock(job.app.engine, wait_seconds=LOCK_WAIT):
            job.write(folder, records, {key: step})


def body_source(name: str) -> str:
    """Return the name the bodies of a live IMAP source are kept under (mail_bodies.source)."""
    return f"imap:{name}"


def _fetch_headers(client: Any, uids: list[int], origin: str, bodies: bool = False
                   ) -> Iterator[RawHeaders | ParseIssue]:  # fmt: skip
    """Yield the header fields of each message (with `bodies`, the message itself, capped), FETCH_CHUNK UIDs per
    command; a message expunged meanwhile is simply not there."""
    for first in range(0, len(uids), FETCH_CHUNK):
        chunk = uids[first : first + FETCH_CHUNK]
        fetched = fetch_chunk(client, chunk, FETCH_WHOLE) if bodies else fetch_chunk(client, chunk)
        for uid in chunk:
            data = fetched.get(uid)
            if data is None:
                continue
            block = next((v for k, v in data.items() if bytes(k).upper().startswith(b"BODY[")), None)
            where = f"{origin};UID={uid}"
            if not block or not bytes(block).strip():
                yield ParseIssue(where, "no mail headers (From, To, Date, Subject, Message-ID) found")
            else:
                yield scan_maildir_message(bytes(block), where, bodies)


def fetch_chunk(client: Any, uids: list[int], what: str = FETCH) -> dict[int, dict[bytes, Any]]:
    """One FETCH of the header fields of these UIDs (a seam the tests use to stop the server mid-sync)."""
    result: dict[int, dict[bytes, Any]] = client.fetch(uids, [what])
    return result
