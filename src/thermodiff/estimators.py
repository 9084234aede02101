"""Estimators shared by every stage: where a measured curve crosses a level, where it peaks, and
the bootstrap error of either. Numpy only; no stage writes its own.

* :func:`crossing`: the abscissa where a sampled curve crosses a level, interpolated between the
  two bracketing grid points in the coordinates named by ``interpolation``:

  - ``"linear"``: straight line in ``(x, y)``;
  - ``"log"``: straight line in ``(log x, y)`` (temperatures on a geometric grid);
  - ``"logit"``: straight line in ``(log x, logit y)`` for curves in [0, 1]; a logistic crossover
    ``y = 1 / (1 + (x / x_c)^k)`` is exactly straight there, so its crossing is recovered without
    bias on any grid.

  Which bracket is used is ``rule``: ``"first"`` scans in array order for the first interval with a
  sign change of ``y - level`` (or a grid point exactly at the level), in either direction;
  ``"last_fall"`` takes the interval after the last grid point at or above the level (for a curve
  that falls along ``x``: where it leaves the level for good; NaN if that point is the last one).
* :func:`peak`: the maximum of a sampled curve refined by a least-squares parabola.
* :func:`bootstrap`: a statistic of the reduced curve (mean or median over samples) and its
  standard error from resampling the samples (columns) with replacement.
* :func:`fit_power_law`: slope and amplitude of a power law by least squares in log-log
  coordinates (critical exponents, the scaling of crossover widths with d).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Interpolation = Literal["linear", "log", "logit"]
Rule = Literal["first", "last_fall"]

LOGIT_CLIP = 1e-3
"""``logit`` interpolation clips y to [1e-3, 1 - 1e-3]: a neighbour at exactly 0 or 1 (a fraction
of finitely many samples) must not pull the interpolated crossing onto itself."""


def logit(p: ArrayLike) -> NDArray[np.float64]:
    """``log(p / (1 - p))`` of ``p`` clipped to ``[LOGIT_CLIP, 1 - LOGIT_CLIP]``."""
    p = np.clip(np.asarray(p, dtype=float), LOGIT_CLIP, 1.0 - LOGIT_CLIP)
    return np.log(p) - np.log1p(-p)


def _bracket(y: NDArray, level: float, rule: Rule) -> int | None:
    """Index k of the bracketing interval [k, k + 1] (see the module docstring), or None."""
    if rule == "last_fall":
        above = np.nonzero(y >= level)[0]
        if above.size == 0 or above[-1] == len(y) - 1:
            return None
        return int(above[-1])
    if rule != "first":
        raise ValueError(f"unknown crossing rule {rule!r}")
    v = y - level
    for k in range(len(v) - 1):
        if v[k] == 0.0 or v[k] * v[k + 1] < 0:
            return k
    return None


def crossing(
    x: ArrayLike,
    y: ArrayLike,
    level: float,
    *,
    interpolation: Interpolation = "linear",
    rule: Rule = "first",
) -> float:
    """Abscissa where the sampled curve ``y(x)`` crosses ``level``; NaN if it does not on the grid.

    Parameters
    ----------
    x : array_like of shape (K,)
        Grid, in the order the curve is scanned (positive for ``"log"`` and ``"logit"``).
    y : array_like of shape (K,)
        Curve values (in [0, 1] for ``"logit"``).
    level : float
    interpolation : {"linear", "log", "logit"}
        Coordinates in which the curve is a straight line between the bracketing points.
    rule : {"first", "last_fall"}
        Which bracketing interval (module docstring).

    Notes
    -----
    With ``X``, ``Y`` the grid and curve in the interpolation coordinates and ``t`` the level
    there, the bracket ``[k, k + 1]`` gives ``X* = X_k + (Y_k - t) / (Y_k - Y_{k+1}) (X_{k+1} -
    X_k)`` (``X_k`` if ``Y_k = t``; midpoint if ``Y_k = Y_{k+1}``, as when both are clipped), mapped
    back to ``x``.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    k = _bracket(y, level, rule)
    if k is None:
        return float("nan")
    big_x = np.log(x[k : k + 2]) if interpolation in ("log", "logit") else x[k : k + 2]
    if interpolation == "logit":
        big_y, target = logit(y[k : k + 2]), float(logit(level))
    elif interpolation in ("linear", "log"):
        big_y, target = y[k : k + 2], float(level)
    else:
        raise ValueError(f"unknown interpolation {interpolation!r}")
    lo, hi = big_y
    if lo == target:  # a grid point exactly at the level
        frac = 0.0
    else:
        frac = 0.5 if lo == hi else (lo - target) / (lo - hi)
    at = big_x[0] + frac * (big_x[1] - big_x[0])
    return float(np.exp(at)) if interpolation in ("log", "logit") else float(at)


def half_crossing(x: ArrayLike, curve: ArrayLike, level: float = 0.5) -> float:
    """Where a curve falling along ``x`` (own-point weight, memorized fraction, recall success)
    leaves ``level`` for good, interpolated in ``(log x, logit curve)``: :func:`crossing` with
    ``interpolation="logit"``, ``rule="last_fall"``."""
    return crossing(x, curve, level, interpolation="logit", rule="last_fall")


def crossing_width(
    x: ArrayLike, y: ArrayLike, level: float = 0.9, *, interpolation: Interpolation = "logit"
) -> float:
    """``ln(x_lo / x_hi)``: log-span over which a curve falling along ``x`` goes from ``level`` to
    ``1 - level`` (both crossings with ``rule="last_fall"``; NaN if either is off the grid)."""
    hi = crossing(x, y, level, interpolation=interpolation, rule="last_fall")
    lo = crossing(x, y, 1.0 - level, interpolation=interpolation, rule="last_fall")
    return float(np.log(lo / hi))


def peak(x: ArrayLike, y: ArrayLike, window: float | None = None) -> float:
    """Location of the maximum of ``y`` on the grid ``x``, refined by a parabola.

    Least-squares parabola ``y ~ c2 x^2 + c1 x + c0`` through the grid points within ``window`` of
    the grid maximum (at least its two neighbours; ``None``: exactly those three points); its
    vertex ``-c1 / (2 c2)``, clipped to the fitted interval, is returned. A wider window averages
    the noise of a Monte Carlo curve over more points. At either end of the grid, or where the
    fitted parabola is not concave, the grid maximum itself is returned.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    k = int(np.nanargmax(y))
    if k == 0 or k == len(y) - 1:
        return float(x[k])
    near = np.abs(x - x[k]) <= (window or 0.0)
    near[k - 1 : k + 2] = True
    coeffs = np.polyfit(x[near], y[near], 2)
    if coeffs[0] >= 0:
        return float(x[k])
    return float(np.clip(-coeffs[1] / (2.0 * coeffs[0]), x[near].min(), x[near].max()))


def bootstrap(
    rng: np.random.Generator,
    statistic: Callable[[NDArray], float],
    values: ArrayLike,
    n_boot: int,
    *,
    reducer: Callable[..., NDArray] = np.mean,
    min_finite: float = 0.0,
) -> tuple[float, float]:
    """A statistic of the sample-reduced curve and its bootstrap standard error.

    Parameters
    ----------
    rng : numpy Generator
        Draws the resampling indices, all at once: shape (n_boot, B).
    statistic : callable
        ``statistic(curve) -> float`` on a curve of shape (K,) (bind the grid with a closure).
    values : array_like of shape (K, B)
        Per-grid-point, per-sample values (samples = cues, trajectories...). Resampling whole
        columns keeps the correlation between grid points that common random numbers create.
    n_boot : int
    reducer : callable
        ``reducer(values, axis=1)``: ``np.mean`` (fractions, trajectory means) or ``np.median``.
    min_finite : float
        The error is the standard deviation (ddof 1) over resamplings that gave a finite value,
        NaN if fewer than ``max(2, min_finite * n_boot)`` did.

    Returns
    -------
    (estimate, standard error)
    """
    data = np.asarray(values, dtype=float)
    n = data.shape[1]
    estimate = statistic(reducer(data, axis=1))
    idx = rng.integers(0, n, size=(n_boot, n))
    reps = np.array([statistic(reducer(data[:, i], axis=1)) for i in idx], dtype=float)
    finite = reps[np.isfinite(reps)]
    enough = finite.size >= max(2, int(min_finite * n_boot))
    return float(estimate), float(np.std(finite, ddof=1)) if enough else float("nan")


@dataclass(frozen=True)
class PowerLawFit:
    """Least-squares fit ``log y = slope log x + log amplitude`` over ``window``.

    Attributes
    ----------
    slope, amplitude : float
    window : (float, float)
        Range of the abscissa used.
    residual : float
        Root-mean-square residual of ``log y`` about the fitted line.
    n_points : int
    x, y : ndarray of shape (K,)
        The data fitted (for plotting): the finite positive pairs of the input.
    """

    slope: float
    amplitude: float
    window: tuple[float, float]
    residual: float
    n_points: int
    x: NDArray[np.float64]
    y: NDArray[np.float64]

    def summary(self) -> dict:
        """Scalars of the fit, for JSON records."""
        return {
            "slope": self.slope,
            "amplitude": self.amplitude,
            "window": list(self.window),
            "residual": self.residual,
            "n_points": self.n_points,
        }


def fit_power_law(x: ArrayLike, y: ArrayLike) -> PowerLawFit:
    """Fit ``y = amplitude * x**slope`` by linear least squares in log-log coordinates.

    ``x``, ``y`` of shape (K,); pairs that are not finite and positive are left out.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y) & (x > 0) & (y > 0)
    x, y = x[ok], y[ok]
    log_x, log_y = np.log(x), np.log(y)
    slope, intercept = np.polyfit(log_x, log_y, 1)
    residual = log_y - (slope * log_x + intercept)
    return PowerLawFit(
        slope=float(slope),
        amplitude=float(np.exp(intercept)),
        window=(float(x.min()), float(x.max())),
        residual=float(np.sqrt(np.mean(residual**2))),
        n_points=len(x),
        x=x,
        y=y,
    )


def line_fit(x: ArrayLike, y: ArrayLike, sigma: ArrayLike) -> tuple[NDArray, NDArray]:
    """Weighted least-squares line ``y = c1 x + c0`` with known errors ``sigma`` of ``y``.

    Returns ``(coefficients [c1, c0], standard errors [se1, se0])`` from the inverse of the
    weighted normal matrix (``sum x^k / sigma^2``): the errors follow from the stated ``sigma``
    alone, not from the scatter about the line, so a model that misfits is not hidden by a larger
    error. Needs at least two points with finite ``y`` and positive finite ``sigma``.
    """
    x, y, s = (np.asarray(v, dtype=float) for v in (x, y, sigma))
    ok = np.isfinite(x) & np.isfinite(y) & np.isfinite(s) & (s > 0)
    if ok.sum() < 2:
        return np.full(2, np.nan), np.full(2, np.nan)
    w = 1.0 / s[ok] ** 2
    design = np.stack([x[ok], np.ones(ok.sum())], axis=1)
    normal = design.T @ (design * w[:, None])
    cov = np.linalg.inv(normal)
    coef = cov @ (design.T @ (w * y[ok]))
    return coef, np.sqrt(np.diag(cov))
