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
