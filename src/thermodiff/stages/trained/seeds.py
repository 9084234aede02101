"""Statistics over training seeds (scores named ``seed<i>``): mean, its error, the listing."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from thermodiff.macros import join_numbers


def seed_mean(
    scores: Mapping[str, Mapping], key: str, error_key: str | None = None
) -> tuple[float, float]:
    """Mean over training seeds (scores ``seed*``) of a scalar ``key``, and the standard error of
    that mean from the per-seed errors ``error_key``: ``sqrt(sum_i se_i^2) / n`` (NaN if
    ``error_key`` is not given or a seed lacks it)."""
    recs = [r for s, r in scores.items() if s.startswith("seed")]
    value = float(np.mean([r[key] for r in recs]))
    if error_key is None or not all(error_key in r for r in recs):
        return value, float("nan")
    return value, float(np.sqrt(np.sum([r[error_key] ** 2 for r in recs])) / len(recs))


def seed_list(scores: Mapping[str, Mapping], key: str, fmt: str = "{:.3f}") -> str:
    """Every training seed's value of ``key``, in seed order (reported, not only the mean)."""
    seeds = sorted((s for s in scores if s.startswith("seed")), key=lambda s: int(s[4:]))
    return join_numbers((scores[s][key] for s in seeds), fmt)


def rounded(value: float, error: float) -> tuple[str, str]:
    """Text of a value and its error, the error to 2 significant digits (for the paper)."""
    if not np.isfinite(error) or error <= 1e-9:  # e.g. a peak pinned at the end of the grid
        return f"{value:.3f}", "0"
    digits = max(0, 1 - int(np.floor(np.log10(error))))
    return f"{value:.{digits}f}", f"{error:.{digits}f}"
