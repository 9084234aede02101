"""Critical exponents of the two-delta model (paper §6-7) by log-log fits over configured windows."""

import numpy as np

from thermodiff import critical as cr
from thermodiff import io as tio
from thermodiff import meanfield as mf

log = tio.start_job(snakemake)
p = snakemake.params
a = float(p.a)  # data.two_delta.a
t_c = tio.read_json(snakemake.input.critical)["measured"]  # the located bifurcation


def order_parameter(t, h):
    return mf.two_delta_order_parameter(t, a, h)


def kl_at_fixed_point(t):
    return mf.two_delta_prior_kl(mf.two_delta_order_parameter(t, a), t, a)


beta = cr.measure_beta(order_parameter, t_c, p.reduced_window, p.n_points)
gamma = cr.measure_gamma(order_parameter, t_c, p.reduced_window, p.n_points)
delta = cr.measure_delta(order_parameter, t_c, p.field_window, p.n_points)
jump = cr.measure_heat_capacity_jump(kl_at_fixed_point, t_c, p.heat_capacity_window, p.n_points)
t_curve = t_c * np.linspace(0.5, 1.5, 401)
t_curve = t_curve[np.abs(t_curve / t_c - 1) > 2e-3]  # the difference stencil must not straddle T_c
c_curve = cr.heat_capacity(kl_at_fixed_point, t_curve, 1e-4 * t_c)
log.info(
    "beta %.5f, gamma %.5f/%.5f (ratio %.5f), 1/delta %.5f, jump %.5f",
    beta.slope,
    -gamma.above.slope,
    -gamma.below.slope,
    gamma.ratio,
    delta.slope,
    jump.jump,
)
tio.save_npz(
    snakemake.output.fits,
    beta_eps=beta.x,
    beta_phi=beta.y,
    gamma_eps=gamma.above.x,
    chi_above=gamma.above.y,
    chi_below=gamma.below.y,
    delta_field=delta.x,
    delta_phi=delta.y,
    c_temperature=t_curve,
    c_value=c_curve,
    jump_eps=jump.eps,
    c_below=jump.c_below,
    c_above=jump.c_above,
    critical_temperature=t_c,
)
tio.write_json(
    snakemake.output.summary,
    {
        "a": a,
        "critical_temperature": t_c,
        "beta": beta.summary(),
        "gamma_above": gamma.above.summary(),
        "gamma_below": gamma.below.summary(),
        "gamma_ratio": gamma.ratio,
        "gamma_ratio_residual": gamma.ratio_residual,
        "delta": delta.summary(),
        "heat_capacity": jump.summary(),
    },
)
tio.finish_job(snakemake)
