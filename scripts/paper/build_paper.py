"""Compile paper/main.tex with latexmk (pdflatex); figures and values are read from results/."""

import os
import re
import shutil
import subprocess
from pathlib import Path

from thermodiff import io as tio

log = tio.start_job(snakemake)
latex_dir = Path(snakemake.params.latex_dir).resolve()
latex_dir.mkdir(parents=True, exist_ok=True)
search = [
    Path("paper").resolve(),
    *{
        Path(p).resolve().parent
        for p in [
            snakemake.input.values,
            snakemake.input.claims,
            *snakemake.input.figures,
            *snakemake.input.appendix,
        ]
    },
]
env = dict(os.environ)
env["TEXINPUTS"] = os.pathsep.join(str(p) for p in search) + os.pathsep  # trailing: TeX's own
env["BIBINPUTS"] = str(Path("paper").resolve()) + os.pathsep
env["SOURCE_DATE_EPOCH"] = str(snakemake.params.source_date_epoch)
env["FORCE_SOURCE_DATE"] = "1"
# TeX wraps its log at 79 characters: an error after a long absolute path lost its message
env["max_print_line"] = "100000"
if shutil.which("latexmk") is None:
    raise RuntimeError(
        "latexmk not found: run `make tex` (Debian: apt-get install latexmk texlive-*)"
    )
# -g: build even if latexmk's own records (main.fdb_latexmk) say nothing changed. Snakemake only
# runs this job when an input changed, and latexmk would otherwise remember a failed run (say, a
# package installed since) and refuse to retry: "Nothing to do ... gave an error".
cmd = [
    "latexmk",
    "-g",
    "-pdf",
    "-interaction=nonstopmode",
    "-halt-on-error",
    "-file-line-error",
    f"-outdir={latex_dir}",
    snakemake.input.main,
]
with open(snakemake.log[0], "a", encoding="utf-8") as handle:
    done = subprocess.run(cmd, env=env, stdout=handle, stderr=subprocess.STDOUT)
if done.returncode != 0:
    log_path = latex_dir / "main.log"
    tex_log = log_path.read_text(errors="replace").splitlines() if log_path.exists() else []
    # the next build starts clean: no latexmk records, no half-written .aux (main.log is kept)
    for leftover in latex_dir.iterdir():
        if leftover.is_file() and leftover.name != "main.log":
            leftover.unlink()
    errors = [
        i for i, line in enumerate(tex_log) if line.startswith("!") or re.match(r".*:\d+: ", line)
    ]
    excerpt = "\n".join(line for i in errors[:3] for line in tex_log[i : i + 3]) or "\n".join(
        tex_log[-20:]
    )
    raise RuntimeError(f"LaTeX failed (full log: {latex_dir / 'main.log'}):\n{excerpt}")
tio.write_bytes(snakemake.output.pdf, (latex_dir / "main.pdf").read_bytes())
log.info("paper written to %s", snakemake.output.pdf)
tio.finish_job(snakemake)
