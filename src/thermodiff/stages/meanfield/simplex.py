"""Regular-simplex data (q vertices, paper §7): the first-order transition, what its job saves.

Closed forms and the solver are in :mod:`thermodiff.simplex`; :func:`simplex_solution` measures
the transitions of the equation of state, follows the minima on cooling and heating, and runs
reverse-SDE trajectories from ``x = 0`` through the window ``T_sym < T < T_1`` (exact score).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from thermodiff import estimators as est
from thermodiff import simplex as sx


def _generation_crossing(gen_t, gen_mean, gen_se, level, radius, g) -> dict[str, float]:
    # reverse SDE from x = 0: T where the mean projection on the committed vertex first exceeds
    # half the jump, against the Brownian-bridge prediction T_0 (1 - jump / 2r); its standard
    # error goes through the predicted slope r / T_0 of the bridge mean
    gen_cross = est.crossing(gen_t, gen_mean, level)
    k = int(np.argmin(np.abs(gen_t - gen_cross)))
    return {
        "n_paths": g["n_paths"],
        "n_steps": g["n_steps"],
        "t_start": float(gen_t[0]),
        "level": level,
        "predicted_crossing": float(gen_t[0] * (1.0 - level / radius)),
        "measured_crossing": gen_cross,
        "crossing_standard_error": float(gen_se[k] * gen_t[0] / radius),
        "grid_step": float(gen_t[max(k - 1, 0)] - gen_t[k]),
    }


def simplex_solution(
    y: ArrayLike,
    q: int,
    lambda_max: float,
    bracket: Sequence[float],
    n_starts: int,
    rel_tol: float,
    grid: Mapping[str, float],
    generation: Mapping[str, float],
) -> tuple[dict[str, NDArray], dict[str, object]]:
    """Predicted and measured transitions of the q vertices ``y`` (q, d) of a regular simplex
    whose top second-moment eigenvalue is ``lambda_max`` (``meanfield.simplex``; the vertex norm
    is :func:`thermodiff.simplex.simplex_radius`, never read back from ``y``).

    ``bracket`` (in units of ``T_sym``, the symmetric instability) is searched from
    ``n_starts`` starts to relative tolerance ``rel_tol``; ``grid`` (``t_max``, ``t_min``,
    ``n``, units of ``T_sym``) is the hysteresis grid; ``generation`` (``t_start``, ``t_end``,
    ``n_steps``, ``n_paths``, ``seed``) the reverse-SDE ensemble. Returns ``(arrays, summary)``;
    the summary's ``generation`` is ``None`` for q = 2 (no jump: the halfway level is degenerate).
    """
    y = np.asarray(y)
    if len(y) != q:
        raise ValueError(f"simplex data have {len(y)} vertices, not q = {q}")
    radius = sx.simplex_radius(q, lambda_max)
    t_sym = sx.instability_temperature(q, radius)
    predicted = {
        "instability_temperature": t_sym,
        "transition_temperature": sx.transition_temperature(q, radius),
        "spinodal_temperature": sx.spinodal_temperature(q, radius),
        "order_parameter_jump": sx.order_parameter_jump(q, radius),
    }
    m = sx.measure_transitions(
        y, bracket[0] * t_sym, bracket[1] * t_sym, n_starts=n_starts, rel_tol=rel_tol
    )
    measured = {
        "instability_temperature": m.instability,
        "transition_temperature": m.transition,
        "spinodal_temperature": m.spinodal,
        "order_parameter_jump": m.jump,
    }
    temps = t_sym * np.linspace(grid["t_max"], grid["t_min"], grid["n"])
    cooling, heating = sx.hysteresis(y, temps)
    t_branch, x_branch = sx.broken_branch(np.geomspace(1e-3, 12.0, 600), q, radius)
    landscape_t = np.array(
        [predicted[k] for k in ("spinodal_temperature", "transition_temperature")]
    )
    landscape_t = np.concatenate([landscape_t, [t_sym]])
    phi = np.linspace(-0.6 * radius, 1.05 * radius, 331)
    g = generation
    gen_t = t_sym * np.geomspace(g["t_start"], g["t_end"], g["n_steps"] + 1)
    gen_mean, gen_se = sx.generation_order_parameter(y, gen_t, g["n_paths"], g["seed"])
    level = 0.5 * predicted["order_parameter_jump"]  # halfway to the jump (q >= 3)
    crossing = _generation_crossing(gen_t, gen_mean, gen_se, level, radius, g) if q > 2 else None
    arrays = {
        "temperature": temps,
        "cooling": cooling,
        "heating": heating,
        "branch_temperature": t_branch,
        "branch_order_parameter": x_branch,
        "landscape_temperature": landscape_t,
        "phi": phi,
        "landscape": sx.vertex_free_energy(phi[None, :], landscape_t[:, None], q, radius),
        "generation_temperature": gen_t,
        "generation_mean": gen_mean,
        "generation_standard_error": gen_se,
        "generation_bridge": sx.bridge_order_parameter(gen_t, gen_t[0], radius),
        "q": np.int64(q),
        "radius": np.float64(radius),
        **{f"predicted_{k}": np.float64(v) for k, v in predicted.items()},
    }
    summary = {
        "q": q,
        "radius": radius,
        "predicted": predicted,
        "measured": measured,
        "vertex_alignment": m.vertex_alignment,
        "rel_tol": rel_tol,
        "n_starts": n_starts,
        "hessian_step": sx.HESSIAN_STEP,
        "symmetric_threshold": sx.SYMMETRIC_THRESHOLD,
        "free_energy_threshold": sx.FREE_ENERGY_THRESHOLD,
        "grid_step": float(abs(temps[1] - temps[0]) / t_sym),
        # adiabatic paths: where the followed minimum leaves x = 0 on cooling / returns on heating
        "cooling_jump_temperature": float(temps[np.argmax(cooling > 1e-6 * radius)]),
        "heating_jump_temperature": float(temps[::-1][np.argmax(heating[::-1] < 1e-6 * radius)]),
        "generation": crossing,
    }
    return arrays, summary
