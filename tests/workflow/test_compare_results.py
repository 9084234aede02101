"""The byte-for-byte comparison of two results trees used by `make test-slurm`."""

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "slurm" / "compare_results.py"
spec = importlib.util.spec_from_file_location("compare_results", SCRIPT)
compare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare)


@pytest.fixture
def trees(tmp_path):
    for side in ("a", "b"):
        root = tmp_path / side
        (root / "data").mkdir(parents=True)
        (root / "data/y.npy").write_bytes(b"\x00\x01\x02")
        (root / "logs").mkdir()
        (root / "logs/job.log").write_text(f"ran on {side}\n")
        record = {"rule": "r", "wall_time_s": 1.0 if side == "a" else 2.5, "nested": {"x": 1}}
        (root / "run.json").write_text(json.dumps(record))
    return tmp_path / "a", tmp_path / "b"


def test_identical_except_per_run_fields_and_logs(trees):
    assert compare.differences(*trees) == []


def test_a_changed_byte_is_reported(trees):
    (trees[1] / "data/y.npy").write_bytes(b"\x00\x01\x03")
    assert compare.differences(*trees) == ["differs: data/y.npy"]


def test_a_changed_json_value_that_is_not_per_run_is_reported(trees):
    record = json.loads((trees[1] / "run.json").read_text())
    record["nested"]["x"] = 2
    (trees[1] / "run.json").write_text(json.dumps(record))
    assert compare.differences(*trees) == ["differs: run.json"]


def test_a_missing_file_is_reported(trees):
    (trees[1] / "data/y.npy").unlink()
    assert compare.differences(*trees) == [f"only in {trees[0]}: data/y.npy"]


def test_only_wall_time_macros_are_per_run(trees):
    for side, wall, loss in ((trees[0], "26.7", "0.86"), (trees[1], "17.5", "0.86")):
        (side / "macros").mkdir()
        text = f"\\tdset{{trained.run.mixture.wall}}{{{wall}}}\n\\tdset{{trained.loss}}{{{loss}}}\n"
        (side / "macros/trained.tex").write_text(text)
    assert compare.differences(*trees) == []
    (trees[1] / "macros/trained.tex").write_text(
        "\\tdset{trained.run.mixture.wall}{17.5}\n\\tdset{trained.loss}{0.87}\n"
    )
    assert compare.differences(*trees) == ["differs: macros/trained.tex"]


def test_every_per_run_field_of_a_job_record_is_excepted(trees):
    """The per-run fields are the library's own list (a field added there is excepted here)."""
    from thermodiff.io import HASH_KEY
    from thermodiff.provenance import PER_RUN_FIELDS

    assert compare.PER_RUN_KEYS == {*PER_RUN_FIELDS, HASH_KEY}
    for i, side in enumerate(trees):
        (side / "provenance/jobs").mkdir(parents=True)
        record = {"rule": "r", "outputs": {"y.npy": "ab"}, HASH_KEY: f"h{i}"}
        record |= {key: f"{key}-{i}" for key in PER_RUN_FIELDS}
        (side / "provenance/jobs/r.json").write_text(json.dumps(record))
    assert compare.differences(*trees) == []
    record["outputs"]["y.npy"] = "cd"
    (trees[1] / "provenance/jobs/r.json").write_text(json.dumps(record))
    assert compare.differences(*trees) == ["differs: provenance/jobs/r.json"]
