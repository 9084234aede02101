"""Claims of the rem stage (ids ``rem.<topic>.<quantity>``): ``claims(summaries, settings)``
from :func:`grid_claims`, :func:`alpha_claims`, :func:`binary_claims`, :func:`memorization_claims`.

Tolerances are k standard errors over independent pattern sets (``settings["error_multiple"]``),
plus the stated theory bands: crossing temperatures are judged against the REM band
``[T_c(N-1), T_c((N-1)/2)]`` (:func:`thermodiff.rem.crossing_band`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from thermodiff import estimators
from thermodiff.claims import Claim, make_claim

SECTION = "11"


def error_multiple(settings: Mapping) -> float:
    """k: tolerances are k standard errors over independent pattern sets."""
    return float(settings["error_multiple"])


def grid_rows(crossings: Sequence[Mapping]) -> list[Mapping]:
    """The crossing rows of the (d, N) grid."""
    return [r for r in crossings if r["group"] == "grid"]


def alpha_rows(crossings: Sequence[Mapping]) -> list[Mapping]:
    """The crossing rows of the fixed-alpha sweep, by d."""
    return sorted((r for r in crossings if r["group"] == "alpha"), key=lambda r: r["d"])


def binary_row(crossings: Sequence[Mapping]) -> Mapping:
    """The one crossing row of the binary patterns."""
    (binary,) = [r for r in crossings if r["group"] == "binary"]
    return binary


def _band_claim(claim_id: str, r: Mapping, what: str, settings: Mapping) -> Claim:
    """Crossing of one (kind, d, N) against the REM band, tolerance half-band + k SE."""
    k = error_multiple(settings)
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
        for r in grid_rows(crossings)
    ]


def alpha_fits(crossings: Sequence[Mapping]) -> dict[str, float]:
    """Fixed-alpha sweep: log-log slope of the mean width against d (weighted by the dataset
    errors of ln width) and the annealed slope; intercept at 1/d -> 0 of ln(crossing / T_c)."""
    alpha = alpha_rows(crossings)
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
    alpha, k = alpha_rows(crossings), error_multiple(settings)
    level = settings["width_level"]
    fit = alpha_fits(crossings)
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
    b = binary_row(crossings)
    what = f"N = {b['n']} binary patterns in d = {b['d']} (T_c from alpha = E_z g((1 + sigma z)/sigma^2))"
    return [_band_claim("rem.binary.critical_temperature", b, what, settings)]


def memorization_claims(onsets: Sequence[Mapping], settings: Mapping) -> list[Claim]:
    """``rem.memorization.onset``: ln N_half of generation against the capacity ln N_max."""
    onsets, k = sorted(onsets, key=lambda r: r["d"]), error_multiple(settings)
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
