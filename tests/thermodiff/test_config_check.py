"""thermodiff.config_check without Snakemake: every problem is one line naming its key."""

import copy
import math
import os
import time

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


def problems(base, override, memory=64 * GIB, root=None):
    cfg = cc.merge(copy.deepcopy(base), override)
    return cc.config_problems(cfg, SCHEMA, memory_bytes=memory, root=root)


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
    ({"data": {"two_delta": {"a": math.nan}}}, "data.two_delta.a"),
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


def _schemas_of_type(kind, node, path=""):
    """(path, schema) of every schema of JSON type ``kind`` under ``node``."""
    if isinstance(node, dict):
        if node.get("type") == kind:
            yield path, node
        for key, value in node.items():
            yield from _schemas_of_type(kind, value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _schemas_of_type(kind, value, f"{path}[{i}]")


def test_every_integer_of_the_schema_has_an_upper_bound():
    found = 0
    for schema in sorted((ROOT / "workflow/schemas").glob("*.schema.yaml")):
        for path, node in _schemas_of_type("integer", yaml.safe_load(schema.read_text())):
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
    bad.write_text("data:\n  two_delta: {a: .nan}\nmeanfield:\n  discrete: {n: 40.0}\n")
    args = ["--base", str(ROOT / "config/config.yaml"), "--schema", str(SCHEMA)]
    assert cc.main([*args, "--configfile", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "config key 'data.two_delta.a'" in err and "config key 'meanfield.discrete.n'" in err
    assert cc.main(args) == 0


# Issue 20: the config check can be neither escaped nor hung.


def alias_bomb(levels, mapping=False):
    """``a0`` ten values wide, each ``a<i>`` ten aliases of ``a<i-1>``: 10^levels values."""
    lines = ["a0: &a0 [" + ", ".join(["x"] * 10) + "]"]
    for i in range(1, levels + 1):
        if mapping:
            items = ", ".join(f"k{j}: *a{i - 1}" for j in range(10))
            lines.append(f"a{i}: &a{i} {{{items}}}")
        else:
            lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("mapping", [False, True], ids=["lists", "mappings"])
def test_yaml_alias_bomb_is_refused_at_once_naming_file_and_key(tmp_path, capsys, mapping):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb(9, mapping))  # 10^9 values once expanded
    start = time.perf_counter()
    args = ["--base", str(ROOT / "config/config.yaml"), "--schema", str(SCHEMA)]
    assert cc.main([*args, "--configfile", str(bomb)]) == 2
    assert time.perf_counter() - start < 5
    err = capsys.readouterr().err.strip()
    first = "k0" if mapping else "0"
    assert err.startswith(f"{bomb}: config key 'a1.{first}': a YAML alias of the value at line 1")
    assert "\n" not in err


def test_every_yaml_alias_is_refused_with_its_key(tmp_path):
    cases = {
        "a: &x 1.0\nb: *x\n": "config key 'b'",
        "base: &g {t_min: 0.1, t_max: 1.0, n: 10}\nother:\n  grid:\n    <<: *g\n": "other.grid.<<",
        "meanfield:\n  sphere: {dims: &d [2, 3]}\n  simplex: {q: *d}\n": "meanfield.simplex.q",
    }
    for i, (text, key) in enumerate(cases.items()):
        path = tmp_path / f"alias{i}.yaml"
        path.write_text(text)
        with pytest.raises(cc.ConfigError, match="a YAML alias") as caught:
            cc.load_yaml(path)
        assert key in str(caught.value), text


def test_shared_values_in_a_merged_config_are_refused_before_any_walk(smoke):
    # What reaches the Snakefile: Snakemake keeps the shared lists of an alias bomb as they are
    bomb = ["x"] * 10
    for _ in range(9):
        bomb = [bomb] * 10
    cfg = copy.deepcopy(smoke)
    cfg["a9"] = bomb
    start = time.perf_counter()
    lines = cc.config_problems(cfg, SCHEMA, memory_bytes=64 * GIB)
    assert time.perf_counter() - start < 2
    # one line per shared value (9 of them), each at its first repeat, depth first
    assert keys(lines) == ["a9." + ".".join(["0"] * depth + ["1"]) for depth in range(8, -1, -1)]
    assert "repeats the value of 'a9.0' (a YAML alias)" in lines[-1]


def test_nesting_deeper_than_the_limit_is_one_line(tmp_path, smoke):
    deep = [1.0]
    for _ in range(cc.MAX_DEPTH + 5):
        deep = [deep]
    lines = problems(smoke, {"meanfield": {"sphere": {"dims": deep}}})
    assert len(lines) == 1 and "nested deeper than 32 levels" in lines[0]
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 900 + "]" * 900 + "\n")
    with pytest.raises(cc.ConfigError, match="nested deeper than 32 levels"):
        cc.load_yaml(path)


def test_results_link_out_of_the_checkout_is_refused(smoke, tmp_path):
    checkout, outside = tmp_path / "checkout", tmp_path / "outside"
    (checkout / "inner").mkdir(parents=True)
    outside.mkdir()
    (checkout / "results_link").symlink_to(outside)
    (checkout / "here_link").symlink_to(checkout)
    (checkout / "inner_link").symlink_to(checkout / "inner")
    for bad in ("results_link", "results_link/smoke", "here_link"):
        lines = problems(smoke, {"results": bad}, root=checkout)
        assert keys(lines) == ["results"], bad
        assert "through a link" in lines[0], lines
    assert (
        os.path.realpath(outside) in problems(smoke, {"results": "results_link"}, root=checkout)[0]
    )
    assert problems(smoke, {"results": "inner_link/mine"}, root=checkout) == []
    assert problems(smoke, {"results": "not_there_yet/mine"}, root=checkout) == []
    assert problems(smoke, {"results": str(outside)}, root=checkout) == []  # absolute: allowed


def test_absolute_results_may_not_be_a_system_folder(smoke, tmp_path):
    bad = ["/", "/etc", "/etc/thermodiff", "/usr/local/x", "/lib64/x", "/libx32/x", "/var",
           "/home", "/tmp", "/proc/self/x", "/dev/shm/x", "/sys/x", "/boot/x", "/bin/x", "/sbin"]  # fmt: skip
    for path in bad:
        lines = problems(smoke, {"results": path}, root=tmp_path)
        assert keys(lines) == ["results"], path
        assert "system folder" in lines[0]
    for good in ("/var/tmp/thermodiff", "/scratch/thermodiff", str(tmp_path / "out")):
        assert problems(smoke, {"results": good}, root=tmp_path) == [], good
    (tmp_path / "etc_link").symlink_to("/etc")
    lines = problems(smoke, {"results": str(tmp_path / "etc_link" / "x")}, root=tmp_path)
    assert keys(lines) == ["results"] and "resolves to '/etc/x'" in lines[0]


def test_results_path_characters_and_lengths_are_checked(smoke, tmp_path):
    cases = {
        "a\0b": "control character '\\x00' at position 1",
        "results/x\ny": "control character '\\n' at position 9",
        "out\x7f": "control character '\\x7f' at position 3",
        "r" * 300: "is 300 bytes; a name has at most 255",
        "results/" + "\u00e9" * 128: "is 256 bytes",  # 128 characters, 2 bytes each
        "a/" * 2100: "is 4200 characters long; at most 4096",
    }
    for value, message in cases.items():
        lines = problems(smoke, {"results": value}, root=tmp_path)
        assert keys(lines) == ["results"], value[:20]
        assert message in lines[0], lines
        assert "\n" not in lines[0] and "\0" not in lines[0]
    assert problems(smoke, {"results": "r" * 255}, root=tmp_path) == []


def test_empty_config_file_is_one_line_naming_it(tmp_path, capsys):
    args = ["--base", str(ROOT / "config/config.yaml"), "--schema", str(SCHEMA)]
    for text in ("", "# nothing\n", "~\n"):
        empty = tmp_path / "empty.yaml"
        empty.write_text(text)
        assert cc.main([*args, "--configfile", str(empty)]) == 2
        assert capsys.readouterr().err.strip() == (
            f"config file {empty} is empty: write {{}} for a file with no settings"
        )
    empty.write_text("{}\n")
    assert cc.main([*args, "--configfile", str(empty)]) == 0


DUPLICATES = [
    ({"meanfield": {"ising": {"chain_lengths": [12, 12, 64]}}}, "meanfield.ising.chain_lengths", "12"),
    ({"meanfield": {"two_delta": {"landscape_temperatures": [2.0, 1.0, 2.0]}}},
     "meanfield.two_delta.landscape_temperatures", "2.0"),
    ({"meanfield": {"sphere": {"dims": [3, 3]}}}, "meanfield.sphere.dims", "3"),
    ({"dynamics": {"hopfield": {"landscape_temperatures": [1.0, 1]}}},
     "dynamics.hopfield.landscape_temperatures", "1"),
    ({"trained": {"seeds": [0, 0]}}, "trained.seeds", "0"),
    ({"trained": {"datasets": ["mixture", "digits01", "mixture"]}}, "trained.datasets", "'mixture'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("override", "key", "value"), DUPLICATES, ids=[k for _, k, _ in DUPLICATES]
)
def test_no_list_repeats_a_value(smoke, override, key, value):
    lines = problems(smoke, override)
    assert keys(lines) == [key]
    assert f": {value} appears twice in [" in lines[0]


def test_a_repeat_in_an_ordered_list_is_named_once(smoke):
    lines = problems(smoke, {"rem": {"memorization": {"n_samples": [100, 100, 300]}}})
    assert keys(lines) == ["rem.memorization.n_samples"]
    assert "strictly increasing" in lines[0]


def test_duplicates_are_one_rule_in_code_not_per_key_in_the_schema():
    for schema in sorted((ROOT / "workflow/schemas").glob("*.schema.yaml")):
        assert "uniqueItems" not in schema.read_text(), schema.name


def test_every_string_of_the_schema_has_a_length_limit():
    found = 0
    for schema in sorted((ROOT / "workflow/schemas").glob("*.schema.yaml")):
        for path, node in _schemas_of_type("string", yaml.safe_load(schema.read_text())):
            found += 1
            assert "enum" in node or node.get("maxLength", math.inf) <= cc.MAX_STRING, path
    assert found >= 5


def test_long_values_are_refused_and_shown_cut_to_80_characters(smoke):
    url = "https://example.org/" + "r" * 200_000
    lines = problems(smoke, {"repository": url})
    assert keys(lines) == ["repository"]
    assert "is 200020 characters long; at most 4096" in lines[0]
    assert f"{url[:60]}" in lines[0] and "\u2026" in lines[0] and len(lines[0]) < 200
    lines = problems(smoke, {"data": {"two_delta": {"a": "x" * 100_000}}})
    assert keys(lines) == ["data.two_delta.a"]
    assert "'" + "x" * 78 + "\u2026 is not of type 'number'" in lines[0] and len(lines[0]) < 200
    lines = problems(smoke, {"k" * 100_000: 1})
    assert len(lines) == 1 and "unknown key" in lines[0] and len(lines[0]) < 400
    assert problems(smoke, {"repository": "https://example.org/a\x01b"})[0].count("\\x01") == 1
