"""Uniform hypersphere (paper §7): susceptibility eigenvalues along generation."""

from thermodiff import io as tio
from thermodiff.stages.dynamics import decisions

log = tio.start_job(snakemake)
p = snakemake.params
summary = decisions.sphere_summary(p.settings["d"], p.radius, p.settings, seed=p.seed)
log.info("sphere d=%d: T_c %.4g", summary["d"], summary["t_c"])
tio.save_npz(snakemake.output.summary, **summary)
tio.finish_job(snakemake)
