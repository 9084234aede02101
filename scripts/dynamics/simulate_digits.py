"""Symmetrised digits (paper §7): top susceptibility eigenvalue along generation, exact kernel."""

from thermodiff import io as tio
from thermodiff.stages.dynamics import decisions

log = tio.start_job(snakemake)
p = snakemake.params
y = tio.load_dataset(snakemake.input.data)["y"]
summary = decisions.digits_summary(y, p.settings, seed=p.seed)
log.info(
    "symmetrised digits: T_c %.5g; mean lambda_max %s", summary["t_c"], summary["lambda_max_mean"]
)
tio.save_npz(snakemake.output.summary, **summary)
tio.finish_job(snakemake)
