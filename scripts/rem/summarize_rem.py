"""Tables of the rem stage: crossings per pattern set, memorization per run and per dimension."""

import numpy as np
import pandas as pd

from thermodiff import io as tio
from thermodiff.datasets import rng_for
from thermodiff.stages.rem import tables

tio.start_job(snakemake)
p, inp = snakemake.params, snakemake.input
rows = [
    tables.crossing_row(tio.load_npz(path), group)
    for group in ("grid", "alpha", "binary")
    for path in inp[group]
]
runs = [tio.load_npz(path) for path in inp.memorization]
onsets = tables.memorization_onsets(
    rng_for(p.seed, 2), runs, variance=p.variance, n_boot=p.n_bootstrap
)
tio.write_table(snakemake.output.datasets, pd.DataFrame(rows))
tio.write_table(snakemake.output.onsets_datasets, pd.DataFrame(onsets))
tio.write_table(
    snakemake.output.crossings, pd.DataFrame(tables.aggregate_crossings(rows, p.variance))
)
tio.write_table(
    snakemake.output.memorization, pd.DataFrame([tables.memorization_row(r) for r in runs])
)
tio.write_table(snakemake.output.onsets, pd.DataFrame(tables.aggregate_onsets(onsets)))
grid = [r for r in rows if r["group"] == "grid"]
curves = tables.critical_temperature_curves(
    sorted({r["d"] for r in grid}),
    0.5 * min(r["n"] for r in grid),
    2.0 * max(r["n"] for r in grid),
    p.variance,
)
tio.save_npz(snakemake.output.curves, **curves, variance=np.float64(p.variance))
tio.finish_job(snakemake)
