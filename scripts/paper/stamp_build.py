"""Build stamp for the paper: commit, config files, software versions of the environment."""

import importlib.metadata
import platform

from thermodiff import io as tio
from thermodiff.macros import values_tex

tio.start_job(snakemake)
values = {
    "build.commit": snakemake.params.commit,
    "build.config": " + ".join(snakemake.params.config_files),
    "build.python": platform.python_version(),
}
for dist in ("snakemake", "numpy", "scipy", "pandas", "matplotlib", "torch", "scikit-learn"):
    values[f"build.version.{dist}"] = importlib.metadata.version(dist)
tio.write_text(snakemake.output.values, values_tex(values))
