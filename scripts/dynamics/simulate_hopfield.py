"""Associative memory in d dimensions (paper §10): energy identity and recall vs capacity."""

import numpy as np

from thermodiff import io as tio
from thermodiff.stages.dynamics import recall

log = tio.start_job(snakemake)
p = snakemake.params
summary = recall.hopfield_summary(
    int(snakemake.wildcards.d), p.settings, seed=p.seed, n_boot=p.n_bootstrap
)
log.info(
    "d=%d: identity error %.2g; ln N_1/2 %.3f +- %.2g vs ln N_max %.3f",
    summary["d"],
    summary["identity_max_error"],
    summary["log_n_half"],
    summary["log_n_half_err"],
    np.log(summary["n_max"]),
)
tio.save_npz(snakemake.output.summary, **summary)
tio.finish_job(snakemake)
