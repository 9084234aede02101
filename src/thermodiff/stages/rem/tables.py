"""Summary tables of the rem stage: one row per dataset and (d, N) from the analyses, and their
aggregation over independent pattern sets (the summarize job).

Every (d, N) is simulated on ``rem.n_datasets`` independent pattern sets; :func:`aggregate_crossings`
and :func:`aggregate_onsets` average over them and take the standard error of the mean from their
spread (the cue bootstrap of one set is kept for comparison only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from thermodiff import rem
from thermodiff.stages.rem.analyses import (
    PREDICTED_TC,
    memorization_onset_size,
)


def _at_ratio(cell: Mapping[str, NDArray], key: str, ratio: float) -> float:
    """Value of a curve at ``T / T_c = ratio``, interpolated linearly in log T."""
    return float(np.interp(np.log(ratio), np.log(cell["ratio"]), cell[key]))


def _with_ratio(name: str, row: Mapping[str, NDArray], t_c: float) -> dict[str, float]:
    """``name``, ``name_err`` and both over ``T_c`` (``name_ratio``, ``name_ratio_err``)."""
    value, error = float(row[name]), float(row[f"{name}_err"])
    return {
        name: value,
        f"{name}_err": error,
        f"{name}_ratio": value / t_c,
        f"{name}_ratio_err": error / t_c,
    }


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
        **_with_ratio("crossing", cell, t_c),
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
        **_with_ratio("onset", run, t_c),
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
