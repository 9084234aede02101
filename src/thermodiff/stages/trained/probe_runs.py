"""One probe run of one score on one training set (the scripts loop over scores), and the
exact-score theory the runs are compared with: branching (CRN response and clone agreement),
trajectories, noise-and-regenerate commitment, the own-weight crossing of memorization.

Peaks are reported in OU time ``s = log(1 + T) / 2`` (VP time, :mod:`thermodiff.schedules`), on
which the branch grid is nearly uniform. Torch is imported inside the functions that run probes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from thermodiff import estimators, markers, meanfield
from thermodiff.schedules import ou_time_from_temperature
from thermodiff.stages.trained.denoiser_factories import classifier_for
from thermodiff.stages.trained.grids import indices_in_window, nearest_indices, sampler_temperatures

if TYPE_CHECKING:  # torch-based modules are imported inside the functions that use them, so that
    import torch  # preparing training sets and summarising curves stay light jobs

    from thermodiff import probes


# clone agreement at the mean-field T_c of two-delta data, 0.775200 by quadrature (Biroli et al.
# quote 0.7753); also the mixture's value at its own T_c = |mu|^2 - s2
PHI_CRITICAL = float(markers.mixture_clone_agreement(1.0, 1.0))


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
