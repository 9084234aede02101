"""Compare two results trees byte for byte, except what is per-run by nature.

Usage: python compare_results.py LEFT RIGHT  (exit status 1 and a list of differences if any)

Excepted: the job logs (``logs/``) and benchmark tables (``benchmarks/``), which record times and
hosts, and in JSON records the per-run fields (wall time, start and end times) named in
``PER_RUN_KEYS``; every other key of a JSON record, and every other file, must be identical.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

PER_RUN_DIRS = ("logs", "benchmarks")
PER_RUN_KEYS = frozenset({"wall_time_s", "started", "finished", "start_time", "end_time"})


def strip_per_run(value):
    """A JSON value with the per-run keys removed at every depth."""
    if isinstance(value, dict):
        return {k: strip_per_run(v) for k, v in value.items() if k not in PER_RUN_KEYS}
    if isinstance(value, list):
        return [strip_per_run(v) for v in value]
    return value


def files(root: Path) -> set[Path]:
    return {
        p.relative_to(root)
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] not in PER_RUN_DIRS
    }


def differences(left: Path, right: Path) -> list[str]:
    """Every file only on one side, and every file whose content differs."""
    left_files, right_files = files(left), files(right)
    problems = [f"only in {left}: {p}" for p in sorted(left_files - right_files)]
    problems += [f"only in {right}: {p}" for p in sorted(right_files - left_files)]
    for rel in sorted(left_files & right_files):
        a, b = (left / rel).read_bytes(), (right / rel).read_bytes()
        if a == b:
            continue
        if rel.suffix == ".json":
            if strip_per_run(json.loads(a)) == strip_per_run(json.loads(b)):
                continue
        problems.append(f"differs: {rel}")
    return problems


def main(argv: list[str]) -> int:
    left, right = Path(argv[1]), Path(argv[2])
    problems = differences(left, right)
    n = len(files(left))
    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} difference(s) among {n} files")
        return 1
    print(f"{n} files identical (except per-run fields, logs and benchmarks)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
