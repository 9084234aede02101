"""Random-energy thermodynamics of sampled datasets: memorization as condensation (paper §11).

docs/theory.md §Random energy model and memorization. For N training points drawn i.i.d. from p(y) and a noisy state x at temperature
``T = sigma**2`` (VE convention, :mod:`thermodiff.schedules`), the empirical Boltzmann weights
``w_n = exp(-||x - y_n||^2 / 2T) / Z`` are those of a Random Energy Model with ``N = e^{alpha d}``
states. While ``log N > KL(q_T || p)`` (``q_T`` the tilted law ``p(y) e^{-||x-y||^2/2T}``) many
points share the weight (annealed phase); below the condensation temperature ``T_c`` the weight
freezes onto O(1) training points: the denoiser returns a training point (memorization).

* Isotropic Gaussian data ``y ~ N(0, s^2 I_d)``: ``T_c(N, d) = s^2 / (N^{2/d} - 1)``, large-d limit
  ``s^2 d / (2 ln N)``; retrieval capacity ``N_max(T) = (1 + s^2/T)^{d/2}`` (docs/theory.md §Hopfield memory).
* Binary patterns ``y in {-1, +1}^d``: ``alpha = E_z g((1 + sigma z) / sigma^2)`` with
  ``g(u) = u tanh u - log cosh u``.
* Frozen phase: ``E[Y_2] = 1 - mu``, ``mu = beta' / beta`` (REM / Poisson-Dirichlet).

The simulation part measures the same things on sampled pattern sets with the exact kernel of
:mod:`thermodiff.denoisers`: posterior summaries of noised cues (:func:`cue_sweep`) and the
generative dynamics (:func:`thermodiff.dynamics.reverse_sde` with the empirical score) recording
how close its outputs are to training points (:func:`memorization_run`). The analyses of the rem
stage built on them (crossings, widths, onsets, claims) are in :mod:`thermodiff.stages.rem`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from thermodiff.denoisers import empirical_denoiser, nearest_neighbours, posterior_stats
from thermodiff.dynamics import gaussian_noise, reverse_sde

# ---------------------------------------------------------------------------------------------
# Theory: isotropic Gaussian patterns


def critical_temperature(n_points: ArrayLike, dim: ArrayLike, s2: float = 1.0) -> NDArray:
    """Condensation temperature of N isotropic Gaussian patterns, ``T_c = s^2 / (N^{2/d} - 1)``.

    Parameters
    ----------
    n_points : array_like
        N, number of training points (> 1).
    dim : array_like
        d, dimension (broadcast against ``n_points``).
    s2 : float
        Data variance per coordinate, ``y ~ N(0, s2 I_d)``.

    Notes
    -----
    From ``log N = KL(q_{T_c} || p) = (d/2) log(1 + s^2 / T_c)`` (docs/theory.md §Random energy model and memorization), evaluated as
    ``s2 / expm1(2 ln N / d)`` to keep precision when ``ln N << d``.
    """
    n_points = np.asarray(n_points, dtype=float)
    dim = np.asarray(dim, dtype=float)
    return s2 / np.expm1(2.0 * np.log(n_points) / dim)


def critical_temperature_spectrum(n_points: float, eigenvalues: ArrayLike) -> float:
    """Condensation temperature of N Gaussian patterns ``y ~ N(mu, C)`` with spectrum ``lambda_i``.

    Root of ``(1/2) sum_i log(1 + lambda_i / T) = ln N``: the isotropic condition of
    :func:`critical_temperature` applied per principal direction (for a typical cue the KL of the
    tilted law splits into ``(1/2) log(1 + lambda_i / T)`` per direction). Zero eigenvalues do not
    contribute; for ``lambda_i = s^2`` it reduces to ``s^2 / (N^{2/d} - 1)``.

    Parameters
    ----------
    n_points : float
        N.
    eigenvalues : array_like of shape (d,)
        Eigenvalues of the data covariance (negative round-off is clipped to 0).
    """
    lam = np.clip(np.asarray(eigenvalues, dtype=float), 0.0, None)
    lam = lam[lam > 0]
    target = np.log(n_points)
    if 0.5 * lam.size * np.log1p(lam.max() / 1e-300) < target:
        raise ValueError("N exceeds what the spectrum can hold at any T > 0")

    def excess(log_t: float) -> float:
        return 0.5 * np.log1p(lam / np.exp(log_t)).sum() - target

    lo, hi = np.log(lam.max()) - 50.0, np.log(lam.sum()) + 5.0
    return float(np.exp(brentq(excess, lo, hi, xtol=1e-14)))


def critical_temperature_large_d(n_points: ArrayLike, dim: ArrayLike, s2: float = 1.0) -> NDArray:
    """Large-d limit ``T_c = s^2 d / (2 ln N)`` (valid for ``d >> ln N``)."""
    return s2 * np.asarray(dim, dtype=float) / (2.0 * np.log(np.asarray(n_points, dtype=float)))


def capacity(temperature: ArrayLike, dim: ArrayLike, s2: float = 1.0) -> NDArray:
    """Retrieval capacity ``N_max(T) = (1 + s^2 / T)^{d/2}`` (docs/theory.md §Hopfield memory): N with T_c(N) = T."""
    return np.exp(log_capacity(temperature, dim, s2))


def log_capacity(temperature: ArrayLike, dim: ArrayLike, s2: float = 1.0) -> NDArray:
    """``log N_max = (d/2) log(1 + s^2 / T)``."""
    t = np.asarray(temperature, dtype=float)
    return 0.5 * np.asarray(dim, dtype=float) * np.log1p(s2 / t)


def rem_participation(
    temperature: ArrayLike, n_points: float, dim: float, s2: float = 1.0
) -> NDArray[np.float64]:
    """REM prediction of ``E[Y_2]`` for a cue typical of the noised population; 0 above T_c.

    Parameters
    ----------
    temperature : array_like of shape (K,)
        T = sigma**2.
    n_points, dim, s2 : float
        N, d and the data variance.

    Notes
    -----
    In the frozen phase ``E[Y_2] = 1 - mu`` with ``mu = beta'/beta``, where the freezing inverse
    temperature ``beta'`` of the cue's REM solves ``KL(q_{beta'} || p) = ln N``. For Gaussian data
    and ``||x||^2 = d (s^2 + sigma^2)``, with ``a = beta' s^2`` (docs/theory.md §Random energy model and memorization):

        (1/2) [1/(1+a) - 1 + log(1+a) + a^2 (1 + sigma^2/s^2) / (1+a)^2] = ln N / d,
        mu = a sigma^2 / s^2.

    At ``T = T_c`` the root is ``a = s^2 / T_c`` and ``mu = 1``. Above ``T_c`` the annealed phase
    has ``Y_2 -> 0`` as ``d -> inf``; this function returns 0 there.
    """
    temps = np.atleast_1d(np.asarray(temperature, dtype=float))
    rate = np.log(n_points) / dim
    out = np.zeros_like(temps)
    for i, t in enumerate(temps):
        r = t / s2

        def kl(a: float, r: float = r) -> float:
            return 0.5 * (1 / (1 + a) - 1 + np.log1p(a) + a**2 * (1 + r) / (1 + a) ** 2) - rate

        hi = 1.0
        while kl(hi) < 0:
            hi *= 2.0
        a = brentq(kl, 0.0, hi, xtol=1e-14, rtol=1e-14)
        out[i] = max(0.0, 1.0 - a * r)
    return out.reshape(np.shape(temperature))


# ---------------------------------------------------------------------------------------------
# Theory: binary (hypercube) patterns


def binary_kl_per_coordinate(u: ArrayLike) -> NDArray:
    """``g(u) = u tanh u - log cosh u``: KL of the tilted law ``p(y) e^{uy}`` from uniform.

    ``log cosh u`` is evaluated as ``|u| + log1p(e^{-2|u|}) - log 2`` (no overflow).
    """
    u = np.abs(np.asarray(u, dtype=float))
    return u * np.tanh(u) - (u + np.log1p(np.exp(-2.0 * u)) - np.log(2.0))


@functools.cache
def _gauss_hermite(n_nodes: int) -> tuple[NDArray, NDArray]:
    """Nodes and normalised weights for E_z f(z), z ~ N(0, 1)."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(n_nodes)
    return nodes, weights / weights.sum()


def binary_condensation_rate(temperature: ArrayLike, n_nodes: int = 201) -> NDArray:
    """``alpha(T) = E_z g((1 + sigma z) / sigma^2)``, ``sigma^2 = T``, by Gauss-Hermite quadrature.

    Per-coordinate KL of the tilted law for a cue ``x = y + sigma z`` next to the vertex ``y``
    (by symmetry take ``y_i = +1``). Decreases from ``log 2`` (T -> 0) to 0 (T -> inf).
    """
    nodes, weights = _gauss_hermite(n_nodes)
    t = np.asarray(temperature, dtype=float)[..., None]
    u = (1.0 + np.sqrt(t) * nodes) / t
    return (weights * binary_kl_per_coordinate(u)).sum(axis=-1)


def binary_critical_temperature(alpha: float) -> float:
    """Condensation temperature of ``N = e^{alpha d}`` binary patterns: root of alpha(T) = alpha.

    Parameters
    ----------
    alpha : float
        ``ln N / d``, in (0, log 2) (``N <= 2^d`` distinct vertices).
    """
    if not 0.0 < alpha < np.log(2.0):
        raise ValueError(f"alpha = ln N / d must lie in (0, log 2), got {alpha}")
    log_t = brentq(
        lambda log_t: float(binary_condensation_rate(np.exp(log_t))) - alpha,
        np.log(1e-4),
        np.log(1e8),
        xtol=1e-13,
    )
    return float(np.exp(log_t))


# ---------------------------------------------------------------------------------------------
# Annealed (self-averaging) own-point weight: the crossover curve without REM fluctuations


def annealed_own_weight(
    temperature: ArrayLike, n_points: float, dim: float, s2: float = 1.0
) -> NDArray[np.float64]:
    """Own-point weight of a typical cue ``x = y_0 + sigma z`` with the other N-1 weights annealed.

    Notes
    -----
    ``E_{y_m} exp(-||x - y_m||^2 / 2T) = (1 + s^2/T)^{-d/2} exp(-||x||^2 / 2(T + s^2))``; with the
    typical ``||x||^2 = d (s^2 + T)`` and ``||x - y_0||^2 = d T`` the rest of the partition function
    relative to the own term is ``(N - 1)(1 + s^2/T)^{-d/2}``, so

        w_own = 1 / (1 + (N - 1) (1 + s^2/T)^{-d/2}),

    which equals 1/2 at ``s^2 / ((N-1)^{2/d} - 1)``, i.e. T_c up to N -> N-1. Finite-size effects
    beyond this (REM fluctuations of the partition function, cue-to-cue fluctuations) are what the
    simulations measure.
    """
    t = np.asarray(temperature, dtype=float)
    log_rest = np.log(n_points - 1.0) - 0.5 * dim * np.log1p(s2 / t)
    return 1.0 / (1.0 + np.exp(log_rest))


def crossing_band(
    n_points: ArrayLike,
    dim: ArrayLike,
    s2: float = 1.0,
    critical: Callable[[ArrayLike, ArrayLike, float], ArrayLike] | None = None,
) -> tuple[NDArray, NDArray]:
    """Where the median own-point weight of noised training points crosses 1/2, as d -> inf:
    between ``T_c(N - 1)`` and ``T_c((N - 1) / 2)`` (:func:`critical_temperature`).

    Derivation. For a cue ``x = y_0 + sqrt(T) z`` the own weight is 1/2 when the partition function
    of the other ``N - 1`` points equals the own Boltzmann factor. Writing ``Z_rest = R E Z_rest``,
    the annealed part (:func:`annealed_own_weight`, cue fluctuations with median 0) gives the
    condition ``log(N - 1) - (d/2) log(1 + s^2 / T) = -log R``. ``Z_rest`` is a random-energy
    sum: for ``T`` above its freezing point ``R -> 1``, and at the freezing point itself the
    tilted energy law is centred on the extreme-value edge, so half its mass is missing and
    ``R -> 1/2`` (Bovier, Kurkova & Löwe 2002). Hence the crossing satisfies
    ``-log R in [0, log 2]``: ``T = s^2 / ((N - 1)^{2/d} e^{-2 delta / d} - 1)`` with
    ``delta in [0, log 2]``, i.e. ``T_c`` of ``N - 1`` (``delta = 0``) to ``(N - 1) / 2`` points
    (``delta = log 2``). The crossing lies *above* T_c (quenched ``Z_rest`` below its mean) and the
    band shrinks like ``2 log 2 (1 + T_c / s^2) / d`` in ``log T`` at fixed ``alpha = ln N / d``.

    The argument holds for any i.i.d. patterns: ``critical`` is their ``T_c(N, d, s2)``
    (:func:`critical_temperature` if not given, e.g. :func:`binary_critical_temperature` of
    ``ln N / d`` for binary patterns).

    Returns
    -------
    (lower, upper) : ndarrays broadcast from ``n_points`` and ``dim``
    """
    tc = critical_temperature if critical is None else critical
    n = np.asarray(n_points, dtype=float)
    return tc(n - 1.0, dim, s2), tc(0.5 * (n - 1.0), dim, s2)


def annealed_crossover_width(n_points: float, dim: float, level: float = 0.9) -> float:
    """``ln(T_lo / T_hi)`` between the temperatures where :func:`annealed_own_weight` equals
    ``1 - level`` and ``level``: ``T = s^2 / expm1(2 (ln(N-1) -+ logit(level)) / d)``.

    Independent of ``s2``. At fixed N it decreases with d towards
    ``ln((ln(N-1) + logit(level)) / (ln(N-1) - logit(level)))``; at fixed ``alpha = ln N / d`` it
    falls as 1/d.
    """
    logit = np.log(level / (1.0 - level))
    base = np.log(n_points - 1.0)
    if base <= logit:  # the weight never falls to 1 - level: (N - 1) < level / (1 - level)
        return float("nan")
    t_hot = 1.0 / np.expm1(2.0 * (base - logit) / dim)
    t_cold = 1.0 / np.expm1(2.0 * (base + logit) / dim)
    return float(np.log(t_hot / t_cold))


# ---------------------------------------------------------------------------------------------
# Simulations on sampled pattern sets


def cue_sweep(
    rng: np.random.Generator,
    y: NDArray,
    base: NDArray,
    temperatures: ArrayLike,
    *,
    own_index: ArrayLike | None = None,
    chunk_size: int | None = None,
) -> dict[str, NDArray]:
    """Posterior summaries of noised cues ``x_{k,b} = base_b + sqrt(T_k) z_b`` on a grid of T.

    The same ``z_b`` is used at every temperature (common random numbers: smooth curves in T).

    Parameters
    ----------
    rng : numpy Generator
        Draws ``z`` of shape (B, d).
    y : ndarray of shape (N, d)
        Training set.
    base : ndarray of shape (B, d)
        Cue centres: training points (then give ``own_index``) or fresh population draws.
    temperatures : array_like of shape (K,)
    own_index : array_like of int, shape (B,), optional
        Index in ``y`` of each cue's own point.

    Returns
    -------
    dict with ``participation``, ``max_weight``, ``entropy`` (and ``own_weight``), each (K, B).
    """
    temps = np.asarray(temperatures, dtype=float)
    n_cues, dim = base.shape
    z = rng.standard_normal((n_cues, dim))
    x = (base[None] + np.sqrt(temps)[:, None, None] * z[None]).reshape(-1, dim)
    own = None if own_index is None else np.tile(np.asarray(own_index), len(temps))
    stats = posterior_stats(
        x, y, np.repeat(temps, n_cues), mean=False, own_index=own, chunk_size=chunk_size
    )
    out = {
        "participation": stats.participation,
        "max_weight": stats.max_weight,
        "entropy": stats.entropy,
    }
    if own is not None:
        out["own_weight"] = stats.own_weight
    return {key: value.reshape(len(temps), n_cues) for key, value in out.items()}


# ---------------------------------------------------------------------------------------------
# Memorization in the generative dynamics


def memorization_run(
    rng: np.random.Generator,
    y: NDArray,
    n_samples: int,
    temperatures: ArrayLike,
    *,
    record: ArrayLike,
    chunk_size: int | None = None,
) -> dict[str, NDArray]:
    """Generate with the exact empirical score and record how close outputs are to training points.

    Runs :func:`thermodiff.dynamics.reverse_sde` with
    :func:`thermodiff.denoisers.empirical_denoiser` from the Gaussian prior
    ``N(mean(y), (T_0 + v) I)`` (``v`` = mean per-coordinate variance of ``y``) down the decreasing
    grid ``temperatures``. At the grid temperatures listed in ``record`` it stores, for the
    denoised output ``m(x_T, T)`` (what a sampler stopped at T returns), the ratio of the distances
    to the nearest and second-nearest training points and the largest posterior weight.

    Parameters
    ----------
    y : ndarray of shape (N, d)
    n_samples : int
        B, number of generated samples.
    temperatures : array_like of shape (K + 1,)
        Strictly decreasing integration grid.
    record : array_like of shape (R,)
        Temperatures (members of ``temperatures[:-1]``) at which to record.

    Returns
    -------
    dict with ``temperature`` (R,) increasing, ``nn_ratio`` (R, B) and ``max_weight`` (R, B).
    """
    temps = np.asarray(temperatures, dtype=float)
    record = np.asarray(record, dtype=float)
    if not np.all(np.isin(record, temps[:-1])):
        raise ValueError(
            "record temperatures must be points of the integration grid (but not its last)"
        )
    dim = y.shape[1]
    var = float(np.mean(np.var(y, axis=0)))
    x = y.mean(axis=0) + np.sqrt(temps[0] + var) * rng.standard_normal((n_samples, dim))
    denoiser = empirical_denoiser(y, chunk_size=chunk_size)
    rows: dict[float, tuple[NDArray, NDArray]] = {}

    def recording_denoiser(x_now: NDArray, t_now: float) -> NDArray:
        stats = denoiser.stats(x_now, t_now, mean=True)
        if t_now in record:
            dist, _ = nearest_neighbours(stats.mean, y, 2, chunk_size=chunk_size)
            rows[t_now] = (dist[:, 0] / dist[:, 1], stats.max_weight)
        return stats.mean

    reverse_sde(recording_denoiser, x, temps, gaussian_noise(rng, x.shape))
    order = np.sort(record)
    return {
        "temperature": order,
        "nn_ratio": np.stack([rows[t][0] for t in order]),
        "max_weight": np.stack([rows[t][1] for t in order]),
    }


def memorized_fraction(nn_ratio: ArrayLike, threshold: float = 1.0 / 3.0) -> NDArray[np.float64]:
    """Fraction of samples whose nearest training point is ``1/threshold`` times closer than the
    second nearest: ``mean_b [d_1 / d_2 < threshold]`` over the last axis."""
    return np.mean(np.asarray(nn_ratio) < threshold, axis=-1)
