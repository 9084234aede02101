"""Diffused Ising data (paper §5.4): the Curie-Weiss solution and the periodic chain.

Each builder returns what a job saves: ``(arrays, summary)`` or the summary alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from thermodiff import ising
from thermodiff import meanfield as mf


def diffused_ising_solution(
    y: ArrayLike,
    coupling: float,
    extrapolation_dims: ArrayLike,
    finite_dims: ArrayLike,
    grid: tuple[float, float, int],
) -> tuple[dict, dict]:
    """Diffused Curie-Weiss data ``y`` (N, d_data) at ``beta0 J = coupling``.

    Predicted ``T_c = 1/(1 - beta0 J)`` (d -> inf); measured: the exact finite-d ``T_c`` on the
    ladder ``extrapolation_dims`` extrapolated in 1/d. Curves of the homogeneous fixed point on
    ``grid = (t_min, t_max, n)`` in units of ``T_c(inf)``: infinite d, each of ``finite_dims``
    and ``d_data``, and the samples' empirical sector weights (``T_c = <M**2>/d`` of the samples).
    ``data_tc``: the exact finite-d T_c at ``d_data``, against ``bifurcation``, where the
    homogeneous fixed point at ``d_data`` bifurcates.
    """
    y = np.asarray(y)
    coupling, d_data = float(coupling), y.shape[1]
    t_inf = ising.curie_weiss_critical_temperature(coupling)
    ladder = np.asarray(extrapolation_dims)
    ladder_tc = np.array(
        [ising.curie_weiss_finite_critical_temperature(int(d), coupling) for d in ladder]
    )
    extrapolated, change = ising.extrapolate_in_inverse_dimension(ladder, ladder_tc)
    dims = sorted({*finite_dims, d_data})
    empirical_weights = ising.empirical_sector_log_weights(y)
    t_min, t_max, n = grid
    t = t_inf * np.linspace(t_min, t_max, n)
    arrays = {
        "temperature": t,
        "infinite": ising.curie_weiss_infinite_magnetisation(t, coupling),
        "finite_dims": dims,
        "ladder_dims": ladder,
        "ladder_tc": ladder_tc,
        "empirical": ising.homogeneous_fixed_point(t, empirical_weights),
    }
    for d in dims:
        arrays[f"finite_d{d}"] = ising.curie_weiss_homogeneous_fixed_point(t, d, coupling)
    arrays |= {"coupling": coupling, "critical_temperature": t_inf}
    spins = (2 * np.arange(d_data + 1) - d_data) ** 2 / d_data
    # independent route to the data-d T_c: where the homogeneous generative fixed point bifurcates
    data_tc = ising.curie_weiss_finite_critical_temperature(d_data, coupling)
    summary = {
        "coupling": coupling,
        "predicted": t_inf,
        "measured": extrapolated,
        "extrapolation_change": change,
        "ladder_dims": ladder,
        "ladder_tc": ladder_tc,
        "finite": {
            str(d): ising.curie_weiss_finite_critical_temperature(d, coupling) for d in dims
        },
        "data_d": d_data,
        "data_n_samples": len(y),
        "empirical_tc": float(np.exp(empirical_weights) @ spins),
        "data_tc": data_tc,
        "bifurcation": mf.locate_bifurcation(
            lambda t: ising.curie_weiss_homogeneous_fixed_point(t, d_data, coupling),
            0.7 * data_tc,
            1.3 * data_tc,
        ),
    }
    return arrays, summary


def ising_chain_summary(coupling: float, lengths: Sequence[int]) -> dict:
    """Periodic Ising chain at ``beta0 J = coupling``: ``T_c = S(k=0) = exp(2 beta0 J)``, and per
    length L the finite structure factor and ``lambda_max`` of the transfer-matrix covariance;
    ``bifurcation``: at the largest length <= 16, the bifurcation of the annealed fixed point of
    the enumerated chain law against the finite-L ``S(0)``."""
    finite = {
        str(length): {
            "structure_factor": ising.chain_critical_temperature(coupling, length),
            "lambda_max": float(np.linalg.eigvalsh(ising.chain_covariance(length, coupling))[-1]),
        }
        for length in lengths
    }
    # independent route at the largest enumerable length: the generative bifurcation of the exact
    # chain law (2^L weighted configurations) located with the point-data fixed-point solver
    length = max(n for n in lengths if n <= 16)
    y, log_weights = ising.chain_configurations(length, coupling)
    solve = mf.annealed_fixed_points(y, np.zeros(length), log_weights)
    t_l = ising.chain_critical_temperature(coupling, length)
    bifurcation = {
        "length": length,
        "predicted": t_l,
        "measured": mf.locate_bifurcation(
            lambda t: np.linalg.norm(solve(t), axis=1), 0.8 * t_l, 1.2 * t_l, n_scan=24
        ),
    }
    return {
        "coupling": coupling,
        "predicted": ising.chain_critical_temperature(coupling),
        "finite": finite,
        "largest_length": max(lengths),
        "bifurcation": bifurcation,
    }
