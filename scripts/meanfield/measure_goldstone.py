"""Goldstone modes of the hypersphere (paper §5.3): tangential susceptibility at x* by Monte Carlo."""

import numpy as np

from thermodiff import io as tio
from thermodiff import meanfield as mf
from thermodiff import sphere as sp

log = tio.start_job(snakemake)
p = snakemake.params
y = tio.load_dataset(snakemake.input.data)["y"]
n, d = y.shape
r = float(np.linalg.norm(y, axis=1).mean())
t = p.temperature * sp.sphere_critical_temperature(r, d)
u = float(sp.sphere_order_parameter(np.array([t]), r, d)[0])
chi_par, chi_perp = sp.sphere_susceptibility_eigenvalues(u, t, r, d)
estimate = sp.goldstone_susceptibility_monte_carlo(y, u, t, p.n_batches)

# the empirical denoiser's own minimum: finite samples break O(d) explicitly
empirical = mf.solve_fixed_points(y, [t], u * np.eye(d)[0])
x = empirical.x[0]
chi = mf.susceptibility(x[None], y, t)[0]
tangent = np.linalg.qr(np.column_stack([x, np.eye(d)[:, 1:]]))[0][:, 1:]
empirical_perp = np.linalg.eigvalsh(tangent.T @ chi @ tangent)
log.info(
    "d=%d T=%g: chi_perp MC %.4f +- %.4f, empirical minimum %.4f",
    d,
    t,
    estimate.perp,
    estimate.perp_error,
    empirical_perp.mean(),
)
tio.write_json(
    snakemake.output.summary,
    {
        "d": d,
        "radius": r,
        "temperature": t,
        "temperature_ratio": p.temperature,
        "n_samples": n,
        "fixed_point_radius": u,
        "closed_form": {"chi_parallel": float(chi_par), "chi_perp": float(chi_perp)},
        "monte_carlo": estimate.__dict__,
        "empirical_minimum": {
            "radius": float(np.linalg.norm(x)),
            "chi_perp_mean": float(empirical_perp.mean()),
            "chi_perp_range": [float(empirical_perp.min()), float(empirical_perp.max())],
        },
    },
)
tio.finish_job(snakemake)
