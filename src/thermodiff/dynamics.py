"""Generative dynamics: the reverse-time process in the VE temperature clock (paper §7–8).

Forward process ``dx = dW_T`` with the temperature ``T = sigma**2`` as clock (physics.md §1.1), so
``x_T = y + sqrt(T) eps``. By Tweedie, the score is ``(m(x, T) - x) / T`` with ``m`` the optimal
denoiser (the magnetisation). Cooling from ``T_k`` to ``T_{k+1} < T_k`` with step
``dT = T_k - T_{k+1}``, the reverse SDE and the probability-flow ODE read (Euler-Maruyama / Euler)

    SDE: x <- x + dT (m(x, T_k) - x) / T_k + sqrt(dT) z,
    ODE: x <- x + dT (m(x, T_k) - x) / (2 T_k).

The integrator is array-library agnostic: it only adds and scales arrays, so numpy arrays and
torch tensors both work, provided ``denoiser`` and ``noise`` return the same kind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

Denoiser = Callable[[Any, float], Any]


def geometric_temperatures(t_max: float, t_min: float, n_steps: int) -> NDArray[np.float64]:
    """Decreasing temperature grid ``T_0 = t_max > ... > T_n = t_min``, equal ratios, shape (n_steps + 1,)."""
    if not (t_max > t_min > 0):
        raise ValueError(f"need t_max > t_min > 0, got t_max={t_max}, t_min={t_min}")
    return np.geomspace(t_max, t_min, n_steps + 1)


def gaussian_noise(rng: np.random.Generator, shape: Sequence[int]) -> Callable[[int], NDArray]:
    """Noise source for :func:`reverse_sde`: standard normal draws of ``shape`` from ``rng``."""
    return lambda step: rng.standard_normal(shape)


def reverse_sde(
    denoiser: Denoiser,
    x: Any,
    temperatures: Sequence[float],
    noise: Callable[[int], Any] | None,
    *,
    callback: Callable[[int, float, Any], None] | None = None,
) -> Any:
    """Integrate the generative dynamics down the decreasing grid ``temperatures``.

    Parameters
    ----------
    denoiser : callable ``(x, T) -> m``
        Optimal (or learned) denoiser E[y | x, T]; ``x`` of shape (B, d) at temperature ``T``.
    x : array of shape (B, d)
        States at ``temperatures[0]``.
    temperatures : sequence of float, shape (K + 1,)
        Strictly decreasing temperature grid.
    noise : callable ``step -> array (B, d)`` or None
        Standard normal increments for step ``k`` (reuse the same callable for common random
        numbers); ``None`` integrates the probability-flow ODE instead of the SDE.
    callback : callable ``(k, T_k, x_k)``, optional
        Called before every step and once at the end (``k = K``), e.g. to record trajectories.

    Returns
    -------
    array of shape (B, d)
        States at ``temperatures[-1]``.
    """
    temperatures = [float(t) for t in temperatures]
    for k in range(len(temperatures) - 1):
        t_now, t_next = temperatures[k], temperatures[k + 1]
        if callback is not None:
            callback(k, t_now, x)
        dt = t_now - t_next
        drift = (denoiser(x, t_now) - x) / t_now
        if noise is None:
            x = x + (0.5 * dt) * drift
        else:
            x = x + dt * drift + np.sqrt(dt) * noise(k)
    if callback is not None:
        callback(len(temperatures) - 1, temperatures[-1], x)
    return x
