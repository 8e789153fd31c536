"""Run givefirst's benchmarks and print one table: figure, measured, target, peer, ratio, verdict.

    python benchmarks/run.py [--quick] [--keep DIR] [--regenerate] [--json FILE] [--runs N] [--startup-runs N]
                             [--scan-runs N]

Figures (docs/benchmarks.md explains each):

* generator: wall time of `generate_network.py` for the network (target ≤ 60 s at full size);
* `givefirst today` on that network, the whole process: median wall time after a warm-up (target ≤ 1.0 s)
  and its peak RSS (target ≤ 300 MB), both per process (`os.wait4`);
* start-up: `givefirst --help` against its peers `python -c pass` and `python -c "import typer"`, with
  budget = 3 × pass + (typer − pass); ratio = help / budget (target ≤ 1);
* `givefirst people --due --json`, for information;
* imports (inputs from `import_bench.py`, kept in DIR with --keep): `givefirst import mbox` of a 1 GB mbox of
  200,000 messages (50 MB with --quick) into a fresh database, peak RSS (target ≤ 300 MB), with its wall time
  and counts; `scan_mbox` (each message's header fields, as the peer reads them) over that file against
  `mailbox.mbox` with `email` parsing (target ≥ 3× as fast) and against `grep -c '^From '` (target ≤ 5× its
  time), and `read_mbox` (the fields decoded too) for information; `givefirst import linkedin` of a 30,000-row
  Connections.csv (target ≤ 3.0 s median), against `sqlite-utils insert --csv` (target ≤ 2×), and its re-import
  (target < 0.5× the first import).

Every ratio is measured / target, so ≤ 1 meets the target. Commands that are compared run interleaved, round
after round, each round in a rotated order, so that drifting machine load touches all of them alike. The exit
status is 0 when every benchmark ran, whether or not it met its target; non-zero only when something crashed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import import_bench
from generate_network import Params

HERE = Path(__file__).resolve().parent
GENERATOR = HERE / "generate_network.py"
SIZES = {
    "full": Params(people=20_000, interactions=500_000, needs=5_000, offers=5_000),
    "quick": Params(people=2_000, interactions=50_000, needs=500, offers=500),
}
TARGET_GENERATOR_S = 60.0
TARGET_TODAY_S = 1.0
TARGET_TODAY_RSS_MB = 300.0
PRIME = (  # what the timed commands import, so that their bytecode is cached before the clock starts
    f"import sys; sys.path.insert(0, {str(HERE)!r}); import generate_network, typer, rich.console, "
    "givefirst.cli.app, givefirst.cli.render, givefirst.services.plan, givefirst.services.network, "
    "givefirst.store.migrate"
)
TIMEOUT_S = 900.0  # a command that runs longer than this is killed and counted as a crash
MBOX_MESSAGES = {"full": 200_000, "quick": 10_000}  # about 1 GB and 50 MB
LINKEDIN_ROWS = 30_000
TARGET_MBOX_RSS_MB = 300.0
TARGET_STDLIB_SPEEDUP = 3.0  # scan_mbox at least 3x as fast as mailbox.mbox with email parsing
TARGET_GREP_FACTOR = 5.0  # scan_mbox within 5x of grep -c '^From '
TARGET_LINKEDIN_S = 3.0
TARGET_SQLITE_UTILS_FACTOR = 2.0
TARGET_REIMPORT_SHARE = 0.5


class Crash(Exception):
    """A benchmarked command failed: the run goes on, but the exit status says so."""


class NotInstalled(Exception):
    """What a benchmark needs besides Python is missing (a server to sync from): its figures are reported NOT RUN,
    the run goes on and the exit status does not count it (`make bench` must run on a machine without it)."""


@dataclass
class Sample:
    wall_s: float
    maxrss_mb: float


@dataclass
class Figure:
    figure: str
    measured: float | None
    unit: str  # "s" or "MB"
    target: float | None = None
    target_text: str = ""
    peer: str = ""
    note: str = ""
    samples: list[float] = field(default_factory=list)
    not_run: bool = False  # not measured because something besides Python is missing (`NotInstalled`)

    @property
    def ratio(self) -> float | None:
        if self.measured is None or self.target is None:
            return None
        return self.measured / self.target

    @property
    def verdict(self) -> str:
        if self.measured is None:
            return "NOT RUN" if self.not_run else "CRASHED"
        if self.ratio is None:
            return "info"
        return "ok" if self.ratio <= 1.0 else "MISSED"

    def as_dict(self) -> dict[str, Any]:
        return {
            "figure": self.figure,
            "measured": self.measured,
            "unit": self.unit,
            "target": self.target,
            "target_text": self.target_text,
            "peer": self.peer,
            "ratio": self.ratio,
            "verdict": self.verdict,
            "note": self.note,
            "samples": self.samples,
        }


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "×":
        return f"{value:.2f}×"
    return f"{value:.0f} {unit}"


# --- running commands ----------------------------------------------------------------------------------------------


def run_once(cmd: Sequence[str], env: dict[str, str], stdout: Path | None = None) -> Sample:
    """Run a command to its end, output discarded (or written to `stdout`); return its wall time and its own peak
    RSS (not its children's)."""
    with tempfile.TemporaryFile() as err, open(stdout or os.devnull, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        timer = threading.Timer(TIMEOUT_S, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: tell Popen
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-3000:]
            raise Crash(f"`{' '.join(cmd)}` exited with status {proc.returncode}:\n{tail}")
    return Sample(wall, usage.ru_maxrss / 1024)  # Linux reports kilobytes


def interleaved(
    commands: dict[str, list[str]],
    rounds: int,
    env: dict[str, str],
    log: Any,
    prepare: Callable[[str], None] | None = None,
    warm_up: bool = True,
    capture: Path | None = None,
) -> dict[str, list[Sample]]:
    """Warm every command up once, then run `rounds` rounds, each in a rotated order; return the samples.

    `prepare(name)` runs before every run of that command, untimed (e.g. a fresh copy of a database). With
    `capture`, each command's output goes to the file `capture/NAME.out` instead of /dev/null (GNU grep, for
    one, stops at the first match when its output is /dev/null).
    """
    names = list(commands)

    def once(name: str) -> Sample:
        if prepare is not None:
            prepare(name)
        return run_once(commands[name], env, stdout=capture / f"{name}.out" if capture else None)

    for name in names if warm_up else ():
        once(name)  # warm-up: page cache, .pyc files
    out: dict[str, list[Sample]] = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            out[name].append(once(name))
        log(f"  round {r + 1}/{rounds}: " + ", ".join(f"{n} {fmt(out[n][-1].wall_s, 's')}" for n in names))
    return out


def median_wall(samples: list[Sample]) -> float:
    return statistics.median(s.wall_s for s in samples)


# --- the network ---------------------------------------------------------------------------------------------------


def _schema_revision(db: Path) -> str | None:
    conn = sqlite3.connect(db)
    try:
        found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        conn.close()
    return None if found is None else str(found[0])


def prepare_network(
    directory: Path, size: str, params: Params, env: dict[str, str], regenerate: bool, log: Any
) -> tuple[Path, dict[str, Any], bool]:
    """Return the database, the generator's summary and whether it was generated now (else reused)."""
    db = directory / f"network-{size}.db"
    meta = directory / f"network-{size}.json"
    if not regenerate and db.exists() and meta.exists():
        summary = json.loads(meta.read_text())
        if summary.get("params") == params.as_dict() and "wall_s" in summary:
            log(f"reusing {db} (generated {summary.get('generated_at', '?')})")
            # Written by an older givefirst, it is migrated here, once: else every command timed on a fresh copy of
            # it (a first `today`) would pay the upgrade (4 s at 100,000 people: the foreign keys checked whole).
            before = _schema_revision(db)
            migrated = run_once([str(Path(sys.executable).parent / "givefirst"), "--db", str(db), "merges"], env)
            if _schema_revision(db) != before:
                log(f"  migrated from schema {before} to {_schema_revision(db)} in {migrated.wall_s:.1f} s")
            return db, summary, False
    cmd = [
        sys.executable,
        str(GENERATOR),
        str(db),
        "--people",
        str(params.people),
        "--interactions",
        str(params.interactions),
        "--needs",
        str(params.needs),
        "--offers",
        str(params.offers),
        "--seed",
        str(params.seed),
        "--today",
        params.today.isoformat(),
        "--force",
        "--summary",
        str(meta),
    ]
    log(f"generating {db} ({params.people:,} people, {params.interactions:,} interactions)...")
    sample = run_once(cmd, env)
    summary = json.loads(meta.read_text())
    summary.update(
        wall_s=round(sample.wall_s, 3),
        maxrss_mb=round(sample.maxrss_mb, 1),
        generated_at=datetime.now().isoformat(timespec="seconds"),
    )
    meta.write_text(json.dumps(summary, indent=2) + "\n")
    log(f"  done in {sample.wall_s:.2f} s (peak RSS {sample.maxrss_mb:.0f} MB)")
    return db, summary, True


# --- the machine ---------------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    ram_gb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "?"

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "python": platform.python_version(),
        "os": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": version("SQLAlchemy"),
        "typer": version("typer"),
        "sqlite-utils": version("sqlite-utils"),
        "givefirst": version("givefirst"),
    }


# --- the benchmarks ------------------------------------------------------------------------------------------------


def run(
    args: argparse.Namespace, workdir: Path, log: Any
) -> tuple[list[Figure], dict[str, Any], list[str], dict[str, Any]]:
    figures: list[Figure] = []
    crashes: list[str] = []
    python = sys.executable
    givefirst = str(Path(python).parent / "givefirst")
    if not Path(givefirst).exists():
        raise Crash(f"no givefirst console script next to {python}: install the project (pip install -e .)")
    size = "quick" if args.quick else "full"
    params = SIZES[size]
    config = workdir / "empty-config.toml"  # the user's own config file must not change the scores or the plan
    config.write_text("")
    env = {k: v for k, v in os.environ.items() if k not in ("GIVEFIRST_DB", "GIVEFIRST_TODAY")}
    env["GIVEFIRST_CONFIG"] = str(config)
    # Installed users always have bytecode (.pyc) files; an editable install under PYTHONDONTWRITEBYTECODE=1
    # would recompile givefirst's own modules on every run. Cache bytecode in the work directory instead (the
    # source tree stays untouched), and prime it before anything is timed.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    run_once([python, "-c", PRIME], env)

    # 1. the generator
    directory = args.keep if args.keep else workdir
    directory.mkdir(parents=True, exist_ok=True)
    label = f"generate network ({params.people:,} people, {params.interactions:,} interactions)"
    try:
        db, summary, fresh = prepare_network(directory, size, params, env, args.regenerate, log)
    except Crash as exc:
        figures.append(Figure(label, None, "s", TARGET_GENERATOR_S, "≤ 60 s"))
        crashes.append(str(exc))
        return figures, {}, crashes, {}
    figures.append(
        Figure(
            label,
            summary["wall_s"],
            "s",
            TARGET_GENERATOR_S,
            "≤ 60 s" + ("" if size == "full" else " (full size)"),
            peer=f"{summary['size_mb']:.0f} MB file, peak RSS {summary.get('maxrss_mb', 0):.0f} MB",
            note="" if fresh else f"reused from {directory}, generated {summary.get('generated_at', '?')}",
            samples=[summary["wall_s"]],
        )
    )
    day = params.today.isoformat()
    base = [givefirst, "--db", str(db), "--today", day]

    # 2. today (and people --due, for information), interleaved
    runs = max(5, args.runs)
    log(f"givefirst today / people --due on {db.name}: warm-up, then {runs} interleaved rounds")
    plan: dict[str, list[Sample]] = {}
    try:
        plan = interleaved(
            {"today": [*base, "today"], "people --due": [*base, "people", "--due", "--json"]}, runs, env, log
        )
    except Crash as exc:
        crashes.append(str(exc))

    # 3. start-up, interleaved with its peers
    startup: dict[str, list[Sample]] = {}
    rounds = max(5, args.startup_runs)
    log(f"start-up: warm-up, then {rounds} interleaved rounds of givefirst --help, python -c pass, import typer")
    try:
        startup = interleaved(
            {"help": [givefirst, "--help"], "pass": [python, "-c", "pass"], "typer": [python, "-c", "import typer"]},
            rounds,
            env,
            log,
        )
    except Crash as exc:
        crashes.append(str(exc))

    help_s = median_wall(startup["help"]) if startup else None
    help_rss = max(s.maxrss_mb for s in startup["help"]) if startup else None
    help_peer = f"givefirst --help {fmt(help_s, 's')}" if help_s is not None else ""
    if plan:
        walls = [s.wall_s for s in plan["today"]]
        figures.append(
            Figure(
                f"givefirst today, median wall ({runs} runs)",
                median_wall(plan["today"]),
                "s",
                TARGET_TODAY_S,
                "≤ 1.00 s",
                peer=help_peer,
                note=f"min {min(walls):.3f} s, max {max(walls):.3f} s",
                samples=walls,
            )
        )
        rss = [s.maxrss_mb for s in plan["today"]]
        figures.append(
            Figure(
                "givefirst today, peak RSS",
                max(rss),
                "MB",
                TARGET_TODAY_RSS_MB,
                "≤ 300 MB",
                peer=f"givefirst --help {fmt(help_rss, 'MB')}" if help_rss else "",
                note="largest of the runs, per process (wait4)",
                samples=rss,
            )
        )
    else:
        figures.append(Figure("givefirst today, median wall", None, "s", TARGET_TODAY_S, "≤ 1.00 s"))
        figures.append(Figure("givefirst today, peak RSS", None, "MB", TARGET_TODAY_RSS_MB, "≤ 300 MB"))
    if startup:
        pass_s, typer_s = median_wall(startup["pass"]), median_wall(startup["typer"])
        budget = 3 * pass_s + (typer_s - pass_s)
        walls = [s.wall_s for s in startup["help"]]
        figures.append(
            Figure(
                f"givefirst --help, median wall ({rounds} runs)",
                help_s,
                "s",
                budget,
                f"≤ 3×pass + (typer − pass) = {fmt(budget, 's')}",
                peer=f"python -c pass {fmt(pass_s, 's')}; import typer {fmt(typer_s, 's')}",
                note=f"min {min(walls) * 1000:.0f} ms, max {max(walls) * 1000:.0f} ms",
                samples=walls,
            )
        )
    else:
        figures.append(Figure("givefirst --help, median wall", None, "s"))
    if plan:
        walls = [s.wall_s for s in plan["people --due"]]
        due_rss = max(s.maxrss_mb for s in plan["people --due"])
        figures.append(
            Figure(
                f"givefirst people --due --json, median wall ({runs} runs)",
                median_wall(plan["people --due"]),
                "s",
                None,
                "— (information)",
                peer=f"peak RSS {due_rss:.0f} MB",
                samples=walls,
                note=f"min {min(walls):.3f} s, max {max(walls):.3f} s",
            )
        )
    else:
        figures.append(Figure("givefirst people --due --json, median wall", None, "s", None, "— (information)"))

    # 4. the imports: an mbox and a LinkedIn Connections.csv
    tools = {"givefirst": givefirst, "python": python, "sqlite-utils": str(Path(python).parent / "sqlite-utils")}
    found, imports, failed = import_benchmarks(args, workdir, env, tools, log)
    return figures + found, summary, crashes + failed, imports


# --- the imports ---------------------------------------------------------------------------------------------------


def copy_db(src: Path, dst: Path) -> None:
    """Replace `dst` with a copy of the SQLite file `src` (and its WAL, if one was left)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
        if Path(f"{src}{suffix}").exists():
            shutil.copyfile(f"{src}{suffix}", f"{dst}{suffix}")


def import_counts(report: Path) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Return the totals of an import's --json report and its most common skip reasons (numbers blanked)."""
    data = json.loads(report.read_text())
    reasons: Counter[str] = Counter()
    for unit in data["files"]:
        reasons.update(
            s["reason"].split(" (")[0].replace("Message-ID ", "Message-ID\0").split("\0")[0] for s in unit["skipped"]
        )
    return data["totals"], reasons.most_common(6)


def prepare_inputs(directory: Path, size: str, log: Any) -> tuple[Path, dict[str, Any], Path, dict[str, Any]]:
    """Return the mbox and Connections.csv (made now unless kept from before) and their generators' summaries."""
    mbox = directory / f"import-{size}.mbox"
    mbox_info = import_bench.kept(mbox, messages=MBOX_MESSAGES[size], version=import_bench.MBOX_VERSION)
    if mbox_info is None:
        log(f"generating {mbox} ({MBOX_MESSAGES[size]:,} messages)...")
        start = time.perf_counter()
        mbox_info = import_bench.generate_mbox(mbox, MBOX_MESSAGES[size])
        log(f"  done in {time.perf_counter() - start:.1f} s ({mbox_info['bytes'] / 1e9:.2f} GB)")
    else:
        log(f"reusing {mbox}")
    csv = directory / f"linkedin-{LINKEDIN_ROWS}" / "Connections.csv"  # givefirst knows LinkedIn files by name
    csv.parent.mkdir(exist_ok=True)
    csv_info = import_bench.kept(csv, rows=LINKEDIN_ROWS, version=import_bench.LINKEDIN_VERSION)
    if csv_info is None:
        log(f"generating {csv}...")
        csv_info = import_bench.generate_connections(csv, LINKEDIN_ROWS)
    else:
        log(f"reusing {csv}")
    return mbox, mbox_info, csv, csv_info


def mbox_figures(
    mbox: Path, info: dict[str, Any], rounds: int, workdir: Path, env: dict[str, str], tools: dict[str, str], log: Any
) -> tuple[list[Figure], dict[str, Any]]:
    """The mbox import (peak RSS, wall time, counts) and scan_mbox against mailbox.mbox and grep."""
    givefirst, python = tools["givefirst"], tools["python"]
    label = f"{info['bytes'] / 1e9:.2f} GB, {info['messages']:,} messages" if info["bytes"] > 5e8 else (
        f"{info['bytes'] / 1e6:.0f} MB, {info['messages']:,} messages")  # fmt: skip
    db, report = workdir / "mbox.db", workdir / "mbox-import.json"
    run_once([givefirst, "--db", str(db), "people"], env)  # a fresh database, as a new user has
    log(f"givefirst import mbox {mbox.name} --json ({label}): one run")
    cmd = [givefirst, "--db", str(db), "import", "mbox", str(mbox), "--me", import_bench.ME, "--json"]
    sample = run_once(cmd, env, stdout=report)  # it also brings the file into the page cache for the scans below
    totals, reasons = import_counts(report)
    log(f"  {sample.wall_s:.1f} s, peak RSS {sample.maxrss_mb:.0f} MB; {totals}")
    counts = ", ".join(f"{totals.get(k, 0):,} {k}" for k in ("added", "interactions added", "skipped", "warnings"))
    figures = [
        Figure(f"import mbox ({label}), peak RSS", sample.maxrss_mb, "MB", TARGET_MBOX_RSS_MB, "≤ 300 MB",
               peer=f"wall {fmt(sample.wall_s, 's')}", note="one run, with --json", samples=[sample.maxrss_mb]),
        Figure("import mbox, wall time", sample.wall_s, "s", None, "— (information)", peer=f"people {counts}",
               note="skipped: " + "; ".join(f"{n:,} {r}" for r, n in reasons), samples=[sample.wall_s]),
    ]  # fmt: skip
    script = str(HERE / "import_bench.py")
    commands = {
        "scan_mbox": [python, script, "scan", str(mbox)],
        "grep": ["grep", "-c", "^From ", str(mbox)],
        "mailbox.mbox": [python, script, "scan-stdlib", str(mbox)],
        "read_mbox": [python, script, "read", str(mbox)],
    }
    log(f"scan_mbox / grep -c / mailbox.mbox / read_mbox over {mbox.name}: {rounds} interleaved rounds "
        "(cache warm: no warm-up)")  # fmt: skip
    scans = interleaved(commands, rounds, env, log, warm_up=False, capture=workdir)
    found = {name: (workdir / f"{name}.out").read_text().strip() for name in commands}
    if len(set(found.values())) != 1:
        raise Crash(f"the scans disagree on the number of messages: {found}")
    ours, grep, stdlib, decoded = (median_wall(scans[name]) for name in commands)
    walls = [s.wall_s for s in scans["scan_mbox"]]
    spread = f"scan_mbox {min(walls):.2f}–{max(walls):.2f} s"
    budget = stdlib / TARGET_STDLIB_SPEEDUP
    figures.append(
        Figure(f"scan_mbox over the mbox, median wall ({rounds} runs)", ours, "s", budget,
               f"≤ mailbox.mbox / 3 = {fmt(budget, 's')}", peer=f"mailbox.mbox + email {fmt(stdlib, 's')}",
               note=f"{spread}; mailbox.mbox {min(s.wall_s for s in scans['mailbox.mbox']):.1f}–"
                    f"{max(s.wall_s for s in scans['mailbox.mbox']):.1f} s", samples=walls)
    )  # fmt: skip
    budget = grep * TARGET_GREP_FACTOR
    figures.append(
        Figure("scan_mbox against a raw line scan", ours, "s", budget, f"≤ 5 × grep = {fmt(budget, 's')}",
               peer=f"grep -c '^From ' {fmt(grep, 's')}", samples=[s.wall_s for s in scans["grep"]],
               note=f"grep {min(s.wall_s for s in scans['grep']) * 1000:.0f}–"
                    f"{max(s.wall_s for s in scans['grep']) * 1000:.0f} ms")
    )  # fmt: skip
    figures.append(
        Figure("read_mbox (every field decoded too)", decoded, "s", None, "— (information)",
               peer=f"{decoded / grep:.1f} × grep, {stdlib / decoded:.1f}× faster than mailbox.mbox",
               note="what the import does for mail its skip rules keep", samples=[s.wall_s for s in scans["read_mbox"]])
    )  # fmt: skip
    return figures, {"import": {"wall_s": sample.wall_s, "maxrss_mb": sample.maxrss_mb, "totals": totals}}


def linkedin_figures(
    csv: Path, rounds: int, workdir: Path, env: dict[str, str], tools: dict[str, str], log: Any
) -> tuple[list[Figure], dict[str, Any]]:
    """Connections.csv: the first import, sqlite-utils insert --csv on the same rows, and the re-import."""
    givefirst = tools["givefirst"]
    empty, imported = workdir / "linkedin-empty.db", workdir / "linkedin-imported.db"
    run_once([givefirst, "--db", str(empty), "people"], env)
    copy_db(empty, imported)
    report = workdir / "linkedin-import.json"
    run_once([givefirst, "--db", str(imported), "import", "linkedin", str(csv), "--json"], env, stdout=report)
    totals, _ = import_counts(report)
    bare = workdir / "Connections-no-preamble.csv"  # sqlite-utils takes the first line for the header
    import_bench.without_preamble(csv, bare)
    first_db, reimport_db, peer_db = workdir / "linkedin-first.db", workdir / "linkedin-again.db", workdir / "peer.db"
    commands = {
        "import": [givefirst, "--db", str(first_db), "import", "linkedin", str(csv)],
        "sqlite-utils": [tools["sqlite-utils"], "insert", str(peer_db), "connections", str(bare), "--csv"],
        "re-import": [givefirst, "--db", str(reimport_db), "import", "linkedin", str(csv)],
    }
    missing = not Path(tools["sqlite-utils"]).exists()
    if missing:  # the other two figures still run
        del commands["sqlite-utils"]

    def prepare(name: str) -> None:  # every run starts from the same state
        if name == "import":
            copy_db(empty, first_db)
        elif name == "re-import":
            copy_db(imported, reimport_db)
        else:
            copy_db(workdir / "missing.db", peer_db)  # removes it: sqlite-utils creates a new file

    log(f"import linkedin / sqlite-utils insert / re-import: warm-up, then {rounds} interleaved rounds")
    samples = interleaved(commands, rounds, env, log, prepare=prepare)
    first, again = median_wall(samples["import"]), median_wall(samples["re-import"])
    peer = median_wall(samples["sqlite-utils"]) if not missing else None
    walls = [s.wall_s for s in samples["import"]]
    rss = max(s.maxrss_mb for s in samples["import"])

    def spread(name: str) -> str:
        return f"{name} {min(s.wall_s for s in samples[name]):.2f}–{max(s.wall_s for s in samples[name]):.2f} s"

    versus = "import linkedin against sqlite-utils insert --csv"
    figures = [
        Figure(f"import linkedin Connections.csv ({LINKEDIN_ROWS:,} rows), median wall ({rounds} runs)", first, "s",
               TARGET_LINKEDIN_S, "≤ 3.00 s", peer=f"peak RSS {rss:.0f} MB", note=spread("import"), samples=walls),
        Figure(versus, None, "s", None, "≤ 2 × sqlite-utils", note="no sqlite-utils: pip install -e '.[test,bench]'")
        if peer is None else
        Figure(versus, first, "s", peer * TARGET_SQLITE_UTILS_FACTOR,
               f"≤ 2 × sqlite-utils = {fmt(peer * 2, 's')}", peer=f"sqlite-utils {fmt(peer, 's')}",
               note=spread("sqlite-utils") + " (the file without its Notes: preamble)",
               samples=[s.wall_s for s in samples["sqlite-utils"]]),
        Figure("re-import of the unchanged Connections.csv, median wall", again, "s", first * TARGET_REIMPORT_SHARE,
               f"< 0.5 × first import = {fmt(first / 2, 's')}", peer=f"first import {fmt(first, 's')}",
               note=spread("re-import"), samples=[s.wall_s for s in samples["re-import"]]),
    ]  # fmt: skip
    return figures, {"first_import_totals": totals, "missing": ["sqlite-utils"] if missing else []}


def import_benchmarks(
    args: argparse.Namespace, workdir: Path, env: dict[str, str], tools: dict[str, str], log: Any
) -> tuple[list[Figure], dict[str, Any], list[str]]:
    """Every import figure, and what the JSON keeps about the inputs; a crash costs only its own figures."""
    size = "quick" if args.quick else "full"
    directory = args.keep if args.keep else workdir
    mbox, mbox_info, csv, csv_info = prepare_inputs(directory, size, log)
    info: dict[str, Any] = {"mbox": mbox_info, "linkedin": csv_info}
    figures: list[Figure] = []
    crashes: list[str] = []
    try:
        found, info["mbox_results"] = mbox_figures(mbox, mbox_info, max(1, args.scan_runs), workdir, env, tools, log)
        figures += found
    except Crash as exc:
        crashes.append(str(exc))
        figures.append(Figure("import mbox, peak RSS", None, "MB", TARGET_MBOX_RSS_MB, "≤ 300 MB"))
    try:
        found, info["linkedin_results"] = linkedin_figures(csv, max(5, args.runs), workdir, env, tools, log)
        figures += found
        if info["linkedin_results"]["missing"]:
            crashes.append(f"no sqlite-utils next to {tools['python']}: install the bench extra (pip install -e "
                           "'.[test,bench]'); the sqlite-utils comparison was not run")  # fmt: skip
    except Crash as exc:
        crashes.append(str(exc))
        figures.append(Figure("import linkedin Connections.csv, median wall", None, "s", TARGET_LINKEDIN_S, "≤ 3.00 s"))
    return figures, info, crashes


def table(figures: list[Figure]) -> str:
    head = ("figure", "measured", "target", "peer", "ratio", "verdict")
    rows = [
        (
            f.figure,
            fmt(f.measured, f.unit),
            f.target_text,
            f.peer or "—",
            "—" if f.ratio is None else f"{f.ratio:.2f}",
            f.verdict,
        )
        for f in figures
    ]
    widths = [max(len(str(r[i])) for r in (head, *rows)) for i in range(len(head))]
    lines = [" | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in (head, *rows)]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def report(heading: str, figures: list[Figure], started: datetime, json_path: Path | None) -> None:
    """Print a benchmark script's table with its notes and misses, and save it as JSON when asked."""
    print(f"\n{heading}")
    print("ratio = measured / target (≤ 1 meets it)\n")
    print(table(figures))
    for f in figures:
        if f.note:
            print(f"\n{f.figure}: {f.note}")
    missed = [f.figure for f in figures if f.verdict == "MISSED"]
    if missed:
        print("\nTARGET MISSED: " + "; ".join(missed))
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"date": started.isoformat(timespec="seconds"), "figures": [f.as_dict() for f in figures]}
        json_path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a 2,000-person / 50,000-interaction network")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the network in DIR and reuse it next time")
    parser.add_argument("--regenerate", action="store_true", help="with --keep: generate again even if it is there")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the results as JSON")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of `today` after a warm-up (at least 5)")
    parser.add_argument("--startup-runs", type=int, default=21, help="rounds of the start-up comparison")
    parser.add_argument(
        "--scan-runs", type=int, default=3, help="rounds of scan_mbox / grep / mailbox.mbox / read_mbox"
    )
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = datetime.now()
    with tempfile.TemporaryDirectory(prefix="givefirst-bench-") as tmp:
        try:
            figures, network, crashes, imports = run(args, Path(tmp), log)
        except Crash as exc:
            log(f"error: {exc}")
            return 1
    info = machine()
    print(f"\ngivefirst benchmarks, {started:%Y-%m-%d %H:%M}, {'quick' if args.quick else 'full'} network")
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM; Python {info['python']}, "
        f"SQLite {info['sqlite']}, SQLAlchemy {info['sqlalchemy']}, typer {info['typer']}"
    )
    print("ratio = measured / target (≤ 1 meets it); start-up budget = 3 × (python -c pass) + (import typer − pass)\n")
    print(table(figures))
    notes = [f"{f.figure}: {f.note}" for f in figures if f.note]
    if notes:
        print("\n" + "\n".join(notes))
    missed = [f.figure for f in figures if f.verdict == "MISSED"]
    if missed:
        print("\nTARGET MISSED: " + "; ".join(missed))
    for crash in crashes:
        print(f"\nCRASHED: {crash}", file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "date": started.isoformat(timespec="seconds"),
            "size": "quick" if args.quick else "full",
            "today": network.get("params", {}).get("today"),
            "machine": info,
            "network": network,
            "imports": imports,
            "figures": [f.as_dict() for f in figures],
            "crashes": crashes,
        }
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        print(f"\nsaved {args.json}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
