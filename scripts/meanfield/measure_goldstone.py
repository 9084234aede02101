"""Goldstone modes of the hypersphere (paper §5.3): tangential susceptibility at x* by Monte Carlo."""

from thermodiff import io as tio
from thermodiff.stages.meanfield import sphere

log = tio.start_job(snakemake)
p = snakemake.params
y = tio.load_dataset(snakemake.input.data)["y"]
summary = sphere.goldstone_summary(y, p.temperature, p.n_batches)
log.info(
    "d=%d T=%g: chi_perp MC %.4f +- %.4f, empirical minimum %.4f",
    summary["d"],
    summary["temperature"],
    summary["monte_carlo"]["perp"],
    summary["monte_carlo"]["perp_error"],
    summary["empirical_minimum"]["chi_perp_mean"],
)
tio.write_json(snakemake.output.summary, summary)
tio.finish_job(snakemake)
