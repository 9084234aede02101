"""The rem stage (paper §11): analyses of sampled pattern sets, their summary tables, claims and
quoted values. Physics (condensation temperatures, REM participation, cue sweeps, the generative
runs) is in :mod:`thermodiff.rem`; crossings and bootstrap errors come from
:mod:`thermodiff.estimators`.

* Summaries (what the compute jobs save): :func:`pattern_set_analysis`,
  :func:`real_data_analysis`, :func:`memorization_analysis` (one ``.npz`` each); the tables of
  :func:`crossing_row`, :func:`memorization_row`, :func:`memorization_onsets` and the theory curves
  :func:`critical_temperature_curves` (summarize job).
* ``claims(summaries, settings)`` from the per-topic builders :func:`grid_claims`,
  :func:`alpha_claims`, :func:`binary_claims`, :func:`memorization_claims`; ``values(summaries,
  settings)`` (keys ``rem.*``). ``summaries`` has ``crossings``, ``onsets``, ``runs`` (table rows)
  and ``digits`` (:func:`real_data_analysis`); ``settings`` has ``error_multiple`` (k: tolerances
  are k standard errors over independent pattern sets, plus stated theory bands), ``width_level``
  and, for the values only, ``settings`` / ``alpha`` / ``memorization`` (the configuration quoted
  in the text).
* Errors: every (d, N) is simulated on ``rem.n_datasets`` independent pattern sets;
  :func:`aggregate_crossings` and :func:`aggregate_onsets` average over them and take the
  standard error of the mean from their spread (the cue bootstrap of one set is kept for
  comparison only). Crossing temperatures are judged against the REM band
  ``[T_c(N-1), T_c((N-1)/2)]`` (:func:`thermodiff.rem.crossing_band`).

The own-point weight and the memorized fraction cross 1/2 where they fall for good: interpolated in
``(log T, logit)`` (:func:`thermodiff.estimators.half_crossing`), a straight line for a logistic crossover.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from thermodiff import estimators, rem
from thermodiff.claims import Claim, make_claim
from thermodiff.macros import join_numbers

SECTION = "11"


def _median_bootstrap(rng, statistic, values, n_boot):
    return estimators.bootstrap(rng, statistic, values, n_boot, reducer=np.median, min_finite=0.5)


def _mean_bootstrap(rng, statistic, values, n_boot):
    return estimators.bootstrap(rng, statistic, values, n_boot, reducer=np.mean, min_finite=0.5)


# ---------------------------------------------------------------------------------------------
# Stage-level analyses: one pattern set in, arrays out (what the Snakemake jobs save)

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
    width_level: float = 0.9,
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
    width_level: float = 0.9,
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
    width_level: float = 0.9,
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
        "replica": int(cell["replica"]) if "replica" in cell else 0,
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
        "replica": int(run["replica"]) if "replica" in run else 0,
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
    """Per dimension and dataset: the size N_half below which half the samples stopped at T_stop
    are copies (bootstrap error over samples), against the capacity
    ``N_max(T_stop) = (1 + s^2 / T_stop)^{d/2}`` (docs/theory.md §Hopfield memory)."""
    rows = []
    keys = sorted({(int(r["dim"]), int(r.get("replica", 0))) for r in runs})
    for dim, replica in keys:
        mine = sorted(
            (r for r in runs if int(r["dim"]) == dim and int(r.get("replica", 0)) == replica),
            key=lambda r: int(r["n_points"]),
        )
        sizes = np.array([int(r["n_points"]) for r in mine], dtype=float)
        t_stop = float(mine[0]["stop_temperature"])
        at_stop = np.stack([np.asarray(r["memorized_at_stop"], dtype=float) for r in mine])
        n_half, n_half_err = memorization_onset_size(rng, sizes, at_stop, n_boot)
        log_n_max = float(rem.log_capacity(t_stop, dim, variance))
        rows.append(
            {
                "d": dim,
                "replica": replica,
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


def _mean_and_error(values: Sequence[float]) -> tuple[float, float, float]:
    """Mean over datasets, its standard error (SD / sqrt(R)) and the SD; NaN-propagating."""
    v = np.asarray(values, dtype=float)
    sd = float(np.std(v, ddof=1)) if len(v) > 1 else float("nan")
    return float(np.mean(v)), sd / np.sqrt(len(v)), sd


def aggregate_onsets(rows: Sequence[Mapping]) -> list[dict[str, float | int]]:
    """One row per dimension: ``log_n_half`` averaged over datasets with its dataset standard
    error (``log_n_half_err``); ``n_half = exp(mean log)``; the mean per-dataset bootstrap error
    kept as ``bootstrap_log_err`` for comparison."""
    out = []
    for dim in sorted({int(r["d"]) for r in rows}):
        mine = [r for r in rows if int(r["d"]) == dim]
        mean, err, sd = _mean_and_error([r["log_n_half"] for r in mine])
        first = mine[0]
        out.append(
            {
                "d": dim,
                "n_datasets": len(mine),
                "stop_temperature": first["stop_temperature"],
                "log_n_max": first["log_n_max"],
                "n_max": first["n_max"],
                "log_n_half": mean,
                "log_n_half_err": err,
                "log_n_half_sd": sd,
                "n_half": float(np.exp(mean)),
                "n_half_err": float(np.exp(mean) * err),
                "bootstrap_log_err": float(np.mean([r["log_n_half_err"] for r in mine])),
            }
        )
    return out


def aggregate_crossings(rows: Sequence[Mapping], variance: float) -> list[dict[str, object]]:
    """One row per (group, kind, d, N) from the per-dataset rows of :func:`crossing_row`.

    ``crossing``, ``width``, ``y2_*`` are means over the independent datasets; ``*_err`` their
    standard errors from the dataset-to-dataset spread (SD / sqrt(R)), ``*_sd`` the spread;
    ``bootstrap_err`` is the mean cue-bootstrap error of one dataset (for comparison only);
    ``band_lo`` / ``band_hi`` the REM band of the crossing (:func:`thermodiff.rem.crossing_band`
    with the kind's :data:`PREDICTED_TC`).
    """
    out = []
    keys = sorted({(r["group"], r["kind"], int(r["d"]), int(r["n"])) for r in rows})
    for group, kind, dim, n in keys:
        mine = [
            r
            for r in rows
            if (r["group"], r["kind"], int(r["d"]), int(r["n"])) == (group, kind, dim, n)
        ]
        t_c = float(mine[0]["predicted_tc"])
        crossing, crossing_err, crossing_sd = _mean_and_error([r["crossing"] for r in mine])
        width, width_err, width_sd = _mean_and_error([r["width"] for r in mine])
        lo, hi = rem.crossing_band(n, dim, variance, critical=PREDICTED_TC[kind])
        out.append(
            {
                "group": group,
                "kind": kind,
                "d": dim,
                "n": n,
                "n_datasets": len(mine),
                "alpha": float(np.log(n) / dim),
                "predicted_tc": t_c,
                "band_lo": float(lo),
                "band_hi": float(hi),
                "crossing": crossing,
                "crossing_err": crossing_err,
                "crossing_sd": crossing_sd,
                "bootstrap_err": float(np.mean([r["crossing_err"] for r in mine])),
                "crossing_ratio": crossing / t_c,
                "crossing_ratio_err": crossing_err / t_c,
                "width": width,
                "width_err": width_err,
                "width_sd": width_sd,
                "annealed_width": float(mine[0]["annealed_width"]),
                "y2_at_tc": float(np.mean([r["y2_at_tc"] for r in mine])),
                "y2_at_2tc": float(np.mean([r["y2_at_2tc"] for r in mine])),
            }
        )
    return out


def critical_temperature_curves(
    dims: Sequence[int], n_min: float, n_max: float, variance: float, num: int = 200
) -> dict[str, NDArray]:
    """T_c(N, d) and its large-d limit on a log grid of N, shapes (num,) and (len(dims), num)."""
    sizes = np.geomspace(n_min, n_max, num)
    dims_arr = np.asarray(sorted(dims), dtype=float)[:, None]
    return {
        "n": sizes,
        "dims": dims_arr[:, 0],
        "tc": rem.critical_temperature(sizes[None], dims_arr, variance),
        "tc_large_d": rem.critical_temperature_large_d(sizes[None], dims_arr, variance),
    }


def _k(settings: Mapping) -> float:
    return float(settings["error_multiple"])


def _grid(crossings: Sequence[Mapping]) -> list[Mapping]:
    return [r for r in crossings if r["group"] == "grid"]


def _alpha(crossings: Sequence[Mapping]) -> list[Mapping]:
    return sorted((r for r in crossings if r["group"] == "alpha"), key=lambda r: r["d"])


def _binary(crossings: Sequence[Mapping]) -> Mapping:
    (binary,) = [r for r in crossings if r["group"] == "binary"]
    return binary


def _band_claim(claim_id: str, r: Mapping, what: str, settings: Mapping) -> Claim:
    """Crossing of one (kind, d, N) against the REM band, tolerance half-band + k SE."""
    k = _k(settings)
    lo, hi = r["band_lo"], r["band_hi"]
    return make_claim(
        claim_id,
        SECTION,
        f"{what}: temperature where the median own-point weight of noised training points "
        f"crosses 1/2, mean over {r['n_datasets']} independent pattern sets, against the REM band "
        f"[T_c(N-1), T_c((N-1)/2)] = [{lo:.4g}, {hi:.4g}] (T_c = {r['predicted_tc']:.4g}); "
        f"tolerance half the band + {k:g} dataset standard errors ({r['crossing_err']:.2g}).",
        0.5 * (lo + hi),
        r["crossing"],
        0.5 * (hi - lo) + k * r["crossing_err"],
    )


def grid_claims(crossings: Sequence[Mapping], settings: Mapping) -> list[Claim]:
    """``rem.gaussian.critical_temperature.d<d>.n<N>`` per cell of the (d, N) grid."""
    return [
        _band_claim(
            f"rem.gaussian.critical_temperature.d{r['d']}.n{r['n']}",
            r,
            f"N = {r['n']} Gaussian patterns in d = {r['d']}",
            settings,
        )
        for r in _grid(crossings)
    ]


def _alpha_fits(crossings: Sequence[Mapping]) -> dict[str, float]:
    """Fixed-alpha sweep: log-log slope of the mean width against d (weighted by the dataset
    errors of ln width) and the annealed slope; intercept at 1/d -> 0 of ln(crossing / T_c)."""
    alpha = _alpha(crossings)
    d = np.array([r["d"] for r in alpha], dtype=float)
    width = np.array([r["width"] for r in alpha])
    (slope, _), (slope_err, _) = estimators.line_fit(
        np.log(d), np.log(width), np.array([r["width_err"] for r in alpha]) / width
    )
    ratio = np.array([r["crossing_ratio"] for r in alpha])
    (finite_size, intercept), (finite_size_err, intercept_err) = estimators.line_fit(
        1.0 / d, np.log(ratio), np.array([r["crossing_ratio_err"] for r in alpha]) / ratio
    )
    return {
        "slope": float(slope),
        "slope_err": float(slope_err),
        "annealed_slope": estimators.fit_power_law(d, [r["annealed_width"] for r in alpha]).slope,
        "intercept": float(intercept),
        "intercept_err": float(intercept_err),
        "finite_size": float(finite_size),
        "finite_size_err": float(finite_size_err),
    }


def alpha_claims(crossings: Sequence[Mapping], settings: Mapping) -> list[Claim]:
    """Fixed alpha: the width's slope against the annealed theory; the crossing -> T_c as d grows."""
    alpha, k = _alpha(crossings), _k(settings)
    level = settings.get("width_level", 0.9)
    fit = _alpha_fits(crossings)
    dims = ", ".join(str(r["d"]) for r in alpha)
    return [
        make_claim(
            "rem.crossover.width_slope",
            SECTION,
            f"At fixed alpha = ln N/d = {alpha[0]['alpha']:.3g} (d = {dims}), log-log slope of the "
            f"crossover width (ln T between median own-point weight {level:g} and {1 - level:g}, "
            "mean over datasets) against d, versus the annealed theory; tolerance "
            f"{k:g} standard errors of the weighted fit (dataset errors).",
            fit["annealed_slope"],
            fit["slope"],
            k * fit["slope_err"],
            if_failed=(
                "Both slopes tend to $-1$ (the width falls as $1/d$ at fixed $\\alpha$); the "
                "prediction is the annealed theory's finite-$d$ correction to that law. The "
                "random-energy fluctuations of the partition function of the other $N-1$ "
                "points (the factor $R$ of Eq.~\\eqref{eq:rem-band}) shift the log-odds of the "
                "own weight by amounts of order one that change with $T$: a correction of the "
                "same order in $1/d$, which the annealed width leaves out."
            ),
        ),
        make_claim(
            "rem.crossover.finite_size_approach",
            SECTION,
            f"At fixed alpha = {alpha[0]['alpha']:.3g} (d = {dims}): ln(crossing / T_c), mean over "
            "datasets, fitted linearly in 1/d (the REM band shrinks like 1/d) and extrapolated "
            "to d -> inf, where T_c is exact: intercept 0; tolerance "
            f"{k:g} standard errors of the intercept.",
            0.0,
            fit["intercept"],
            k * fit["intercept_err"],
        ),
    ]


def binary_claims(crossings: Sequence[Mapping], settings: Mapping) -> list[Claim]:
    """``rem.binary.critical_temperature``: condensation of binary (hypercube) patterns."""
    b = _binary(crossings)
    what = f"N = {b['n']} binary patterns in d = {b['d']} (T_c from alpha = E_z g((1 + sigma z)/sigma^2))"
    return [_band_claim("rem.binary.critical_temperature", b, what, settings)]


def memorization_claims(onsets: Sequence[Mapping], settings: Mapping) -> list[Claim]:
    """``rem.memorization.onset``: ln N_half of generation against the capacity ln N_max."""
    onsets, k = sorted(onsets, key=lambda r: r["d"]), _k(settings)
    # one error for every d: the largest dataset SE. With a handful of datasets per (d, N) each
    # per-d SE is itself uncertain by tens of percent (by 70 % with two), so a per-d tolerance
    # would judge the noise of the error estimate, not the onset.
    err = max(r["log_n_half_err"] for r in onsets)
    return [
        make_claim(
            "rem.memorization.onset",
            SECTION,
            "Generation with the exact empirical score, stopped at T_stop: ln of the training-set "
            "size below which half the samples are copies of a training point (d = "
            + ", ".join(str(r["d"]) for r in onsets)
            + f"; mean over {onsets[0]['n_datasets']} independent pattern sets per (d, N)) against "
            f"ln N_max(T_stop) = (d/2) ln(1 + s^2/T_stop); tolerance {k:g} times the largest "
            "dataset standard error.",
            [r["log_n_max"] for r in onsets],
            [r["log_n_half"] for r in onsets],
            k * err,
            if_failed=(
                "$N_{\\max}$ is where a typical cue's own weight is $\\tfrac12$; a copy (nearest "
                "training point closer than a fixed fraction of the second nearest) is a "
                "stricter event, which at finite $d$ moves the onset by an amount of order one "
                "in $\\ln N$."
            ),
        )
    ]


def claims(summaries: Mapping, settings: Mapping) -> list[Claim]:
    """Claims of paper §11 (module docstring for ``summaries`` and ``settings``)."""
    crossings = summaries["crossings"]
    return [
        *grid_claims(crossings, settings),
        *alpha_claims(crossings, settings),
        *binary_claims(crossings, settings),
        *memorization_claims(summaries["onsets"], settings),
    ]


def grid_values(crossings: Sequence[Mapping], settings: Mapping) -> dict[str, object]:
    """Per-cell values ``rem.d<d>.n<N>.*``, grid ranges and the reference (largest) cell."""
    grid, values = _grid(crossings), {}
    for r in grid:
        key = f"rem.d{r['d']}.n{r['n']}"
        values[f"{key}.tc"] = r["predicted_tc"]
        values[f"{key}.ratio"] = r["crossing_ratio"]
        values[f"{key}.ratio_err"] = r["crossing_ratio_err"]
        values[f"{key}.width"] = r["width"]
        values[f"{key}.y2_tc"] = r["y2_at_tc"]
        values[f"{key}.y2_2tc"] = r["y2_at_2tc"]
    ratios = np.array([r["crossing_ratio"] for r in grid])
    ref = max(grid, key=lambda r: (r["d"], r["n"]))
    values |= {
        "rem.grid.ratio_min": float(ratios.min()),
        "rem.grid.ratio_max": float(ratios.max()),
        "rem.grid.n_cells": len(grid),
        "rem.grid.n_passed": sum(c.passed for c in grid_claims(crossings, settings)),
        "rem.grid.dims": join_numbers(map(int, sorted({r["d"] for r in grid})), "{}"),
        "rem.grid.sizes": join_numbers(map(int, sorted({r["n"] for r in grid})), "{}"),
        "rem.grid.y2_tc_min": min(r["y2_at_tc"] for r in grid),
        "rem.grid.y2_tc_max": max(r["y2_at_tc"] for r in grid),
    }
    ref_keys = {"d": "d", "n": "n", "tc": "predicted_tc", "crossing": "crossing"}
    ref_keys |= {"ratio": "crossing_ratio", "ratio_err": "crossing_ratio_err"}
    ref_keys |= {"y2_tc": "y2_at_tc", "y2_2tc": "y2_at_2tc", "width": "width"}
    ref_keys |= {"annealed_width": "annealed_width", "bootstrap_err": "bootstrap_err"}
    ref_keys |= {"crossing_err": "crossing_err", "crossing_sd": "crossing_sd"}
    values |= {f"rem.ref.{name}": ref[key] for name, key in ref_keys.items()}
    values["rem.ref.band_hi_ratio"] = ref["band_hi"] / ref["predicted_tc"]
    values["rem.grid.band_hi_ratio_max"] = max(r["band_hi"] / r["predicted_tc"] for r in grid)
    # cue bootstrap of one dataset against the spread between datasets (SD of one dataset)
    values["rem.grid.spread_over_bootstrap"] = float(
        np.median([r["crossing_sd"] / r["bootstrap_err"] for r in grid])
    )
    return values


def alpha_values(crossings: Sequence[Mapping]) -> dict[str, object]:
    """The fixed-alpha sweep ``rem.alpha.*`` and the binary set ``rem.binary.*``."""
    alpha, binary = _alpha(crossings), _binary(crossings)
    fit = _alpha_fits(crossings)
    values: dict[str, object] = {
        "rem.alpha.alpha": alpha[0]["alpha"],
        "rem.alpha.dims": join_numbers(map(int, [r["d"] for r in alpha]), "{}"),
        **{f"rem.alpha.{key}": value for key, value in fit.items()},
    }
    for tag, r in (("first", alpha[0]), ("last", alpha[-1])):
        for key in ("d", "n", "width", "crossing_ratio", "crossing_ratio_err"):
            values[f"rem.alpha.{tag}.{key}"] = r[key]
        values[f"rem.alpha.{tag}.band_hi_ratio"] = r["band_hi"] / r["predicted_tc"]
    values["rem.binary.d"] = binary["d"]
    values["rem.binary.n"] = binary["n"]
    values["rem.binary.alpha"] = binary["alpha"]
    values["rem.binary.gaussian_tc"] = float(rem.critical_temperature(binary["n"], binary["d"]))
    values["rem.binary.tc"] = binary["predicted_tc"]
    values["rem.binary.ratio"] = binary["crossing_ratio"]
    values["rem.binary.ratio_err"] = binary["crossing_ratio_err"]
    values["rem.binary.band_hi_ratio"] = binary["band_hi"] / binary["predicted_tc"]
    return values


def memorization_values(onsets: Sequence[Mapping], runs: Sequence[Mapping]) -> dict[str, object]:
    """``rem.memorization.*``: dimensions, sizes, the reference onset, the onset-ratio range."""
    onsets = sorted(onsets, key=lambda r: r["d"])
    ref, onset_ratios = onsets[-1], [r["onset_ratio"] for r in runs]
    return {
        "rem.memorization.dims": join_numbers(map(int, [r["d"] for r in onsets]), "{}"),
        "rem.memorization.sizes": join_numbers(map(int, sorted({r["n"] for r in runs})), "{}"),
        "rem.memorization.ref.d": ref["d"],
        "rem.memorization.ref.stop_temperature": ref["stop_temperature"],
        "rem.memorization.ref.n_max": ref["n_max"],
        "rem.memorization.ref.n_half": ref["n_half"],
        "rem.memorization.ref.n_half_err": ref["n_half_err"],
        "rem.memorization.ref.log_n_half": ref["log_n_half"],
        "rem.memorization.ref.log_n_half_err": ref["log_n_half_err"],
        "rem.memorization.ref.log_n_max": ref["log_n_max"],
        "rem.memorization.onset_ratio_min": min(onset_ratios),
        "rem.memorization.onset_ratio_max": max(onset_ratios),
    }


DIGITS_KEYS = (
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
)


def digits_values(digits: Mapping[str, NDArray]) -> dict[str, object]:
    """``rem.digits.*``: condensation of the bundled digits (:func:`real_data_analysis`)."""
    values: dict[str, object] = {f"rem.digits.{k}": float(digits[k]) for k in DIGITS_KEYS}
    values["rem.digits.n"] = int(digits["n_points"])
    values["rem.digits.d"] = int(digits["dim"])
    return values


def config_values(settings: Mapping) -> dict[str, object]:
    """``rem.config.*``: the configuration the text quotes (when ``settings`` carries it)."""
    values = {f"rem.config.{k}": v for k, v in settings.get("settings", {}).items()}
    if "alpha" in settings:
        values["rem.config.alpha_sweep.alpha"] = settings["alpha"]
    mem = settings.get("memorization", {})
    names = {"stop_tau": "stop_tau", "threshold": "nn_ratio_threshold"}
    names |= {k: k for k in ("n_generated", "n_steps", "t_max_ratio", "t_min_ratio")}
    values |= {f"rem.config.memorization.{n}": mem[k] for n, k in names.items() if k in mem}
    return values


def values(summaries: Mapping, settings: Mapping) -> dict[str, object]:
    """Numbers the paper quotes (keys ``rem.*``). Keys that do not name a configured (d, N)
    (``rem.ref.*`` = largest d and N, ranges, listings) keep the text valid for any config."""
    crossings = summaries["crossings"]
    return {
        "rem.error_multiple": _k(settings),
        "rem.n_datasets": int(crossings[0]["n_datasets"]),
        **grid_values(crossings, settings),
        **alpha_values(crossings),
        **memorization_values(summaries["onsets"], summaries["runs"]),
        **digits_values(summaries["digits"]),
        **config_values(settings),
    }
