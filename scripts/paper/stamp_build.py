"""Build stamp for the paper: commit, build date, config files, software versions, script links."""

import importlib.metadata
import platform
import time

from thermodiff import io as tio
from thermodiff.macros import values_tex

tio.start_job(snakemake)
p = snakemake.params
values = {
    "build.commit": p.commit,
    # the date of the commit built (SOURCE_DATE_EPOCH): the same sources give the same PDF; the
    # wall-clock time of each job is in its provenance record
    "build.date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(p.source_date_epoch)),
    "build.config": " + ".join(p.config_files),
    "build.python": platform.python_version(),
}
for dist in ("snakemake", "numpy", "scipy", "pandas", "matplotlib", "torch", "scikit-learn"):
    values[f"build.version.{dist}"] = importlib.metadata.version(dist)
# \tdscript{path}: a link to the file at the exact commit, or the plain path without a repository
if p.repository and p.sha:
    url = f"{p.repository.rstrip('/')}/blob/{p.sha}/"
    script = rf"\newcommand{{\tdscript}}[1]{{\href{{{url}\detokenize{{#1}}}}{{\texttt{{\detokenize{{#1}}}}}}}}"
else:
    script = r"\newcommand{\tdscript}[1]{\texttt{\detokenize{#1}}}"
tio.write_text(snakemake.output.values, values_tex(values) + script + "\n")
tio.finish_job(snakemake)
