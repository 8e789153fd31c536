"""The first `today` after an import (issue 13): CPU, wall, peak RSS and the summed PSS of the command and the
child it may fork, on a fresh copy of a network per run, source trees interleaved round by round.

    python benchmarks/first_today.py NETWORK.db SRC [SRC ...] [--rounds 3] [--today 2026-11-02] [--workers 1|2]

Each SRC is a `src` folder (this worktree's, or an exported older commit's: `git archive COMMIT src | tar -x -C
DIR`). CPU is user + system from `os.wait4` (it includes the reaped child); `ru_maxrss` is the larger of the two
processes, not their sum, so the memory of both is also sampled every 0.1 s as the sum of their proportional set
sizes (`/proc/PID/smaps_rollup`, Linux). `--workers` sets `GIVEFIRST_MATCH_WORKERS` (default: the program's own
choice). The network is never written: each run copies it first (a first `today` fills the match cache).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# As the installed script starts it (`givefirst.cli.entry.run`; a tree older than that module, as it did then).
CODE = (
    "import sys\n"
    "sys.argv[0] = 'givefirst'\n"
    "try:\n    from givefirst.cli.entry import run\n"
    "except ImportError:\n    from givefirst.cli.app import main as run\n"
    "sys.exit(run())\n"
)


def _pss(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next((int(line.split()[1]) / 1024 for line in f if line.startswith("Pss:")), 0.0)
    except OSError:
        return 0.0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return found


def run_once(network: Path, src: Path, day: str, workers: str | None) -> dict[str, float]:
    """Run one first `today` of `src` on a fresh copy of `network`; return its figures."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "network.db"
        shutil.copy(network, db)
        env = {"PATH": os.environ.get("PATH", ""), "HOME": tmp, "GIVEFIRST_CONFIG": "", "PYTHONPATH": str(src),
               "XDG_CONFIG_HOME": f"{tmp}/config", "XDG_DATA_HOME": f"{tmp}/data"}  # fmt: skip
        if workers:
            env["GIVEFIRST_MATCH_WORKERS"] = workers
        cmd = [sys.executable, "-c", CODE, "--db", str(db), "--today", day, "today"]
        peak, stop = [0.0], threading.Event()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env=env)  # fmt: skip

        def sample() -> None:
            while not stop.wait(0.1):
                peak[0] = max(peak[0], _pss(proc.pid) + sum(_pss(k) for k in _children(proc.pid)))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        stop.set()
        sampler.join()
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{src}: the command failed:\n{err.decode(errors='replace')[-2000:]}")
    return {"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "rss": usage.ru_maxrss / 1024, "pss": peak[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("network", type=Path)
    parser.add_argument("sources", type=Path, nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--today", default="2026-11-02")
    parser.add_argument("--workers", choices=("1", "2"))
    args = parser.parse_args()
    for r in range(1, args.rounds + 1):
        for src in args.sources:
            f = run_once(args.network, src, args.today, args.workers)
            print(f"round {r} {src}: cpu {f['cpu']:.2f} s, wall {f['wall']:.2f} s, rss {f['rss']:.0f} MB, "
                  f"pss of both {f['pss']:.0f} MB, load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
