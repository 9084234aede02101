"""Benchmark of the test tiers: wall time, counts and the 25 slowest tests of each.

Usage: python benchmarks/tests.py OUT [--tiers fast,all]

* ``fast``: what `make test` runs (``pytest -m "not slow"``);
* ``all``: what `make test-all` runs (every test; CI).

Each tier runs pytest in this checkout (the tests copy what they build into temporary folders)
with ``--durations=25``. Writes OUT/tests.csv (one row per tier, with the machine and commit, as
benchmarks/pipeline.py) and OUT/tests_<tier>.txt (pytest's durations table and closing line).
Nothing is asserted: timings are facts about this machine at this time.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from pipeline import machine

ROOT = Path(__file__).resolve().parents[1]
TIERS = {"fast": ["-m", "not slow"], "all": []}


def run_tier(tier: str, out: Path) -> dict[str, object]:
    """Run one tier; its row (wall time, counts) and its durations table in OUT."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *TIERS[tier], "-q", "--durations=25", "-p",
         "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - start
    lines = done.stdout.splitlines()
    first = next((i for i, line in enumerate(lines) if "slowest 25 durations" in line), None)
    report = lines[first:] if first is not None else lines[-40:]
    (out / f"tests_{tier}.txt").write_text("\n".join(report) + "\n")
    counts = {
        word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|skipped|error)", lines[-1])
    }
    return {
        "tier": tier,
        "wall_s": wall,
        "exit_status": done.returncode,
        **{key: counts.get(key, 0) for key in ("passed", "failed", "skipped", "error")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for tests.csv and tests_<tier>.txt")
    parser.add_argument("--tiers", default="fast,all")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    info = machine()
    rows = []
    for tier in args.tiers.split(","):
        rows.append(run_tier(tier, args.out))
        pd.DataFrame(rows).assign(**info).to_csv(
            args.out / "tests.csv", index=False, float_format="%.1f"
        )
        print(f"{tier}: {rows[-1]['wall_s']:.1f} s, {rows[-1]['passed']} passed")


if __name__ == "__main__":
    main()
