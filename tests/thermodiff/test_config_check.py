"""thermodiff.config_check without Snakemake: every problem is one line naming its key."""

import copy
import math

import pytest
import yaml

from thermodiff import config_check as cc

from ..conftest import ROOT

SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"
GIB = 1 << 30


@pytest.fixture(scope="module")
def smoke():
    cfg = cc.load_yaml(ROOT / "config/config.yaml")
    return cc.merge(cfg, cc.load_yaml(ROOT / "config/smoke.yaml"))


def problems(base, override, memory=64 * GIB):
    cfg = cc.merge(copy.deepcopy(base), override)
    return cc.config_problems(cfg, SCHEMA, memory_bytes=memory)


def keys(lines):
    return [line.split("'")[1] for line in lines]


@pytest.mark.parametrize("name", ["config.yaml", "smoke.yaml", "gpu.yaml"])
def test_shipped_configs_are_valid_and_get_defaults(name):
    cfg = cc.load_yaml(ROOT / "config/config.yaml")
    if name != "config.yaml":
        cc.merge(cfg, cc.load_yaml(ROOT / "config" / name))
    assert cc.config_problems(cfg, SCHEMA) == []
    assert cfg["data"]["sphere"]["n_samples"] >= 1  # defaults filled in place
    assert cfg["rem"]["alpha_sweep"]["alpha"] > 0


# The first table of issue 8: values the schema alone let through.
TABLE = [
    ({"meanfield": {"two_delta": {"a": math.nan}}}, "meanfield.two_delta.a"),
    ({"trained": {"noise": {"t_min_over_tc": math.nan}}}, "trained.noise.t_min_over_tc"),
    ({"meanfield": {"sphere": {"radius": math.inf}}}, "meanfield.sphere.radius"),
    ({"rem": {"ratios": {"max": math.inf}}}, "rem.ratios.max"),
    ({"rem": {"ratios": {"min": -math.inf}}}, "rem.ratios.min"),
    ({"data": {"curie_weiss": {"d": 10**9}}}, "data.curie_weiss.d"),
    ({"data": {"curie_weiss": {"d": 1e9}}}, "data.curie_weiss.d"),
    ({"rem": {"n_samples": [100, 10**12]}}, "rem.n_samples.1"),
    ({"data": {"sphere": {"n_samples": 10**12}}}, "data.sphere.n_samples"),
    ({"meanfield": {"discrete": {"n": 40.0}}}, "meanfield.discrete.n"),
    ({"meanfield": {"discrete": {"t_min": 8, "t_max": 0.1}}}, "meanfield.discrete.t_min"),
    ({"results": "../elsewhere"}, "results"),
    ({"rem": {"alpha_sweep": {"dims": [20, 10000]}}}, "rem.alpha_sweep.dims"),
]


@pytest.mark.parametrize(("override", "key"), TABLE, ids=[k for _, k in TABLE])
def test_each_bad_value_is_one_line_naming_its_key(smoke, override, key):
    lines = problems(smoke, override)
    assert set(keys(lines)) == {key}, lines  # 1e9: not an integer, and above the bound
    assert all("\n" not in line for line in lines)


def test_nonfinite_values_are_found_anywhere():
    cfg = {"a": [1.0, {"b": math.inf}], "c": {"d": -math.inf, "e": math.nan}, "f": 1e308}
    assert keys(cc.nonfinite_errors(cfg)) == ["a.1.b", "c.d", "c.e"]


def test_integers_refuse_floats_even_when_whole(smoke):
    assert keys(problems(smoke, {"trained": {"seeds": [0, 1.0]}})) == ["trained.seeds.1"]
    assert "not an integer" in problems(smoke, {"meanfield": {"discrete": {"n": 40.0}}})[0]
    assert problems(smoke, {"meanfield": {"discrete": {"n": 40}}}) == []


def _integer_schemas(node, path=""):
    if isinstance(node, dict):
        if node.get("type") == "integer":
            yield path, node
        for key, value in node.items():
            yield from _integer_schemas(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _integer_schemas(value, f"{path}[{i}]")


def test_every_integer_of_the_schema_has_an_upper_bound():
    found = 0
    for schema in sorted((ROOT / "workflow/schemas").glob("*.schema.yaml")):
        for path, node in _integer_schemas(yaml.safe_load(schema.read_text())):
            found += 1
            assert "maximum" in node or "exclusiveMaximum" in node, f"{schema.name}{path}"
    assert found > 50


def test_ranges_and_windows_must_be_ordered(smoke):
    cases = [
        ({"rem": {"ratios": {"min": 5.0, "max": 5.0}}}, "rem.ratios.min"),
        ({"rem": {"digits": {"t_min": 2.0, "t_max": 1.0}}}, "rem.digits.t_min"),
        ({"meanfield": {"sphere": {"grid": {"t_min": 1.4, "t_max": 0.5}}}}, "meanfield.sphere.grid.t_min"),
        ({"meanfield": {"exponents": {"field_window": [1e-5, 1e-9]}}}, "meanfield.exponents.field_window"),
        ({"trained": {"probes": {"branch_window": [3.0, 0.1]}}}, "trained.probes.branch_window"),
        ({"rem": {"memorization": {"n_samples": [300, 100]}}}, "rem.memorization.n_samples"),
        ({"trained": {"memorization": {"sizes": [128, 2]}}}, "trained.memorization.sizes"),
        (
            {"trained": {"probes": {"snapshot_temperatures": [0.1, 1.0]}}},
            "trained.probes.snapshot_temperatures",
        ),
    ]  # fmt: skip
    for override, key in cases:
        assert keys(problems(smoke, override)) == [key], override


def test_results_must_stay_inside_the_checkout_unless_absolute(smoke):
    for bad in ("../elsewhere", "results/../../x", ".", ".."):
        assert keys(problems(smoke, {"results": bad})) == ["results"], bad
    for good in ("results/mine", "/scratch/thermodiff", "out"):
        assert problems(smoke, {"results": good}) == [], good


def test_largest_array_above_memory_is_refused_naming_the_key(smoke):
    # within every schema bound, but 10^7 x 10^4 float64 = 745 GiB
    override = {
        "data": {"sphere": {"n_samples": 10**7}},
        "meanfield": {"sphere": {"dims": [10000]}},
    }
    lines = problems(smoke, override, memory=64 * GIB)
    assert keys(lines) == ["data.sphere.n_samples"]
    assert "745 GiB" in lines[0] and "64 GiB" in lines[0]
    assert problems(smoke, override, memory=1024 * GIB) == []


def test_exponential_sizes_are_estimated_without_overflow(smoke):
    # N = e^(0.15 * 10000): no OverflowError, a refusal naming the key
    lines = problems(smoke, {"rem": {"alpha_sweep": {"dims": [20, 10000]}}})
    assert keys(lines) == ["rem.alpha_sweep.dims"]
    assert keys(problems(smoke, {"rem": {"binary": {"dim": 5000}}})) == ["rem.binary.dim"]


def test_estimates_match_the_smoke_sizes(smoke):
    cfg = copy.deepcopy(smoke)
    cc.config_problems(cfg, SCHEMA)
    sizes = {key: math.exp(log_b) for log_b, key, _ in cc.largest_arrays(cfg)}
    assert sizes["data.sphere.n_samples"] == pytest.approx(500 * 3 * 8)
    assert sizes["data.curie_weiss.n_samples"] == pytest.approx(500 * 20 * 8)
    assert sizes["rem.binary.dim"] == pytest.approx(math.exp(0.15 * 30) * 30 * 8)


def test_yaml_error_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("meanfield:\n  two_delta:\n    a: 1.0\n    b: c: d\n")
    with pytest.raises(cc.ConfigError) as caught:
        cc.load_yaml(bad)
    message = str(caught.value)
    assert message.startswith(f"{bad}:4:") and "\n" not in message


def test_missing_config_file_is_one_line(tmp_path, capsys):
    missing = tmp_path / "nope.yaml"
    assert cc.main(["--configfile", str(missing), "--base", str(ROOT / "config/config.yaml"),
                    "--schema", str(SCHEMA)]) == 2  # fmt: skip
    assert capsys.readouterr().err.strip() == f"config file {missing} not found"


def test_cli_lists_every_problem_and_fails(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("meanfield:\n  two_delta: {a: .nan}\n  discrete: {n: 40.0}\n")
    args = ["--base", str(ROOT / "config/config.yaml"), "--schema", str(SCHEMA)]
    assert cc.main([*args, "--configfile", str(bad)]) == 2
    err = capsys.readouterr().err
    assert (
        "config key 'meanfield.two_delta.a'" in err and "config key 'meanfield.discrete.n'" in err
    )
    assert cc.main(args) == 0
