"""Diffused Ising model (paper §5.4, physics.md §3.4): spin data y in {-1, +1}^d.

Curie-Weiss data: ``p(y) ∝ exp(beta0 J / (2 d) * M**2)`` with ``M = sum_i y_i`` (couplings J/d
between all pairs). Because the weight depends on y only through M, the law is a mixture over
magnetisation sectors ``k = #{y_i = +1}``: ``P(k) ∝ C(d, k) exp(beta0 J (2k - d)**2 / (2 d))``, and
within a sector every arrangement is equally likely. Sampling sectors first is exact (no MCMC).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
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
    """Exact <M**2> / d from the sector sum; equals lambda_max of the data covariance (= finite-d T_c)."""
    k = np.arange(d + 1)
    return float(np.exp(curie_weiss_sector_log_weights(d, coupling)) @ (2 * k - d) ** 2 / d)
