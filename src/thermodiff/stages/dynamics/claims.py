"""Claims of the dynamics stage (ids ``dynamics.<topic>.<quantity>``): ``claims(summaries,
settings)`` from :func:`decision_claims`, :func:`adiabatic_claims`, :func:`bath_claims`,
:func:`hopfield_claims`.

Temperatures of the two-delta and four-point runs are configured in units of the data's own
critical temperature (``a**2``), so every prediction and measurement moves with the half-width.

Tolerances (fixed before any run; ``k = n_sigma`` standard errors, 4 by default):

* peaks of Monte-Carlo sensitivity curves: ``k`` bootstrap errors (trajectories resampled) plus
  the bias of the same peak estimator applied to the exact curve on the same grid;
* slowing-down exponent: log-log slope of the e-folding time against the reduced temperature
  ``(T - T_c)/T``, for which the linearised flow gives exactly ``tau = 1/t``; the nonlinear
  correction is ``O(perturbation**2 / t_min)`` and the RK4 error ``O(ds**4)``: tolerance 0.01;
* free energy along the probability-flow ODE: largest step increase below ``1e-9`` (docs/theory.md §Reverse dynamics);
* equilibrium marginals: the largest KS distance over the recorded temperatures below the
  Kolmogorov critical value at level ``alpha / K`` (Bonferroni over K temperatures);
* M = 1 annealed bath: fraction ending at +a within ``k`` binomial errors ``1/(2 sqrt(n))``;
* bath moments: ``k`` standard errors of the chain means (independent chains); the bath exponent
  and the above-T_c law add the finite-size deviation of the exact quadrature from the asymptotic
  law at the configured M (the law is asymptotic; the deviation is theory, not a fit);
* Hopfield identity: 1e-10; capacity: recall succeeds half the time where the median cue's own
  weight is 1/2, i.e. (as for the REM crossing, :func:`thermodiff.rem.crossing_band`) where
  ``N - 1`` lies between ``N_max`` (partition function of the others at its annealed value) and
  ``2 N_max`` (at its freezing point): predicted the middle of that band in ``ln N``, tolerance
  its half-width plus ``k`` bootstrap errors of the measured crossing. (Before: one cue-to-cue
  standard deviation ``sqrt(d s**2/(s**2 + sigma**2))``, the *width* of the crossover, which is
  not an error of its location and let the claim pass for any ``ln N`` within about 2.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from thermodiff import estimators
from thermodiff.claims import Claim, make_claim

SECTION = {"instability": "7", "adiabatic": "8", "bath": "9", "hopfield": "10"}


def decision_claims(two_delta: Mapping, four_point: Mapping, n_sigma: float) -> list[Claim]:
    """Decision temperature (two deltas, four points) and the slowing-down exponent (§7)."""
    s = two_delta
    bias = abs(float(s["peak_exact_grid"]) - float(s["decision_predicted"]))
    fp = four_point
    per_axis = n_sigma * np.asarray(fp["peak_err"]) + np.abs(
        np.asarray(fp["peak_exact_grid"]) - np.asarray(fp["decision_predicted"])
    )
    return [
        make_claim(
            "dynamics.two_delta.decision_temperature",
            SECTION["instability"],
            "Two deltas: T* maximising the mean response of the generated side to a kick, by "
            "quadrature of the exact law (0.662985 a^2) against the peak of the sensitivity "
            "measured with kicked reverse-SDE copies (common noise); bootstrap over trajectories.",
            float(s["decision_predicted"]),
            float(s["peak"]),
            n_sigma * float(s["peak_err"]) + bias,
        ),
        make_claim(
            "dynamics.two_delta.slowing_down_exponent",
            SECTION["instability"],
            "Critical slowing down: minus the log-log slope of the e-folding time of a small "
            "perturbation of x = 0 under the nonlinear fixed-T flow dx/ds = m - x (RK4) against "
            "(T - T_c)/T; mean field z nu = 1.",
            1.0,
            float(s["slowing_exponent"]),
            0.01,
        ),
        make_claim(
            "dynamics.four_point.decision_temperatures",
            SECTION["instability"],
            "Four points (+-a, +-b): decision peaks of kicks along each axis, predicted "
            "T* a^2 and T* b^2 (factorised posterior), measured as for two deltas; two windows, "
            "each with its own tolerance.",
            [float(v) for v in fp["decision_predicted"]],
            [float(v) for v in fp["peak"]],
            [float(v) for v in per_axis],
        ),
    ]


def adiabatic_claims(two_delta: Mapping) -> list[Claim]:
    """Free-energy descent along the probability flow and equilibrium marginals (§8)."""
    s = two_delta
    return [
        make_claim(
            "dynamics.adiabatic.ode_free_energy_monotone",
            SECTION["adiabatic"],
            "Largest step change of F(x, T) along probability-flow trajectories (fine grid) of the "
            "two deltas while cooling: never positive beyond 1e-9.",
            "<0",
            float(s["ode_max_increase_fine"]),
            1e-9,
        ),
        make_claim(
            "dynamics.adiabatic.equilibrium_marginals",
            SECTION["adiabatic"],
            "Largest Kolmogorov-Smirnov distance between the reverse-SDE ensemble and the exact "
            "noised law p_T over the recorded T, below the critical value at level alpha/K.",
            f"<{float(s['ks_critical']):.6g}",
            float(np.max(s["ks"])),
            0,
        ),
    ]


def bath_claims(baths: Sequence[Mapping], above: Mapping, n_sigma: float) -> list[Claim]:
    """``<x**2>`` at T_c per M, its finite-size exponent, and the law above T_c (§9)."""
    out = [
        make_claim(
            f"dynamics.bath.x2_at_tc.m{int(b['m'])}",
            SECTION["bath"],
            f"Generative bath, M = {int(b['m'])}, at T_c: <x^2> by quadrature of p_T(x)^M "
            "against exact Gibbs sampling of x and the sites.",
            float(b["x2_quadrature"]),
            float(b["x2_simulated"]),
            n_sigma * float(b["x2_err"]),
        )
        for b in baths
    ]
    m = np.array([float(b["m"]) for b in baths])
    t_c = float(baths[0]["a"]) ** 2
    ybar2 = np.array([float(b["x2_simulated"]) for b in baths]) - t_c / m
    ybar2_err = np.array([float(b["x2_err"]) for b in baths])
    exact = np.array([float(b["x2_quadrature"]) for b in baths]) - t_c / m
    slope = estimators.fit_power_law(m, ybar2).slope
    # error of the slope from independent errors of the points (least squares in log-log)
    lx = np.log(m) - np.log(m).mean()
    slope_err = float(np.sqrt(np.sum((lx / np.sum(lx**2)) ** 2 * (ybar2_err / ybar2) ** 2)))
    finite = abs(estimators.fit_power_law(m, exact).slope + 0.5)
    out.append(
        make_claim(
            "dynamics.bath.finite_size_exponent",
            SECTION["bath"],
            "Finite-size exponent of <ybar^2> = <x^2> - T/M at T_c against M (Gibbs sampling); "
            "Curie-Weiss value -1/2, tolerance adds the exact finite-M deviation of the slope.",
            -0.5,
            slope,
            n_sigma * slope_err + finite,
        )
    )
    law = float(above["law"])
    out.append(
        make_claim(
            "dynamics.bath.above_tc_variance",
            SECTION["bath"],
            f"Above T_c (T = {float(above['temperature']):.3g}, M = {int(above['m'])}): "
            "<x^2> = T^2/(M (T - T_c)) against Gibbs sampling; tolerance adds the first "
            "correction T_c^2/(M (T - T_c)^2) of the law.",
            law,
            float(above["x2_simulated"]),
            n_sigma * float(above["x2_err"]) + law * abs(float(above["relative_correction"])),
        )
    )
    out.append(
        make_claim(
            "dynamics.bath.single_site_is_generation",
            SECTION["bath"],
            f"Generative bath with M = 1, T annealed from {float(above['single_t_start']):.3g} "
            f"to {float(above['single_t_end']):.3g} by one exact Gibbs sweep per step (two "
            "deltas): fraction of chains ending at +a, against 1/2 as for ordinary generation; "
            "tolerance n_sigma binomial standard errors 1/(2 sqrt(n)).",
            0.5,
            float(above["single_bath_plus"]),
            n_sigma * 0.5 / np.sqrt(float(above["single_n"])),
        )
    )
    return out


def hopfield_claims(hopfields: Sequence[Mapping], n_sigma: float) -> list[Claim]:
    """Energy identity (all d) and the capacity law per d (§10)."""
    out = [
        make_claim(
            "dynamics.hopfield.energy_equivalence",
            SECTION["hopfield"],
            "F(x, T) minus the modern-Hopfield energy at beta = 1/T equals r^2/2 + T log N for "
            "random equal-norm pattern sets, states and temperatures: largest deviation.",
            0.0,
            max(float(h["identity_max_error"]) for h in hopfields),
            1e-10,
        )
    ]
    for h in hopfields:
        d = int(h["d"])
        lo, hi = capacity_band(float(h["n_max"]))
        out.append(
            make_claim(
                f"dynamics.hopfield.capacity.d{d}",
                SECTION["hopfield"],
                f"d = {d}: ln N where fixed-point recall at T = sigma^2 from noised cues succeeds "
                "half the time (one pattern set per N, bootstrap over cues), against the band "
                f"ln(N_max + 1) .. ln(2 N_max + 1) = [{lo:.4g}, {hi:.4g}], N_max = "
                "(1 + s^2/sigma^2)^(d/2); tolerance half the band + "
                f"{n_sigma:g} bootstrap errors ({float(h['log_n_half_err']):.2g}).",
                0.5 * (lo + hi),
                float(h["log_n_half"]),
                0.5 * (hi - lo) + n_sigma * float(h["log_n_half_err"]),
                if_failed=(
                    "The band assumes that the median cue's own-versus-rest log ratio sits at its "
                    "annealed value; that ratio is a difference of $\\chi^2_d$ variables, "
                    "skewed at small $d$, so its median is off by an amount of order one, and "
                    "fixed-point recall is not the same event as an own weight above one half."
                ),
            )
        )
    return out


def capacity_band(n_max: float) -> tuple[float, float]:
    """``(ln(N_max + 1), ln(2 N_max + 1))``: where ``ln N`` of half-success recall lies as d grows.

    The median cue's own weight is 1/2 when the other ``N - 1`` patterns' partition function equals
    the own term; it is ``R`` times its annealed mean with ``R`` between 1 (above its freezing
    point) and 1/2 (at it), so ``N - 1`` is between ``N_max`` and ``2 N_max``.
    """
    return float(np.log(n_max + 1.0)), float(np.log(2.0 * n_max + 1.0))


def claims(summaries: Mapping, settings: Mapping) -> list[Claim]:
    """Every claim of the stage (module docstring for the inputs)."""
    k = float(settings["n_sigma"])
    return [
        *decision_claims(summaries["two_delta"], summaries["four_point"], k),
        *adiabatic_claims(summaries["two_delta"]),
        *bath_claims(summaries["baths"], summaries["bath_above"], k),
        *hopfield_claims(summaries["hopfield"], k),
    ]
