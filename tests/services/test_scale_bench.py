"""benchmarks/scale_bench.py times the first `today` on a copy of a network as the generator left it: a network a
command has already scored (`make bench` runs `run.py`'s `today` on the shared 20,000-person one) is told apart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))


def test_a_generated_network_is_unscored_until_a_command_scores_it(tmp_path: Path) -> None:
    import scale_bench

    db = tmp_path / "network.db"
    size = ["--people", "80", "--interactions", "800", "--needs", "12", "--offers", "12", "--today", "2026-11-02"]
    generate = [sys.executable, str(ROOT / "benchmarks" / "generate_network.py"), str(db), *size]
    subprocess.run(generate, check=True, capture_output=True)
    assert scale_bench.scored(db) == []
    givefirst = Path(sys.executable).parent / "givefirst"
    subprocess.run([str(givefirst), "--db", str(db), "--today", "2026-11-02", "today"], check=True, capture_output=True)
    assert {"match_marks", "text_vectors"} <= set(scale_bench.scored(db))


def test_the_ratio_by_round_pairs_each_command_with_the_plain_command_of_its_round() -> None:
    """A machine that speeds up part-way: the command is 1.1 × the plain command in every round, but the medians
    of the whole run fall in different halves of it (0.33 ÷ 0.20 = 1.65). The peer column says both."""
    import scale_bench
    from run import Sample

    plain = [Sample(t, 50.0) for t in (0.30, 0.30, 0.20, 0.20, 0.20)]
    command = [Sample(t, 50.0) for t in (0.33, 0.33, 0.22, 0.22, 0.33)]  # the last round slow for it alone
    assert round(scale_bench.paired(command, plain, 1.0), 4) == 1.1
    assert round(scale_bench.paired(command, plain, 1.2), 4) == round(1.1 / 1.2, 4)
    assert scale_bench.by_round(command, plain, 1.2) == "; by round 0.92"
