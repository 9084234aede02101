"""Compare two results trees byte for byte, except what is per-run by nature.

Usage: python compare_results.py LEFT RIGHT  (exit status 1 and a list of differences if any)

Excepted, because they are per-run by nature:

* the job logs (``logs/``) and benchmark tables (``benchmarks/``): times and hosts;
* in JSON records, the fields named in ``PER_RUN_KEYS``: the per-run fields of the job records
  (``thermodiff.provenance.PER_RUN_FIELDS``: start, end and wall time), and the records' own
  content hash, which covers them;
* in quoted values (``macros/*.tex``), the ``\tdset`` lines of keys ending in ``.wall`` (the paper
  quotes training wall times);
* LaTeX's own records of a build (``paper/latex/*.log``, ``*.fls``, ``*.fdb_latexmk``), which name
  the absolute build folder;
* a PDF whose bytes differ is compared as text (``pdftotext``), with the per-run values that
  differ in the macros masked on each side: every other word of the paper must be the same.

Every other key of a JSON record, line of a macro file, and file must be identical.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

# the names of the per-run fields come from the library of this checkout, never a copy of them
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
from thermodiff.io import HASH_KEY  # noqa: E402
from thermodiff.provenance import PER_RUN_FIELDS  # noqa: E402

PER_RUN_DIRS = ("logs", "benchmarks")
# HASH_KEY ("_sha256") is a record's own content hash (thermodiff.io.write_json), which covers the
# per-run fields of the records that have them
PER_RUN_KEYS = frozenset({*PER_RUN_FIELDS, HASH_KEY})
PER_RUN_MACRO = re.compile(r"^\\tdset\{([^}]*\.wall)\}\{(.*)\}$")
LATEX_RECORDS = (".log", ".fls", ".fdb_latexmk")


def strip_per_run(value):
    """A JSON value with the per-run keys removed at every depth."""
    if isinstance(value, dict):
        return {k: strip_per_run(v) for k, v in value.items() if k not in PER_RUN_KEYS}
    if isinstance(value, list):
        return [strip_per_run(v) for v in value]
    return value


def per_run_macros(text: str) -> tuple[list[str], dict[str, str]]:
    """Lines of a macro file without the per-run ones, and the per-run {key: value}."""
    lines, values = [], {}
    for line in text.splitlines():
        match = PER_RUN_MACRO.match(line)
        if match:
            values[match.group(1)] = match.group(2)
        else:
            lines.append(line)
    return lines, values


def pdf_text(path: Path, masked: list[str]) -> str:
    """Text of a PDF with each of the ``masked`` strings replaced by a placeholder."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for value in sorted(masked, key=len, reverse=True):
        text = re.sub(rf"(?<![\d.]){re.escape(value)}(?![\d])", "<per-run>", text)
    return text


def files(root: Path) -> set[Path]:
    return {
        p.relative_to(root)
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] not in PER_RUN_DIRS
    }


def differences(left: Path, right: Path) -> list[str]:
    """Every file only on one side, and every file whose content differs."""
    left_files, right_files = files(left), files(right)
    problems = [f"only in {left}: {p}" for p in sorted(left_files - right_files)]
    problems += [f"only in {right}: {p}" for p in sorted(right_files - left_files)]
    masked: dict[str, set[str]] = {"left": set(), "right": set()}
    pdfs = []
    for rel in sorted(left_files & right_files):
        a, b = (left / rel).read_bytes(), (right / rel).read_bytes()
        if a == b:
            continue
        if rel.suffix == ".json":
            if strip_per_run(json.loads(a)) == strip_per_run(json.loads(b)):
                continue
        elif rel.parts[0] == "macros" and rel.suffix == ".tex":
            (lines_a, values_a), (lines_b, values_b) = (
                per_run_macros(a.decode()), per_run_macros(b.decode())
            )  # fmt: skip
            if lines_a == lines_b and values_a.keys() == values_b.keys():
                masked["left"].update(v for k, v in values_a.items() if v != values_b[k])
                masked["right"].update(v for k, v in values_b.items() if v != values_a[k])
                continue
        elif rel.parts[:2] == ("paper", "latex") and rel.suffix in LATEX_RECORDS:
            continue
        elif rel.suffix == ".pdf":
            pdfs.append(rel)
            continue
        problems.append(f"differs: {rel}")
    for rel in pdfs:  # after the macros: their per-run values are known
        if pdf_text(left / rel, sorted(masked["left"])) != pdf_text(
            right / rel, sorted(masked["right"])
        ):
            problems.append(f"differs: {rel} (text, per-run values masked)")
        else:
            print(f"note: {rel} differs in bytes only by per-run values {sorted(masked['left'])}")
    return problems


def main(argv: list[str]) -> int:
    left, right = Path(argv[1]), Path(argv[2])
    problems = differences(left, right)
    n = len(files(left))
    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} difference(s) among {n} files")
        return 1
    print(f"{n} files identical (except per-run fields, logs and benchmarks)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
