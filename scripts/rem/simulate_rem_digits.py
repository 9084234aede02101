"""Condensation of the bundled digits against isotropic and spectral Gaussian predictions."""

import numpy as np

from thermodiff import io as tio
from thermodiff.datasets import rng_for
from thermodiff.stages.rem import analyses

log = tio.start_job(snakemake)
p = snakemake.params
y = tio.load_dataset(snakemake.input.data)["y"]
grid = p.temperatures
result = analyses.real_data_analysis(
    rng_for(p.seed, *y.shape),
    y,
    np.geomspace(grid["t_min"], grid["t_max"], grid["num"]),
    n_cues=p.n_cues,
    n_boot=p.n_bootstrap,
    width_level=p.width_level,
)
log.info(
    "digits: crossing %.4g +- %.2g; surrogate %.4g; isotropic T_c %.4g; spectrum T_c %.4g",
    result["data_crossing"],
    result["data_crossing_err"],
    result["surrogate_crossing"],
    result["isotropic_tc"],
    result["spectrum_tc"],
)
tio.save_npz(snakemake.output.result, **result)
tio.finish_job(snakemake)
