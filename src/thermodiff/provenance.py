"""Provenance records: which code, parameters, inputs, seeds and software produced an output.

One JSON record per figure (``results/provenance/<fig_id>.json``, pipeline.md §4) holds the rule,
the script path and sha256, the params, every input with its sha256, the seeds found in the params,
the versions of the packages *actually imported* by the job, the device, the git commit with a dirty
flag, and the wall time. :func:`verify_record` re-hashes everything a record names, which is what an
audit of a figure's lineage checks.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from thermodiff.io import sha256_file, write_json


def imported_versions() -> dict[str, str]:
    """Versions of the installed distributions whose top-level modules this process imported."""
    top_level = {name.split(".")[0] for name in list(sys.modules)}
    mapping = importlib.metadata.packages_distributions()
    versions: dict[str, str] = {}
    for module in sorted(top_level):
        for dist in mapping.get(module, []):
            try:
                versions[dist] = importlib.metadata.version(dist)
            except importlib.metadata.PackageNotFoundError:
                continue
    versions["python"] = platform.python_version()
    return dict(sorted(versions.items()))


def device_info() -> dict[str, Any]:
    """Machine and, when torch is loaded, accelerator information."""
    info: dict[str, Any] = {
        "machine": platform.machine(),
        "system": platform.system(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
    }
    torch = sys.modules.get("torch")
    if torch is not None:
        info["torch_threads"] = torch.get_num_threads()
        info["cuda_available"] = bool(torch.cuda.is_available())
        if torch.cuda.is_available():
            info["cuda_device"] = torch.cuda.get_device_name(0)
    return info


def git_state(directory: str | os.PathLike = ".") -> dict[str, Any]:
    """Commit and dirty flag of the checkout containing ``directory`` (None outside git)."""

    def run(*args: str) -> str | None:
        try:
            return subprocess.run(
                ["git", *args],
                cwd=directory,
                capture_output=True,
                text=True,
                check=True,
                timeout=10,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None

    commit = run("rev-parse", "HEAD")
    status = run("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def find_seeds(params: Mapping[str, Any]) -> dict[str, Any]:
    """Every parameter whose key mentions 'seed', searched through nested mappings."""
    seeds: dict[str, Any] = {}

    def walk(obj: Any, prefix: str) -> None:
        if isinstance(obj, Mapping):
            for key, value in obj.items():
                name = f"{prefix}{key}"
                if "seed" in str(key).lower():
                    seeds[name] = value
                walk(value, f"{name}.")

    walk(params, "")
    return seeds


def _named(items) -> dict[str, Any]:
    """Snakemake Namedlist (or list, or dict) to a {name: value} dict."""
    if isinstance(items, Mapping):
        return dict(items)
    if hasattr(items, "items"):
        named = dict(items.items())
        if named:
            return named
    return {str(i): value for i, value in enumerate(items)}


def _files(values: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for value in values:
        if isinstance(value, str | os.PathLike):
            out.append(str(value))
        elif isinstance(value, Iterable):
            out.extend(_files(value))
    return out


def job_record(smk, script: str | os.PathLike, started: float | None = None) -> dict[str, Any]:
    """Provenance of the running Snakemake job ``smk`` whose code is ``script``."""
    params = _named(smk.params)
    inputs = {path: sha256_file(path) for path in _files(_named(smk.input).values())}
    script = Path(script)
    return {
        "rule": smk.rule,
        "script": {"path": os.path.relpath(script), "sha256": sha256_file(script)},
        "params": params,
        "wildcards": _named(smk.wildcards),
        "seeds": find_seeds(params),
        "inputs": inputs,
        "versions": imported_versions(),
        "device": device_info(),
        "git": git_state(script.parent),
        "wall_time_s": round(time.time() - started, 3) if started else None,
    }


def write_job_record(
    smk, script: str | os.PathLike, path: str | os.PathLike, outputs: Iterable[str] = ()
) -> dict:
    """Write :func:`job_record` to ``path``, adding the sha256 of finished ``outputs``."""
    record = job_record(smk, script, getattr(smk, "_thermodiff_started", None))
    record["outputs"] = {str(p): sha256_file(p) for p in outputs}
    write_json(path, record)
    return record


def verify_record(record: Mapping[str, Any], root: str | os.PathLike = ".") -> list[str]:
    """Re-hash the script, inputs and outputs a record names; return the mismatches (empty = ok)."""
    root = Path(root)
    problems = []
    files = {record["script"]["path"]: record["script"]["sha256"]}
    files.update(record.get("inputs", {}))
    files.update(record.get("outputs", {}))
    for path, digest in files.items():
        full = root / path
        if not full.exists():
            problems.append(f"{path}: missing")
        elif sha256_file(full) != digest:
            problems.append(f"{path}: changed since the record was written")
    return problems
