"""Goldstone modes of the hypersphere (paper §5.3): tangential susceptibility at x* by Monte Carlo."""

from thermodiff import io as tio
from thermodiff.stages.meanfield import sphere

log = tio.start_job(snakemake)
p = snakemake.params
y = tio.load_dataset(snakemake.input.data)["y"]
summary = sphere.goldstone_summary(y, p.radius, p.goldstone_temperature, p.goldstone_batches)
found = summary | summary["monte_carlo"] | summary["empirical_minimum"]
log.info("d=%(d)d T=%(temperature)g: chi_perp MC %(perp).4f +- %(perp_error).4f", found)
log.info("empirical minimum: chi_perp %(chi_perp_mean).4f", found)
tio.write_json(snakemake.output.summary, summary)
tio.finish_job(snakemake)
