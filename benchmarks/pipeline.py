"""Benchmark of the whole workflow: wall time and peak memory per job, rule, stage, and in total.

Usage: python benchmarks/pipeline.py OUT [--cases full2,full1,smoke,noop] [--keep]

Each case runs Snakemake from an empty results root in a fresh copy of the working tree (no .git,
.venv, results or .snakemake), so nothing is reused:

* ``full<k>``: the default config (config/config.yaml) with ``--cores k``;
* ``smoke``: config/smoke.yaml with ``--cores 2``;
* ``noop``: ``snakemake -n`` on the complete tree the first full (else smoke) case left behind
  (best of three): the cost of a run with nothing to do.

Per job, the wall time is Snakemake's own record (``.snakemake/metadata``: start and end time of
each job's outputs); peak memory (max RSS) and CPU time come from the rule's ``benchmark:`` file
where it has one. A job's stage is the folder of its log (``logs/<stage>/``). The totals are the
run's wall time, the sum of the job wall times, the CPU utilisation (job time / (wall x cores)),
and the largest max RSS of any process Snakemake waited for (getrusage). Writes
OUT/pipeline_jobs.csv, OUT/pipeline_rules.csv, OUT/pipeline_stages.csv and OUT/pipeline.csv; every
row carries the machine (cores, BLAS, torch threads, load average at the start) and the commit.
Nothing here is asserted: timings on a shared machine are facts about that machine at that time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "results", ".snakemake", "__pycache__", ".pytest_cache", ".ruff_cache",
    "*.egg-info",
)  # fmt: skip


def machine() -> dict[str, object]:
    """Cores, BLAS, torch threads, load and commit: the context every row is read in."""
    from threadpoolctl import threadpool_info

    blas = [
        f"{p.get('internal_api')} {p.get('version')} ({p.get('num_threads')} threads)"
        for p in threadpool_info()
        if p.get("user_api") == "blas"
    ]
    try:
        import torch

        torch_threads = torch.get_num_threads()
    except ImportError:
        torch_threads = None
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty", "--abbrev=12"],
        cwd=ROOT, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    return {
        "commit": commit or "unknown",
        "host_cores": len(os.sched_getaffinity(0)),
        "cpu": platform.processor() or platform.machine(),
        "blas": "; ".join(blas) or "none found",
        "torch_threads": torch_threads,
        "load_avg_1min": round(os.getloadavg()[0], 2),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def run_snakemake(workdir: Path, args: list[str], log: Path) -> float:
    """Run Snakemake in ``workdir``; its wall time in seconds (raises if it fails)."""
    start = time.perf_counter()
    with log.open("w") as handle:
        done = subprocess.run(
            [str(SNAKEMAKE), *args], cwd=workdir, stdout=handle, stderr=subprocess.STDOUT
        )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"snakemake {' '.join(args)} failed in {workdir}; see {log}")
    return wall


def job_table(workdir: Path, results: str) -> pd.DataFrame:
    """One row per job: rule, stage, wall time (metadata) and max RSS / CPU time (benchmark)."""
    jobs: dict[int, dict] = {}
    for path in (workdir / ".snakemake/metadata").iterdir():
        record = json.loads(path.read_text())
        if record.get("starttime") is None or record.get("endtime") is None:
            continue
        key = record.get("job_hash") or path.name
        log = (record.get("log") or [""])[0]
        parts = Path(log).parts
        stage = parts[parts.index("logs") + 1] if "logs" in parts else record["rule"]
        job = jobs.setdefault(
            key,
            {"rule": record["rule"], "stage": stage, "log": log,
             "start": record["starttime"], "end": record["endtime"]},
        )  # fmt: skip
        job["start"] = min(job["start"], record["starttime"])
        job["end"] = max(job["end"], record["endtime"])
    frame = pd.DataFrame(jobs.values())
    frame["wall_s"] = frame["end"] - frame["start"]
    frame["max_rss_mb"] = float("nan")
    frame["cpu_time_s"] = float("nan")
    bench_dir = workdir / results / "benchmarks"
    for tsv in bench_dir.glob("**/*.tsv") if bench_dir.exists() else []:
        table = pd.read_csv(tsv, sep="\t")
        name = tsv.relative_to(bench_dir).with_suffix("")
        match = frame["log"].str.endswith(f"logs/{name}.log")
        frame.loc[match, "max_rss_mb"] = float(table["max_rss"].max())
        frame.loc[match, "cpu_time_s"] = float(table["cpu_time"].max())
    return frame.drop(columns=["log"]).sort_values("start").reset_index(drop=True)


def summarise(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    return (
        frame.groupby(by)
        .agg(
            jobs=("wall_s", "size"),
            wall_s_sum=("wall_s", "sum"),
            wall_s_max=("wall_s", "max"),
            max_rss_mb=("max_rss_mb", "max"),
        )
        .reset_index()
        .sort_values("wall_s_sum", ascending=False)
    )


def write_tables(out: Path, info: dict, summary: list, rules: list, stages: list, jobs: list):
    """Write the four tables (each row with the machine); return the summary table."""
    head = pd.DataFrame(summary)
    walls = {row["case"]: row["wall_s"] for row in summary}
    if "full1" in walls:
        for case in walls:
            if case.startswith("full"):
                head.loc[head["case"] == case, "speedup_vs_1_core"] = walls["full1"] / walls[case]
    tables = {"pipeline": [head], "pipeline_rules": rules, "pipeline_stages": stages}
    tables["pipeline_jobs"] = jobs
    for name, parts in tables.items():
        if parts:
            table = pd.concat(parts).assign(**info)
            table.to_csv(out / f"{name}.csv", index=False, float_format="%.3f")
    return head


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the pipeline_*.csv tables")
    parser.add_argument("--cases", default="full2,full1,smoke,noop")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    info = machine()
    print("machine:", json.dumps(info))
    scratch = Path(tempfile.mkdtemp(prefix="thermodiff-bench-"))
    summary, rules, stages, jobs = [], [], [], []
    complete: Path | None = None
    config_of: dict[Path, list[str]] = {}
    try:
        for case in args.cases.split(","):
            if case == "noop":
                if complete is None:
                    print("noop: no complete tree (run a full or smoke case first); skipped")
                    continue
                dry = [*config_of[complete], "-n", "--quiet", "rules"]
                walls = [run_snakemake(complete, dry, scratch / f"noop{i}.log") for i in range(3)]
                if "Nothing to be done" not in (scratch / "noop0.log").read_text():
                    raise RuntimeError(f"the tree in {complete} is not complete")
                summary.append({"case": "noop", "cores": None, "wall_s": min(walls)})
                write_tables(args.out, info, summary, rules, stages, jobs)
                continue
            smoke = case == "smoke"
            cores = 2 if smoke else int(case.removeprefix("full"))
            config = ["--configfile", "config/smoke.yaml"] if smoke else []
            workdir = scratch / case
            shutil.copytree(ROOT, workdir, ignore=COPY_IGNORE)
            (workdir / "results").mkdir(exist_ok=True)
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            wall = run_snakemake(
                workdir, [*config, "--cores", str(cores)], args.out / f"{case}.log"
            )
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            frame = job_table(workdir, "results/smoke" if smoke else "results")
            frame.insert(0, "case", case)
            jobs.append(frame)
            for table, by in ((rules, "rule"), (stages, "stage")):
                part = summarise(frame, by)
                part.insert(0, "case", case)
                table.append(part)
            summary.append({
                "case": case, "cores": cores, "wall_s": wall, "jobs": len(frame),
                "job_wall_s_sum": frame["wall_s"].sum(),
                # share of the cores' time spent in jobs: 1 means no core ever idled
                "cpu_utilisation": frame["wall_s"].sum() / (wall * cores),
                "max_rss_mb_benchmarked": frame["max_rss_mb"].max(),
                "max_rss_mb_any_process": peak / 1024 if peak > before else None,
            })  # fmt: skip
            print(f"{case}: {wall:.1f} s wall, {len(frame)} jobs")
            write_tables(args.out, info, summary, rules, stages, jobs)  # after every case
            if complete is None or (complete.name == "smoke" and not smoke):
                complete = workdir
            config_of[workdir] = config
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    head = write_tables(args.out, info, summary, rules, stages, jobs)
    print(head.to_string(index=False, float_format=lambda v: f"{v:.1f}"))


if __name__ == "__main__":
    main()
