"""The library a script imports is found by walking syntax trees; params are keyed in order."""

import os
from modulefinder import ModuleFinder
from pathlib import Path

import pytest

from thermodiff.fingerprint import (
    direct_imports,
    library_fingerprint,
    library_fingerprints,
    library_modules,
    params_key,
)

ROOT = Path(__file__).resolve().parents[2]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def tree(tmp_path):
    """A small package with every import form the walk must follow."""
    src = tmp_path / "src"
    write(src / "thermodiff/__init__.py", '"""package"""\n')
    write(src / "thermodiff/io.py", "import json\n")
    write(src / "thermodiff/physics.py", "import numpy as np\n")
    write(src / "thermodiff/helper.py", "from .physics import f\n")  # relative
    write(src / "thermodiff/unused.py", "")
    write(src / "thermodiff/lazy.py", "def g():\n    from thermodiff import io\n")  # in a function
    write(src / "thermodiff/stages/__init__.py", "STAGES = ()\n")
    write(src / "thermodiff/stages/one.py", "from .. import helper\nimport thermodiff.lazy as lz\n")
    script = write(
        tmp_path / "scripts/job.py",
        "from thermodiff import io as tio\nfrom thermodiff.stages import one, STAGES\n",
    )
    return src, script


def test_every_import_form_is_followed_with_parent_packages(tree):
    src, script = tree
    assert direct_imports(script, src) == {
        "thermodiff",
        "thermodiff.io",
        "thermodiff.stages",
        "thermodiff.stages.one",
    }
    assert library_modules(script, src) == (
        "thermodiff",
        "thermodiff.helper",
        "thermodiff.io",
        "thermodiff.lazy",
        "thermodiff.physics",
        "thermodiff.stages",
        "thermodiff.stages.one",
    )


def test_fingerprint_changes_with_an_imported_module_only(tree):
    src, script = tree
    before = library_fingerprint(script, src)
    (src / "thermodiff/unused.py").write_text("x = 1\n")
    assert library_fingerprint(script, src) == before
    physics = src / "thermodiff/physics.py"
    physics.write_text(physics.read_text() + "# edited\n")  # reached through a relative import
    edited = library_fingerprint(script, src)
    assert edited != before
    write(src / "thermodiff/physics.py", "import numpy as np\nfrom thermodiff import unused\n")
    assert "thermodiff.unused" in library_modules(script, src)  # new import seen (new version)
    assert library_fingerprint(script, src) not in (before, edited)


def test_fingerprint_follows_the_scripts_content_not_its_path_or_time(tree, tmp_path):
    # the profiles leave Snakemake's `code` trigger (script file times) off: this is what reruns a
    # job whose script changed, and what keeps a moved, cloned or touched tree up to date
    src, script = tree
    before = library_fingerprint(script, src)
    moved = write(tmp_path / "elsewhere/scripts/job.py", script.read_text())
    assert library_fingerprint(moved, src) == before
    os.utime(script, (1e9, 1e9))
    assert library_fingerprint(script, src) == before
    script.write_text(script.read_text() + "# a comment is a change of the job's code\n")
    assert library_fingerprint(script, src) != before
    # two scripts importing the same modules are told apart by their own source
    other = write(tmp_path / "scripts/other.py", "from thermodiff import io\nx = 1\n")
    same_imports = write(tmp_path / "scripts/same.py", "from thermodiff import io\nx = 2\n")
    assert library_modules(other, src) == library_modules(same_imports, src)
    assert library_fingerprint(other, src) != library_fingerprint(same_imports, src)


def test_cached_fingerprints_are_those_of_the_walk_and_follow_every_edit(tree, tmp_path):
    src, script = tree
    other = write(tmp_path / "scripts/other.py", "import thermodiff.physics\n")
    cache = tmp_path / "cache"

    def walked():
        return {str(s): library_fingerprint(s, src) for s in (script, other)}

    first = library_fingerprints([script, other], src, cache_dir=cache)
    assert first == walked() and len(list(cache.glob("*.json"))) == 1
    assert library_fingerprints([script, other], src, cache_dir=cache) == first  # read back
    # an edit of a module (even one no script imports yet), or of a script: another cache file
    for path, text in (
        (src / "thermodiff/unused.py", "x = 1\n"),
        (src / "thermodiff/physics.py", "from thermodiff import unused\n"),
        (other, "import thermodiff.io\n"),
    ):
        path.write_text(text)
        assert library_fingerprints([script, other], src, cache_dir=cache) == walked()
    assert len(list(cache.glob("*.json"))) == 4
    uncached = library_fingerprints([script], src, cache_dir=None)
    assert uncached == {str(script): walked()[str(script)]}


def test_params_key_sees_a_swap_of_two_values():
    assert params_key([("n", 20), ("n_scan", 8)]) != params_key([("n", 8), ("n_scan", 20)])
    assert params_key([("n", 20), ("n_scan", 8)]) == params_key([("n", 20), ("n_scan", 8)])
    assert params_key([("n", 20)]) != params_key([("n", 20.0)])


def test_walk_agrees_with_the_standard_library_module_finder_on_every_script():
    """An independent route: modulefinder scans bytecode, with only src/ on its path."""
    src = ROOT / "src"
    for script in sorted((ROOT / "scripts").rglob("*.py")):
        finder = ModuleFinder(path=[str(src)])
        finder.run_script(str(script))
        expected = sorted(m for m in finder.modules if m.split(".")[0] == "thermodiff")
        assert list(library_modules(script, src)) == expected, script.name
