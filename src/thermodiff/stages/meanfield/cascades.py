"""Discrete cascades (paper §5.2): the four-point set and the digits, what their jobs save.

Fixed points of the empirical denoiser tracked on an annealing grid; each builder returns
``(arrays, summary)``: the arrays a job saves as ``.npz`` and the mapping it writes as JSON.
The Gaussian control (:func:`gaussian_control`) is here too: data that never break symmetry.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from thermodiff import meanfield as mf

BROKEN = 1e-6
"""A fixed-point component (or norm) above this counts as broken symmetry on an annealing grid."""


def _first_broken(broken: NDArray) -> int:
    """Index of the first broken grid point while cooling (temperatures sorted downwards)."""
    return int(np.argmax(broken))


def four_point_cascade(y: ArrayLike, temperatures: ArrayLike) -> tuple[dict, dict]:
    """Cascade of factorised data ``(+-a, +-b, ...)``: ``T_c,k = (half-width along axis k)**2``.

    ``y`` (N, d); ``temperatures`` (K,) sorted downwards (the annealing order). Each bifurcation
    is located on the annealed path, component by component, in order of decreasing T_c.
    """
    y = np.asarray(y, dtype=float)
    temperatures = np.asarray(temperatures, dtype=float)
    half_widths = np.abs(y).max(axis=0)
    predicted = np.sort(half_widths**2)[::-1]
    path = mf.anneal_fixed_points(y, temperatures, np.zeros(y.shape[1]))
    solve = mf.annealed_fixed_points(y, np.zeros(y.shape[1]))
    measured = []
    for axis in np.argsort(half_widths)[::-1]:
        k = _first_broken(np.abs(path.x[:, axis]) > BROKEN)
        measured.append(
            mf.locate_bifurcation(
                lambda t, axis=axis: np.abs(solve(t)[:, axis]),
                temperatures[k],
                temperatures[k - 1],
                n_scan=12,
            )
        )
    arrays = {
        "temperature": temperatures,
        "x": path.x,
        "chi_eigenvalues": path.chi_eigenvalues,
        "converged": path.converged,
        "predicted": predicted,
        "measured": np.array(measured),
    }
    summary = {
        "predicted": predicted,
        "measured": measured,
        "all_converged": bool(path.converged.all()),
    }
    return arrays, summary


def _zoom_on_peak(y: NDArray, path: mf.FixedPoints, n_grid: int, tol: float, times: int = 2):
    """Anneal again on a grid of ``n_grid`` points between the neighbours of the largest
    ``lambda_max`` (``times`` times): the crossover peak is narrower than the coarse grid."""
    for _ in range(times):
        k = int(np.clip(np.argmax(path.lambda_max), 1, len(path.temperature) - 2))
        grid = np.linspace(path.temperature[k - 1], path.temperature[k + 1], n_grid)
        path = mf.anneal_fixed_points(y, grid, path.x[k - 1], tol=tol)
    return path


def digits_cascade(
    raw: ArrayLike, symmetric: ArrayLike, temperatures: ArrayLike, tol: float, n_scan: int
) -> tuple[dict, dict]:
    """Sharp transition of symmetrised digits (raw and equal norms), crossover of raw digits.

    ``raw`` (N, d) and ``symmetric`` (2N, d) = D u -D; ``temperatures`` (K,) sorted downwards.
    Predicted instability of ``x* = 0``: ``lambda_max`` of the second moment for equal norms,
    the root of ``T = lambda_max(Cov[y | x=0, T])`` for raw norms; measured: the bifurcation of
    the annealed fixed point. Raw digits: largest ``lambda_max(chi(x*))`` along the path, after
    zooming twice onto its peak with grids of ``4 n_scan`` points.
    """
    raw = np.asarray(raw, dtype=float)
    symmetric = np.asarray(symmetric, dtype=float)
    temperatures = np.asarray(temperatures, dtype=float)
    variants = {
        "raw": raw,
        "symmetric": symmetric,
        "symmetric_equal_norm": mf.equalise_norms(symmetric),
    }
    predicted = {
        "symmetric": mf.symmetric_critical_temperature(symmetric),
        "symmetric_equal_norm": mf.second_moment_top_eigenvalue(variants["symmetric_equal_norm"]),
    }
    arrays = {"temperature": temperatures}
    summary: dict = {"predicted": predicted, "measured": {}}
    paths = {}
    for name, y in variants.items():
        paths[name] = path = mf.anneal_fixed_points(y, temperatures, np.zeros(y.shape[1]), tol=tol)
        norm = np.linalg.norm(path.x, axis=1)
        arrays |= {f"{name}_norm": norm, f"{name}_lambda_max": path.lambda_max}
        summary[f"{name}_all_converged"] = bool(path.converged.all())
        if name in predicted:
            k = _first_broken(norm > BROKEN)
            solve = mf.annealed_fixed_points(y, np.zeros(y.shape[1]), tol=tol)
            summary["measured"][name] = mf.locate_bifurcation(
                lambda t, solve=solve: np.linalg.norm(solve(t), axis=1),
                temperatures[k],
                temperatures[k - 1],
                n_scan=n_scan,
                n_fit=10,
            )
    path = _zoom_on_peak(raw, paths["raw"], 4 * n_scan, tol)
    k = int(np.argmax(path.lambda_max))
    summary["raw"] = {
        "max_lambda_max": float(max(path.lambda_max[k], arrays["raw_lambda_max"].max())),
        "temperature_at_max": float(path.temperature[k]),
        "grid_max_lambda_max": float(arrays["raw_lambda_max"].max()),
        "covariance_top_eigenvalue": float(np.linalg.eigvalsh(np.cov(raw.T, bias=True))[-1]),
    }
    return arrays, summary


def gaussian_control(
    y: NDArray, t_min: float, t_max: float, n: int
) -> tuple[dict[str, NDArray], dict[str, object]]:
    """Gaussian data never break symmetry (docs/theory.md §Gaussian data): ``lambda_max(chi) < 1``.

    For the Gaussian with the mean and covariance of ``y`` (N, d), the fixed point of its
    denoiser and the top eigenvalue of ``chi`` there, at ``n`` temperatures geometric from
    ``t_min`` to ``t_max`` times the top covariance eigenvalue, against the closed form.
    Returns ``(arrays, summary)``.
    """
    mean, cov = y.mean(axis=0), np.cov(y.T, bias=True)
    cov_eigenvalues = np.linalg.eigvalsh(cov)
    temperatures = cov_eigenvalues[-1] * np.geomspace(t_min, t_max, n)
    measured, distance = [], []
    for t in temperatures:
        x, chi = mf.denoiser_fixed_point(
            lambda x, t=t: mf.gaussian_magnetisation(x, mean, cov, t), y[0]
        )
        measured.append(np.linalg.eigvalsh(0.5 * (chi + chi.T))[-1])
        distance.append(np.linalg.norm(x - mean))
    closed = mf.gaussian_susceptibility_eigenvalues(cov_eigenvalues, temperatures).max(axis=1)
    arrays = {"temperature": temperatures, "lambda_max": measured, "closed": closed}
    summary = {
        "max_lambda_max": max(measured),
        "temperature_range": [temperatures[0], temperatures[-1]],
        "max_fixed_point_distance_from_mean": max(distance),
        "max_deviation_from_closed_form": float(np.max(np.abs(np.array(measured) - closed))),
    }
    return arrays, summary
