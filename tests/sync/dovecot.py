"""A real Dovecot IMAP server on a loopback port, for the sync tests and benchmarks/sync_bench.py.

Debian's `dovecot-imapd` (`apt-get install dovecot-imapd`; .ci/run installs it), run as our own process: a
generated config in a temporary folder, a password file, maildirs there too, no TLS.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
USER, PASSWORD = "me@example.com", "correct horse battery"
STAGED = "staged-"

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 0
mail_location = {storage}:{root}/mail/%u
mail_uid = {uid}
mail_gid = {gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox "Sent Messages" {{
    special_use = \\Sent
    auto = create
  }}
  mailbox Archive {{
    special_use = \\Archive
    auto = create
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Dovecot:
    """One Dovecot server on 127.0.0.1:port; `start`, `stop`, and helpers to fill its mailboxes over IMAP."""

    def __init__(self, root: Path, user: str = USER, storage: str = "maildir") -> None:
        assert DOVECOT is not None
        self.root, self.port, self.user = root, free_port(), user
        self.config = root / "dovecot.conf"
        for sub in ("run", "state", "mail", "home"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:  # Dovecot will not give mail to root: the maildirs belong to its own user
            account = pwd.getpwnam("dovecot")
            internal, login, uid, gid = "dovecot", "dovenull", account.pw_uid, account.pw_gid
            for sub in ("mail", "home"):
                os.chown(root / sub, uid, gid)
            os.chmod(root, 0o755)
        else:
            me = pwd.getpwuid(os.geteuid())
            internal = login = me.pw_name
            uid, gid = me.pw_uid, me.pw_gid
        (root / "passwd").write_text(f"{user}:{{PLAIN}}{PASSWORD}\n", encoding="utf-8")
        self.config.write_text(
            CONFIG.format(root=root, storage=storage, port=self.port, internal=internal, login=login, uid=uid, gid=gid),
            encoding="utf-8",
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        assert DOVECOT is not None
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: `stop` ends the login and mail processes too
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self._why())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    if s.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("Dovecot did not answer within 10 s: " + self._why())

    def stop(self) -> None:
        """Stop the server and every process of it: open IMAP sessions end mid-command, as in a crash."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        if self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None

    def _why(self) -> str:
        log = self.root / "dovecot.log"
        err = self.process.stderr.read().decode(errors="replace") if self.process and self.process.stderr else ""
        text = (log.read_text(errors="replace") if log.exists() else "") + err
        return text.strip()[-800:]

    def client(self) -> Any:
        from imapclient import IMAPClient

        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(self.user, PASSWORD)
        return client

    def append(self, folder: str, *messages: bytes) -> None:
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            for message in messages:
                client.append(folder, message)

    def doveadm(self, *args: str) -> None:
        subprocess.run(
            [shutil.which("doveadm") or "/usr/bin/doveadm", "-c", str(self.config), *args],
            check=True, capture_output=True,
        )  # fmt: skip

    def staging(self, folder: str) -> Path:
        """A maildir folder outside the server (Maildir++, as `.FOLDER`) to write many messages into, fast;
        `import_staging` then moves them all into the account's folder of that name, as the server's own."""
        return self.root / "staging" / f".{STAGED}{folder}"

    def import_staging(self) -> None:
        self.doveadm("import", "-u", self.user, f"maildir:{self.root / 'staging'}", "", "all")
        for staged in sorted((self.root / "staging").glob(f".{STAGED}*")):
            # (`doveadm import` leaves a Maildir++ INBOX out: each folder comes in as STAGED+name, then moves)
            folder = staged.name.removeprefix(f".{STAGED}")
            self.doveadm("move", "-u", self.user, folder, "mailbox", staged.name[1:], "all")
            self.doveadm("mailbox", "delete", "-u", self.user, staged.name[1:])

    def config_for(self, **more: Any) -> dict[str, Any]:
        """The `source add` options of an imap source on this server."""
        return {"host": "127.0.0.1", "port": self.port, "user": self.user, "security": "none",
                "password_env": "GIVEFIRST_TEST_IMAP_PASSWORD", **more}  # fmt: skip


def message(
    sender: str, to: str, subject: str, when: datetime, *, message_id: str | None = None, cc: str = "",
    extra: str = "",
) -> bytes:  # fmt: skip
    """Return one small real-looking message (headers and a body)."""
    lines = [
        f"From: {sender}", f"To: {to}", *([f"Cc: {cc}"] if cc else []), f"Subject: {subject}",
        f"Date: {format_datetime(when.replace(tzinfo=UTC))}",
        *([f"Message-ID: <{message_id}>"] if message_id else []), *([extra] if extra else []),
        "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "",
        f"Hello,\r\n\r\nabout {subject.lower()}: the body is never read by givefirst.\r\n",
    ]  # fmt: skip
    return "\r\n".join(lines).encode()
