"""``thermodiff`` command line: ``thermodiff audit ...`` (also ``python -m thermodiff audit ...``).

::

    thermodiff audit results/figures/fig04_sphere_order_parameter.pdf
    thermodiff audit claim meanfield.two_delta.critical_temperature
    thermodiff audit value meanfield.two_delta.tc
    thermodiff audit paper
    thermodiff audit --configfile config/smoke.yaml paper --json
    thermodiff audit --configfile config/smoke.yaml --configfile my.yaml paper --brief

Run from the repository root (the Snakemake working directory). ``--configfile`` takes one file
and may be repeated, as often as ``snakemake --configfile`` would be given files, so a target
after it is never read as a second config file. The lineage logic is :mod:`thermodiff.audit`;
this module reads the records and files, and asks Snakemake which job the current checkout and
config would run for each output (``--no-stale`` skips that). Exit status: 0 when everything
audited is verified, 1 otherwise, 2 on usage errors (docs/audit.md has the statuses).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from thermodiff import audit as A
from thermodiff.files import sha256_file
from thermodiff.provenance import JOBS_DIR


def _hash(path: str) -> str | None:
    return sha256_file(path) if os.path.isfile(path) else None


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def load_records(results_root: str) -> dict[str, Any]:
    """Record file -> record as read (``None`` if not JSON); the audit checks each ``_sha256``."""
    records: dict[str, Any] = {}
    for path in sorted(glob.glob(os.path.join(results_root, JOBS_DIR, "*.json"))):
        try:
            with open(path, encoding="utf-8") as handle:
                records[path] = json.load(handle)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            records[path] = None
    return records


def current_jobs(
    configfiles: Sequence[str], snakefile: str = "Snakefile"
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Ask Snakemake for every job of the current checkout and config (a forced dry DAG).

    Returns ``({output path: {"rule", "script", "script_sha256", "params"}}, config)``. Uses
    Snakemake's Python API (9.x); the DAG is only built, nothing runs and nothing is locked.
    """
    from snakemake.api import SnakemakeApi
    from snakemake.settings.types import (
        ConfigSettings,
        DAGSettings,
        OutputSettings,
        Quietness,
        ResourceSettings,
    )

    jobs: dict[str, dict[str, Any]] = {}
    with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
        workflow_api = api.workflow(
            resource_settings=ResourceSettings(),
            config_settings=ConfigSettings(configfiles=[Path(f) for f in configfiles]),
            snakefile=Path(snakefile),
            workdir=Path.cwd(),
        )
        workflow_api.dag(dag_settings=DAGSettings(forceall=True))
        workflow = workflow_api._workflow  # no public API lists jobs with their params
        workflow._prepare_dag(
            forceall=True, ignore_incomplete=True, lock_warn_only=True, nolock=True
        )
        workflow._build_dag()
        for job in workflow.dag.jobs:
            rule = job.rule
            if not rule.script or not job.output:
                continue
            script = os.path.relpath(
                os.path.join(os.path.dirname(str(rule.snakefile)), str(rule.script))
            )
            entry = {
                "rule": rule.name,
                "script": script,
                "script_sha256": _hash(script),
                "params": A.normalise(dict(job.params.items())),
            }
            for output in job.output:
                jobs[str(output)] = entry
        config = dict(workflow.config)
    return jobs, config


def _config_results(configfiles: Sequence[str]) -> str:
    """The results root without starting Snakemake: ``results`` of the config files merged as a
    run merges them (:func:`thermodiff.config_check.merged_config`)."""
    from thermodiff.config_check import merged_config

    return merged_config(configfiles).get("results", "results")


def audit_targets(args: argparse.Namespace) -> tuple[list[tuple[str, A.Node]], bool]:
    """[(name, lineage tree)] for what the command line asks; second: one artefact or many."""
    if args.no_stale:
        current, results = None, _config_results(args.configfile)
    else:
        current, config = current_jobs(args.configfile)
        results = config.get("results", "results")
    auditor = A.Auditor(load_records(results), _hash, _read, results, current)
    claims_csv = os.path.join(results, "claims/claims.csv")
    values_tex = os.path.join(results, "macros/values.tex")
    what = args.target
    if what[0] == "claim" and len(what) == 2:
        return [(f"claim {what[1]}", auditor.claim(what[1], claims_csv))], False
    if what[0] == "value" and len(what) == 2:
        return [(f"value {what[1]}", auditor.value(what[1], values_tex))], False
    if what == ["paper"]:
        return _paper(auditor, results, claims_csv, values_tex), True
    if len(what) == 1:
        path = os.path.relpath(what[0])
        return [(path, auditor.file(path))], False
    raise SystemExit(f"thermodiff audit: cannot audit {' '.join(what)!r} (see --help)")


def _paper(auditor: A.Auditor, results: str, claims_csv: str, values_tex: str):
    pdf = os.path.join(results, "paper/main.pdf")
    out = [(pdf, auditor.file(pdf, deep=False))]
    record = auditor.record(pdf) or {}
    inputs = sorted(record.get("inputs", {}))
    figures = [p for p in inputs if p.endswith(".pdf")] or sorted(
        glob.glob(os.path.join(results, "figures/*.pdf"))
    )
    out += [(path, auditor.file(path)) for path in figures]
    import csv
    import io

    table = _read(claims_csv) or ""
    for row in csv.DictReader(io.StringIO(table)):
        out.append((f"claim {row['claim_id']}", auditor.claim(row["claim_id"], claims_csv)))
    sources = [p for p in inputs if p.endswith(".tex") and not p.startswith(results)]
    sources = sources or sorted(glob.glob("paper/**/*.tex", recursive=True))
    for key in A.used_values(_read(p) or "" for p in sources):
        out.append((f"value {key}", auditor.value(key, values_tex)))
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="thermodiff", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    audit = commands.add_parser(
        "audit",
        help="lineage and verification of a figure, claim, value or the whole paper",
        description="Walk the provenance records from an artefact down to the data, re-hash "
        "every file and compare each job with the current checkout and config.",
    )
    audit.add_argument(
        "target",
        nargs="+",
        help="a file path (results/figures/<fig_id>.pdf), 'claim <claim_id>', "
        "'value <key>' or 'paper'",
    )
    audit.add_argument(
        "--configfile",
        action="append",
        default=[],
        metavar="FILE",
        # One file per flag: with nargs="+" the flag swallowed the target after it
        # (`--configfile config/smoke.yaml paper` read `paper` as a second config file).
        help="a config file merged over config/config.yaml, as for snakemake; repeat the flag "
        "for several (later files win)",
    )
    audit.add_argument("--json", action="store_true", help="print the result as JSON")
    audit.add_argument(
        "--no-stale", action="store_true", help="only re-hash; do not compare with the workflow"
    )
    audit.add_argument("--brief", action="store_true", help="no job details in the tree")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    results, many = audit_targets(args)
    ok = all(node.worst == "verified" for _, node in results)
    if args.json:
        payload = {
            "verified": ok,
            "artefacts": [{"name": name, **node.as_dict()} for name, node in results],
        }
        print(json.dumps(payload, indent=1, sort_keys=True))
    elif many:
        for name, node in results:
            print(A.summary_line(name, node))
        bad = sum(node.worst != "verified" for _, node in results)
        print(f"total: {len(results)} artefacts, {len(results) - bad} verified, {bad} not")
    else:
        for _, node in results:
            print(A.render(node, verbose=not args.brief))
            for _path, status, problem in node.failures():
                print(f"{status.upper()}: {problem}", file=sys.stderr)
        print(f"audit: {'verified' if ok else results[0][1].worst}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
