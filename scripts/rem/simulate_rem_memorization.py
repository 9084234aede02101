"""Generation with the exact empirical score: memorized fraction along the reverse dynamics.

One job generates for every training-set size N in ``params.n_samples`` of one pattern set: size N
uses the first N patterns and its own generator ``rng_for(seed, d, N, 1, dataset)``.
"""

import numpy as np

from thermodiff import io as tio
from thermodiff.datasets import rng_for
from thermodiff.stages.rem import analyses

log = tio.start_job(snakemake)
p, w = snakemake.params, snakemake.wildcards
d, r = int(w.d), int(w.r)
s = p.settings
patterns = tio.load_dataset(snakemake.input.data)["y"]
outputs, source = snakemake.output.results, snakemake.input.data
for n, y, path in analyses.pattern_set_cells(patterns, d, p.n_samples, outputs, source):
    result = analyses.memorization_analysis(
        rng_for(p.seed, d, n, 1, r),
        y,
        variance=p.variance,
        n_generated=s["n_generated"],
        n_steps=s["n_steps"],
        t_max_ratio=s["t_max_ratio"],
        t_min_ratio=s["t_min_ratio"],
        stop_temperature=s["stop_tau"] * p.variance * d,
        record_every=s["record_every"],
        threshold=s["nn_ratio_threshold"],
        n_boot=p.n_bootstrap,
    )
    log.info(
        "d=%d N=%d: T_c %.4g, onset %.4g +- %.2g, memorized at T_stop %.3f",
        d,
        n,
        result["predicted_tc"],
        result["onset"],
        result["onset_err"],
        result["memorized_at_stop"].mean(),
    )
    tio.save_npz(path, **result, replica=np.int64(r))
tio.finish_job(snakemake)
