"""Fixtures for workflow tests: a throw-away copy of the repository and a Snakemake runner."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "results",
    ".snakemake",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "*.egg-info",
)


def copy_repo(dest: Path) -> Path:
    """Copy the working tree (without results, venv or Snakemake state) to ``dest``."""
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    (dest / "results").mkdir(exist_ok=True)
    return dest


def snakemake(workdir: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run Snakemake in ``workdir`` (its default profile applies) and capture the output."""
    return subprocess.run(
        [str(SNAKEMAKE), *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def repo_copy(tmp_path_factory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("repo") / "thermodiff")


@pytest.fixture(scope="session")
def smoke_run(tmp_path_factory):
    """The whole DAG on config/smoke.yaml in a fresh copy: (workdir, completed process)."""
    workdir = copy_repo(tmp_path_factory.mktemp("smoke") / "thermodiff")
    done = snakemake(workdir, "--configfile", "config/smoke.yaml", "--cores", "2")
    if done.returncode != 0:
        pytest.fail(f"smoke workflow failed:\n{done.stdout[-4000:]}\n{done.stderr[-8000:]}")
    return workdir, done
