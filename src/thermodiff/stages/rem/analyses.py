"""Analyses of the rem stage (paper §11): one sampled pattern set in, arrays out (what the
compute jobs save). Physics in :mod:`thermodiff.rem`; crossings and bootstrap errors from
:mod:`thermodiff.estimators`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from thermodiff import estimators, rem


def _median_bootstrap(rng, statistic, values, n_boot):
    return estimators.bootstrap(rng, statistic, values, n_boot, reducer=np.median, min_finite=0.5)


def _mean_bootstrap(rng, statistic, values, n_boot):
    return estimators.bootstrap(rng, statistic, values, n_boot, reducer=np.mean, min_finite=0.5)


PREDICTED_TC = {
    "gaussian": lambda n, d, s2: float(rem.critical_temperature(n, d, s2)),
    "binary": lambda n, d, s2: rem.binary_critical_temperature(np.log(n) / d),
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
    width_level: float,
) -> dict[str, NDArray]:
    """Own-point weight and participation of one pattern set over a temperature grid.

    Cues from noised training points ``x = y_b + sqrt(T) z`` (``n_cues`` distinct training points
    when N allows) give the own-point weight; cues from the noised population
    ``x = y_new + sqrt(T) z`` (``population``, optional) give the participation that the REM
    predicts. The crossing of the median own-point weight through 1/2 (:func:`thermodiff.estimators.half_crossing`)
    and the crossover width (:func:`thermodiff.estimators.crossing_width`) come with bootstrap
    errors over cues.

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
    train = rem.cue_sweep(rng, y, y[own], temps, own_index=own)
    weights = train["own_weight"]
    q25, median, q75 = np.quantile(weights, [0.25, 0.5, 0.75], axis=1)
    crossing, crossing_err = _median_bootstrap(
        rng, lambda c: estimators.half_crossing(temps, c), weights, n_boot
    )

    def width(curve: NDArray) -> float:
        return estimators.crossing_width(temps, curve, width_level)

    width_value, width_err = _median_bootstrap(rng, width, weights, n_boot)
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
        pop = rem.cue_sweep(rng, y, population, temps)["participation"]
        out["population_participation_mean"] = pop.mean(axis=1)
        out["population_participation_sem"] = pop.std(axis=1, ddof=1) / np.sqrt(pop.shape[1])
    return out


def pattern_set_cells(
    patterns: NDArray,
    dim: int,
    sizes: Sequence[int],
    paths: str | Sequence[str],
    source: str = "pattern set",
) -> Iterator[tuple[int, NDArray, str]]:
    """The cells of one pattern set: ``(N, patterns[:N], path)`` for every size ``N``.

    One job analyses every N of a set (the cells are prefixes of one array). ``paths`` holds one
    output per size, in order (a single output may be a plain string). Raises ``ValueError`` if
    the counts differ or the set has fewer than N rows of dimension ``dim`` (the message names
    ``source``, e.g. the data file).
    """
    paths = [paths] if isinstance(paths, str) else list(paths)
    if len(paths) != len(sizes):
        raise ValueError(f"{len(sizes)} sizes {list(sizes)} but {len(paths)} output files")
    for n, path in zip(sizes, paths, strict=True):
        y = patterns[: int(n)]
        if y.shape != (int(n), dim):
            raise ValueError(f"{source}: need {n} x {dim} patterns, got {y.shape}")
        yield int(n), y, path


def pattern_set_analysis(
    rng: np.random.Generator,
    y: NDArray,
    kind: str,
    *,
    variance: float,
    ratios: ArrayLike,
    n_cues: int,
    n_boot: int,
    width_level: float,
) -> dict[str, NDArray]:
    """:func:`condensation_sweep` of a sampled pattern set on the grid ``T = ratios * T_c(N, d)``.

    ``kind`` is ``"gaussian"`` (``y ~ N(0, variance I)``) or ``"binary"`` (hypercube); it picks
    the predicted T_c (:data:`PREDICTED_TC`) and the population cues (:data:`POPULATION`). The
    result adds ``ratio`` (K,), ``predicted_tc``, ``n_points``, ``dim``, and the theory curves on
    the grid: the annealed own-point weight (:func:`thermodiff.rem.annealed_own_weight`) and,
    for Gaussian patterns, the REM participation (:func:`thermodiff.rem.rem_participation`) and
    the annealed width.
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
        annealed_own_weight=rem.annealed_own_weight(temps, n_points, dim, variance),
        annealed_width=np.float64(rem.annealed_crossover_width(n_points, dim, width_level)),
    )
    if kind == "gaussian":
        out["rem_participation"] = rem.rem_participation(temps, n_points, dim, variance)
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
    width_level: float,
) -> dict[str, NDArray]:
    """Condensation of a real data set against the Gaussian predictions (digits, paper §11).

    Measures the own-point weight of the data (``data_*`` keys) and of a Gaussian surrogate with
    the same mean and covariance (``surrogate_*``), and gives three predictions: isotropic
    ``T_c = s^2 / (N^{2/d} - 1)`` with ``s^2 = tr C / d`` (``isotropic_tc``); the anisotropic
    Gaussian condition ``(1/2) sum_i log(1 + lambda_i / T) = ln N`` on the covariance spectrum
    (``spectrum_tc``, :func:`thermodiff.rem.critical_temperature_spectrum`); and the effective dimension
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
        isotropic_tc=np.float64(rem.critical_temperature(n_points, dim, s2)),
        spectrum_tc=np.float64(rem.critical_temperature_spectrum(n_points, lam)),
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
    :func:`thermodiff.rem.memorization_run`, recording every ``record_every``-th step. A sample stopped at T is
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
    t_c = float(rem.critical_temperature(n_points, dim, variance))
    grid = geometric_temperatures(t_max_ratio * t_c, t_min_ratio * t_c, n_steps)
    if not grid[-1] < stop_temperature < grid[0]:
        raise ValueError(
            f"stop temperature {stop_temperature:g} outside the integration range "
            f"[{grid[-1]:g}, {grid[0]:g}] for N = {n_points}, d = {dim}; widen t_max/t_min_ratio"
        )
    grid = np.unique(np.append(grid, stop_temperature))[::-1]
    record = np.union1d(grid[:-1][::record_every], [stop_temperature])
    run = rem.memorization_run(rng, y, n_generated, grid, record=record)
    memorized = (run["nn_ratio"] < threshold).astype(np.float64)  # (R, B)
    temps = run["temperature"]
    onset, onset_err = _mean_bootstrap(
        rng, lambda f: estimators.half_crossing(temps, f), memorized, n_boot
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
    sizes = np.asarray(n_points, dtype=float)
    at_stop = np.asarray(memorized_at_stop, dtype=float)
    return _mean_bootstrap(rng, lambda f: estimators.half_crossing(sizes, f), at_stop, n_boot)
