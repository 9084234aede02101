"""Lattice (1-D periodic Ising chain) data (paper §5.4): generative T_c = S(k = 0)."""

import numpy as np

from thermodiff import io as tio
from thermodiff import ising
from thermodiff import meanfield as mf

log = tio.start_job(snakemake)
p = snakemake.params
finite = {
    str(length): {
        "structure_factor": ising.chain_critical_temperature(p.coupling, length),
        "lambda_max": float(np.linalg.eigvalsh(ising.chain_covariance(length, p.coupling))[-1]),
    }
    for length in p.lengths
}
# independent route at the largest enumerable length: the generative bifurcation of the exact
# chain law (2^L weighted configurations) located with the point-data fixed-point solver
length = max(n for n in p.lengths if n <= 16)
y, log_weights = ising.chain_configurations(length, p.coupling)
solve = mf.annealed_fixed_points(y, np.zeros(length), log_weights)
t_l = ising.chain_critical_temperature(p.coupling, length)
bifurcation = {
    "length": length,
    "predicted": t_l,
    "measured": mf.locate_bifurcation(
        lambda t: np.linalg.norm(solve(t), axis=1), 0.8 * t_l, 1.2 * t_l, n_scan=24
    ),
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
        "bifurcation": bifurcation,
    },
)
