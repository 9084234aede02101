"""Lineage and verification of the pipeline's artefacts from their provenance records.

Every job writes a record (:mod:`thermodiff.provenance`) naming its rule, script and sha256,
params, the config keys they came from, and every input and output with its sha256. From a file,
the audit finds the job that wrote it, then the files that job read, and so on down to the
dataset manifests (whose listed arrays are children of the manifest) and the raw files outside
the results root. Every file on the way is re-hashed and gets one status:

``verified``
    present, and its sha256 equals what its producer wrote and what its consumer read;
``changed``
    present, but its sha256 differs from a recorded one (expected and found are both given);
``missing``
    recorded but absent;
``unrecorded``
    a file under the results root that no job record claims (written by hand, or its job died
    before recording); relative and absolute paths and roots compare as absolute paths;
``stale``
    the file is intact, but the job that wrote it would not write it today: its recorded script
    or params (library fingerprints included) differ from the current checkout and config;
``corrupt``
    the record of the job that wrote the file does not match its own ``_sha256`` (it was edited
    after its job wrote it, e.g. a hash replaced to cover a changed file): the record is trusted
    for nothing, and the problem names the record file.

An artefact's status is the worst status in its lineage (:data:`SEVERITY`); anything but
``verified`` fails the audit. Everything here is pure (paths are made absolute against the
working directory, nothing else is read): file contents arrive through the ``hash_file``/
``read_text`` callables and the current jobs through a mapping, so the logic is tested without
Snakemake; :mod:`thermodiff.cli` supplies the real ones.

Shapes: ``records`` maps each record's file name to the record dict as read (``None`` for a file
that is not JSON), or is a plain list of record dicts; ``current`` maps an output path to
``{"rule", "script", "script_sha256", "params"}`` of the job that the current checkout and config
would run for it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from thermodiff.files import HASH_KEY, content_hash, jsonable

#: Statuses from best to worst; an artefact takes the worst status found in its lineage.
SEVERITY = ("verified", "stale", "unrecorded", "changed", "missing", "corrupt")

HashFile = Callable[[str], "str | None"]
ReadText = Callable[[str], "str | None"]


@dataclass
class Node:
    """One file of a lineage tree (or a synthetic root: a claim, a value, the paper)."""

    path: str
    status: str = "verified"
    problems: list[str] = field(default_factory=list)
    job: dict[str, Any] | None = None
    children: list[Node] = field(default_factory=list)
    repeated: bool = False  # lineage already shown elsewhere in the tree

    def flag(self, status: str, problem: str) -> None:
        self.problems.append(problem)
        if SEVERITY.index(status) > SEVERITY.index(self.status):
            self.status = status

    @property
    def worst(self) -> str:
        return max([self.status, *(c.worst for c in self.children)], key=SEVERITY.index)

    def failures(self) -> list[tuple[str, str, str]]:
        """(path, status, problem) of every node that is not verified, depth first, unique."""
        out: list[tuple[str, str, str]] = []
        for problem in self.problems:
            out.append((self.path, self.status, problem))
        for child in self.children:
            out.extend(f for f in child.failures() if f not in out)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "lineage_status": self.worst,
            "problems": self.problems,
            "job": self.job,
            "repeated": self.repeated,
            "children": [c.as_dict() for c in self.children],
        }


def normalise(value: Any) -> Any:
    """A value as it reads back from a JSON record (tuples -> lists, numpy -> Python)."""
    return json.loads(json.dumps(jsonable(value), sort_keys=True))


def index_records(records: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """Output path -> the record of the job that wrote it (the latest-finished one wins)."""
    index: dict[str, Mapping[str, Any]] = {}
    for record in sorted(records, key=lambda r: r.get("finished") or ""):
        for path in record.get("outputs", {}):
            index[path] = record
    return index


def params_changes(
    recorded: Mapping[str, Any], current: Mapping[str, Any], config_keys: Mapping[str, Any]
) -> list[str]:
    """Human-readable differences between recorded and current params (empty when equal)."""
    recorded, current = normalise(recorded), normalise(current)
    out = []
    for name in sorted(set(recorded) | set(current)):
        old, new = recorded.get(name, "<absent>"), current.get(name, "<absent>")
        if old != new:
            keys = [k for p, ks in config_keys.items() if p.split(".")[0] == name for k in ks]
            source = f" (config {', '.join(keys)})" if keys else ""
            out.append(f"param {name}{source}: recorded {_short(old)}, now {_short(new)}")
    return out


def _short(value: Any, width: int = 60) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= width else text[: width - 3] + "..."


def job_summary(record: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a record the audit prints for a node."""
    keys = ("rule", "wildcards", "script", "params", "config_keys", "seeds", "versions", "device")
    summary = {k: record.get(k) for k in keys}
    summary["git"] = record.get("git")
    summary["finished"] = record.get("finished")
    if "reproducible" in record:
        summary["reproducible"] = record["reproducible"]
    return summary


def record_problem(record: Any) -> str | None:
    """Why a record as read cannot be trusted (``None`` when its ``_sha256`` matches)."""
    if not isinstance(record, Mapping):
        return "not a JSON object"
    recorded = record.get(HASH_KEY)
    if recorded is None:
        return f"no {HASH_KEY}"
    if recorded != content_hash({k: v for k, v in record.items() if k != HASH_KEY}):
        return f"content differs from its {HASH_KEY} (edited after its job wrote it)"
    return None


class Auditor:
    """Builds lineage trees; memoises hashes and per-file lineage within one audit.

    Records whose ``_sha256`` does not match (:func:`record_problem`) are left out of the index:
    the files they claim are ``corrupt``, not verified through them.
    """

    def __init__(
        self,
        records: Mapping[str, Any] | Iterable[Mapping[str, Any]],
        hash_file: HashFile,
        read_text: ReadText,
        results_root: str,
        current: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        named = (
            dict(records)
            if isinstance(records, Mapping)
            else {f"record {i} (rule {r.get('rule')})": r for i, r in enumerate(records)}
        )
        trusted = []
        self.corrupt: dict[str, str] = {}  # record name -> problem
        self._corrupt_claims: dict[str, list[str]] = {}  # absolute path -> corrupt record names
        for name, record in named.items():
            problem = record_problem(record)
            if problem is None:
                trusted.append(record)
                continue
            self.corrupt[name] = problem
            outputs = record.get("outputs") if isinstance(record, Mapping) else None
            for path in outputs if isinstance(outputs, Mapping) else ():
                self._corrupt_claims.setdefault(os.path.abspath(path), []).append(name)
        self.index = index_records(trusted)
        self._by_absolute = {os.path.abspath(p): r for p, r in self.index.items()}
        self._hash_file = hash_file
        self.read_text = read_text
        self.results_root = os.path.abspath(results_root)
        self.current = current
        self._hashes: dict[str, str | None] = {}
        self._expanded: dict[str, list[Node]] = {}

    def hash(self, path: str) -> str | None:
        if path not in self._hashes:
            self._hashes[path] = self._hash_file(path)
        return self._hashes[path]

    def record(self, path: str) -> Mapping[str, Any] | None:
        """The intact record of the job that wrote ``path`` (relative or absolute), if any."""
        found = self.index.get(path)
        return found if found is not None else self._by_absolute.get(os.path.abspath(path))

    def in_results(self, path: str) -> bool:
        """Whether ``path`` lies under the results root (either may be relative or absolute)."""
        path = os.path.abspath(path)
        return os.path.commonpath([path, self.results_root]) == self.results_root

    # -- files

    def file(
        self, path: str, expected: str | None = None, reader: str = "", deep: bool = True
    ) -> Node:
        """Lineage of ``path``; ``expected`` is the sha256 its consumer ``reader`` recorded."""
        node = Node(path)
        found = self.hash(path)
        if found is None:
            node.flag("missing", f"{path}: missing" + (f" (read by {reader})" if reader else ""))
        elif expected is not None and found != expected:
            node.flag(
                "changed",
                f"{path}: changed since {reader or 'it was recorded'} read it: "
                f"expected sha256 {expected}, found {found}",
            )
        for name in self._corrupt_claims.get(os.path.abspath(path), []):
            node.flag(
                "corrupt",
                f"{path}: its job record {name} is corrupt ({self.corrupt[name]}); "
                "nothing it says is trusted",
            )
        record = self.record(path)
        if record is None:
            if self.in_results(path) and found is not None and node.status != "corrupt":
                node.flag("unrecorded", f"{path}: no job record claims this file")
            return node
        node.job = job_summary(record)
        written = _output_sha256(record, path)
        if found is not None and written != found:
            node.flag(
                "changed",
                f"{path}: changed since rule {record['rule']} wrote it: "
                f"expected sha256 {written}, found {found}",
            )
        self._stale(node, path, record)
        if not deep:
            return node
        if path in self._expanded:  # print a lineage once; its status still counts here
            node.repeated = True
            node.children = [_collapse(c) for c in self._expanded[path]]
            return node
        self._expanded[path] = []
        node.children = self._expanded[path] = self._children(path, record)
        return node

    def _children(self, path: str, record: Mapping[str, Any]) -> list[Node]:
        children = [
            self.file(p, expected=digest, reader=f"rule {record['rule']}")
            for p, digest in sorted(record.get("inputs", {}).items())
        ]
        if path.endswith("manifest.json"):
            children.extend(self._manifest_files(path))
        return children

    def _manifest_files(self, manifest: str) -> list[Node]:
        text = self.read_text(manifest)
        if text is None:
            return []
        folder = manifest.rsplit("/", 1)[0]
        nodes = [
            self.file(f"{folder}/{name}", expected=meta["sha256"], reader=manifest, deep=False)
            for name, meta in sorted(json.loads(text).get("files", {}).items())
        ]
        for node in nodes:  # written by the manifest's own job, shown one level up
            if node.job and self.record(node.path) is self.record(manifest):
                node.job = None
        return nodes

    def _stale(self, node: Node, path: str, record: Mapping[str, Any]) -> None:
        if self.current is None:
            return
        now = self.current.get(path)
        if now is None:
            node.flag("stale", f"{path}: the current workflow has no job that writes it")
            return
        if now["rule"] != record["rule"]:
            node.flag("stale", f"{path}: now written by rule {now['rule']}, not {record['rule']}")
        script = record["script"]
        if now["script"] != script["path"]:
            node.flag("stale", f"{path}: script is now {now['script']}, was {script['path']}")
        elif now["script_sha256"] != script["sha256"]:
            node.flag(
                "stale",
                f"{path}: script {script['path']} changed (recorded sha256 {script['sha256']}, "
                f"now {now['script_sha256']})",
            )
        for change in params_changes(
            record.get("params", {}), now["params"], record.get("config_keys", {})
        ):
            node.flag("stale", f"{path}: rule {record['rule']} {change}")

    # -- artefacts

    def claim(self, claim_id: str, claims_csv: str) -> Node:
        """A row of claims.csv: the collected table (shallow) and the stage file that made it."""
        root = Node(f"claim {claim_id}")
        table = self.file(claims_csv, deep=False)
        root.children.append(table)
        row = _csv_row(self.read_text(claims_csv), claim_id)
        if row is None:
            root.flag("missing", f"claim {claim_id}: not in {claims_csv}")
            return root
        record = self.record(claims_csv)
        sources = sorted(record.get("inputs", {}).items()) if record else []
        for path, digest in sources:
            if _csv_row(self.read_text(path), claim_id) is not None:
                stage = self.file(path, expected=digest, reader=f"rule {record['rule']}")
                if _csv_row(self.read_text(path), claim_id) != row:
                    stage.flag("changed", f"{path}: row {claim_id} differs from {claims_csv}")
                root.children.append(stage)
                break
        else:
            if record is not None:
                root.flag("unrecorded", f"claim {claim_id}: no stage claims file has this row")
        return root

    def value(self, key: str, values_tex: str) -> Node:
        """A number quoted with \\val{key}: values.tex (shallow) and the macros file defining it."""
        root = Node(f"value {key}")
        root.children.append(self.file(values_tex, deep=False))
        text = self.read_text(values_tex)
        source = defining_file(text or "", key)
        if source is None:
            root.flag("missing", f"value {key}: not defined in {values_tex}")
            return root
        record = self.record(values_tex)
        expected = record.get("inputs", {}).get(source) if record else None
        reader = f"rule {record['rule']}" if record else ""
        root.children.append(self.file(source, expected=expected, reader=reader))
        return root


def _output_sha256(record: Mapping[str, Any], path: str) -> str | None:
    """The sha256 ``record`` lists for output ``path``, matched as written or as absolute paths."""
    outputs = record.get("outputs", {})
    if path in outputs:
        return outputs[path]
    target = os.path.abspath(path)
    return next((d for p, d in outputs.items() if os.path.abspath(p) == target), None)


def _collapse(node: Node) -> Node:
    """Keep a node's status and problems (and those below) without its printed subtree."""
    flat = Node(node.path, status=node.worst, job=node.job, repeated=True)
    flat.problems = [problem for _, _, problem in node.failures()]
    return flat


def _csv_row(text: str | None, claim_id: str) -> dict[str, str] | None:
    import csv
    import io

    if text is None:
        return None
    for row in csv.DictReader(io.StringIO(text)):
        if row.get("claim_id") == claim_id:
            return row
    return None


_TDSET = re.compile(r"^\\tdset\{([^}]*)\}")
_FROM = re.compile(r"^% from (\S+)")


def defining_file(values_tex: str, key: str) -> str | None:
    """The ``% from <path>`` section of values.tex that defines ``key`` (None if none does)."""
    source = None
    for line in values_tex.splitlines():
        if m := _FROM.match(line):
            source = m.group(1)
        elif (m := _TDSET.match(line)) and m.group(1) == key:
            return source
    return None


def used_values(tex_sources: Iterable[str]) -> list[str]:
    """Every key quoted as ``\\val{key}``, ``\\valsig{key}{n}`` or ``\\valpm{key}{errkey}`` in
    the given LaTeX texts (outside comments), sorted; a macro's own parameters (``\\val{#1}`` in
    the definition of ``\\valpm``) are not keys."""
    keys = set()
    for text in tex_sources:
        text = re.sub(r"(?<!\\)%.*", "", text)  # comments quote no numbers
        keys.update(re.findall(r"\\val(?:sig)?\{([^}]+)\}", text))
        for pair in re.findall(r"\\valpm\{([^}]+)\}\{([^}]+)\}", text):  # value and its error
            keys.update(pair)
    return sorted(key for key in keys if not re.fullmatch(r"#\d", key))


def summary_line(name: str, node: Node) -> str:
    """One line per artefact: its status and the first problem of that status in its lineage."""
    failures = node.failures()
    line = f"{node.worst:<10} {name}"
    if failures:
        first = next(f for f in failures if f[1] == node.worst)  # a problem of the worst kind
        more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
        line += f"  -- {first[2]}{more}"
    return line


def render(node: Node, verbose: bool = True) -> str:
    """The lineage tree as indented text."""
    lines: list[str] = []

    def emit(n: Node, prefix: str, last: bool, top: bool) -> None:
        branch = "" if top else ("`-- " if last else "|-- ")
        status = n.status if n.status == n.worst else f"{n.status}; lineage {n.worst}"
        lines.append(f"{prefix}{branch}{n.path}  [{status}]")
        inner = prefix + ("" if top else ("    " if last else "|   "))
        pad = inner + ("|   " if n.children and not n.repeated else "    ")
        for problem in n.problems:
            lines.append(f"{pad}!! {problem}")
        if n.job and verbose and not n.repeated:
            lines.extend(pad + text for text in _job_lines(n.job))
        if n.repeated:
            for problem in dict.fromkeys(p for c in n.children for p in c.problems):
                lines.append(f"{pad}!! {problem}")
            lines.append(f"{pad}(lineage shown above)")
            return
        for i, child in enumerate(n.children):
            emit(child, inner, i == len(n.children) - 1, False)

    emit(node, "", True, True)
    return "\n".join(lines)


def _job_lines(job: Mapping[str, Any]) -> list[str]:
    script = job.get("script") or {}
    wildcards = job.get("wildcards") or {}
    rule = job["rule"] + (
        "[" + ", ".join(f"{k}={v}" for k, v in wildcards.items()) + "]" if wildcards else ""
    )
    git = job.get("git") or {}
    commit = (git.get("commit") or "no git")[:12] + (" (dirty)" if git.get("dirty") else "")
    params = job.get("params") or {}
    keys = job.get("config_keys") or {}
    lines = [
        f"rule {rule}: {script.get('path')} sha256 {str(script.get('sha256'))[:16]}; "
        f"commit {commit}"
    ]
    if params:
        lines.append("params: " + "; ".join(f"{k}={_short(v, 40)}" for k, v in params.items()))
    if keys:
        lines.append("config: " + "; ".join(f"{p}<-{'|'.join(k)}" for p, k in keys.items()))
    if job.get("seeds"):
        lines.append("seeds: " + ", ".join(f"{k}={v}" for k, v in job["seeds"].items()))
    versions = job.get("versions") or {}
    lines.append("software: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    device = job.get("device") or {}
    lines.append(
        "device: "
        + ", ".join(f"{k}={v}" for k, v in device.items())
        + (f"; {job['reproducible']}" if job.get("reproducible") else "")
    )
    return lines
