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


def test_a_ratio_to_the_plain_command_pairs_each_round() -> None:
    """A machine that speeds up part-way: the command is 1.1 × the plain command in every round, but the medians
    of the whole run fall in different halves of it (0.30 ÷ 0.20 = 1.5). The figure's ratio pairs the rounds."""
    import scale_bench
    from run import Figure, Sample

    plain = [Sample(t, 50.0) for t in (0.30, 0.30, 0.20, 0.20, 0.20)]
    command = [Sample(t, 50.0) for t in (0.33, 0.33, 0.33, 0.22, 0.22)]  # the third round still slow for it
    figure = Figure("x", 0.33, "s", 1.2 * 0.20, paired=scale_bench.paired(command, plain, 1.2))
    assert figure.ratio_of_medians is not None and round(figure.ratio_of_medians, 3) == 1.375
    assert figure.ratio is not None and round(figure.ratio, 4) == round(1.1 / 1.2, 4)
    assert figure.verdict == "ok"
    assert Figure("y", 0.33, "s", 0.24).ratio == figure.ratio_of_medians  # unpaired: the ratio of the medians
