"""Equilibrium (mean-field) picture of generative diffusion (paper §3–7, physics.md §1–4).

The clean datum y is the microscopic state, the noisy state x an external field:
``H(y; x) = |x - y|**2 / 2``, Boltzmann weight ``p(y) exp(-H / T)`` with ``T = sigma**2`` (VE).
Free energy ``F(x, T) = -T log Z``, magnetisation ``m(x, T) = E[y | x, T]`` (the optimal
denoiser), susceptibility ``chi = dm/dx = Cov[y | x] / T``. Fixed points of the generative drift
solve the equation of state ``x = m(x, T)``; the critical point is ``lambda_max(chi(x*)) = 1``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

# ---------------------------------------------------------------------------------------------
# Example 1: two deltas at +-a (physics.md §3.1)


def two_delta_magnetisation(x: ArrayLike, temperature: ArrayLike, a: float = 1.0) -> NDArray:
    """m(x, T) = a tanh(a x / T): the optimal denoiser of p(y) = (delta(y - a) + delta(y + a)) / 2."""
    return a * np.tanh(a * np.asarray(x, dtype=float) / np.asarray(temperature, dtype=float))


def two_delta_free_energy(x: ArrayLike, temperature: ArrayLike, a: float = 1.0) -> NDArray:
    """F(x, T) = (x**2 + a**2) / 2 - T log cosh(a x / T), up to x-independent terms.

    ``log cosh`` is evaluated as ``|u| + log1p(exp(-2|u|)) - log 2`` so that low temperatures
    (large ``a x / T``) do not overflow. Broadcasts over ``x`` and ``temperature``.
    """
    x = np.asarray(x, dtype=float)
    temperature = np.asarray(temperature, dtype=float)
    u = np.abs(a * x / temperature)
    log_cosh = u + np.log1p(np.exp(-2.0 * u)) - np.log(2.0)
    return 0.5 * (x**2 + a**2) - temperature * log_cosh


def two_delta_critical_temperature(a: float = 1.0) -> float:
    """Closed form T_c = a**2: where the bare susceptibility at the origin, a**2 / T, reaches 1."""
    return float(a) ** 2


def two_delta_order_parameter(
    temperature: ArrayLike, a: float = 1.0, tol: float = 1e-14, max_iter: int = 500
) -> NDArray:
    """Largest non-negative root x* of x = a tanh(a x / T), vectorised over ``temperature``.

    Newton's method on ``f(x) = x - a tanh(a x / T)`` started at ``x = a``: ``f`` is convex for
    x > 0 and ``f(a) > 0``, so the iterates decrease monotonically to the largest root (0 above
    T_c, the broken-symmetry branch below).
    """
    temperature = np.asarray(temperature, dtype=float)
    x = np.full_like(temperature, float(a))
    for _ in range(max_iter):
        u = a * x / temperature
        f = x - a * np.tanh(u)
        slope = 1.0 - (a * a / temperature) / np.cosh(u) ** 2
        step = np.where(slope > 0, f / np.where(slope > 0, slope, 1.0), 0.5 * x)
        x = np.maximum(x - step, 0.0)
        if np.all(np.abs(step) <= tol * max(1.0, abs(a))):
            break
    return x


def locate_bifurcation(
    order_parameter, t_low: float, t_high: float, n_scan: int = 200, window: float = 1e-3
) -> float:
    """Temperature where the broken branch of a pitchfork merges with the symmetric one.

    Numerical route independent of linear stability: scan ``order_parameter(T)`` on
    ``[t_low, t_high]`` to bracket the last temperature with a non-zero solution, then fit
    ``x*(T)**2`` linearly on ``T in [T_b (1 - window), T_b (1 - window / 10)]`` below the bracket
    and return the zero of the fit (Landau: ``x*^2`` is linear in ``T_c - T`` near a pitchfork).

    Parameters
    ----------
    order_parameter : callable, ``T (K,) -> x* (K,)``
        Solver of the equation of state on the broken branch (0 where only x* = 0 exists).
    t_low, t_high : float
        Scan range; ``order_parameter(t_low) > 0`` and ``order_parameter(t_high) == 0`` required.
    """
    grid = np.linspace(t_low, t_high, n_scan)
    broken = order_parameter(grid) > 1e-6
    if not broken[0] or broken[-1]:
        raise ValueError(f"no bifurcation bracketed in [{t_low}, {t_high}]")
    t_bracket = grid[np.argmin(broken) - 1]
    # refine the bracket by bisection on "a non-zero solution exists"
    lo, hi = t_bracket, grid[np.argmin(broken)]
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if order_parameter(np.array([mid]))[0] > 1e-6:
            lo = mid
        else:
            hi = mid
    temps = np.linspace(lo * (1.0 - window), lo * (1.0 - window / 10.0), 20)
    slope, intercept = np.polyfit(temps, order_parameter(temps) ** 2, 1)
    return float(-intercept / slope)
