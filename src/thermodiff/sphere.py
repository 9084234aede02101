"""Example 3: data uniform on the hypersphere of radius r in R^d (paper §5.3, docs/theory.md §Sphere).

Given the noisy state x (``u = |x|``), the posterior of the clean datum is von Mises-Fisher with
concentration ``kappa = r u / T`` (VE, ``T = sigma**2``). With ``b = d / 2`` and ``nu = b - 1``:

* ``g_d(kappa) = E_unif[exp(kappa e.y / r)] = Gamma(b) (2 / kappa)**nu I_nu(kappa)``
  ``= 0F1(; b; kappa**2 / 4)``,
* free energy ``F(u, T) = (u**2 + r**2) / 2 - T log g_d(r u / T)``
  (exact: ``Z = exp(-(u**2 + r**2) / 2T) g_d``),
* magnetisation ``m(x, T) = r A_d(kappa) x / u`` with the Bessel ratio
  ``A_d(kappa) = I_{d/2}(kappa) / I_{d/2 - 1}(kappa) = d log g_d / d kappa``,
* ``dF/dT`` at fixed x ``= KL(vMF || uniform) = kappa A_d(kappa) - log g_d(kappa)``.

The O(d) symmetry breaks at ``T_c = r**2 / d`` (``chi(0) = (r**2 / (d T)) I``); below it the fixed
points form a sphere of radius ``u*`` solving ``u = r A_d(r u / T)``, with Landau form
``u* ~ sqrt((d + 2)(T_c - T))``, tangential (Goldstone) susceptibility exactly 1, radial
susceptibility ``(r**2 / T) A_d'(kappa) < 1`` and a heat-capacity jump ``(d + 2) / 2``.

``log g_d`` is evaluated without overflow or underflow for large d: by its power series where
that converges in a few hundred terms, otherwise from ``log I_nu`` (scaled Bessel function for
small orders, Debye's uniform asymptotic expansion, DLMF 10.41.3, for large orders).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln, ive

_SERIES_PEAK = 400  # the 0F1 series is used where its largest term has index below this
_DEBYE_MIN_ORDER = 50.0  # orders from which Debye's expansion (4 correction terms) is used

# ---------------------------------------------------------------------------------------------
# Stable Bessel functions


def _log_hyp0f1_series(b: float, z: NDArray) -> NDArray:
    """``log 0F1(; b; z) = log sum_k z**k / ((b)_k k!)`` by log-sum-exp over the series terms."""
    z_max = float(np.max(z, initial=0.0))
    peak = 0.5 * (-(b + 1) + np.sqrt((b - 1) ** 2 + 4 * z_max))  # (b + k)(k + 1) = z
    k = np.arange(int(max(peak, 0.0) + 12 * np.sqrt(max(peak, 0.0) + 1) + 30))
    log_coeff = -(gammaln(b + k) - gammaln(b) + gammaln(k + 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_terms = np.log(z)[..., None] * k + log_coeff
    log_terms[..., 0] = 0.0
    top = log_terms.max(axis=-1, keepdims=True)
    return (top + np.log(np.exp(log_terms - top).sum(axis=-1, keepdims=True)))[..., 0]


def _debye_log_iv(nu: float, kappa: NDArray) -> NDArray:
    """``log I_nu(kappa)`` from Debye's uniform expansion in 1/nu (DLMF 10.41.3), nu >= 50."""
    z = kappa / nu
    root = np.sqrt(1.0 + z * z)
    eta = root + np.log(z / (1.0 + root))
    p = 1.0 / root
    u1 = (3 * p - 5 * p**3) / 24
    u2 = (81 * p**2 - 462 * p**4 + 385 * p**6) / 1152
    u3 = (30375 * p**3 - 369603 * p**5 + 765765 * p**7 - 425425 * p**9) / 414720
    u4 = (
        4465125 * p**4 - 94121676 * p**6 + 349922430 * p**8 - 446185740 * p**10 + 185910725 * p**12
    ) / 39813120
    series = 1 + u1 / nu + u2 / nu**2 + u3 / nu**3 + u4 / nu**4
    return nu * eta - 0.5 * np.log(2 * np.pi * nu) - 0.5 * np.log(root) + np.log(series)


def log_bessel_i(nu: float, kappa: ArrayLike) -> NDArray[np.float64]:
    """``log I_nu(kappa)`` for ``kappa > 0``, finite where ``I_nu`` itself over- or underflows.

    ``log(ive(nu, kappa)) + kappa`` for orders below 50, Debye's expansion above (relative error
    of ``I_nu`` below ~1e-9 there).
    """
    kappa = np.asarray(kappa, dtype=float)
    if nu >= _DEBYE_MIN_ORDER:
        return _debye_log_iv(nu, kappa)
    with np.errstate(divide="ignore"):
        return np.log(ive(nu, kappa)) + kappa


def _series_ok(b: float, z: NDArray) -> NDArray:
    """Whether the 0F1 series peaks early enough (term index < 400) for the fixed term count."""
    return z < _SERIES_PEAK * (b + _SERIES_PEAK)


def sphere_log_mgf(kappa: ArrayLike, d: int) -> NDArray[np.float64]:
    """``log g_d(kappa) = log E[exp(kappa y_1)]`` for y uniform on the unit sphere in R^d.

    Parameters
    ----------
    kappa : array_like, any shape, ``kappa >= 0``
    d : int

    Notes
    -----
    ``g_d = 0F1(; d/2; kappa**2 / 4) = Gamma(d/2) (2/kappa)**(d/2 - 1) I_{d/2-1}(kappa)``
    (DLMF 10.25.2, 16.2.1); ``g_1 = cosh``. Series for small and moderate kappa (no cancellation,
    exact as ``kappa -> 0``), the Bessel route for large kappa. Even in kappa.
    """
    kappa = np.abs(np.asarray(kappa, dtype=float))
    b = 0.5 * d
    z = 0.25 * kappa**2
    series = _series_ok(b, z)
    out = np.empty_like(kappa)
    out[series] = _log_hyp0f1_series(b, z[series])
    big = kappa[~series]
    out[~series] = gammaln(b) + (b - 1) * np.log(2.0 / big) + log_bessel_i(b - 1, big)
    return out


def bessel_ratio(kappa: ArrayLike, d: int) -> NDArray[np.float64]:
    """``A_d(kappa) = I_{d/2}(kappa) / I_{d/2-1}(kappa)``, the mean resultant length of vMF.

    Equals ``d log g_d / d kappa``; ``A_1 = tanh``; ``A_d ~ kappa / d - kappa**3 / (d**2 (d+2))``
    at small kappa and ``-> 1`` as ``kappa -> inf``; odd in kappa.
    """
    kappa = np.asarray(kappa, dtype=float)
    sign, kappa = np.sign(kappa), np.abs(kappa)
    b = 0.5 * d
    z = 0.25 * kappa**2
    series = _series_ok(b + 1, z)
    out = np.empty_like(kappa)
    ks = kappa[series]
    out[series] = (
        ks
        / (2 * b)
        * np.exp(_log_hyp0f1_series(b + 1, z[series]) - _log_hyp0f1_series(b, z[series]))
    )
    big = kappa[~series]
    out[~series] = np.exp(log_bessel_i(b, big) - log_bessel_i(b - 1, big))
    return sign * out


def bessel_ratio_derivative(kappa: ArrayLike, d: int) -> NDArray[np.float64]:
    """``A_d'(kappa) = 1 - A_d**2 - (d - 1) A_d / kappa`` (limit ``1/d`` at 0); even in kappa."""
    kappa = np.abs(np.asarray(kappa, dtype=float))
    ratio = bessel_ratio(kappa, d)
    safe = np.where(kappa > 0, kappa, 1.0)
    return np.where(kappa > 0, 1.0 - ratio**2 - (d - 1) * ratio / safe, 1.0 / d)


# ---------------------------------------------------------------------------------------------
# Thermodynamics of the hypersphere


def sphere_critical_temperature(radius: float, d: int) -> float:
    """Closed form ``T_c = r**2 / d``: top eigenvalue of the uniform-sphere covariance."""
    return float(radius) ** 2 / d


def sphere_free_energy(u: ArrayLike, temperature: ArrayLike, radius: float, d: int) -> NDArray:
    """``F(u, T) = (u**2 + r**2) / 2 - T log g_d(r u / T)`` with ``u = |x|`` (broadcasts)."""
    u = np.asarray(u, dtype=float)
    temperature = np.asarray(temperature, dtype=float)
    return 0.5 * (u**2 + radius**2) - temperature * sphere_log_mgf(radius * u / temperature, d)


def sphere_magnetisation(x: ArrayLike, temperature: ArrayLike, radius: float) -> NDArray:
    """``m(x, T) = r A_d(r |x| / T) x / |x|``, shape (B, d); ``m(0) = 0``."""
    x = np.atleast_2d(np.asarray(x, dtype=float))
    u = np.linalg.norm(x, axis=1)
    ratio = bessel_ratio(radius * u / np.asarray(temperature, dtype=float), x.shape[1])
    scale = np.where(u > 0, radius * ratio / np.where(u > 0, u, 1.0), 0.0)
    return scale[:, None] * x


def sphere_prior_kl(u: ArrayLike, temperature: ArrayLike, radius: float, d: int) -> NDArray:
    """``dF/dT = KL(vMF || uniform) = kappa A_d(kappa) - log g_d(kappa)``, ``kappa = r u / T``."""
    kappa = radius * np.asarray(u, dtype=float) / np.asarray(temperature, dtype=float)
    return kappa * bessel_ratio(kappa, d) - sphere_log_mgf(kappa, d)


def sphere_order_parameter(
    temperature: ArrayLike,
    radius: float,
    d: int,
    field: ArrayLike = 0.0,
    tol: float = 1e-15,
    max_iter: int = 300,
) -> NDArray[np.float64]:
    """Radius ``u*`` of the sphere of fixed points: largest root of ``u = r A_d(r (u / T + h))``.

    ``h`` is a prior bias ``p(y) ∝ exp(h e.y)`` along a unit vector e (0 by default) and ``u`` is
    the signed component of the fixed point along e (negative for ``h < 0`` above T_c). Newton's
    method from ``u = r`` on ``f(u) = u - r A_d(r (u / T + h))``; ``A_d`` is increasing and
    concave on ``kappa > 0``, so ``f`` is convex there and the iterates decrease monotonically to
    the largest root (0 above T_c when h = 0). Vectorised over broadcast ``temperature``, ``h``.
    """
    temperature, field = np.broadcast_arrays(
        np.asarray(temperature, dtype=float), np.asarray(field, dtype=float)
    )
    shape = temperature.shape
    temperature, field = temperature.ravel(), field.ravel()
    u = np.full(temperature.shape, float(radius))
    active = np.ones(u.shape, dtype=bool)
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        t, kappa = temperature[idx], radius * (u[idx] / temperature[idx] + field[idx])
        ratio = bessel_ratio(kappa, d)
        f = u[idx] - radius * ratio
        safe = np.where(np.abs(kappa) > 0, np.abs(kappa), 1.0)
        derivative = np.where(kappa != 0, 1.0 - ratio**2 - (d - 1) * np.abs(ratio) / safe, 1 / d)
        slope = 1.0 - radius**2 / t * derivative
        step = np.where(slope > 0, f / np.where(slope > 0, slope, 1.0), 0.5 * u[idx])
        u[idx] -= step
        # stop at a step below tol, or once |f| is at the rounding level of r A_d
        active[idx[(np.abs(step) <= tol * radius) | (np.abs(f) <= 4e-16 * radius)]] = False
    u = u.reshape(shape)
    return np.where(field.reshape(shape) == 0.0, np.abs(u), u)


def sphere_landau_order_parameter(temperature: ArrayLike, radius: float, d: int) -> NDArray:
    """Landau form ``u* = sqrt((d + 2)(T_c - T))`` below T_c, 0 above."""
    t_c = sphere_critical_temperature(radius, d)
    return np.sqrt((d + 2) * np.clip(t_c - np.asarray(temperature, dtype=float), 0.0, None))


def sphere_susceptibility_eigenvalues(
    u: ArrayLike, temperature: ArrayLike, radius: float, d: int
) -> tuple[NDArray, NDArray]:
    """``(chi_parallel, chi_perp)`` of ``chi = Cov_vMF[y] / T`` at ``|x| = u``.

    Radial ``chi_par = (r**2 / T) A_d'(kappa)``; tangential (``d - 1`` fold)
    ``chi_perp = (r**2 / T) A_d(kappa) / kappa = r A_d(kappa) / u``, which is exactly 1 at a
    broken fixed point (``u = r A_d``): the Goldstone modes of the O(d) symmetry.
    """
    u = np.asarray(u, dtype=float)
    temperature = np.asarray(temperature, dtype=float)
    kappa = radius * u / temperature
    chi_par = radius**2 / temperature * bessel_ratio_derivative(kappa, d)
    safe = np.where(kappa > 0, kappa, 1.0)
    chi_perp = np.where(
        kappa > 0,
        radius**2 / temperature * bessel_ratio(safe, d) / safe,
        radius**2 / (d * temperature),
    )
    return chi_par, chi_perp


# ---------------------------------------------------------------------------------------------
# Monte-Carlo check of the Goldstone modes from uniform samples


@dataclass(frozen=True)
class SusceptibilityEstimate:
    """Monte-Carlo radial and tangential susceptibility with batch-means standard errors."""

    parallel: float
    parallel_error: float
    perp: float
    perp_error: float
    n_samples: int
    n_batches: int


def _radial_tangential(y: NDArray, direction: NDArray, u: float, temperature: float):
    """``(chi_par, chi_perp)`` of the self-normalised importance estimate of ``Cov[y | x] / T``."""
    logits = (y @ direction) * u / temperature
    w = np.exp(logits - logits.max())
    w /= w.sum()
    mean = w @ y
    centred = y - mean
    cov = (centred.T * w) @ centred / temperature
    chi_par = direction @ cov @ direction
    chi_perp = (np.trace(cov) - chi_par) / (len(direction) - 1)
    return chi_par, chi_perp


def goldstone_susceptibility_monte_carlo(
    y: ArrayLike, u: float, temperature: float, n_batches: int = 20
) -> SusceptibilityEstimate:
    """Radial and mean tangential eigenvalue of ``chi = Cov[y | x] / T`` at ``x = u e_1``.

    The posterior of uniform sphere samples ``y`` (N, d) given x is reweighted by
    ``exp(x . y / T)`` (the ``|y|**2`` term is constant on the sphere). The standard errors come
    from ``n_batches`` disjoint batches (batch means): ``std(batch estimates) / sqrt(n_batches)``.
    This route integrates the von Mises-Fisher covariance by Monte Carlo and does not use the
    Bessel-ratio identities.
    """
    y = np.asarray(y, dtype=float)
    direction = np.eye(y.shape[1])[0]
    full = _radial_tangential(y, direction, u, temperature)
    batches = np.array(
        [_radial_tangential(b, direction, u, temperature) for b in np.array_split(y, n_batches)]
    )
    errors = batches.std(axis=0, ddof=1) / np.sqrt(n_batches)
    return SusceptibilityEstimate(
        parallel=float(full[0]),
        parallel_error=float(errors[0]),
        perp=float(full[1]),
        perp_error=float(errors[1]),
        n_samples=len(y),
        n_batches=n_batches,
    )
