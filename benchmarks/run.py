"""Run givefirst's benchmarks and print one table: figure, measured, target, peer, ratio, verdict.

    python benchmarks/run.py [--quick] [--keep DIR] [--regenerate] [--json FILE] [--runs N] [--startup-runs N]

Figures (docs/benchmarks.md explains each):

* generator: wall time of `generate_network.py` for the network (target ≤ 60 s at full size);
* `givefirst today` on that network, the whole process: median wall time after a warm-up (target ≤ 1.0 s)
  and its peak RSS (target ≤ 300 MB), both per process (`os.wait4`);
* start-up: `givefirst --help` against its peers `python -c pass` and `python -c "import typer"`, with
  budget = 3 × pass + (typer − pass); ratio = help / budget (target ≤ 1);
* `givefirst people --due --json`, for information.

Every ratio is measured / target, so ≤ 1 meets the target. Commands that are compared run interleaved, round
after round, each round in a rotated order, so that drifting machine load touches all of them alike. The exit
status is 0 when every benchmark ran, whether or not it met its target; non-zero only when something crashed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

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


class Crash(Exception):
    """A benchmarked command failed: the run goes on, but the exit status says so."""


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

    @property
    def ratio(self) -> float | None:
        if self.measured is None or self.target is None:
            return None
        return self.measured / self.target

    @property
    def verdict(self) -> str:
        if self.measured is None:
            return "CRASHED"
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
    return f"{value:.0f} {unit}"


# --- running commands ----------------------------------------------------------------------------------------------


def run_once(cmd: Sequence[str], env: dict[str, str]) -> Sample:
    """Run a command to its end, output discarded; return its wall time and its own peak RSS (not its children's)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env)
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


def interleaved(commands: dict[str, list[str]], rounds: int, env: dict[str, str], log: Any) -> dict[str, list[Sample]]:
    """Warm every command up once, then run `rounds` rounds, each in a rotated order; return the samples."""
    names = list(commands)
    for name in names:
        run_once(commands[name], env)  # warm-up: page cache, .pyc files
    out: dict[str, list[Sample]] = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            out[name].append(run_once(commands[name], env))
        log(f"  round {r + 1}/{rounds}: " + ", ".join(f"{n} {fmt(out[n][-1].wall_s, 's')}" for n in names))
    return out


def median_wall(samples: list[Sample]) -> float:
    return statistics.median(s.wall_s for s in samples)


# --- the network ---------------------------------------------------------------------------------------------------


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
        "givefirst": version("givefirst"),
    }


# --- the benchmarks ------------------------------------------------------------------------------------------------


def run(args: argparse.Namespace, workdir: Path, log: Any) -> tuple[list[Figure], dict[str, Any], list[str]]:
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
        return figures, {}, crashes
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
    return figures, summary, crashes


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a 2,000-person / 50,000-interaction network")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the network in DIR and reuse it next time")
    parser.add_argument("--regenerate", action="store_true", help="with --keep: generate again even if it is there")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the results as JSON")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of `today` after a warm-up (at least 5)")
    parser.add_argument("--startup-runs", type=int, default=21, help="rounds of the start-up comparison")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = datetime.now()
    with tempfile.TemporaryDirectory(prefix="givefirst-bench-") as tmp:
        try:
            figures, network, crashes = run(args, Path(tmp), log)
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
            "figures": [f.as_dict() for f in figures],
            "crashes": crashes,
        }
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        print(f"\nsaved {args.json}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
