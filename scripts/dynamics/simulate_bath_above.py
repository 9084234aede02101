"""Generative bath above T_c (paper §9): <x^2> against T^2 / (M (T - T_c))."""

from thermodiff import io as tio
from thermodiff.stages.dynamics import baths

log = tio.start_job(snakemake)
p = snakemake.params
a = float(p.a)  # data.two_delta.a
summary = baths.bath_above_summary(a, p.settings, seed=p.seed)
log.info("law %.6g, Gibbs %.6g +- %.2g", summary["law"], summary["x2_simulated"], summary["x2_err"])
tio.save_npz(snakemake.output.summary, **summary)
tio.finish_job(snakemake)
