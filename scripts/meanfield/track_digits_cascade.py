"""Digits (paper §5.2): sharp transition of symmetrised digits, crossover of raw digits."""

import numpy as np

from thermodiff import io as tio
from thermodiff import meanfield as mf

log = tio.start_job(snakemake)
p = snakemake.params
raw = tio.load_dataset(snakemake.input.digits)["y"]
symmetric = tio.load_dataset(snakemake.input.symmetric)["y"]
variants = {
    "raw": raw,
    "symmetric": symmetric,
    "symmetric_equal_norm": mf.equalise_norms(symmetric),
}
predicted = {  # instability of x* = 0: equal norms -> lambda_max; raw norms -> T = lambda_max(Cov)
    "symmetric": mf.symmetric_critical_temperature(symmetric),
    "symmetric_equal_norm": mf.second_moment_top_eigenvalue(variants["symmetric_equal_norm"]),
}
temperatures = np.geomspace(p.t_max, p.t_min, p.n)
arrays, summary, paths = {"temperature": temperatures}, {"predicted": predicted, "measured": {}}, {}
for name, y in variants.items():
    paths[name] = path = mf.anneal_fixed_points(y, temperatures, np.zeros(y.shape[1]), tol=p.tol)
    norm = np.linalg.norm(path.x, axis=1)
    arrays |= {f"{name}_norm": norm, f"{name}_lambda_max": path.lambda_max}
    summary[f"{name}_all_converged"] = bool(path.converged.all())
    if name in predicted:
        k = int(np.argmax(norm > 1e-6))  # first broken grid point while cooling
        solve = mf.annealed_fixed_points(y, np.zeros(y.shape[1]), tol=p.tol)
        summary["measured"][name] = mf.locate_bifurcation(
            lambda t, solve=solve: np.linalg.norm(solve(t), axis=1),
            temperatures[k],
            temperatures[k - 1],
            n_scan=p.n_scan,
            n_fit=10,
        )
    log.info("%s: max lambda_max(chi) on the grid %.4f", name, path.lambda_max.max())

# the crossover peak of lambda_max is narrow: zoom twice onto it, annealing on finer grids
path = paths["raw"]
for _ in range(2):
    k = int(np.clip(np.argmax(path.lambda_max), 1, len(path.temperature) - 2))
    grid = np.linspace(path.temperature[k - 1], path.temperature[k + 1], 4 * p.n_scan)
    path = mf.anneal_fixed_points(raw, grid, path.x[k - 1], tol=p.tol)
k = int(np.argmax(path.lambda_max))
summary["raw"] = {
    "max_lambda_max": float(max(path.lambda_max[k], arrays["raw_lambda_max"].max())),
    "temperature_at_max": float(path.temperature[k]),
    "grid_max_lambda_max": float(arrays["raw_lambda_max"].max()),
    "covariance_top_eigenvalue": float(np.linalg.eigvalsh(np.cov(raw.T, bias=True))[-1]),
}
log.info(
    "digits: predicted %s, located %s; raw peak %s", predicted, summary["measured"], summary["raw"]
)
tio.save_npz(snakemake.output.path, **arrays)
tio.write_json(snakemake.output.summary, summary)
