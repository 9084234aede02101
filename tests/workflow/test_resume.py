"""A run killed at any point resumes to the tree of a clean run (issue 20, part 1).

Snakemake deletes a job's old outputs when the job starts. Killed then, the outputs are gone, the
consumers' outputs from an earlier run are still there, and Snakemake's rerun-incomplete markers
cover only outputs that exist: the next run called the tree complete without the missing files.
The target rules (``all``, the default target, and the stage rules) now ask for every output of
every job they need (``request_every_output`` in workflow/rules/common.smk).

Each kill test works on a private copy of the finished smoke build and the smallest sub-DAG that
shows the fault: one REM job and its consumers. The killed run is resumed the way ``make`` does
(stale locks removed by ``thermodiff.stale_lock``, then Snakemake with the same arguments), and
the tree is compared, byte for byte except per-run fields, with a run that was never killed
(``tests/slurm/compare_results.py``).
"""

import base64
import importlib.util
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SNAKEMAKE, copy_tree, output, snakemake, wait_for

SMOKE = ("--configfile", "config/smoke.yaml")
RESULTS = "results/smoke"
DIGITS = f"{RESULTS}/rem/digits.npz"  # simulate_rem_digits -> plot_fig22, claims_rem

_spec = importlib.util.spec_from_file_location(
    "compare_results", Path(__file__).resolve().parents[1] / "slurm" / "compare_results.py"
)
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)


def kill_when(workdir, args, predicate):
    """Run Snakemake in its own process group and SIGKILL the group (the run and its jobs, as
    the OOM killer or scancel do) as soon as ``predicate()`` holds."""
    run = subprocess.Popen(
        [str(SNAKEMAKE), *args],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert wait_for(predicate), "the run never reached the point of the kill"
        assert run.poll() is None, "the run ended before the kill"
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()


def resume(workdir, *args):
    """What `make` does after a kill: remove the stale locks, then run Snakemake again."""
    unlocked = subprocess.run(
        [sys.executable, "-m", "thermodiff.stale_lock", "."],
        cwd=workdir,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(workdir / "src")},
    )
    assert unlocked.returncode == 0 and "stale Snakemake lock" in unlocked.stderr
    done = snakemake(workdir, *args, "--cores", "2")
    assert done.returncode == 0, output(done)[-4000:]
    return done


def incomplete_markers(workdir):
    """The outputs Snakemake marked as incomplete (``.snakemake/incomplete/<base64 path>``)."""
    folder = workdir / ".snakemake/incomplete"
    names = [p.name for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    return {base64.urlsafe_b64decode(n).decode() for n in names if n != "migration_underway"}


def jobs_run(done):
    """Rule -> number of jobs, from the job table Snakemake prints before it runs them."""
    table = re.search(r"^job\s+count\n-+\s+-+\n((?:\S+\s+\d+\n)+)", output(done), re.M)
    assert table, output(done)[-3000:]
    rows = re.findall(r"^(\S+)\s+(\d+)$", table.group(1), re.M)
    return {rule: int(n) for rule, n in rows if rule != "total"}


def same_tree(left, right):
    problems = compare.differences(left / RESULTS, right / RESULTS)
    assert problems == [], problems[:20]


def grid_outputs(workdir):
    """Outputs of the simulate_rem_grid jobs, as their provenance records list them."""
    records = sorted((workdir / RESULTS / "provenance/jobs").glob("simulate_rem_grid-*.json"))
    outputs = sorted({p for r in records for p in re.findall(r'"(\S+?\.npz)": "', r.read_text())})
    assert len(records) >= 2 and len(outputs) >= 2 * len(records)
    return [workdir / p for p in outputs]


def dry_run_files(workdir, env=None):
    """(outputs of every job, inputs of rule all) in a forced dry run, which lists every job."""
    done = subprocess.run(
        [str(SNAKEMAKE), *SMOKE, "-n", "--forceall"],
        cwd=workdir,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, output(done)[-3000:]
    text = output(done)
    outputs = {
        f for line in re.findall(r"^    output: (.*)$", text, re.M) for f in line.split(", ")
    }
    requested = re.search(r"^rule all:\n    input: (.*)$", text, re.M).group(1).split(", ")
    assert len(requested) == len(set(requested))
    return outputs, set(requested)


def test_rule_all_asks_for_every_output_of_every_job_of_the_dag(repo_copy):
    """The default target's inputs, computed from the rules, are exactly the outputs of the jobs
    of Snakemake's own DAG. A Snakemake started by a job (the paper's rule graph) leaves rule all
    as written: its products only, which the DAG needs all the same."""
    outputs, requested = dry_run_files(repo_copy)
    assert len(outputs) > 150 and f"{RESULTS}/rem/crossings.csv" in outputs
    assert requested == outputs
    nested_outputs, products = dry_run_files(repo_copy, {"THERMODIFF_WORKFLOW_RUN": "1"})
    assert nested_outputs == outputs
    assert (
        f"{RESULTS}/paper/main.pdf" in products and f"{RESULTS}/rem/crossings.csv" not in products
    )
    assert len(products) < len(outputs) / 2


@pytest.mark.slow
def test_kill_in_a_forced_rerun_then_a_plain_run_rebuilds_the_clean_tree(smoke_copy, smoke_run):
    """A compute job with outputs from an earlier run, killed once Snakemake deleted them: the
    next plain run (the default target, as `make smoke`) rebuilds them, and the tree is the clean
    build's."""
    clean = smoke_run[0]
    grid = grid_outputs(smoke_copy)

    def started():  # a job deleted its old outputs and Snakemake marked them incomplete
        missing = {str(p.relative_to(smoke_copy)) for p in grid if not p.exists()}
        return bool(missing) and missing <= incomplete_markers(smoke_copy)

    kill_when(smoke_copy, ["--forcerun", "simulate_rem_grid", *SMOKE, "--cores", "1"], started)
    assert started()
    done = resume(smoke_copy, *SMOKE)
    # the killed job only, and (in one invocation Snakemake reruns every consumer of a job that
    # runs) what depends on it, up to the paper
    jobs = jobs_run(done)
    assert jobs["simulate_rem_grid"] == 1 and jobs["summarize_rem"] == 1, jobs
    assert jobs["build_paper"] == 1 and "simulate_rem_digits" not in jobs, jobs
    assert all(p.exists() for p in grid) and not incomplete_markers(smoke_copy)
    same_tree(smoke_copy, clean)
    assert "Nothing to be done" in output(snakemake(smoke_copy, *SMOKE, "-n"))


@pytest.mark.slow
def test_kill_after_a_code_edit_then_a_rerun_gives_the_tree_of_an_uninterrupted_run(
    smoke_copy, smoke_run, tmp_path
):
    """A code edit (a comment: the same output) reruns compute_two_delta and, in the same run,
    its consumers; killed in measure_two_delta_exponents once its old outputs are deleted, the
    next run must rebuild them although nothing upstream changed content and their own
    consumers' outputs (fig06, the meanfield claims) are all there."""
    reference = copy_tree(smoke_run[0], tmp_path / "reference")
    for tree in (smoke_copy, reference):
        script = tree / "scripts/meanfield/compute_two_delta.py"
        script.write_text(script.read_text() + "# edited: the job reruns with this code\n")
    args = ("meanfield", *SMOKE)
    fits = f"{RESULTS}/meanfield/two_delta_exponents.npz"
    kill_when(
        smoke_copy,
        [*args, "--cores", "1"],
        lambda: not (smoke_copy / fits).exists() and fits in incomplete_markers(smoke_copy),
    )
    done = resume(smoke_copy, *args)
    assert {"measure_two_delta_exponents", "plot_fig06_critical_exponents", "claims_meanfield"} <= (
        jobs_run(done).keys()
    )
    assert "compute_two_delta" not in jobs_run(done), "it finished with this code before the kill"
    assert not incomplete_markers(smoke_copy)
    uninterrupted = snakemake(reference, *args, "--cores", "2")
    assert uninterrupted.returncode == 0, output(uninterrupted)[-4000:]
    assert jobs_run(uninterrupted)["compute_two_delta"] == 1
    same_tree(smoke_copy, reference)
    assert "Nothing to be done" in output(snakemake(smoke_copy, *args, "-n"))


@pytest.mark.slow
def test_kill_after_a_config_edit_then_a_rerun_gives_the_tree_of_an_uninterrupted_run(
    smoke_copy, smoke_run, tmp_path
):
    """A config edit reruns simulate_rem_digits, killed once its old output is deleted: the next
    run rebuilds it with the edited config, then its consumers, as a run never killed does."""
    reference = copy_tree(smoke_run[0], tmp_path / "reference")
    for tree in (smoke_copy, reference):  # a second config file, after config/smoke.yaml
        (tree / "edit.yaml").write_text("rem:\n  digits: {num: 12}\n")  # other temperatures
    args = ("rem", *SMOKE, "edit.yaml")
    digits = smoke_copy / DIGITS
    kill_when(
        smoke_copy,
        [*args, "--cores", "1"],
        lambda: not digits.exists() and DIGITS in incomplete_markers(smoke_copy),
    )
    done = resume(smoke_copy, *args)
    expected = {"simulate_rem_digits": 1, "plot_fig22_rem_digits": 1, "claims_rem": 1, "rem": 1}
    assert jobs_run(done) == expected
    assert not incomplete_markers(smoke_copy)
    uninterrupted = snakemake(reference, *args, "--cores", "2")
    assert uninterrupted.returncode == 0, output(uninterrupted)[-4000:]
    assert jobs_run(uninterrupted) == expected
    same_tree(smoke_copy, reference)
    assert digits.read_bytes() != (smoke_run[0] / DIGITS).read_bytes(), "the edit changes it"
    assert "Nothing to be done" in output(snakemake(smoke_copy, *args, "-n"))
