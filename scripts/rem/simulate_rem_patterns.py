"""Condensation of one sampled pattern set: own-point weight and participation against T / T_c."""

import numpy as np

from thermodiff import io as tio
from thermodiff.datasets import rng_for
from thermodiff.stages import rem as stage

log = tio.start_job(snakemake)
p, w = snakemake.params, snakemake.wildcards
d, n, r = int(w.d), int(w.n), int(w.r)
y = tio.load_dataset(snakemake.input.data)["y"][:n]
if y.shape != (n, d):
    raise ValueError(f"{snakemake.input.data}: need {n} x {d} patterns, got {y.shape}")
result = stage.pattern_set_analysis(
    rng_for(p.seed, d, n, r),
    y,
    w.kind,
    variance=p.variance,
    ratios=np.geomspace(p.ratios["min"], p.ratios["max"], p.ratios["num"]),
    n_cues=p.n_cues,
    n_boot=p.n_boot,
    width_level=p.width_level,
)
log.info(
    "%s d=%d N=%d: T_c %.5g, crossing %.5g +- %.2g, width %.3g",
    w.kind,
    d,
    n,
    result["predicted_tc"],
    result["crossing"],
    result["crossing_err"],
    result["width"],
)
tio.save_npz(snakemake.output.cell, **result, replica=np.int64(r))
