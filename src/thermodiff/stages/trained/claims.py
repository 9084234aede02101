"""Claims of the trained stage (paper §12, ids ``trained.<topic>.<quantity>``):
``claims(summaries, settings)`` from :func:`peak_claims`, :func:`exact_score_claims`,
:func:`clone_agreement_claims`, :func:`commitment_claims`, :func:`memorization_claims`
(``summaries`` as in :mod:`thermodiff.stages.trained`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from thermodiff import markers
from thermodiff.claims import Claim, make_claim
from thermodiff.stages.trained.probe_runs import PHI_CRITICAL
from thermodiff.stages.trained.seeds import seed_list, seed_mean

SECTION = "12"


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
            f"seeds {seed_list(scores, 'peak_s')}) against mean field: "
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
        f"{seed_list(branching['mixture'], 'phi_cross_s')}) falls to {PHI_CRITICAL:.4f} against "
        "the mean-field T_c = |mu|^2 - s^2, where the exact agreement equals it (along mu the "
        "mixture at T is the two-delta model at T + s^2); tolerance max(spacing, 3 bootstrap SE).",
        markers_by_set["mixture"]["markers"]["s_meanfield"], cross,
        tolerance(branching["mixture"]["exact"]["spacing"], cross_se),
    )]  # fmt: skip


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
