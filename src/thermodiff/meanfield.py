"""Equilibrium (mean-field) picture of generative diffusion (paper §3–7, docs/theory.md).

The clean datum y is the microscopic state, the noisy state x an external field:
``H(y; x) = |x - y|**2 / 2``, Boltzmann weight ``p(y) exp(-H / T)`` with ``T = sigma**2`` (VE).
For a point dataset ``p(y) = sum_n w_n delta(y - y_n)`` (N points in d dimensions):

* partition function ``Z(x, T) = sum_n w_n exp(-|x - y_n|**2 / (2 T))`` (= (2 pi T)^{d/2} p_T(x)),
* free energy ``F(x, T) = -T log Z``, with ``grad_x F = x - m``,
* magnetisation ``m(x, T) = E[y | x, T]`` (the optimal denoiser),
* susceptibility ``chi(x, T) = dm/dx = Cov[y | x, T] / T`` (symmetric, positive semi-definite),
  and ``hess_x F = I - chi``,
* ``dF/dT`` at fixed x ``= KL(p(n | x, T) || w) >= 0`` (minus the entropy relative to the prior).

Fixed points of the generative drift solve the equation of state ``x = m(x, T)``; a fixed point is
stable (a local minimum of F) iff every eigenvalue of ``chi`` is below 1, and a critical point is
where ``lambda_max(chi(x*)) = 1``.

Shapes: N data points, d dimensions, B query states, K temperatures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq
from scipy.special import logsumexp

from thermodiff.denoisers import posterior_stats, squared_distances, temperature_grid

# ---------------------------------------------------------------------------------------------
# Core equilibrium objects for a point dataset (docs/theory.md §Free energy and order parameter, §Susceptibility)


def _log_prior(y: NDArray, log_prior: ArrayLike | None) -> NDArray:
    if log_prior is None:
        return np.full(len(y), -np.log(len(y)))
    log_prior = np.asarray(log_prior, dtype=float)
    return log_prior - logsumexp(log_prior)


def posterior_logits(
    x: ArrayLike, y: ArrayLike, temperature: ArrayLike, log_prior: ArrayLike | None = None
) -> NDArray[np.float64]:
    """Unnormalised log posterior ``log w_n - |x - y_n|**2 / (2 T)`` up to an n-independent term.

    Parameters
    ----------
    x : array_like of shape (B, d)
        Noisy states.
    y : array_like of shape (N, d)
        Data points.
    temperature : float or array_like of shape (B,)
        Temperature ``T = sigma**2`` of each state.
    log_prior : array_like of shape (N,), optional
        Log weights of the data points (normalised here); uniform when omitted.

    Returns
    -------
    logits : ndarray of shape (B, N)
        ``log w_n + (x . y_n - |y_n|**2 / 2) / T``; the dropped term ``-|x|**2 / (2T)`` does not
        depend on n.
    """
    x = np.atleast_2d(np.asarray(x, dtype=float))
    y = np.asarray(y, dtype=float)
    temperature = np.broadcast_to(np.asarray(temperature, dtype=float), (len(x),))
    energy = x @ y.T - 0.5 * np.einsum("nd,nd->n", y, y)
    return energy / temperature[:, None] + _log_prior(y, log_prior)


def posterior_weights(
    x: ArrayLike,
    y: ArrayLike,
    temperature: ArrayLike,
    log_prior: ArrayLike | None = None,
    *,
    chunk_size: int | None = None,
) -> NDArray[np.float64]:
    """Boltzmann posterior ``p(n | x, T) = softmax_n(logits)``, shape (B, N).

    Two paths of one computation. Dense (``chunk_size`` ``None``): all B x N logits at once,
    normalised by a log-sum-exp. Streamed (``chunk_size`` rows of ``y`` at a time, uniform prior
    only), for a training set too large for one matrix of logits: ``log Z`` from the streaming
    kernel :func:`thermodiff.denoisers.posterior_stats`, then ``w_n = exp(-|x - y_n|^2 / 2T -
    log Z)`` block by block; ``temperature`` may then be a (K, 1) grid, shape S + (N,) with
    S = broadcast(T, (B,)).
    """
    if chunk_size is not None:
        _no_prior(log_prior)
        x = np.asarray(x, dtype=np.float64)
        shape, grid = temperature_grid(temperature, x.shape[0])
        log_z = posterior_stats(x, y, grid, mean=False, chunk_size=chunk_size).log_partition
        blocks = [w for _, w in _streamed_weights(x, y, grid, log_z, chunk_size)]
        return np.concatenate(blocks, axis=-1).reshape(shape + (len(y),))
    logits = posterior_logits(x, y, temperature, log_prior)
    return np.exp(logits - logsumexp(logits, axis=1, keepdims=True))


def _no_prior(log_prior: ArrayLike | None) -> None:
    if log_prior is not None:
        raise ValueError("the streamed path (chunk_size) takes a uniform prior only")


def _streamed_weights(x: NDArray, y: ArrayLike, grid: NDArray, log_z: NDArray, chunk: int):
    """``(rows of y, w)`` block by block: ``w = exp(-|x - y_n|^2 / 2T - log Z)``, (K, B, n)."""
    for lo in range(0, len(y), chunk):
        yc = np.asarray(y[lo : lo + chunk], dtype=np.float64)
        yield (
            yc,
            np.exp(-squared_distances(x, yc)[None] / (2.0 * grid[..., None]) - log_z[..., None]),
        )


def log_partition(
    x: ArrayLike, y: ArrayLike, temperature: ArrayLike, log_prior: ArrayLike | None = None
) -> NDArray[np.float64]:
    """``log Z(x, T) = log sum_n w_n exp(-|x - y_n|**2 / (2T))``, shape (B,) (log-sum-exp)."""
    x = np.atleast_2d(np.asarray(x, dtype=float))
    temperature = np.broadcast_to(np.asarray(temperature, dtype=float), (len(x),))
    logits = posterior_logits(x, y, temperature, log_prior)
    return logsumexp(logits, axis=1) - 0.5 * np.einsum("bd,bd->b", x, x) / temperature


def free_energy(
    x: ArrayLike, y: ArrayLike, temperature: ArrayLike, log_prior: ArrayLike | None = None
) -> NDArray[np.float64]:
    """``F(x, T) = -T log Z(x, T)``, shape (B,); ``grad_x F = x - m(x, T)``."""
    x = np.atleast_2d(np.asarray(x, dtype=float))
    temperature = np.broadcast_to(np.asarray(temperature, dtype=float), (len(x),))
    return -temperature * log_partition(x, y, temperature, log_prior)


def magnetisation(
    x: ArrayLike, y: ArrayLike, temperature: ArrayLike, log_prior: ArrayLike | None = None
) -> NDArray[np.float64]:
    """``m(x, T) = E[y | x, T] = sum_n p(n | x, T) y_n``, shape (B, d): the optimal denoiser."""
    return posterior_weights(x, y, temperature, log_prior) @ np.asarray(y, dtype=float)


def _weighted_covariance(weights: NDArray, y: NDArray, mean: NDArray) -> NDArray:
    """``sum_n p_bn (y_n - m_b)(y_n - m_b)^T`` for every b, shape (B, d, d); centred (accuracy)."""
    cov = np.empty((len(weights), y.shape[1], y.shape[1]))
    for b, (p, m) in enumerate(zip(weights, mean, strict=True)):
        scaled = (y - m) * np.sqrt(p)[:, None]  # contiguous rows: one fast matrix product
        cov[b] = scaled.T @ scaled
    return 0.5 * (cov + cov.transpose(0, 2, 1))


def posterior_covariance(
    x: ArrayLike,
    y: ArrayLike,
    temperature: ArrayLike,
    log_prior: ArrayLike | None = None,
    *,
    chunk_size: int | None = None,
) -> NDArray[np.float64]:
    """``Cov[y | x, T] = sum_n w_n (y_n - m)(y_n - m)^T``, shape (B, d, d); ``chi = Cov / T``.

    Centred (mean first, then second moments about it), so that the covariance of a condensed
    posterior is not the difference of two nearly equal numbers. The two paths of
    :func:`posterior_weights`: dense, or streamed over ``chunk_size`` rows of ``y`` (uniform prior,
    ``temperature`` possibly a (K, 1) grid, shape S + (d, d)); cost B N d^2 either way.
    """
    if chunk_size is not None:
        _no_prior(log_prior)
        x = np.asarray(x, dtype=np.float64)
        n_queries, dim = x.shape
        shape, grid = temperature_grid(temperature, n_queries)
        stats = posterior_stats(x, y, grid, mean=True, chunk_size=chunk_size)
        m = stats.mean  # (K, B, d)
        cov = np.zeros((grid.shape[0], n_queries, dim, dim))
        for yc, w in _streamed_weights(x, y, grid, stats.log_partition, chunk_size):
            centred = yc[None, None] - m[:, :, None, :]  # (K, B, n, d)
            cov += np.einsum("kbn,kbni,kbnj->kbij", w, centred, centred, optimize=True)
        return cov.reshape(shape + (dim, dim))
    y = np.asarray(y, dtype=float)
    weights = posterior_weights(x, y, temperature, log_prior)
    return _weighted_covariance(weights, y, weights @ y)


def susceptibility(
    x: ArrayLike, y: ArrayLike, temperature: ArrayLike, log_prior: ArrayLike | None = None
) -> NDArray[np.float64]:
    """``chi(x, T) = dm/dx = Cov[y | x, T] / T``, shape (B, d, d) (fluctuation-dissipation)."""
    x = np.atleast_2d(np.asarray(x, dtype=float))
    temperature = np.broadcast_to(np.asarray(temperature, dtype=float), (len(x),))
    return posterior_covariance(x, y, temperature, log_prior) / temperature[:, None, None]


def prior_kl(
    x: ArrayLike, y: ArrayLike, temperature: ArrayLike, log_prior: ArrayLike | None = None
) -> NDArray[np.float64]:
    """``KL(p(n | x, T) || w) = dF/dT`` at fixed x, shape (B,); minus the entropy ``S``.

    Notes
    -----
    With ``l_n`` the logits, ``log p_n - log w_n = l_n - logsumexp(l) - log w_n``; both terms are
    O(1), so the difference carries no catastrophic cancellation even when ``p`` is close to ``w``.
    """
    y = np.asarray(y, dtype=float)
    logits = posterior_logits(x, y, temperature, log_prior)
    log_p = logits - logsumexp(logits, axis=1, keepdims=True)
    return np.sum(np.exp(log_p) * (log_p - _log_prior(y, log_prior)), axis=1)


# ---------------------------------------------------------------------------------------------
# Fixed points of x = m(x, T), vectorised over temperatures


@dataclass(frozen=True)
class FixedPoints:
    """Solutions of the equation of state, one per temperature.

    Attributes
    ----------
    x : ndarray of shape (K, d)
        Fixed points ``x* = m(x*, T)``.
    temperature : ndarray of shape (K,)
    chi_eigenvalues : ndarray of shape (K, d)
        Eigenvalues of ``chi(x*)`` in ascending order; stable iff the last one is < 1.
    residual : ndarray of shape (K,)
        ``max |x* - m(x*)|``.
    converged : ndarray of shape (K,), bool
    """

    x: NDArray[np.float64]
    temperature: NDArray[np.float64]
    chi_eigenvalues: NDArray[np.float64]
    residual: NDArray[np.float64]
    converged: NDArray[np.bool_]

    @property
    def lambda_max(self) -> NDArray[np.float64]:
        """Largest eigenvalue of the susceptibility at each fixed point, shape (K,)."""
        return self.chi_eigenvalues[:, -1]

    @property
    def stable(self) -> NDArray[np.bool_]:
        return self.lambda_max < 1.0


def _moments(x, y, temperature, log_prior):
    weights = posterior_weights(x, y, temperature, log_prior)
    m = weights @ y
    chi = _weighted_covariance(weights, y, m) / temperature[:, None, None]
    return m, chi


def solve_fixed_points(
    y: ArrayLike,
    temperature: ArrayLike,
    x0: ArrayLike,
    log_prior: ArrayLike | None = None,
    tol: float = 1e-12,
    max_iter: int = 300,
    escape: float | None = 1e-4,
) -> FixedPoints:
    """Local minima of F(., T) near ``x0``, for K temperatures at once.

    Saddle-free Newton descent on F: the step is ``-|H|^{-1} grad F`` with ``grad F = x - m`` and
    ``H = I - chi`` (``|H|`` has the absolute eigenvalues of H, floored at 1e-12), followed by
    Armijo backtracking on F. Away from critical points this converges quadratically; a saddle
    (``lambda_max(chi) > 1``) is left along its unstable direction.

    Parameters
    ----------
    y : array_like of shape (N, d)
    temperature : array_like of shape (K,)
    x0 : array_like of shape (K, d) or (d,)
        Starting states.
    log_prior : array_like of shape (N,), optional
    tol : float
        Convergence when ``max |x - m| <= tol * (1 + max |y|)``.
    max_iter : int
    escape : float or None
        When the descent stops at a saddle, kick it by ``escape * max |y|`` along the top
        eigenvector of chi (sign fixed by its largest entry being positive) and continue. ``None``
        returns the stationary point found (stable or not), e.g. to follow an unstable branch.

    Returns
    -------
    FixedPoints
    """
    y = np.asarray(y, dtype=float)
    temperature = np.atleast_1d(np.asarray(temperature, dtype=float))
    n_temp, dim = len(temperature), y.shape[1]
    x = np.array(np.broadcast_to(np.asarray(x0, dtype=float), (n_temp, dim)))
    scale = 1.0 + np.abs(y).max()
    active = np.ones(n_temp, dtype=bool)
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        xa, ta = x[idx], temperature[idx]
        m, chi = _moments(xa, y, ta, log_prior)
        grad = xa - m
        h_eig, h_vec = np.linalg.eigh(np.eye(dim) - chi)
        small = np.abs(grad).max(axis=1) <= tol * scale
        saddle = small & (h_eig[:, 0] < -1e-9) if escape is not None else np.zeros_like(small)
        if saddle.any():
            top = h_vec[saddle, :, 0]
            sign = np.sign(top[np.arange(len(top)), np.abs(top).argmax(axis=1)])
            x[idx[saddle]] += escape * scale * sign[:, None] * top
        active[idx[small & ~saddle]] = False
        move = ~small
        if move.any():
            coeff = np.einsum("kij,ki->kj", h_vec[move], grad[move])
            coeff /= np.maximum(np.abs(h_eig[move]), 1e-12)
            step = -np.einsum("kij,kj->ki", h_vec[move], coeff)
            x[idx[move]] = _backtrack(xa[move], step, grad[move], y, ta[move], log_prior)
    m, chi = _moments(x, y, temperature, log_prior)
    residual = np.abs(x - m).max(axis=1)
    return FixedPoints(
        x=x,
        temperature=temperature,
        chi_eigenvalues=np.linalg.eigvalsh(chi),
        residual=residual,
        converged=residual <= 10 * tol * scale,
    )


def _backtrack(x, step, grad, y, temperature, log_prior, max_halvings: int = 40):
    """Armijo line search ``F(x + s step) <= F(x) + 1e-4 s grad.step`` with s halved until it holds.

    Steps shorter than ``1e-6 (1 + max |y|)`` are taken in full: there Newton is in its quadratic
    regime and the decrease of F is below the rounding error of F itself.
    """
    f0 = free_energy(x, y, temperature, log_prior)
    slope = np.einsum("kd,kd->k", grad, step)
    s = np.ones(len(x))
    pending = np.abs(step).max(axis=1) > 1e-6 * (1.0 + np.abs(y).max())
    for _ in range(max_halvings):
        trial = x[pending] + s[pending, None] * step[pending]
        f = free_energy(trial, y, temperature[pending], log_prior)
        ok = f <= f0[pending] + 1e-4 * s[pending] * slope[pending] + 1e-15 * np.abs(f0[pending])
        idx = np.flatnonzero(pending)
        pending[idx[ok]] = False
        s[idx[~ok]] *= 0.5
        if not pending.any():
            break
    return x + s[:, None] * step


def anneal_fixed_points(
    y: ArrayLike,
    temperatures: ArrayLike,
    x_start: ArrayLike,
    log_prior: ArrayLike | None = None,
    **solver_options,
) -> FixedPoints:
    """Follow a stable fixed point while cooling: the solution at ``T_k`` starts ``T_{k+1}``.

    This is the deterministic-annealing continuation of the symmetry-breaking cascade
    (docs/theory.md §Discrete data and digits); the saddle escape of :func:`solve_fixed_points` picks a broken branch
    deterministically when the branch followed loses stability.

    Parameters
    ----------
    temperatures : array_like of shape (K,)
        Decreasing temperatures.
    x_start : array_like of shape (d,)
        Starting state at ``temperatures[0]``.
    """
    temperatures = np.asarray(temperatures, dtype=float)
    x = np.asarray(x_start, dtype=float)
    solutions = []
    for t in temperatures:
        sol = solve_fixed_points(y, [t], x, log_prior, **solver_options)
        x = sol.x[0]
        solutions.append(sol)
    return FixedPoints(
        **{
            field: np.concatenate([getattr(s, field) for s in solutions])
            for field in ("x", "temperature", "chi_eigenvalues", "residual", "converged")
        }
    )


def annealed_fixed_points(
    y: ArrayLike, x_start: ArrayLike, log_prior: ArrayLike | None = None, **solver_options
) -> Callable[[NDArray], NDArray]:
    """``T (K,) -> x* (K, d)`` by :func:`anneal_fixed_points` over the temperatures sorted
    downwards, returned in the order given; for :func:`locate_bifurcation` on point data."""

    def solve(temperatures: NDArray) -> NDArray:
        temperatures = np.asarray(temperatures, dtype=float)
        order = np.argsort(temperatures)[::-1]
        sol = anneal_fixed_points(y, temperatures[order], x_start, log_prior, **solver_options)
        x = np.empty_like(sol.x)
        x[order] = sol.x
        return x

    return solve


def locate_bifurcation(
    order_parameter: Callable[[NDArray], NDArray],
    t_low: float,
    t_high: float,
    n_scan: int = 200,
    n_refine: int = 4,
    window: float = 1e-3,
    n_fit: int = 20,
    threshold: float = 1e-6,
) -> float:
    """Temperature where the broken branch of a pitchfork merges with the symmetric one.

    Numerical route independent of linear stability: scan ``order_parameter(T)`` on
    ``[t_low, t_high]`` to bracket the last temperature ``T_b`` with a non-zero solution, refine
    the bracket by up to ``n_refine`` further scans of ``n_scan`` points across it (until it is
    narrower than a tenth of the fit interval), then fit
    ``phi(T)**2`` by a quadratic on ``T in [T_b (1 - window), T_b]`` and return its root next to
    the bracket (Landau: ``phi**2`` is analytic and vanishes linearly in ``T_c - T`` at a
    supercritical pitchfork). Each scan is one vectorised call of ``order_parameter``.

    Parameters
    ----------
    order_parameter : callable, ``T (K,) -> phi (K,)``
        Size of the broken-branch solution (0 where only the symmetric one exists).
    t_low, t_high : float
        Scan range; ``order_parameter(t_low) > threshold >= order_parameter(t_high)`` required.
    n_scan : int
        Points per scan.
    n_refine : int
        Refining scans; the bracket shrinks by a factor ``n_scan - 1`` each time.
    window : float
        Relative width of the fit interval below ``T_b``.
    n_fit : int
        Points in the fit interval.
    threshold : float
        Order parameter below which a solution counts as symmetric.
    """
    lo, hi = float(t_low), float(t_high)
    for scan in range(n_refine + 1):
        grid = np.linspace(lo, hi, n_scan)
        broken = order_parameter(grid) > threshold
        if scan == 0 and (not broken[0] or broken[-1]):
            raise ValueError(
                f"no bifurcation bracketed in [{t_low}, {t_high}]: order parameter must exceed "
                f"{threshold} at t_low and not at t_high; widen the scan range"
            )
        first_symmetric = int(np.argmin(broken)) if not broken.all() else n_scan - 1
        lo, hi = grid[max(first_symmetric - 1, 0)], grid[first_symmetric]
        if hi - lo <= 0.1 * window * lo:  # the fit interval, not the bracket, sets the accuracy
            break
    temps = np.linspace(lo * (1.0 - window), lo, n_fit)
    roots = np.roots(np.polyfit(temps, order_parameter(temps) ** 2, 2))
    roots = roots[np.isreal(roots)].real
    return float(roots[np.argmin(np.abs(roots - 0.5 * (lo + hi)))])


def denoiser_fixed_point(
    denoiser: Callable[[NDArray], NDArray],
    x0: ArrayLike,
    step: float = 1e-6,
    tol: float = 1e-12,
    max_iter: int = 50,
) -> tuple[NDArray, NDArray]:
    """Fixed point ``x* = D(x*)`` of a denoiser given only as a function, and ``chi = dD/dx`` there.

    Newton's method with a central-difference Jacobian (``2 d`` calls of D per step); for
    closed-form or trained denoisers without access to the posterior. Returns
    ``(x* (d,), chi (d, d))``.
    """
    x = np.asarray(x0, dtype=float).copy()
    eye = np.eye(len(x))

    def jacobian(x):
        cols = [(denoiser(x + step * e) - denoiser(x - step * e)).ravel() / (2 * step) for e in eye]
        return np.stack(cols, axis=1)

    for _ in range(max_iter):
        residual = x - np.ravel(denoiser(x))
        if np.abs(residual).max() <= tol * (1.0 + np.abs(x).max()):
            break
        x = x - np.linalg.solve(eye - jacobian(x), residual)
    return x, jacobian(x)


# ---------------------------------------------------------------------------------------------
# Symmetric datasets: the central fixed point and its instability (docs/theory.md §Fixed points and critical temperature)


def equalise_norms(y: ArrayLike) -> NDArray[np.float64]:
    """Rescale every row to the root-mean-square norm, shape (N, d).

    With equal norms the posterior at ``x = 0`` is uniform, so ``chi(0) = C / T`` with C the
    second-moment matrix and ``T_c = lambda_max(C)`` exactly.
    """
    y = np.asarray(y, dtype=float)
    norms = np.linalg.norm(y, axis=1, keepdims=True)
    return y * np.sqrt(np.mean(norms**2)) / norms


def second_moment_top_eigenvalue(y: ArrayLike, log_prior: ArrayLike | None = None) -> float:
    """``lambda_max(sum_n w_n y_n y_n^T)``: T_c of centred, symmetric, equal-norm data."""
    y = np.asarray(y, dtype=float)
    w = np.exp(_log_prior(y, log_prior))
    return float(np.linalg.eigvalsh((y.T * w) @ y)[-1])


def symmetric_critical_temperature(
    y: ArrayLike,
    log_prior: ArrayLike | None = None,
    t_bracket: tuple[float, float] | None = None,
) -> float:
    """Instability temperature of the symmetric fixed point ``x = 0`` of centrally symmetric data.

    Solves ``T = lambda_max(Cov[y | x = 0, T])`` (docs/theory.md §Fixed points and critical temperature) by Brent's method. At ``x = 0``
    the posterior weights are ``w_n exp(-|y_n|**2 / (2T))``, so unequal norms shift T_c away from
    the plain top eigenvalue of the data covariance.

    Parameters
    ----------
    y : array_like of shape (N, d)
        Data invariant under ``y -> -y`` (as a set with weights).
    t_bracket : (float, float), optional
        Bracket of the root; by default ``[1e-3, 1.01] * lambda_max`` of the second moment.
    """
    y = np.asarray(y, dtype=float)
    zero = np.zeros((1, y.shape[1]))

    def gap(t):
        cov = posterior_covariance(zero, y, t, log_prior)[0]
        return t - np.linalg.eigvalsh(cov)[-1]

    top = second_moment_top_eigenvalue(y, log_prior)
    lo, hi = t_bracket if t_bracket is not None else (1e-3 * top, 1.01 * top)
    return float(brentq(gap, lo, hi, xtol=1e-14, rtol=1e-13))


def two_cluster_critical_temperature(a: ArrayLike, s2: ArrayLike) -> NDArray[np.float64]:
    """Critical temperature ``T_c = a**2 - s2`` of the mixture ``(N(mu, s2 I) + N(-mu, s2 I)) / 2``.

    Derivation (criterion ``lambda_max(chi(0)) = 1``, ``chi(0) = Cov[y | x = 0, T] / T``): at
    ``x = 0`` each cluster is multiplied by ``exp(-|y|**2 / 2T)``; a Gaussian ``N(+-mu, s2 I)``
    times that factor is ``N(+-mu T / (s2 + T), v I)`` with ``v = s2 T / (s2 + T)``, and the two
    clusters keep equal weights by symmetry. Hence

        ``Cov[y | x = 0, T] = v I + (T / (s2 + T))**2 mu mu^T``,

    whose top eigenvalue (along ``mu``, ``a = |mu|``) divided by T is
    ``s2 / (s2 + T) + a**2 T / (s2 + T)**2``; it equals 1 iff ``a**2 = s2 + T``. The
    transverse eigenvalues ``s2 / (s2 + T)`` stay below 1. Equivalently, ``T_c`` is where the
    noised density ``(N(mu, (s2 + T) I) + N(-mu, (s2 + T) I)) / 2`` turns from bimodal to unimodal
    along ``mu`` (``a**2 = s2 + T``), since ``F = -T log p_T + const``. It is *not* the top
    covariance eigenvalue ``a**2 + s2`` (that holds only for equal-norm data, ``s2 = 0``); for
    ``a**2 <= s2`` there is no transition (returned as a non-positive number).
    Broadcasts over ``a`` and ``s2``.
    """
    return np.asarray(a, dtype=float) ** 2 - np.asarray(s2, dtype=float)


# ---------------------------------------------------------------------------------------------
# Gaussian data: no transition (docs/theory.md §Gaussian data)


def gaussian_magnetisation(
    x: ArrayLike, mean: ArrayLike, cov: ArrayLike, temperature: float
) -> NDArray[np.float64]:
    """Denoiser of ``N(mean, cov)`` data, shape (B, d).

    ``m(x) = mean + C (C + T I)^{-1} (x - mean)``.
    """
    cov = np.asarray(cov, dtype=float)
    gain = np.linalg.solve(cov + temperature * np.eye(len(cov)), cov).T
    return np.asarray(mean, dtype=float) + (np.atleast_2d(x) - mean) @ gain.T


def gaussian_susceptibility_eigenvalues(
    cov_eigenvalues: ArrayLike, temperature: ArrayLike
) -> NDArray[np.float64]:
    """Eigenvalues ``lambda_i / (lambda_i + T)`` of ``chi = C (C + T I)^{-1}``, shape (K, d).

    Every eigenvalue is below 1 at every ``T > 0``: Gaussian data never break symmetry.
    """
    lam = np.asarray(cov_eigenvalues, dtype=float)
    temperature = np.atleast_1d(np.asarray(temperature, dtype=float))
    return lam[None, :] / (lam[None, :] + temperature[:, None])


# ---------------------------------------------------------------------------------------------
# Curie-Weiss reference model (docs/theory.md §Curie-Weiss reference model) and the tanh equation of state


def _largest_tanh_root(
    amplitude: ArrayLike, gain: ArrayLike, bias: ArrayLike, tol: float = 1e-15, max_iter: int = 500
) -> NDArray[np.float64]:
    """Largest root of ``x = A tanh(g x + b)`` (A, g > 0, b >= 0), vectorised by broadcasting.

    Newton's method started at ``x = A``: for x above the inflexion point ``-b/g`` the function
    ``f(x) = x - A tanh(g x + b)`` is convex and ``f(A) >= 0``, so the iterates decrease
    monotonically onto the largest root. A small negative ``b`` (a metastable branch) works as
    long as the positive branch still exists.
    """
    amplitude, gain, bias = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (amplitude, gain, bias))
    )

    def f(x):
        return x - amplitude * np.tanh(gain * x + bias)

    x = amplitude.copy()
    no_upper_root = np.zeros(x.shape, dtype=bool)
    for _ in range(max_iter):
        slope = 1.0 - amplitude * gain / np.cosh(gain * x + bias) ** 2
        value = f(x)
        no_upper_root |= (slope <= 0) & (value > 0)
        step = np.where(no_upper_root, 0.0, value / np.where(slope > 0, slope, 1.0))
        x = x - step
        if np.all(np.abs(step) <= tol * np.abs(amplitude)):
            break
    if no_upper_root.any():
        # f is convex right of the inflexion c = -b/g and still positive at its minimum there, so
        # the largest root is the single one of the concave part, bracketed by [-A, c]
        lo = -amplitude - np.abs(bias / gain)
        hi = np.where(no_upper_root, -bias / gain, x)
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            positive = f(mid) > 0
            hi, lo = np.where(positive, mid, hi), np.where(positive, lo, mid)
        x = np.where(no_upper_root, 0.5 * (lo + hi), x)
    return x


def curie_weiss_magnetisation(
    temperature: ArrayLike, coupling: float = 1.0, field: ArrayLike = 0.0
) -> NDArray[np.float64]:
    """Largest root of the Curie-Weiss equation ``m = tanh((J m + h) / T)``, h >= 0.

    Shapes broadcast between ``temperature`` and ``field``.
    """
    temperature = np.asarray(temperature, dtype=float)
    return _largest_tanh_root(1.0, coupling / temperature, np.asarray(field) / temperature)


def curie_weiss_landau(m: ArrayLike, temperature: float, coupling: float = 1.0, field: float = 0.0):
    """Landau function ``f(m) = J m**2 / 2 - T log(2 cosh((J m + h) / T))`` per spin."""
    u = (coupling * np.asarray(m, dtype=float) + field) / temperature
    log_2cosh = np.abs(u) + np.log1p(np.exp(-2.0 * np.abs(u)))
    return 0.5 * coupling * np.asarray(m) ** 2 - temperature * log_2cosh


# ---------------------------------------------------------------------------------------------
# Example 1: two deltas at +-a (docs/theory.md §Two-delta model)


def two_delta_magnetisation(x: ArrayLike, temperature: ArrayLike, a: float = 1.0) -> NDArray:
    """m(x, T) = a tanh(a x / T): optimal denoiser of p(y) = (delta(y - a) + delta(y + a)) / 2."""
    return a * np.tanh(a * np.asarray(x, dtype=float) / np.asarray(temperature, dtype=float))


def two_delta_free_energy(x: ArrayLike, temperature: ArrayLike, a: float = 1.0) -> NDArray:
    """F(x, T) = (x**2 + a**2) / 2 - T log cosh(a x / T) = -T log Z(x, T).

    ``Z = [exp(-(x - a)**2 / 2T) + exp(-(x + a)**2 / 2T)] / 2`` exactly, so no x- or T-dependent
    term is dropped. ``log cosh`` is evaluated as ``|u| + log1p(exp(-2|u|)) - log 2`` so that low
    temperatures do not overflow. Broadcasts over ``x`` and ``temperature``.
    """
    x = np.asarray(x, dtype=float)
    temperature = np.asarray(temperature, dtype=float)
    u = np.abs(a * x / temperature)
    log_cosh = u + np.log1p(np.exp(-2.0 * u)) - np.log(2.0)
    return 0.5 * (x**2 + a**2) - temperature * log_cosh


def two_delta_critical_temperature(a: float = 1.0) -> float:
    """Closed form T_c = a**2: where the bare susceptibility at the origin, a**2 / T, reaches 1."""
    return float(a) ** 2


def two_delta_order_parameter(
    temperature: ArrayLike, a: float = 1.0, field: ArrayLike = 0.0
) -> NDArray:
    """Largest root x* of ``x = a tanh(a x / T + h)``, vectorised (broadcast T against h).

    ``h`` is a prior bias, ``p(+-a) ∝ exp(+-h)``. With ``h = 0`` this is the upper stable branch of
    the pitchfork (0 above T_c); a small ``h < 0`` gives the metastable branch below its spinodal.
    """
    temperature = np.asarray(temperature, dtype=float)
    return _largest_tanh_root(float(a), a / temperature, field)


def two_delta_susceptibility(x: ArrayLike, temperature: ArrayLike, a: float = 1.0) -> NDArray:
    """Bare susceptibility ``chi = dm/dx = (a**2 / T) (1 - tanh**2(a x / T))``."""
    temperature = np.asarray(temperature, dtype=float)
    return (a * a / temperature) / np.cosh(a * np.asarray(x, dtype=float) / temperature) ** 2


def two_delta_dressed_susceptibility(temperature: ArrayLike, a: float = 1.0) -> NDArray:
    """Closed form ``dx*/dh`` at the stable fixed point of ``x = a tanh(a x / T + h)``.

    The bias is ``p(+-a) ∝ exp(+-h)``, i.e. ``p(y) ∝ p0(y) exp(h y / a)``, so ``dm/dh = Cov / a
    = T chi / a`` and (docs/theory.md §Susceptibility) ``dx*/dh = (1 - chi)^{-1} T chi / a``: ``a T / (T - a**2)``
    above T_c (where ``chi = a**2 / T``), ``~ a**3 / (2 (T_c - T))`` just below. Only for a = 1 is
    it ``T chi / (1 - chi)``.
    """
    temperature = np.asarray(temperature, dtype=float)
    chi = two_delta_susceptibility(two_delta_order_parameter(temperature, a), temperature, a)
    return temperature * chi / (a * (1.0 - chi))


def two_delta_prior_kl(x: ArrayLike, temperature: ArrayLike, a: float = 1.0) -> NDArray:
    """``dF/dT = KL(p(+-a | x) || 1/2) = log 2 - H(p)`` with ``p(+a | x) = (1 + tanh(ax/T)) / 2``.

    Written as ``u tanh(u) - log cosh(u)``, ``u = a x / T``, which has no cancellation near 0.
    """
    u = np.abs(a * np.asarray(x, dtype=float) / np.asarray(temperature, dtype=float))
    log_cosh = u + np.log1p(np.exp(-2.0 * u)) - np.log(2.0)
    return u * np.tanh(u) - log_cosh


def two_delta_symmetric_branch_stable(temperature: ArrayLike, a: float = 1.0) -> NDArray:
    """Whether x* = 0 is a minimum of F: ``chi(0) = a**2 / T < 1``."""
    return a * a / np.asarray(temperature, dtype=float) < 1.0
