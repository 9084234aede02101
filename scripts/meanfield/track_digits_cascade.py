"""Digits (paper §5.2): sharp transition of symmetrised digits, crossover of raw digits."""

import numpy as np

from thermodiff import io as tio
from thermodiff.stages.meanfield import cascades

log = tio.start_job(snakemake)
p = snakemake.params
arrays, summary = cascades.digits_cascade(
    tio.load_dataset(snakemake.input.digits)["y"],
    tio.load_dataset(snakemake.input.symmetric)["y"],
    np.geomspace(p.t_max, p.t_min, p.n),
    tol=p.tol,
    n_scan=p.n_scan,
)
for name in ("raw", "symmetric", "symmetric_equal_norm"):
    log.info("%s: max lambda_max(chi) on the grid %.4f", name, arrays[f"{name}_lambda_max"].max())
log.info("digits: predicted %(predicted)s, located %(measured)s; raw peak %(raw)s", summary)
tio.save_npz(snakemake.output.path, **arrays)
tio.write_json(snakemake.output.summary, summary)
tio.finish_job(snakemake)
