"""Decisions of the dynamics stage (paper §7-8): ensembles of generative trajectories through
the critical instability, what the compute jobs save (one ``.npz`` each).

Temperatures of the two-delta and four-point runs are configured in units of the data's own
critical temperature (``a**2``), so every prediction and measurement moves with the half-width.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from numpy.typing import NDArray

from thermodiff import dynamics as dyn
from thermodiff import estimators, instability
from thermodiff import meanfield as mf
from thermodiff import sphere as sph
from thermodiff.denoisers import EmpiricalDenoiser


def ensemble_grid(t_c: float, t_max: float, t_min: float, n_steps: int) -> NDArray[np.float64]:
    """Geometric grid from ``t_max T_c`` down to ``t_min T_c`` (units of T_c), ``n_steps + 1``."""
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


def two_delta_denoiser(a: float) -> Callable[[NDArray, NDArray], NDArray]:
    """The exact denoiser ``(x, T) -> a tanh(a x / T)`` of the two deltas at ``+-a``."""
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
    den = two_delta_denoiser(a)
    out: dict[str, NDArray] = {"a": np.float64(a), "t_c": np.float64(t_c)}

    # equilibrium ensemble
    temps = ensemble_grid(t_c, p["t_max"], p["t_min"], p["n_steps"])
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
        temps = ensemble_grid(a * a, f["t_start"], p["t_min"], n_steps)
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
    temps = ensemble_grid(
        t_c, p["t_max"], p["t_min"] * float(half[order[-1]] ** 2) / t_c, p["n_steps"]
    )
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
    temps = ensemble_grid(t_c, p["t_max"], p["t_min"], p["n_steps"])
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
    temps = ensemble_grid(t_c, p["t_max"], p["t_min"], p["n_steps"])
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
