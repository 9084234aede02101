"""Provenance records: which code, parameters, inputs, seeds and software produced an output.

One writer, :func:`write_record`, builds and writes every record. Each job writes its own record
(``<results>/provenance/jobs/<job>.json``, :func:`job_record_path`) as the last step of its script
(:func:`thermodiff.io.finish_job`, after its outputs exist; a script that raised writes none);
figure jobs also write the declared ``<results>/provenance/<fig_id>.json`` through the same writer,
without the per-run fields (docs/audit.md §Provenance records). A record holds the rule, the
script path and sha256, the params and the config keys they came from, every input and output with
its sha256, the seeds found in the params, the versions of the packages *actually imported* by the
job, the device, the git commit with a dirty flag, and the per-run fields :data:`PER_RUN_FIELDS` (the only content that differs between
two runs of the same commit and config). Records are JSON with their own ``_sha256``
(:func:`thermodiff.files.write_json`).

Readers: :func:`recorded_sha256` gives the sha256 that the producer's record lists for an output
(what a consumer checks before it reads an ``.npz`` or ``model.pt``); :func:`verify_record`
re-hashes everything a record names; ``thermodiff.audit`` walks the records from a figure, claim or
quoted value down to the data.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from thermodiff.files import InputError, read_json, sha256_file, write_json

#: Fields of a record that differ between two runs of the same commit and config: when the job
#: ran, and for a training job that resumed after a kill, the step it resumed from (its outputs
#: are those of an uninterrupted run; :func:`note_per_run`).
PER_RUN_FIELDS = ("started", "finished", "wall_time_s", "resumed_from_step")
#: Folder, under the results root, of the one-record-per-job store.
JOBS_DIR = "provenance/jobs"


def _top_level_modules(dist: importlib.metadata.Distribution) -> set[str]:
    """Top-level modules of ``dist``, as :func:`importlib.metadata.packages_distributions` finds
    them (``top_level.txt``, else the first part of each ``.py`` file in ``RECORD``), read as text:
    building a path object for every file of every distribution took 0.3 s per job."""
    declared = (dist.read_text("top_level.txt") or "").split()
    if declared:
        return set(declared)
    found = set()
    for line in (dist.read_text("RECORD") or "").splitlines():
        path = line.rsplit(",", 2)[0] if line.count(",") >= 2 else line
        path = path.strip('"')
        if path.endswith(".py"):
            first, _, rest = path.partition("/")
            found.add(first if rest else first[: -len(".py")])
    return found


@functools.cache
def installed_distributions() -> tuple[tuple[importlib.metadata.Distribution, frozenset[str]], ...]:
    """Every installed distribution with its top-level modules, in ``sys.path`` order (each path
    once: the script preamble of a Snakemake job repeats some); read once per process."""
    found = importlib.metadata.distributions(path=list(dict.fromkeys(sys.path)))
    return tuple((dist, frozenset(_top_level_modules(dist))) for dist in found)


def imported_versions() -> dict[str, str]:
    """Versions of the installed distributions whose top-level modules this process imported
    (the first distribution of a name on ``sys.path``, as :func:`importlib.metadata.version`)."""
    top_level = {name.split(".")[0] for name in list(sys.modules)}
    versions: dict[str, str] = {}
    for dist, provided in installed_distributions():
        if provided & top_level:
            metadata = dist.metadata  # parsed anew on each access
            versions.setdefault(metadata["Name"], metadata["Version"])
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
        info["cuda_used"] = bool(torch.cuda.is_initialized())
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


def _same(a: Any, b: Any) -> bool:
    """Structural equality of config/param values; booleans never equal numbers, 1 == 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return set(a) == set(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def config_sources(
    params: Mapping[str, Any], config: Mapping[str, Any], rule: str = ""
) -> dict[str, list[str]]:
    """The config keys each param (or each entry of a dict param) came from, found by value.

    Rules pass config values to jobs unchanged (``params: n=config["meanfield"]["digits"]["n"]``),
    so the source of a param is a config node with an equal value. A scalar matches only a key of
    the same name (``n`` <- ``meanfield.digits.n``); a non-empty list or mapping matches any node
    equal to it; a mapping that matches nothing is searched entry by entry (``spec.a``). Ties are
    broken by the words shared with the rule name, then by the longest key prefix shared with the
    params that matched one key only. Params computed from wildcards or other values (sizes,
    hashes) have no entry; a tie that remains lists every candidate.

    Returns ``{param name (dotted): [config key, ...]}``.
    """
    nodes: list[tuple[tuple[str, ...], Any]] = []

    def walk(obj: Any, path: tuple[str, ...]) -> None:
        if path:
            nodes.append((path, obj))
        if isinstance(obj, Mapping):
            for key, value in obj.items():
                walk(value, (*path, str(key)))

    walk(config, ())
    candidates: dict[str, list[tuple[str, ...]]] = {}

    def match(name: str, value: Any) -> None:
        leaf = name.rsplit(".", 1)[-1]
        if value is None or (isinstance(value, list | tuple | Mapping) and not value):
            return
        container = isinstance(value, list | tuple | Mapping)
        found = [
            path for path, node in nodes if (container or path[-1] == leaf) and _same(node, value)
        ]
        if found:
            candidates[name] = found
        elif isinstance(value, Mapping):
            for key, item in value.items():
                match(f"{name}.{key}", item)

    for name, value in params.items():
        match(str(name), value)
    words = set(rule.replace("-", "_").split("_"))
    anchors = [paths[0] for paths in candidates.values() if len(paths) == 1]

    def score(name: str, path: tuple[str, ...]) -> tuple[int, int, int]:
        shared_prefix = max(
            (len(os.path.commonprefix([list(path), list(a)])) for a in anchors), default=0
        )
        return (
            int(path[-1] == name.rsplit(".", 1)[-1]),
            len(words & {w for part in path for w in part.split("_")}),
            shared_prefix,
        )

    out: dict[str, list[str]] = {}
    for name, paths in sorted(candidates.items()):
        best = max(score(name, p) for p in paths)
        out[name] = sorted(".".join(p) for p in paths if score(name, p) == best)
    return out


_EXTERNAL_INPUTS: list[str] = []


def note_input(path: str | os.PathLike) -> None:
    """Add a file the job reads but the rule cannot declare (a file shipped inside a package,
    such as scikit-learn's raw digits) to the inputs of the job's record."""
    _EXTERNAL_INPUTS.append(str(path))


_PER_RUN_VALUES: dict[str, Any] = {}


def note_per_run(**values: Any) -> None:
    """Add per-run values of the running job (names from :data:`PER_RUN_FIELDS`) to its record:
    what differs between two runs of the same commit and config belongs there, never in an
    output (``resumed_from_step`` of a training job resumed after a kill)."""
    unknown = sorted(set(values) - set(PER_RUN_FIELDS))
    if unknown:
        raise ValueError(f"not per-run fields (PER_RUN_FIELDS): {unknown}")
    _PER_RUN_VALUES.update(values)


def script_of_job() -> Path | None:
    """Path of the running Snakemake script: Snakemake sets ``__main__.__file__`` to it."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return Path(path) if path else None


def results_root(smk) -> str:
    """The results root of job ``smk`` (its config's ``results``)."""
    return (getattr(smk, "config", None) or {}).get("results", "results")


def job_record_path(smk) -> Path:
    """``<results>/provenance/jobs/<rule>[-<wildcard>=<value>...].json`` of a job."""
    wildcards = _named(smk.wildcards)
    name = smk.rule + "".join(f"-{k}={v}" for k, v in sorted(wildcards.items()))
    return records_dir(results_root(smk)) / f"{name}.json"


def job_record(smk, script: str | os.PathLike, started: float | None = None) -> dict[str, Any]:
    """Provenance of the running Snakemake job ``smk`` whose code is ``script``."""
    params = _named(smk.params)
    inputs = {path: sha256_file(path) for path in _files(_named(smk.input).values())}
    inputs.update({path: sha256_file(path) for path in _EXTERNAL_INPUTS})
    script = Path(script)
    config = getattr(smk, "config", None) or {}
    now = time.time()
    return {
        "rule": smk.rule,
        "script": {"path": os.path.relpath(script), "sha256": sha256_file(script)},
        "params": params,
        "config_keys": config_sources(params, config, smk.rule),
        "wildcards": _named(smk.wildcards),
        "seeds": find_seeds(params),
        "inputs": inputs,
        "versions": imported_versions(),
        "device": device_info(),
        "git": git_state(script.parent),
        "started": _iso(started) if started else None,
        "finished": _iso(now),
        "wall_time_s": round(now - started, 3) if started else None,
        **_PER_RUN_VALUES,
    }


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def write_record(
    smk,
    path: str | os.PathLike,
    outputs: Iterable[str],
    *,
    script: str | os.PathLike,
    started: float | None = None,
    per_run: bool = True,
) -> dict[str, Any]:
    """Write the provenance record of the running job ``smk`` to ``path``; return it.

    The one writer of records: :func:`job_record` plus the sha256 of each of ``outputs`` (which
    must exist) and, after a job that used a CUDA device, a ``reproducible`` note. With
    ``per_run=False`` (a figure's declared record) the per-run fields :data:`PER_RUN_FIELDS` are
    left out, so that file is the same in every build of a commit, and ``job_record`` names the
    job's own record, which has them. Errors (a missing output, a full disk) propagate: the job
    fails rather than finish without its record.
    """
    record = job_record(smk, script, started)
    outputs = list(outputs)
    missing = [p for p in outputs if not os.path.isfile(p)]
    if missing:
        raise FileNotFoundError(f"rule {smk.rule}: outputs not written: {', '.join(missing)}")
    record["outputs"] = {str(p): sha256_file(p) for p in outputs}
    if record["device"].get("cuda_used"):
        record["reproducible"] = (
            "not bit-identical: ran on a CUDA device, whose kernels are not deterministic"
        )
    if not per_run:
        for key in PER_RUN_FIELDS:
            record.pop(key, None)
        record["job_record"] = str(job_record_path(smk))
    write_json(path, record)
    return record


def declared_files(items) -> list[str]:
    """The file paths of a job's ``input`` or ``output`` (a Namedlist, list or dict), in order."""
    return _files(_named(items).values())


def records_dir(results: str | os.PathLike) -> Path:
    """The folder of the job records under the results root ``results``."""
    return Path(results) / JOBS_DIR


class Producers:
    """What the job records under a results root say about the outputs: read once, then asked
    per file (a job that reads twenty ``.npz`` files reads the records once).

    Every record is read with its ``_sha256`` checked; a record that fails the check is kept aside
    as corrupt and trusted for nothing. When several records name a file the latest finished one
    wins (as in ``thermodiff.audit``). Paths compare as absolute paths, so a relative and an
    absolute results root name the same file.
    """

    def __init__(self, results: str | os.PathLike) -> None:
        self.folder = records_dir(results)
        self.corrupt: list[str] = []
        found: dict[str, tuple[str, str, Path]] = {}  # path -> (finished, sha256, record file)
        for record_path in sorted(self.folder.glob("*.json")):
            try:
                record = read_json(record_path)
            except (InputError, ValueError) as error:  # ValueError: not JSON at all
                self.corrupt.append(f"{record_path} ({error})")
                continue
            for output, digest in (record.get("outputs") or {}).items():
                candidate = (record.get("finished") or "", digest, record_path)
                key = os.path.abspath(output)
                if key not in found or candidate[0] >= found[key][0]:
                    found[key] = candidate
        self._outputs = {key: (digest, where) for key, (_, digest, where) in found.items()}

    def recorded(self, path: str | os.PathLike) -> tuple[str, Path]:
        """The sha256 that the producer's record lists for ``path``, and that record's file.

        Raises
        ------
        InputError
            Naming ``path`` when no intact record lists it (and naming the corrupt records, one of
            which may be its producer's).
        """
        entry = self._outputs.get(os.path.abspath(path))
        if entry is None:
            why = f"; corrupt records: {'; '.join(self.corrupt)}" if self.corrupt else ""
            raise InputError(
                f"{path}: no intact job record in {self.folder} lists it as an output, so its "
                f"content cannot be checked{why}. Delete it and rerun the workflow to rebuild it."
            )
        return entry

    def check(self, path: str | os.PathLike) -> str:
        """Refuse ``path`` unless its sha256 is the one its producer recorded; return the sha256.

        The promise the dataset manifests make for ``.npy`` and ``_sha256`` for JSON files, for
        every other output (an ``.npz``, a ``model.pt``).

        Raises
        ------
        InputError
            Naming ``path`` and the record when the file differs from what the record lists.
        """
        expected, record_path = self.recorded(path)
        found = sha256_file(path)
        if found != expected:
            raise InputError(
                f"{path}: sha256 differs from {record_path}; the file was modified after the job "
                "that wrote it. Delete it and rerun the workflow to rebuild it."
            )
        return found


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


def lineage_records(
    records: Iterable[Mapping[str, Any]], targets: Iterable[str]
) -> list[Mapping[str, Any]]:
    """The records of the jobs that ``targets`` descend from (each once, sorted by rule)."""
    producer: dict[str, Mapping[str, Any]] = {}
    for record in records:
        for path in record.get("outputs", {}):
            producer[path] = record
    seen: dict[int, Mapping[str, Any]] = {}
    todo = list(targets)
    while todo:
        record = producer.get(todo.pop())
        if record is None or id(record) in seen:
            continue
        seen[id(record)] = record
        todo.extend(record.get("inputs", {}))
    return sorted(seen.values(), key=lambda r: (r["rule"], sorted(r.get("outputs", {}))))


def software_summary(records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Packages imported by the jobs (version -> number of jobs) and the machines they ran on.

    Returns ``{"versions": {package: {version: n_jobs}}, "hardware": [description, ...]}``,
    everything sorted, so that the same records give the same summary.
    """
    versions: dict[str, dict[str, int]] = {}
    hardware: set[str] = set()
    for record in records:
        for package, version in (record.get("versions") or {}).items():
            counts = versions.setdefault(package, {})
            counts[version] = counts.get(version, 0) + 1
        device = record.get("device") or {}
        text = (
            f"{device.get('system', '?')} {device.get('machine', '?')}, "
            f"{device.get('processor', '?')}, {device.get('cpu_count', '?')} logical CPUs"
        )
        if device.get("cuda_used"):
            text += f", GPU {device.get('cuda_device', '?')}"
        hardware.add(text)
    return {
        "versions": {k: dict(sorted(v.items())) for k, v in sorted(versions.items())},
        "hardware": sorted(hardware),
    }
