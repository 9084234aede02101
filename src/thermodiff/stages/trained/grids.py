"""Sampler grids and training noise ranges of the trained stage, in units of a set's ``T_ref``.

Geometric in the VE temperature, from ``t_max_over_tc T_ref`` down to ``t_min_over_tc T_ref``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from thermodiff.dynamics import geometric_temperatures


def sampler_temperatures(
    t_ref: float, t_max_over_tc: float, t_min_over_tc: float, n_steps: int
) -> NDArray[np.float64]:
    """Geometric reverse-SDE grid from ``t_max_over_tc t_ref`` to ``t_min_over_tc t_ref``; (K+1,)."""
    return geometric_temperatures(t_max_over_tc * t_ref, t_min_over_tc * t_ref, n_steps)


def noise_range(noise: dict, t_ref: float) -> dict[str, float]:
    """Training noise levels ``sigma_min = sqrt(t_min_over_tc t_ref)`` and ``sigma_max =
    sqrt(t_max_over_tc t_ref)`` (``trained.noise`` settings) as TrainConfig keywords."""
    return {
        "sigma_min": float(np.sqrt(noise["t_min_over_tc"] * t_ref)),
        "sigma_max": float(np.sqrt(noise["t_max_over_tc"] * t_ref)),
    }


def indices_in_window(
    temperatures: NDArray, t_ref: float, low: float, high: float, every: int = 1
) -> list[int]:
    """Grid indices with ``low t_ref < T < high t_ref``, every ``every``-th (hottest first)."""
    inside = [k for k, t in enumerate(temperatures[:-1]) if low * t_ref < t < high * t_ref]
    return inside[::every]


def nearest_indices(temperatures: NDArray, targets: NDArray) -> list[int]:
    """Grid index nearest (in log T) to each target temperature, unique, hottest first."""
    log_t = np.log(np.asarray(temperatures[:-1]))
    picked = {int(np.argmin(np.abs(log_t - np.log(t)))) for t in np.atleast_1d(targets)}
    return sorted(picked)
