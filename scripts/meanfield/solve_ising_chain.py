"""Lattice (1-D periodic Ising chain) data (paper §5.4): generative T_c = S(k = 0)."""

import numpy as np

from thermodiff import io as tio
from thermodiff import ising

log = tio.start_job(snakemake)
p = snakemake.params
finite = {
    str(length): {
        "structure_factor": ising.chain_critical_temperature(p.coupling, length),
        "lambda_max": float(np.linalg.eigvalsh(ising.chain_covariance(length, p.coupling))[-1]),
    }
    for length in p.lengths
}
log.info(
    "chain b0J=%g: exp(2 b0J) = %.10g; finite L %s",
    p.coupling,
    ising.chain_critical_temperature(p.coupling),
    finite,
)
tio.write_json(
    snakemake.output.summary,
    {
        "coupling": p.coupling,
        "predicted": ising.chain_critical_temperature(p.coupling),
        "finite": finite,
        "largest_length": max(p.lengths),
    },
)
