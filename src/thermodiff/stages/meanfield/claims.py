"""Claims of the mean-field stage (ids ``meanfield.<topic>.<quantity>``).

``claims(summaries)`` is assembled from :func:`two_delta_claims`, :func:`discrete_claims`,
:func:`sphere_claims`, :func:`ising_claims`, :func:`simplex_claims` and
:func:`simplex_generation_claims` (``summaries`` as in :mod:`thermodiff.stages.meanfield`).

Each tolerance is derived from the numerical method that produced the measurement:

* bifurcation located by refined scans plus a quadratic Landau fit of ``phi**2`` over a relative
  window w below the bracket: the neglected cubic term is O(w**3) relative (1e-9 for w = 1e-3);
  the tolerance is 10 w**3 relative, and 1e-6 where the fixed points come from the iterative
  point-data solver (residual 1e-10 to 1e-12, amplified by the flat curvature near T_c);
* exponent from a log-log fit ending at reduced distance eps_max: the leading analytic
  correction to scaling changes the local slope by O(eps_max) (O(x_max**2) = O((3 h_max)**(2/3))
  on the critical isotherm); tolerance 10 times that, relative to the exponent;
* heat-capacity jump from linear extrapolations on [eps_min, eps_max]: neglected curvature
  O(Delta C eps_max**2); tolerance 10 times that;
* Monte Carlo: 4 batch-means standard errors;
* d -> inf extrapolation of the finite-d Curie-Weiss T_c with a quadratic in 1/d: the neglected
  term is O(T_inf x**3), ``x = 1 / (d_min (1 - beta0 J)**2)`` the expansion parameter of the
  finite-size correction; tolerance 10 times that (plus 1e-9 relative for rounding);
* periodic chain of length L: ``S_L(0) - S_inf(0) = O(t**L)``, ``t = tanh(beta0 J)``;
* regular simplex (:mod:`thermodiff.simplex`): the symmetric instability from a finite-difference
  Hessian with relative step h has an O(h**2) error, tolerance 100 h**2 relative; for q >= 3 the
  spinodal, T_1 and the jump come from bisections of a sign change to a relative bracket eps,
  tolerance 100 eps; for q = 2 the transition is continuous and the detection thresholds (on |x|
  and on F - F(0)) leave offsets of order threshold**2 and sqrt(threshold), tolerance 10 times
  those (:func:`simplex_tolerances`); the commit temperature of reverse-SDE trajectories from
  x = 0 (q >= 3) has 3 standard errors of the ensemble mean (through the bridge slope r / T_0)
  plus two local grid steps (linear interpolation between grid points and the first-order bias of
  Euler-Maruyama), :func:`simplex_generation_claims`.

``kind``: a claim is a ``test`` when the measurement is an independent numerical route (a
bifurcation located by solving the equation of state, a fit, a Monte-Carlo estimate) and a
``consistency`` check when both sides evaluate the same closed form or the same moment
(``gaussian.no_transition``, the d -> inf and S(0) forms of the Ising data).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from thermodiff.claims import Claim, make_claim
from thermodiff.stages import coupling_label

SECTION = {
    "two_delta": "5.1",
    "discrete": "5.2",
    "sphere": "5.3",
    "ising": "5.4",
    "exp": "7",
    "simplex": "7",  # not an example of the paper: it limits the abstract's "second order" (§7)
}


def _exponent_tolerance(predicted: float, correction: float) -> float:
    return 10.0 * correction * abs(predicted)


def two_delta_claims(critical: Mapping, exponents: Mapping, window: float = 1e-3) -> list[Claim]:
    """Critical temperature, exponents beta/gamma/delta, amplitude ratio and heat-capacity jump."""
    eps_max = exponents["beta"]["window"][1]
    gamma_eps = exponents["gamma_above"]["window"][1]
    h_max = exponents["delta"]["window"][1]
    heat = exponents["heat_capacity"]
    return [
        make_claim(
            "meanfield.two_delta.critical_temperature",
            SECTION["two_delta"],
            "Two deltas at +-a: T_c = a^2 (closed form) against the bifurcation of x = a tanh(ax/T), "
            "located by bracketing the last non-zero root and fitting x*^2 near it.",
            critical["predicted"],
            critical["measured"],
            10 * window**3 * critical["predicted"],
        ),
        make_claim(
            "meanfield.two_delta.exponent_beta",
            SECTION["exp"],
            "Order-parameter exponent: log-log slope of x*(T) against (T_c - T)/T_c.",
            0.5,
            exponents["beta"]["slope"],
            _exponent_tolerance(0.5, eps_max),
        ),
        make_claim(
            "meanfield.two_delta.exponent_gamma",
            SECTION["exp"],
            "Susceptibility exponent above; below T_c: minus the log-log slopes of the dressed "
            "susceptibility dx*/dh (central differences of the solved fixed point).",
            [1.0, 1.0],
            [-exponents["gamma_above"]["slope"], -exponents["gamma_below"]["slope"]],
            _exponent_tolerance(1.0, gamma_eps),
        ),
        make_claim(
            "meanfield.two_delta.gamma_amplitude_ratio",
            SECTION["exp"],
            "Ratio of the dressed susceptibilities at equal distance above and below T_c, "
            "extrapolated linearly to T_c.",
            2.0,
            exponents["gamma_ratio"],
            _exponent_tolerance(2.0, gamma_eps),
        ),
        make_claim(
            "meanfield.two_delta.exponent_delta",
            SECTION["exp"],
            "Critical-isotherm exponent: inverse log-log slope of x*(T_c, h) against the bias h.",
            3.0,
            1.0 / exponents["delta"]["slope"],
            _exponent_tolerance(3.0, (3 * h_max) ** (2 / 3)),
        ),
        make_claim(
            "meanfield.two_delta.heat_capacity_jump",
            SECTION["exp"],
            "Jump of C = -T d^2F*/dT^2 at T_c (alpha = 0): C from central differences of "
            "dF*/dT = KL(p(y|x*)||p(y)), extrapolated linearly to T_c from each side.",
            1.5,
            heat["jump"],
            10 * 1.5 * heat["window"][1] ** 2,
        ),
    ]


def discrete_claims(four_point: Mapping, digits: Mapping, gaussian: Mapping) -> list[Claim]:
    """Cascade of the four-point set, symmetrised digits (two norms), raw digits, Gaussian data."""
    pred, meas = digits["predicted"], digits["measured"]
    return [
        make_claim(
            "meanfield.discrete.critical_temperatures",
            SECTION["discrete"],
            "Factorised set (+-a, +-b): cascade T_c = a^2 then b^2 against the bifurcations of the "
            "annealed fixed points, located component by component.",
            four_point["predicted"],
            four_point["measured"],
            "0.0001%",
        ),
        make_claim(
            "meanfield.digits_symmetric.critical_temperature",
            SECTION["discrete"],
            "Symmetrised digits with equal norms: T_c = lambda_max of the second moment against "
            "the bifurcation of the annealed fixed point.",
            pred["symmetric_equal_norm"],
            meas["symmetric_equal_norm"],
            "0.0001%",
        ),
        make_claim(
            "meanfield.digits_symmetric.critical_temperature_raw_norms",
            SECTION["discrete"],
            "Symmetrised digits with raw norms: root of T = lambda_max(Cov[y|x=0,T]) against the "
            "bifurcation of the annealed fixed point.",
            pred["symmetric"],
            meas["symmetric"],
            "0.0001%",
        ),
        make_claim(
            "meanfield.digits.crossover",
            SECTION["discrete"],
            "Raw digits (no exact symmetry): largest lambda_max(chi(x*)) along the annealed fixed "
            "point (grid zoomed onto its peak) stays below 1: a crossover, no sharp transition.",
            "<1",
            digits["raw"]["max_lambda_max"],
            0,
        ),
        make_claim(
            "meanfield.gaussian.no_transition",
            "6",
            "Gaussian data (digits mean and covariance): largest eigenvalue of the finite-difference "
            "Jacobian of the denoiser at its fixed point, over the temperature grid. Consistency: "
            "the denoiser is the closed form C (C + T)^-1 whose eigenvalues are the prediction.",
            "<1",
            gaussian["max_lambda_max"],
            0,
            kind="consistency",
        ),
    ]


def sphere_claims(spheres: Sequence[Mapping], goldstone: Mapping, window: float = 1e-3):
    """Per-d critical temperature and heat-capacity jump; Goldstone susceptibility."""
    claims = []
    for s in spheres:
        d, heat = s["d"], s["heat_capacity"]
        claims += [
            make_claim(
                f"meanfield.sphere.critical_temperature.d{d}",
                SECTION["sphere"],
                f"Sphere, d = {d}: T_c = r^2/d against the bifurcation of u = r A_d(r u / T).",
                s["predicted"],
                s["measured"],
                10 * window**3 * s["predicted"],
            ),
            make_claim(
                f"meanfield.sphere.heat_capacity_jump.d{d}",
                SECTION["sphere"],
                f"Sphere, d = {d}: heat-capacity jump (d + 2)/2 against central differences of "
                "dF*/dT extrapolated to T_c from each side.",
                s["predicted_jump"],
                heat["jump"],
                10 * s["predicted_jump"] * heat["window"][1] ** 2,
            ),
        ]
    mc = goldstone["monte_carlo"]
    claims.append(
        make_claim(
            "meanfield.sphere.goldstone_susceptibility",
            SECTION["sphere"],
            f"Sphere, d = {goldstone['d']}, T = {goldstone['temperature_ratio']:g} T_c: tangential "
            "susceptibility at the fixed point is 1 (Goldstone), against a Monte-Carlo estimate "
            "of Cov[y|x*]/T from the sampled sphere (4 batch-means standard errors).",
            1.0,
            mc["perp"],
            4 * mc["perp_error"],
        )
    )
    return claims


def ising_claims(couplings: Sequence[Mapping], chain: Mapping, window: float = 1e-3) -> list[Claim]:
    """Curie-Weiss and chain data: the generative bifurcation (tests) and the limits of the
    second-moment formulas (consistency).

    ``T_c = lambda_max(C)`` holds exactly for these data (equal norms ``|y|^2 = d``, flip symmetry),
    so comparing the d -> inf formula with the exact finite-d ``<M^2>/d``, or ``S(0)`` with the top
    eigenvalue of the same covariance, checks the evaluation of ``lambda_max`` only (consistency).
    The tests locate the bifurcation of the equation of state itself: the exact homogeneous fixed
    point at the data dimension (tolerance ``10 window**3`` relative, as for the two deltas), and
    the exact chain law enumerated as ``2**L`` weighted points under the point-data solver
    (tolerance 1e-6 relative, module docstring).
    """
    claims = []
    for c in couplings:
        b, t_inf = c["coupling"], c["predicted"]
        x = 1.0 / (min(c["ladder_dims"]) * (1.0 - b) ** 2)
        label = coupling_label(b)
        claims += [
            make_claim(
                f"meanfield.ising.bifurcation.b{label}",
                SECTION["ising"],
                f"Curie-Weiss data, beta0 J = {b:g}, d = {c['data_d']}: T_c = <M^2>/d = "
                "lambda_max(C) (exact sector sums) against the bifurcation of the homogeneous "
                "generative fixed point, located by bracketing and a fit of u*^2.",
                c["data_tc"],
                c["bifurcation"],
                10 * window**3 * c["data_tc"],
            ),
            make_claim(
                f"meanfield.ising.critical_temperature.b{label}",
                SECTION["ising"],
                f"Curie-Weiss data, beta0 J = {b:g}: d -> inf limit 1/(1 - beta0 J) of <M^2>/d "
                "against the exact finite-d <M^2>/d (sector sums) extrapolated in 1/d. "
                "Consistency: both sides are the second moment, not the generative bifurcation.",
                t_inf,
                c["measured"],
                10 * t_inf * x**3 + 1e-9 * t_inf,
                kind="consistency",
            ),
        ]
    length = chain["largest_length"]
    t = np.tanh(chain["coupling"])
    bif = chain["bifurcation"]
    claims += [
        make_claim(
            "meanfield.ising.chain_bifurcation",
            SECTION["ising"],
            f"Periodic Ising-chain data, beta0 J = {chain['coupling']:g}, L = {bif['length']}: "
            "T_c = S_L(0) (transfer matrices) against the bifurcation of the fixed point of the "
            f"exact chain law (2^{bif['length']} weighted configurations, point-data solver).",
            bif["predicted"],
            bif["measured"],
            1e-6 * bif["predicted"],
        ),
        make_claim(
            "meanfield.ising.chain_critical_temperature",
            SECTION["ising"],
            f"Periodic Ising-chain data, beta0 J = {chain['coupling']:g}: S(0) = exp(2 beta0 J) "
            f"against lambda_max of the transfer-matrix covariance at L = {length}. Consistency: "
            "both sides are the structure factor at k = 0.",
            chain["predicted"],
            chain["finite"][str(length)]["lambda_max"],
            10 * chain["predicted"] * t**length + 1e-12 * chain["predicted"],
            kind="consistency",
        ),
    ]
    return claims


def simplex_tolerances(s: Mapping) -> dict[str, float]:
    """Tolerances of the simplex claims from the measurement's resolutions (module docstring)."""
    pred, r, eps = s["predicted"], s["radius"], s["rel_tol"]
    t_sym = pred["instability_temperature"]
    tol = {"instability_temperature": 100 * s["hessian_step"] ** 2 * t_sym}
    if s["q"] > 2:  # first order: bisections resolve a sign change to eps, 100 times that
        tol |= {
            "transition_temperature": 100 * eps * pred["transition_temperature"],
            "spinodal_temperature": 100 * eps * pred["spinodal_temperature"],
            "order_parameter_jump": 100 * eps * r,
        }
        return tol
    # continuous (q = 2): F* - F(0) = -(3/4)(T_c - T)^2 / r^2 and |x*| = r sqrt(3 (T_c - T) / T_c)
    # are detected only above the thresholds; 10 times the temperature offsets they leave
    f_res = s["free_energy_threshold"] * max(1.0, 0.5 * r * r)
    dt_transition = 10 * r * np.sqrt(4.0 * f_res / 3.0)
    dt_spinodal = 10 * s["symmetric_threshold"] ** 2 / 3.0 * t_sym
    return tol | {
        "transition_temperature": dt_transition,
        "spinodal_temperature": dt_spinodal,
        "order_parameter_jump": r * np.sqrt(3.0 * dt_transition / t_sym),
    }


SIMPLEX_QUANTITIES = {
    "instability_temperature": "T_sym = lambda_max(C) = r^2/(q-1), where x = 0 turns unstable, "
    "against the root of the smallest eigenvalue of the finite-difference Hessian of F at 0",
    "transition_temperature": "T_1 = q(q-2) r^2 / (2 (q-1)^2 log(q-1)) (r^2 for q = 2), where a "
    "broken minimum becomes as deep as x = 0, against the sign change of min F - F(0) over "
    "Newton descents from random starts",
    "spinodal_temperature": "T_sp from (e^u + q - 1)(e^u - 1) = q u e^u, where the broken minimum "
    "appears, against the highest T at which a Newton descent ends away from 0",
    "order_parameter_jump": "jump |x*| = r (q-2)/(q-1) at T_1 against the distance of the "
    "lowest minimum from 0 just below the measured T_1",
}


def simplex_claims(simplex: Sequence[Mapping]) -> list[Claim]:
    """Per q: the four closed forms of the regular-simplex transition against the solver."""
    claims = []
    for s in sorted(simplex, key=lambda s: s["q"]):
        tol = simplex_tolerances(s)
        for key, text in SIMPLEX_QUANTITIES.items():
            claims.append(
                make_claim(
                    f"meanfield.simplex.q{s['q']}.{key}",
                    SECTION["simplex"],
                    f"Regular simplex, q = {s['q']}: {text}.",
                    s["predicted"][key],
                    s["measured"][key],
                    tol[key],
                )
            )
    return claims


def simplex_generation_claims(simplex: Sequence[Mapping]) -> list[Claim]:
    """Per q >= 3: where reverse-SDE trajectories from x = 0 commit, against the Brownian bridge.

    The exact reverse SDE from x = 0 at T_0 is the forward process conditioned on x_{T_0} = 0, so
    the mean projection on the committed vertex is r (1 - T/T_0) (:mod:`thermodiff.simplex`) and
    crosses half the jump at T_0 (1 - jump / 2r), not at T_sym or T_1. q = 2 is skipped: its jump is
    0 and the halfway level is degenerate.
    """
    claims = []
    for s in sorted(simplex, key=lambda s: s["q"]):
        if s["q"] < 3:
            continue
        g, pred = s["generation"], s["predicted"]
        claims.append(
            make_claim(
                f"meanfield.simplex.q{s['q']}.generation_commit_temperature",
                SECTION["simplex"],
                f"Regular simplex, q = {s['q']}: reverse SDE with the exact score from x = 0 at "
                f"T_0 = {g['t_start'] / pred['instability_temperature']:.3g} T_sym, "
                f"{g['n_paths']} paths: T where the mean projection on the committed vertex first "
                "exceeds half the jump, predicted T_0 (1 - jump/2r) by the Brownian bridge (it "
                f"commits above T_1 = {pred['transition_temperature']:.4g}, not at T_sym = "
                f"{pred['instability_temperature']:.4g}).",
                g["predicted_crossing"],
                g["measured_crossing"],
                3 * g["crossing_standard_error"] + 2 * g["grid_step"],
            )
        )
    return claims


def claims(summaries: Mapping, settings: Mapping | None = None) -> list[Claim]:
    """Every claim of the stage (module docstring for ``summaries``; no settings needed)."""
    s = summaries
    return [
        *two_delta_claims(s["two_delta"], s["exponents"]),
        *discrete_claims(s["four_point"], s["digits"], s["gaussian"]),
        *sphere_claims(s["spheres"], s["goldstone"]),
        *ising_claims(s["couplings"], s["chain"]),
        *simplex_claims(s["simplex"]),
        *simplex_generation_claims(s["simplex"]),
    ]
