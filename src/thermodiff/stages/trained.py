"""The trained stage (paper §12): training sets, sampler grids, probe summaries, claims and values.

Glue between the data stage, the probes of :mod:`thermodiff.probes` and the estimators of
:mod:`thermodiff.estimators`, kept here so that the Snakemake scripts stay thin. Everything is a
pure function of arrays and parameters.

* Summaries (what the jobs save): :func:`training_set`, :func:`run_branching` (with
  :func:`summarize_branching`), :func:`run_trajectories`, :func:`run_commitment`,
  :func:`mixture_theory`, :func:`own_weight_crossing` (memorization job).
* ``claims(summaries, settings)`` from :func:`peak_claims`, :func:`exact_score_claims`,
  :func:`clone_agreement_claims`, :func:`commitment_claims`, :func:`memorization_claims`;
  ``values(summaries, settings)`` (keys ``trained.*``). ``summaries``: ``markers``,
  ``branching``, ``commitment`` (mappings dataset -> record, as the jobs wrote them), ``runs``
  (training records) and ``memorization`` (arrays of the memorization job); ``settings``:
  ``probes`` and ``noise`` (the config quoted in the text).

Training sets (``kind``):

* ``mixture``: the symmetric two-cluster mixture of the data stage; order parameter
  ``u = mu / |mu|``, classes by the side of the midplane.
* ``digits01``: 8x8 digits of classes 0 and 1, re-centred on their own mean; ``u`` = unit
  class-mean difference, classes by the side of the midplane between the class means.
* ``digits10``: all 1797 digits; ``u`` = top principal component, classes by the 1-NN label.
* ``digitsN<n>``: a random subset of ``n`` digits (memorization regime); its sampler grid uses
  the temperature scale of the full digits.

Time grids are geometric in the VE temperature and scaled by the set's reference temperature
``T_ref``, the mean-field ``T_c``: ``|mu|^2 - s2`` for the mixture (the root of
``lambda_max(chi(0)) = 1``, :func:`thermodiff.meanfield.two_cluster_critical_temperature`; its
``lambda_max = |mu|^2 + s2`` is not ``T_c``), ``lambda_max(C)`` for the digits, which have no exact
symmetry and hence no sharp transition (``lambda_max`` is the leading order of ``chi`` at the data
mean, ``C / T``; the root of ``T = lambda_max(Cov[y | x = mean, T])`` is kept as ``T_x0``): ``T`` from ``t_max_over_tc T_ref`` down to
``t_min_over_tc T_ref``. Peaks are reported in OU time ``s = log(1 + T) / 2`` (VP time,
:mod:`thermodiff.schedules`), on which the branch grid is nearly uniform.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from thermodiff import estimators, markers, meanfield
from thermodiff.claims import Claim, make_claim
from thermodiff.dynamics import geometric_temperatures
from thermodiff.macros import join_numbers
from thermodiff.schedules import ou_time_from_temperature

if TYPE_CHECKING:  # torch-based modules are imported by the functions that run probes, so that
    import torch  # preparing training sets and summarising curves stay light jobs

    from thermodiff import probes

# clone agreement at the mean-field T_c of two-delta data, 0.775200 by quadrature (Biroli et al.
# quote 0.7753); also the mixture's value at its own T_c = |mu|^2 - s2
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
    EmpiricalDenoiser` (docs/theory.md §Free energy and order parameter), which memorises by construction.
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


def noise_range(noise: dict, t_ref: float) -> dict[str, float]:
    """Training noise levels ``sigma_min = sqrt(t_min_over_tc t_ref)`` and ``sigma_max =
    sqrt(t_max_over_tc t_ref)`` (``trained.noise`` settings) as TrainConfig keywords."""
    return {
        "sigma_min": float(np.sqrt(noise["t_min_over_tc"] * t_ref)),
        "sigma_max": float(np.sqrt(noise["t_max_over_tc"] * t_ref)),
    }


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
    peak, peak_se = estimators.bootstrap(
        rng, lambda v: estimators.peak(s, v, window), result.response, n_boot
    )
    # phi increases as s decreases; scan from cold to hot for the first crossing
    cross, cross_se = estimators.bootstrap(
        rng, lambda v: estimators.crossing(s[::-1], v[::-1], PHI_CRITICAL), result.agreement, n_boot
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
        "peak_s": estimators.peak(s, response),
        "phi_cross_s": estimators.crossing(s, agreement, PHI_CRITICAL),
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
    return out, commitment_temperatures(
        out["temperatures"], out["class_kept"], out["identity_kept"], train["n_classes"], cfg
    )


def commitment_temperatures(
    temperatures: NDArray, class_kept: NDArray, identity_kept: NDArray, n_classes: int, cfg: dict
) -> dict[str, float]:
    """``T_class`` (class-kept fraction midway between 1 and chance) and ``T_identity`` (identity
    kept by half), first crossings from the cold end interpolated in log T, with bootstrap
    standard errors over the images (``*_se``). ``class_kept``, ``identity_kept``: (R, B)."""
    chance = 1.0 / n_classes
    order = np.argsort(temperatures)
    temps = np.asarray(temperatures, dtype=float)[order]
    rng = np.random.default_rng(cfg["seed"] + 17)
    out: dict[str, float] = {"chance": chance}
    for key, kept, level in (
        ("T_class", class_kept, 0.5 * (1.0 + chance)),
        ("T_identity", identity_kept, 0.5),
    ):
        out[key], out[f"{key}_se"] = estimators.bootstrap(
            rng,
            lambda curve, level=level: estimators.crossing(
                temps, curve, level, interpolation="log"
            ),
            np.asarray(kept, dtype=float)[order],
            cfg["n_bootstrap"],
        )
    return out


def commitment_theory(
    train: dict[str, Any], noise: dict, cfg: dict, n_draws: int = 8
) -> tuple[dict[str, NDArray], dict[str, float]]:
    """What noise-and-regenerate gives with the exact score, from the posterior alone.

    With the exact empirical score the reverse process started at ``x_T = y_b + sqrt(T) z`` ends
    on training image n with probability ``w_n(x_T)`` (the posterior is the law of the clean
    datum given ``x_T``). Hence ``P(identity kept) = E_z[w_b(x_T)]`` and ``P(class kept) =
    E_z[sum_n w_n [class(y_n) = class(y_b)]]``, evaluated with ``n_draws`` noise draws per image on
    the same images and noise levels as :func:`run_commitment`, classes of training images by
    the set's classifier. For the mixture (a population score) it is not defined: returns
    ``({}, {})``.
    """
    if "mu" in train:
        return {}, {}
    y = np.asarray(train["y"], dtype=float)
    temps = _grid(train, noise, cfg["n_steps"])
    rng = np.random.default_rng(cfg["seed"])
    pick = np.sort(rng.choice(len(y), min(cfg["commitment_images"], len(y)), replace=False))
    levels = train["t_ref"] * np.geomspace(*cfg["commitment_window"], cfg["commitment_levels"])
    at = np.asarray(temps)[nearest_indices(temps, levels)]
    if train["classifier"] == "sign":
        cls = ((y - train["centre"]) @ train["direction"] > 0).astype(int)
    else:
        cls = np.asarray(train["labels"])
    draws = np.random.default_rng(cfg["seed"] + 5).standard_normal((n_draws, len(pick), y.shape[1]))
    class_kept = np.empty((len(at), len(pick)))
    identity_kept = np.empty((len(at), len(pick)))
    same = cls[None, :] == cls[pick][:, None]  # (B, N)
    for k, t in enumerate(at):
        c_acc, i_acc = np.zeros(len(pick)), np.zeros(len(pick))
        for z in draws:
            w = meanfield.posterior_weights(y[pick] + np.sqrt(t) * z, y, t)
            c_acc += np.sum(w * same, axis=1)
            i_acc += w[np.arange(len(pick)), pick]
        class_kept[k], identity_kept[k] = c_acc / n_draws, i_acc / n_draws
    curves = {"temperatures": at, "class_kept": class_kept, "identity_kept": identity_kept}
    return curves, commitment_temperatures(at, class_kept, identity_kept, train["n_classes"], cfg)


def own_weight_crossing(y: NDArray, t_ref: float, seed: int, n_cues: int = 256) -> float:
    """Temperature where the median own-point weight of noised training points crosses 1/2.

    Cues ``x = y_b + sqrt(T) z_b`` (every training point, repeated to about ``n_cues`` cues, the
    same ``z`` at every T) on 61 temperatures ``geomspace(1e-3, 10) t_ref``; the crossing is
    located as in the rem stage (:func:`thermodiff.estimators.half_crossing`: where the curve
    leaves 1/2 for good, interpolated in ``(log T, logit)``).
    """
    from thermodiff.denoisers import posterior_stats

    n, dim = y.shape
    grid = np.geomspace(1e-3, 10.0, 61) * t_ref
    cues = np.repeat(np.arange(n), max(1, n_cues // n))
    noise = np.random.default_rng(seed).standard_normal((len(cues), dim))
    own = [
        np.median(
            posterior_stats(
                y[cues] + np.sqrt(t) * noise, y, t, mean=False, own_index=cues
            ).own_weight
        )
        for t in grid
    ]
    return estimators.half_crossing(grid, np.asarray(own))


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


# ---------------------------------------------------------------------------------------------
# Claims and quoted values of paper §12

SECTION = "12"
SETS = ("mixture", "digits01", "digits10")
"""Training sets the text names; a config that leaves one out still defines its keys ('n/a')."""


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


def rounded(value: float, error: float) -> tuple[str, str]:
    """Text of a value and its error, the error to 2 significant digits (for the paper)."""
    if not np.isfinite(error) or error <= 1e-9:  # e.g. a peak pinned at the end of the grid
        return f"{value:.3f}", "0"
    digits = max(0, 1 - int(np.floor(np.log10(error))))
    return f"{value:.{digits}f}", f"{error:.{digits}f}"


def tolerance(spacing: float, *errors: float) -> float:
    """``max(spacing, 3 sqrt(sum se^2))``: the branch-grid spacing as the floor, else three
    standard errors of the bootstrap over trajectories."""
    return max(spacing, 3.0 * float(np.sqrt(np.sum(np.square(errors)))))


def peak_claims(markers_by_set: Mapping, branching: Mapping) -> list[Claim]:
    """``trained.<set>.susceptibility_peak``: CRN-response peak of the networks against mean field."""
    tau = markers.two_delta_susceptibility_peak()
    out = []
    for name, scores in branching.items():
        peak, se = seed_mean(scores, "peak_s", "peak_se")
        spacing = next(iter(scores.values()))["spacing"]
        out.append(make_claim(
            f"trained.{name}.susceptibility_peak", SECTION,
            f"{name}: OU time of the peak of the CRN response of trained networks (mean over "
            f"seeds {_seed_list(scores, 'peak_s')}) against mean field: "
            + (
                "the exact peak of E[u^T chi u] of the mixture (T_c = |mu|^2 - s^2)"
                if name == "mixture"
                else f"T_c = lambda_max(C) placed by the two-state law T* = {tau:.3f} T_c"
            )
            + "; tolerance max(branch spacing, 3 bootstrap SE).",
            markers_by_set[name]["markers"]["s_decision"], peak, tolerance(spacing, se),
            if_failed="" if name == "mixture" else (
                "The two-state law needs one isolated top eigenvalue of the data covariance; "
                "where the next eigenvalues come close to it (the ten digit classes: "
                "$\\lambda_2/\\lambda_{\\max}$ near 1) there is no single order parameter, "
                "and the response need not peak where the law puts it. The exact score of the "
                "same data, probed identically, tells a failure of the theory from one of the "
                "network."
            ),
        ))  # fmt: skip
    return out


def exact_score_claims(branching: Mapping) -> list[Claim]:
    """``trained.exact_score.susceptibility_peak``: networks against the exact score, same probe."""
    pairs = [n for n in ("mixture", "digits01", "digits10") if "exact" in branching.get(n, {})]
    exact = {n: branching[n]["exact"] for n in pairs}
    nets = {n: seed_mean(branching[n], "peak_s", "peak_se") for n in pairs}
    return [make_claim(
        "trained.exact_score.susceptibility_peak", SECTION,
        "CRN-response peak (OU time) of trained networks against the exact score of the same "
        f"data ({', '.join(pairs)}), same estimator and noise; tolerance max(spacing, 3 SE of "
        "difference, per set).",
        [exact[n]["peak_s"] for n in pairs], [nets[n][0] for n in pairs],
        [tolerance(exact[n]["spacing"], nets[n][1], exact[n]["peak_se"]) for n in pairs],
        if_failed=(
            "The exact empirical score memorises: its response also carries the condensation "
            "onto individual training images. A network that does not resolve them (its "
            "Jacobian stays near one) responds only to the class structure, so where the top "
            "covariance eigenvalue is not isolated (the ten digit classes) the two peaks need "
            "not coincide."
        ),
    )]  # fmt: skip


def clone_agreement_claims(markers_by_set: Mapping, branching: Mapping) -> list[Claim]:
    """``trained.mixture.clone_agreement``: where phi falls to its two-state value at T_c."""
    cross, cross_se = seed_mean(branching["mixture"], "phi_cross_s", "phi_cross_se")
    return [make_claim(
        "trained.mixture.clone_agreement", SECTION,
        "Mixture: OU time where the clone agreement of trained networks (mean over seeds "
        f"{_seed_list(branching['mixture'], 'phi_cross_s')}) falls to {PHI_CRITICAL:.4f} against "
        "the mean-field T_c = |mu|^2 - s^2, where the exact agreement equals it (along mu the "
        "mixture at T is the two-delta model at T + s^2); tolerance max(spacing, 3 bootstrap SE).",
        markers_by_set["mixture"]["markers"]["s_meanfield"], cross,
        tolerance(branching["mixture"]["exact"]["spacing"], cross_se),
    )]  # fmt: skip


def _seed_list(scores: Mapping[str, Mapping], key: str, fmt: str = "{:.3f}") -> str:
    """Every training seed's value of ``key``, in seed order (reported, not only the mean)."""
    seeds = sorted((s for s in scores if s.startswith("seed")), key=lambda s: int(s[4:]))
    return join_numbers((scores[s][key] for s in seeds), fmt)


def commitment_claims(commitment: Mapping) -> list[Claim]:
    """Noise-and-regenerate: the exact score and the networks against the posterior prediction.

    For the exact empirical score the regenerated image is training image n with probability
    ``w_n(x_T)`` (:func:`commitment_theory`), so ``T_class`` and ``T_identity`` are predicted
    from the posterior alone. ``trained.commitment.exact_vs_posterior`` tests that prediction
    (the sampler and the estimator); ``trained.commitment.networks_vs_posterior`` asks whether the
    networks reproduce it, so a failure of the theory and of the networks are told apart.
    Tolerance: 3 bootstrap standard errors over images of the difference, per entry (T_class and
    T_identity differ in scale and error by an order of magnitude or more).
    """
    sets = [d for d, s in commitment.items() if "theory" in s]
    keys = ("T_class", "T_identity")
    theory = [commitment[d]["theory"][k] for d in sets for k in keys]
    theory_se = [commitment[d]["theory"][f"{k}_se"] for d in sets for k in keys]
    exact = [commitment[d]["exact"][k] for d in sets for k in keys]
    exact_se = [commitment[d]["exact"].get(f"{k}_se", np.nan) for d in sets for k in keys]
    nets = [seed_mean(commitment[d], k, f"{k}_se") for d in sets for k in keys]
    listing = "; ".join(f"{d}: [T_class, T_identity]" for d in sets)
    return [
        make_claim(
            "trained.commitment.exact_vs_posterior", SECTION,
            f"Noise-and-regenerate with the exact score ({listing}) against the posterior "
            "prediction P(kept) = E_z[posterior mass of the class / of the image]; tolerance "
            "3 bootstrap SE (images) of the difference, per entry.",
            theory, exact,
            [3.0 * float(e) for e in np.hypot(theory_se, exact_se)],
            if_failed=(
                "The prediction assumes the sampler regenerates image $n$ with probability "
                "$w_n(x_T)$, exact only in the limit of many sampler steps; a failure points at "
                "the sampler's discretisation or at the estimator of the commitment temperature."
            ),
        ),
        make_claim(
            "trained.commitment.networks_vs_posterior", SECTION,
            f"Noise-and-regenerate with trained networks, mean over seeds ({listing}) against the "
            "same posterior prediction; tolerance 3 SE of the difference, per entry.",
            theory, [v for v, _ in nets],
            [3.0 * float(e) for e in np.hypot(theory_se, [e for _, e in nets])],
            if_failed=(
                "The posterior prediction is that of the exact empirical score, which memorises; "
                "a network that does not resolve the individual training images (its Jacobian "
                "stays near one where the exact score's grows) keeps an image's identity only at "
                "lower $T$, so its $T_{\\rm identity}$ falls below the posterior's."
            ),
        ),
    ]  # fmt: skip


def memorization_claims(memorization: Mapping[str, NDArray]) -> list[Claim]:
    """``trained.memorization.small_n``: at the smallest N the networks copy as the exact score.

    At the smallest training set the network can represent the condensed exact score, whose
    samples are copies (the sampler stops below the REM condensation temperature of that set);
    prediction: the networks' copy fraction (mean over seeds) equals the exact score's, within
    3 binomial standard errors of the difference. The drop with N is reported, not claimed: no
    theory here says at which N a finite network stops copying.
    """
    frac, sizes = memorization["frac_net"], memorization["sizes"]
    n_gen = int(memorization["n_samples"]) if "n_samples" in memorization else 256
    p_net, p_exact = float(frac[0].mean()), float(memorization["frac_exact"][0])
    var = p_exact * (1 - p_exact) / n_gen + p_net * (1 - p_net) / (n_gen * frac.shape[1])
    floor = 1.0 / n_gen  # a fraction of n_gen samples is resolved to 1 / n_gen at best
    seeds = ", ".join(f"{v:.3f}" for v in frac[0])
    return [make_claim(
        "trained.memorization.small_n", "11-12",
        f"N = {sizes[0]} digits: fraction of generated samples copying a training image "
        f"(d1 < d2/3) with trained networks (mean over seeds {seeds}) against the exact score; "
        "tolerance 3 binomial SE of the difference (at least 3 / samples).",
        p_exact, p_net, 3.0 * max(float(np.sqrt(var)), floor),
    )]  # fmt: skip


def claims(summaries: Mapping, settings: Mapping | None = None) -> list[Claim]:
    """Claims of paper §12 (module docstring for ``summaries``)."""
    m, b = summaries["markers"], summaries["branching"]
    return [
        *peak_claims(m, b),
        *exact_score_claims(b),
        *clone_agreement_claims(m, b),
        *commitment_claims(summaries["commitment"]),
        *memorization_claims(summaries["memorization"]),
    ]


def marker_values(markers_by_set: Mapping) -> dict[str, object]:
    """``trained.<set>.*``: lambda_max, the marker temperatures and OU times, N and d."""
    values: dict[str, object] = {}
    for name, m in markers_by_set.items():
        for key in ("lambda_max", "T_meanfield", "T_decision", "T_drift", "T_x0"):
            if key in m["markers"]:
                values[f"trained.{name}.{key}"] = m["markers"][key]
        for key in ("lambda_2", "lambda_3"):  # how separated the top eigenvalue is
            if key in m["markers"]:
                values[f"trained.{name}.{key}_ratio"] = (
                    m["markers"][key] / m["markers"]["lambda_max"]
                )
        for key in ("s_meanfield", "s_decision", "s_speciation", "s_drift"):  # 3 decimals
            values[f"trained.{name}.{key}"] = f"{float(m['markers'][key]):.3f}"
        values[f"trained.{name}.n"], values[f"trained.{name}.dim"] = m["n"], m["dim"]
    return values


def branching_values(branching: Mapping) -> dict[str, object]:
    """``trained.<set>.*``: peak and phi crossing of the networks, the exact score, the theory."""
    values: dict[str, object] = {}
    for name, scores in branching.items():
        key = f"trained.{name}"
        values[f"{key}.net_peak_s"], values[f"{key}.net_peak_se"] = rounded(
            *seed_mean(scores, "peak_s", "peak_se")
        )
        values[f"{key}.spacing"] = next(iter(scores.values()))["spacing"]
        values[f"{key}.net_phi_cross_s"] = rounded(
            *seed_mean(scores, "phi_cross_s", "phi_cross_se")
        )[0]
        values[f"{key}.net_peak_seeds"] = _seed_list(scores, "peak_s")
        values[f"{key}.net_phi_cross_seeds"] = _seed_list(scores, "phi_cross_s")
        if "exact" in scores:
            exact = scores["exact"]
            peak_text = rounded(exact["peak_s"], exact["peak_se"])
            values[f"{key}.exact_peak_s"], values[f"{key}.exact_peak_se"] = peak_text
            values[f"{key}.exact_phi_cross_s"] = rounded(
                exact["phi_cross_s"], exact["phi_cross_se"]
            )[0]
        if "theory" in scores:
            for k in ("peak_s", "phi_cross_s"):
                values[f"{key}.theory_{k}"] = scores["theory"][k]
    return values


def commitment_values(commitment: Mapping) -> dict[str, object]:
    """``trained.<set>.{net,exact}_T_{class,identity}``."""
    values: dict[str, object] = {}
    for d, scores in commitment.items():
        for key in ("T_class", "T_identity"):
            values[f"trained.{d}.net_{key}"] = seed_mean(scores, key)[0]
            values[f"trained.{d}.net_{key}_seeds"] = _seed_list(scores, key, "{:.3g}")
            values[f"trained.{d}.exact_{key}"] = scores["exact"][key]
            if "theory" in scores:
                values[f"trained.{d}.theory_{key}"] = scores["theory"][key]
        values[f"trained.{d}.net_class_identity_ratio"] = (
            seed_mean(scores, "T_class")[0] / seed_mean(scores, "T_identity")[0]
        )
    return values


def memorization_values(memorization: Mapping[str, NDArray]) -> dict[str, object]:
    """``trained.mem.*``: copy fractions per N (networks, exact score), range, seeds."""
    mem = memorization
    frac = mem["frac_net"].mean(axis=1)
    values: dict[str, object] = {}
    for n, f_net, f_exact, f_seeds in zip(
        mem["sizes"], frac, mem["frac_exact"], mem["frac_net"], strict=True
    ):
        values |= {f"trained.mem.N{n}.net": f_net, f"trained.mem.N{n}.exact": f_exact}
        values[f"trained.mem.N{n}.net_seeds"] = ", ".join(f"{v:.2f}" for v in f_seeds)
    return values | {
        "trained.mem.nmin": int(mem["sizes"][0]),
        "trained.mem.nmin_net_seeds": ", ".join(f"{v:.2f}" for v in mem["frac_net"][0]),
        "trained.mem.nmax": int(mem["sizes"][-1]),
        "trained.mem.net_min": frac[-1],
        "trained.mem.net_max": frac[0],
        "trained.mem.exact_min": float(mem["frac_exact"].min()),
        "trained.mem.seeds": len(mem["seeds"]),
    }


def run_values(runs: Sequence[Mapping], names: Sequence[str]) -> dict[str, object]:
    """``trained.run.<set>.*``: training record per set (loss averaged over seeds).

    No wall time: it differs from run to run, so it stays in the job's provenance record and out
    of the paper, which two builds of the same commit must reproduce byte for byte.
    """
    values: dict[str, object] = {}
    for name in names:
        recs = [r for r in runs if r["dataset"] == name]
        values[f"trained.run.{name}.loss"] = float(np.mean([r["final_loss_last100"] for r in recs]))
        values[f"trained.run.{name}.params"] = recs[0]["n_parameters"]
        values[f"trained.run.{name}.steps"] = recs[0]["training"]["steps"]
    return values | {"trained.device": runs[0]["device"], "trained.seeds": len(runs) // len(names)}


def values(summaries: Mapping, settings: Mapping) -> dict[str, object]:
    """Numbers the paper quotes (keys ``trained.*``); ``settings``: ``probes`` and ``noise``, and
    optionally ``two_cluster`` (the data config of the mixture: ``separation`` = |mu|, ``variance``
    = s^2 of each cluster)."""
    m = summaries["markers"]
    values = {
        **marker_values(m),
        **branching_values(summaries["branching"]),
        **commitment_values(summaries["commitment"]),
        **memorization_values(summaries["memorization"]),
        **run_values(summaries["runs"], list(m)),
    }
    probes_cfg = settings["probes"]
    values |= {
        f"trained.probe.{k}": probes_cfg[k]
        for k in ("n_steps", "n_trajectories", "kick", "peak_window")
    }
    values |= {f"trained.noise.{k}": v for k, v in settings["noise"].items()}
    values["trained.tau_star"] = markers.two_delta_susceptibility_peak()
    values["trained.phi_c"] = PHI_CRITICAL
    if "two_cluster" in settings:  # quoted as |mu| and |mu|^2, not as lambda_max - 1
        mixture = settings["two_cluster"]
        values["trained.mixture.mu_norm"] = mixture["separation"]
        values["trained.mixture.mu_squared"] = mixture["separation"] ** 2
        values["trained.mixture.variance"] = mixture["variance"]
    # sets left out by a config (e.g. digits10 in the smoke test) still define their keys
    keys = {
        k.split(".", 2)[2]
        for k in values
        if k.startswith(("trained.digits01.", "trained.mixture."))
    }
    for name in SETS:
        for key in keys:
            values.setdefault(f"trained.{name}.{key}", "n/a")
        for key in ("loss", "params", "steps"):
            values.setdefault(f"trained.run.{name}.{key}", "n/a")
    return values
