"""The workflow's graph, drawn by the pipeline itself from snakemake --rulegraph.

The .dot output is the full rule graph (one node per rule). The PDF in the paper is the same graph
with its rules grouped by the stage file that defines them (workflow/rules/<stage>.smk): with some
eighty rules on one row the full graph printed as an unreadable strip, while the stages and their
data flow fit a page. Render the full graph with ``dot -Tpdf rulegraph.dot``.
"""

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
# which stage defines each rule: the .smk file its `rule <name>:` line is in
stage_of = {}
for path in snakemake.input:
    stem = Path(path).stem
    for name in re.findall(r"^(?:rule|checkpoint)\s+(\w+)\s*:", Path(path).read_text(), re.M):
        stage_of[name] = stem
nodes = dict(re.findall(r'^\s*(\d+)\[label = "([^"]+)"', dot, re.M))
edges = re.findall(r"^\s*(\d+) -> (\d+)", dot, re.M)
group = {i: stage_of.get(name, "other") for i, name in nodes.items() if name != "all"}
counts = {}
for stage in group.values():
    counts[stage] = counts.get(stage, 0) + 1
links = sorted({(group[a], group[b]) for a, b in edges if a in group and b in group} - {
    (x, x) for x in counts})
lines = [
    "digraph stages {",
    "    graph[bgcolor=white, margin=0, ranksep=0.35, nodesep=0.3];",
    "    node[shape=box, style=rounded, fontname=sans, fontsize=11, penwidth=1.2];",
    "    edge[penwidth=1.2, color=grey40];",
]
lines += [
    f'    "{stage}"[label="{stage}\\n{n} rule{"s" if n > 1 else ""}"];'
    for stage, n in sorted(counts.items())
]
lines += [f'    "{a}" -> "{b}";' for a, b in links]
stages_dot = "\n".join(lines + ["}", ""])
pdf = subprocess.run(["dot", "-Tpdf"], input=stages_dot.encode(), capture_output=True, check=True).stdout
# cairo stamps the wall-clock time; a fixed date of the same length keeps the PDF byte-identical
pdf = re.sub(rb"/CreationDate \(D:\d{14}", b"/CreationDate (D:19800101000000", pdf)
tio.write_bytes(snakemake.output.pdf, pdf)
log.info("rule graph: %d rules in %d stages", len(group), len(counts))
tio.finish_job(snakemake)
