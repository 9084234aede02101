"""The arXiv source of the built paper: a folder that pdflatex compiles alone, and its tarball."""

import os
import shutil
from pathlib import Path

from thermodiff import arxiv
from thermodiff import io as tio
from thermodiff.provenance import declared_files

log = tio.start_job(snakemake)
p = snakemake.params
workdir = os.getcwd()
latex_dir = Path(p.latex_dir).resolve()
plan = arxiv.plan_files(
    arxiv.recorded_inputs((latex_dir / "main.fls").read_text(encoding="utf-8"), workdir),
    workdir=workdir,
    paper_dir=os.path.abspath(os.path.dirname(snakemake.input.main)),
    latex_dir=str(latex_dir),
    declared=[os.path.abspath(f) for f in declared_files(snakemake.input)],
)
header = (
    "arXiv source written by the thermodiff pipeline (make arxiv) from its own LaTeX build.\n"
    "Compile with pdflatex main.tex; main.bbl is the bibliography, BibTeX is not needed."
)
files = {
    name: arxiv.rewrite(name, Path(path).read_bytes(), repository=p.repository, header=header)
    for name, path in plan.items()
}
results_root = Path(snakemake.output.tarball).resolve().parents[1]
arxiv.check_self_contained(files, forbidden=[workdir, str(results_root)])
tio.write_bytes(snakemake.output.tarball, arxiv.tar_gz(files, p.source_date_epoch))
# The unpacked copy is replaced whole: a file dropped from the paper must not linger in it
folder = Path(p.folder)
staging = folder.with_name(f".{folder.name}.{os.getpid()}.part")
shutil.rmtree(staging, ignore_errors=True)
for name, data in files.items():
    (staging / name).parent.mkdir(parents=True, exist_ok=True)
    (staging / name).write_bytes(data)
shutil.rmtree(folder, ignore_errors=True)
staging.rename(folder)
log.info(
    "arXiv source: %d files, %d bytes -> %s (unpacked in %s)",
    len(files),
    os.path.getsize(snakemake.output.tarball),
    snakemake.output.tarball,
    folder,
)
tio.finish_job(snakemake)
