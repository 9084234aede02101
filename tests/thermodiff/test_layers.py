"""Imports go one way: the package's import graph has no circle, the I/O layers import only the
layers below them, and no module imports another's private name."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src/thermodiff"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, list[tuple[str, list[str]]]]:
    """Module -> [(imported thermodiff module, names imported from it)], at any depth (imports
    inside functions count: they are the usual way to hide a circle)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, list[tuple[str, list[str]]]] = {m: [] for m in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("thermodiff"):
                        graph[name].append((alias.name, []))
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("thermodiff"):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    if sub in modules:  # `from thermodiff import io`
                        graph[name].append((sub, []))
                    else:
                        graph[name].append((node.module, [alias.name]))
    return graph


def reaches_itself(targets: dict[str, set[str]], start: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        for nxt in targets.get(todo.pop(), ()):
            if nxt == start:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def test_no_circle_through_the_io_layers():
    targets = {m: {t for t, _ in edges} for m, edges in imports().items()}
    for module in (
        "thermodiff.files",
        "thermodiff.provenance",
        "thermodiff.io",
        "thermodiff.audit",
    ):
        assert not reaches_itself(targets, module), f"{module} imports itself through a circle"


def test_each_io_layer_imports_only_the_layers_below():
    targets = {m: {t for t, _ in edges} for m, edges in imports().items()}
    assert targets["thermodiff.files"] == set()
    assert targets["thermodiff.provenance"] == {"thermodiff.files"}
    assert targets["thermodiff.io"] == {"thermodiff.files", "thermodiff.provenance"}
    assert targets["thermodiff.audit"] == {"thermodiff.files"}
    assert "thermodiff.io" not in targets["thermodiff.claims"]
    library = {"thermodiff.training", "thermodiff.plotting", "thermodiff.claims"}
    assert all("thermodiff.io" not in targets[m] for m in library)  # io is the jobs' boundary


def test_no_private_name_crosses_a_module():
    crossing = [
        f"{module} imports {name} from {source}"
        for module, edges in imports().items()
        for source, names in edges
        for name in names
        if name.startswith("_") and source != module
    ]
    assert crossing == []


STAGE_PACKAGES = ("meanfield", "rem", "trained", "dynamics")


def test_no_module_of_the_package_imports_itself_through_a_circle():
    targets = {m: {t for t, _ in edges} for m, edges in imports().items()}
    assert [m for m in targets if reaches_itself(targets, m)] == []


def test_the_stage_layer_is_imported_by_no_library_module_below_it():
    # stages glue the physics, estimators, claims and macros together: nothing below imports them
    below = [m for m in imports() if not m.startswith("thermodiff.stages")]
    upward = [
        f"{module} imports {target}"
        for module, edges in imports().items()
        if module in below
        for target, _ in edges
        if target.startswith("thermodiff.stages")
    ]
    assert upward == []


def test_stage_packages_are_light_and_import_no_other_stage_nor_the_io_layer():
    graph = imports()
    # the registry and each package's __init__ import nothing: a job imports the module it needs
    assert graph["thermodiff.stages"] == []
    for stage in STAGE_PACKAGES:
        package = f"thermodiff.stages.{stage}"
        assert graph[package] == [], f"{package}/__init__.py imports {graph[package]}"
        members = [m for m in graph if m.startswith(package + ".")]
        assert len(members) >= 3, f"{package} is not split by concept: {members}"
        for module in members:
            for target, _ in graph[module]:
                assert target not in ("thermodiff.io", "thermodiff.provenance", "thermodiff.audit")
                other = target.split(".")[2] if target.startswith("thermodiff.stages.") else stage
                assert other == stage, f"{module} imports another stage: {target}"


def test_no_stage_module_exceeds_about_400_lines():
    sizes = {p.name: len(p.read_text().splitlines()) for p in (PACKAGE / "stages").rglob("*.py")}
    assert max(sizes.values()) <= 420, sizes
