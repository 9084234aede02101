"""Hypersphere (paper §5.3): order parameter, Landau form, susceptibilities, heat capacity."""

import numpy as np

from thermodiff import critical as cr
from thermodiff import io as tio
from thermodiff import meanfield as mf
from thermodiff import sphere as sp

log = tio.start_job(snakemake)
p = snakemake.params
d, r = int(p.d), float(p.radius)
t_c = sp.sphere_critical_temperature(r, d)


def order_parameter(t, h=0.0):
    return sp.sphere_order_parameter(t, r, d, h)


def kl_at_fixed_point(t):
    return sp.sphere_prior_kl(order_parameter(t), t, r, d)


# scan a decade either side of the per-coordinate second moment r^2/d of the data
scale = r**2 / d
measured = mf.locate_bifurcation(order_parameter, 0.1 * scale, 10 * scale)
jump = cr.measure_heat_capacity_jump(kl_at_fixed_point, measured, p.heat_capacity_window)
beta = cr.measure_beta(order_parameter, measured, p.reduced_window)

t = t_c * np.linspace(p.t_min, p.t_max, p.n)
u = order_parameter(t)
chi_par, chi_perp = sp.sphere_susceptibility_eigenvalues(u, t, r, d)
away = np.abs(t / t_c - 1) > 2e-3  # heat capacity stencil must not straddle T_c
heat = np.full_like(t, np.nan)
heat[away] = cr.heat_capacity(kl_at_fixed_point, t[away], 1e-4 * t_c)
log.info(
    "d=%d r=%g: T_c %g located %.12g; jump %.6f; beta %.5f",
    d,
    r,
    t_c,
    measured,
    jump.jump,
    beta.slope,
)
tio.save_npz(
    snakemake.output.path,
    temperature=t,
    order_parameter=u,
    landau=sp.sphere_landau_order_parameter(t, r, d),
    chi_parallel=chi_par,
    chi_perp=chi_perp,
    heat_capacity=heat,
    d=d,
    radius=r,
    critical_temperature=t_c,
)
tio.write_json(
    snakemake.output.summary,
    {
        "d": d,
        "radius": r,
        "predicted": t_c,
        "measured": measured,
        "heat_capacity": jump.summary(),
        "predicted_jump": (d + 2) / 2,
        "beta": beta.summary(),
    },
)
