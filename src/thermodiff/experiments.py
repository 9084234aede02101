"""The trained-model experiments of paper §12: training sets, sampler grids and probe summaries.

Glue between the data stage and the estimators of :mod:`thermodiff.probes`, kept here so that the
Snakemake scripts stay thin. Everything is a pure function of arrays and parameters.

Training sets (``kind``):

* ``mixture``: the symmetric two-cluster mixture of the data stage; order parameter
  ``u = mu / |mu|``, classes by the side of the midplane.
* ``digits01``: 8x8 digits of classes 0 and 1, re-centred on their own mean; ``u`` = unit
  class-mean difference, classes by the side of the midplane between the class means.
* ``digits10``: all 1797 digits; ``u`` = top principal component, classes by the 1-NN label.
* ``digitsN<n>``: a random subset of ``n`` digits (memorization regime); its sampler grid uses
  the temperature scale of the full digits.

Time grids are geometric in the VE temperature and scaled by the set's reference temperature
``T_ref = lambda_max`` (the mean-field ``T_c``): ``T`` from ``t_max_over_tc T_ref`` down to
``t_min_over_tc T_ref``. Peaks are reported in OU time ``s = log(1 + T) / 2`` (VP time,
:mod:`thermodiff.schedules`), on which the branch grid is nearly uniform.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from thermodiff import markers
from thermodiff.dynamics import geometric_temperatures
from thermodiff.schedules import ou_time_from_temperature

if TYPE_CHECKING:  # torch-based modules are imported by the functions that run probes, so that
    import torch  # preparing training sets and summarising curves stay light jobs

    from thermodiff import probes

# clone agreement at the mean-field T_c of two-delta data, 0.7752 (Biroli et al.'s 0.7753)
PHI_CRITICAL = float(markers.mixture_clone_agreement(1.0, 1.0))

# ---------------------------------------------------------------------------------------------
# Training sets


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
    t_ref = parent_lambda if kind.startswith("digitsN") else lam
    out |= {"lambda_max": lam, "t_ref": t_ref, "markers": markers.analytic_markers(t_ref)}
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


def classifier_for(train: dict[str, Any]) -> probes.Classifier:
    """The class rule of a training set: midplane side (two classes) or 1-NN label."""
    from thermodiff import probes

    if train["classifier"] == "sign":
        return probes.sign_classifier(train["direction"], train["centre"])
    return probes.nearest_neighbour_classifier(train["y"], train["labels"])


def exact_denoiser(train: dict[str, Any]) -> probes.Denoiser:
    """Exact score of a training set: analytic for the mixture, the empirical posterior mean else.

    The mixture's exact denoiser is that of the population ``(N(mu, s2 I) + N(-mu, s2 I)) / 2``
    the training points were drawn from; a finite set's is :class:`thermodiff.denoisers.
    EmpiricalDenoiser` (physics.md §3.2), which memorises by construction.
    """
    import torch

    from thermodiff import probes

    if "mu" in train:
        return probes.mixture_denoiser(
            torch.as_tensor(train["mu"]), float(train["mixture_variance"])
        )
    from thermodiff.denoisers import EmpiricalDenoiser

    return EmpiricalDenoiser(train["y"])


def score_denoiser(
    score: str, train: dict[str, Any], model_path: str | None, device: str = "cpu"
) -> probes.Denoiser:
    """``score == "exact"``: :func:`exact_denoiser`; otherwise the trained model at ``model_path``."""
    if score == "exact":
        return exact_denoiser(train)
    from thermodiff.models import as_denoiser
    from thermodiff.training import load_model

    model, _ = load_model(model_path, device)
    return as_denoiser(model)


# ---------------------------------------------------------------------------------------------
# Grids


def sampler_temperatures(
    t_ref: float, t_max_over_tc: float, t_min_over_tc: float, n_steps: int
) -> NDArray[np.float64]:
    """Geometric reverse-SDE grid from ``t_max_over_tc t_ref`` to ``t_min_over_tc t_ref``; (K+1,)."""
    return geometric_temperatures(t_max_over_tc * t_ref, t_min_over_tc * t_ref, n_steps)


def indices_in_window(
    temperatures: NDArray, t_ref: float, low: float, high: float, every: int = 1
) -> list[int]:
    """Grid indices with ``low t_ref < T < high t_ref``, every ``every``-th (hottest first)."""
    inside = [k for k, t in enumerate(temperatures[:-1]) if low * t_ref < t < high * t_ref]
    return inside[::every]


def nearest_indices(temperatures: NDArray, targets: NDArray) -> list[int]:
    """Grid index nearest (in log T) to each target temperature, unique, hottest first."""
    log_t = np.log(np.asarray(temperatures[:-1]))
    picked = {int(np.argmin(np.abs(log_t - np.log(t)))) for t in np.atleast_1d(targets)}
    return sorted(picked)


# ---------------------------------------------------------------------------------------------
# Summaries of probe runs


def summarize_branching(
    result: probes.BranchingResult, window: float, n_boot: int, seed: int = 0
) -> dict[str, Any]:
    """Curves, peak and crossing of a :func:`thermodiff.probes.branching_probe` run.

    Returns
    -------
    dict
        ``T`` and ``s`` (K_b,) branch temperatures and OU times; ``response`` and
        ``response_se`` (K_b,) trajectory mean and standard error of the CRN response;
        ``agreement`` and ``agreement_se`` (K_b,); ``peak_s`` (parabola over ``window`` in s) with
        its bootstrap error ``peak_se``; ``spacing`` (local branch spacing in s at the peak);
        ``phi_cross_s``: where the clone agreement crosses :data:`PHI_CRITICAL` (with bootstrap
        error ``phi_cross_se``); ``class_balance``: fraction of final samples in class 1.
    """
    s = ou_time_from_temperature(result.temperatures)
    rng = np.random.default_rng(seed)
    peak, peak_se = markers.bootstrap(
        lambda v: markers.peak_location(s, v, window), result.response, n_boot, rng
    )
    # phi increases as s decreases; scan from cold to hot for the first crossing
    cross, cross_se = markers.bootstrap(
        lambda v: markers.crossing_location(s[::-1], v[::-1], PHI_CRITICAL),
        result.agreement,
        n_boot,
        rng,
    )
    k = int(np.argmin(np.abs(s - peak)))
    spacing = float(np.abs(np.diff(s))[min(k, len(s) - 2)]) if len(s) > 1 else float("nan")
    m = result.response.shape[1]
    return {
        "T": result.temperatures,
        "s": s,
        "response": result.response.mean(axis=1),
        "response_se": result.response.std(axis=1, ddof=1) / np.sqrt(m),
        "agreement": result.agreement.mean(axis=1),
        "agreement_se": result.agreement.std(axis=1, ddof=1) / np.sqrt(m),
        "peak_s": peak,
        "peak_se": peak_se,
        "spacing": spacing,
        "phi_cross_s": cross,
        "phi_cross_se": cross_se,
        "class_balance": float(np.mean(result.final_class == 1)),
    }


# ---------------------------------------------------------------------------------------------
# One probe run of one score on one training set (the scripts loop over scores)


def _grid(train: dict[str, Any], noise: dict, n_steps: int) -> NDArray[np.float64]:
    return sampler_temperatures(
        train["t_ref"], noise["t_max_over_tc"], noise["t_min_over_tc"], n_steps
    )


def _start(train: dict[str, Any], temperature: float, n: int, seed: int) -> torch.Tensor:
    import torch

    from thermodiff import probes

    y = train["y"]
    cov = np.cov(y, rowvar=False, bias=True)
    gen = torch.Generator().manual_seed(int(seed))
    return probes.gaussian_start(y.mean(axis=0), cov, temperature, n, gen)


def run_branching(
    denoiser: probes.Denoiser, train: dict[str, Any], noise: dict, cfg: dict
) -> tuple[dict[str, NDArray], dict[str, float]]:
    """CRN response and clone agreement (config keys of ``trained.probes``): (curves, scalars).

    Start states and noise depend only on ``cfg["seed"]``: every score of a set sees the same
    ones (common random numbers between the trained and the exact score).
    """
    from thermodiff import probes

    temps = _grid(train, noise, cfg["n_steps"])
    branch = indices_in_window(temps, train["t_ref"], *cfg["branch_window"], cfg["branch_every"])
    x = _start(train, temps[0], cfg["n_trajectories"], cfg["seed"])
    result = probes.branching_probe(
        denoiser, x, temps, branch, train["direction"], classifier_for(train),
        kick=cfg["kick"], seed=cfg["seed"] + 1,
    )  # fmt: skip
    summary = summarize_branching(result, cfg["peak_window"], cfg["n_bootstrap"], cfg["seed"])
    curves = {k: v for k, v in summary.items() if isinstance(v, np.ndarray)}
    curves["final"] = result.final[:64]
    return curves, {k: v for k, v in summary.items() if not isinstance(v, np.ndarray)}


def mixture_theory(
    train: dict[str, Any], t_low: float, t_high: float, n: int = 400
) -> tuple[dict[str, NDArray], dict[str, float]]:
    """Closed-form mean susceptibility and clone agreement of the mixture on ``[t_low, t_high]``.

    Returns the curves (quadrature, ``n`` log-spaced temperatures) and the OU times of the
    response peak and of the ``phi = PHI_CRITICAL`` crossing.
    """
    a, s2 = float(np.linalg.norm(train["mu"])), train["mixture_variance"]
    temps = np.geomspace(t_low, t_high, n)
    s = ou_time_from_temperature(temps)
    response = markers.mixture_mean_susceptibility(temps, a, s2)
    agreement = markers.mixture_clone_agreement(temps, a, s2)
    scalars = {
        "peak_s": markers.peak_location(s, response),
        "phi_cross_s": markers.crossing_location(s, agreement, PHI_CRITICAL),
    }
    return {"T": temps, "response": response, "agreement": agreement}, scalars


def run_trajectories(
    denoiser: probes.Denoiser, train: dict[str, Any], noise: dict, cfg: dict
) -> dict[str, NDArray]:
    """Jacobian spectrum along generation and denoised snapshots of a few trajectories."""
    from thermodiff import probes

    t_ref = train["t_ref"]
    temps = _grid(train, noise, cfg["n_steps"])
    x = _start(train, temps[0], cfg["jacobian_trajectories"], cfg["seed"])
    levels = t_ref * np.geomspace(*cfg["jacobian_window"], cfg["jacobian_levels"])
    jac = probes.jacobian_along_generation(
        denoiser, x, temps, nearest_indices(temps, levels), train["direction"],
        seed=cfg["seed"], n_iter=cfg["jacobian_iterations"],
    )  # fmt: skip
    snap_at = nearest_indices(temps, t_ref * np.asarray(cfg["snapshot_temperatures"]))
    x_snap = x[: cfg["snapshot_trajectories"]]
    _, states = probes.generate(denoiser, x_snap, temps, cfg["seed"], snap_at)
    snapshots = np.stack([denoiser(states[k], float(temps[k])).numpy() for k in snap_at])
    snapshots = snapshots + train["offset"]  # back to pixel units for display
    return jac | {"snapshot_temperatures": temps[snap_at], "snapshots": snapshots}


def run_commitment(
    denoiser: probes.Denoiser, train: dict[str, Any], noise: dict, cfg: dict
) -> tuple[dict[str, NDArray], dict[str, float]]:
    """Noise-and-regenerate curves and the temperatures where class / identity are lost.

    ``T_class``: where the class-kept fraction falls midway between 1 and chance;
    ``T_identity``: where the identity-kept fraction falls to 1/2.
    """
    import torch

    from thermodiff import probes

    t_ref, y = train["t_ref"], torch.as_tensor(train["y"])
    temps = _grid(train, noise, cfg["n_steps"])
    rng = np.random.default_rng(cfg["seed"])
    pick = np.sort(rng.choice(len(y), min(cfg["commitment_images"], len(y)), replace=False))
    levels = t_ref * np.geomspace(*cfg["commitment_window"], cfg["commitment_levels"])
    out = probes.noise_and_regenerate(
        denoiser, y[pick], temps, nearest_indices(temps, levels), classifier_for(train), y,
        seed=cfg["seed"],
    )  # fmt: skip
    chance = 1.0 / train["n_classes"]
    cls, ident = out["class_kept"].mean(axis=1), out["identity_kept"].mean(axis=1)
    return out, {
        "T_class": crossing_temperature(out["temperatures"], cls, 0.5 * (1.0 + chance)),
        "T_identity": crossing_temperature(out["temperatures"], ident, 0.5),
        "chance": chance,
    }


def crossing_temperature(temperatures: NDArray, values: NDArray, level: float) -> float:
    """Temperature (log-interpolated) where a curve that falls with T first drops below ``level``."""
    log_t = np.log(np.asarray(temperatures, dtype=float))
    order = np.argsort(log_t)
    return float(np.exp(markers.crossing_location(log_t[order], np.asarray(values)[order], level)))


def rem_condensation_temperature(n: int, d: int, s2: float) -> float:
    """REM condensation temperature of N isotropic Gaussian patterns: ``s^2 / (N^{2/d} - 1)``.

    physics.md §8 (boxed formula); ``s2`` is the per-coordinate variance ``tr C / d``.
    """
    return float(s2 / np.expm1(2.0 * np.log(n) / d))


# ---------------------------------------------------------------------------------------------
# Probe files hold the curves of several scores side by side as '<score>__<key>' arrays.

SCORE_SEPARATOR = "__"


def tag_by_score(score: str, curves: dict) -> dict:
    """``{key: array}`` of one score -> ``{'<score>__<key>': array}`` for a shared npz file."""
    return {f"{score}{SCORE_SEPARATOR}{key}": value for key, value in curves.items()}


def split_by_score(arrays: dict) -> dict[str, dict]:
    """Inverse of :func:`tag_by_score`: ``{score: {key: array}}`` from a probe file's arrays."""
    out: dict[str, dict] = {}
    for name, value in arrays.items():
        if SCORE_SEPARATOR in name:
            score, key = name.split(SCORE_SEPARATOR, 1)
            out.setdefault(score, {})[key] = value
    return out
