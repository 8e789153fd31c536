"""Reach benchmarks on the large network (20,000 people, 500,000 interactions), each figure beside its target.

    python benchmarks/reach_bench.py [--keep DIR] [--regenerate] [--runs N] [--json FILE]

Figures:

* building the graph: the contact-to-contact edges from every interaction, employer, introduction and link,
  written to their cache, plus the user's 20,000 ties — timed inside a child process (target ≤ 10 s);
* one path query on the built graph: the median over people picked at random and "someone in Florida"
  (targets resolved, best three paths of at most three hops) — in the same child (target ≤ 300 ms);
* peak RSS of that child, which built the graph and ran every query (target ≤ 500 MB);
* for information, whole processes: `givefirst path --place Florida` with the edge cache warm, and
  `givefirst today` with an open goal (the plan's own target, ≤ 1.0 s, must still hold).

The network is `network-full.db` from `generate_network.py` (generated into DIR when missing); it is copied,
never modified in place. The exit status is non-zero only when a command crashed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
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

TARGET_BUILD_S, TARGET_QUERY_S, TARGET_RSS_MB, TARGET_TODAY_S = 10.0, 0.3, 500.0, 1.0
PEOPLE_QUERIES = 20


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def child(db: str, today: str) -> None:
    """Build the graph and time queries in this process; print the figures as JSON."""
    from datetime import date

    from givefirst.config import Settings
    from givefirst.domain.goals import Target
    from givefirst.domain.paths import best_paths
    from givefirst.services.context import open_app
    from givefirst.services.graph import load_network
    from givefirst.services.reach import target_people

    app = open_app(Settings(database=db, today=date.fromisoformat(today)))
    start = time.perf_counter()
    with app.begin() as conn:
        net = load_network(conn, app, refresh=True)
        adjacency = net.adjacency  # part of building: what the search walks
    build = time.perf_counter() - start
    start = time.perf_counter()
    with app.begin() as conn:
        load_network(conn, app)
    cached = time.perf_counter() - start
    others = sorted(n for n in net.edges if n != net.me)
    picks = random.Random(7).sample(others, PEOPLE_QUERIES)
    times, found = [], []
    for pid in picks:
        start = time.perf_counter()
        paths = best_paths(adjacency, net.me, [pid], k=3)
        times.append(time.perf_counter() - start)
        found.append(len(paths))
    start = time.perf_counter()
    with app.begin() as conn:
        florida = target_people(conn, Target(place="Florida"))
    paths = best_paths(adjacency, net.me, florida.keys(), k=3)
    place = time.perf_counter() - start
    print(json.dumps({
        "build_s": build, "cached_load_s": cached, "edges": net.edge_count, "nodes": len(net.edges),
        "person_query_s": times, "place_query_s": place, "florida_people": len(florida),
        "paths_found": found, "florida_paths": len(paths),
    }))  # fmt: skip


def run(args: argparse.Namespace, tmp: Path) -> tuple[list[Figure], dict[str, object]]:
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp), "GIVEFIRST_CONFIG": "",
           "XDG_CONFIG_HOME": str(tmp / "config"), "XDG_DATA_HOME": str(tmp / "data")}  # fmt: skip
    if "PYTHONPATH" in os.environ:  # benchmarking a source tree without installing it
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    params = Params()
    source, _, _ = prepare_network(args.keep or tmp, "full", params, env, args.regenerate, log)
    db = tmp / "reach.db"
    shutil.copyfile(source, db)
    givefirst = str(Path(sys.executable).parent / "givefirst")
    base = [givefirst, "--db", str(db), "--today", params.today.isoformat()]
    run_once([*base, "goal", "list"], env)  # migrates the copy to this version's schema
    log("building the graph and timing path queries in a child process...")
    out = tmp / "child.json"
    sample = run_once([sys.executable, __file__, "--child", str(db), params.today.isoformat()], env, stdout=out)
    got = json.loads(out.read_text())
    queries = [*got["person_query_s"], got["place_query_s"]]
    figures = [
        Figure("build the graph (20,000 people, 500,000 interactions)", got["build_s"], "s", TARGET_BUILD_S, "≤ 10 s",
               note=f"{got['edges']:,} edges among {got['nodes']:,} people; loading it again from its cache "
               f"{got['cached_load_s']:.2f} s"),
        Figure("one path query on the built graph (median)", statistics.median(queries), "s", TARGET_QUERY_S,
               "≤ 300 ms", note=f"{PEOPLE_QUERIES} people and 'someone in Florida' ({got['florida_people']:,} "
               f"people; {got['place_query_s'] * 1000:.0f} ms); slowest {max(queries) * 1000:.0f} ms",
               samples=queries),
        Figure("peak RSS: build + every query", sample.maxrss_mb, "MB", TARGET_RSS_MB, "≤ 500 MB"),
    ]  # fmt: skip
    log("whole processes: givefirst path --place Florida (cache warm), givefirst today with a goal...")
    run_once([*base, "goal", "add", "Move to Florida", "--place", "Florida"], env)
    paths: list[Sample] = [run_once([*base, "path", "--place", "Florida"], env) for _ in range(args.runs)]
    run_once([*base, "today"], env)  # warm-up
    todays = [run_once([*base, "today"], env) for _ in range(args.runs)]
    figures.append(Figure("givefirst path --place Florida, whole process (median)",
                          statistics.median(s.wall_s for s in paths), "s", note="for information: start-up, the "
                          "cached graph and the explanations included", samples=[s.wall_s for s in paths]))  # fmt: skip
    figures.append(Figure("givefirst today with an open goal (median)", statistics.median(s.wall_s for s in todays),
                          "s", TARGET_TODAY_S, "≤ 1.00 s", samples=[s.wall_s for s in todays]))  # fmt: skip
    return figures, got


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the network in DIR and reuse it next time")
    parser.add_argument("--regenerate", action="store_true", help="with --keep: generate again even if it is there")
    parser.add_argument("--runs", type=int, default=5, help="whole-process runs timed (median)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the results as JSON")
    parser.add_argument("--child", nargs=2, metavar=("DB", "TODAY"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    started = datetime.now()
    with tempfile.TemporaryDirectory(prefix="givefirst-reach-bench-") as tmp:
        try:
            figures, _ = run(args, Path(tmp))
        except (Crash, subprocess.SubprocessError) as exc:
            log(f"error: {exc}")
            return 1
    report(
        f"givefirst reach benchmarks, {started:%Y-%m-%d %H:%M}, 20,000 people, 500,000 interactions",
        figures,
        started,
        args.json,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
