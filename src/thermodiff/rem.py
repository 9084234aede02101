"""Random-energy thermodynamics of sampled datasets: memorization as condensation (paper §11).

physics.md §8. For N training points drawn i.i.d. from p(y) and a noisy state x at temperature
``T = sigma**2`` (VE convention, :mod:`thermodiff.schedules`), the empirical Boltzmann weights
``w_n = exp(-||x - y_n||^2 / 2T) / Z`` are those of a Random Energy Model with ``N = e^{alpha d}``
states. While ``log N > KL(q_T || p)`` (``q_T`` the tilted law ``p(y) e^{-||x-y||^2/2T}``) many
points share the weight (annealed phase); below the condensation temperature ``T_c`` the weight
freezes onto O(1) training points: the denoiser returns a training point (memorization).

* Isotropic Gaussian data ``y ~ N(0, s^2 I_d)``: ``T_c(N, d) = s^2 / (N^{2/d} - 1)``, large-d limit
  ``s^2 d / (2 ln N)``; retrieval capacity ``N_max(T) = (1 + s^2/T)^{d/2}`` (§7).
* Binary patterns ``y in {-1, +1}^d``: ``alpha = E_z g((1 + sigma z) / sigma^2)`` with
  ``g(u) = u tanh u - log cosh u``.
* Frozen phase: ``E[Y_2] = 1 - mu``, ``mu = beta' / beta`` (REM / Poisson-Dirichlet).

The simulation half of the module measures the same things on sampled pattern sets with the exact
kernel of :mod:`thermodiff.denoisers`: participation and own-point weight against ``T / T_c`` for
cues from the noised population and from noised training points, the temperature at which the
median own-point weight crosses 1/2 (with a bootstrap error), the width of the crossover, and the
fraction of samples of the generative dynamics (:func:`thermodiff.dynamics.reverse_sde` with the
empirical score) that are copies of training points.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from thermodiff.claims import Claim, make_claim
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
    From ``log N = KL(q_{T_c} || p) = (d/2) log(1 + s^2 / T_c)`` (physics.md §8), evaluated as
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
    """Retrieval capacity ``N_max(T) = (1 + s^2 / T)^{d/2}`` (physics.md §7): N with T_c(N) = T."""
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
    and ``||x||^2 = d (s^2 + sigma^2)``, with ``a = beta' s^2`` (physics.md §8):

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


def _logit(p: NDArray) -> NDArray:
    # clipped so that a neighbour at exactly 0 or 1 (a fraction of finitely many samples) does not
    # pull the interpolated crossing onto itself
    p = np.clip(p, 1e-3, 1.0 - 1e-3)
    return np.log(p) - np.log1p(-p)


def crossing_temperature(temperatures: ArrayLike, curve: ArrayLike, level: float = 0.5) -> float:
    """Temperature at which a curve decreasing in T crosses ``level``.

    Takes the hottest grid point still at or above ``level`` and interpolates linearly in
    ``(log T, logit(curve))`` to the next point (a logistic crossover is a straight line there).
    Returns NaN if the curve never crosses on the grid.

    Parameters
    ----------
    temperatures : array_like of shape (K,)
        Increasing grid.
    curve : array_like of shape (K,)
        Values in [0, 1] (median own-point weight, fraction memorized...).
    """
    temps = np.asarray(temperatures, dtype=float)
    c = np.asarray(curve, dtype=float)
    above = np.nonzero(c >= level)[0]
    if above.size == 0 or above[-1] == len(c) - 1:
        return float("nan")
    k = above[-1]
    lo, hi = _logit(c[k]), _logit(c[k + 1])
    target = _logit(np.asarray(level))
    frac = 0.5 if lo == hi else (lo - target) / (lo - hi)
    log_t = np.log(temps[k]) + frac * (np.log(temps[k + 1]) - np.log(temps[k]))
    return float(np.exp(log_t))


def crossover_width(temperatures: ArrayLike, curve: ArrayLike, level: float = 0.9) -> float:
    """``ln(T_lo / T_hi)``: log-temperature span over which a decreasing curve falls from ``level``
    to ``1 - level`` (NaN if either crossing is off the grid)."""
    t_hi = crossing_temperature(temperatures, curve, level)
    t_lo = crossing_temperature(temperatures, curve, 1.0 - level)
    return float(np.log(t_lo / t_hi))


def bootstrap_median_curves(
    rng: np.random.Generator, values: NDArray, n_boot: int
) -> NDArray[np.float64]:
    """Medians over cues of ``n_boot`` resamplings (with replacement) of the cue axis.

    Parameters
    ----------
    values : ndarray of shape (K, B)
        Per-temperature, per-cue values.

    Returns
    -------
    ndarray of shape (n_boot, K)
    """
    n_cues = values.shape[1]
    idx = rng.integers(0, n_cues, size=(n_boot, n_cues))
    return np.median(values[:, idx], axis=2).T


def bootstrap_statistic(
    rng: np.random.Generator,
    temperatures: ArrayLike,
    values: NDArray,
    statistic,
    n_boot: int = 200,
    reducer=np.median,
) -> tuple[float, float]:
    """A statistic of the cue-reduced curve and its bootstrap standard error.

    ``statistic(temperatures, curve) -> float`` (e.g. :func:`crossing_temperature`), applied to
    ``reducer(values, axis=1)`` (median over cues; ``np.mean`` for fractions) and to ``n_boot``
    resamplings of the cues. The error is the standard deviation over resamplings that gave a
    finite value (NaN if fewer than half did).
    """
    n_cues = values.shape[1]
    estimate = statistic(temperatures, reducer(values, axis=1))
    idx = rng.integers(0, n_cues, size=(n_boot, n_cues))
    reps = np.array([statistic(temperatures, reducer(values[:, i], axis=1)) for i in idx])
    finite = reps[np.isfinite(reps)]
    error = float(np.std(finite, ddof=1)) if finite.size >= max(2, n_boot // 2) else float("nan")
    return float(estimate), error


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


# ---------------------------------------------------------------------------------------------
# Stage-level analyses: one pattern set in, arrays out (what the Snakemake jobs save)

PREDICTED_TC = {
    "gaussian": lambda n, d, s2: float(critical_temperature(n, d, s2)),
    "binary": lambda n, d, s2: binary_critical_temperature(np.log(n) / d),
}
"""Predicted condensation temperature by pattern kind: ``(N, d, s2) -> T_c``."""

POPULATION = {
    "gaussian": lambda rng, n, d, s2: np.sqrt(s2) * rng.standard_normal((n, d)),
    "binary": lambda rng, n, d, s2: 2.0 * rng.integers(0, 2, size=(n, d)).astype(float) - 1.0,
}
"""Fresh draws from the pattern population by kind: ``(rng, B, d, s2) -> (B, d)``."""


def condensation_sweep(
    rng: np.random.Generator,
    y: NDArray,
    temperatures: ArrayLike,
    *,
    n_cues: int,
    n_boot: int,
    population: NDArray | None = None,
    width_level: float = 0.9,
) -> dict[str, NDArray]:
    """Own-point weight and participation of one pattern set over a temperature grid.

    Cues from noised training points ``x = y_b + sqrt(T) z`` (``n_cues`` distinct training points
    when N allows) give the own-point weight; cues from the noised population
    ``x = y_new + sqrt(T) z`` (``population``, optional) give the participation that the REM
    predicts. The crossing of the median own-point weight through 1/2
    (:func:`crossing_temperature`) and the crossover width (:func:`crossover_width`) come with
    bootstrap errors over cues.

    Parameters
    ----------
    y : ndarray of shape (N, d)
    temperatures : array_like of shape (K,)
        Increasing grid.
    population : ndarray of shape (B, d), optional
        Fresh pattern draws for population cues.

    Returns
    -------
    dict of arrays: ``temperature`` (K,); ``own_weight_q25/median/q75`` (K,);
    ``train_participation_mean`` (K,); ``population_participation_mean/sem`` (K,) if a
    population was given; scalars ``crossing``, ``crossing_err``, ``width``, ``width_err``.
    """
    temps = np.asarray(temperatures, dtype=float)
    n_points = len(y)
    own = rng.choice(n_points, size=n_cues, replace=n_cues > n_points)
    train = cue_sweep(rng, y, y[own], temps, own_index=own)
    weights = train["own_weight"]
    q25, median, q75 = np.quantile(weights, [0.25, 0.5, 0.75], axis=1)
    crossing, crossing_err = bootstrap_statistic(rng, temps, weights, crossing_temperature, n_boot)

    def width(t: NDArray, curve: NDArray) -> float:
        return crossover_width(t, curve, width_level)

    width_value, width_err = bootstrap_statistic(rng, temps, weights, width, n_boot)
    out = {
        "temperature": temps,
        "own_weight_q25": q25,
        "own_weight_median": median,
        "own_weight_q75": q75,
        "train_participation_mean": train["participation"].mean(axis=1),
        "crossing": np.float64(crossing),
        "crossing_err": np.float64(crossing_err),
        "width": np.float64(width_value),
        "width_err": np.float64(width_err),
    }
    if population is not None:
        pop = cue_sweep(rng, y, population, temps)["participation"]
        out["population_participation_mean"] = pop.mean(axis=1)
        out["population_participation_sem"] = pop.std(axis=1, ddof=1) / np.sqrt(pop.shape[1])
    return out


def pattern_set_analysis(
    rng: np.random.Generator,
    y: NDArray,
    kind: str,
    *,
    variance: float,
    ratios: ArrayLike,
    n_cues: int,
    n_boot: int,
    width_level: float = 0.9,
) -> dict[str, NDArray]:
    """:func:`condensation_sweep` of a sampled pattern set on the grid ``T = ratios * T_c(N, d)``.

    ``kind`` is ``"gaussian"`` (``y ~ N(0, variance I)``) or ``"binary"`` (hypercube); it picks
    the predicted T_c (:data:`PREDICTED_TC`) and the population cues (:data:`POPULATION`). The
    result adds ``ratio`` (K,), ``predicted_tc``, ``n_points``, ``dim``, and the theory curves on
    the grid: the annealed own-point weight (:func:`annealed_own_weight`) and, for Gaussian
    patterns, the REM participation (:func:`rem_participation`) and the annealed width.
    """
    n_points, dim = y.shape
    ratios = np.asarray(ratios, dtype=float)
    t_c = PREDICTED_TC[kind](n_points, dim, variance)
    temps = ratios * t_c
    population = POPULATION[kind](rng, n_cues, dim, variance)
    out = condensation_sweep(
        rng, y, temps, n_cues=n_cues, n_boot=n_boot, population=population, width_level=width_level
    )
    out.update(
        kind=np.array(kind),
        ratio=ratios,
        predicted_tc=np.float64(t_c),
        n_points=np.int64(n_points),
        dim=np.int64(dim),
        annealed_own_weight=annealed_own_weight(temps, n_points, dim, variance),
        annealed_width=np.float64(annealed_crossover_width(n_points, dim, width_level)),
    )
    if kind == "gaussian":
        out["rem_participation"] = rem_participation(temps, n_points, dim, variance)
    return out


def gaussian_surrogate(rng: np.random.Generator, y: NDArray) -> NDArray[np.float64]:
    """N draws from the Gaussian with the mean and (biased) covariance of ``y``, shape (N, d)."""
    mean = y.mean(axis=0)
    lam, vecs = np.linalg.eigh(np.cov(y, rowvar=False, bias=True))
    factor = vecs * np.sqrt(np.clip(lam, 0.0, None))
    return mean + rng.standard_normal(y.shape) @ factor.T


def real_data_analysis(
    rng: np.random.Generator,
    y: NDArray,
    temperatures: ArrayLike,
    *,
    n_cues: int,
    n_boot: int,
    width_level: float = 0.9,
) -> dict[str, NDArray]:
    """Condensation of a real data set against the Gaussian predictions (digits, paper §11).

    Measures the own-point weight of the data (``data_*`` keys) and of a Gaussian surrogate with
    the same mean and covariance (``surrogate_*``), and gives three predictions: isotropic
    ``T_c = s^2 / (N^{2/d} - 1)`` with ``s^2 = tr C / d`` (``isotropic_tc``); the anisotropic
    Gaussian condition ``(1/2) sum_i log(1 + lambda_i / T) = ln N`` on the covariance spectrum
    (``spectrum_tc``, :func:`critical_temperature_spectrum`); and the effective dimension
    ``(tr C)^2 / tr C^2`` (``effective_dim``).
    """
    temps = np.asarray(temperatures, dtype=float)
    n_points, dim = y.shape
    lam = np.linalg.eigvalsh(np.cov(y, rowvar=False, bias=True))[::-1]
    surrogate = gaussian_surrogate(rng, y)
    out: dict[str, NDArray] = {"temperature": temps, "eigenvalues": lam}
    for prefix, data in (("data", y), ("surrogate", surrogate)):
        sweep = condensation_sweep(
            rng, data, temps, n_cues=n_cues, n_boot=n_boot, width_level=width_level
        )
        out.update({f"{prefix}_{k}": v for k, v in sweep.items() if k != "temperature"})
    s2 = lam.sum() / dim
    out.update(
        n_points=np.int64(n_points),
        dim=np.int64(dim),
        mean_variance=np.float64(s2),
        isotropic_tc=np.float64(critical_temperature(n_points, dim, s2)),
        spectrum_tc=np.float64(critical_temperature_spectrum(n_points, lam)),
        effective_dim=np.float64(lam.sum() ** 2 / (lam**2).sum()),
    )
    return out


def memorization_analysis(
    rng: np.random.Generator,
    y: NDArray,
    *,
    variance: float,
    n_generated: int,
    n_steps: int,
    t_max_ratio: float,
    t_min_ratio: float,
    stop_temperature: float,
    record_every: int,
    threshold: float,
    n_boot: int,
) -> dict[str, NDArray]:
    """Memorization of generated samples along the reverse dynamics, for one training set.

    Integrates from ``t_max_ratio * T_c`` to ``t_min_ratio * T_c`` in ``n_steps`` geometric steps
    (plus the stopping temperature ``stop_temperature`` inserted into the grid) with
    :func:`memorization_run`, recording every ``record_every``-th step. A sample stopped at T is
    memorized when its denoised output's nearest training point is closer than ``threshold``
    times the second nearest.

    Returns
    -------
    dict: ``temperature`` (R,), ``memorized_fraction`` (R,), ``max_weight_median`` (R,),
    ``onset`` (temperature where the fraction crosses 1/2) and ``onset_err`` (bootstrap over
    samples), ``predicted_tc``, ``stop_temperature``, ``memorized_at_stop`` (B,) of 0/1,
    ``n_points``, ``dim``.
    """
    from thermodiff.dynamics import geometric_temperatures

    n_points, dim = y.shape
    t_c = float(critical_temperature(n_points, dim, variance))
    grid = geometric_temperatures(t_max_ratio * t_c, t_min_ratio * t_c, n_steps)
    if not grid[-1] < stop_temperature < grid[0]:
        raise ValueError(
            f"stop temperature {stop_temperature:g} outside the integration range "
            f"[{grid[-1]:g}, {grid[0]:g}] for N = {n_points}, d = {dim}; widen t_max/t_min_ratio"
        )
    grid = np.unique(np.append(grid, stop_temperature))[::-1]
    record = np.union1d(grid[:-1][::record_every], [stop_temperature])
    run = memorization_run(rng, y, n_generated, grid, record=record)
    memorized = (run["nn_ratio"] < threshold).astype(np.float64)  # (R, B)
    onset, onset_err = bootstrap_statistic(
        rng, run["temperature"], memorized, crossing_temperature, n_boot, reducer=np.mean
    )
    stop = int(np.nonzero(run["temperature"] == stop_temperature)[0][0])
    return {
        "temperature": run["temperature"],
        "memorized_fraction": memorized.mean(axis=1),
        "max_weight_median": np.median(run["max_weight"], axis=1),
        "onset": np.float64(onset),
        "onset_err": np.float64(onset_err),
        "predicted_tc": np.float64(t_c),
        "stop_temperature": np.float64(stop_temperature),
        "memorized_at_stop": memorized[stop],
        "n_points": np.int64(n_points),
        "dim": np.int64(dim),
    }


def memorization_onset_size(
    rng: np.random.Generator, n_points: ArrayLike, memorized_at_stop: NDArray, n_boot: int
) -> tuple[float, float]:
    """Training-set size below which half the generated samples are copies, with its error.

    Parameters
    ----------
    n_points : array_like of shape (M,)
        Increasing training-set sizes.
    memorized_at_stop : ndarray of shape (M, B)
        0/1 per generated sample at the common stopping temperature.

    Returns
    -------
    (N_half, error): the crossing of the memorized fraction through 1/2, interpolated linearly in
    ``(log N, logit fraction)``, and its bootstrap standard error over samples.
    """
    return bootstrap_statistic(
        rng,
        n_points,
        np.asarray(memorized_at_stop, dtype=float),
        crossing_temperature,
        n_boot,
        reducer=np.mean,
    )


def loglog_slope(x: ArrayLike, y: ArrayLike) -> float:
    """Least-squares slope of ``log y`` against ``log x`` (finite pairs only)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y) & (x > 0) & (y > 0)
    return float(np.polyfit(np.log(x[ok]), np.log(y[ok]), 1)[0])


# ---------------------------------------------------------------------------------------------
# Summaries and claims of paper §11 (tables of scalars from the saved analyses)


def _at_ratio(cell: Mapping[str, NDArray], key: str, ratio: float) -> float:
    """Value of a curve at ``T / T_c = ratio``, interpolated linearly in log T."""
    return float(np.interp(np.log(ratio), np.log(cell["ratio"]), cell[key]))


def crossing_row(cell: Mapping[str, NDArray], group: str) -> dict[str, float | int | str]:
    """One row of the crossings table from a :func:`pattern_set_analysis` result."""
    t_c = float(cell["predicted_tc"])
    n_points, dim = int(cell["n_points"]), int(cell["dim"])
    return {
        "group": group,
        "kind": str(cell["kind"]),
        "d": dim,
        "n": n_points,
        "alpha": float(np.log(n_points) / dim),
        "predicted_tc": t_c,
        "crossing": float(cell["crossing"]),
        "crossing_err": float(cell["crossing_err"]),
        "crossing_ratio": float(cell["crossing"]) / t_c,
        "crossing_ratio_err": float(cell["crossing_err"]) / t_c,
        "width": float(cell["width"]),
        "width_err": float(cell["width_err"]),
        "annealed_width": float(cell["annealed_width"]),
        "y2_at_tc": _at_ratio(cell, "population_participation_mean", 1.0),
        "y2_at_2tc": _at_ratio(cell, "population_participation_mean", 2.0),
    }


def memorization_row(run: Mapping[str, NDArray]) -> dict[str, float | int]:
    """One row of the memorization table from a :func:`memorization_analysis` result."""
    t_c = float(run["predicted_tc"])
    at_stop = np.asarray(run["memorized_at_stop"], dtype=float)
    frac = float(at_stop.mean())
    return {
        "d": int(run["dim"]),
        "n": int(run["n_points"]),
        "predicted_tc": t_c,
        "onset": float(run["onset"]),
        "onset_err": float(run["onset_err"]),
        "onset_ratio": float(run["onset"]) / t_c,
        "onset_ratio_err": float(run["onset_err"]) / t_c,
        "stop_temperature": float(run["stop_temperature"]),
        "fraction_at_stop": frac,
        "fraction_at_stop_err": float(np.sqrt(frac * (1.0 - frac) / at_stop.size)),
    }


def memorization_onsets(
    rng: np.random.Generator,
    runs: Sequence[Mapping[str, NDArray]],
    *,
    variance: float,
    n_boot: int,
) -> list[dict[str, float | int]]:
    """Per dimension: the size N_half below which half the samples stopped at T_stop are copies,
    against the capacity ``N_max(T_stop) = (1 + s^2 / T_stop)^{d/2}`` (physics.md §7)."""
    rows = []
    for dim in sorted({int(r["dim"]) for r in runs}):
        mine = sorted((r for r in runs if int(r["dim"]) == dim), key=lambda r: int(r["n_points"]))
        sizes = np.array([int(r["n_points"]) for r in mine], dtype=float)
        t_stop = float(mine[0]["stop_temperature"])
        at_stop = np.stack([np.asarray(r["memorized_at_stop"], dtype=float) for r in mine])
        n_half, n_half_err = memorization_onset_size(rng, sizes, at_stop, n_boot)
        log_n_max = float(log_capacity(t_stop, dim, variance))
        rows.append(
            {
                "d": dim,
                "stop_temperature": t_stop,
                "log_n_max": log_n_max,
                "n_max": float(np.exp(log_n_max)),
                "n_half": n_half,
                "n_half_err": n_half_err,
                "log_n_half": float(np.log(n_half)),
                "log_n_half_err": n_half_err / n_half,
            }
        )
    return rows


def critical_temperature_curves(
    dims: Sequence[int], n_min: float, n_max: float, variance: float, num: int = 200
) -> dict[str, NDArray]:
    """T_c(N, d) and its large-d limit on a log grid of N, shapes (num,) and (len(dims), num)."""
    sizes = np.geomspace(n_min, n_max, num)
    dims_arr = np.asarray(sorted(dims), dtype=float)[:, None]
    return {
        "n": sizes,
        "dims": dims_arr[:, 0],
        "tc": critical_temperature(sizes[None], dims_arr, variance),
        "tc_large_d": critical_temperature_large_d(sizes[None], dims_arr, variance),
    }


def _listing(values: Sequence) -> str:
    return ", ".join(str(int(v)) for v in values)


def stage_claims(
    crossings: Sequence[Mapping],
    onsets: Sequence[Mapping],
    runs: Sequence[Mapping],
    digits: Mapping[str, NDArray],
    *,
    tolerance: float,
    width_level: float = 0.9,
) -> tuple[list[Claim], dict[str, float | str]]:
    """Claims of paper §11 and the numbers the paper quotes.

    Parameters
    ----------
    crossings : rows of :func:`crossing_row` (groups ``grid``, ``alpha``, ``binary``)
    onsets : rows of :func:`memorization_onsets`
    runs : rows of :func:`memorization_row`
    digits : result of :func:`real_data_analysis`
    tolerance : float
        Relative finite-size band for crossing temperatures and for ln N at the onset.
    width_level : float
        Level ``l`` of the crossover width (between median own weight ``l`` and ``1 - l``).

    Returns
    -------
    (claims, values): ``rem.critical_temperature.d<d>.n<N>`` per grid cell,
    ``rem.crossover_sharpens_with_d``, ``rem.binary_patterns_critical_temperature``,
    ``rem.memorization_onset``; values keyed ``rem.*`` for ``\\val{}``. Keys that do not name
    a configured (d, N) (``rem.ref.*`` = largest d and N, ranges, listings) let the paper's text
    stay valid for any configuration.
    """
    tol = f"{100 * tolerance:g}%"
    claims: list[Claim] = []
    values: dict[str, float | str] = {"rem.tolerance_percent": 100 * tolerance}
    grid = [r for r in crossings if r["group"] == "grid"]
    for r in grid:
        claims.append(
            make_claim(
                f"rem.critical_temperature.d{r['d']}.n{r['n']}",
                "11",
                f"Condensation of N = {r['n']} Gaussian patterns in d = {r['d']}: "
                "T_c = s^2/(N^(2/d) - 1) against the temperature where the median own-point "
                "weight of noised training points crosses 1/2 (bootstrap error "
                f"{r['crossing_err']:.2g}); finite-size band {tol}.",
                r["predicted_tc"],
                r["crossing"],
                tol,
            )
        )
        key = f"rem.d{r['d']}.n{r['n']}"
        values[f"{key}.tc"] = r["predicted_tc"]
        values[f"{key}.ratio"] = r["crossing_ratio"]
        values[f"{key}.ratio_err"] = r["crossing_ratio_err"]
        values[f"{key}.width"] = r["width"]
        values[f"{key}.y2_tc"] = r["y2_at_tc"]
        values[f"{key}.y2_2tc"] = r["y2_at_2tc"]
    ratios = np.array([r["crossing_ratio"] for r in grid])
    ref = max(grid, key=lambda r: (r["d"], r["n"]))
    values.update(
        {
            "rem.grid.ratio_min": float(ratios.min()),
            "rem.grid.ratio_max": float(ratios.max()),
            "rem.grid.n_cells": len(grid),
            "rem.grid.n_passed": sum(c.passed for c in claims),
            "rem.grid.dims": _listing(sorted({r["d"] for r in grid})),
            "rem.grid.sizes": _listing(sorted({r["n"] for r in grid})),
            "rem.grid.y2_tc_min": min(r["y2_at_tc"] for r in grid),
            "rem.grid.y2_tc_max": max(r["y2_at_tc"] for r in grid),
            "rem.ref.d": ref["d"],
            "rem.ref.n": ref["n"],
            "rem.ref.tc": ref["predicted_tc"],
            "rem.ref.crossing": ref["crossing"],
            "rem.ref.ratio": ref["crossing_ratio"],
            "rem.ref.ratio_err": ref["crossing_ratio_err"],
            "rem.ref.y2_tc": ref["y2_at_tc"],
            "rem.ref.y2_2tc": ref["y2_at_2tc"],
            "rem.ref.width": ref["width"],
            "rem.ref.annealed_width": ref["annealed_width"],
        }
    )

    alpha = sorted((r for r in crossings if r["group"] == "alpha"), key=lambda r: r["d"])
    dims = [r["d"] for r in alpha]
    slope = loglog_slope(dims, [r["width"] for r in alpha])
    annealed_slope = loglog_slope(dims, [r["annealed_width"] for r in alpha])
    claims.append(
        make_claim(
            "rem.crossover_sharpens_with_d",
            "11",
            f"At fixed alpha = ln N/d = {alpha[0]['alpha']:.3g} (d = "
            + ", ".join(str(d) for d in dims)
            + "), the log-log slope of the crossover width (ln T between median own-point "
            f"weight {width_level:g} and {1 - width_level:g}) against d is negative (annealed "
            f"theory: {annealed_slope:.2f}).",
            "<0",
            slope,
            0,
        )
    )
    values["rem.alpha.alpha"] = alpha[0]["alpha"]
    values["rem.alpha.slope"] = slope
    values["rem.alpha.annealed_slope"] = annealed_slope
    values["rem.alpha.dims"] = _listing(dims)
    for tag, r in (("first", alpha[0]), ("last", alpha[-1])):
        for key in ("d", "n", "width", "crossing_ratio", "crossing_ratio_err"):
            values[f"rem.alpha.{tag}.{key}"] = r[key]

    (binary,) = [r for r in crossings if r["group"] == "binary"]
    claims.append(
        make_claim(
            "rem.binary_patterns_critical_temperature",
            "11",
            f"N = {binary['n']} binary patterns in d = {binary['d']}: T_c from "
            "alpha = E_z g((1 + sigma z)/sigma^2) against the crossing of the median own-point "
            f"weight through 1/2; finite-size band {tol}.",
            binary["predicted_tc"],
            binary["crossing"],
            tol,
        )
    )
    values["rem.binary.d"] = binary["d"]
    values["rem.binary.n"] = binary["n"]
    values["rem.binary.alpha"] = binary["alpha"]
    values["rem.binary.gaussian_tc"] = float(critical_temperature(binary["n"], binary["d"]))
    values["rem.binary.ratio"] = binary["crossing_ratio"]

    onsets = sorted(onsets, key=lambda r: r["d"])
    claims.append(
        make_claim(
            "rem.memorization_onset",
            "11",
            "Generation with the exact empirical score, stopped at T_stop: ln of the training-set "
            "size below which half the samples are copies of a training point (d = "
            + ", ".join(str(r["d"]) for r in onsets)
            + ") against ln N_max(T_stop) = (d/2) ln(1 + s^2/T_stop); finite-size band "
            f"{tol}.",
            [r["log_n_max"] for r in onsets],
            [r["log_n_half"] for r in onsets],
            tol,
        )
    )
    ref = onsets[-1]
    onset_ratios = [r["onset_ratio"] for r in runs]
    values.update(
        {
            "rem.memorization.dims": _listing([r["d"] for r in onsets]),
            "rem.memorization.sizes": _listing(sorted({r["n"] for r in runs})),
            "rem.memorization.ref.d": ref["d"],
            "rem.memorization.ref.stop_temperature": ref["stop_temperature"],
            "rem.memorization.ref.n_max": ref["n_max"],
            "rem.memorization.ref.n_half": ref["n_half"],
            "rem.memorization.ref.n_half_err": ref["n_half_err"],
            "rem.memorization.onset_ratio_min": min(onset_ratios),
            "rem.memorization.onset_ratio_max": max(onset_ratios),
        }
    )

    for key in (
        "isotropic_tc",
        "spectrum_tc",
        "effective_dim",
        "mean_variance",
        "data_crossing",
        "data_crossing_err",
        "surrogate_crossing",
        "surrogate_crossing_err",
        "data_width",
        "surrogate_width",
    ):
        values[f"rem.digits.{key}"] = float(digits[key])
    values["rem.digits.n"] = int(digits["n_points"])
    values["rem.digits.d"] = int(digits["dim"])
    return claims, values
