"""Condensation of sampled pattern sets: own-point weight and participation against T / T_c.

One job analyses the cells (d, N) of one pattern set for every N in ``params.n_samples``: cell N
uses the first N patterns and its own generator ``rng_for(seed, d, N, dataset)``.
"""

import numpy as np

from thermodiff import io as tio
from thermodiff.datasets import rng_for
from thermodiff.stages.rem import analyses

log = tio.start_job(snakemake)
p, w = snakemake.params, snakemake.wildcards
d, r = int(w.d), int(w.r)
patterns = tio.load_dataset(snakemake.input.data)["y"]
outputs, source = snakemake.output.cells, snakemake.input.data
for n, y, path in analyses.pattern_set_cells(patterns, d, p.n_samples, outputs, source):
    result = analyses.pattern_set_analysis(
        rng_for(p.seed, d, n, r),
        y,
        p.kind,
        variance=p.variance,
        ratios=np.geomspace(p.ratios["min"], p.ratios["max"], p.ratios["num"]),
        n_cues=p.n_cues,
        n_boot=p.n_bootstrap,
        width_level=p.width_level,
    )
    log.info(
        "%s d=%d N=%d: T_c %.5g, crossing %.5g +- %.2g, width %.3g",
        p.kind,
        d,
        n,
        result["predicted_tc"],
        result["crossing"],
        result["crossing_err"],
        result["width"],
    )
    tio.save_npz(path, **result, replica=np.int64(r))
tio.finish_job(snakemake)
