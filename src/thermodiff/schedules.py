"""Time, noise and temperature: the one place where schedules are converted.

Convention of the whole code base (docs/theory.md §Conventions): the variance-exploding (VE) forward process
``x = y + sigma * eps`` with temperature ``T = sigma**2`` and inverse temperature ``beta = 1/T``.
Generation cools the system from ``T = inf`` (pure noise) to ``T = 0`` (data).

Variance-preserving (VP / DDPM / Ornstein-Uhlenbeck) processes ``x_vp = theta * y + sqrt(1 - theta**2) * eps``
map onto VE by the rescaling ``x_ve = x_vp / theta``, which gives

    T = (1 - alpha_bar) / alpha_bar,   alpha_bar = theta**2 = 1 / (1 + T),

and with Ornstein-Uhlenbeck time ``s`` (``theta = exp(-s)``): ``T = exp(2 s) - 1``, ``s = log(1 + T) / 2``.
Nothing else in the code base re-derives a schedule.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

# ---------------------------------------------------------------------------------------------
# VE: sigma <-> T


def temperature_from_sigma(sigma: ArrayLike) -> NDArray[np.float64]:
    """T = sigma**2."""
    return np.square(np.asarray(sigma, dtype=float))


def sigma_from_temperature(temperature: ArrayLike) -> NDArray[np.float64]:
    """sigma = sqrt(T)."""
    return np.sqrt(np.asarray(temperature, dtype=float))


# ---------------------------------------------------------------------------------------------
# VP: alpha_bar, OU time s, theta <-> T


def temperature_from_alpha_bar(alpha_bar: ArrayLike) -> NDArray[np.float64]:
    """T = (1 - alpha_bar) / alpha_bar (docs/theory.md §Conventions)."""
    alpha_bar = np.asarray(alpha_bar, dtype=float)
    return (1.0 - alpha_bar) / alpha_bar


def alpha_bar_from_temperature(temperature: ArrayLike) -> NDArray[np.float64]:
    """alpha_bar = 1 / (1 + T)."""
    return 1.0 / (1.0 + np.asarray(temperature, dtype=float))


def temperature_from_ou_time(s: ArrayLike) -> NDArray[np.float64]:
    """T = exp(2 s) - 1 for the OU/VP process with theta = exp(-s)."""
    return np.expm1(2.0 * np.asarray(s, dtype=float))


def ou_time_from_temperature(temperature: ArrayLike) -> NDArray[np.float64]:
    """s = log(1 + T) / 2."""
    return 0.5 * np.log1p(np.asarray(temperature, dtype=float))


def theta_from_ou_time(s: ArrayLike) -> NDArray[np.float64]:
    """Signal scale theta = exp(-s) (alpha_bar = theta**2)."""
    return np.exp(-np.asarray(s, dtype=float))


def ve_from_vp(x_vp: ArrayLike, theta: ArrayLike) -> NDArray[np.float64]:
    """Map a VP state to the VE state with the same posterior: x_ve = x_vp / theta."""
    return np.asarray(x_vp, dtype=float) / np.asarray(theta, dtype=float)


def vp_from_ve(x_ve: ArrayLike, theta: ArrayLike) -> NDArray[np.float64]:
    """Inverse of :func:`ve_from_vp`: x_vp = theta * x_ve."""
    return np.asarray(x_ve, dtype=float) * np.asarray(theta, dtype=float)


# ---------------------------------------------------------------------------------------------
# Discrete DDPM and continuous VP-SDE schedules (for display in DDPM units)


def ddpm_alpha_bar(
    beta_min: float = 1e-4, beta_max: float = 0.02, n_steps: int = 1000
) -> NDArray[np.float64]:
    """alpha_bar_t = prod_{i<=t} (1 - beta_i) for the linear DDPM schedule, shape (n_steps,).

    Entry ``t - 1`` belongs to step ``t`` (steps are numbered 1..n_steps).
    """
    betas = np.linspace(beta_min, beta_max, n_steps)
    return np.cumprod(1.0 - betas)


def ddpm_step_from_temperature(
    temperature: float, beta_min: float = 1e-4, beta_max: float = 0.02, n_steps: int = 1000
) -> int:
    """First DDPM step t (1-based) whose alpha_bar_t <= 1/(1+T), i.e. whose VE temperature >= T."""
    alpha_bar = ddpm_alpha_bar(beta_min, beta_max, n_steps)
    below = np.nonzero(alpha_bar <= alpha_bar_from_temperature(temperature))[0]
    if below.size == 0:
        raise ValueError(f"temperature {temperature} is never reached by the schedule")
    return int(below[0]) + 1


def vp_sde_alpha_bar(t: ArrayLike, beta_min: float = 0.1, beta_max: float = 20.0) -> NDArray:
    """alpha_bar(t) = exp(-beta_min t - t**2 (beta_max - beta_min) / 2) of the VP-SDE, t in [0, 1]."""
    t = np.asarray(t, dtype=float)
    return np.exp(-beta_min * t - 0.5 * t**2 * (beta_max - beta_min))


def vp_sde_time_from_temperature(
    temperature: float, beta_min: float = 0.1, beta_max: float = 20.0
) -> float:
    """Continuous VP-SDE time t at which the VE temperature equals ``temperature``.

    Solves beta_min t + (beta_max - beta_min) t**2 / 2 = log(1 + T) for t >= 0.
    """
    c = float(np.log1p(temperature))
    a = 0.5 * (beta_max - beta_min)
    if a == 0.0:
        return c / beta_min
    return float((-beta_min + np.sqrt(beta_min**2 + 4.0 * a * c)) / (2.0 * a))
