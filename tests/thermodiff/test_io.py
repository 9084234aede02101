"""I/O boundary: atomic, byte-deterministic writers and verified dataset manifests."""

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
