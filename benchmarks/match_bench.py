"""Matching engine benchmarks on the large network (5,000 needs × 5,000 offers), each figure beside its target.

    python benchmarks/match_bench.py [--keep DIR] [--regenerate] [--runs N] [--json FILE]

Figures, every one a whole `givefirst` process (wall time and its own peak RSS, `os.wait4`):

* full matching from cold, embeddings included: `givefirst match --rescore` on the network with its vector
  cache emptied (target ≤ 20 s);
* full matching with cached embeddings: the same again, the vectors now cached (target ≤ 5 s);
* adding one need and getting its suggestions: one `givefirst need PERSON TEXT` process (it scores the new need
  against every offer and prints its best three suggestions, as a user sees them), beyond the start-up of a
  database command of the same CLI: a plain database command (`givefirst needs PERSON --json`: the imports,
  opening the database, one query), run beside it in each round — target ≤ 200 ms; the median over `--runs`
  rounds of (addition − plain command), after one addition not timed (the first after a full pass caches the
  tokenizer's merges);
* the same beyond `givefirst --help` (no database, no SQLAlchemy), for information;
* adding one offer (scored against every need, the offers' index rebuilt; it prints the needs it serves),
  beyond the plain database command, for information;
* for the additions, the CPU time (user + system) beyond the plain command too: on a busy shared machine it moves
  far less than the wall time;
* `givefirst today` with the engine's cache fresh: median after a warm-up (target ≤ 1.0 s);
* peak RSS of all of the above (target ≤ 500 MB).

The network is `network-full.db` from `generate_network.py` (generated into DIR when missing, about 20 s).
The exit status is non-zero only when a command crashed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_network import Params  # noqa: E402
from run import Crash, Figure, Sample, prepare_network, report, run_once  # noqa: E402

TARGET_COLD_S, TARGET_CACHED_S, TARGET_ADD_S, TARGET_TODAY_S, TARGET_RSS_MB = 20.0, 5.0, 0.2, 1.0, 500.0
NEW_NEEDS = [
    "Looking for a data engineering role in Austin — Python, Spark and dbt",
    "Need a fractional CFO who knows logistics, remote is fine",
    "Hiring a night-shift warehouse supervisor for our Tampa DC",
    "Looking for an introduction to a customs broker in Miami",
    "Want a mentor who moved from operations into product management",
]
NEW_OFFERS = [
    "Happy to introduce you to a customs broker in Miami",
    "We're hiring a data engineer in Austin, Python and dbt",
    "Can review pitch decks for logistics startups",
    "Spare ticket to ProMat in March",
    "I mentor operations people moving into product",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def empty_caches(db: Path, vectors: bool) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM match_suggestions")
        conn.execute("DELETE FROM match_marks")
        if vectors:
            conn.execute("DELETE FROM text_vectors")


def someone(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT id FROM people WHERE NOT is_me ORDER BY id LIMIT 1 OFFSET 100").fetchone()[0])


def timed(cmd: list[str], env: dict[str, str], stdout: Path | None = None) -> tuple[Sample, float]:
    """Run a command as `run_once` does; return its sample and its own CPU time (user + system), which a busy
    shared machine disturbs far less than the wall time."""
    with open(stdout or os.devnull, "wb") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE, env=env)
        start = time.perf_counter()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise Crash(f"`{' '.join(cmd)}` exited with status {proc.returncode}:\n{err[-3000:]}")
    return Sample(wall, usage.ru_maxrss / 1024), usage.ru_utime + usage.ru_stime


def run(args: argparse.Namespace, tmp: Path) -> list[Figure]:
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp), "GIVEFIRST_CONFIG": "",
           "XDG_CONFIG_HOME": str(tmp / "config"), "XDG_DATA_HOME": str(tmp / "data")}  # fmt: skip
    if "PYTHONPATH" in os.environ:  # a worktree's sources first, as the tests run them
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    params = Params()
    source, _, _ = prepare_network(args.keep or tmp, "full", params, env, args.regenerate, log)
    db = tmp / "match.db"
    shutil.copyfile(source, db)
    givefirst = str(Path(sys.executable).parent / "givefirst")
    base = [givefirst, "--db", str(db), "--today", params.today.isoformat()]
    samples: list[Sample] = []
    figures: list[Figure] = []

    empty_caches(db, vectors=True)
    log("full matching from cold (no cached vectors)...")
    cold = run_once([*base, "match", "--rescore", "--limit", "1"], env)
    samples.append(cold)
    figures.append(Figure("match --rescore, cold (embeddings included)", cold.wall_s, "s", TARGET_COLD_S, "≤ 20 s"))
    empty_caches(db, vectors=False)
    log("full matching with cached vectors...")
    cached = run_once([*base, "match", "--rescore", "--limit", "1"], env)
    samples.append(cached)
    figures.append(Figure("match --rescore, cached embeddings", cached.wall_s, "s", TARGET_CACHED_S, "≤ 5 s"))

    log(f"adding one need (it prints its suggestions), {args.runs} times, beside a plain database command...")
    pid = someone(db)
    helps, floors, adds, offers = [], [], [], []
    cpu: dict[str, list[float]] = {"help": [], "floor": [], "add": [], "offer": []}
    run_once([givefirst, "--help"], env)  # warm-up
    run_once([*base, "need", str(pid), "Looking for a warm-up introduction"], env)  # caches the tokenizer's merges
    shown = tmp / "need.out"
    for i in range(args.runs):
        sample, cpu_s = timed([givefirst, "--help"], env)
        helps.append(sample.wall_s)
        cpu["help"].append(cpu_s)
        sample, cpu_s = timed([*base, "needs", str(pid), "--json"], env)  # a plain database command
        floors.append(sample.wall_s)
        cpu["floor"].append(cpu_s)
        add, cpu_s = timed([*base, "need", str(pid), NEW_NEEDS[i % len(NEW_NEEDS)]], env, stdout=shown)
        cpu["add"].append(cpu_s)
        if "Offers that meet it" not in shown.read_text():
            raise Crash("`givefirst need` printed no suggestions section")
        offer, cpu_s = timed([*base, "offer", str(pid), NEW_OFFERS[i % len(NEW_OFFERS)]], env)
        cpu["offer"].append(cpu_s)
        samples += [add, offer]
        adds.append(add.wall_s)
        offers.append(offer.wall_s)
    beyond = statistics.median(a - f for a, f in zip(adds, floors, strict=True))
    floor, startup = statistics.median(floors), statistics.median(helps)
    figures.append(
        Figure(
            "add one need + its suggestions, beyond a plain DB command",
            beyond,
            "s",
            TARGET_ADD_S,
            "≤ 200 ms",
            note=f"median of {args.runs} rounds of `givefirst need` − `givefirst needs PERSON --json`: "
            f"{statistics.median(adds) * 1000:.0f} ms for the addition, {floor * 1000:.0f} ms for the plain command "
            "(the imports and opening the database every database command pays); in CPU time (user + system), "
            f"{statistics.median(a - f for a, f in zip(cpu['add'], cpu['floor'], strict=True)) * 1000:.0f} ms "
            f"beyond ({statistics.median(cpu['add']) * 1000:.0f} vs {statistics.median(cpu['floor']) * 1000:.0f} ms)",
            samples=[a - f for a, f in zip(adds, floors, strict=True)],
        )
    )
    figures.append(
        Figure(
            "  the same beyond `givefirst --help`",
            statistics.median(a - h for a, h in zip(adds, helps, strict=True)),
            "s",
            note=f"`givefirst --help` {startup * 1000:.0f} ms: it imports neither SQLAlchemy nor the schema",
        )
    )
    figures.append(
        Figure(
            "add one offer + the needs it serves, beyond a plain DB command",
            statistics.median(o - f for o, f in zip(offers, floors, strict=True)),
            "s",
            note=f"median {statistics.median(offers) * 1000:.0f} ms: scored against every need, the offers' BM25 "
            "index rebuilt; in CPU time "
            f"{statistics.median(o - f for o, f in zip(cpu['offer'], cpu['floor'], strict=True)) * 1000:.0f} ms beyond",
        )
    )
    log("givefirst today with the cache fresh...")
    run_once([*base, "today"], env)  # warm-up
    todays = [run_once([*base, "today"], env) for _ in range(args.runs)]
    samples += todays
    figures.append(
        Figure(
            "givefirst today, median wall",
            statistics.median(s.wall_s for s in todays),
            "s",
            TARGET_TODAY_S,
            "≤ 1.00 s",
            samples=[s.wall_s for s in todays],
        )
    )
    peak = max(s.maxrss_mb for s in samples)
    figures.append(Figure("peak RSS of all the above", peak, "MB", TARGET_RSS_MB, "≤ 500 MB"))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the network in DIR and reuse it next time")
    parser.add_argument("--regenerate", action="store_true", help="with --keep: generate again even if it is there")
    parser.add_argument("--runs", type=int, default=5, help="additions and `today` runs timed (median)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the results as JSON")
    args = parser.parse_args(argv)
    started = datetime.now()
    with tempfile.TemporaryDirectory(prefix="givefirst-match-bench-") as tmp:
        try:
            figures = run(args, Path(tmp))
        except Crash as exc:
            log(f"error: {exc}")
            return 1
    report(
        f"givefirst matching benchmarks, {started:%Y-%m-%d %H:%M}, 5,000 needs × 5,000 offers",
        figures,
        started,
        args.json,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
