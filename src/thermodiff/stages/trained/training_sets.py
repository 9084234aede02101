"""Training sets of the trained stage: built from the data stage's arrays, saved, read back.

Kinds (``kind``) and their reference temperature ``T_ref``: :mod:`thermodiff.stages.trained`.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from numpy.typing import NDArray

from thermodiff import markers, meanfield


def training_set(
    kind: str,
    y: NDArray,
    labels: NDArray,
    *,
    mu: NDArray | None = None,
    variance: float | None = None,
    pixel_mean: NDArray | None = None,
    subset_seed: int = 0,
) -> dict[str, Any]:
    """Training set of one experiment, with its order parameter and analytic markers.

    Parameters
    ----------
    kind : str
        ``mixture``, ``digits01``, ``digits10`` or ``digitsN<n>`` (module docstring).
    y : ndarray of shape (N, d)
        Parent data set (the two-cluster mixture, or the centred digits).
    labels : ndarray of int, shape (N,)
    mu : ndarray of shape (d,), optional
        Mixture centre (``mixture`` only).
    variance : float, optional
        Per-coordinate cluster variance of the mixture (``mixture`` only): with ``mu`` it defines
        the analytic exact denoiser.
    pixel_mean : ndarray of shape (d,), optional
        Mean removed from the parent data (digits), kept as ``offset`` for display only.
    subset_seed : int
        Seed of the random subset (``digitsN<n>``), combined with ``n``.

    Returns
    -------
    dict
        ``y`` (N', d), ``labels`` (N',), ``direction`` (d,), ``centre`` (d,), ``classifier``
        (``"sign"`` or ``"nearest"``), ``n_classes``, ``lambda_max`` of the set, ``t_ref`` (the
        temperature scale of the grids) and ``markers`` (:func:`thermodiff.markers.analytic_markers`
        of ``t_ref``), ``offset`` (d,) the mean removed from the data (to display images); for
        the mixture also ``mu`` and ``mixture_variance``.
    """
    y, labels = np.asarray(y, dtype=float), np.asarray(labels)
    offset = np.zeros(y.shape[1]) if pixel_mean is None else np.asarray(pixel_mean, dtype=float)
    parent_lambda = float(markers.covariance_spectrum(y)[0])
    if kind == "mixture":
        u = np.asarray(mu, dtype=float) / np.linalg.norm(mu)
        out = {"y": y, "labels": labels, "direction": u, "centre": np.zeros(y.shape[1])}
        out |= {"classifier": "sign", "n_classes": 2, "mu": np.asarray(mu, dtype=float)}
        out |= {"mixture_variance": float(variance)}
    elif kind == "digits01":
        keep = np.isin(labels, [0, 1])
        offset = offset + y[keep].mean(axis=0)
        ys = y[keep] - y[keep].mean(axis=0)
        u, centre = markers.class_mean_direction(ys, labels[keep])
        out = {"y": ys, "labels": labels[keep], "direction": u, "centre": centre}
        out |= {"classifier": "sign", "n_classes": 2}
    elif kind == "digits10":
        out = {"y": y, "labels": labels, "direction": markers.top_pc_direction(y)}
        out |= {"centre": y.mean(axis=0), "classifier": "nearest", "n_classes": 10}
    elif match := re.fullmatch(r"digitsN(\d+)", kind):
        n = int(match.group(1))
        rng = np.random.default_rng([int(subset_seed), n])
        pick = np.sort(rng.choice(len(y), size=n, replace=False))
        out = {"y": y[pick], "labels": labels[pick], "direction": markers.top_pc_direction(y)}
        out |= {"centre": y.mean(axis=0), "classifier": "nearest", "n_classes": 10}
    else:
        raise ValueError(f"unknown training set {kind!r}")
    lam = float(markers.covariance_spectrum(out["y"])[0])
    if kind == "mixture":  # lambda_max(chi(0)) = 1 at T_c = |mu|^2 - s2, not at lambda_max
        a = float(np.linalg.norm(mu))
        t_c = float(meanfield.two_cluster_critical_temperature(a, variance))
        mk = markers.analytic_markers(lam, t_c, markers.mixture_decision_temperature(a, variance))
        out |= {"t_ref": t_c, "markers": mk | {"T_x0": t_c}}
    else:  # no exact symmetry: lambda_max is the leading order of chi at the mean, C / T
        t_ref = parent_lambda if kind.startswith("digitsN") else lam
        out |= {"t_ref": t_ref, "markers": markers.analytic_markers(t_ref)}
        if not kind.startswith("digitsN"):
            centred = out["y"] - out["y"].mean(axis=0)
            out["markers"]["T_x0"] = meanfield.symmetric_critical_temperature(
                centred, t_bracket=(0.2 * lam, 1.01 * lam)
            )
    spectrum = np.append(markers.covariance_spectrum(out["y"]), [np.nan, np.nan])
    out["markers"] |= {"lambda_2": float(spectrum[1]), "lambda_3": float(spectrum[2])}
    out["lambda_max"] = lam
    out["offset"] = offset
    return out


def load_training_set(arrays: dict[str, NDArray]) -> dict[str, Any]:
    """A training set read back from its ``.npz`` (scalars and strings as Python values)."""
    out: dict[str, Any] = dict(arrays)
    if "mixture_variance" in out:
        out["mixture_variance"] = float(arrays["mixture_variance"])
    out["classifier"] = str(arrays["classifier"])
    out["n_classes"] = int(arrays["n_classes"])
    out["lambda_max"] = float(arrays["lambda_max"])
    out["t_ref"] = float(arrays["t_ref"])
    return out
