"""Regular-simplex data: a first-order generative transition from a cubic invariant (Potts-like).

Data: q equal-norm points ``y_k`` (``|y_k| = r``) at the vertices of a regular simplex centred at
the origin, ``y_j . y_k = -r**2 / (q - 1)`` for ``j != k``, spanning ``d = q - 1`` dimensions;
q = 2 is the two-delta model ``+-r``. The second moment is ``C = r**2 / (q - 1) I`` on the span.

Equation of state along a vertex, ``x = phi e_1`` (``e_1 = y_1 / r``): the posterior is
``p_1 = e**u / (e**u + q - 1)`` and ``p_k = (1 - p_1) / (q - 1)`` otherwise, with
``u = x . (y_1 - y_k) / T = K s``, ``s = phi / r`` and ``K = q r**2 / ((q - 1) T)``. Since
``sum_k y_k = 0``, ``m(x) = y_1 (q p_1 - 1) / (q - 1)``, so the fixed points obey the mean-field
Potts equation

    ``s = (e**(K s) - 1) / (e**(K s) + q - 1)``.

Relative to the symmetric point, along the vertex line (``F = -T log Z`` of
:func:`thermodiff.meanfield.free_energy`, exact)

    ``F(phi) - F(0) = phi**2 / 2 + r phi / (q - 1) - T log((e**u + q - 1) / q)``.

Its expansion in ``x`` has a cubic term ``-(1 / 6 T**2) sum_k (x . y_k)**3 / q``, which vanishes
for q = 2 (``+-r``) and not for q >= 3 (``sum_k y_k^{(x)3} != 0``): Landau theory with a cubic
invariant, hence a first-order transition. Closed forms (``T_sym = r**2 / (q - 1)``):

* instability of the symmetric point ``x = 0`` (``chi(0) = C / T``, ``K = q``):
  ``T_sym = lambda_max(C) = r**2 / (q - 1)``;
* first-order transition (a broken minimum of F takes over, ``F(phi*) = F(0)``): substituting
  ``e**u = (q - 1)**2``, i.e. ``s = (q - 2) / (q - 1)``, into ``F`` gives ``F(phi*) - F(0) = 0``
  identically, so ``K_1 = u / s = 2 (q - 1) log(q - 1) / (q - 2)`` and
  ``T_1 = q (q - 2) r**2 / (2 (q - 1)**2 log(q - 1))``;
* jump of the order parameter there: ``|x*| = r (q - 2) / (q - 1)``;
* spinodal of the broken branch (it appears on cooling): along the branch ``K(u) = u / s(u)``
  ``= u (e**u + q - 1) / (e**u - 1)``; the branch exists for ``K >= min_u K(u)``, reached where
  ``dK/du = 0``, i.e. ``(e**u + q - 1)(e**u - 1) = q u e**u`` (one positive root ``u_sp``), and
  ``T_sp = q r**2 / ((q - 1) K(u_sp))``.

For q >= 3, ``T_sym < T_1 < T_sp``; the transverse susceptibility on the vertex branch is
``u / (e**u - 1) < 1`` (always stable) and the longitudinal one reaches 1 at ``T_sp`` only.
For q = 2 all three coincide at ``r**2`` and the jump is 0 (continuous, two deltas).

Generation in the window ``T_sym < T < T_1`` (:func:`generation_order_parameter`): the exact
reverse SDE started at a fixed ``x_0`` at ``T_0`` reproduces the forward process conditioned on
``x_{T_0} = x_0``: it ends at ``y_c`` with the posterior weight ``p(c | x_0, T_0)`` (uniform for
``x_0 = 0``) and, given ``c``, ``x_T`` is the Brownian bridge
``y_c + (T / T_0)(x_0 - y_c) + sqrt(T (T_0 - T) / T_0) z``. From ``x_0 = 0`` the projection on the
committed vertex is ``E[x_T . y_c] / r = r (1 - T / T_0)`` (:func:`bridge_order_parameter`):
linear in T, with no feature at ``T_sym`` or ``T_1``. Trajectories do not wait at the symmetric
point: the barrier of F between ``x = 0`` and the broken minimum (the unstable branch of
:func:`broken_branch`) is at most ``1.1e-3 T`` in the window for q = 3, ``6.5e-3 T`` for q = 4 and
``5e-2 T`` for q = 8, and the SDE samples ``p_T ~ exp(-F / T)``, not the local minima of F. Local stability
governs only the deterministic flow of F (:func:`hysteresis`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from thermodiff import dynamics, meanfield

HESSIAN_STEP = 1e-4
"""Finite-difference step of the Hessian of F at the origin, relative to ``max |y|``."""
SYMMETRIC_THRESHOLD = 1e-3
"""A descent ending within ``SYMMETRIC_THRESHOLD max |y|`` of the origin counts as symmetric."""
FREE_ENERGY_THRESHOLD = 1e-13
"""A minimum is lower than the origin when ``F < F(0) - FREE_ENERGY_THRESHOLD max(1, |F(0)|)``."""

# ---------------------------------------------------------------------------------------------
# Data and closed forms


def simplex_vertices(q: int, radius: float = 1.0) -> NDArray[np.float64]:
    """Vertices of a regular simplex centred at 0 with ``|y_k| = radius``, shape (q, q - 1).

    The centred standard basis ``e_k - 1/q`` of R^q expressed in an orthonormal (Helmert) basis of
    the sum-zero hyperplane, scaled to the radius.
    """
    if q < 2:
        raise ValueError(f"a simplex needs q >= 2 vertices, got {q}")
    helmert = np.zeros((q - 1, q))
    for i in range(1, q):
        helmert[i - 1, :i] = 1.0
        helmert[i - 1, i] = -float(i)
        helmert[i - 1] /= np.sqrt(i * (i + 1))
    y = (np.eye(q) - 1.0 / q) @ helmert.T
    return radius * y / np.linalg.norm(y, axis=1, keepdims=True)


def simplex_radius(q: int, lambda_max: float) -> float:
    """Vertex norm ``r = sqrt((q - 1) lambda_max)`` of a simplex whose top second-moment eigenvalue
    (its symmetric instability ``T_sym = r**2 / (q - 1)``) is ``lambda_max``."""
    return float(np.sqrt((q - 1) * lambda_max))


def instability_temperature(q: int, radius: float = 1.0) -> float:
    """``T_sym = r**2 / (q - 1)``: the symmetric fixed point loses stability (``K = q``)."""
    return radius**2 / (q - 1)


def transition_temperature(q: int, radius: float = 1.0) -> float:
    """``T_1 = q (q - 2) r**2 / (2 (q - 1)**2 log(q - 1))`` (q >= 3); ``r**2`` for q = 2."""
    if q == 2:
        return radius**2
    return q * (q - 2) * radius**2 / (2 * (q - 1) ** 2 * np.log(q - 1))


def order_parameter_jump(q: int, radius: float = 1.0) -> float:
    """``|x*|`` of the broken minimum at ``T_1``: ``r (q - 2) / (q - 1)`` (0 for q = 2)."""
    return radius * (q - 2) / (q - 1)


def _branch_coupling(u: ArrayLike, q: int) -> NDArray[np.float64]:
    """``K(u) = u (e**u + q - 1) / (e**u - 1)`` on the broken branch (``u -> 0``: ``K -> q``)."""
    u = np.asarray(u, dtype=float)
    return u * (np.exp(u) + q - 1) / np.expm1(u)


def spinodal_temperature(q: int, radius: float = 1.0) -> float:
    """``T_sp``: highest temperature with a broken (vertex) minimum; ``r**2`` for q = 2.

    Root ``u_sp > 0`` of ``(e**u + q - 1)(e**u - 1) - q u e**u = 0`` (the minimum of ``K(u)``),
    then ``T_sp = q r**2 / ((q - 1) K(u_sp))``. Near ``u = 0`` the left side is
    ``(1 - q / 2) u**2 + O(u**3) < 0`` for q >= 3 and it grows like ``e**(2u)``, so Brent's
    method on ``[1e-6, 10 + 2 log q]`` finds the root.
    """
    if q == 2:
        return radius**2

    def slope(u):
        e = np.exp(u)
        return (e + q - 1) * (e - 1) - q * u * e

    u_sp = brentq(slope, 1e-6, 10.0 + 2 * np.log(q), xtol=1e-15, rtol=1e-15)
    return q * radius**2 / ((q - 1) * float(_branch_coupling(u_sp, q)))


def broken_branch(u: ArrayLike, q: int, radius: float = 1.0) -> tuple[NDArray, NDArray]:
    """Vertex branch in parametric form: ``(T(u), |x*|(u))`` for ``u > 0``, shapes of ``u``.

    ``s = (e**u - 1) / (e**u + q - 1)``, ``|x*| = r s``, ``T = q r**2 / ((q - 1) K(u))``; both
    the stable (large u) and the unstable (small u, q >= 3) parts, joined at the spinodal.
    """
    u = np.asarray(u, dtype=float)
    s = np.expm1(u) / (np.exp(u) + q - 1)
    return q * radius**2 / ((q - 1) * _branch_coupling(u, q)), radius * s


def vertex_free_energy(phi: ArrayLike, temperature: ArrayLike, q: int, radius: float = 1.0):
    """``F(phi e_1) - F(0) = phi**2 / 2 + r phi / (q - 1) - T log((e**u + q - 1) / q)``.

    ``u = q r phi / ((q - 1) T)``; broadcasts over ``phi`` and ``temperature``.
    """
    phi = np.asarray(phi, dtype=float)
    t = np.asarray(temperature, dtype=float)
    u = q * radius * phi / ((q - 1) * t)
    log_term = np.logaddexp(u, np.log(q - 1.0)) - np.log(q)
    return 0.5 * phi**2 + radius * phi / (q - 1) - t * log_term


# ---------------------------------------------------------------------------------------------
# Measurement with the point-data machinery of thermodiff.meanfield


def _hessian_at_origin(y: NDArray, temperature: float, step: float) -> NDArray:
    """Finite-difference Hessian of ``meanfield.free_energy`` at ``x = 0``, shape (d, d)."""
    d = y.shape[1]
    eye = np.eye(d) * step
    hess = np.empty((d, d))
    for i in range(d):
        for j in range(i, d):
            pts = np.stack([eye[i] + eye[j], eye[i] - eye[j], -eye[i] + eye[j], -eye[i] - eye[j]])
            f = meanfield.free_energy(pts, y, temperature)
            hess[i, j] = hess[j, i] = (f[0] - f[1] - f[2] + f[3]) / (4 * step * step)
    return hess


def _descend(y: NDArray, temperature: float, starts: NDArray) -> tuple[NDArray, NDArray]:
    """Local minima of F reached from each start (no saddle kicks); ``(x (S, d), F (S,))``."""
    sol = meanfield.solve_fixed_points(
        y, np.full(len(starts), temperature), starts, escape=None, tol=1e-13, max_iter=500
    )
    return sol.x, meanfield.free_energy(sol.x, y, sol.temperature)


@dataclass(frozen=True)
class SimplexMeasurement:
    """Transition temperatures of point data measured with :mod:`thermodiff.meanfield`.

    Attributes
    ----------
    instability : float
        Root in T of the smallest eigenvalue of the finite-difference Hessian of F at ``x = 0``.
    spinodal : float
        Highest T at which Newton descent of F from the starts ends away from ``x = 0``
        (bisection on that outcome).
    transition : float
        Root in T of ``min_starts F(x_end) - F(0)`` (bisection on its sign, ``< -tiny``).
    jump : float
        ``|x|`` of the lowest minimum just below ``transition``.
    vertex_alignment : float
        ``max_k x . y_k / (|x| r)`` of that minimum (1: it points at a vertex).
    """

    instability: float
    spinodal: float
    transition: float
    jump: float
    vertex_alignment: float


def _bisect(predicate, lo: float, hi: float, rel_tol: float) -> tuple[float, float]:
    """Shrink ``[lo, hi]`` with ``predicate(lo)`` true and ``predicate(hi)`` false."""
    if not predicate(lo) or predicate(hi):
        raise ValueError(f"predicate does not change from true to false on [{lo}, {hi}]")
    while hi - lo > rel_tol * hi:
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if predicate(mid) else (lo, mid)
    return lo, hi


def measure_transitions(
    y: ArrayLike,
    t_low: float,
    t_high: float,
    n_starts: int = 32,
    seed: int = 0,
    rel_tol: float = 1e-10,
) -> SimplexMeasurement:
    """Measure ``T_sym``, ``T_sp``, ``T_1`` and the jump of centred point data numerically.

    Uses only :func:`thermodiff.meanfield.free_energy` and
    :func:`thermodiff.meanfield.solve_fixed_points`, never the closed forms of this module: minima
    are found by saddle-free Newton descent from ``n_starts`` random directions at radius
    ``0.99 max |y|`` (fixed ``seed``), the symmetric point's stability from a finite-difference
    Hessian of F. ``[t_low, t_high]`` must bracket all three temperatures.

    Parameters
    ----------
    y : array_like of shape (N, d)
    t_low, t_high : float
    n_starts : int
    seed : int
    rel_tol : float
        Relative width of the final brackets.
    """
    y = np.asarray(y, dtype=float)
    d = y.shape[1]
    scale = np.abs(y).max()
    rng = np.random.default_rng(seed)
    dirs = rng.normal(size=(n_starts, d))
    starts = 0.99 * np.linalg.norm(y, axis=1).max() * dirs / np.linalg.norm(dirs, axis=1)[:, None]
    zero = np.zeros((1, d))

    def curvature(t):
        return np.linalg.eigvalsh(_hessian_at_origin(y, t, HESSIAN_STEP * scale))[0]

    instability = brentq(curvature, t_low, t_high, xtol=rel_tol * t_low, rtol=1e-15)

    def broken_exists(t):
        x, _ = _descend(y, t, starts)
        return bool(np.linalg.norm(x, axis=1).max() > SYMMETRIC_THRESHOLD * scale)

    spinodal = 0.5 * sum(_bisect(broken_exists, t_low, t_high, rel_tol))

    def broken_lower(t):
        _, f = _descend(y, t, starts)
        f0 = meanfield.free_energy(zero, y, t)[0]
        return bool(f.min() < f0 - FREE_ENERGY_THRESHOLD * max(1.0, abs(f0)))

    lo, hi = _bisect(broken_lower, t_low, t_high, rel_tol)
    x, f = _descend(y, lo, starts)
    best = x[np.argmin(f)]
    jump = float(np.linalg.norm(best))
    align = float((y @ best).max() / (jump * np.linalg.norm(y, axis=1).max())) if jump else 0.0
    return SimplexMeasurement(
        instability=float(instability),
        spinodal=float(spinodal),
        transition=float(0.5 * (lo + hi)),
        jump=jump,
        vertex_alignment=align,
    )


def hysteresis(
    y: ArrayLike, temperatures: ArrayLike, vertex: int = 0
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``|x*|`` followed adiabatically on cooling (from ``x = 0``) and on heating (from a vertex).

    Cooling uses :func:`thermodiff.meanfield.anneal_fixed_points` from the symmetric point (it
    stays there until the point turns unstable at ``T_sym``); heating starts at data point
    ``vertex`` at the lowest temperature and follows its minimum up to the spinodal.

    Parameters
    ----------
    temperatures : array_like of shape (K,)
        Decreasing temperatures.

    Returns
    -------
    cooling, heating : ndarray of shape (K,)
        ``|x*|`` at ``temperatures`` on each path.
    """
    y = np.asarray(y, dtype=float)
    temps = np.asarray(temperatures, dtype=float)
    cool = meanfield.anneal_fixed_points(y, temps, np.zeros(y.shape[1]))
    heat = meanfield.anneal_fixed_points(y, temps[::-1], y[vertex], escape=None)
    return np.linalg.norm(cool.x, axis=1), np.linalg.norm(heat.x, axis=1)[::-1]


# ---------------------------------------------------------------------------------------------
# Generative trajectories through the first-order window


def bridge_order_parameter(
    temperature: ArrayLike, t_start: float, radius: float = 1.0
) -> NDArray[np.float64]:
    """``r (1 - T / T_0)``: mean projection on the committed vertex of the exact reverse SDE
    started at ``x = 0`` at ``T_0 = t_start`` (Brownian bridge, module docstring); shape of T."""
    return radius * (1.0 - np.asarray(temperature, dtype=float) / t_start)


def generation_order_parameter(
    y: ArrayLike, temperatures: ArrayLike, n_paths: int, seed: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Mean and standard error of ``x_T . y_c / |y_c|`` over reverse-SDE paths from ``x = 0``.

    ``n_paths`` trajectories start at the symmetric point at ``temperatures[0]`` and are
    integrated by :func:`thermodiff.dynamics.sample_paths` (Euler-Maruyama) with the exact
    denoiser :func:`thermodiff.meanfield.magnetisation` of the point data ``y`` (N, d) down the
    decreasing grid ``temperatures`` (K,); ``c`` is the data point nearest the final state.
    Independent of :func:`bridge_order_parameter`: no closed form enters.

    Returns
    -------
    mean, standard_error : ndarray of shape (K,)
    """
    y = np.asarray(y, dtype=float)
    temps = np.asarray(temperatures, dtype=float)
    final, paths = dynamics.sample_paths(
        lambda x, t: meanfield.magnetisation(x, y, t),
        np.zeros((n_paths, y.shape[1])),
        temps,
        seed=seed,
        record=range(len(temps)),
    )
    nearest = np.argmin(((final[:, None, :] - y[None]) ** 2).sum(-1), axis=1)
    unit = y[nearest] / np.linalg.norm(y[nearest], axis=1, keepdims=True)
    proj = np.einsum("kbd,bd->kb", paths, unit)
    return proj.mean(axis=1), proj.std(axis=1, ddof=1) / np.sqrt(n_paths)
