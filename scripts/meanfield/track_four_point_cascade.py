"""Discrete dataset (paper §5.2): the symmetry-breaking cascade of the (+-a, +-b) set."""

import numpy as np

from thermodiff import io as tio
from thermodiff import meanfield as mf

log = tio.start_job(snakemake)
p = snakemake.params
y = tio.load_dataset(snakemake.input.data)["y"]
half_widths = np.abs(y).max(axis=0)  # factorised data: T_c,k = (half-width along axis k)^2
predicted = np.sort(half_widths**2)[::-1]

temperatures = np.geomspace(p.t_max, p.t_min, p.n)
path = mf.anneal_fixed_points(y, temperatures, np.zeros(y.shape[1]))
solve = mf.annealed_fixed_points(y, np.zeros(y.shape[1]))
measured = []
for axis in np.argsort(half_widths)[::-1]:
    broken = np.abs(path.x[:, axis]) > 1e-6
    k = int(np.argmax(broken))  # first broken grid point while cooling
    measured.append(
        mf.locate_bifurcation(
            lambda t, axis=axis: np.abs(solve(t)[:, axis]),
            temperatures[k],
            temperatures[k - 1],
            n_scan=12,
        )
    )
log.info("four-point cascade: predicted %s, located %s", predicted, measured)
tio.save_npz(
    snakemake.output.path,
    temperature=temperatures,
    x=path.x,
    chi_eigenvalues=path.chi_eigenvalues,
    converged=path.converged,
    predicted=predicted,
    measured=np.array(measured),
)
tio.write_json(
    snakemake.output.summary,
    {"predicted": predicted, "measured": measured, "all_converged": bool(path.converged.all())},
)
