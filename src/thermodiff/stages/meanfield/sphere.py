"""The hypersphere (paper §5.3): order parameter on a grid, and its Goldstone modes.

Each builder returns what a job saves: ``(arrays, summary)`` or the summary alone.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from thermodiff import critical as cr
from thermodiff import meanfield as mf
from thermodiff import sphere as sp


def sphere_solution(
    d: int,
    radius: float,
    grid: tuple[float, float, int],
    heat_capacity_window: tuple[float, float],
    reduced_window: tuple[float, float],
) -> tuple[dict, dict]:
    """Uniform data on the sphere of ``radius`` in ``d`` dimensions: ``T_c = r**2/d``.

    ``grid = (t_min, t_max, n)`` in units of T_c for the saved curves (order parameter, Landau
    form, susceptibilities, heat capacity, NaN within 2e-3 of T_c where the stencil would
    straddle it). Measured: the bifurcation, scanned a decade either side of the per-coordinate
    second moment ``r**2/d``; the heat-capacity jump and beta at the located T_c.
    """
    t_c = sp.sphere_critical_temperature(radius, d)

    def order_parameter(t, h=0.0):
        return sp.sphere_order_parameter(t, radius, d, h)

    def kl_at_fixed_point(t):
        return sp.sphere_prior_kl(order_parameter(t), t, radius, d)

    scale = radius**2 / d
    measured = mf.locate_bifurcation(order_parameter, 0.1 * scale, 10 * scale)
    jump = cr.measure_heat_capacity_jump(kl_at_fixed_point, measured, heat_capacity_window)
    beta = cr.measure_beta(order_parameter, measured, reduced_window)
    t_min, t_max, n = grid
    t = t_c * np.linspace(t_min, t_max, n)
    u = order_parameter(t)
    chi_par, chi_perp = sp.sphere_susceptibility_eigenvalues(u, t, radius, d)
    away = np.abs(t / t_c - 1) > 2e-3
    heat = np.full_like(t, np.nan)
    heat[away] = cr.heat_capacity(kl_at_fixed_point, t[away], 1e-4 * t_c)
    arrays = {
        "temperature": t,
        "order_parameter": u,
        "landau": sp.sphere_landau_order_parameter(t, radius, d),
        "chi_parallel": chi_par,
        "chi_perp": chi_perp,
        "heat_capacity": heat,
        "d": d,
        "radius": radius,
        "critical_temperature": t_c,
    }
    summary = {
        "d": d,
        "radius": radius,
        "predicted": t_c,
        "measured": measured,
        "heat_capacity": jump.summary(),
        "predicted_jump": (d + 2) / 2,
        "beta": beta.summary(),
    }
    return arrays, summary


def goldstone_summary(
    y: NDArray, radius: float, temperature_ratio: float, n_batches: int
) -> dict[str, object]:
    """Goldstone modes of the sphere: the tangential susceptibility at the fixed point ``x*``.

    At ``T = temperature_ratio T_c`` the closed-form parallel and perpendicular eigenvalues of
    ``chi`` against a batch-means Monte-Carlo estimate on the samples ``y`` (N, d), and the
    spectrum of the empirical denoiser's own minimum (finite samples break O(d) explicitly).
    ``radius`` is the sphere's (``meanfield.sphere.radius``), not read back from the samples.
    """
    n, d = y.shape
    r = float(radius)
    t = temperature_ratio * sp.sphere_critical_temperature(r, d)
    u = float(sp.sphere_order_parameter(np.array([t]), r, d)[0])
    chi_par, chi_perp = sp.sphere_susceptibility_eigenvalues(u, t, r, d)
    estimate = sp.goldstone_susceptibility_monte_carlo(y, u, t, n_batches)
    empirical = mf.solve_fixed_points(y, [t], u * np.eye(d)[0])
    x = empirical.x[0]
    chi = mf.susceptibility(x[None], y, t)[0]
    tangent = np.linalg.qr(np.column_stack([x, np.eye(d)[:, 1:]]))[0][:, 1:]
    empirical_perp = np.linalg.eigvalsh(tangent.T @ chi @ tangent)
    return {
        "d": d,
        "radius": r,
        "temperature": t,
        "temperature_ratio": temperature_ratio,
        "n_samples": n,
        "fixed_point_radius": u,
        "closed_form": {"chi_parallel": float(chi_par), "chi_perp": float(chi_perp)},
        "monte_carlo": estimate.__dict__,
        "empirical_minimum": {
            "radius": float(np.linalg.norm(x)),
            "chi_perp_mean": float(empirical_perp.mean()),
            "chi_perp_range": [float(empirical_perp.min()), float(empirical_perp.max())],
        },
    }
