"""Lineage and verification logic of thermodiff.audit on a hand-made four-job pipeline."""

import json
import os

import numpy as np
import pytest

from thermodiff import audit as A
from thermodiff import cli
from thermodiff.files import HASH_KEY, content_hash, save_npz, sha256_file, write_json
from thermodiff.provenance import config_sources

R = "results/"


def seal(rec):
    """A record as the writer leaves it: with the ``_sha256`` of its content."""
    body = {k: v for k, v in rec.items() if k != HASH_KEY}
    return {**body, HASH_KEY: content_hash(body)}


def record(rule, inputs, outputs, script="s.py", params=None):
    return {
        "rule": rule,
        "script": {"path": f"scripts/{rule}.py", "sha256": script},
        "params": params or {},
        "config_keys": {},
        "inputs": inputs,
        "outputs": outputs,
        "finished": "2026-01-01T00:00:00Z",
    }


@pytest.fixture
def world():
    """raw -> dataset (manifest + y.npy) -> compute -> figure; hashes are file 'contents'."""
    files = {
        "raw.csv": "h-raw",
        R + "data/d/y.npy": "h-y",
        R + "data/d/manifest.json": "h-man",
        R + "c/out.npz": "h-out",
        R + "figures/fig01_x.pdf": "h-fig",
        R + "figures/fig02_y.pdf": "h-fig2",
    }
    texts = {R + "data/d/manifest.json": json.dumps({"files": {"y.npy": {"sha256": "h-y"}}})}
    records = [
        record(
            "make_d",
            {"raw.csv": "h-raw"},
            {R + "data/d/y.npy": "h-y", R + "data/d/manifest.json": "h-man"},
            params={"n": 3},
        ),
        record("compute", {R + "data/d/manifest.json": "h-man"}, {R + "c/out.npz": "h-out"}),
        record("plot_fig01_x", {R + "c/out.npz": "h-out"}, {R + "figures/fig01_x.pdf": "h-fig"}),
        record(
            "plot_fig02_y",
            {R + "data/d/manifest.json": "h-man"},
            {R + "figures/fig02_y.pdf": "h-fig2"},
        ),
    ]
    current = {
        path: {
            "rule": rec["rule"],
            "script": rec["script"]["path"],
            "script_sha256": rec["script"]["sha256"],
            "params": rec["params"],
        }
        for rec in records
        for path in rec["outputs"]
    }
    return files, texts, records, current


def auditor(world, current=True, root="results", edited=None):
    """An audit of ``world`` (records sealed as written; ``edited``: {rule: change made after})."""
    files, texts, records, now = world
    sealed = {f"{R}provenance/jobs/{r['rule']}.json": seal(r) for r in records}
    for rule, change in (edited or {}).items():
        change(sealed[f"{R}provenance/jobs/{rule}.json"])
    return A.Auditor(sealed, files.get, texts.get, root, now if current else None)


def paths(node):
    return [node.path, *(p for c in node.children for p in paths(c))]


def test_intact_lineage_is_verified_down_to_the_raw_file(world):
    node = auditor(world).file(R + "figures/fig01_x.pdf")
    assert node.worst == "verified" and node.failures() == []
    assert paths(node) == [
        R + "figures/fig01_x.pdf",
        R + "c/out.npz",
        R + "data/d/manifest.json",
        "raw.csv",
        R + "data/d/y.npy",
    ]
    text = A.render(node)
    assert "rule make_d" in text and "[verified]" in text


def test_a_changed_array_fails_every_figure_below_it_and_names_the_file(world):
    files = world[0]
    files[R + "data/d/y.npy"] = "tampered"
    for fig in ("fig01_x", "fig02_y"):
        node = auditor(world).file(R + f"figures/{fig}.pdf")
        assert node.worst == "changed"
        problems = [p for path, _, p in node.failures() if path.endswith("y.npy")]
        assert problems and "expected sha256 h-y, found tampered" in problems[0]


def test_a_deleted_intermediate_is_missing(world):
    del world[0][R + "c/out.npz"]
    node = auditor(world).file(R + "figures/fig01_x.pdf")
    assert node.worst == "missing"
    assert node.failures()[0][0] == R + "c/out.npz"
    # fig02 does not read it
    assert auditor(world).file(R + "figures/fig02_y.pdf").worst == "verified"


def test_a_rewritten_upstream_file_is_changed_for_its_reader(world):
    """The dataset was regenerated (new manifest recorded) but compute was not rerun."""
    files, _, records, _ = world
    files[R + "data/d/manifest.json"] = "h-man2"
    records[0]["outputs"][R + "data/d/manifest.json"] = "h-man2"
    node = auditor(world).file(R + "figures/fig01_x.pdf")
    assert node.worst == "changed"
    assert any("rule compute read it" in p for _, _, p in node.failures())


def test_params_and_script_changes_are_stale_exactly_downstream(world):
    current = world[3]
    current[R + "c/out.npz"] = {**current[R + "c/out.npz"], "params": {"n_grid": 7}}
    fig1 = auditor(world).file(R + "figures/fig01_x.pdf")
    assert fig1.worst == "stale"
    assert "param n_grid" in fig1.failures()[0][2]
    assert auditor(world).file(R + "figures/fig02_y.pdf").worst == "verified"
    current[R + "data/d/y.npy"] = {**current[R + "data/d/y.npy"], "script_sha256": "new"}
    current[R + "data/d/manifest.json"] = current[R + "data/d/y.npy"]
    assert auditor(world).file(R + "figures/fig02_y.pdf").worst == "stale"


def test_unrecorded_results_file_is_not_verified(world):
    world[0][R + "stray.npz"] = "x"
    assert auditor(world).file(R + "stray.npz").worst == "unrecorded"


@pytest.mark.parametrize("absolute_root", [False, True])
@pytest.mark.parametrize("absolute_path", [False, True])
def test_unrecorded_for_relative_and_absolute_roots_and_paths(world, absolute_root, absolute_path):
    def form(path, absolute):
        return os.path.abspath(path) if absolute else path

    root = form("results", absolute_root)
    files = world[0]
    stray, recorded = form(R + "stray.npz", absolute_path), form(R + "c/out.npz", absolute_path)
    files[stray] = "x"
    files[recorded] = files.get(recorded, "h-out")  # the same file under either name
    a = auditor(world, current=False, root=root)
    node = a.file(stray)
    assert node.worst == "unrecorded"
    assert node.failures() == [(stray, "unrecorded", f"{stray}: no job record claims this file")]
    assert a.in_results(stray) and not a.in_results("raw.csv")
    assert not a.in_results(form("results_other/x.npz", absolute_path))  # a prefix is not a folder
    assert a.file(recorded).worst == "verified"  # found through its record's other spelling
    assert a.file("raw.csv").worst == "verified"  # outside the results root: no record expected


def test_a_record_edited_by_hand_is_corrupt_not_stale(world):
    def edit(rec):
        rec["script"]["sha256"] = "edited"

    a = auditor(world, edited={"compute": edit})
    node = a.file(R + "figures/fig01_x.pdf")
    assert node.worst == "corrupt"
    assert a.corrupt == {
        f"{R}provenance/jobs/compute.json": f"content differs from its {HASH_KEY} "
        "(edited after its job wrote it)"
    }
    problems = [(path, status) for path, status, _ in node.failures()]
    assert problems == [(R + "c/out.npz", "corrupt")]
    assert f"its job record {R}provenance/jobs/compute.json is corrupt" in node.failures()[0][2]
    assert all(status != "stale" for _, status, _ in node.failures())
    assert a.file(R + "figures/fig02_y.pdf").worst == "verified"  # does not read out.npz


def test_a_record_without_its_hash_or_not_json_is_corrupt(world):
    files, texts, records, _ = world
    named = {f"jobs/{r['rule']}.json": seal(r) for r in records}
    del named["jobs/make_d.json"][HASH_KEY]
    named["jobs/broken.json"] = None  # not JSON
    a = A.Auditor(named, files.get, texts.get, "results")
    assert a.corrupt == {
        "jobs/make_d.json": f"no {HASH_KEY}",
        "jobs/broken.json": "not a JSON object",
    }
    assert a.file(R + "data/d/y.npy").worst == "corrupt"


def test_a_forged_lineage_is_corrupt_never_verified(tmp_path, monkeypatch, capsys):
    """Change an .npz and put its new sha256 into every record that names it, without the
    records' own _sha256: `thermodiff audit` names the corrupt records and fails."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config").mkdir()
    (tmp_path / "config/config.yaml").write_text("results: results\n")
    save_npz("results/c/out.npz", y=np.arange(3.0))
    (tmp_path / "results/figures").mkdir(parents=True)
    (tmp_path / "results/figures/fig01_x.pdf").write_text("%PDF")
    (tmp_path / "scripts").mkdir()
    for rule in ("compute", "plot_fig01_x"):
        (tmp_path / f"scripts/{rule}.py").write_text("pass\n")
    out, fig = "results/c/out.npz", "results/figures/fig01_x.pdf"

    def write_records():
        for rule, inputs, outputs in (
            ("compute", {}, [out]),
            ("plot_fig01_x", {out: sha256_file(out)}, [fig]),
        ):
            rec = record(rule, inputs, {p: sha256_file(p) for p in outputs})
            rec["script"]["sha256"] = sha256_file(rec["script"]["path"])
            write_json(f"results/provenance/jobs/{rule}.json", rec)

    def audit():
        code = cli.main(["audit", fig, "--no-stale", "--json"])
        return code, json.loads(capsys.readouterr().out)

    write_records()
    code, payload = audit()
    assert code == 0 and payload["verified"] is True  # the honest tree
    save_npz(out, y=np.arange(3.0) + 1.0)  # another valid file with other numbers
    new = sha256_file(out)
    for path in sorted((tmp_path / "results/provenance/jobs").glob("*.json")):
        text = path.read_text()
        old = json.loads(text).get("outputs", {}).get(out) or json.loads(text)["inputs"][out]
        path.write_text(text.replace(old, new))  # the hash replaced, the _sha256 left as it was
    code, payload = audit()
    assert code == 1 and payload["verified"] is False
    [artefact] = payload["artefacts"]
    assert artefact["status"] == "corrupt" and artefact["lineage_status"] == "corrupt"
    assert artefact["problems"] == [
        f"{fig}: its job record results/provenance/jobs/plot_fig01_x.json is corrupt (content "
        f"differs from its {HASH_KEY} (edited after its job wrote it)); nothing it says is trusted"
    ]
    assert artefact["children"] == []  # nothing below a corrupt record is followed as verified
    code = cli.main(["audit", out, "--no-stale", "--brief"])
    assert code == 1
    assert "results/provenance/jobs/compute.json is corrupt" in capsys.readouterr().out


def test_repeated_lineage_is_printed_once_but_still_counted(world):
    world[0]["raw.csv"] = "tampered"
    a = auditor(world)
    first = a.file(R + "figures/fig02_y.pdf")
    second = a.file(R + "figures/fig01_x.pdf")
    assert first.worst == second.worst == "changed"
    assert "(lineage shown above)" in A.render(second)


def test_claim_and_value_follow_their_stage_file():
    files = {
        R + "claims/claims.csv": "h-all",
        R + "claims/a.csv": "h-a",
        R + "claims/b.csv": "h-b",
        R + "macros/values.tex": "h-v",
        R + "macros/a.tex": "h-ma",
    }
    header = "claim_id,passed\n"
    texts = {
        R + "claims/claims.csv": header + "a.x,True\nb.y,True\n",
        R + "claims/a.csv": header + "a.x,True\n",
        R + "claims/b.csv": header + "b.y,True\n",
        R + "macros/values.tex": "% from results/macros/a.tex\n\\tdset{a/t_c}{1.0}\n",
    }
    records = [
        record(
            "collect",
            {R + "claims/a.csv": "h-a", R + "claims/b.csv": "h-b"},
            {R + "claims/claims.csv": "h-all"},
        ),
        record("stage_a", {}, {R + "claims/a.csv": "h-a", R + "macros/a.tex": "h-ma"}),
        record("stage_b", {}, {R + "claims/b.csv": "h-b"}),
        record("values", {R + "macros/a.tex": "h-ma"}, {R + "macros/values.tex": "h-v"}),
    ]
    files[R + "claims/b.csv"] = "tampered"
    a = A.Auditor([seal(r) for r in records], files.get, texts.get, "results")
    assert a.claim("a.x", R + "claims/claims.csv").worst == "verified"
    claim_b = a.claim("b.y", R + "claims/claims.csv")
    assert claim_b.worst == "changed" and "claims/b.csv" in claim_b.failures()[0][0]
    assert a.claim("nope", R + "claims/claims.csv").worst == "missing"
    assert a.value("a/t_c", R + "macros/values.tex").worst == "verified"
    assert a.value("a/none", R + "macros/values.tex").worst == "missing"


def test_defining_file_and_used_values():
    tex = "% from x.tex\n\\tdset{k1}{1}\n% from y.tex\n\\tdset{k2}{2}\n"
    assert A.defining_file(tex, "k2") == "y.tex" and A.defining_file(tex, "k3") is None
    assert A.used_values([r"a \val{k2} b \val{k1}", r"\val{k2} % \val{k3}", r"5\% \val{k4}"]) == [
        "k1",
        "k2",
        "k4",
    ]
    definition = r"\newcommand\valpm[2]{\val{#1} \pm \val{#2}} \valpm{k5}{k6} \valsig{k7}{3}"
    assert A.used_values([definition]) == ["k5", "k6", "k7"]


def test_config_sources_by_name_structure_and_rule_words():
    config = {
        "data": {"sphere": {"n_samples": 500, "seed": 1}, "ising": {"n_samples": 500, "seed": 1}},
        "meanfield": {
            "two_delta": {"a": 1.0, "temperatures": [2.0, 1.0]},
            "discrete": {"t_min": 0.1, "n": 40},
            "digits": {"t_min": 0.1, "n": 20},
        },
    }
    keys = config_sources(
        {
            "spec": {"n_samples": 500, "d": 3},
            "seed": 1,
            "library": "abc",
            "temps": [2.0, 1.0],
            "n": 40,
            "t_min": 0.1,
            "flag": True,
        },
        config,
        rule="make_sphere",
    )
    assert keys == {
        "spec.n_samples": ["data.sphere.n_samples"],
        "seed": ["data.sphere.seed"],
        "temps": ["meanfield.two_delta.temperatures"],
        "n": ["meanfield.discrete.n"],
        "t_min": ["meanfield.discrete.t_min"],  # shares a prefix with the unique `n`
    }


def test_lineage_records_and_software_summary_cover_only_the_ancestors():
    from thermodiff.provenance import lineage_records, software_summary

    def rec(rule, inputs, outputs, numpy):
        return {
            "rule": rule,
            "inputs": dict.fromkeys(inputs, "h"),
            "outputs": dict.fromkeys(outputs, "h"),
            "versions": {"numpy": numpy, "python": "3.11"},
            "device": {"system": "Linux", "machine": "x86_64", "processor": "x", "cpu_count": 2},
        }

    records = [
        rec("a", [], ["a.out"], "2.0"),
        rec("b", ["a.out"], ["b.out"], "2.1"),
        rec("c", [], ["c.out"], "9.9"),  # not an ancestor of b.out
    ]
    jobs = lineage_records(records, ["b.out"])
    assert [r["rule"] for r in jobs] == ["a", "b"]
    summary = software_summary(jobs)
    assert summary["versions"] == {"numpy": {"2.0": 1, "2.1": 1}, "python": {"3.11": 2}}
    assert summary["hardware"] == ["Linux x86_64, x, 2 logical CPUs"]
