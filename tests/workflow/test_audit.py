"""`thermodiff audit` on a real smoke build: verified when fresh; tampering, deletion, upstream
data changes, config and library edits are all caught, and the stale set matches `snakemake -n`.

The smoke build is the session's; the audit runs Snakemake's DAG (which writes its own log), so
every test works on a private copy (`smoke_copy`). The fault cases are in the slow tier.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, copy_repo, snakemake

RESULTS = "results/smoke"
SMOKE = ("--configfile", "config/smoke.yaml")


def audit(workdir: Path, *args: str) -> tuple[int, dict]:
    """Run `python -m thermodiff audit ... --json` in ``workdir``: (exit status, JSON)."""
    done = subprocess.run(
        [sys.executable, "-m", "thermodiff", "audit", *args, *SMOKE, "--json"],
        cwd=workdir,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},  # this checkout's audit
        timeout=600,
    )
    assert done.stdout, done.stderr[-3000:]
    return done.returncode, json.loads(done.stdout)


def artefacts(payload: dict) -> dict[str, dict]:
    return {a["name"]: a for a in payload["artefacts"]}


def failures(node: dict) -> list[str]:
    out = list(node["problems"])
    for child in node["children"]:
        out += failures(child)
    return out


def scheduled_outputs(workdir: Path, *args: str) -> set[str]:
    """Output files of every job that `snakemake -n` would run now."""
    done = snakemake(workdir, *SMOKE, "-n", *args)
    assert done.returncode == 0, done.stderr[-3000:]
    text = done.stdout + done.stderr
    return {
        path.strip()
        for line in re.findall(r"^\s+output: (.*)$", text, flags=re.M)
        for path in line.split(",")
    }


def expected_from_schedule(payload: dict, scheduled: set[str]) -> set[str]:
    """Artefacts that depend on a scheduled job: figures and stage files, read off Snakemake."""
    out = set()
    for name, art in artefacts(payload).items():
        if name.startswith("claim "):
            stage = [c["path"] for c in art["children"][1:]]
            hit = any(p in scheduled for p in stage)
        elif name.startswith("value "):
            defining = [c["path"] for c in art["children"][1:]]
            hit = any(p in scheduled for p in defining)
        elif name.endswith("main.pdf"):
            continue
        else:
            hit = name in scheduled
        if hit:
            out.add(name)
    return out


def test_fresh_smoke_build_is_verified_down_to_the_raw_digits(smoke_copy):
    workdir = smoke_copy
    code, payload = audit(workdir, "paper")
    bad = {
        n: failures(a)[:2]
        for n, a in artefacts(payload).items()
        if a["lineage_status"] != "verified"
    }
    assert code == 0 and payload["verified"], bad
    names = set(artefacts(payload))
    figures = {f"{RESULTS}/figures/{p.name}" for p in (workdir / RESULTS / "figures").glob("*.pdf")}
    assert figures <= names
    assert any(n.startswith("claim ") for n in names)
    assert any(n.startswith("value ") for n in names)
    # one figure in full: its lineage reaches the dataset manifests and the raw digits file
    code, payload = audit(workdir, f"{RESULTS}/figures/fig22_rem_digits.pdf")
    assert code == 0
    tree = json.dumps(payload)
    assert f"{RESULTS}/data/digits/manifest.json" in tree
    assert "digits.csv.gz" in tree and '"rule": "make_digits"' in tree
    assert '"config_keys"' in tree and "data.digits.pixel_scale" in tree


@pytest.mark.slow
@pytest.mark.parametrize(
    "victim, reference",
    [
        # an intermediate several jobs read: Snakemake reruns its readers (content changed)
        ("meanfield/two_delta_critical.json", ()),
        # an upstream dataset array: jobs declare the manifest, not the array, so Snakemake alone
        # would rerun nothing; the reference asks it what depends on the dataset's rule
        ("data/two_delta/y.npy", ("--forcerun", "make_two_delta")),
    ],
)
def test_flipped_byte_fails_exactly_the_downstream_artefacts(smoke_copy, victim, reference):
    built = smoke_copy
    path = built / RESULTS / victim
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    code, payload = audit(built, "paper", "--no-stale")
    assert code == 1
    failed = {n for n, a in artefacts(payload).items() if a["lineage_status"] != "verified"}
    for name in failed:
        assert any(victim in f for f in failures(artefacts(payload)[name])), name
    expected = expected_from_schedule(payload, scheduled_outputs(built, *reference))
    assert expected, "snakemake schedules nothing after the change"
    assert failed - {f"{RESULTS}/paper/main.pdf"} == expected
    assert {artefacts(payload)[n]["lineage_status"] for n in failed} == {"changed"}


@pytest.mark.slow
def test_deleted_intermediate_is_missing(smoke_copy):
    built = smoke_copy
    victim = f"{RESULTS}/meanfield/four_point_cascade.npz"
    (built / victim).unlink()
    code, payload = audit(built, f"{RESULTS}/figures/fig03_discrete_cascade.pdf")
    assert code == 1
    (art,) = payload["artefacts"]
    assert art["lineage_status"] == "missing"
    assert any(
        f == f"{victim}: missing (read by rule plot_fig03_discrete_cascade)" for f in failures(art)
    )
    code, payload = audit(built, f"{RESULTS}/figures/fig01_two_delta_free_energy.pdf", "--no-stale")
    assert code == 0


EDITS = {
    "data": (
        "config/smoke.yaml",
        "    n_samples: 500\n  curie_weiss:",
        "    n_samples: 400\n  curie_weiss:",
    ),
    "meanfield": (
        "config/smoke.yaml",
        "discrete: {t_min: 0.1, t_max: 8.0, n: 40}",
        "discrete: {t_min: 0.1, t_max: 8.0, n: 41}",
    ),
    "rem": ("config/smoke.yaml", "digits: {num: 15, n_cues: 60}", "digits: {num: 16, n_cues: 60}"),
    "trained": ("config/smoke.yaml", "snapshot_trajectories: 3", "snapshot_trajectories: 4"),
    "dynamics": (
        "config/smoke.yaml",
        "sphere: {d: 3, n_steps: 60, n_trajectories: 200, n_record: 8}",
        "sphere: {d: 3, n_steps: 60, n_trajectories: 201, n_record: 8}",
    ),
    "library": ("src/thermodiff/sphere.py", None, "\n# an edit to the library\n"),
}


@pytest.mark.slow
@pytest.mark.parametrize("stage", sorted(EDITS))
def test_edit_makes_exactly_the_dependent_artefacts_stale(smoke_copy, stage):
    built = smoke_copy
    path, old, new = EDITS[stage]
    text = (built / path).read_text()
    if old is None:
        text += new
    else:
        assert text.count(old) == 1, f"{path} no longer contains {old!r}"
        text = text.replace(old, new)
    (built / path).write_text(text)
    code, payload = audit(built, "paper")
    stale = {n for n, a in artefacts(payload).items() if a["lineage_status"] != "verified"}
    assert {artefacts(payload)[n]["lineage_status"] for n in stale} == {"stale"}
    expected = expected_from_schedule(payload, scheduled_outputs(built))
    assert expected and len(expected) < len(artefacts(payload)) - 1
    assert stale - {f"{RESULTS}/paper/main.pdf"} == expected
    assert code == 1


@pytest.mark.slow
def test_two_clean_builds_are_byte_identical(smoke_run, tmp_path_factory):
    first = smoke_run[0]
    second = copy_repo(tmp_path_factory.mktemp("smoke2") / "thermodiff")
    done = snakemake(second, *SMOKE, "--cores", "2", timeout=3600)
    assert done.returncode == 0, done.stderr[-4000:]
    from thermodiff.provenance import PER_RUN_FIELDS

    def digest(root: Path, rel: str) -> str:
        import hashlib

        data = (root / rel).read_bytes()
        if rel.startswith(f"{RESULTS}/provenance/") and rel.endswith(".json"):
            record = json.loads(data)
            # the record's own content hash covers its per-run fields, so it goes with them
            for key in (*PER_RUN_FIELDS, "_sha256"):
                record.pop(key, None)
            data = json.dumps(record, sort_keys=True).encode()
        return hashlib.sha256(data).hexdigest()

    # per-run by nature: job logs and timings, and TeX's scratch folder (run date, absolute paths)
    skip = (
        f"{RESULTS}/logs/",
        f"{RESULTS}/benchmarks/",
        f"{RESULTS}/paper/latex/",
        f"{RESULTS}/report/",
    )

    def files(root: Path) -> set[str]:
        return {
            str(p.relative_to(root))
            for p in (root / RESULTS).rglob("*")
            if p.is_file() and not str(p.relative_to(root)).startswith(skip)
        }

    a, b = files(first), files(second)
    assert a == b, f"only in one build: {sorted(a ^ b)}"
    differ = sorted(rel for rel in a if digest(first, rel) != digest(second, rel))
    assert not differ, f"files that differ between two clean builds: {differ}"


@pytest.mark.slow
def test_html_report_renders_every_figure_in_chromium(smoke_copy, tmp_path):
    # Snakemake's report (docs/contributing.md §Reports) is a script-driven page: a headless
    # browser runs it and must show the figures' categories and a non-blank page
    built = smoke_copy
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    report = built / RESULTS / "report.html"
    done = snakemake(built, *SMOKE, "--report", str(report))
    assert done.returncode == 0, done.stderr[-3000:]
    headless = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
    dom = subprocess.run(
        [*headless, "--virtual-time-budget=10000", "--dump-dom", report.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    for category in ("Mean field", "Random-energy model", "Trained models"):
        assert category in dom
    shot = tmp_path / "report.png"
    subprocess.run(
        [*headless, f"--screenshot={shot}", "--window-size=1200,2000", report.as_uri()],
        capture_output=True,
        timeout=120,
    )
    assert shot.stat().st_size > 20_000, "the page rendered (nearly) blank"
