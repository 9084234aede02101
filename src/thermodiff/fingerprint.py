"""What makes a job rerun: the code it runs (its script and the library the script imports),
and its params in key order.

Snakemake judges a script by its file time (a clone, a copy or a ``touch`` reruns every job), not
by its content; it does not see a library module that the script imports, and it compares params
as an unordered set of values (swapping the values of two params goes unseen). The workflow
therefore gives every rule two params computed here, and its profiles leave Snakemake's own
``code`` trigger off (docs/cluster.md §What reruns a job):

* ``library``: :func:`library_fingerprint` of the rule's script, a sha256 over the script's own
  source and the source of every ``thermodiff`` module the script imports, directly or through
  other modules (:func:`library_modules`). Found by walking the syntax trees (:mod:`ast`) of the
  script and of ``src/thermodiff``: ``import thermodiff.x``, ``from thermodiff import x as y``,
  ``from thermodiff.stages import x``, ``from thermodiff.x import f``, relative imports inside
  the package and imports inside functions all count; importing ``thermodiff.a.b`` also runs
  the ``__init__`` of ``thermodiff`` and ``thermodiff.a``, which count too. Nothing is executed.
  Only content counts: the same sources in another checkout, or with other file times, give the
  same fingerprint.
* ``param_key``: :func:`params_key` of the rule's other params, names and values in the order
  the rule lists them.

Standard library only: the Snakefile imports this module while it parses.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import time
from collections.abc import Iterable
from functools import cache
from pathlib import Path

PACKAGE = "thermodiff"


def module_file(module: str, src: str | os.PathLike) -> Path | None:
    """Source file of ``module`` (dotted name) under ``src``: ``<a>/<b>.py`` or
    ``<a>/<b>/__init__.py``; ``None`` if it is not a module of the tree."""
    base = Path(src).joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _with_parents(module: str) -> list[str]:
    """``a.b.c`` -> ``[a, a.b, a.b.c]``: importing a module runs its packages' ``__init__``."""
    parts = module.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _resolve_from(node: ast.ImportFrom, importer: str | None, is_package: bool) -> str | None:
    """Absolute module named by ``from <module> import ...`` in module ``importer``."""
    if node.level == 0:
        return node.module
    if importer is None:  # a relative import in a script: not a library import
        return None
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    if node.level > 1:
        package = package[: -(node.level - 1)]
    return ".".join([*package, node.module] if node.module else package)


@cache
def _direct_imports(source: bytes, path: str, src: str, importer: str | None):
    """Library modules imported by ``source``, the text of ``path`` (one parse per version)."""
    tree = ast.parse(source, filename=path)
    is_package = Path(path).name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(node, importer, is_package)
            if base is None:
                continue
            # "from pkg import name": a submodule if such a file exists, else an attribute of pkg
            names = [
                f"{base}.{alias.name}" if module_file(f"{base}.{alias.name}", src) else base
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            if name == PACKAGE or name.startswith(PACKAGE + "."):
                found.update(m for m in _with_parents(name) if module_file(m, src))
    return frozenset(found)


def direct_imports(path: str | os.PathLike, src: str | os.PathLike, importer: str | None = None):
    """``thermodiff`` modules (dotted names, with their parent packages) that the Python file at
    ``path`` imports anywhere in its body; ``importer`` is its own dotted name if it is a module
    of the library (for relative imports), ``None`` for a script."""
    source = Path(path).read_bytes()
    return _direct_imports(source, os.path.abspath(path), os.path.abspath(src), importer)


def library_modules(script: str | os.PathLike, src: str | os.PathLike) -> tuple[str, ...]:
    """Every ``thermodiff`` module that ``script`` imports, directly or indirectly, sorted."""
    seen: set[str] = set()
    todo = list(direct_imports(script, src))
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(direct_imports(module_file(module, src), src, importer=module))
    return tuple(sorted(seen))


def library_fingerprint(script: str | os.PathLike, src: str | os.PathLike) -> str:
    """Short sha256 of the source of ``script`` and of the names and sources of its
    :func:`library_modules`: any edit of the code a job runs changes it, and nothing else does
    (not the script's path or file time, so that a finished tree can be moved or cloned)."""
    digest = hashlib.sha256()
    digest.update(b"script\0" + Path(script).read_bytes() + b"\0")
    for module in library_modules(script, src):
        digest.update(module.encode() + b"\0")
        digest.update(module_file(module, src).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _library_digest(src: str | os.PathLike) -> bytes:
    """sha256 over the relative path and source of every ``.py`` file under ``src``: everything
    :func:`library_modules` can read there (it resolves names with :func:`module_file` only)."""
    digest = hashlib.sha256()
    for path in sorted(Path(src).rglob("*.py")):
        digest.update(str(path.relative_to(src)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def library_fingerprints(
    scripts: Iterable[str | os.PathLike],
    src: str | os.PathLike,
    cache_dir: str | os.PathLike | None = None,
) -> dict[str, str]:
    """:func:`library_fingerprint` of each script, by path.

    With ``cache_dir``, the answer for one version of the scripts (paths and sources) and of the
    library (every ``.py`` file under ``src``) is kept in a file there, named by a sha256 of all
    of them: a later Snakemake start-up on the same sources reads it instead of walking the syntax
    trees again (a cluster job starts Snakemake twice, and once more per job of a group). Any
    change of a script or of a file under ``src`` names another file, so a cached answer is never
    stale; cache files unused for a week are removed when a new one is written.
    """
    scripts = sorted({str(s) for s in scripts})
    if cache_dir is None:
        return {s: library_fingerprint(s, src) for s in scripts}
    digest = hashlib.sha256(_library_digest(src))
    for script in scripts:
        digest.update(script.encode() + b"\0" + Path(script).read_bytes() + b"\0")
    cache = Path(cache_dir) / f"{digest.hexdigest()[:32]}.json"
    try:
        cached = json.loads(cache.read_text())
        if isinstance(cached, dict) and sorted(cached) == scripts:
            return cached
    except (OSError, ValueError):
        pass
    found = {s: library_fingerprint(s, src) for s in scripts}
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f".{cache.name}.{os.getpid()}")
        partial.write_text(json.dumps(found, indent=0, sort_keys=True))
        os.replace(partial, cache)  # atomic: concurrent start-ups read a whole file or none
        week_ago = time.time() - 7 * 86400
        for old in cache.parent.glob("*.json"):
            if old != cache and old.stat().st_mtime < week_ago:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or vanished folder: the answer stands, uncached
    return found


def params_key(items: Iterable[tuple[str | None, object]]) -> str:
    """Short sha256 of ``(name, repr(value))`` pairs in the order given: any change of a value,
    a name or their order changes it."""
    digest = hashlib.sha256()
    for name, value in items:
        digest.update(repr((name, value)).encode() + b"\0")
    return digest.hexdigest()[:16]
