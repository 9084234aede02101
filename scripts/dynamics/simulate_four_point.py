"""Four points (+-a, +-b) (paper §7): the cascade of decisions, one kick axis at a time."""

from thermodiff import io as tio
from thermodiff.stages.dynamics import decisions

log = tio.start_job(snakemake)
p = snakemake.params
y = tio.load_dataset(snakemake.input.data)["y"]
summary = decisions.four_point_summary(y, p.settings, seed=p.seed, n_boot=p.n_bootstrap)
log.info("decision peaks %s (predicted %s)", summary["peak"], summary["decision_predicted"])
tio.save_npz(snakemake.output.summary, **summary)
tio.finish_job(snakemake)
