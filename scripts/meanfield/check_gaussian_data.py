"""Gaussian data never break symmetry (docs/theory.md §Gaussian data): lambda_max(chi) < 1 at every T."""

from thermodiff import io as tio
from thermodiff.stages.meanfield import cascades

log = tio.start_job(snakemake)
p = snakemake.params
y = tio.load_dataset(snakemake.input.digits)["y"]  # a Gaussian with the digits' mean and covariance
arrays, summary = cascades.gaussian_control(y, p.t_min, p.t_max, p.n)
log.info("max lambda_max(chi) over T: %.12f", summary["max_lambda_max"])
tio.save_npz(snakemake.output.path, **arrays)
tio.write_json(snakemake.output.summary, summary)
tio.finish_job(snakemake)
