"""The exact denoiser of a finite training set: a chunked, streaming empirical-posterior kernel.

For a training set ``Y = {y_n}`` (N points in d dimensions) and a noisy state ``x`` at temperature
``T = sigma**2`` (VE convention of :mod:`thermodiff.schedules`), the posterior over training points
is the Boltzmann distribution of docs/theory.md §Free energy and order parameter,

    w_n(x, T) = exp(-||x - y_n||^2 / 2T) / Z(x, T),    Z(x, T) = sum_n exp(-||x - y_n||^2 / 2T),

and everything the stages need is a weighted sum over ``n``:

* ``log_partition``  log Z (without the 1/N prior or the Gaussian normaliser);
* ``mean``           m(x, T) = sum_n w_n y_n, the optimal denoiser / magnetisation (Tweedie:
                     score = (m - x) / T);
* ``participation``  Y_2 = sum_n w_n^2 (1/N when uniform, 1 when condensed on one point);
* ``entropy``        H = -sum_n w_n log w_n (nats);
* ``max_weight``     max_n w_n and its index ``argmax``;
* ``own_weight``     w_{n_b} for a given training index n_b of each query (cue = noised y_{n_b});
* ``posterior_variance``  tr Cov[y | x, T] = sum_n w_n ||y_n||^2 - ||m||^2 (so tr chi = this / T);
* ``jvp``            chi v = (dm/dx) v = Cov[y | x, T] v / T (fluctuation-dissipation, docs/theory.md §Susceptibility).

Algorithm. The training set is visited in chunks of ``chunk_size`` rows. For a chunk the cross term
``x . y_n`` comes from one BLAS matrix product; the logits are ``(x . y_n - ||y_n||^2 / 2) / T``
(the ``-||x||^2 / 2T`` term is the same for every ``n`` and is added to ``log Z`` at the end).
Sums are kept relative to a running maximum of the logits and rescaled by ``exp(M_old - M_new)``
whenever the maximum grows (the streaming / "online" log-sum-exp of flash attention), so that no
exponential ever overflows and memory is O(B * chunk_size + B * d) whatever N is. Temperatures
may form a grid: the matrix product is then shared by all temperatures of the grid.

Backend (measured on the 2-core development machine, OpenBLAS 0.3.31, block B x n x d =
512 x 8192 x 1000): the matrix product takes 0.20 s in numpy vs 0.21 s in torch (float64; 0.11 vs
0.15 s in float32), and ``exp`` of the 512 x 8192 logits 25 ms vs 33 ms (float64; 2.4 vs 15.5 ms in
float32); the absolute times vary with the load of the shared machine, but numpy was faster in
every run. The kernel therefore runs in numpy; :class:`EmpiricalDenoiser` accepts and returns torch
tensors by converting at the boundary. At B x N x d = 512 x 1e5 x 1e3 (``benchmarks/rem_kernel.py``,
shared machine, best of 3) the kernel without the mean took 1.43 s against 1.24 s for the same
products issued in blocks (ratio 0.87) and 2.01 s for one monolithic ``X @ Y.T``, which writes a
400 MB output (ratio 1.41); with the mean, which needs a second product of the same size, 2.54 s
(0.49 of the blocked products, ideal 0.5). Peak memory beyond the inputs was 105 MB at N = 1e5 and
at N = 2e4 alike: bounded by the block, not by N (the 800 MB training set is never copied).

Precision. float64 is the default and is stable for T from 1e-4 to 1e4 at d = 1000. With
``dtype=np.float32`` the matrix products run in single precision (accumulators stay float64); the
logits then carry an absolute error of about eps_32 * ||x|| ||y|| / T, which is harmless at T of
order one but grows as 1/T. Measured at N = 1e5, d = 1e3 for cues at T = 0.1 ... 2 T_c (4.3 ... 86):
|error| <= 2.1e-4 in log Z, <= 1.3e-4 in the own-point weight, <= 7e-6 in the mean.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

DEFAULT_BLOCK_ELEMENTS = 1 << 22  # B * chunk_size logits per block: 32 MiB in float64


@dataclass(frozen=True)
class PosteriorStats:
    """Summaries of the empirical posterior ``w_n(x, T)``; shapes use S = broadcast(T, (B,)).

    Attributes
    ----------
    log_partition : ndarray of shape S
        ``log sum_n exp(-||x - y_n||^2 / 2T)``.
    participation : ndarray of shape S
        ``Y_2 = sum_n w_n^2``.
    entropy : ndarray of shape S
        ``-sum_n w_n log w_n``.
    max_weight, argmax : ndarray of shape S
        Largest weight and the index of its training point.
    mean : ndarray of shape S + (d,) or None
        Posterior mean ``m(x, T)``, if requested.
    posterior_variance : ndarray of shape S or None
        ``tr Cov[y | x, T]``, if the mean was requested.
    own_weight : ndarray of shape S or None
        ``w_{own_index[b]}``, if ``own_index`` was given.
    jvp : ndarray of shape S + (d,) or None
        ``chi v = Cov[y | x, T] v / T``, if a tangent ``v`` was given.
    """

    log_partition: NDArray[np.float64]
    participation: NDArray[np.float64]
    entropy: NDArray[np.float64]
    max_weight: NDArray[np.float64]
    argmax: NDArray[np.int64]
    mean: NDArray | None = None
    posterior_variance: NDArray[np.float64] | None = None
    own_weight: NDArray[np.float64] | None = None
    jvp: NDArray | None = None


def default_chunk_size(n_queries: int, n_points: int) -> int:
    """Rows of Y per block so that a block of logits holds about 4 M numbers (>= 64 rows)."""
    return int(max(64, min(n_points, DEFAULT_BLOCK_ELEMENTS // max(n_queries, 1))))


def temperature_grid(temperature: ArrayLike, n_queries: int) -> tuple[tuple[int, ...], NDArray]:
    """Broadcast ``temperature`` against the query axis: output shape S and a (K, B) grid."""
    t = np.asarray(temperature, dtype=np.float64)
    shape = np.broadcast_shapes(t.shape, (n_queries,))
    grid = np.broadcast_to(t, shape).reshape(-1, n_queries)
    if not np.all(grid > 0):
        raise ValueError(f"temperature must be > 0, got min {grid.min()}")
    return shape, grid


# ---------------------------------------------------------------------------------------------
# The streaming kernel


def posterior_stats(
    x: ArrayLike,
    y: ArrayLike,
    temperature: ArrayLike,
    *,
    mean: bool = True,
    own_index: ArrayLike | None = None,
    tangent: ArrayLike | None = None,
    chunk_size: int | None = None,
    dtype: DTypeLike = np.float64,
) -> PosteriorStats:
    """Empirical-posterior summaries of queries ``x`` against the training set ``y``.

    Parameters
    ----------
    x : array_like of shape (B, d)
        Noisy states (queries).
    y : array_like of shape (N, d)
        Training set; read one chunk at a time (it may be a memory map).
    temperature : float or array_like broadcastable against (B,)
        ``T = sigma**2`` (> 0). A scalar or shape (B,) gives outputs of shape (B,) (one temperature
        per query); shape (K, 1) gives outputs of shape (K, B): every query at every temperature of
        the grid, sharing the matrix products.
    mean : bool
        Also accumulate the posterior mean (one more matrix product per temperature) and the
        posterior variance.
    own_index : array_like of int, shape (B,), optional
        Index in ``y`` of each query's own training point; gives ``own_weight``.
    tangent : array_like of shape (B, d), optional
        Direction ``v`` for the Jacobian-vector product ``chi v`` (implies ``mean``).
    chunk_size : int, optional
        Rows of ``y`` per block (default :func:`default_chunk_size`); results do not depend on it
        beyond rounding.
    dtype : numpy dtype
        Precision of the matrix products and logits (float64 default, float32 optional).

    Returns
    -------
    PosteriorStats

    Notes
    -----
    With ``a_n = (x . y_n - ||y_n||^2 / 2) / T`` and ``M`` the running maximum over visited ``n``,
    the accumulators are ``S0 = sum e^{a_n - M}``, ``S2 = sum e^{2(a_n - M)}``,
    ``SH = sum e^{a_n - M} (a_n - M)``, ``S1 = sum e^{a_n - M} y_n``; then
    ``log Z = M + log S0 - ||x||^2 / 2T``, ``Y_2 = S2 / S0^2``, ``H = log S0 - SH / S0``,
    ``m = S1 / S0``, ``max_n w_n = 1 / S0``. When the maximum grows by ``-delta > 0`` every
    accumulator is multiplied by ``e^{delta}`` (``S2`` by ``e^{2 delta}``, and ``SH`` becomes
    ``e^{delta} (SH + delta S0)``).
    """
    dtype = np.dtype(dtype)
    x = np.asarray(x, dtype=dtype)
    if not hasattr(y, "shape"):
        y = np.asarray(y, dtype=np.float64)
    n_queries, dim = x.shape
    n_points = len(y)
    if y.shape[1] != dim:
        raise ValueError(f"x has d = {dim} but y has d = {y.shape[1]}")
    shape, grid = temperature_grid(temperature, n_queries)
    n_temps = grid.shape[0]
    beta = (1.0 / grid).astype(dtype)  # (K, B)
    want_mean = mean or tangent is not None
    chunk = chunk_size or default_chunk_size(n_queries * n_temps, n_points)

    log_max = np.full((n_temps, n_queries), -np.inf)
    s0 = np.zeros((n_temps, n_queries))
    s2 = np.zeros((n_temps, n_queries))
    sh = np.zeros((n_temps, n_queries))
    argmax = np.zeros((n_temps, n_queries), dtype=np.int64)
    s1 = np.zeros((n_temps, n_queries, dim)) if want_mean else None
    sq = np.zeros((n_temps, n_queries)) if want_mean else None
    if tangent is not None:
        v = np.asarray(tangent, dtype=dtype)
        sj = np.zeros((n_temps, n_queries, dim))
        sv = np.zeros((n_temps, n_queries))
    rows = np.arange(n_queries)

    for lo in range(0, n_points, chunk):
        yc = np.asarray(y[lo : lo + chunk], dtype=dtype)
        half_ysq = 0.5 * np.einsum("nd,nd->n", yc, yc)
        cross = x @ yc.T  # (B, n): the BLAS product
        cross -= half_ysq
        proj = v @ yc.T if tangent is not None else None
        for k in range(n_temps):
            if n_temps == 1:
                logits = cross
                logits *= beta[0][:, None]
            else:
                logits = cross * beta[k][:, None]
            local_arg = np.argmax(logits, axis=1)
            local_max = logits[rows, local_arg]
            new_max = np.maximum(log_max[k], local_max)
            delta = log_max[k] - new_max  # <= 0, -inf on the first chunk
            scale = np.exp(delta)
            delta = np.where(np.isfinite(delta), delta, 0.0)
            grew = local_max > log_max[k]
            argmax[k] = np.where(grew, local_arg + lo, argmax[k])
            logits -= new_max[:, None].astype(dtype)
            e = np.exp(logits)
            sh[k] = scale * (sh[k] + delta * s0[k]) + np.einsum("bn,bn->b", e, logits)
            s2[k] = scale**2 * s2[k] + np.einsum("bn,bn->b", e, e)
            s0[k] = scale * s0[k] + e.sum(axis=1)
            if want_mean:
                s1[k] = scale[:, None] * s1[k] + e @ yc
                sq[k] = scale * sq[k] + e @ (2.0 * half_ysq)
            if tangent is not None:
                ep = e * proj
                sj[k] = scale[:, None] * sj[k] + ep @ yc
                sv[k] = scale * sv[k] + ep.sum(axis=1)
            log_max[k] = new_max

    xsq = np.einsum("bd,bd->b", x, x).astype(np.float64)
    log_s0 = np.log(s0)
    out: dict[str, Any] = {
        "log_partition": log_max + log_s0 - 0.5 * xsq * (1.0 / grid),
        "participation": s2 / s0**2,
        "entropy": log_s0 - sh / s0,
        "max_weight": 1.0 / s0,
        "argmax": argmax,
    }
    if want_mean:
        m = s1 / s0[..., None]
        out["mean"] = m.astype(dtype)
        out["posterior_variance"] = sq / s0 - np.einsum("kbd,kbd->kb", m, m)
    if tangent is not None:
        mv = sv / s0
        out["jvp"] = ((sj / s0[..., None] - m * mv[..., None]) / grid[..., None]).astype(dtype)
    if own_index is not None:
        yo = np.asarray(y[np.asarray(own_index)], dtype=dtype)  # (B, d)
        a_own = (np.einsum("bd,bd->b", x, yo) - 0.5 * np.einsum("bd,bd->b", yo, yo)) * beta
        out["own_weight"] = np.exp(a_own.astype(np.float64) - log_max - log_s0)
    for key, value in out.items():
        tail = value.shape[2:]
        out[key] = value.reshape(shape + tail)
    return PosteriorStats(**out)


def squared_distances(x: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
    """``||x_b - y_n||^2`` through one matrix product, clipped at 0; shape (B, N)."""
    x = np.asarray(x)
    y = np.asarray(y)
    out = x @ y.T
    out *= -2.0
    out += np.einsum("bd,bd->b", x, x)[:, None]
    out += np.einsum("nd,nd->n", y, y)[None, :]
    return np.maximum(out, 0.0, out=out)


def nearest_neighbours(
    x: ArrayLike, y: ArrayLike, k: int = 2, *, chunk_size: int | None = None
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Distances and indices of the ``k`` training points nearest to each query, chunked over N.

    Returns
    -------
    distances : ndarray of shape (B, k), increasing along the last axis
    indices : ndarray of int, shape (B, k)
    """
    x = np.asarray(x, dtype=np.float64)
    n_queries = x.shape[0]
    chunk = chunk_size or default_chunk_size(n_queries, len(y))
    best_d = np.full((n_queries, 0), np.inf)
    best_i = np.zeros((n_queries, 0), dtype=np.int64)
    rows = np.arange(n_queries)
    for lo in range(0, len(y), chunk):
        yc = np.asarray(y[lo : lo + chunk], dtype=np.float64)
        d2 = squared_distances(x, yc)
        # k rounds of argmin with masking: far cheaper than argpartition for small k
        picks_d, picks_i = [], []
        for _ in range(min(k, d2.shape[1])):
            i = np.argmin(d2, axis=1)
            picks_d.append(d2[rows, i].copy())
            picks_i.append(i + lo)
            d2[rows, i] = np.inf
        cand_d = np.concatenate([best_d, np.stack(picks_d, axis=1)], axis=1)
        cand_i = np.concatenate([best_i, np.stack(picks_i, axis=1)], axis=1)
        order = np.argsort(cand_d, axis=1, kind="stable")[:, :k]
        best_d = np.take_along_axis(cand_d, order, axis=1)
        best_i = np.take_along_axis(cand_i, order, axis=1)
    return np.sqrt(best_d), best_i


# ---------------------------------------------------------------------------------------------
# A denoiser object for samplers and analyses (numpy arrays or torch tensors)


def _is_torch(obj: Any) -> bool:
    return type(obj).__module__.startswith("torch")


class EmpiricalDenoiser:
    """The exact denoiser ``D(x, T) = m(x, T)`` of a finite training set.

    ``D = empirical_denoiser(y)`` is a callable ``(x, T) -> m`` for
    :func:`thermodiff.dynamics.reverse_sde`; ``x`` may be a numpy array or a torch tensor of shape
    (B, d) and the result has the same type, dtype and device (torch inputs are computed in numpy on
    the CPU, which measured faster here; see the module docstring). ``T`` is a float or an array of
    shape (B,). ``D.stats`` returns every :class:`PosteriorStats` field, ``D.jvp`` the
    Jacobian-vector product ``chi v``, ``D.score`` the score ``(m - x) / T``.
    """

    def __init__(
        self, y: ArrayLike, *, chunk_size: int | None = None, dtype: DTypeLike = np.float64
    ) -> None:
        self.y = np.asarray(y)
        self.chunk_size = chunk_size
        self.dtype = np.dtype(dtype)

    @staticmethod
    def _to_numpy(value: Any) -> Any:
        if _is_torch(value):
            return value.detach().cpu().numpy()
        return value

    @staticmethod
    def _like(value: NDArray, template: Any) -> Any:
        if _is_torch(template):
            import torch

            return torch.from_numpy(np.ascontiguousarray(value)).to(
                device=template.device, dtype=template.dtype
            )
        return value.astype(np.result_type(template.dtype, np.float32), copy=False)

    def stats(self, x: Any, temperature: Any, **kwargs: Any) -> PosteriorStats:
        return posterior_stats(
            self._to_numpy(x),
            self.y,
            self._to_numpy(temperature),
            chunk_size=self.chunk_size,
            dtype=self.dtype,
            **kwargs,
        )

    def __call__(self, x: Any, temperature: Any) -> Any:
        return self._like(self.stats(x, temperature, mean=True).mean, x)

    def score(self, x: Any, temperature: Any) -> Any:
        m = self(x, temperature)
        t = temperature[:, None] if np.ndim(self._to_numpy(temperature)) == 1 else temperature
        return (m - x) / t

    def jvp(self, x: Any, temperature: Any, v: Any) -> Any:
        stats = self.stats(x, temperature, tangent=self._to_numpy(v))
        return self._like(stats.jvp, x)


def empirical_denoiser(
    y: ArrayLike, *, chunk_size: int | None = None, dtype: DTypeLike = np.float64
) -> Callable[[Any, Any], Any]:
    """Factory of :class:`EmpiricalDenoiser`: ``D = empirical_denoiser(y); m = D(x, T)``."""
    return EmpiricalDenoiser(y, chunk_size=chunk_size, dtype=dtype)
