"""The workflow's rule graph, drawn by the pipeline itself: snakemake --rulegraph | dot -Tpdf."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from thermodiff import io as tio

log = tio.start_job(snakemake)
if shutil.which("dot") is None:
    raise RuntimeError(
        "Graphviz `dot` not found: run `make tex` (Debian: apt-get install graphviz)"
    )
smk = Path(sys.executable).with_name("snakemake")
args = [str(smk), "--rulegraph", "--nolock", "--quiet", "all"]
for path in snakemake.params.config_files:
    args += ["--configfile", path]
# a fixed hash seed fixes the order in which Snakemake lists rules (it iterates over sets)
env = {**os.environ, "PYTHONHASHSEED": "0"}
dot = subprocess.run(args, capture_output=True, text=True, check=True, env=env).stdout
dot = dot[dot.index("digraph") :]  # anything Snakemake printed before the graph
tio.write_text(snakemake.output.dot, dot)
pdf = subprocess.run(["dot", "-Tpdf"], input=dot.encode(), capture_output=True, check=True).stdout
# cairo stamps the wall-clock time; a fixed date of the same length keeps the PDF byte-identical
pdf = re.sub(rb"/CreationDate \(D:\d{14}", b"/CreationDate (D:19800101000000", pdf)
tio.write_bytes(snakemake.output.pdf, pdf)
log.info("rule graph: %d rules", dot.count("label ="))
tio.finish_job(snakemake)
