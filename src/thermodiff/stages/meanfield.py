"""The mean-field stage (paper §5–7): what its compute jobs save, and the claims and quoted
values built from those JSON summaries.

Summary builders (each returns ``(arrays, summary)``: the arrays a job saves as ``.npz`` and the
mapping it writes as JSON): :func:`four_point_cascade`, :func:`digits_cascade`,
:func:`sphere_solution`, :func:`diffused_ising_solution`, :func:`ising_chain_summary` (JSON only).

``claims(summaries)`` is assembled from :func:`two_delta_claims`, :func:`discrete_claims`,
:func:`sphere_claims`, :func:`ising_claims` and :func:`simplex_claims`; ``values(summaries)`` gives the ``meanfield.*``
keys. ``summaries`` has the summaries of the compute jobs under the input names of the
``claims_meanfield`` rule: ``two_delta``, ``exponents``, ``four_point``, ``digits``, ``gaussian``,
``goldstone``, ``chain`` (one mapping each), ``spheres``, ``couplings`` and ``simplex`` (one per
dimension / coupling / number of vertices q). Claim ids are ``meanfield.<topic>.<quantity>``.

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
  those (:func:`_simplex_tolerances`); the commit temperature of reverse-SDE trajectories from
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
from numpy.typing import ArrayLike, NDArray

from thermodiff import critical as cr
from thermodiff import ising
from thermodiff import meanfield as mf
from thermodiff import sphere as sp
from thermodiff.claims import Claim, make_claim
from thermodiff.macros import join_numbers
from thermodiff.stages import coupling_label

SECTION = {
    "two_delta": "5.1",
    "discrete": "5.2",
    "sphere": "5.3",
    "ising": "5.4",
    "exp": "7",
    "simplex": "7",  # not an example of the paper: it limits the abstract's "second order" (§7)
}


# ---- summary builders (what the compute jobs save)

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


def sphere_solution(
    d: int,
    radius: float,
    grid: tuple[float, float, int],
    heat_capacity_window: tuple[float, float],
    reduced_window: tuple[float, float],
) -> tuple[dict, dict]:
    """Uniform data on the sphere of ``radius`` in ``d`` dimensions: ``T_c = r**2/d``.

    ``grid = (t_min, t_max, n)`` in units of T_c for the saved curves (order parameter, Landau
    form, susceptibilities, heat capacity, NaN within 2e-3 of T_c where the stencil would
    straddle it). Measured: the bifurcation, scanned a decade either side of the per-coordinate
    second moment ``r**2/d``; the heat-capacity jump and beta at the located T_c.
    """
    t_c = sp.sphere_critical_temperature(radius, d)

    def order_parameter(t, h=0.0):
        return sp.sphere_order_parameter(t, radius, d, h)

    def kl_at_fixed_point(t):
        return sp.sphere_prior_kl(order_parameter(t), t, radius, d)

    scale = radius**2 / d
    measured = mf.locate_bifurcation(order_parameter, 0.1 * scale, 10 * scale)
    jump = cr.measure_heat_capacity_jump(kl_at_fixed_point, measured, heat_capacity_window)
    beta = cr.measure_beta(order_parameter, measured, reduced_window)
    t_min, t_max, n = grid
    t = t_c * np.linspace(t_min, t_max, n)
    u = order_parameter(t)
    chi_par, chi_perp = sp.sphere_susceptibility_eigenvalues(u, t, radius, d)
    away = np.abs(t / t_c - 1) > 2e-3
    heat = np.full_like(t, np.nan)
    heat[away] = cr.heat_capacity(kl_at_fixed_point, t[away], 1e-4 * t_c)
    arrays = {
        "temperature": t,
        "order_parameter": u,
        "landau": sp.sphere_landau_order_parameter(t, radius, d),
        "chi_parallel": chi_par,
        "chi_perp": chi_perp,
        "heat_capacity": heat,
        "d": d,
        "radius": radius,
        "critical_temperature": t_c,
    }
    summary = {
        "d": d,
        "radius": radius,
        "predicted": t_c,
        "measured": measured,
        "heat_capacity": jump.summary(),
        "predicted_jump": (d + 2) / 2,
        "beta": beta.summary(),
    }
    return arrays, summary


def diffused_ising_solution(
    y: ArrayLike,
    coupling: float,
    extrapolation_dims: ArrayLike,
    finite_dims: ArrayLike,
    grid: tuple[float, float, int],
) -> tuple[dict, dict]:
    """Diffused Curie-Weiss data ``y`` (N, d_data) at ``beta0 J = coupling``.

    Predicted ``T_c = 1/(1 - beta0 J)`` (d -> inf); measured: the exact finite-d ``T_c`` on the
    ladder ``extrapolation_dims`` extrapolated in 1/d. Curves of the homogeneous fixed point on
    ``grid = (t_min, t_max, n)`` in units of ``T_c(inf)``: infinite d, each of ``finite_dims``
    and ``d_data``, and the samples' empirical sector weights (``T_c = <M**2>/d`` of the samples).
    ``data_tc``: the exact finite-d T_c at ``d_data``, against ``bifurcation``, where the
    homogeneous fixed point at ``d_data`` bifurcates.
    """
    y = np.asarray(y)
    coupling, d_data = float(coupling), y.shape[1]
    t_inf = ising.curie_weiss_critical_temperature(coupling)
    ladder = np.asarray(extrapolation_dims)
    ladder_tc = np.array(
        [ising.curie_weiss_finite_critical_temperature(int(d), coupling) for d in ladder]
    )
    extrapolated, change = ising.extrapolate_in_inverse_dimension(ladder, ladder_tc)
    dims = sorted({*finite_dims, d_data})
    empirical_weights = ising.empirical_sector_log_weights(y)
    t_min, t_max, n = grid
    t = t_inf * np.linspace(t_min, t_max, n)
    arrays = {
        "temperature": t,
        "infinite": ising.curie_weiss_infinite_magnetisation(t, coupling),
        "finite_dims": dims,
        "ladder_dims": ladder,
        "ladder_tc": ladder_tc,
        "empirical": ising.homogeneous_fixed_point(t, empirical_weights),
    }
    for d in dims:
        arrays[f"finite_d{d}"] = ising.curie_weiss_homogeneous_fixed_point(t, d, coupling)
    arrays |= {"coupling": coupling, "critical_temperature": t_inf}
    spins = (2 * np.arange(d_data + 1) - d_data) ** 2 / d_data
    # independent route to the data-d T_c: where the homogeneous generative fixed point bifurcates
    data_tc = ising.curie_weiss_finite_critical_temperature(d_data, coupling)
    summary = {
        "coupling": coupling,
        "predicted": t_inf,
        "measured": extrapolated,
        "extrapolation_change": change,
        "ladder_dims": ladder,
        "ladder_tc": ladder_tc,
        "finite": {
            str(d): ising.curie_weiss_finite_critical_temperature(d, coupling) for d in dims
        },
        "data_d": d_data,
        "data_n_samples": len(y),
        "empirical_tc": float(np.exp(empirical_weights) @ spins),
        "data_tc": data_tc,
        "bifurcation": mf.locate_bifurcation(
            lambda t: ising.curie_weiss_homogeneous_fixed_point(t, d_data, coupling),
            0.7 * data_tc,
            1.3 * data_tc,
        ),
    }
    return arrays, summary


def ising_chain_summary(coupling: float, lengths: Sequence[int]) -> dict:
    """Periodic Ising chain at ``beta0 J = coupling``: ``T_c = S(k=0) = exp(2 beta0 J)``, and per
    length L the finite structure factor and ``lambda_max`` of the transfer-matrix covariance;
    ``bifurcation``: at the largest length <= 16, the bifurcation of the annealed fixed point of
    the enumerated chain law against the finite-L ``S(0)``."""
    finite = {
        str(length): {
            "structure_factor": ising.chain_critical_temperature(coupling, length),
            "lambda_max": float(np.linalg.eigvalsh(ising.chain_covariance(length, coupling))[-1]),
        }
        for length in lengths
    }
    # independent route at the largest enumerable length: the generative bifurcation of the exact
    # chain law (2^L weighted configurations) located with the point-data fixed-point solver
    length = max(n for n in lengths if n <= 16)
    y, log_weights = ising.chain_configurations(length, coupling)
    solve = mf.annealed_fixed_points(y, np.zeros(length), log_weights)
    t_l = ising.chain_critical_temperature(coupling, length)
    bifurcation = {
        "length": length,
        "predicted": t_l,
        "measured": mf.locate_bifurcation(
            lambda t: np.linalg.norm(solve(t), axis=1), 0.8 * t_l, 1.2 * t_l, n_scan=24
        ),
    }
    return {
        "coupling": coupling,
        "predicted": ising.chain_critical_temperature(coupling),
        "finite": finite,
        "largest_length": max(lengths),
        "bifurcation": bifurcation,
    }


# ---- claims


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


def _simplex_tolerances(s: Mapping) -> dict[str, float]:
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
        tol = _simplex_tolerances(s)
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


def _generation_values(ref: Mapping) -> dict[str, object]:
    """``meanfield.simplex.ref.generation.*`` of the largest q, temperatures in units of T_sym."""
    g, t_sym = ref.get("generation"), ref["predicted"]["instability_temperature"]
    if ref["q"] < 3 or g is None:
        return {}
    pre = "meanfield.simplex.ref.generation"
    return {
        f"{pre}.n_paths": g["n_paths"],
        f"{pre}.n_steps": g["n_steps"],
        f"{pre}.t_start": g["t_start"] / t_sym,
        f"{pre}.predicted": g["predicted_crossing"] / t_sym,
        f"{pre}.measured": g["measured_crossing"] / t_sym,
        f"{pre}.error": g["crossing_standard_error"] / t_sym,
        f"{pre}.t1": ref["predicted"]["transition_temperature"] / t_sym,
    }


def simplex_values(simplex: Sequence[Mapping], claims: Sequence[Claim]) -> dict[str, object]:
    """``meanfield.simplex.*``: settings, the largest q's numbers, pass counts."""
    runs = sorted(simplex, key=lambda s: s["q"])
    ref = runs[-1]
    pred, meas, t_sym = (
        ref["predicted"],
        ref["measured"],
        ref["predicted"]["instability_temperature"],
    )
    mine = [c for c in claims if c.claim_id.startswith("meanfield.simplex.")]
    return {
        "meanfield.simplex.qs": ", ".join(str(s["q"]) for s in runs),
        "meanfield.simplex.lambda_max": t_sym,
        "meanfield.simplex.n_starts": ref["n_starts"],
        "meanfield.simplex.grid_step": ref["grid_step"],
        "meanfield.simplex.ref.q": ref["q"],
        "meanfield.simplex.ref.tsym": t_sym,
        "meanfield.simplex.ref.t1": pred["transition_temperature"],
        "meanfield.simplex.ref.tsp": pred["spinodal_temperature"],
        "meanfield.simplex.ref.jump": pred["order_parameter_jump"],
        "meanfield.simplex.ref.t1_measured": f"{meas['transition_temperature']:.8f}",
        "meanfield.simplex.ref.tsp_measured": f"{meas['spinodal_temperature']:.8f}",
        "meanfield.simplex.ref.jump_measured": f"{meas['order_parameter_jump']:.8f}",
        "meanfield.simplex.ref.alignment": ref["vertex_alignment"],
        "meanfield.simplex.ref.cooling_jump": ref["cooling_jump_temperature"] / t_sym,
        "meanfield.simplex.ref.heating_jump": ref["heating_jump_temperature"] / t_sym,
        **_generation_values(ref),
        "meanfield.simplex.n_claims": len(mine),
        "meanfield.simplex.n_passed": sum(c.passed for c in mine),
    }


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


def values(summaries: Mapping, settings: Mapping | None = None) -> dict[str, object]:
    """Numbers the paper quotes (keys ``meanfield.*``)."""
    critical, exponents = summaries["two_delta"], summaries["exponents"]
    four_point, digits = summaries["four_point"], summaries["digits"]
    gaussian, goldstone = summaries["gaussian"], summaries["goldstone"]
    spheres, couplings = summaries["spheres"], summaries["couplings"]
    chain = summaries["chain"]
    v: dict[str, object] = {
        "meanfield.two_delta.a": critical["a"],
        "meanfield.two_delta.tc": critical["predicted"],
        "meanfield.exponents.window_min": exponents["beta"]["window"][0],
        "meanfield.exponents.window_max": exponents["beta"]["window"][1],
        "meanfield.exponents.field_min": exponents["delta"]["window"][0],
        "meanfield.exponents.field_max": exponents["delta"]["window"][1],
        "meanfield.exponents.beta_residual": exponents["beta"]["residual"],
        "meanfield.exponents.beta_amplitude": exponents["beta"]["amplitude"],
        "meanfield.exponents.gamma_above_amplitude": exponents["gamma_above"]["amplitude"],
        "meanfield.exponents.gamma_below_amplitude": exponents["gamma_below"]["amplitude"],
        "meanfield.exponents.delta_inverse": exponents["delta"]["slope"],
        "meanfield.exponents.delta_amplitude": exponents["delta"]["amplitude"],
        "meanfield.exponents.heat_window_min": exponents["heat_capacity"]["window"][0],
        "meanfield.exponents.heat_window_max": exponents["heat_capacity"]["window"][1],
        "meanfield.exponents.heat_below": exponents["heat_capacity"]["below"],
        "meanfield.exponents.n_points": exponents["beta"]["n_points"],
        "meanfield.four_point.a": float(np.sqrt(four_point["predicted"][0])),
        "meanfield.four_point.b": float(np.sqrt(four_point["predicted"][1])),
        "meanfield.digits.cov_top": digits["raw"]["covariance_top_eigenvalue"],
        "meanfield.digits.raw_max_lambda": digits["raw"]["max_lambda_max"],
        "meanfield.digits.raw_max_lambda_temperature": digits["raw"]["temperature_at_max"],
        "meanfield.digits.raw_grid_max_lambda": digits["raw"]["grid_max_lambda_max"],
        "meanfield.gaussian.max_lambda": gaussian["max_lambda_max"],
        "meanfield.gaussian.t_min": gaussian["temperature_range"][0],
        "meanfield.gaussian.t_max": gaussian["temperature_range"][1],
        "meanfield.sphere.radius": spheres[0]["radius"],
        "meanfield.sphere.dims": ", ".join(str(s["d"]) for s in spheres),
        "meanfield.sphere.tcs": join_numbers(s["predicted"] for s in spheres),
        "meanfield.sphere.jumps": join_numbers(
            (s["heat_capacity"]["jump"] for s in spheres), "{:.5g}"
        ),
        "meanfield.sphere.betas": join_numbers((s["beta"]["slope"] for s in spheres), "{:.4f}"),
        "meanfield.goldstone.d": goldstone["d"],
        "meanfield.goldstone.ratio": goldstone["temperature_ratio"],
        "meanfield.goldstone.n_samples": goldstone["n_samples"],
        "meanfield.goldstone.radius": goldstone["fixed_point_radius"],
        "meanfield.goldstone.chi_parallel": goldstone["closed_form"]["chi_parallel"],
        "meanfield.goldstone.chi_parallel_mc": goldstone["monte_carlo"]["parallel"],
        "meanfield.goldstone.empirical_chi_perp": goldstone["empirical_minimum"]["chi_perp_mean"],
        "meanfield.ising.couplings": join_numbers((c["coupling"] for c in couplings), "{:g}"),
        "meanfield.ising.tcs": join_numbers(c["predicted"] for c in couplings),
        "meanfield.ising.data_d": couplings[0]["data_d"],
        "meanfield.ising.data_tcs": join_numbers(c["finite"][str(c["data_d"])] for c in couplings),
        "meanfield.ising.empirical_tcs": join_numbers(c["empirical_tc"] for c in couplings),
        "meanfield.ising.ladder_min": int(min(couplings[0]["ladder_dims"])),
        "meanfield.ising.ladder_max": int(max(couplings[0]["ladder_dims"])),
        "meanfield.chain.coupling": chain["coupling"],
    }
    lengths = sorted(chain["finite"], key=int)  # six digits: the finite-L shift is small
    v["meanfield.chain.tc"] = f"{chain['predicted']:.6g}"
    v["meanfield.chain.lengths"] = ", ".join(lengths)
    v["meanfield.chain.finite_tcs"] = ", ".join(
        f"{chain['finite'][n]['structure_factor']:.6g}" for n in lengths
    )
    v["meanfield.chain.bifurcation_length"] = chain["bifurcation"]["length"]
    v["meanfield.ising.bifurcations"] = join_numbers(
        (c["bifurcation"] for c in couplings), "{:.6g}"
    )
    return v | simplex_values(summaries["simplex"], claims(summaries))
