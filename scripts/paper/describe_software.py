"""Appendix table: the software the jobs behind the paper imported, and the machines they ran on."""

import glob
import os

from thermodiff import io as tio
from thermodiff.claims import latex_escape
from thermodiff.provenance import lineage_records, software_summary

tio.start_job(snakemake)
records = [
    tio.read_json(p) for p in sorted(glob.glob(os.path.join(snakemake.params.jobs, "*.json")))
]
jobs = lineage_records(records, [str(p) for p in snakemake.input])
summary = software_summary(jobs)
rows = [
    f"{latex_escape(package)} & "
    + "; ".join(f"{latex_escape(version)} ({n})" for version, n in counts.items())
    + r" \\"
    for package, counts in summary["versions"].items()
]
text = (
    f"% {len(jobs)} job records, written by the pipeline\n"
    "\\begin{longtable}{@{}ll@{}}\n\\toprule\npackage & version (jobs that imported it) \\\\\n"
    "\\midrule\n\\endhead\n" + "\n".join(rows) + "\n\\bottomrule\n\\end{longtable}\n"
    "\\paragraph{Hardware.} "
    + "; ".join(latex_escape(h) for h in summary["hardware"])
    + f" ({len(jobs)} jobs).\n"
)
tio.write_text(snakemake.output.tex, text)
tio.finish_job(snakemake)
