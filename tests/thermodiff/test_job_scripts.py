"""Every job script ends the one way: its last statement is ``tio.finish_job(snakemake)``, which
writes the job's provenance record in the script's own code path (never at interpreter exit)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "scripts").rglob("*.py"))
FINISH = "tio.finish_job(snakemake)"


def rule_scripts() -> set[Path]:
    """The scripts named by a ``script:`` directive of a rule."""
    found = set()
    for smk in (ROOT / "workflow/rules").glob("*.smk"):
        for name in re.findall(r'script:\s*\n\s*"([^"]+)"', smk.read_text()):
            found.add((smk.parent / name).resolve())
    return found


def test_every_rule_script_is_under_scripts_and_every_script_has_a_rule():
    assert rule_scripts() == {path.resolve() for path in SCRIPTS}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_script_ends_with_exactly_one_finish_job(script):
    tree = ast.parse(script.read_text())
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("tio.finish_job", "finish_job")
    ]
    assert [ast.unparse(c) for c in calls] == [FINISH]
    last = tree.body[-1]
    assert isinstance(last, ast.Expr) and ast.unparse(last) == FINISH, "not the last statement"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_script_writes_provenance_of_its_own(script):
    """Software versions, git state and device go into the job record only."""
    text = script.read_text()
    for name in ("imported_versions", "git_state", "device_info", "write_record", "atexit"):
        assert name not in text, f"{script.name} uses {name}"
