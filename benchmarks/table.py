"""Print the benchmark tables of OUT (``make bench``: results/bench) as one summary.

Usage: python benchmarks/table.py OUT
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

MACHINE = ["commit", "host_cores", "cpu", "blas", "torch_threads", "load_avg_1min", "date"]
REM_METRICS = [
    "shape_B_N_d", "blas_matmul_seconds", "kernel_stats_seconds", "kernel_mean_seconds",
    "ratio_stats", "ratio_mean", "peak_bytes_kernel_N",
]  # fmt: skip


def show(title: str, frame: pd.DataFrame) -> None:
    print(f"\n== {title}")
    print(frame.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


def main(out: Path) -> None:
    pipeline = out / "pipeline.csv"
    if pipeline.exists():
        head = pd.read_csv(pipeline)
        machine = head[[c for c in MACHINE if c in head]].iloc[0]
        print("machine: " + ", ".join(f"{k}={v}" for k, v in machine.items()))
        show("pipeline (wall s; speed-up of --cores k against --cores 1)",
             head.drop(columns=[c for c in MACHINE if c in head]))  # fmt: skip
        stages = pd.read_csv(out / "pipeline_stages.csv")
        show("per stage (sum and max of job wall s, max RSS MB of benchmarked rules)",
             stages.drop(columns=[c for c in MACHINE if c in stages]))  # fmt: skip
        rules = pd.read_csv(out / "pipeline_rules.csv")
        rules = rules.drop(columns=[c for c in MACHINE if c in rules])
        show("per rule (ten largest job-time sums of each case)",
             rules.groupby("case", sort=False).head(10))  # fmt: skip
    kernel = out / "rem_kernel.csv"
    if kernel.exists():
        table = pd.read_csv(kernel)
        show("REM kernel against BLAS", table[table["metric"].isin(REM_METRICS)])
    tests = out / "tests.csv"
    if tests.exists():
        table = pd.read_csv(tests)
        show("test tiers (wall s; slowest tests in tests_<tier>.txt)",
             table.drop(columns=[c for c in MACHINE if c in table]))  # fmt: skip
    if not pipeline.exists() and not kernel.exists() and not tests.exists():
        print(f"no benchmark tables in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "results/bench"))
