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
arrays, summary = {"temperature": temperatures}, {"predicted": predicted, "measured": {}}
for name, y in variants.items():
    path = mf.anneal_fixed_points(y, temperatures, np.zeros(y.shape[1]), tol=p.tol)
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
    log.info("%s: max lambda_max(chi) %.4f", name, path.lambda_max.max())
top = int(np.argmax(arrays["raw_lambda_max"]))
summary["raw"] = {
    "max_lambda_max": float(arrays["raw_lambda_max"][top]),
    "temperature_at_max": float(temperatures[top]),
    "covariance_top_eigenvalue": float(np.linalg.eigvalsh(np.cov(raw.T, bias=True))[-1]),
}
log.info("digits: predicted %s, located %s", predicted, summary["measured"])
tio.save_npz(snakemake.output.path, **arrays)
tio.write_json(snakemake.output.summary, summary)
