"""A bad configuration stops Snakemake before any job runs, naming the offending key."""

import os
import subprocess
import sys

import pytest
import yaml

from .conftest import snakemake

BAD_CONFIGS = [
    ({"no_such_stage": {}}, "no_such_stage"),
    ({"data": {"two_delta": {"a": "one"}}}, "data.two_delta.a"),
    ({"data": {"two_delta": {"a": -1.0}}}, "data.two_delta.a"),
    (
        {"meanfield": {"two_delta": {"landscape_temperatures": [1.0, -0.5]}}},
        "meanfield.two_delta.landscape_temperatures.1",
    ),
    ({"meanfield": {"sphere": {"dims": []}}}, "meanfield.sphere.dims"),
    ({"meanfield": {"sphere": {"dims": [0, 3]}}}, "meanfield.sphere.dims.0"),
    ({"meanfield": {"sphere": {"radius": 1.0, "radiuss": 2.0}}}, "meanfield.sphere.radiuss"),
    ({"rem": {"dims": [10], "n_samples": [1]}}, "rem.n_samples.0"),
    ({"data": {"digits": {"sha256": "not-a-hash"}}}, "data.digits.sha256"),
    ({"data": {"curie_weiss": {"n_samples": 2.5}}}, "data.curie_weiss.n_samples"),
    # issue 20: these passed `make check-config`, then broke Snakemake naming no key, or ran
    ({"results": "results/a\0b"}, "results"),
    ({"results": "r" * 300}, "results"),
    ({"meanfield": {"ising": {"chain_lengths": [12, 12, 64]}}}, "meanfield.ising.chain_lengths"),
    ({"repository": "https://example.org/" + "r" * 200_000}, "repository"),
]


@pytest.mark.parametrize(
    ("override", "key"), BAD_CONFIGS, ids=[f"{i}-{k}" for i, (_, k) in enumerate(BAD_CONFIGS)]
)
def test_bad_config_is_rejected_before_any_job(repo_copy, tmp_path, override, key):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(override))
    done = snakemake(repo_copy, "-n", "--configfile", str(bad))
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert f"config key '{key}'" in output
    assert "Invalid configuration" in output
    assert "Traceback" not in output
    assert max(map(len, output.splitlines())) < 400, "a bad value is shown cut, not whole"
    assert not any((repo_copy / "results").iterdir()), "a rejected config must write nothing"


def test_default_and_smoke_configs_are_valid(repo_copy):
    assert snakemake(repo_copy, "-n").returncode == 0
    assert snakemake(repo_copy, "-n", "--configfile", "config/smoke.yaml").returncode == 0


def test_changed_digits_file_is_an_error_naming_the_key(repo_copy):
    wrong = "0" * 64
    target = "results/check/data/digits/manifest.json"
    done = snakemake(
        repo_copy,
        target,
        "--cores",
        "1",
        "--config",
        "results=results/check",
        f"data={{digits: {{sha256: '{wrong}'}}}}",
    )
    assert done.returncode != 0
    assert "data.digits.sha256" in done.stdout + done.stderr
    assert not (repo_copy / target).exists()


# The first table of issue 8: on top of config/smoke.yaml, after a complete run, each bad value is
# refused before any job, naming its key, and not one file under results/ changes.
AFTER_RUN = [
    ("data: {two_delta: {a: .nan}}", "data.two_delta.a"),
    ("trained: {noise: {t_min_over_tc: .nan}}", "trained.noise.t_min_over_tc"),
    ("meanfield: {sphere: {radius: .inf}}", "meanfield.sphere.radius"),
    ("rem: {ratios: {max: .inf}}", "rem.ratios.max"),
    ("data: {curie_weiss: {d: 1000000000}}", "data.curie_weiss.d"),
    ("rem: {n_samples: [100, 1000000000000]}", "rem.n_samples.1"),
    ("data: {sphere: {n_samples: 1000000000000}}", "data.sphere.n_samples"),
    ("meanfield: {discrete: {n: 40.0}}", "meanfield.discrete.n"),
    ("meanfield: {discrete: {t_min: 8, t_max: 0.1}}", "meanfield.discrete.t_min"),
    ("results: ../elsewhere", "results"),
    ("rem: {alpha_sweep: {dims: [20, 10000]}}", "rem.alpha_sweep.dims"),
    # within every bound, but the sphere samples would need 745 GiB
    (
        "data: {sphere: {n_samples: 10000000}}\nmeanfield: {sphere: {dims: [10000]}}",
        "data.sphere.n_samples",
    ),
]


def snapshot(root):
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
@pytest.mark.parametrize(("text", "key"), AFTER_RUN, ids=[k for _, k in AFTER_RUN])
def test_bad_value_after_a_complete_run_changes_nothing(smoke_copy, tmp_path, text, key):
    workdir = smoke_copy
    before = snapshot(workdir / "results")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text + "\n")
    done = snakemake(workdir, "--cores", "1", "--configfile", "config/smoke.yaml", str(bad))
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert f"config key '{key}'" in output
    assert "Invalid configuration" in output
    assert "OverflowError" not in output and "Traceback" not in output
    assert snapshot(workdir / "results") == before, "a refused config must not touch results/"


def preflight(workdir, *configfiles):
    """What `make` runs before Snakemake: python -m thermodiff.config_check --configfile ..."""
    env = {**os.environ, "PYTHONPATH": str(workdir / "src")}
    return subprocess.run(
        [sys.executable, "-m", "thermodiff.config_check", "--configfile", *configfiles],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=env,
    )


def test_yaml_syntax_error_names_file_and_line(repo_copy, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("meanfield:\n  two_delta:\n    a: 1.0\n    b: c: d\n")
    done = preflight(repo_copy, str(bad))
    assert done.returncode == 2
    assert done.stderr.startswith(f"{bad}:4:")
    assert len(done.stderr.strip().splitlines()) == 1


def test_missing_config_file_is_one_line(repo_copy, tmp_path):
    done = preflight(repo_copy, str(tmp_path / "missing.yaml"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"config file {tmp_path / 'missing.yaml'} not found"


def test_preflight_accepts_the_shipped_configs_and_make_runs_it_first(repo_copy):
    assert preflight(repo_copy, "config/smoke.yaml").returncode == 0
    assert preflight(repo_copy, "config/gpu.yaml").returncode == 0
    plan = subprocess.run(
        ["make", "-n", "all", "smoke", "CONFIG=my.yaml"],
        cwd=repo_copy,
        capture_output=True,
        text=True,
    ).stdout
    lines = plan.splitlines()
    first_run = next(i for i, line in enumerate(lines) if "snakemake --configfile my.yaml" in line)
    assert any("thermodiff.config_check --configfile my.yaml" in line for line in lines[:first_run])
    assert any("thermodiff.stale_lock" in line for line in lines[:first_run])


# Issue 20: the gate can be neither escaped nor hung, and says the same as `make check-config`.


def test_alias_bomb_is_refused_at_once_by_snakemake_and_by_make(repo_copy, tmp_path):
    lines = ["a0: &a0 [" + ", ".join(["x"] * 10) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n")  # 10^9 values once expanded
    expected = f"{bomb}: config key 'a1.0': a YAML alias of the value at line 1 ('a0')"
    before = snapshot(repo_copy / "results")
    done = snakemake(repo_copy, "-n", "--configfile", str(bomb), timeout=120)
    assert done.returncode != 0
    assert expected in done.stdout + done.stderr
    make = preflight(repo_copy, str(bomb))
    assert make.returncode == 2 and make.stderr.startswith(expected)
    assert snapshot(repo_copy / "results") == before


def test_results_link_out_of_the_checkout_is_refused_before_any_job(repo_copy, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    link = repo_copy / "results_link_issue20"
    link.symlink_to(outside)
    before = snapshot(repo_copy / "results")
    try:
        done = snakemake(repo_copy, "-n", "--config", f"results={link.name}")
    finally:
        link.unlink()
    assert done.returncode != 0
    assert "config key 'results': 'results_link_issue20' resolves, through a link, to" in (
        done.stdout + done.stderr
    )
    assert not any(outside.iterdir()) and snapshot(repo_copy / "results") == before


def test_empty_config_file_is_refused_by_make_and_by_snakemake(repo_copy, tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("# no settings yet\n")
    before = snapshot(repo_copy / "results")
    make = preflight(repo_copy, str(empty))
    assert make.returncode == 2
    assert (
        make.stderr.strip()
        == f"config file {empty} is empty: write {{}} for a file with no settings"
    )
    # Snakemake reads --configfile before the Snakefile: its own one-line refusal, no job
    done = snakemake(repo_copy, "-n", "--configfile", str(empty))
    assert done.returncode != 0
    assert "Config file must be given as JSON or YAML with keys at top level." in (
        done.stdout + done.stderr
    )
    assert snapshot(repo_copy / "results") == before
