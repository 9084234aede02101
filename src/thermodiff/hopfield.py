"""Associative memory: the diffusion free energy of a finite pattern set is a modern-Hopfield
energy (paper §10, docs/theory.md §Hopfield memory).

For stored patterns ``y_n`` (N, d) with uniform weights and inverse temperature ``beta = 1/T``
(``T = sigma**2``, VE), the free energy of the noisy state is

    F(x, T) = -T log[(1/N) sum_n exp(-|x - y_n|**2 / 2T)]
            = |x|**2/2 - T log sum_n exp(beta (x . y_n + b_n)) + T log N,   b_n = -|y_n|**2/2,

i.e. the dense-associative-memory energy ``E(x) = |x|**2/2 - beta^{-1} log sum_n exp(beta(x.y_n + b_n))``
plus the x-independent constant ``T log N``; for equal norms ``|y_n| = r`` the biases are one
constant and ``F = E_0 + r**2/2 + T log N`` with the bias-free energy ``E_0``. Its stationarity
condition ``x = m(x)`` is the attention update ``x <- Y^T softmax(beta (Y x + b))`` (one step of
the modern Hopfield network), and iterating it at fixed T is associative recall.

Capacity (docs/theory.md §Hopfield memory): for Gaussian patterns ``y ~ N(0, s**2 I_d)`` and a cue
``x = y_0 + sigma z``, at the Bayes temperature ``T = sigma**2`` the own term
``exp(-|z|**2/2)`` beats the annealed sum of the other N - 1 terms,
``N (sigma**2/(s**2 + sigma**2))^{d/2} exp(-|x|**2 / 2(s**2 + sigma**2))``, iff
``log N < (d/2) log(1 + s**2/sigma**2)``: ``N_max = (1 + s**2/sigma**2)^{d/2}`` (the Gaussian
channel capacity per dimension times d). The log-ratio fluctuates from cue to cue with standard
deviation ``sqrt(d s**2 / (s**2 + sigma**2))`` (the difference of two correlated chi-square
variables), which sets the width of the recall crossover in ``log N`` at finite d.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import logsumexp, softmax


def _logits(x: NDArray, patterns: NDArray, beta: float, biases: NDArray | None) -> NDArray:
    logits = np.atleast_2d(x) @ patterns.T
    if biases is not None:
        logits = logits + biases
    return beta * logits


def hopfield_energy(
    x: ArrayLike, patterns: ArrayLike, beta: float, biases: ArrayLike | None = None
) -> NDArray[np.float64]:
    """``E(x) = |x|**2/2 - beta^{-1} log sum_n exp(beta (x . y_n + b_n))``, shape (B,).

    Parameters
    ----------
    x : array_like of shape (B, d)
    patterns : array_like of shape (N, d)
    beta : float
        Inverse temperature ``1/T``.
    biases : array_like of shape (N,), optional
        ``b_n``; ``-|y_n|**2/2`` makes E equal to the diffusion free energy up to ``T log N``.
    """
    x = np.atleast_2d(np.asarray(x, dtype=float))
    patterns = np.asarray(patterns, dtype=float)
    b = None if biases is None else np.asarray(biases, dtype=float)
    lse = logsumexp(_logits(x, patterns, beta, b), axis=1)
    return 0.5 * np.einsum("bd,bd->b", x, x) - lse / beta


def diffusion_biases(patterns: ArrayLike) -> NDArray[np.float64]:
    """``b_n = -|y_n|**2 / 2``: the biases that turn E into the diffusion free energy."""
    patterns = np.asarray(patterns, dtype=float)
    return -0.5 * np.einsum("nd,nd->n", patterns, patterns)


def attention_update(
    x: ArrayLike, patterns: ArrayLike, beta: float, biases: ArrayLike | None = None
) -> NDArray[np.float64]:
    """One modern-Hopfield step ``x <- Y^T softmax(beta (Y x + b))``, shape (B, d)."""
    patterns = np.asarray(patterns, dtype=float)
    b = None if biases is None else np.asarray(biases, dtype=float)
    x = np.atleast_2d(np.asarray(x, dtype=float))
    return softmax(_logits(x, patterns, beta, b), axis=1) @ patterns


def recall(
    cues: ArrayLike,
    patterns: ArrayLike,
    temperature: float,
    *,
    tol: float = 1e-9,
    max_iter: int = 200,
    chunk_size: int = 256,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Associative recall: iterate ``x <- m(x, T)`` (the attention update with diffusion biases).

    Vectorised over cues, chunked so that at most ``chunk_size * N`` weights exist at a time.

    Returns
    -------
    x : ndarray of shape (B, d)
        The states after convergence (``max |x - m(x)| <= tol (1 + max |y|)``) or ``max_iter``.
    converged : ndarray of shape (B,), bool
    """
    patterns = np.asarray(patterns, dtype=float)
    cues = np.atleast_2d(np.asarray(cues, dtype=float))
    b = diffusion_biases(patterns)
    beta = 1.0 / temperature
    scale = tol * (1.0 + np.abs(patterns).max())
    out = cues.copy()
    converged = np.zeros(len(cues), dtype=bool)
    for lo in range(0, len(cues), chunk_size):
        x = out[lo : lo + chunk_size]
        active = np.ones(len(x), dtype=bool)
        for _ in range(max_iter):
            if not active.any():
                break
            new = attention_update(x[active], patterns, beta, b)
            done = np.abs(new - x[active]).max(axis=1) <= scale
            x[active] = new
            idx = np.flatnonzero(active)
            active[idx[done]] = False
        out[lo : lo + chunk_size] = x
        converged[lo : lo + chunk_size] = ~active
    return out, converged


def recalled_index(x: ArrayLike, patterns: ArrayLike) -> NDArray[np.int64]:
    """Index of the stored pattern nearest to each state, shape (B,)."""
    x = np.atleast_2d(np.asarray(x, dtype=float))
    patterns = np.asarray(patterns, dtype=float)
    d2 = -2.0 * x @ patterns.T + np.einsum("nd,nd->n", patterns, patterns)
    return np.argmin(d2, axis=1)


def capacity(cue_variance: float, pattern_variance: float, d: int) -> float:
    """``N_max = (1 + s**2/sigma**2)^{d/2}`` (docs/theory.md §Hopfield memory: 2**32 at d=64, s=sigma=1)."""
    return float((1.0 + pattern_variance / cue_variance) ** (0.5 * d))


def capacity_width(cue_variance: float, pattern_variance: float, d: int) -> float:
    """Cue-to-cue standard deviation ``sqrt(d s**2/(s**2 + sigma**2))`` of the own-vs-rest
    log-ratio: the width in ``log N`` of the recall crossover at finite d (module docstring)."""
    return float(np.sqrt(d * pattern_variance / (pattern_variance + cue_variance)))


def recall_success(
    n_patterns: int,
    d: int,
    *,
    cue_variance: float,
    pattern_variance: float,
    n_cues: int,
    rng: np.random.Generator,
    temperature: float | None = None,
) -> NDArray[np.bool_]:
    """Recall trial: N Gaussian patterns, cues ``y_0 + sigma z`` of random own patterns, recall at
    ``T`` (default the Bayes temperature ``sigma**2``); success = the fixed point reached is
    nearest to the cue's own pattern. Returns (n_cues,) booleans."""
    patterns = np.sqrt(pattern_variance) * rng.standard_normal((n_patterns, d))
    own = rng.integers(0, n_patterns, n_cues)
    cues = patterns[own] + np.sqrt(cue_variance) * rng.standard_normal((n_cues, d))
    t = cue_variance if temperature is None else temperature
    final, _ = recall(cues, patterns, t)
    return recalled_index(final, patterns) == own
