"""The generative bath: one noisy variable coupled to M sites with the data prior (paper §9).

Joint law (docs/theory.md §Heat bath), VE temperature ``T = sigma**2``:

    p_M(x, y_1..y_M | T) ∝ prod_j p(y_j) exp(-|x - y_j|**2 / 2T).

* Given x the sites are i.i.d. posterior samples ``p(y | x, T)``; given the sites,
  ``x ~ N(ybar, T/M)`` with ``ybar`` the site average. Alternating the two is an exact Gibbs sampler.
* Marginal of x: ``p_M(x) ∝ Z(x, T)**M ∝ p_T(x)**M = exp(-M F(x, T) / T)``; M = 1 is ordinary
  diffusion, M -> infinity localises x on the minima of F (the mean-field equation x = m(x)).
* Two deltas at ``+-a``: ``Z ∝ cosh(ax/T) exp(-x**2/2T)``, so
  ``p_M(x) ∝ [cosh(ax/T) exp(-x**2/2T)]**M``; integrating x out gives the Curie-Weiss model of the
  spins ``y_j/a`` with ``J = a**2`` at temperature T (T_c = a**2). Since ``x | sites`` is Gaussian,
  ``<x**2> = <ybar**2> + T/M`` exactly.
* Above T_c the quadratic part of ``M F / T`` gives the Gaussian law
  ``<x**2> = T**2 / (M (T - T_c))``; the quartic term ``-M a**4 x**4 / (12 T**4)`` corrects it by
  the relative amount ``-T_c**2 / (M (T - T_c)**2)`` (first order). At T_c the quartic term rules:
  ``<ybar**2> ~ sqrt(12/M) Gamma(3/4)/Gamma(1/4) a**2 = 1.1708 a**2 / sqrt(M)`` (exponent -1/2).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import gamma


def _two_delta_log_weight(x: NDArray, temperature: float, a: float, m: int) -> NDArray:
    """``M [log cosh(ax/T) - x**2/2T]`` (overflow-free log cosh)."""
    u = np.abs(a * x / temperature)
    log_cosh = u + np.log1p(np.exp(-2.0 * u)) - np.log(2.0)
    return m * (log_cosh - 0.5 * x * x / temperature)


def two_delta_bath_grid(
    temperature: float, a: float, m: int, n_points: int = 20001
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Grid and normalised density of ``p_M(x) ∝ [cosh(ax/T) e^{-x**2/2T}]**M``, shapes (n,).

    The grid covers ``|x| <= max(a, 0) + 12 sqrt(T/M) + 2 a`` (beyond the minima ``+-x*(T) <= a``
    and 12 standard deviations of the Gaussian factor), fine enough for the trapezoid rule to be
    exact to ~1e-12 for the smooth, rapidly decaying integrand.
    """
    half = 2.0 * a + 12.0 * np.sqrt(temperature / m) + 12.0 * np.sqrt(temperature) / m**0.25
    x = np.linspace(-half, half, n_points)
    logw = _two_delta_log_weight(x, temperature, a, m)
    w = np.exp(logw - logw.max())
    return x, w / np.trapezoid(w, x)


def two_delta_bath_moment(temperature: float, a: float, m: int, n_points: int = 20001) -> float:
    """``<x**2>`` under ``p_M(x)`` by quadrature (docs/theory.md §Heat bath: 0.12448 at a=T=1, M=100)."""
    x, p = two_delta_bath_grid(temperature, a, m, n_points)
    return float(np.trapezoid(x * x * p, x))


def above_tc_variance(temperature: float, t_c: float, m: int) -> float:
    """Gaussian (leading-order) law ``<x**2> = T**2 / (M (T - T_c))`` for T > T_c."""
    return float(temperature) ** 2 / (m * (temperature - t_c))


def above_tc_relative_correction(temperature: float, t_c: float, m: int) -> float:
    """First correction of the Gaussian law: ``<x**2> = law (1 - T_c**2 / (M (T - T_c)**2))``."""
    return -(float(t_c) ** 2) / (m * (temperature - t_c) ** 2)


def critical_amplitude() -> float:
    """``sqrt(12) Gamma(3/4) / Gamma(1/4) = 1.1708``: ``<ybar**2> -> amp a**2 / sqrt(M)`` at T_c."""
    return float(np.sqrt(12.0) * gamma(0.75) / gamma(0.25))


def gibbs_two_delta(
    temperature: float,
    a: float,
    m: int,
    *,
    n_chains: int,
    n_sweeps: int,
    n_burn: int,
    rng: np.random.Generator,
    x0: NDArray | None = None,
) -> NDArray[np.float64]:
    """Exact Gibbs sampling of x and the M sites for two deltas, vectorised over chains.

    One sweep: given x every site is ``+a`` with probability ``(1 + tanh(ax/T))/2``
    independently, so the number of ``+a`` sites is Binomial(M, p) (drawing the sum is drawing
    the sites: x depends on them only through ``ybar``); then ``x ~ N(ybar, T/M)``.
    Cost O(n_chains) per sweep, whatever M.

    Parameters
    ----------
    n_chains, n_sweeps, n_burn : int
        Independent chains, recorded sweeps and discarded sweeps.
    x0 : ndarray of shape (n_chains,), optional
        Starting x (default 0, the symmetric point).

    Returns
    -------
    ndarray of shape (n_sweeps, n_chains)
        Recorded x.
    """
    x = np.zeros(n_chains) if x0 is None else np.asarray(x0, dtype=float).copy()
    out = np.empty((n_sweeps, n_chains))
    for sweep in range(n_burn + n_sweeps):
        x = _gibbs_sweep(x, temperature, a, m, rng)
        if sweep >= n_burn:
            out[sweep - n_burn] = x
    return out


def _gibbs_sweep(x: NDArray, temperature: float, a: float, m: int, rng) -> NDArray:
    """One exact Gibbs sweep at T: ``k ~ Binomial(M, (1 + tanh(ax/T))/2)``, ``x ~ N(ybar, T/M)``."""
    p_plus = 0.5 * (1.0 + np.tanh(a * x / temperature))
    ybar = a * (2.0 * rng.binomial(m, p_plus) - m) / m
    return ybar + np.sqrt(temperature / m) * rng.standard_normal(x.shape)


def anneal_two_delta(
    temperatures: NDArray, a: float, m: int, x0: NDArray, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Annealed Gibbs sampling of the two-delta bath: one sweep at each of ``temperatures``.

    ``x0`` (n_chains,) are the starting x; the sweeps run in the given order (a decreasing grid
    anneals). With M = 1 the x-marginal of the joint law is ``p_T`` itself, so a slow anneal from
    high T to ``T -> 0`` is ordinary generation: the last sweep draws ``x ~ N(y, T_end)`` with
    y = +-a. Returns the final x, shape (n_chains,).
    """
    x = np.asarray(x0, dtype=float).copy()
    for t in temperatures:
        x = _gibbs_sweep(x, float(t), a, m, rng)
    return x


def batch_means(samples: NDArray, n_batches: int = 20) -> tuple[float, float]:
    """Mean of ``samples`` (n_sweeps, n_chains) and its standard error from independent chains.

    Each chain's time average is one draw; chains are independent, so the error is the standard
    deviation over ``n_batches`` groups of chains divided by ``sqrt(n_batches)`` (no assumption on
    the autocorrelation within a chain).
    """
    per_chain = np.asarray(samples, dtype=float).mean(axis=0)
    groups = np.array([g.mean() for g in np.array_split(per_chain, n_batches)])
    return float(per_chain.mean()), float(groups.std(ddof=1) / np.sqrt(n_batches))
