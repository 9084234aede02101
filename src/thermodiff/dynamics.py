"""Generative dynamics: the reverse-time process in the VE temperature clock (paper §7–8).

Forward process ``dx = dW_T`` with the temperature ``T = sigma**2`` as clock (docs/theory.md §Conventions), so
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


# ---------------------------------------------------------------------------------------------
# Ensembles of trajectories, vectorised over trajectories and chunked in memory


def _chunks(n: int, chunk_size: int) -> list[tuple[int, int, int]]:
    """``(index, lo, hi)`` of consecutive blocks of at most ``chunk_size`` trajectories."""
    return [(i, lo, min(lo + chunk_size, n)) for i, lo in enumerate(range(0, n, chunk_size))]


def sample_paths(
    denoiser: Denoiser,
    x0: NDArray,
    temperatures: Sequence[float],
    *,
    seed: int,
    sde: bool = True,
    record: Sequence[int] = (),
    chunk_size: int = 4096,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Reverse SDE (``sde=True``) or probability-flow ODE for an ensemble, chunk by chunk.

    Every block of ``chunk_size`` trajectories is integrated by :func:`reverse_sde` with its own
    generator ``default_rng([seed, block])``, so memory is O(chunk_size * d * len(record)) beyond
    the output, and the result depends on (seed, chunk_size) only, never on the machine.

    Parameters
    ----------
    denoiser : callable ``(x (B, d), T) -> m (B, d)``
        Exact posterior mean (e.g. :func:`thermodiff.meanfield.two_delta_magnetisation`).
    x0 : ndarray of shape (B, d)
        States at ``temperatures[0]``.
    temperatures : sequence of float, shape (K + 1,)
        Decreasing grid.
    record : sequence of int
        Grid indices at which the states are kept (0 ... K).

    Returns
    -------
    final : ndarray of shape (B, d)
        States at ``temperatures[-1]``.
    recorded : ndarray of shape (len(record), B, d)
        States at ``temperatures[record]``.
    """
    x0 = np.asarray(x0, dtype=float)
    n, dim = x0.shape
    wanted = {int(k): j for j, k in enumerate(record)}
    final = np.empty((n, dim))
    recorded = np.empty((len(wanted), n, dim))
    for block, lo, hi in _chunks(n, chunk_size):
        rng = np.random.default_rng([int(seed), block])

        def keep(k, t, x, lo=lo, hi=hi):
            if k in wanted:
                recorded[wanted[k], lo:hi] = x

        noise = gaussian_noise(rng, (hi - lo, dim)) if sde else None
        final[lo:hi] = reverse_sde(denoiser, x0[lo:hi], temperatures, noise, callback=keep)
    return final, recorded


def kick_sensitivity(
    denoiser: Denoiser,
    x0: NDArray,
    temperatures: Sequence[float],
    kick_steps: Sequence[int],
    *,
    delta: float,
    direction: NDArray,
    seed: int,
    chunk_size: int = 2048,
) -> NDArray[np.float64]:
    """Sensitivity of the generated outcome to a kick at each grid temperature (common noise).

    For every trajectory b and kick index k, two copies of the reverse SDE are run with the same
    noise as the unkicked trajectory, one displaced by ``+delta e`` and one by ``-delta e`` just
    before the step at ``temperatures[k]`` (``e = direction``). The outcome is the side of the
    generated sample, ``O = 1[x_final . e > 0]``, and the per-trajectory central difference

        s_bk = (O(+delta) - O(-delta)) / (2 delta)

    estimates ``d P(outcome) / d x`` along e; its ensemble mean is the sensitivity S(T_k), an
    antithetic estimate with bias O(delta**2) and variance ~ S / (2 delta B). All 2K copies of a
    block of trajectories are integrated as one batch (they share the noise by construction).

    Parameters
    ----------
    x0 : ndarray of shape (B, d)
        Starting states at ``temperatures[0]`` (e.g. samples of the exact p_T there).
    kick_steps : sequence of int, shape (K,)
        Grid indices of the kicks (0 <= k < len(temperatures) - 1).
    direction : ndarray of shape (d,)
        Unit kick direction; also the axis that defines the outcome.

    Returns
    -------
    ndarray of shape (B, K)
        ``s_bk`` in {-1/(2 delta), 0, 1/(2 delta)}.
    """
    x0 = np.asarray(x0, dtype=float)
    n, dim = x0.shape
    e = np.asarray(direction, dtype=float).reshape(dim)
    kicks = np.asarray(kick_steps, dtype=int)
    n_kicks = len(kicks)
    temps = [float(t) for t in temperatures]
    out = np.empty((n, n_kicks))
    for block, lo, hi in _chunks(n, chunk_size):
        rng = np.random.default_rng([int(seed), block])
        b = hi - lo
        # copies: (2, K, b, d); copy (s, j) is kicked by s*delta at step kicks[j]
        x = np.broadcast_to(x0[lo:hi], (2, n_kicks, b, dim)).copy()
        sign = np.array([1.0, -1.0])[:, None, None, None]
        for k in range(len(temps) - 1):
            hit = kicks == k
            if hit.any():
                x[:, hit] += sign * delta * e
            z = rng.standard_normal((b, dim))
            t_now, dt = temps[k], temps[k] - temps[k + 1]
            flat = x.reshape(-1, dim)
            drift = (np.asarray(denoiser(flat, t_now)) - flat) / t_now
            x = (flat + dt * drift).reshape(x.shape) + np.sqrt(dt) * z
        side = (x @ e > 0).astype(float)  # (2, K, b)
        out[lo:hi] = ((side[0] - side[1]) / (2.0 * delta)).T
    return out


# ---------------------------------------------------------------------------------------------
# Free energy along trajectories and the equilibrium reading (docs/theory.md §Reverse dynamics)


def free_energy_increments(free_energy: NDArray) -> NDArray[np.float64]:
    """Step changes ``F(x_{k+1}, T_{k+1}) - F(x_k, T_k)`` along recorded paths, shape (R-1, B).

    ``free_energy`` has shape (R, B): F evaluated on the recorded states of B trajectories.
    Along the probability-flow ODE, ``dF/dT = |x - m|**2 / (2T) + KL >= 0``, so every increment
    while cooling is <= 0 up to the integration error.
    """
    return np.diff(np.asarray(free_energy, dtype=float), axis=0)


def ks_distance(samples: NDArray, cdf: Callable[[NDArray], NDArray]) -> float:
    """Kolmogorov-Smirnov distance ``sup_x |F_n(x) - cdf(x)|`` of 1-D ``samples`` (n,)."""
    x = np.sort(np.asarray(samples, dtype=float))
    n = len(x)
    c = np.asarray(cdf(x), dtype=float)
    upper = np.arange(1, n + 1) / n - c
    lower = c - np.arange(0, n) / n
    return float(max(upper.max(), lower.max()))


def ks_critical_value(n: int, alpha: float) -> float:
    """Distance exceeded with probability ``alpha`` by n exact samples (Kolmogorov limit law)."""
    from scipy.stats import kstwobign

    return float(kstwobign.isf(alpha) / np.sqrt(n))


def two_delta_cdf(x: NDArray, temperature: float, a: float) -> NDArray[np.float64]:
    """CDF of the noised two-delta law ``p_T = [N(a, T) + N(-a, T)] / 2`` (heat kernel)."""
    from scipy.special import ndtr

    s = np.sqrt(temperature)
    x = np.asarray(x, dtype=float)
    return 0.5 * (ndtr((x - a) / s) + ndtr((x + a) / s))


def sample_noised(y: NDArray, temperature: float, n: int, rng: np.random.Generator) -> NDArray:
    """n exact samples of ``p_T``: a uniformly drawn data point plus ``sqrt(T)`` noise, (n, d)."""
    y = np.asarray(y, dtype=float)
    idx = rng.integers(0, len(y), n)
    return y[idx] + np.sqrt(temperature) * rng.standard_normal((n, y.shape[1]))
