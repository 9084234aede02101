"""Diffused Ising model (paper §5.4, docs/theory.md §Diffused Ising data): spin data y in {-1, +1}^d.

Curie-Weiss data: ``p(y) ∝ exp(beta0 J / (2 d) * M**2)`` with ``M = sum_i y_i`` (couplings J/d
between all pairs). Because the weight depends on y only through M, the law is a mixture over
magnetisation sectors ``k = #{y_i = +1}``: ``P(k) ∝ C(d, k) exp(beta0 J (2k - d)**2 / (2 d))``, and
within a sector every arrangement is equally likely. Sampling sectors first is exact (no MCMC).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln, logsumexp


def curie_weiss_sector_log_weights(d: int, coupling: float) -> NDArray[np.float64]:
    """Normalised log P(k), k = 0..d up spins, for Curie-Weiss data with beta0 J = ``coupling``."""
    k = np.arange(d + 1)
    magnetisation = 2 * k - d
    log_w = (
        gammaln(d + 1)
        - gammaln(k + 1)
        - gammaln(d - k + 1)
        + coupling * magnetisation**2 / (2.0 * d)
    )
    return log_w - logsumexp(log_w)


def sample_curie_weiss(
    d: int, coupling: float, n_samples: int, rng: np.random.Generator
) -> NDArray[np.int8]:
    """Exact samples of Curie-Weiss spin configurations, shape (n_samples, d), values +-1.

    Draw the number of up spins from :func:`curie_weiss_sector_log_weights`, then a uniformly
    random arrangement (the ``k`` smallest of ``d`` uniform keys are the up spins).
    """
    probabilities = np.exp(curie_weiss_sector_log_weights(d, coupling))
    n_up = rng.choice(d + 1, size=n_samples, p=probabilities / probabilities.sum())
    ranks = np.argsort(np.argsort(rng.random((n_samples, d)), axis=1), axis=1)
    return np.where(ranks < n_up[:, None], 1, -1).astype(np.int8)


def curie_weiss_second_moment(d: int, coupling: float) -> float:
    """Exact <M**2> / d from the sector sum.

    Equals lambda_max of the data covariance, i.e. the finite-d generative T_c.
    """
    k = np.arange(d + 1)
    return float(np.exp(curie_weiss_sector_log_weights(d, coupling)) @ (2 * k - d) ** 2 / d)


# ---------------------------------------------------------------------------------------------
# Generative critical temperature of Curie-Weiss data (docs/theory.md §Diffused Ising data)


def curie_weiss_critical_temperature(coupling: float) -> float:
    """d -> inf closed form ``T_c = 1 / (1 - beta0 J)``; infinite for ``beta0 J >= 1``.

    The homogeneous fixed point ``M = tanh((beta0 J + 1/T) M)`` is a Curie-Weiss equation with
    effective coupling ``beta0 J + 1/T``, critical where that coupling reaches 1.
    """
    return 1.0 / (1.0 - coupling) if coupling < 1.0 else float("inf")


def curie_weiss_finite_critical_temperature(d: int, coupling: float) -> float:
    """Exact finite-d ``T_c = lambda_max(C) = <M**2> / d`` (sector sum).

    ``|y|**2 = d`` for every configuration, so the posterior at ``x = 0`` is the data law itself
    and ``chi(0) = C / T``; the top eigenvector of C is the uniform direction.
    """
    return curie_weiss_second_moment(d, coupling)


def extrapolate_in_inverse_dimension(
    dims: ArrayLike, values: ArrayLike, degree: int = 2
) -> tuple[float, float]:
    """Value at ``1/d = 0`` of a polynomial of ``degree`` in ``1/d`` fitted to ``values(dims)``.

    Returns ``(limit, change)``, where ``change`` is the difference from the fit of one degree
    less: an estimate of the extrapolation error.
    """
    inv = 1.0 / np.asarray(dims, dtype=float)
    values = np.asarray(values, dtype=float)
    limit = np.polyval(np.polyfit(inv, values, degree), 0.0)
    lower = np.polyval(np.polyfit(inv, values, degree - 1), 0.0) if degree > 0 else limit
    return float(limit), float(abs(limit - lower))


def curie_weiss_infinite_magnetisation(temperature: ArrayLike, coupling: float) -> NDArray:
    """Homogeneous generative fixed point for d -> inf.

    Largest root of ``M = tanh((beta0 J + 1/T) M)``, vectorised over ``temperature``.
    """
    temperature = np.asarray(temperature, dtype=float)
    m = np.ones_like(temperature)
    gain = coupling + 1.0 / temperature
    for _ in range(500):
        f = m - np.tanh(gain * m)
        slope = 1.0 - gain / np.cosh(gain * m) ** 2
        step = np.where(slope > 0, f / np.where(slope > 0, slope, 1.0), 0.5 * m)
        m = np.maximum(m - step, 0.0)
        if np.all(np.abs(step) <= 1e-15):
            break
    return m


def sector_magnetisation(
    u: ArrayLike, temperature: ArrayLike, sector_log_weights: ArrayLike
) -> tuple[NDArray, NDArray]:
    """Posterior magnetisation at the homogeneous state ``x = u (1, ..., 1)``.

    For spin data whose law depends on y only through the number k of up spins (exchangeable
    data, and ``|y|**2 = d``), ``p(k | x) ∝ P(k) exp(u (2k - d) / T)``. Returns ``(M, dM/du)``
    with ``M = <(2k - d) / d>`` and ``dM/du = d Var[(2k - d) / d] / T``; broadcasts u against T.

    Parameters
    ----------
    sector_log_weights : array_like of shape (d + 1,)
        ``log P(k)``, k = 0..d (``-inf`` for empty sectors of an empirical histogram).
    """
    u, temperature = np.broadcast_arrays(np.asarray(u, float), np.asarray(temperature, float))
    log_p = np.asarray(sector_log_weights, dtype=float)
    d = len(log_p) - 1
    spins = 2 * np.arange(d + 1) - d
    logits = log_p + (u / temperature)[..., None] * spins
    weights = np.exp(logits - logsumexp(logits, axis=-1, keepdims=True))
    mean = weights @ (spins / d)
    var = weights @ (spins / d) ** 2 - mean**2
    return mean, d * var / temperature


def homogeneous_fixed_point(
    temperature: ArrayLike, sector_log_weights: ArrayLike, tol: float = 1e-14, max_iter: int = 500
) -> NDArray[np.float64]:
    """Homogeneous generative fixed point ``u* = M(u*, T)`` (largest root), vectorised over T.

    For ferromagnetic data the GHS inequality makes ``M(u)`` concave for ``u >= 0``, so Newton
    from ``u = 1`` decreases monotonically to the largest root (0 above the finite-d T_c).
    """
    temperature = np.asarray(temperature, dtype=float)
    u = np.ones_like(temperature)
    for _ in range(max_iter):
        mean, slope_m = sector_magnetisation(u, temperature, sector_log_weights)
        f, slope = u - mean, 1.0 - slope_m
        step = np.where(slope > 0, f / np.where(slope > 0, slope, 1.0), 0.5 * u)
        u = np.maximum(u - step, 0.0)
        if np.all(np.abs(step) <= tol):
            break
    return u


def curie_weiss_homogeneous_fixed_point(
    temperature: ArrayLike, d: int, coupling: float
) -> NDArray[np.float64]:
    """Exact finite-d homogeneous fixed point for Curie-Weiss data (sector sum)."""
    return homogeneous_fixed_point(temperature, curie_weiss_sector_log_weights(d, coupling))


def empirical_sector_log_weights(y: ArrayLike) -> NDArray[np.float64]:
    """``log`` of the histogram of up-spin counts of spin samples ``y`` (N, d), shape (d + 1,)."""
    y = np.asarray(y)
    d = y.shape[1]
    counts = np.bincount((y > 0).sum(axis=1), minlength=d + 1).astype(float)
    with np.errstate(divide="ignore"):
        return np.log(counts / counts.sum())


# ---------------------------------------------------------------------------------------------
# Lattice data: periodic 1-D Ising chain (docs/theory.md §Diffused Ising data)


def chain_transfer_matrix(coupling: float) -> NDArray[np.float64]:
    """``T_{s s'} = exp(beta0 J s s')`` for s, s' in (+1, -1)."""
    return np.exp(coupling * np.array([[1.0, -1.0], [-1.0, 1.0]]))


def chain_correlations(length: int, coupling: float) -> NDArray[np.float64]:
    """``<y_0 y_j>`` for j = 0..L-1 on a periodic chain, shape (L,), by transfer matrices.

    ``<y_0 y_j> = Tr(S T^j S T^(L - j)) / Tr(T^L)`` with ``S = diag(1, -1)``; equals
    ``(t**j + t**(L - j)) / (1 + t**L)``, ``t = tanh(beta0 J)``.
    """
    transfer = chain_transfer_matrix(coupling)
    spin = np.diag([1.0, -1.0])
    powers = [np.linalg.matrix_power(transfer, j) for j in range(length + 1)]
    norm = np.trace(powers[length])
    return np.array(
        [np.trace(spin @ powers[j] @ spin @ powers[length - j]) / norm for j in range(length)]
    )


def chain_covariance(length: int, coupling: float) -> NDArray[np.float64]:
    """Circulant covariance ``C_ij = <y_i y_j>`` of the periodic chain, shape (L, L)."""
    corr = chain_correlations(length, coupling)
    idx = np.arange(length)
    return corr[(idx[None, :] - idx[:, None]) % length]


def chain_critical_temperature(coupling: float, length: int | None = None) -> float:
    """Generative T_c of chain data: ``S(k = 0) = sum_j <y_0 y_j>``.

    ``length=None``: the L -> inf closed form ``(1 + t) / (1 - t) = exp(2 beta0 J)``; otherwise
    the finite periodic chain by transfer matrices.
    """
    if length is None:
        return float(np.exp(2.0 * coupling))
    return float(chain_correlations(length, coupling).sum())


def chain_configurations(length: int, coupling: float) -> tuple[NDArray, NDArray]:
    """All ``2**L`` configurations of the periodic chain and their log Boltzmann weights.

    ``log P(y) = beta0 J sum_i y_i y_{i+1} - log Z`` (periodic), normalised by log-sum-exp; for the
    point-data machinery (:mod:`thermodiff.meanfield`, ``log_prior``). Shapes (2**L, L), (2**L,).
    """
    if length > 20:
        raise ValueError(f"enumerating 2**{length} configurations is too large")
    codes = np.arange(2**length)[:, None] >> np.arange(length)[None, :]
    y = 2.0 * (codes & 1) - 1.0
    energy = coupling * np.sum(y * np.roll(y, -1, axis=1), axis=1)
    return y, energy - logsumexp(energy)
