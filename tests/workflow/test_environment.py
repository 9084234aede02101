"""Everything a fresh machine needs is declared: the Debian packages whose files the paper build
opens (Makefile, TEX_PACKAGES) and the Python distributions the code imports (envs/requirements.txt).

Recommends do not count: `make tex` installs with --no-install-recommends, so a file the build
opens must come from a listed package or from the closure of their Depends/Pre-Depends.
"""

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict

import pytest

from .conftest import ROOT

RESULTS = "results/smoke"
# Files TeX generates on the machine at install time (formats, file databases, font maps, the
# texmf.cnf assembled by update-texmf from /etc/texmf/texmf.d), by the scripts and triggers of
# tex-common and texlive-base (both in the closure): owned by no package.
GENERATED = ("/var/lib/texmf/", "/etc/texmf/web2c/texmf.cnf")


def makefile_tex_packages() -> list[str]:
    text = (ROOT / "Makefile").read_text()
    return re.search(r"^TEX_PACKAGES\s*:?=\s*(.+)$", text, re.M).group(1).split()


def _names(field: str) -> list[list[str]]:
    """A Depends-style field as groups of alternatives, without versions and architectures."""
    groups = []
    for group in filter(None, (g.strip() for g in field.split(","))):
        alternatives = []
        for alt in group.split("|"):
            alt = re.sub(r"\(.*?\)|\[.*?\]|<.*?>", "", alt).strip()
            alternatives.append(alt.split(":")[0])
        groups.append([a for a in alternatives if a])
    return groups


def installed_metadata():
    """{package: [groups of hard dependencies]} and {virtual: providers} of installed packages."""
    out = subprocess.run(
        [
            "dpkg-query",
            "-W",
            "-f=${Package}\t${db:Status-Abbrev}\t${Provides}\t${Depends}\t${Pre-Depends}\n",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    depends, providers = defaultdict(list), defaultdict(set)
    for line in out.splitlines():
        name, status, provides, dep, pre = (line.split("\t") + [""] * 5)[:5]
        if not status.startswith("ii"):
            continue
        depends[name] += _names(dep) + _names(pre)
        for group in _names(provides):
            providers[group[0]].add(name)
    return depends, providers


def hard_closure(roots: list[str]) -> set[str]:
    """Installed packages reachable from ``roots`` through Depends and Pre-Depends only."""
    depends, providers = installed_metadata()
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for group in depends.get(name, []):
            # every installed way of satisfying the group (a real package or a provider)
            for alt in group:
                todo.extend(p for p in [alt, *providers.get(alt, ())] if p in depends)
    return seen


def owners(paths: list[str]) -> dict[str, set[str]]:
    """{path: packages owning it} from ``dpkg -S`` (tried again on the resolved path)."""
    found = {}
    for attempt in (paths, [os.path.realpath(p) for p in paths]):
        todo = [p for p in attempt if p not in found]
        if not todo:
            break
        out = subprocess.run(["dpkg", "-S", *todo], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("diversion ") or ": " not in line:
                continue
            packages, path = line.split(": ", 1)
            found[path] = {p.strip().split(":")[0] for p in packages.split(",")}
    resolved = {}
    for path in paths:
        real = os.path.realpath(path)
        if path in found or real in found:
            resolved[path] = found.get(path) or found[real]
    return resolved


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs a Debian system (dpkg)")
def test_every_file_the_paper_build_opens_comes_from_a_declared_package(smoke_run):
    workdir, _ = smoke_run
    fls = workdir / RESULTS / "paper/latex/main.fls"
    inputs = {
        line.removeprefix("INPUT ").strip()
        for line in fls.read_text().splitlines()
        if line.startswith("INPUT ")
    }
    system = sorted(
        p for p in inputs if p.startswith("/") and not p.startswith((str(workdir), "/tmp/"))
    )
    assert any(p.endswith("lmodern.sty") for p in system), "the paper uses lmodern"
    owned = owners(system)
    unowned = [p for p in system if p not in owned and not p.startswith(GENERATED)]
    assert not unowned, f"files of no Debian package: {unowned}"
    closure = hard_closure(makefile_tex_packages())
    undeclared = defaultdict(list)
    for path, packages in owned.items():
        if not packages & closure:
            undeclared[", ".join(sorted(packages))].append(path)
    assert not undeclared, (
        "the paper build opens files of packages that TEX_PACKAGES (Makefile) neither lists nor "
        f"depends on: {dict(undeclared)}"
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="needs a Debian system")
def test_closure_follows_hard_dependencies_only():
    closure = hard_closure(["texlive-latex-recommended"])
    assert {"texlive-latex-recommended", "texlive-latex-base", "texlive-base"} <= closure
    assert "lmodern" not in closure  # only recommended


def third_party_imports() -> dict[str, list[str]]:
    """{top-level module: [files importing it]} over src/ and scripts/ (stdlib and own excluded)."""
    found = defaultdict(list)
    for path in sorted([*(ROOT / "src").rglob("*.py"), *(ROOT / "scripts").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top != "thermodiff":
                    found[top].append(str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_is_pinned_in_requirements():
    pins = {}
    for line in (ROOT / "envs/requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.txt: {line!r} is not pinned with =="
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    distributions = importlib.metadata.packages_distributions()
    imports = third_party_imports()
    assert {"numpy", "torch", "yaml", "jsonschema", "referencing", "sklearn"} <= set(imports)
    for module, files in imports.items():
        dists = distributions.get(module)
        assert dists, f"{module} (imported by {files[0]}) belongs to no installed distribution"
        for dist in dists:
            key = re.sub(r"[-_.]+", "-", dist).lower()
            assert key in pins, f"{dist} (import {module}, in {files[0]}) is not pinned"
            installed = importlib.metadata.version(dist).split("+")[0]
            assert installed == pins[key], f"{dist}: installed {installed}, pinned {pins[key]}"
