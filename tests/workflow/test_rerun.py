"""What reruns after a finished smoke build: editing a library module reruns exactly the rules
whose scripts import it, directly or indirectly; swapping two param values reruns the rule.

Dry runs only, on a copy of the smoke build. The expected rules are found without the workflow's
own code: scripts from the rule files' text, imports by the standard library's modulefinder.
"""

import re
import shutil
from modulefinder import ModuleFinder
from pathlib import Path

import pytest

from .conftest import snakemake

pytestmark = pytest.mark.workflow
SMOKE = ("--configfile", "config/smoke.yaml")
PARAMS_CHANGED = "params have changed since last execution"
UPSTREAM = "input files updated by another job"


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


def dry_run_reasons(workdir: Path) -> dict[str, set[str]]:
    """Reason -> rules, from the summary that `snakemake -n --quiet rules` prints."""
    done = snakemake(workdir, *SMOKE, "-n", "--quiet", "rules")
    text = done.stdout + done.stderr
    assert done.returncode == 0, text[-4000:]
    reasons, lines = {}, text.splitlines()
    for i, line in enumerate(lines[:-1]):
        if re.fullmatch(r"    \S.*:", line) and lines[i + 1].startswith("        "):
            reasons[line.strip()[:-1]] = {r.strip() for r in lines[i + 1].split(",")}
    return reasons


def dag_rules(workdir: Path) -> set[str]:
    """Rules with at least one job in the smoke DAG (the job counts of a forced dry run)."""
    done = snakemake(workdir, *SMOKE, "-n", "--forceall", "--quiet", "rules")
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    counts = re.findall(r"^(\w+)\s+\d+$", done.stdout + done.stderr, re.M)
    return {rule for rule in counts if rule != "total"}


@pytest.fixture(scope="module")
def built_copy(smoke_run, tmp_path_factory):
    """A copy of the finished smoke build (results and Snakemake's records), edited by the tests."""
    workdir, _ = smoke_run
    copy = tmp_path_factory.mktemp("rerun") / "thermodiff"
    shutil.copytree(workdir, copy, symlinks=True)
    assert dry_run_reasons(copy) == {}, "the copy must start with nothing to do"
    return copy


def test_editing_a_library_module_reruns_exactly_the_rules_that_import_it(built_copy):
    src = built_copy / "src"
    in_dag = dag_rules(built_copy)
    scripts = {rule: path for rule, path in rule_scripts(built_copy).items() if rule in in_dag}
    imports = {rule: imported_modules(path, src) for rule, path in scripts.items()}
    assert len(imports) > 40 and all(imports.values()), "every rule script imports the library"
    for path in sorted((src / "thermodiff").rglob("*.py")):
        module = module_name(path, src)
        expected = {rule for rule, modules in imports.items() if module in modules}
        original = path.read_bytes()
        try:
            path.write_bytes(original + b"\n# edited by test_rerun\n")
            reasons = dry_run_reasons(built_copy)
        finally:
            path.write_bytes(original)
        assert reasons.get(PARAMS_CHANGED, set()) == expected, module
        assert set(reasons) <= {PARAMS_CHANGED, UPSTREAM}, (module, reasons)


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
        reasons = dry_run_reasons(built_copy)
    finally:
        config.write_text(original)
    assert reasons.get(PARAMS_CHANGED) == {"track_digits_cascade"}
