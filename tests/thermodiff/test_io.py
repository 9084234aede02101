"""I/O boundary: atomic, byte-deterministic writers and verified dataset manifests."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from thermodiff import io as tio


def test_npz_is_byte_deterministic_and_round_trips(tmp_path):
    arrays = {"b": np.arange(5.0), "a": np.float64(3.5)}
    tio.save_npz(tmp_path / "one.npz", **arrays)
    tio.save_npz(tmp_path / "two.npz", **arrays)
    assert (tmp_path / "one.npz").read_bytes() == (tmp_path / "two.npz").read_bytes()
    loaded = tio.load_npz(tmp_path / "one.npz")
    assert loaded["a"].shape == () and float(loaded["a"]) == 3.5
    np.testing.assert_array_equal(loaded["b"], arrays["b"])


def test_failed_write_leaves_no_file(tmp_path):
    target = tmp_path / "out.json"
    with pytest.raises(RuntimeError), tio.atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("interrupted")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_dataset_manifest_detects_modified_file(tmp_path):
    tio.write_dataset(tmp_path / "ds", {"y": np.ones((3, 2))}, seed=1, source="test")
    assert tio.load_dataset(tmp_path / "ds/manifest.json")["y"].shape == (3, 2)
    tio.save_npy(tmp_path / "ds/y.npy", np.zeros((3, 2)))
    with pytest.raises(tio.InputError, match="y.npy"):
        tio.load_dataset(tmp_path / "ds/manifest.json")


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_outputs_honour_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        tio.write_text(tmp_path / "a.txt", "x")
        tio.save_npz(tmp_path / "b.npz", y=np.ones(2))
        tio.write_json(tmp_path / "c.json", {"v": 1})
    finally:
        os.umask(old)
    for name in ("a.txt", "b.npz", "c.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~umask


def test_temporaries_are_unique_per_writer(tmp_path):
    target = tmp_path / "model.pt"
    with tio.atomic_path(target) as one, tio.atomic_path(target) as two:
        assert one != two and one.exists() and two.exists()
        assert f".{os.getpid()}." in one.name and one.name.startswith(".model.pt.")
        one.write_text("first")
        two.write_text("second")
    assert target.read_text() == "first"  # the last writer to finish (the outer one) wins, whole
    assert [p.name for p in tmp_path.iterdir()] == ["model.pt"]


def test_json_carries_a_content_hash_checked_on_read(tmp_path):
    path = tmp_path / "summary.json"
    tio.write_json(path, {"measured": 1.25, "nested": {"x": [1, 2]}})
    assert json.loads(path.read_text())["_sha256"] == tio.content_hash(
        {"measured": 1.25, "nested": {"x": [1, 2]}}
    )
    assert tio.read_json(path) == {"measured": 1.25, "nested": {"x": [1, 2]}}
    path.write_text(path.read_text().replace("1.25", "1.5"))
    with pytest.raises(tio.InputError, match=f"{path}: content differs"):
        tio.read_json(path)
    path.write_text('{"measured": 1.5}\n')
    with pytest.raises(tio.InputError, match="no _sha256"):
        tio.read_json(path)
    tio.write_json(path, {"a": 1})
    tio.write_json(tmp_path / "again.json", tio.read_json(path))  # round trip, same bytes
    assert (tmp_path / "again.json").read_bytes() == path.read_bytes()


def test_uncaught_exception_ends_the_job_log_with_its_traceback(tmp_path):
    log = tmp_path / "logs/job.log"
    script = (
        "import types\n"
        "from thermodiff import io as tio\n"
        f"smk = types.SimpleNamespace(log=[{str(log)!r}], threads=1, rule='demo')\n"
        "tio.start_job(smk)\n"
        f"open({str(log)!r}, 'a').write('output of a subprocess\\n' * 50)\n"
        "def inner():\n"
        "    raise tio.InputError('data/x.npy: sha256 differs')\n"
        "inner()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(tio.__file__).parents[1])},
    )
    assert done.returncode == 1
    lines = log.read_text().rstrip().splitlines()
    assert lines[1:51] == ["output of a subprocess"] * 50  # not overwritten
    assert "Traceback (most recent call last):" in "\n".join(lines)
    assert "in inner" in "\n".join(lines[-4:])
    assert lines[-1] == "thermodiff.io.InputError: data/x.npy: sha256 differs"
    assert "data/x.npy: sha256 differs" in done.stderr  # still on stderr too


# ---------------------------------------------------------------------------------------------
# A job's end: its record, written by its own last line


def run_job(tmp_path, body: str, inputs=None, outputs=None):
    """Run a fake Snakemake script job (``body`` between start_job and the end) in ``tmp_path``.

    The job script is a real file (the record names it), the results root is ``results``.
    """
    smk = (
        "import types\n"
        "from thermodiff import io as tio\n"
        "snakemake = types.SimpleNamespace(log=['results/logs/demo.log'], threads=1, rule='demo',"
        f" input={inputs or {}!r}, output={outputs or {}!r}, params={{'n': 3, 'seed': 7}},"
        " wildcards={}, config={'results': 'results', 'n': 3})\n"
        "tio.start_job(snakemake)\n"
    )
    (tmp_path / "job.py").write_text(smk + body)
    done = subprocess.run(
        [sys.executable, "job.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(tio.__file__).parents[1])},
    )
    log = tmp_path / "results/logs/demo.log"
    return done, (log.read_text() if log.exists() else "")


RECORD = "results/provenance/jobs/demo.json"


def test_finish_job_writes_the_record_once_the_outputs_exist(tmp_path):
    body = "tio.write_text(snakemake.output['out'], 'x')\ntio.finish_job(snakemake)\n"
    done, log = run_job(tmp_path, body, outputs={"out": "results/out.txt"})
    assert done.returncode == 0, done.stderr
    record = tio.read_json(tmp_path / RECORD)  # its _sha256 holds
    assert record["rule"] == "demo" and record["script"]["path"] == "job.py"
    assert record["outputs"] == {"results/out.txt": tio.sha256_file(tmp_path / "results/out.txt")}
    assert record["params"] == {"n": 3, "seed": 7} and record["seeds"] == {"seed": 7}
    assert record["config_keys"] == {"n": ["n"]}
    assert record["wall_time_s"] >= 0 and record["started"] <= record["finished"]
    assert f"provenance record: {RECORD}" in log


def test_a_record_that_cannot_be_written_fails_the_job_with_its_traceback(tmp_path):
    """Disk full as the record is written: the job fails, the log ends with the traceback."""
    body = (
        "import errno\n"
        "from thermodiff import provenance\n"
        "tio.write_text(snakemake.output['out'], 'x')\n"
        "def disk_full(path, obj):\n"
        "    raise OSError(errno.ENOSPC, 'No space left on device', str(path))\n"
        "provenance.write_json = disk_full  # the record writer's only way to disk\n"
        "tio.finish_job(snakemake)\n"
    )
    done, log = run_job(tmp_path, body, outputs={"out": "results/out.txt"})
    assert done.returncode == 1
    lines = log.rstrip().splitlines()
    assert "job failed with an uncaught exception:" in log
    assert "Traceback (most recent call last):" in log and "in finish_job" in log
    assert lines[-1] == f"OSError: [Errno 28] No space left on device: '{RECORD}'"
    assert not (tmp_path / RECORD).exists()
    assert "Exception ignored" not in done.stderr


def test_a_starting_job_removes_the_temporaries_a_killed_writer_of_its_outputs_left(tmp_path):
    # SIGKILL while an output was being written leaves .<name>.<pid>.<random>.part; the rerun
    # must leave the tree a clean run leaves, without it
    (tmp_path / "results/sub").mkdir(parents=True)
    stale = [
        tmp_path / "results/.out.txt.4242.0a1b2c3d.part",
        tmp_path / "results/sub/.o.npz.7.ff.part",
    ]
    kept = [tmp_path / "results/.other.txt.4242.0a1b2c3d.part", tmp_path / "results/out.txt.part"]
    for path in stale + kept:
        path.write_text("half written")
    body = (
        "tio.write_text(snakemake.output['out'], 'x')\n"
        "tio.write_text(snakemake.output['o'], 'y')\n"
        "tio.finish_job(snakemake)\n"
    )
    outputs = {"out": "results/out.txt", "o": "results/sub/o.npz"}
    done, log = run_job(tmp_path, body, outputs=outputs)
    assert done.returncode == 0, done.stderr
    assert not any(p.exists() for p in stale) and all(p.exists() for p in kept)
    assert "results/.out.txt.4242.0a1b2c3d.part, left by a writer that was killed" in log


def test_a_job_that_raised_writes_no_record(tmp_path):
    body = (
        "tio.write_text(snakemake.output['out'], 'x')\n"
        "raise ValueError('bad input')\n"
        "tio.finish_job(snakemake)\n"
    )
    done, log = run_job(tmp_path, body, outputs={"out": "results/out.txt"})
    assert done.returncode == 1
    assert log.rstrip().splitlines()[-1] == "ValueError: bad input"
    assert not (tmp_path / RECORD).exists()


def test_a_missing_output_fails_the_job_and_writes_no_record(tmp_path):
    done, log = run_job(tmp_path, "tio.finish_job(snakemake)\n", outputs={"out": "results/o.npz"})
    assert done.returncode == 1
    assert log.rstrip().splitlines()[-1] == (
        "FileNotFoundError: rule demo: outputs not written: results/o.npz"
    )
    assert not (tmp_path / RECORD).exists()


# ---------------------------------------------------------------------------------------------
# Consumers check what they read against its producer's record


def produced(root: Path, name: str, write) -> Path:
    """Write an output with ``write(path)`` and the record of the job that wrote it."""
    path = root / "results" / name
    write(path)
    tio.write_json(
        root / f"results/provenance/jobs/make_{path.stem}.json",
        {"rule": f"make_{path.stem}", "finished": "2026-01-01T00:00:00Z",
         "outputs": {str(path): tio.sha256_file(path)}},
    )  # fmt: skip
    return path


def test_load_npz_refuses_a_resaved_file_with_other_numbers(tmp_path):
    path = produced(tmp_path, "c/out.npz", lambda p: tio.save_npz(p, y=np.arange(3.0)))
    np.testing.assert_array_equal(tio.load_npz(path, tmp_path / "results")["y"], np.arange(3.0))
    tio.save_npz(path, y=np.arange(3.0) + 1.0)  # a valid file, other numbers
    record = tmp_path / "results/provenance/jobs/make_out.json"
    with pytest.raises(tio.InputError) as refused:
        tio.load_npz(path, tmp_path / "results")
    assert str(refused.value).startswith(f"{path}: sha256 differs from {record}")


def test_an_output_no_intact_record_lists_is_refused(tmp_path):
    path = produced(tmp_path, "c/out.npz", lambda p: tio.save_npz(p, y=np.arange(3.0)))
    record = tmp_path / "results/provenance/jobs/make_out.json"
    record.write_text(record.read_text().replace('"make_out"', '"forged"'))
    with pytest.raises(tio.InputError) as refused:
        tio.load_npz(path, tmp_path / "results")
    message = str(refused.value)
    assert message.startswith(f"{path}: no intact job record in {record.parent} lists it")
    assert f"corrupt records: {record} ({record}: content differs" in message
    outside = tmp_path / "elsewhere.npz"
    tio.save_npz(outside, y=np.ones(2))  # not under the results root: no job's output
    assert tio.load_npz(outside, tmp_path / "results")["y"].tolist() == [1.0, 1.0]


def test_a_job_refuses_a_declared_model_that_differs_from_its_record(tmp_path):
    """Every declared .npz/.pt input is checked when the job starts, before any library code
    loads it (a model.pt is read by torch inside the library, not by thermodiff.io)."""
    model = produced(tmp_path, "models/model.pt", lambda p: tio.write_bytes(p, b"weights"))
    body = "tio.finish_job(snakemake)\n"
    done, _ = run_job(tmp_path, body, inputs={"model": "results/models/model.pt"})
    assert done.returncode == 0, done.stderr
    assert tio.read_json(tmp_path / RECORD)["inputs"] == {
        "results/models/model.pt": tio.sha256_file(model)
    }
    model.write_bytes(b"other weights")
    done, log = run_job(tmp_path, body, inputs={"model": "results/models/model.pt"})
    assert done.returncode == 1
    assert log.rstrip().splitlines()[-1] == (
        "thermodiff.io.InputError: results/models/model.pt: sha256 differs from "
        "results/provenance/jobs/make_model.json; the file was modified after the job that "
        "wrote it. Delete it and rerun the workflow to rebuild it."
    )
