"""Fixtures for workflow tests: copies of the repository, one shared smoke build, a runner.

The session builds the smoke DAG once (``finished_smoke``). Tests read it through ``smoke_run``,
which fails the test if anything in the tree changed while it ran; a test that runs Snakemake or
edits files works on ``smoke_copy``, a private copy of the finished tree (14 MB: a copy takes a
tenth of a second), so any subset of tests in any order gives the same result.

``THERMODIFF_SMOKE_DIR=<a finished smoke build of this checkout>`` reuses that build instead of
making one (while iterating on a test; it is left as found).
"""

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
SCRATCH = ("__pycache__", ".pytest_cache", ".ruff_cache")
IGNORE = shutil.ignore_patterns(".git", ".venv", "results", ".snakemake", "*.egg-info", *SCRATCH)


def copy_repo(dest: Path) -> Path:
    """Copy the working tree (without results, venv or Snakemake state) to ``dest``."""
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    (dest / "results").mkdir(exist_ok=True)
    return dest


def copy_tree(source: Path, dest: Path) -> Path:
    """Copy a built tree to ``dest`` with its file times (Snakemake sees it as up to date) and
    owner write permission (the shared smoke build is read-only)."""
    shutil.copytree(source, dest, symlinks=True, ignore=shutil.ignore_patterns(*SCRATCH))
    for path in [dest, *dest.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
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


def output(done: subprocess.CompletedProcess) -> str:
    """What a Snakemake run printed, stdout then stderr."""
    return done.stdout + done.stderr


def wait_for(predicate, timeout: float = 300.0, poll: float = 0.02) -> bool:
    """Poll ``predicate()`` until it holds (True) or ``timeout`` seconds pass (False)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(poll)
    return False


def tree_state(root: Path) -> dict[str, tuple[int, int, int]]:
    """(mtime, size, mode) of every file and folder under ``root`` but Python's caches."""
    state = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SCRATCH]
        for name in [*dirs, *files]:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            state[os.path.relpath(path, root)] = (info.st_mtime_ns, info.st_size, info.st_mode)
    return state


def read_only(root: Path) -> None:
    """Take the write bits off ``root`` (a user other than root then cannot write into it)."""
    for path in [*root.rglob("*"), root]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    """A private copy of the working tree, nothing built."""
    return copy_repo(tmp_path / "thermodiff")


@pytest.fixture(scope="session")
def finished_smoke(tmp_path_factory):
    """The whole DAG on config/smoke.yaml, once per session: (workdir, process, tree state).

    Use ``smoke_run`` (read only) or ``smoke_copy`` (writable), never this fixture directly.
    """
    if os.environ.get("THERMODIFF_SMOKE_DIR"):
        workdir = Path(os.environ["THERMODIFF_SMOKE_DIR"]).resolve()
        return workdir, None, tree_state(workdir)
    workdir = copy_repo(tmp_path_factory.mktemp("smoke") / "thermodiff")
    done = snakemake(workdir, "--configfile", "config/smoke.yaml", "--cores", "2")
    if done.returncode != 0:
        pytest.fail(f"smoke workflow failed:\n{done.stdout[-4000:]}\n{done.stderr[-8000:]}")
    read_only(workdir)
    return workdir, done, tree_state(workdir)


@pytest.fixture
def smoke_run(finished_smoke):
    """The shared smoke build, read only: (workdir, completed process). A test that changes any
    file or folder in it fails at teardown, naming what changed."""
    workdir, done, before = finished_smoke
    yield workdir, done
    after = tree_state(workdir)
    changed = sorted(
        path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
    )
    if changed:
        pytest.fail(
            f"the test wrote into the shared smoke build (use smoke_copy): {changed[:10]}",
            pytrace=False,
        )


@pytest.fixture
def smoke_copy(finished_smoke, tmp_path) -> Path:
    """A private, writable copy of the finished smoke build (results and Snakemake's records,
    file times kept): what a test that runs Snakemake or damages files works on."""
    return copy_tree(finished_smoke[0], tmp_path / "thermodiff")
