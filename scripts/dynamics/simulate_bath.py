"""Generative bath of M sites at T_c (paper §9): quadrature of p_T(x)^M and exact Gibbs sampling."""

from thermodiff import io as tio
from thermodiff.stages.dynamics import baths

log = tio.start_job(snakemake)
p = snakemake.params
a = float(p.a)  # data.two_delta.a
summary = baths.bath_summary(a, int(snakemake.wildcards.m), p.settings, seed=p.seed)
log.info(
    "M=%d: <x^2> quadrature %.6g, Gibbs %.6g +- %.2g",
    summary["m"],
    summary["x2_quadrature"],
    summary["x2_simulated"],
    summary["x2_err"],
)
tio.save_npz(snakemake.output.summary, **summary)
tio.finish_job(snakemake)
