"""The dynamics stage (paper §7-10): generation as a physical process, with exact scores.

Physics lives in :mod:`thermodiff.dynamics` (ensembles of reverse-SDE / probability-flow
trajectories, kicks with common random numbers, free energy along paths, KS distances),
:mod:`thermodiff.instability` (decision temperature, slowing down), :mod:`thermodiff.bath` (the
generative bath) and :mod:`thermodiff.hopfield` (associative memory); peaks, crossings, slopes
and bootstrap errors come from :mod:`thermodiff.estimators`.

* Summary builders (what the compute jobs save, one ``.npz`` each): :func:`two_delta_summary`,
  :func:`four_point_summary`, :func:`sphere_summary`, :func:`digits_summary`,
  :func:`bath_summary` (one per bath size M),
  :func:`bath_above_summary` (above T_c, and M = 1 annealed: :func:`single_site_summary`),
  :func:`hopfield_summary` (one per dimension d).
* ``claims(summaries, settings)`` from :func:`decision_claims`, :func:`adiabatic_claims`,
  :func:`bath_claims`, :func:`hopfield_claims`; ``values(summaries, settings)`` (keys
  ``dynamics.*``). ``summaries`` has ``two_delta``, ``four_point``, ``sphere``, ``digits``, ``bath_above``
  (one mapping each), ``baths`` and ``hopfield`` (lists); ``settings`` has ``n_sigma``.

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
from numpy.typing import NDArray

from thermodiff import bath, estimators, hopfield, instability
from thermodiff import dynamics as dyn
from thermodiff import meanfield as mf
from thermodiff import sphere as sph
from thermodiff.claims import Claim, make_claim
from thermodiff.denoisers import EmpiricalDenoiser
from thermodiff.macros import join_numbers

SECTION = {"instability": "7", "adiabatic": "8", "bath": "9", "hopfield": "10"}


def _grid(t_c: float, t_max: float, t_min: float, n_steps: int) -> NDArray[np.float64]:
    return dyn.geometric_temperatures(t_max * t_c, t_min * t_c, n_steps)


def _kick_indices(temps: NDArray, t_low: float, t_high: float, n: int) -> NDArray[np.int64]:
    """Distinct grid indices nearest to ``n`` log-spaced temperatures in [t_low, t_high]."""
    targets = np.geomspace(t_high, t_low, n)
    return np.unique([int(np.argmin(np.abs(np.log(temps[:-1] / t)))) for t in targets])


def peak_with_error(
    rng: np.random.Generator,
    temps: NDArray,
    values: NDArray,
    exact: NDArray,
    *,
    window: float,
    n_boot: int,
) -> dict[str, float]:
    """Peak of a Monte-Carlo curve in ``log T`` with its bootstrap error and estimator bias.

    ``values`` (K, B) are per-trajectory contributions at the K temperatures ``temps``; the
    peak of their mean is located by :func:`thermodiff.estimators.peak` on ``log T`` within
    ``window``; ``exact`` (K,) is the exact mean of the same estimator (finite kick) on the same
    grid: its peak, ``peak_exact_grid``, differs from the true maximiser T* by the systematic
    bias of the method (finite kick, grid, parabola), which the tolerance adds.
    """
    log_t = np.log(temps)

    def statistic(curve):
        return float(np.exp(estimators.peak(log_t, curve, window)))

    value, error = estimators.bootstrap(rng, statistic, values, n_boot)
    return {"peak": value, "peak_err": error, "peak_exact_grid": statistic(exact)}


# ---------------------------------------------------------------------------------------------
# Summary builders (one compute job each)


def _two_delta_denoiser(a: float):
    return lambda x, t: mf.two_delta_magnetisation(x, t, a)


def _kick_block(rng, y, denoiser, k: Mapping, t_axis: float, direction, seed: int):
    """Kicks along ``direction`` for the axis with critical temperature ``t_axis``.

    Trajectories start from exact samples of p_T at ``t_start t_axis`` and stop at
    ``t_end t_axis``, where the side is decided (the other side has posterior probability
    ``< exp(-2 |x| a / T)``, about ``e^-100`` at ``t_end = 0.02``). Returns the kick temperatures
    (K,), the per-trajectory responses (K, B) and the exact finite-kick response curve (K,).
    """
    temps = dyn.geometric_temperatures(k["t_start"] * t_axis, k["t_end"] * t_axis, k["n_steps"])
    idx = _kick_indices(temps, k["t_low"] * t_axis, k["t_high"] * t_axis, k["n"])
    x0 = dyn.sample_noised(y, temps[0], k["n_trajectories"], rng)
    delta = k["delta"] * np.sqrt(t_axis)
    s = dyn.kick_sensitivity(
        denoiser,
        x0,
        temps,
        idx,
        delta=delta,
        direction=direction,
        seed=seed,
        chunk_size=k["chunk_size"],
    )
    exact = instability.two_delta_kick_response(temps[idx], np.sqrt(t_axis), delta)
    return temps[idx], s.T, exact


def two_delta_summary(a: float, p: Mapping, *, seed: int, n_boot: int) -> dict[str, NDArray]:
    """Everything measured on the two-delta data at +-a (paper §7-8).

    ``p`` is the ``dynamics.two_delta`` config (temperatures in units of ``T_c = a**2``).
    Returns arrays: the SDE ensemble's recorded temperatures, KS distances to the exact p_T,
    ensemble variance, mean ``lambda_max(chi)`` and mean posterior entropy; a fan of SDE and ODE
    paths; free energy along the ODE at two step counts (largest increases) and along the SDE
    (how often and how much it rises); the kick-sensitivity curve with its peak (bootstrap) and
    the exact curve; relaxation times of the fixed-T flow and their log-log slope.
    """
    rng = np.random.default_rng([seed, 0])
    t_c = mf.two_delta_critical_temperature(a)
    y = np.array([[a], [-a]])
    den = _two_delta_denoiser(a)
    out: dict[str, NDArray] = {"a": np.float64(a), "t_c": np.float64(t_c)}

    # equilibrium ensemble
    temps = _grid(t_c, p["t_max"], p["t_min"], p["n_steps"])
    record = np.unique(np.geomspace(1, p["n_steps"], p["n_record"]).astype(int))
    x0 = dyn.sample_noised(y, temps[0], p["n_trajectories"], rng)
    _, rec = dyn.sample_paths(den, x0, temps, seed=seed, record=record, chunk_size=p["chunk_size"])
    xs, tr = rec[..., 0], temps[record]
    out["record_temperature"] = tr
    out["ks"] = np.array(
        [
            dyn.ks_distance(x, lambda v, t=t: dyn.two_delta_cdf(v, t, a))
            for x, t in zip(xs, tr, strict=True)
        ]
    )
    out["ks_critical"] = np.float64(
        dyn.ks_critical_value(p["n_trajectories"], p["ks_alpha"] / len(record))
    )
    out["variance"] = xs.var(axis=1)
    with np.errstate(over="ignore"):  # cosh overflows to inf far from 0: chi = 0 there, exactly
        out["lambda_max_mean"] = mf.two_delta_susceptibility(xs, tr[:, None], a).mean(axis=1)
    out["n_trajectories"] = np.int64(p["n_trajectories"])
    out.update(_paths_and_free_energy(den, y, a, p, seed, rng))
    # decision: kicks with common random numbers
    kt, values, exact = _kick_block(rng, y, den, p["kicks"], t_c, np.ones(1), seed + 1)
    pk = peak_with_error(rng, kt, values, exact, window=p["kicks"]["window"], n_boot=n_boot)
    out |= {"kick_temperature": kt, "sensitivity": values.mean(axis=1), "sensitivity_exact": exact}
    out["sensitivity_sem"] = values.std(axis=1, ddof=1) / np.sqrt(values.shape[1])
    out |= {k: np.float64(v) for k, v in pk.items()}
    out["decision_predicted"] = np.float64(instability.two_delta_decision_temperature(a))
    # slowing down
    r = p["relaxation"]
    eps = np.geomspace(r["eps_min"], r["eps_max"], r["n"])
    t_relax = t_c * (1.0 + eps)
    tau = instability.relaxation_times(den, t_relax, perturbation=r["perturbation"] * a, ds=r["ds"])
    reduced = (t_relax - t_c) / t_relax
    out |= {
        "relax_temperature": t_relax,
        "tau": tau,
        "tau_theory": instability.relaxation_time_theory(t_relax, t_c),
    }
    out["slowing_exponent"] = np.float64(-estimators.fit_power_law(reduced, tau).slope)
    return out


def _paths_and_free_energy(den, y, a, p: Mapping, seed: int, rng) -> dict[str, NDArray]:
    """Fans of SDE/ODE paths and the free energy along them (every step recorded)."""
    f = p["free_energy"]
    out: dict[str, NDArray] = {}
    x0 = dyn.sample_noised(y, f["t_start"] * a * a, f["n_trajectories"], rng)
    for label, n_steps in zip(("coarse", "fine"), f["ode_steps"], strict=True):
        temps = _grid(a * a, f["t_start"], p["t_min"], n_steps)
        _, rec = dyn.sample_paths(den, x0, temps, seed=seed, sde=False, record=range(n_steps + 1))
        free = mf.two_delta_free_energy(rec[..., 0], temps[:, None], a)
        out[f"ode_max_increase_{label}"] = np.float64(dyn.free_energy_increments(free).max())
        out[f"ode_final_free_energy_{label}"] = np.float64(np.abs(free[-1]).max())
        if label == "fine":
            out |= {"path_temperature": temps, "ode_paths": rec[:, : f["n_fan"], 0]}
            out["ode_free_energy"] = free[:, : f["n_fan"]]
    temps = out["path_temperature"]
    _, rec = dyn.sample_paths(den, x0, temps, seed=seed + 2, record=range(len(temps)))
    free = mf.two_delta_free_energy(rec[..., 0], temps[:, None], a)
    inc = dyn.free_energy_increments(free)
    out |= {"sde_paths": rec[:, : f["n_fan"], 0], "sde_free_energy": free[:, : f["n_fan"]]}
    out["sde_rise_fraction"] = np.float64((inc > 0).mean())
    out["sde_rise_mean"] = np.float64(inc[inc > 0].mean() if (inc > 0).any() else 0.0)
    out["sde_final_free_energy"] = np.float64(np.median(np.abs(free[-1])))
    return out


def four_point_summary(y: NDArray, p: Mapping, *, seed: int, n_boot: int) -> dict[str, NDArray]:
    """Cascade of decisions for the factorised four-point set (+-a, +-b) (paper §7).

    Kicks along each axis (outcome: the side along that axis) over one temperature range
    spanning both windows; the posterior factorises, so each axis is a two-delta problem with its
    own half-width and its decision peak is predicted at ``T*(1) * half_width**2``. Also the mean
    eigenvalues of ``chi(x_t)`` along reverse-SDE trajectories (two instability windows).
    """
    rng = np.random.default_rng([seed, 1])
    y = np.asarray(y, dtype=float)
    half = np.abs(y).max(axis=0)
    order = np.argsort(half)[::-1]
    t_c = float(half[order[0]] ** 2)

    den = EmpiricalDenoiser(y)  # the exact streaming kernel of the finite set

    out: dict[str, NDArray] = {"half_widths": half[order], "t_c": half[order] ** 2}
    peaks, errs, exact_peaks, curves = [], [], [], []
    for j, axis in enumerate(order):
        t_axis = float(half[axis] ** 2)
        kt, values, exact = _kick_block(rng, y, den, p["kicks"], t_axis, np.eye(2)[axis], seed + j)
        pk = peak_with_error(rng, kt, values, exact, window=p["kicks"]["window"], n_boot=n_boot)
        peaks.append(pk["peak"])
        errs.append(pk["peak_err"])
        exact_peaks.append(pk["peak_exact_grid"])
        curves.append((kt, values.mean(axis=1), exact))
        out[f"kick_temperature_{j}"], out[f"sensitivity_{j}"], out[f"sensitivity_exact_{j}"] = (
            curves[-1]
        )
    out |= {
        "peak": np.array(peaks),
        "peak_err": np.array(errs),
        "peak_exact_grid": np.array(exact_peaks),
    }
    out["decision_predicted"] = np.array(
        [instability.two_delta_decision_temperature(h) for h in half[order]]
    )
    # eigenvalues of chi along the generative trajectories
    temps = _grid(t_c, p["t_max"], p["t_min"] * float(half[order[-1]] ** 2) / t_c, p["n_steps"])
    record = np.unique(np.geomspace(1, p["n_steps"], p["n_record"]).astype(int))
    x0 = dyn.sample_noised(y, temps[0], p["n_trajectories"], rng)
    _, rec = dyn.sample_paths(den, x0, temps, seed=seed + 3, record=record)
    eig = np.stack(
        [
            np.linalg.eigvalsh(instability.point_set_susceptibility(x, y, t))
            for x, t in zip(rec, temps[record], strict=True)
        ]
    )
    out |= {"record_temperature": temps[record], "chi_eigenvalues_mean": eig.mean(axis=1)}
    return out


def sphere_summary(d: int, radius: float, p: Mapping, *, seed: int) -> dict[str, NDArray]:
    """Reverse SDE for data uniform on the sphere of ``radius`` in d dimensions (paper §7).

    Exact score ``m = r A_d(r|x|/T) x/|x|``; along the ensemble: mean norm, and mean radial and
    tangential eigenvalues of ``chi`` (all d cross 1 together at ``T_c = r**2/d``).
    """
    rng = np.random.default_rng([seed, 2, d])
    t_c = sph.sphere_critical_temperature(radius, d)
    temps = _grid(t_c, p["t_max"], p["t_min"], p["n_steps"])
    record = np.unique(np.geomspace(1, p["n_steps"], p["n_record"]).astype(int))
    z = rng.standard_normal((p["n_trajectories"], d))
    x0 = radius * z / np.linalg.norm(z, axis=1, keepdims=True)
    x0 = x0 + np.sqrt(temps[0]) * rng.standard_normal(x0.shape)
    _, rec = dyn.sample_paths(
        lambda x, t: sph.sphere_magnetisation(x, t, radius), x0, temps, seed=seed, record=record
    )
    tr = temps[record]
    u = np.linalg.norm(rec, axis=2)
    par, perp = sph.sphere_susceptibility_eigenvalues(u, tr[:, None], radius, d)
    return {
        "d": np.int64(d),
        "t_c": np.float64(t_c),
        "record_temperature": tr,
        "norm_mean": u.mean(axis=1),
        "chi_parallel_mean": par.mean(axis=1),
        "chi_perp_mean": perp.mean(axis=1),
        "lambda_max_mean": np.maximum(par, perp).mean(axis=1),
    }


def digits_summary(y: NDArray, p: Mapping, *, seed: int) -> dict[str, NDArray]:
    """Reverse SDE for the symmetrised digits (D and -D, raw norms) with the exact kernel (§7).

    ``T_c`` solves ``T = lambda_max(Cov[y | x = 0, T])`` (docs/theory.md §Fixed points and critical temperature; 0.6370); along the
    ensemble, the mean top eigenvalue of ``chi = Cov[y | x_T, T] / T`` from the chunked posterior
    covariance (:func:`thermodiff.meanfield.posterior_covariance`, streamed in the kernel's default
    blocks; cost B N d**2 per recorded T: a small ensemble).
    """
    from thermodiff.denoisers import default_chunk_size

    def chunk(x: NDArray) -> int:
        return default_chunk_size(len(x), len(y))

    rng = np.random.default_rng([seed, 6])
    y = np.asarray(y, dtype=float)
    t_c = mf.symmetric_critical_temperature(y)
    temps = _grid(t_c, p["t_max"], p["t_min"], p["n_steps"])
    record = np.unique(np.geomspace(1, p["n_steps"], p["n_record"]).astype(int))
    x0 = dyn.sample_noised(y, temps[0], p["n_trajectories"], rng)
    _, rec = dyn.sample_paths(EmpiricalDenoiser(y), x0, temps, seed=seed, record=record)
    lam = np.stack(
        [
            instability.lambda_max(mf.posterior_covariance(x, y, t, chunk_size=chunk(x)) / t)
            for x, t in zip(rec, temps[record], strict=True)
        ]
    )
    return {
        "t_c": np.float64(t_c),
        "record_temperature": temps[record],
        "lambda_max_mean": lam.mean(axis=1),
    }


def bath_summary(a: float, m: int, p: Mapping, *, seed: int) -> dict[str, NDArray]:
    """Generative bath of size M for two deltas at +-a (paper §9).

    ``<x**2>`` at T_c by quadrature and by exact Gibbs sampling (independent chains; burn-in
    ``burn_factor sqrt(M)`` sweeps, the critical relaxation scale); densities of ``p_M(x)`` at the
    configured ``T/T_c``; a histogram of the simulated x at T_c.
    """
    rng = np.random.default_rng([seed, 3, m])
    t_c = a * a
    x = bath.gibbs_two_delta(
        t_c,
        a,
        m,
        n_chains=p["n_chains"],
        n_sweeps=p["n_sweeps"],
        n_burn=int(p["burn_factor"] * np.sqrt(m)),
        rng=rng,
    )
    mean, err = bath.batch_means(x**2)
    out = {
        "m": np.int64(m),
        "a": np.float64(a),
        "x2_quadrature": np.float64(bath.two_delta_bath_moment(t_c, a, m)),
        "x2_simulated": np.float64(mean),
        "x2_err": np.float64(err),
        "x2_asymptotic": np.float64(bath.critical_amplitude() * a * a / np.sqrt(m) + t_c / m),
        "density_ratios": np.asarray(p["density_ratios"], dtype=float),
    }
    edges = np.linspace(-2 * a, 2 * a, 81)
    out["hist_edges"], out["hist"] = edges, np.histogram(x.ravel(), edges, density=True)[0]
    for i, r in enumerate(p["density_ratios"]):
        grid, dens = bath.two_delta_bath_grid(r * t_c, a, m, p["n_grid"])
        out[f"density_x_{i}"], out[f"density_{i}"] = grid, dens
    return out


def bath_above_summary(a: float, p: Mapping, *, seed: int) -> dict[str, NDArray]:
    """The bath away from T_c: ``<x**2>`` above T_c (``T = ratio T_c``, size ``m``) by Gibbs,
    quadrature and the law; and M = 1 annealed to ``T -> 0`` (:func:`single_site_summary`)."""
    return _above_tc(a, p, seed=seed) | single_site_summary(a, p["single_site"], seed=seed)


def single_site_summary(a: float, q: Mapping, *, seed: int) -> dict[str, NDArray]:
    """M = 1 with annealed T is ordinary generation (paper §9), keys ``single_*``.

    ``n_chains`` exact samples of ``p_T`` at ``t_max T_c`` are annealed by one exact Gibbs sweep
    per temperature of a geometric grid down to ``t_min T_c`` (:func:`thermodiff.bath.
    anneal_two_delta`); the same starts are generated by the reverse SDE with the exact score on
    the same grid. Saved for each route: the fraction ending at +a (1/2, binomial error
    ``1/(2 sqrt(n))``), the mean ``||x| - a|`` (``sqrt(2 T_end/pi)`` for exact samples of
    ``p_T_end``) and the KS distance to the exact ``p_T_end``, with its critical value at ``ks_alpha``.
    """
    rng = np.random.default_rng([seed, 6])
    t_c, n = a * a, int(q["n_chains"])
    temps = _grid(t_c, q["t_max"], q["t_min"], q["n_sweeps"])
    x0 = dyn.sample_noised(np.array([[a], [-a]]), temps[0], n, rng)
    final = {
        "bath": bath.anneal_two_delta(temps[1:], a, 1, x0[:, 0], rng),
        "sde": dyn.sample_paths(_two_delta_denoiser(a), x0, temps, seed=seed + 6)[0][:, 0],
    }
    out = {
        "single_n": np.int64(n),
        "single_t_start": np.float64(temps[0]),
        "single_t_end": np.float64(temps[-1]),
        "single_ks_critical": np.float64(dyn.ks_critical_value(n, q["ks_alpha"])),
        "single_abs_dev_exact": np.float64(np.sqrt(2.0 * temps[-1] / np.pi)),
    }
    for route, x in final.items():
        out[f"single_{route}_plus"] = np.float64((x > 0).mean())
        out[f"single_{route}_abs_dev"] = np.float64(np.abs(np.abs(x) - a).mean())
        out[f"single_{route}_ks"] = np.float64(
            dyn.ks_distance(x, lambda v: dyn.two_delta_cdf(v, temps[-1], a))
        )
    return out


def _above_tc(a: float, p: Mapping, *, seed: int) -> dict[str, NDArray]:
    """``<x**2>`` above T_c (``T = ratio T_c``, size ``m``): Gibbs, quadrature and the law."""
    q = p["above"]
    t_c, t, m = a * a, q["ratio"] * a * a, int(q["m"])
    rng = np.random.default_rng([seed, 4, m])
    x = bath.gibbs_two_delta(
        t, a, m, n_chains=p["n_chains"], n_sweeps=p["n_sweeps"], n_burn=q["n_burn"], rng=rng
    )
    mean, err = bath.batch_means(x**2)
    return {
        "m": np.int64(m),
        "temperature": np.float64(t),
        "t_c": np.float64(t_c),
        "law": np.float64(bath.above_tc_variance(t, t_c, m)),
        "relative_correction": np.float64(bath.above_tc_relative_correction(t, t_c, m)),
        "x2_quadrature": np.float64(bath.two_delta_bath_moment(t, a, m)),
        "x2_simulated": np.float64(mean),
        "x2_err": np.float64(err),
    }


def hopfield_summary(d: int, p: Mapping, *, seed: int, n_boot: int) -> dict[str, NDArray]:
    """Free energy = modern-Hopfield energy, and recall against the capacity law (paper §10).

    Identity: largest ``|F - E - (r**2/2 + T log N)|`` over random equal-norm pattern sets,
    states and temperatures (``F`` from :func:`thermodiff.meanfield.free_energy`, ``E`` from
    :func:`thermodiff.hopfield.hopfield_energy`, independent code). Recall: success fraction of
    fixed-point recall at ``T = sigma**2`` for N on a log grid around ``N_max``, the ``ln N``
    where it falls through 1/2 (logit interpolation, bootstrap over cues).
    """
    rng = np.random.default_rng([seed, 5, d])
    s2, c2 = p["pattern_variance"], p["cue_variance"]
    worst = 0.0
    for _ in range(p["n_identity"]):
        n = int(rng.integers(2, 50))
        y = rng.standard_normal((n, d))
        r = np.sqrt(s2 * d)
        y *= r / np.linalg.norm(y, axis=1, keepdims=True)
        x = np.sqrt(s2 + c2) * rng.standard_normal((8, d))
        t = float(np.exp(rng.uniform(np.log(0.05), np.log(20.0))))
        gap = mf.free_energy(x, y, t) - hopfield.hopfield_energy(x, y, 1.0 / t)
        worst = max(worst, float(np.abs(gap - (0.5 * r * r + t * np.log(n))).max()))
    n_max = hopfield.capacity(c2, s2, d)
    width = hopfield.capacity_width(c2, s2, d)
    sizes = np.unique(
        np.maximum(
            2, np.round(n_max * np.exp(np.linspace(-1, 1, p["n_sizes"]) * p["spread"] * width))
        )
    ).astype(int)
    success = np.stack(
        [
            hopfield.recall_success(
                int(n), d, cue_variance=c2, pattern_variance=s2, n_cues=p["n_cues"], rng=rng
            )
            for n in sizes
        ]
    ).astype(float)

    def half(curve):
        return float(np.log(estimators.half_crossing(sizes, curve)))

    value, err = estimators.bootstrap(rng, half, success, n_boot, min_finite=0.5)
    # energy along the segment between two stored patterns (figure), equal norms, d dimensions
    y = np.sqrt(s2) * rng.standard_normal((6, d))
    line = np.linspace(-0.5, 1.5, 201)
    seg = y[0] + line[:, None] * (y[1] - y[0])
    temps = np.asarray(p["landscape_temperatures"], dtype=float) * s2
    energy = np.stack([mf.free_energy(seg, y, t) for t in temps])
    return {
        "d": np.int64(d),
        "identity_max_error": np.float64(worst),
        "n_max": np.float64(n_max),
        "width": np.float64(width),
        "sizes": sizes,
        "success": success.mean(axis=1),
        "log_n_half": np.float64(value),
        "log_n_half_err": np.float64(err),
        "segment": line,
        "landscape_temperatures": temps,
        "landscape": energy,
    }


# ---------------------------------------------------------------------------------------------
# Claims, per topic


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


def values(summaries: Mapping, settings: Mapping) -> dict[str, object]:
    """Numbers quoted in the paper's §7-10 text (keys ``dynamics.*``)."""
    s, fp, sp, ab = (summaries[k] for k in ("two_delta", "four_point", "sphere", "bath_above"))
    baths = sorted(summaries["baths"], key=lambda b: int(b["m"]))
    out: dict[str, object] = {
        "dynamics.two_delta.a": float(s["a"]),
        "dynamics.two_delta.t_c": float(s["t_c"]),
        "dynamics.two_delta.n_trajectories": int(s["n_trajectories"]),
        "dynamics.two_delta.decision_ratio": float(s["decision_predicted"]) / float(s["t_c"]),
        "dynamics.two_delta.decision_measured": float(s["peak"]),
        "dynamics.two_delta.decision_err": float(s["peak_err"]),
        "dynamics.two_delta.slowing_exponent": float(s["slowing_exponent"]),
        "dynamics.two_delta.ks_max": float(np.max(s["ks"])),
        "dynamics.two_delta.ks_critical": float(s["ks_critical"]),
        "dynamics.adiabatic.ode_increase_coarse": float(s["ode_max_increase_coarse"]),
        "dynamics.adiabatic.ode_increase_fine": float(s["ode_max_increase_fine"]),
        "dynamics.adiabatic.sde_rise_fraction": float(s["sde_rise_fraction"]),
        "dynamics.adiabatic.sde_rise_mean": float(s["sde_rise_mean"]),
        "dynamics.adiabatic.ode_final_free_energy": float(s["ode_final_free_energy_fine"]),
        "dynamics.four_point.decision_high": float(fp["peak"][0]),
        "dynamics.four_point.decision_low": float(fp["peak"][1]),
        "dynamics.sphere.d": int(sp["d"]),
        "dynamics.sphere.t_c": float(sp["t_c"]),
        "dynamics.digits.t_c": float(summaries["digits"]["t_c"]),
        "dynamics.bath.sizes": ", ".join(str(int(b["m"])) for b in baths),
        "dynamics.bath.above_ratio": float(ab["temperature"]) / float(ab["t_c"]),
        "dynamics.bath.above_m": int(ab["m"]),
        "dynamics.bath.critical_amplitude": bath.critical_amplitude(),
        "dynamics.hopfield.dims": ", ".join(str(int(h["d"])) for h in summaries["hopfield"]),
    }
    out["dynamics.bath.x2_quadrature"] = join_numbers(float(b["x2_quadrature"]) for b in baths)
    out["dynamics.bath.x2_simulated"] = join_numbers(float(b["x2_simulated"]) for b in baths)
    out["dynamics.bath.above_law"] = float(ab["law"])
    out["dynamics.bath.above_simulated"] = float(ab["x2_simulated"])
    out |= {
        f"dynamics.bath.single_{k}": float(ab[f"single_{k}"])
        for k in ("t_start", "t_end", "ks_critical", "abs_dev_exact")
    }
    out["dynamics.bath.single_n"] = int(ab["single_n"])
    for route in ("bath", "sde"):
        for k in ("plus", "abs_dev", "ks"):
            out[f"dynamics.bath.single_{route}_{k}"] = float(ab[f"single_{route}_{k}"])
    hs = sorted(summaries["hopfield"], key=lambda h: int(h["d"]))
    out["dynamics.hopfield.log_n_max"] = join_numbers(float(np.log(h["n_max"])) for h in hs)
    out["dynamics.hopfield.log_n_half_err"] = join_numbers(float(h["log_n_half_err"]) for h in hs)
    out["dynamics.hopfield.band_hi"] = join_numbers(capacity_band(float(h["n_max"]))[1] for h in hs)
    out["dynamics.n_sigma"] = float(settings["n_sigma"])
    out["dynamics.hopfield.log_n_half"] = join_numbers(float(h["log_n_half"]) for h in hs)
    out["dynamics.hopfield.identity_error"] = max(float(h["identity_max_error"]) for h in hs)
    out["dynamics.four_point.decision_predicted"] = join_numbers(
        float(v) for v in fp["decision_predicted"]
    )
    return out
