"""Where the generative phase transition is: analytic markers of a data set and the two-state
theory in closed form (paper §12, docs/theory.md §Trained denoisers).

Numpy/scipy only (no torch), so that cheap jobs can use it.

* Closed forms of the symmetric two-cluster mixture ``(N(mu, s2 I) + N(-mu, s2 I)) / 2``, ``a = |mu|``
  (``s2 = 0``: the two-delta model of docs/theory.md §Two-delta model): the mean susceptibility of generated
  states ``E_{p_T}[u^T chi u]``, the clone agreement ``phi(T)`` and the class entropy ``H(T)``,
  by Gauss-Hermite quadrature; and the decision peak ``tau* = 0.663`` of the two-delta model.
* :func:`analytic_markers`: critical temperatures predicted from the top covariance eigenvalue
  ``lambda`` (mean field, speciation, drift curvature, decision peak), in VE temperature, OU time,
  ``alpha_bar`` and DDPM steps, converted by :mod:`thermodiff.schedules` only.
* Order-parameter directions of a data set (class-mean difference, top principal component).

Where a measured curve peaks or crosses a level is found by :mod:`thermodiff.estimators`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from thermodiff.schedules import (
    ddpm_step_from_temperature,
    ou_time_from_temperature,
    temperature_from_alpha_bar,
)

# ---------------------------------------------------------------------------------------------
# The symmetric two-cluster mixture (and the two-delta model, s2 = 0) in closed form


@functools.lru_cache(maxsize=8)
def _hermite_nodes(n_nodes: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    z, w = np.polynomial.hermite_e.hermegauss(n_nodes)
    return z, w / w.sum()


def _mixture_average(
    integrand: Callable[[NDArray, NDArray], NDArray],
    temperature: ArrayLike,
    a: float,
    s2: float,
    n_nodes: int,
) -> NDArray[np.float64]:
    """``E_{x ~ p_T}[f(x_par, T)]`` for an even ``f``, vectorised over ``temperature``.

    By symmetry the average over the + cluster suffices: ``x_par = a + sqrt(s2 + T) z`` with
    probabilists' Gauss-Hermite nodes ``z``.
    """
    temps = np.asarray(temperature, dtype=float)
    z, w = _hermite_nodes(n_nodes)
    t = temps[..., None]
    x = a + np.sqrt(s2 + t) * z
    return integrand(x, t) @ w


def mixture_mean_susceptibility(
    temperature: ArrayLike, a: float, s2: float = 0.0, n_nodes: int = 201
) -> NDArray[np.float64]:
    """``E_{x ~ p_T}[u^T chi(x, T) u]`` along ``u = mu / |mu|`` for the two-cluster mixture.

    ``chi_par = s2 / (s2 + T) + T a^2 sech^2(a x_par / (s2 + T)) / (s2 + T)^2`` averaged over
    ``x_par ~ (N(a, s2 + T) + N(-a, s2 + T)) / 2`` by Gauss-Hermite quadrature; ``a = |mu|``.
    For ``s2 = 0`` it peaks at ``T = 0.6629 a^2`` (docs/theory.md §Critical instability and decisions).
    """

    def chi(x, t):
        v = s2 + t
        return s2 / v + t * a * a / v**2 / np.cosh(a * x / v) ** 2

    return _mixture_average(chi, temperature, a, s2, n_nodes)


def mixture_clone_agreement(
    temperature: ArrayLike, a: float, s2: float = 0.0, n_nodes: int = 201
) -> NDArray[np.float64]:
    """Exact clone agreement ``phi(T) = E_{x ~ p_T}[P(+|x)^2 + P(-|x)^2]`` of the mixture.

    Two clones of ``x_T`` continued with independent noise end in clusters drawn independently
    from the posterior ``P(+-|x) = (1 +- tanh(a x_par / (s2 + T))) / 2`` (Biroli et al. 2024, their
    Fig. 2 integral). At the mean-field critical point of the two-delta model (``s2 = 0``,
    ``T = a^2``) it equals 0.7752.
    """
    return _mixture_average(
        lambda x, t: 0.5 * (1.0 + np.tanh(a * x / (s2 + t)) ** 2), temperature, a, s2, n_nodes
    )


def mixture_class_entropy(
    temperature: ArrayLike, a: float, s2: float = 0.0, n_nodes: int = 201
) -> NDArray[np.float64]:
    """``H(T) = E_{x ~ p_T}[h(P(+|x))]``: mean entropy (nats) of the class posterior."""

    def entropy(x, t):
        u = 2.0 * a * np.abs(x) / (s2 + t)  # P(minority) = 1 / (1 + e^u)
        log_min, log_maj = -np.logaddexp(0.0, u), -np.logaddexp(0.0, -u)
        return -(np.exp(log_min) * log_min + np.exp(log_maj) * log_maj)

    return _mixture_average(entropy, temperature, a, s2, n_nodes)


@functools.lru_cache(maxsize=1)
def two_delta_susceptibility_peak() -> float:
    """``tau* = argmax_T E_{p_T}[chi(x, T)]`` of the two-delta model, ``a = 1`` (docs/theory.md §Critical instability and decisions).

    By scaling, the peak of the mean susceptibility of ``+-a`` data sits at ``T* = tau* a^2``:
    inside the broken phase, below ``T_c = a^2``. Bounded scalar maximisation of the quadrature.
    """
    res = optimize.minimize_scalar(
        lambda lt: -float(mixture_mean_susceptibility(np.exp(lt), 1.0)),
        bounds=(np.log(0.1), np.log(3.0)),
        method="bounded",
        options={"xatol": 1e-7},
    )
    return float(np.exp(res.x))


# ---------------------------------------------------------------------------------------------
# Analytic markers of a data set (docs/theory.md §Trained denoisers)


def covariance_spectrum(y: ArrayLike) -> NDArray[np.float64]:
    """Eigenvalues of the data covariance ``C`` (1/N normalisation), descending; shape (d,)."""
    y = np.asarray(y, dtype=float)
    c = np.cov(y, rowvar=False, bias=True)
    return np.sort(np.linalg.eigvalsh(np.atleast_2d(c)))[::-1]


@functools.lru_cache(maxsize=32)
def mixture_decision_temperature(a: float, s2: float) -> float:
    """``T* = argmax_T E_{p_T}[u^T chi u]`` of the mixture ``(N(mu, s2 I) + N(-mu, s2 I)) / 2``.

    Bounded maximisation of :func:`mixture_mean_susceptibility` in ``log T`` on
    ``[0.05, 3] a**2``; for ``s2 = 0`` it is ``tau* a**2`` (:func:`two_delta_susceptibility_peak`).
    With ``s2 > 0`` the peak is not ``tau*`` times the mixture's ``T_c = a**2 - s2``: the
    within-cluster term ``s2 / (s2 + T)`` and the weight ``T / (s2 + T)**2`` shift it.
    """
    res = optimize.minimize_scalar(
        lambda lt: -float(mixture_mean_susceptibility(np.exp(lt), a, s2)),
        bounds=(np.log(0.05 * a * a), np.log(3.0 * a * a)),
        method="bounded",
        options={"xatol": 1e-7},
    )
    return float(np.exp(res.x))


def analytic_markers(
    lambda_max: float, t_c: float | None = None, t_decision: float | None = None
) -> dict[str, float]:
    """Critical temperatures predicted for a data set with top covariance eigenvalue ``lambda``.

    * mean field (Curie-Weiss self-consistency, docs/theory.md §Fixed points and critical temperature): ``t_c``, the root of
      ``lambda_max(chi(0)) = 1``; it defaults to ``lambda``, which is exact only for centred,
      symmetric, equal-norm data (for the two-cluster mixture pass ``a**2 - s2``,
      :func:`thermodiff.meanfield.two_cluster_critical_temperature`);
    * speciation (Biroli et al. 2024, large-lambda asymptotics): ``alpha_bar_S = 1 / lambda``,
      i.e. ``T_S = lambda - 1`` (NaN when ``lambda <= 1``, where it has no meaning);
    * drift curvature of the VP reverse SDE at the symmetric point (Raya & Ambrogioni 2023,
      generalised to ``+-sqrt(lambda)`` data): ``theta_c^2 = sqrt(lambda^2 + 1) - lambda``,
      ``alpha_bar = theta_c^2``;
    * decision (where mean field puts the peak of the susceptibility of generated trajectories,
      ``E_{p_T}[u^T chi u]``, i.e. of the CRN response): ``t_decision``, by default the two-state
      law of docs/theory.md §Critical instability and decisions, ``T* = tau* T_c`` with ``tau* = 0.663``
      (:func:`two_delta_susceptibility_peak`); for the mixture pass
      :func:`mixture_decision_temperature`.

    Returns
    -------
    dict
        For each marker ``m`` in (``meanfield``, ``speciation``, ``drift``, ``decision``): ``T_<m>`` (VE
        temperature), ``s_<m>`` (OU time, ``theta = e^{-s}``), ``alpha_bar_<m>`` and
        ``ddpm_step_<m>`` (linear DDPM schedule 1e-4..0.02, 1000 steps), plus ``lambda_max``.
    """
    t_c = float(lambda_max) if t_c is None else float(t_c)
    if t_decision is None:
        t_decision = two_delta_susceptibility_peak() * t_c
    lam = float(lambda_max)
    alpha = {
        "meanfield": 1.0 / (1.0 + t_c),
        "speciation": 1.0 / lam if lam > 1.0 else np.nan,
        "drift": np.sqrt(lam * lam + 1.0) - lam,
        "decision": 1.0 / (1.0 + float(t_decision)),
    }
    out: dict[str, float] = {"lambda_max": lam}
    for name, ab in alpha.items():
        t = float(temperature_from_alpha_bar(ab)) if np.isfinite(ab) else np.nan
        out[f"alpha_bar_{name}"] = float(ab)
        out[f"T_{name}"] = t
        out[f"s_{name}"] = float(ou_time_from_temperature(t)) if np.isfinite(t) else np.nan
        out[f"ddpm_step_{name}"] = (
            float(ddpm_step_from_temperature(t)) if np.isfinite(t) and t > 0 else np.nan
        )
    return out


# ---------------------------------------------------------------------------------------------
# Order-parameter directions


def class_mean_direction(
    y: ArrayLike, labels: ArrayLike, classes: Sequence[int] = (0, 1)
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Unit ``u = (mean_1 - mean_0) / |...|`` and midpoint ``c`` of two classes; (d,), (d,)."""
    y, labels = np.asarray(y, dtype=float), np.asarray(labels)
    m0, m1 = (y[labels == k].mean(axis=0) for k in classes)
    u = m1 - m0
    return u / np.linalg.norm(u), 0.5 * (m0 + m1)


def top_pc_direction(y: ArrayLike) -> NDArray[np.float64]:
    """Unit eigenvector of the top covariance eigenvalue, sign fixed by its largest entry; (d,)."""
    y = np.asarray(y, dtype=float)
    _, vecs = np.linalg.eigh(np.cov(y, rowvar=False, bias=True))
    u = vecs[:, -1]
    return u * np.sign(u[np.argmax(np.abs(u))])
