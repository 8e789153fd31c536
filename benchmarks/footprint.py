"""What a user installs: the runtime environment's size and its cold set-up time, beside the full development one.

    python benchmarks/footprint.py [--json OUT] [--keep-venv DIR]

`make demo` installs the product alone (`pip install -e .`); `make test` adds the test and benchmark tools. This
builds a fresh virtual environment in a temporary folder, times `pip install .` into it (the cold set-up a new
user waits for; packages come from the registry or pip's cache, as they would for them), measures what it holds
on disk and checks that its `givefirst` runs a command. The peer is the environment this script runs in, which
`make bench` set up with every extra: the ratio says how much of it a user is spared.

Targets: the runtime environment at most half the full one (it was 443 MB against 795 MB, with matplotlib
still a runtime dependency), and the cold set-up at most 3 minutes (2 min 22 s was measured for the full set-up
in a fresh clone). A network-bound figure: it varies with the registry and pip's cache more than the machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
import venv
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import Figure, report  # noqa: E402

ROOT = HERE.parent
TARGET_SHARE = 0.5
TARGET_SETUP_S = 180.0


def tree_mb(path: Path) -> float:
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            file = Path(folder) / name
            if not file.is_symlink():
                total += file.stat().st_size
    return total / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the results as JSON")
    parser.add_argument("--keep-venv", type=Path, metavar="DIR", help="build the runtime environment here and keep it")
    args = parser.parse_args()
    started = datetime.now()
    full_mb = tree_mb(Path(sysconfig.get_paths()["purelib"]))
    with tempfile.TemporaryDirectory(prefix="givefirst-footprint-") as tmp:
        target = args.keep_venv or Path(tmp) / "venv"
        venv.EnvBuilder(with_pip=True, clear=True).create(target)
        python = target / "bin" / "python"
        t0 = time.perf_counter()
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(ROOT)], check=True)
        setup_s = time.perf_counter() - t0
        purelib = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        runtime_mb = tree_mb(Path(purelib))
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "XDG_DATA_HOME": home, "XDG_CONFIG_HOME": home}
            env.pop("GIVEFIRST_DB", None)
            ran = subprocess.run([str(target / "bin" / "givefirst"), "--db", f"{home}/x.db", "people"], env=env,
                                 capture_output=True, text=True)  # fmt: skip
    figures = [
        Figure("runtime environment (site-packages)", runtime_mb, "MB", full_mb * TARGET_SHARE,
               f"≤ {TARGET_SHARE:.0%} of the full one", f"full (test, bench, plot): {full_mb:.0f} MB"),
        Figure("cold set-up: pip install . into a new venv", setup_s, "s", TARGET_SETUP_S,
               f"≤ {TARGET_SETUP_S:.0f} s", "", "network-bound: registry and pip's cache"),
    ]  # fmt: skip
    if ran.returncode != 0:
        figures[0].note = f"givefirst did not run in the runtime environment: {ran.stderr.strip()[:300]}"
        figures[0].measured = None
    report("What a user installs", figures, started, args.json)
    return 0 if all(f.verdict in ("ok", "info") for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
