"""Live-source sync benchmarks, each figure beside its target and its peer.

    python benchmarks/sync_bench.py [--keep DIR] [--messages N] [--runs N] [--json FILE]

Figures:

* IMAP first sync of 50,000 messages (`givefirst sync`, the whole process) from a Dovecot on this machine
  holding them (INBOX, and "Sent Messages" for the user's own), against importing the very same messages from
  an mbox file in the same run (`givefirst import mbox`, the peer): wall time, target ≤ 3× the import (the
  sync asks a server for each message's headers where the import reads a file); peak RSS, target ≤ 300 MB, the
  mbox import's own bound. Both runs must give the same interactions (checked, printed in the notes).
* a sync with nothing new, per source kind (`NO_CHANGE` below; other kinds add theirs there), target ≤ 1 s:
  the sync itself (`run_sync`, median of `--runs` in one process) and the whole `givefirst sync NAME` process
  (median of `--runs`), the latter beside `givefirst sources` on the same database (the cost of any command).

The messages are `import_bench.generate_mbox`'s (real-looking headers and bodies, ~5 KB each), kept in DIR with
--keep. Dovecot (`apt-get install dovecot-imapd`) runs as a child with its own config in a temporary folder;
without it the IMAP figures are reported as NOT RUN and the rest runs. Exit status non-zero only on a crash.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # the tests' Dovecot helper (tests/sync/dovecot.py)

import import_bench  # noqa: E402
from run import Crash, Figure, NotInstalled, fmt, report, run_once  # noqa: E402

MESSAGES = 50_000
TARGET_FIRST_FACTOR = 3.0  # first IMAP sync within 3x the mbox import of the same messages
TARGET_RSS_MB = 300.0
TARGET_NO_CHANGE_S = 1.0
PASSWORD_ENV = "GIVEFIRST_BENCH_IMAP_PASSWORD"
_FROM_LINE = re.compile(rb"^From [^\n]*\n", re.MULTILINE)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def interactions(db: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return set(conn.execute("SELECT external_id, direction FROM interactions"))


def shared_message_ids(mbox: Path) -> set[str]:
    """Return the Message-IDs that more than one message of the mbox carries."""
    seen: dict[bytes, int] = {}
    for match in re.finditer(rb"(?im)^message-id:[ \t]*<([^>\r\n]*)>", mbox.read_bytes()):
        seen[match[1]] = seen.get(match[1], 0) + 1
    return {key.decode("utf-8", "replace") for key, count in seen.items() if count > 1}


def fill_maildirs(server: Any, mbox: Path) -> dict[str, int]:
    """Put each message of the mbox in the account: the user's own into "Sent Messages", the rest into INBOX."""
    data = mbox.read_bytes()
    starts = [m.start() for m in _FROM_LINE.finditer(data)] + [len(data)]
    counts = {"INBOX": 0, "Sent Messages": 0}
    own = f"<{import_bench.ME}>".encode()
    uid = gid = None
    if os.geteuid() == 0:
        import pwd

        account = pwd.getpwnam("dovecot")
        uid, gid = account.pw_uid, account.pw_gid
    folders = {name: server.staging(name) for name in counts}
    for folder in folders.values():
        for sub in ("cur", "new", "tmp"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
    for n, (start, end) in enumerate(itertools.pairwise(starts)):
        block = data[start:end]
        message = block[block.index(b"\n") + 1 :].replace(b"\n>From ", b"\nFrom ")  # mboxrd unescaped
        head = message[: message.find(b"\n\n")]
        sender = next((line for line in head.split(b"\n") if line.lower().startswith(b"from:")), b"")
        name = "Sent Messages" if own in sender or import_bench.ME.encode() == sender[5:].strip() else "INBOX"
        (folders[name] / "cur" / f"{1_700_000_000 + n}.M{n}P1.bench:2,S").write_bytes(message)
        counts[name] += 1
    if uid is not None:  # the server reads the staging folder as its mail user
        for root, dirs, files in os.walk(server.root / "staging"):
            for item in (*dirs, *files):
                os.chown(os.path.join(root, item), uid, gid)  # type: ignore[arg-type]
    # Into the server's own storage (sdbox: its indexes are the truth, as on a server that has held the mail a
    # while). Maildir written a moment ago is not that: Dovecot rescans a fresh 40,000-file maildir on every
    # STATUS, 0.5 s per 10,000 messages, which is the test files' cost, not a sync's.
    server.import_staging()
    shutil.rmtree(server.root / "staging")
    return counts


def imap_figures(
    mbox: Path, info: dict[str, Any], runs: int, workdir: Path, env: dict[str, str], givefirst: str
) -> tuple[list[Figure], Callable[[], None]]:
    """The first sync beside its peer, then the no-change sync; return the figures and the server's stop."""
    from tests.sync.dovecot import DOVECOT, PASSWORD, Dovecot

    if DOVECOT is None:
        raise NotInstalled("Dovecot is not installed (apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="gf-bench-", dir="/tmp"))
    server = Dovecot(root, user=import_bench.ME, storage="sdbox")
    server.start()

    def stop() -> None:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)

    try:
        counts = fill_maildirs(server, mbox)
        with server.client() as client:  # the server indexes its folders once, as a real one has long done
            for folder in counts:
                client.folder_status(folder, [b"MESSAGES", b"UIDNEXT"])
        log(f"Dovecot on 127.0.0.1:{server.port} with {counts}")
        env = {**env, PASSWORD_ENV: PASSWORD}

        peer_db, sync_db = workdir / "mbox-peer.db", workdir / "imap-sync.db"
        run_once([givefirst, "--db", str(peer_db), "people"], env)
        log(f"peer: givefirst import mbox {mbox.name} ({info['messages']:,} messages)")
        peer = run_once([givefirst, "--db", str(peer_db), "import", "mbox", str(mbox), "--me", import_bench.ME], env)
        log(f"  {peer.wall_s:.1f} s, peak RSS {peer.maxrss_mb:.0f} MB")
        add = [givefirst, "--db", str(sync_db), "source", "add", "bench-mail", "imap", "--host", "127.0.0.1", "--port",
               str(server.port), "--user", import_bench.ME, "--security", "none", "--password-env", PASSWORD_ENV,
               "--folders", "INBOX,Sent"]  # fmt: skip
        run_once(add, env)
        log("givefirst sync bench-mail (first sync)")
        first = run_once([givefirst, "--db", str(sync_db), "sync", "bench-mail"], env)
        log(f"  {first.wall_s:.1f} s, peak RSS {first.maxrss_mb:.0f} MB")
        synced, imported = interactions(sync_db), interactions(peer_db)
        differ = synced ^ imported
        # Different messages sharing one Message-ID (the generator makes some, as broken mailers do) are one
        # interaction, the first one read: file order for the import, folder order for the sync. Nothing else may
        # differ.
        shared = shared_message_ids(mbox)
        unexplained = {e for e, _ in differ} - shared
        if unexplained:
            raise Crash(f"the first IMAP sync and the mbox import disagree on {sorted(unexplained)[:5]}")
        ids = len({e for e, _ in differ})
        outcome = f"{len(synced):,} interactions, the mbox import {len(imported):,}: " + (
            "the same"
            if not differ
            else f"{ids} differ, each a Message-ID that several different messages share "
            f"({len(shared)} such ids in the file; the first message read counts, in file or folder order)"
        )
        label = f"{info['messages']:,} messages"
        figures = [
            Figure(f"IMAP first sync ({label}), wall time", first.wall_s, "s", TARGET_FIRST_FACTOR * peer.wall_s,
                   f"≤ 3 × import mbox ({fmt(peer.wall_s, 's')})", peer=f"import mbox {fmt(peer.wall_s, 's')}",
                   note=outcome + f"; INBOX {counts['INBOX']:,}, Sent {counts['Sent Messages']:,}",
                   samples=[first.wall_s]),
            Figure("IMAP first sync, peak RSS", first.maxrss_mb, "MB", TARGET_RSS_MB, "≤ 300 MB",
                   peer=f"import mbox {fmt(peer.maxrss_mb, 'MB')}", samples=[first.maxrss_mb]),
        ]  # fmt: skip

        figures += no_change_figures("IMAP", sync_db, "bench-mail", runs, env, givefirst, workdir)
    except BaseException:  # a crash (or Ctrl-C) mid-way must not leave the server running
        stop()
        raise
    return figures, stop


def child(db: str, name: str, runs: int) -> None:
    """Time `run_sync` of one source `runs` times in this process (after one warm-up); print the walls as JSON."""
    import json

    from givefirst.config import Settings
    from givefirst.services.context import open_app
    from givefirst.services.sync import run_sync

    app = open_app(Settings(database=db))
    walls = []
    for n in range(runs + 1):
        start = time.perf_counter()
        result = run_sync(app, name)
        if n:
            walls.append(time.perf_counter() - start)
        if not result.ok or result.report.totals():
            raise SystemExit(f"not a sync with nothing new: {result.error or result.report.totals()}")
    app.close()
    print(json.dumps(walls))


# What a sync with nothing new asks the server, by kind (the in-process figure's peer column).
WHAT_IT_ASKS = {
    "IMAP": "connect, log in, STATUS each folder, record the sync",
    "CardDAV": "one sync-collection REPORT (credentials sent first), record the sync",
    "CalDAV": "one sync-collection REPORT (credentials sent first), record the sync",
    "feed": "one conditional GET answered 304",
}


def no_change_figures(
    kind: str, db: Path, name: str, runs: int, env: dict[str, str], givefirst: str, workdir: Path
) -> list[Figure]:
    """A sync with nothing new: the sync itself (in one process, `run_sync`) and the whole `givefirst sync`
    process, each against 1 s; the peer of the process is `givefirst sources` on the same database (a command
    that starts, opens the database and does no network)."""
    import json

    out = workdir / f"no-change-{name}.json"
    run_once([sys.executable, __file__, "--child", str(db), name, str(runs)], env, stdout=out)
    inner = json.loads(out.read_text())
    sync_cmd, peer_cmd = [givefirst, "--db", str(db), "sync", name], [givefirst, "--db", str(db), "sources"]
    run_once(sync_cmd, env)  # warm-up
    walls, peers = [], []
    for _ in range(runs):
        walls.append(run_once(sync_cmd, env).wall_s)
        peers.append(run_once(peer_cmd, env).wall_s)
    median, peer = statistics.median(walls), statistics.median(peers)
    log(f"  no-change {kind} sync: {fmt(statistics.median(inner), 's')} in-process, {fmt(median, 's')} process")
    return [
        Figure(f"{kind} sync with nothing new (run_sync)", statistics.median(inner), "s", TARGET_NO_CHANGE_S, "≤ 1 s",
               peer=WHAT_IT_ASKS.get(kind.split(" (")[0], ""),
               note=f"median of {runs} in one process", samples=inner),
        Figure(f"{kind} sync with nothing new (givefirst sync, process)", median, "s", TARGET_NO_CHANGE_S, "≤ 1 s",
               peer=f"givefirst sources {fmt(peer, 's')}", note=f"median of {runs} whole processes; "
               f"the process costs {fmt(max(0.0, median - peer), 's')} more than one that only reads the database",
               samples=walls),
    ]  # fmt: skip


# Other kinds measured for "a sync with nothing new": kind -> a function given (workdir, env, givefirst) that
# starts its server, adds a source to a database and syncs it once, and returns (the database, the source's
# name, the server's stop). The IMAP one shares the first sync's server and database.
NO_CHANGE: dict[str, Callable[[Path, dict[str, str], str], tuple[Path, str, Callable[[], None]]]] = {}
from sync_dav_sources import SOURCES as DAV_SOURCES  # noqa: E402 - CardDAV, CalDAV and feed sources

NO_CHANGE.update(DAV_SOURCES)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child(argv[1], argv[2], int(argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the generated mbox in DIR and reuse it")
    parser.add_argument("--messages", type=int, default=MESSAGES, help="messages of the first sync (50,000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each no-change sync")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the results as JSON")
    args = parser.parse_args(argv)
    started = datetime.now()
    python = sys.executable
    givefirst = str(Path(python).parent / "givefirst")
    figures: list[Figure] = []
    crashed = False
    with tempfile.TemporaryDirectory(prefix="givefirst-sync-bench-") as tmp:
        workdir = Path(tmp)
        config = workdir / "empty-config.toml"
        config.write_text("")
        env = {k: v for k, v in os.environ.items() if k not in ("GIVEFIRST_DB", "GIVEFIRST_TODAY")}
        env.update(GIVEFIRST_CONFIG=str(config), PYTHONPYCACHEPREFIX=str(workdir / "pycache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        directory = args.keep or workdir
        directory.mkdir(parents=True, exist_ok=True)
        mbox = directory / f"sync-{args.messages}.mbox"
        info = import_bench.kept(mbox, messages=args.messages, version=import_bench.MBOX_VERSION)
        if info is None:
            log(f"generating {mbox} ({args.messages:,} messages)...")
            info = import_bench.generate_mbox(mbox, args.messages)
        stop: Callable[[], None] = lambda: None  # noqa: E731
        try:
            found, stop = imap_figures(mbox, info, args.runs, workdir, env, givefirst)
            figures += found
        except NotInstalled as exc:
            log(f"NOT RUN: {exc}")
            figures.append(Figure(f"IMAP first sync ({args.messages:,} messages), wall time", None, "s",
                                  note=str(exc), not_run=True))  # fmt: skip
        except (Crash, OSError, RuntimeError) as exc:
            log(f"CRASHED: {exc}")
            crashed = True
            figures.append(Figure(f"IMAP first sync ({args.messages:,} messages), wall time", None, "s"))
        finally:
            stop()
        for kind, prepare in NO_CHANGE.items():
            try:
                db, name, clean_up = prepare(workdir, env, givefirst)
                try:
                    figures += no_change_figures(kind, db, name, args.runs, env, givefirst, workdir)
                finally:
                    clean_up()
            except (Crash, OSError, RuntimeError) as exc:
                log(f"CRASHED: {kind}: {exc}")
                crashed = True
                figures.append(Figure(f"{kind} sync with nothing new", None, "s", TARGET_NO_CHANGE_S, "≤ 1 s"))
        shutil.rmtree(workdir / "pycache", ignore_errors=True)
    report(f"givefirst sync benchmarks, {started:%Y-%m-%d %H:%M}", figures, started, args.json)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
