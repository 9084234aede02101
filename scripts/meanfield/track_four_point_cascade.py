"""Discrete dataset (paper §5.2): the symmetry-breaking cascade of the (+-a, +-b) set."""

import numpy as np

from thermodiff import io as tio
from thermodiff.stages.meanfield import cascades

log = tio.start_job(snakemake)
p = snakemake.params
y = tio.load_dataset(snakemake.input.data)["y"]
arrays, summary = cascades.four_point_cascade(y, np.geomspace(p.t_max, p.t_min, p.n))
log.info("four-point cascade: predicted %s, located %s", summary["predicted"], summary["measured"])
tio.save_npz(snakemake.output.path, **arrays)
tio.write_json(snakemake.output.summary, summary)
tio.finish_job(snakemake)
