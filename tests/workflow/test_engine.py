"""The workflow as a whole: dry run explains itself, lint and formatting are clean."""

import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, snakemake

BIN = Path(sys.executable).parent


def test_dry_run_lists_jobs_with_reasons(repo_copy):
    done = snakemake(repo_copy, "-n")
    assert done.returncode == 0, done.stderr
    assert "reason: Missing output files" in done.stdout
    assert "Using workflow specific profile profiles/default" in done.stdout + done.stderr
    for rule in ("make_digits", "compute_two_delta", "collect_claims", "build_paper"):
        assert rule in done.stdout


def test_stage_targets_exist(repo_copy):
    done = snakemake(repo_copy, "-n", "data", "meanfield", "figures", "claims", "paper")
    assert done.returncode == 0, done.stderr[-2000:]


def test_snakemake_lint_is_clean(repo_copy):
    done = snakemake(repo_copy, "--lint")
    assert done.returncode == 0, done.stdout + done.stderr


def test_snakefmt_and_ruff_are_clean():
    snakefmt = subprocess.run(
        [str(BIN / "snakefmt"), "--check", "Snakefile", "workflow/rules"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert snakefmt.returncode == 0, snakefmt.stderr
    ruff = subprocess.run(
        [str(BIN / "ruff"), "check", "src", "scripts", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout
