"""What reruns after a finished smoke build: editing a library module reruns exactly the rules
whose scripts import it, directly or indirectly; swapping two param values reruns the rule.

The expected rules are found without the workflow's own code: scripts from the rule files' text,
imports by the standard library's modulefinder. Snakemake plans little: the matrix over every
module of src/ asks the workflow's fingerprints (what ``add_rerun_params`` gives each rule as
its ``library`` param) in this process, and `snakemake --summary` on a copy of the smoke build
confirms, for one module and one swap of params, that such a param change reruns exactly those
rules.
"""

import re
from collections.abc import Iterable
from modulefinder import ModuleFinder
from pathlib import Path

import pytest

from thermodiff import fingerprint

from .conftest import copy_tree, snakemake

pytestmark = pytest.mark.slow
SMOKE = ("--configfile", "config/smoke.yaml")
PARAMS_CHANGED = "params changed"


def rule_scripts(workdir: Path) -> dict[str, Path]:
    """Rule name -> its script, read from the text of the Snakefile and the rule files."""
    scripts = {}
    for smk in [workdir / "Snakefile", *sorted((workdir / "workflow/rules").glob("*.smk"))]:
        for rule in re.finditer(r"^rule (\w+):\n((?:[ \t]+\S.*\n|\n)*)", smk.read_text(), re.M):
            script = re.search(r'^    script:\n\s+"([^"]+)"', rule.group(2), re.M)
            if script:
                scripts[rule.group(1)] = (smk.parent / script.group(1)).resolve()
    return scripts


def imported_modules(script: Path, src: Path) -> set[str]:
    finder = ModuleFinder(path=[str(src)])
    finder.run_script(str(script))
    return {name for name in finder.modules if name.split(".")[0] == "thermodiff"}


def module_name(path: Path, src: Path) -> str:
    parts = path.relative_to(src).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def params_changed(workdir: Path) -> set[str]:
    """Rules with an output whose recorded params differ, from `snakemake --summary`.

    The summary judges every output on its own (a dry run stops at the first reason, so a job
    downstream of a rerun would show only "input updated by another job"). Any status other
    than "ok" and "params changed" fails the test.
    """
    done = snakemake(workdir, *SMOKE, "--summary")
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    header = rows.index(["output_file", "date", "rule", "log-file(s)", "status", "plan"])
    statuses = {(row[2], row[4]) for row in rows[header + 1 :] if len(row) == 6}
    assert {status for _, status in statuses} <= {"ok", PARAMS_CHANGED}, statuses
    return {rule for rule, status in statuses if status == PARAMS_CHANGED}


def dag_rules(workdir: Path) -> set[str]:
    """Rules with at least one job in the smoke DAG (the job counts of a forced dry run)."""
    done = snakemake(workdir, *SMOKE, "-n", "--forceall", "--quiet", "rules")
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    counts = re.findall(r"^(\w+)\s+\d+$", done.stdout + done.stderr, re.M)
    return {rule for rule in counts if rule != "total"}


@pytest.fixture(scope="module")
def built_copy(finished_smoke, tmp_path_factory):
    """A copy of the finished smoke build (results and Snakemake's records), edited by the tests
    (each restores what it edits)."""
    copy = copy_tree(finished_smoke[0], tmp_path_factory.mktemp("rerun") / "thermodiff")
    assert params_changed(copy) == set(), "the copy must start with nothing changed"
    return copy


@pytest.fixture(scope="module")
def rule_imports(built_copy) -> dict[str, set[str]]:
    """Rule of the smoke DAG -> library modules its script imports (modulefinder)."""
    src = built_copy / "src"
    in_dag = dag_rules(built_copy)
    scripts = {rule: path for rule, path in rule_scripts(built_copy).items() if rule in in_dag}
    imports = {rule: imported_modules(path, src) for rule, path in scripts.items()}
    assert len(imports) > 40 and all(imports.values()), "every rule script imports the library"
    return imports


def library_params(workdir: Path, rules: Iterable[str]) -> dict[str, str]:
    """Rule -> its ``library`` param as the workflow computes it (no cache: read afresh)."""
    scripts = rule_scripts(workdir)
    by_script = fingerprint.library_fingerprints([scripts[rule] for rule in rules], workdir / "src")
    return {rule: by_script[str(scripts[rule])] for rule in rules}


def test_editing_any_library_module_changes_the_param_of_exactly_the_rules_that_import_it(
    built_copy, rule_imports
):
    src = built_copy / "src"
    before = library_params(built_copy, rule_imports)
    modules = sorted((src / "thermodiff").rglob("*.py"))
    assert len(modules) > 30
    for path in modules:
        module = module_name(path, src)
        expected = {rule for rule, found in rule_imports.items() if module in found}
        original = path.read_bytes()
        try:
            path.write_bytes(original + b"\n# edited by test_rerun\n")
            after = library_params(built_copy, rule_imports)
        finally:
            path.write_bytes(original)
        assert {rule for rule in before if after[rule] != before[rule]} == expected, module


def test_a_changed_library_param_reruns_exactly_those_rules(built_copy, rule_imports):
    path = built_copy / "src/thermodiff/sphere.py"
    expected = {rule for rule, found in rule_imports.items() if "thermodiff.sphere" in found}
    assert 0 < len(expected) < len(rule_imports)
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\n# edited by test_rerun\n")
        changed = params_changed(built_copy)
    finally:
        path.write_bytes(original)
    assert changed == expected


def test_swapping_two_param_values_reruns_the_rule(built_copy):
    config = built_copy / "config/smoke.yaml"
    original = config.read_text()
    block = re.search(r"  digits:\n    n: (\d+)\n    n_scan: (\d+)\n", original)
    n, n_scan = block.groups()
    assert n != n_scan
    try:
        config.write_text(
            original.replace(block.group(0), f"  digits:\n    n: {n_scan}\n    n_scan: {n}\n")
        )
        changed = params_changed(built_copy)
    finally:
        config.write_text(original)
    assert changed == {"track_digits_cascade"}
