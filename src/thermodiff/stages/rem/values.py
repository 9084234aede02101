"""Numbers of the rem stage that the paper quotes (keys ``rem.*``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from thermodiff import rem
from thermodiff.macros import join_numbers
from thermodiff.stages.rem.claims import (
    alpha_fits,
    alpha_rows,
    binary_row,
    error_multiple,
    grid_claims,
    grid_rows,
)


def grid_values(crossings: Sequence[Mapping], settings: Mapping) -> dict[str, object]:
    """Per-cell values ``rem.d<d>.n<N>.*``, grid ranges and the reference (largest) cell."""
    grid, values = grid_rows(crossings), {}
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
    alpha, binary = alpha_rows(crossings), binary_row(crossings)
    fit = alpha_fits(crossings)
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
        "rem.error_multiple": error_multiple(settings),
        "rem.n_datasets": int(crossings[0]["n_datasets"]),
        **grid_values(crossings, settings),
        **alpha_values(crossings),
        **memorization_values(summaries["onsets"], summaries["runs"]),
        **digits_values(summaries["digits"]),
        **config_values(settings),
    }
