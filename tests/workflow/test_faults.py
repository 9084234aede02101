"""Faults of issue 8: nothing good is destroyed, and a fault leaves a runnable tree.

Cheap where possible: most tests run the two-delta chain only (one tiny dataset, two jobs) in a
copy of the repository made once per module, and copy that tree (mtimes kept) before damaging it.
Only the rebuild of missing outputs by ``rule all`` needs the complete smoke run.
"""

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys

import pytest
import yaml

from .conftest import SNAKEMAKE, copy_repo, output, snakemake, wait_for

pytestmark = pytest.mark.slow
SMOKE = ("--configfile", "config/smoke.yaml")
RESULTS = "results/smoke"
TARGET = f"{RESULTS}/meanfield/two_delta_exponents.npz"  # make_two_delta -> compute -> measure
UMASK = 0o027


def run_with_umask(workdir, *args, umask=UMASK):
    return subprocess.run(
        [str(SNAKEMAKE), *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=900,
        preexec_fn=lambda: os.umask(umask),
    )


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """A copy of the repository where the two-delta chain ran under umask 027."""
    workdir = copy_repo(tmp_path_factory.mktemp("faults") / "thermodiff")
    done = run_with_umask(workdir, TARGET, *SMOKE, "--cores", "1")
    assert done.returncode == 0, done.stderr[-4000:]
    return workdir


@pytest.fixture
def damaged(chain, tmp_path):
    """A private copy of ``chain`` (file times kept, so Snakemake sees it as up to date)."""
    workdir = tmp_path / "thermodiff"
    shutil.copytree(chain, workdir, symlinks=True)
    assert "Nothing to be done" in snakemake(workdir, TARGET, *SMOKE, "-n").stdout
    return workdir


def test_outputs_honour_the_umask_and_leave_no_temporaries(chain):
    files = [p for p in (chain / RESULTS).rglob("*") if p.is_file()]
    assert len(files) >= 8
    modes = {str(p.relative_to(chain)): stat.S_IMODE(p.stat().st_mode) for p in files}
    assert set(modes.values()) == {0o666 & ~UMASK}, modes
    assert not [p for p in files if p.name.endswith(".part")]


def test_tampered_array_reruns_its_consumer_which_refuses_it_naming_the_path(damaged):
    array = damaged / RESULTS / "data/two_delta/y.npy"
    manifest = damaged / RESULTS / "data/two_delta/manifest.json"
    data = bytearray(array.read_bytes())
    data[-1] ^= 0x01  # one bit of the last value
    array.write_bytes(bytes(data))
    plan = output(snakemake(damaged, TARGET, *SMOKE, "-n"))
    assert "compute_two_delta" in plan and "make_two_delta" not in plan
    done = snakemake(damaged, TARGET, *SMOKE, "--cores", "1")
    assert done.returncode != 0
    log = (damaged / RESULTS / "logs/meanfield/compute_two_delta.log").read_text()
    assert f"{RESULTS}/data/two_delta/y.npy: sha256 differs from" in log
    # the log ends with the traceback (on a cluster stderr is lost)
    tail = log.rstrip().splitlines()
    assert any("Traceback (most recent call last)" in line for line in tail[-30:])
    assert tail[-1].startswith("thermodiff.io.InputError: ") and "y.npy" in tail[-1]
    assert manifest.exists() and array.exists(), "the dataset itself is kept"


def test_edited_json_intermediate_is_refused_naming_the_path(damaged):
    path = damaged / RESULTS / "meanfield/two_delta_critical.json"
    edited = re.sub(r'("measured": )[-+0-9.e]+', r"\g<1>1.5", path.read_text(), count=1)
    assert '"measured": 1.5,' in edited
    path.write_text(edited)
    plan = output(snakemake(damaged, TARGET, *SMOKE, "-n"))
    assert "measure_two_delta_exponents" in plan and "compute_two_delta" not in plan
    done = snakemake(damaged, TARGET, *SMOKE, "--cores", "1")
    assert done.returncode != 0
    log = (damaged / RESULTS / "logs/meanfield/measure_two_delta_exponents.log").read_text()
    assert f"{RESULTS}/meanfield/two_delta_critical.json: content differs from its _sha256" in log
    assert log.rstrip().splitlines()[-1].startswith("thermodiff.io.InputError: ")


def stale_lock(workdir):
    """What `make` runs before Snakemake (target unlock-stale)."""
    return subprocess.run(
        [sys.executable, "-m", "thermodiff.stale_lock", "."],
        cwd=workdir,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(workdir / "src")},
    )


def test_sigkill_then_make_resumes_without_manual_steps(damaged):
    target = f"{RESULTS}/meanfield/four_point_cascade.json"
    locks = damaged / ".snakemake/locks"
    run = subprocess.Popen(
        [str(SNAKEMAKE), target, *SMOKE, "--cores", "1"],
        cwd=damaged,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert wait_for(lambda: locks.is_dir() and any(locks.iterdir()), timeout=120)
    finally:
        os.killpg(run.pid, signal.SIGKILL)  # the run and its jobs, as scancel or the OOM killer
        run.wait()
    assert any(locks.iterdir()), "the killed run left its locks"
    blocked = snakemake(damaged, target, *SMOKE, "--cores", "1")
    assert blocked.returncode != 0 and "LockException" in output(blocked)
    cleared = stale_lock(damaged)
    assert cleared.returncode == 0 and "stale Snakemake lock" in cleared.stderr
    done = snakemake(damaged, target, *SMOKE, "--cores", "1")
    assert done.returncode == 0, output(done)[-3000:]
    assert (damaged / target).exists()


def test_locks_of_a_live_run_are_kept(damaged):
    locks = damaged / ".snakemake/locks"
    locks.mkdir(parents=True, exist_ok=True)
    (locks / "0.input.lock").write_text("")
    # stands for a Snakemake (or one of its jobs) running in this directory
    live = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", "snakemake"], cwd=damaged
    )
    try:
        kept = stale_lock(damaged)
    finally:
        live.kill()
        live.wait()
    assert kept.returncode == 1 and f"pid {live.pid}" in kept.stderr
    assert (locks / "0.input.lock").exists()
    assert stale_lock(damaged).returncode == 0  # once it has ended
    assert not (locks / "0.input.lock").exists()


def test_rule_all_rebuilds_missing_figures_and_claims(smoke_copy):
    workdir = smoke_copy
    missing = [
        workdir / RESULTS / "claims/claims.csv",
        *sorted((workdir / RESULTS / "figures").glob("fig01_*.pdf")),
        workdir / RESULTS / "claims/meanfield.csv",
        workdir / RESULTS / "macros/rem.tex",
    ]
    assert len(missing) == 4
    kept = {}
    for path in missing:
        kept[path] = path.read_bytes()
        path.unlink()
    done = snakemake(workdir, *SMOKE, "--cores", "2")
    assert done.returncode == 0, output(done)[-4000:]
    assert "Nothing to be done" not in output(done)
    for path, data in kept.items():
        assert path.read_bytes() == data, f"{path} rebuilt differently"
    assert "Nothing to be done" in output(snakemake(workdir, *SMOKE, "-n"))


def test_killed_stacked_training_job_resumes_to_identical_models(tmp_path):
    # The memorization ensemble is one job training its models stacked; SIGKILL it after its
    # first checkpoint: the next run resumes from that checkpoint and writes the same bytes
    # (models, loss curves) as an uninterrupted run. 2000 steps: the kill lands mid-training.
    longer_yaml = tmp_path / "longer.yaml"
    longer_yaml.write_text("trained:\n  memorization:\n    steps: 2000\n")
    longer = (str(longer_yaml),)  # a second config file after SMOKE's
    models = [f"{RESULTS}/trained/models/digitsN{n}/seed0" for n in (2, 128)]
    target = f"{models[0]}/model.pt"
    killed = copy_repo(tmp_path / "killed")
    sets = snakemake(killed, f"{RESULTS}/trained/sets/digitsN2.npz", *SMOKE, "--cores", "1")
    assert sets.returncode == 0, output(sets)[-3000:]
    reference = tmp_path / "reference"
    shutil.copytree(killed, reference, symlinks=True)
    done = snakemake(reference, target, *SMOKE, *longer, "--cores", "1")
    assert done.returncode == 0, output(done)[-3000:]

    checkpoints = killed / RESULTS / "trained/checkpoints"
    run = subprocess.Popen(
        [str(SNAKEMAKE), target, *SMOKE, *longer, "--cores", "1"],
        cwd=killed,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert wait_for(lambda: any(checkpoints.glob("memorization_*.ckpt")), timeout=600)
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    assert not (killed / target).exists(), "killed after the job had finished: make it longer"
    # the checkpoint of a killed run of other settings: never resumed, and not left in the tree
    (checkpoints / "memorization_0123456789ab.ckpt").write_bytes(b"other settings")
    assert stale_lock(killed).returncode == 0
    done = snakemake(killed, target, *SMOKE, *longer, "--cores", "1")
    assert done.returncode == 0, output(done)[-3000:]
    assert not any(checkpoints.glob("*.ckpt")), "a finished job removes its checkpoint"
    # where it resumed is a per-run field of the job's record; run.json is an uninterrupted run's
    job = json.loads((killed / RESULTS / "provenance/jobs/train_memorization.json").read_text())
    every = yaml.safe_load((killed / "config/smoke.yaml").read_text())["trained"]["training"]
    step = job["resumed_from_step"]
    assert step > 0 and step % every["checkpoint_every"] == 0, step  # a checkpoint's step
    fresh = json.loads(
        (reference / RESULTS / "provenance/jobs/train_memorization.json").read_text()
    )
    assert fresh["resumed_from_step"] == 0
    for model in models:
        assert json.loads((killed / model / "run.json").read_text())["trained_with"] == 2
        for name in ("model.pt", "losses.npz", "run.json"):
            assert (killed / model / name).read_bytes() == (reference / model / name).read_bytes()
