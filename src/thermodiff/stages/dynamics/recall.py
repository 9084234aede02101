"""Associative memory (paper §10): recall of stored patterns by the exact score, what its job
saves."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from thermodiff import estimators, hopfield
from thermodiff import meanfield as mf


def hopfield_summary(d: int, p: Mapping, *, seed: int, n_boot: int) -> dict[str, NDArray]:
    """Free energy = modern-Hopfield energy, and recall against the capacity law (paper §10).

    Identity: largest ``|F - E - (r**2/2 + T log N)|`` over random equal-norm pattern sets,
    states and temperatures (``F`` from :func:`thermodiff.meanfield.free_energy`, ``E`` from
    :func:`thermodiff.hopfield.hopfield_energy`, independent code). Recall: success fraction of
    fixed-point recall at ``T = sigma**2`` for N on a log grid around ``N_max``, the ``ln N``
    where it falls through 1/2 (logit interpolation, bootstrap over cues).
    """
    rng = np.random.default_rng([seed, 5, d])
    s2, c2 = p["pattern_variance"], p["cue_variance"]
    worst = 0.0
    for _ in range(p["n_identity"]):
        n = int(rng.integers(2, 50))
        y = rng.standard_normal((n, d))
        r = np.sqrt(s2 * d)
        y *= r / np.linalg.norm(y, axis=1, keepdims=True)
        x = np.sqrt(s2 + c2) * rng.standard_normal((8, d))
        t = float(np.exp(rng.uniform(np.log(0.05), np.log(20.0))))
        gap = mf.free_energy(x, y, t) - hopfield.hopfield_energy(x, y, 1.0 / t)
        worst = max(worst, float(np.abs(gap - (0.5 * r * r + t * np.log(n))).max()))
    n_max = hopfield.capacity(c2, s2, d)
    width = hopfield.capacity_width(c2, s2, d)
    sizes = np.unique(
        np.maximum(
            2, np.round(n_max * np.exp(np.linspace(-1, 1, p["n_sizes"]) * p["spread"] * width))
        )
    ).astype(int)
    success = np.stack(
        [
            hopfield.recall_success(
                int(n), d, cue_variance=c2, pattern_variance=s2, n_cues=p["n_cues"], rng=rng
            )
            for n in sizes
        ]
    ).astype(float)

    def half(curve):
        return float(np.log(estimators.half_crossing(sizes, curve)))

    value, err = estimators.bootstrap(rng, half, success, n_boot, min_finite=0.5)
    # energy along the segment between two stored patterns (figure), equal norms, d dimensions
    y = np.sqrt(s2) * rng.standard_normal((6, d))
    line = np.linspace(-0.5, 1.5, 201)
    seg = y[0] + line[:, None] * (y[1] - y[0])
    temps = np.asarray(p["landscape_temperatures"], dtype=float) * s2
    energy = np.stack([mf.free_energy(seg, y, t) for t in temps])
    return {
        "d": np.int64(d),
        "identity_max_error": np.float64(worst),
        "n_max": np.float64(n_max),
        "width": np.float64(width),
        "sizes": sizes,
        "success": success.mean(axis=1),
        "log_n_half": np.float64(value),
        "log_n_half_err": np.float64(err),
        "segment": line,
        "landscape_temperatures": temps,
        "landscape": energy,
    }
