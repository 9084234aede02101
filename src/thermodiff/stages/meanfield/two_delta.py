"""Two deltas at ``+-a`` (paper §5.1, exponents §6-7): what the two-delta jobs save.

``a`` is the config key ``data.two_delta.a``, passed to every job through its params; the
dataset itself is only checked against it (:func:`check_two_delta_data`), never read for ``a``.
Closed forms in :mod:`thermodiff.meanfield`, exponent fits in :mod:`thermodiff.critical`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from thermodiff import critical as cr
from thermodiff import meanfield as mf


def check_two_delta_data(y: ArrayLike, a: float) -> None:
    """Raise ``ValueError`` unless the points ``y`` (N, d) lie at ``+-a`` on the first axis: the
    dataset the closed forms of ``a`` describe (a stale dataset of another ``a`` stops the job)."""
    first = np.abs(np.asarray(y, dtype=float)[:, 0])
    if not np.array_equal(first, np.full_like(first, a)):
        raise ValueError(
            f"two-delta data lie at +-{first.max():g}, not at +-a = {a:g} (data.two_delta.a)"
        )


def two_delta_solution(
    a: float,
    temperatures: Sequence[float],
    x_max: float,
    n_grid: int,
    pitchfork: Mapping[str, float],
    bias_fields: Sequence[float],
) -> tuple[dict[str, NDArray], dict[str, NDArray], dict[str, float]]:
    """Landscape, pitchfork and located bifurcation of the two deltas at ``+-a``.

    ``temperatures`` (landscape) and the ``pitchfork`` grid (``t_min``, ``t_max``, ``n``, linear)
    are in units of ``T_c = a^2``; the landscape spans ``[-x_max a, x_max a]`` on ``n_grid``
    points; ``bias_fields`` are the prior biases ``h`` of the explicitly broken branches.
    Returns ``(landscape, pitchfork, critical)``: two sets of arrays and the summary
    ``{"a", "predicted" (closed form), "measured" (bifurcation located by scans)}``.
    """
    t_c = mf.two_delta_critical_temperature(a)
    temps = t_c * np.asarray(temperatures, dtype=float)
    x = np.linspace(-x_max * a, x_max * a, n_grid)
    landscape = {
        "x": x,
        "temperature": temps,
        "free_energy": mf.two_delta_free_energy(x[None, :], temps[:, None], a),
        "order_parameter": mf.two_delta_order_parameter(temps, a),
        "a": a,
        "critical_temperature": t_c,
    }
    t = t_c * np.linspace(pitchfork["t_min"], pitchfork["t_max"], pitchfork["n"])
    stable = mf.two_delta_order_parameter(t, a)
    fields = np.asarray(bias_fields, dtype=float)
    branches = {
        "temperature": t,
        "stable": stable,
        "symmetric_stable": mf.two_delta_symmetric_branch_stable(t, a),
        "chi_stable": mf.two_delta_susceptibility(stable, t, a),
        "chi_symmetric": mf.two_delta_susceptibility(0.0, t, a),
        "dressed": mf.two_delta_dressed_susceptibility(t, a),
        "bias_fields": fields,
        "majority": mf.two_delta_order_parameter(t[None, :], a, fields[:, None]),
        "minority": -mf.two_delta_order_parameter(t[None, :], a, -fields[:, None]),
        "a": a,
        "critical_temperature": t_c,
    }
    measured = mf.locate_bifurcation(
        lambda s: mf.two_delta_order_parameter(s, a), 0.2 * t_c, 2 * t_c
    )
    return landscape, branches, {"a": a, "predicted": t_c, "measured": measured}


def two_delta_exponents(
    a: float,
    t_c: float,
    reduced_window: Sequence[float],
    field_window: Sequence[float],
    heat_capacity_window: Sequence[float],
    n_points: int,
) -> tuple[dict[str, NDArray], dict[str, object]]:
    """Critical exponents of the two deltas by log-log fits around the located ``t_c``.

    ``beta`` and ``gamma`` (both sides) over the reduced window ``eps = |T - T_c| / T_c``,
    ``1/delta`` on the critical isotherm over ``field_window``, the heat-capacity jump from the
    prior KL at the fixed point over ``heat_capacity_window`` (:mod:`thermodiff.critical`).
    Returns ``(arrays, summary)``.
    """

    def order_parameter(t, h):
        return mf.two_delta_order_parameter(t, a, h)

    def kl_at_fixed_point(t):
        return mf.two_delta_prior_kl(mf.two_delta_order_parameter(t, a), t, a)

    beta = cr.measure_beta(order_parameter, t_c, reduced_window, n_points)
    gamma = cr.measure_gamma(order_parameter, t_c, reduced_window, n_points)
    delta = cr.measure_delta(order_parameter, t_c, field_window, n_points)
    jump = cr.measure_heat_capacity_jump(kl_at_fixed_point, t_c, heat_capacity_window, n_points)
    t_curve = t_c * np.linspace(0.5, 1.5, 401)
    t_curve = t_curve[np.abs(t_curve / t_c - 1) > 2e-3]  # the stencil must not straddle T_c
    c_curve = cr.heat_capacity(kl_at_fixed_point, t_curve, 1e-4 * t_c)
    arrays = {
        "beta_eps": beta.x,
        "beta_phi": beta.y,
        "gamma_eps": gamma.above.x,
        "chi_above": gamma.above.y,
        "chi_below": gamma.below.y,
        "delta_field": delta.x,
        "delta_phi": delta.y,
        "c_temperature": t_curve,
        "c_value": c_curve,
        "jump_eps": jump.eps,
        "c_below": jump.c_below,
        "c_above": jump.c_above,
        "critical_temperature": t_c,
    }
    summary = {
        "a": a,
        "critical_temperature": t_c,
        "beta": beta.summary(),
        "gamma_above": gamma.above.summary(),
        "gamma_below": gamma.below.summary(),
        "gamma_ratio": gamma.ratio,
        "gamma_ratio_residual": gamma.ratio_residual,
        "delta": delta.summary(),
        "heat_capacity": jump.summary(),
    }
    return arrays, summary
