"""Job records: the one writer, the producers' sha256 that consumers check, the software
versions they name."""

import importlib.metadata
import os
import platform
import time
import types

import pytest

from thermodiff import provenance
from thermodiff.files import InputError, read_json, sha256_file, write_json


def test_top_level_modules_of_the_installed_distributions_match_the_standard_library():
    """The text-only reading of top_level.txt/RECORD finds what packages_distributions finds."""
    expected = {
        module: set(names) for module, names in importlib.metadata.packages_distributions().items()
    }
    found: dict[str, set[str]] = {}
    for dist, modules in provenance.installed_distributions():
        for module in modules:
            found.setdefault(module, set()).add(dist.metadata["Name"])
    assert found == expected


def test_imported_versions_are_what_the_standard_library_says():
    """The fast route gives what importlib.metadata.version gives for each distribution of each
    imported top-level module, found by packages_distributions."""
    import sys

    mapping = importlib.metadata.packages_distributions()
    expected = {
        dist: importlib.metadata.version(dist)
        for module in {name.split(".")[0] for name in list(sys.modules)}
        for dist in mapping.get(module, [])
    }
    expected["python"] = platform.python_version()
    versions = provenance.imported_versions()
    assert versions == expected
    assert versions["numpy"] == importlib.metadata.version("numpy")
    assert list(versions) == sorted(versions)


def fake_job(tmp_path):
    """A finished job: one input, two outputs, under the results root ``<tmp>/results``."""
    results = tmp_path / "results"
    for name, text in (("in.txt", "a"), ("fig.pdf", "b"), ("table.csv", "c")):
        (results / name).parent.mkdir(parents=True, exist_ok=True)
        (results / name).write_text(text)
    script = tmp_path / "plot.py"
    script.write_text("pass\n")
    smk = types.SimpleNamespace(
        rule="plot_fig09",
        input={"data": str(results / "in.txt")},
        output={"figure": str(results / "fig.pdf"), "table": str(results / "table.csv")},
        params={"n": 4},
        wildcards={},
        config={"results": str(results), "n": 4},
    )
    return smk, script, results


def test_figure_and_job_records_come_from_one_writer(tmp_path):
    smk, script, results = fake_job(tmp_path)
    outputs = list(smk.output.values())
    job = provenance.write_record(
        smk, provenance.job_record_path(smk), outputs, script=script, started=time.time() - 2
    )
    figure = provenance.write_record(
        smk, results / "provenance/plot_fig09.json", outputs[:1], script=script, per_run=False
    )
    assert read_json(results / "provenance/jobs/plot_fig09.json") == job  # _sha256 holds
    assert read_json(results / "provenance/plot_fig09.json") == figure
    assert 2 <= job["wall_time_s"] < 60 and job["started"] <= job["finished"]
    assert job["outputs"] == {p: sha256_file(p) for p in outputs}
    assert job["inputs"] == {str(results / "in.txt"): sha256_file(results / "in.txt")}
    # the figure's record is the job's, less the per-run fields, for the figure only
    assert figure["job_record"] == str(results / "provenance/jobs/plot_fig09.json")
    assert figure["outputs"] == {outputs[0]: sha256_file(outputs[0])}
    same = set(job) - {*provenance.PER_RUN_FIELDS, "outputs"}
    assert set(figure) == same | {"outputs", "job_record"}
    assert {k: figure[k] for k in same} == {k: job[k] for k in same}


def test_noted_per_run_values_go_to_the_job_record_only(tmp_path, monkeypatch):
    # a resumed training job's step: a fact of this run, kept with the per-run fields (which
    # comparisons of two builds leave out), never in an output or a figure's record
    monkeypatch.setattr(provenance, "_PER_RUN_VALUES", {})
    smk, script, results = fake_job(tmp_path)
    with pytest.raises(ValueError, match=r"not per-run fields.*\['loss'\]"):
        provenance.note_per_run(loss=1.0)
    provenance.note_per_run(resumed_from_step=200)
    outputs = list(smk.output.values())
    job = provenance.write_record(smk, provenance.job_record_path(smk), outputs, script=script)
    figure = provenance.write_record(
        smk, results / "f.json", outputs[:1], script=script, per_run=False
    )
    assert job["resumed_from_step"] == 200 and "resumed_from_step" in provenance.PER_RUN_FIELDS
    assert "resumed_from_step" not in figure and "loss" not in job


def test_write_record_refuses_missing_outputs(tmp_path):
    smk, script, results = fake_job(tmp_path)
    (results / "table.csv").unlink()
    with pytest.raises(FileNotFoundError, match=f"outputs not written: {results}/table.csv"):
        provenance.write_record(smk, results / "r.json", smk.output.values(), script=script)
    assert not (results / "r.json").exists()


def test_producers_take_the_latest_intact_record_and_set_corrupt_ones_aside(tmp_path):
    results = tmp_path / "results"
    out = results / "c/out.npz"
    out.parent.mkdir(parents=True)
    out.write_bytes(b"new")
    jobs = results / "provenance/jobs"
    write_json(jobs / "old.json", {"finished": "2026-01-01T00:00:00Z", "outputs": {"x": "1"}})
    (jobs / "old.json").write_text((jobs / "old.json").read_text().replace('"1"', '"2"'))
    write_json(jobs / "a.json", {"finished": "2026-01-02T00:00:00Z", "outputs": {str(out): "s1"}})
    write_json(
        jobs / "b.json",
        {"finished": "2026-01-03T00:00:00Z", "outputs": {os.path.relpath(out): sha256_file(out)}},
    )
    (jobs / "junk.json").write_text("{")
    producers = provenance.Producers(results)
    assert producers.recorded(out) == (sha256_file(out), jobs / "b.json")  # latest, any spelling
    assert producers.check(out) == sha256_file(out)
    assert [c.split(" (")[0] for c in producers.corrupt] == [
        str(jobs / "junk.json"),
        str(jobs / "old.json"),
    ]
    with pytest.raises(InputError, match=f"{results}/other.npz: no intact job record"):
        producers.recorded(results / "other.npz")
