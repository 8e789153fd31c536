"""What keeping mail bodies costs (issue 14): a 10,000-message mbox imported with headers only, then again with
--bodies (bodies turned on later: only the bodies are new), again (nothing new), and `givefirst heard` over the
bodies kept.

    python benchmarks/heard_bodies.py [--messages N] [--json OUT]

The messages: N/2 correspondents who each wrote once (a text drawn from the labelled set of
benchmarks/heard/, as plain text, as HTML only, or as multipart/alternative; with a quoted reply under it and a
signature, as mail programs write them) and got one reply. Each figure is one run on a fresh SQLite file.
Target (issue 14): extraction over 10,000 messages ≤ 10 s, incremental afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from givefirst.config import Settings  # noqa: E402
from givefirst.services import heard  # noqa: E402
from givefirst.services.context import open_app  # noqa: E402
from givefirst.services.importer import ImportOptions, import_paths  # noqa: E402
from heard_quality import SETS, load  # noqa: E402

ME = "jordan@example.com"
TARGET_SECONDS = 10.0
T0 = datetime(2025, 1, 6, 9, 0)
_PLACES = ("Tampa", "Ybor", "Lakeland", "Clearwater", "Brandon", "Dunedin", "Sarasota", "Orlando", "Ocala",
           "Largo", "Seminole", "Temple", "Plant", "Riverview", "Valrico", "Wesley", "Odessa", "Lutz")  # fmt: skip
_THINGS = ("bakery", "clinic", "warehouse", "school", "garden", "studio", "kitchen", "library", "church", "gym",
           "marina", "brewery", "theater", "museum", "pantry", "garage", "farm", "office")  # fmt: skip


def _message(rng: random.Random, n: int, text: str, inbound: bool) -> bytes:
    who = f"Person {n} <p{n}@clients{n % 97}.example>"
    sender, to = (who, f"Jordan <{ME}>") if inbound else (f"Jordan <{ME}>", who)
    when = T0 + timedelta(minutes=7 * n + (0 if inbound else 3))
    # a detail of their own, so that 5,000 people drawing from a few hundred texts are not one mass message
    text = f"{text} It is for the {rng.choice(_PLACES)} {rng.choice(_THINGS)} project."
    body = f"Hi,\n\n{text}\n\nThanks,\nPerson {n}\n(813) 555-{n % 10000:04d}\n"
    if not inbound:
        body = f"Sounds good, talk soon.\n\nOn {format_datetime(when.replace(tzinfo=UTC))}, {who} wrote:\n> {text}\n"
    shape = rng.random()
    head = [f"From: {sender}", f"To: {to}", f"Subject: {'Re: ' if not inbound else ''}Note {n}",
            f"Date: {format_datetime(when.replace(tzinfo=UTC))}",
            f"Message-ID: <{'q' if inbound else 'r'}{n}@bench.example>", "MIME-Version: 1.0"]  # fmt: skip
    html = "<html><body>" + "".join(f"<p>{line}</p>" for line in body.split("\n") if line) + "</body></html>"
    if shape < 0.5:
        parts = ["Content-Type: text/plain; charset=utf-8", "", body]
    elif shape < 0.7:
        parts = ["Content-Type: text/html; charset=utf-8", "", html]
    else:
        parts = ['Content-Type: multipart/alternative; boundary="b"', "", "--b",
                 "Content-Type: text/plain; charset=utf-8", "", body, "--b", "Content-Type: text/html; charset=utf-8",
                 "", html, "--b--"]  # fmt: skip
    return ("\n".join(head + parts) + "\n").encode()


def write_mbox(path: Path, count: int) -> None:
    rng = random.Random(14)
    texts = [ex.text for ex in load(SETS / "tune.txt") + load(SETS / "report.txt") if ex.author == "them"]
    with path.open("wb") as out:
        for n in range(count // 2):
            for inbound in (True, False):
                out.write(b"From x@example.com Mon Jan  1 00:00:00 2025\n")
                out.write(_message(rng, n, rng.choice(texts), inbound))
                out.write(b"\n")


def _timed(fn: Any, figures: dict[str, Any], key: str) -> Any:
    """Run fn; note its wall time under `key` and its CPU time under `key`_cpu (the machine is shared: the CPU
    time is what the work costs, the wall time what a user waits on a busy machine)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    figures[f"{key}_s"] = round(time.perf_counter() - started, 2)
    figures[f"{key}_cpu_s"] = round(time.process_time() - cpu, 2)
    return result


def run(count: int) -> dict[str, Any]:
    """Import the mailbox headers only, then again with --bodies (bodies turned on later: only the bodies are new,
    so this is what keeping them costs), then again (nothing new), then `heard` over the bodies kept."""
    with tempfile.TemporaryDirectory() as tmp:
        box = Path(tmp) / "mail.mbox"
        write_mbox(box, count)
        figures: dict[str, Any] = {"messages": count, "mbox_mb": round(box.stat().st_size / 1e6, 1)}
        app = open_app(Settings(database=f"{tmp}/bench.db"), now=T0 + timedelta(days=400))
        try:

            def mail(bodies: bool) -> Any:
                return import_paths(app, "mbox", [str(box)], ImportOptions(me=frozenset({ME}), bodies=bodies))

            report = _timed(lambda: mail(False), figures, "import_headers_only")
            figures["interactions"] = report.totals().get("interactions added", 0)
            report = _timed(lambda: mail(True), figures, "keep_bodies")
            figures["interactions_added_again"] = report.totals().get("interactions added", 0)
            _timed(lambda: mail(True), figures, "reimport_nothing_new")
            scanned = _timed(lambda: heard.scan(app), figures, "heard_scan")
            figures["heard_read"], figures["heard_proposed"] = scanned.read, scanned.proposed
            figures["heard_broadcast"] = scanned.broadcast
            _timed(lambda: heard.scan(app), figures, "heard_rescan")
        finally:
            app.close()
        for unit in ("s", "cpu_s"):  # keeping the bodies, then hearing them
            figures[f"extraction_{unit}"] = round(figures[f"keep_bodies_{unit}"] + figures[f"heard_scan_{unit}"], 2)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    figures = run(args.messages)
    for key, value in figures.items():
        print(f"  {key:<26} {value}")
    ok = figures["extraction_cpu_s"] <= TARGET_SECONDS * args.messages / 10_000
    print(f"  bodies kept and heard: {figures['extraction_cpu_s']} s of CPU, {figures['extraction_s']} s waited "
          f"(target ≤ {TARGET_SECONDS} s per 10,000) {'ok' if ok else 'MISSED'}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
