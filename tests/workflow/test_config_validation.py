"""A bad configuration stops Snakemake before any job runs, naming the offending key."""

import pytest
import yaml

from .conftest import snakemake

BAD_CONFIGS = [
    ({"no_such_stage": {}}, "no_such_stage"),
    ({"meanfield": {"two_delta": {"a": "one"}}}, "meanfield.two_delta.a"),
    ({"meanfield": {"two_delta": {"a": -1.0}}}, "meanfield.two_delta.a"),
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
]


@pytest.mark.parametrize(("override", "key"), BAD_CONFIGS, ids=[k for _, k in BAD_CONFIGS])
def test_bad_config_is_rejected_before_any_job(repo_copy, tmp_path, override, key):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(override))
    done = snakemake(repo_copy, "-n", "--configfile", str(bad))
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert f"config key '{key}'" in output
    assert "Invalid configuration" in output
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
