"""Critical instability of generation (paper §7, docs/theory.md §Critical instability and decisions).

Three views of the same instability of the symmetric fixed point, in the VE temperature clock
``T = sigma**2``:

* **Bare susceptibility along trajectories.** ``lambda_max(chi(x_t, T))`` of the denoiser
  Jacobian ``chi = Cov[y | x, T] / T``; it crosses 1 where the symmetric fixed point loses
  stability (T_c = a**2 for two deltas at +-a).
* **Decision of a trajectory.** The exact reverse SDE started from ``x_T`` ends at ``y`` with the
  posterior law ``p(y | x_T, T)`` (it samples the data given the current state), so for two deltas
  the probability that a trajectory at ``x`` ends at ``+a`` is ``P(+ | x, T) = (1 + tanh(ax/T))/2``.
  The sensitivity of the outcome to a small kick at T is then, averaged over ``x ~ p_T``,

      S(T) = E_{p_T}[d P(+ | x, T) / dx] = (a / 2T) E_{eps}[sech^2(s + sqrt(s) eps)],  s = a**2/T,

  (by symmetry only the branch ``y = +a``, ``x = a + sqrt(T) eps``, is needed). Since
  ``a S(T)`` depends on T through ``s`` only, its maximiser is ``T* = c a**2`` with one universal
  constant ``c = 0.662985`` (computed here; the decision sits inside the broken phase, below
  T_c). The mean posterior entropy ``E_{p_T}[H(y | x_T)]`` has its steepest descent in log T at
  the same place.
* **Critical slowing down.** Under the fixed-T gradient flow ``dx/ds = m(x, T) - x = -grad F``
  a small perturbation of the symmetric point relaxes as ``exp(-(1 - chi(0)) s)``, with
  ``1 - chi(0) = 1 - T_c/T``: the relaxation time ``tau = T / (T - T_c)`` diverges as
  ``(T - T_c)^{-1}`` (mean-field z nu = 1).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize_scalar

# Trapezoid rule on eps in [-12, 12]: the integrands are analytic in a strip, so the rule converges
# geometrically; 2001 nodes give ~1e-14 for s in [1e-2, 1e3].
_EPS = np.linspace(-12.0, 12.0, 2001)
_GAUSS = np.exp(-0.5 * _EPS**2) / np.sqrt(2 * np.pi) * (_EPS[1] - _EPS[0])


def _branch(temperature: ArrayLike, a: float) -> tuple[NDArray, NDArray]:
    """``s = a**2/T`` (shape S) and ``u = s + sqrt(s) eps`` (shape S + (n_eps,))."""
    s = float(a) ** 2 / np.asarray(temperature, dtype=float)
    return s, s[..., None] + np.sqrt(s)[..., None] * _EPS


def two_delta_decision_sensitivity(temperature: ArrayLike, a: float = 1.0) -> NDArray[np.float64]:
    """``S(T) = E_{p_T}[dP(+ | x, T)/dx] = (a/2T) E[sech^2(s + sqrt(s) eps)]``, shape of T.

    The mean response of the probability of generating ``+a`` to a displacement of the state at
    temperature T (module docstring); ``sech^2`` is written as ``4 e^{-2|u|} / (1 + e^{-2|u|})^2``.
    """
    temperature = np.asarray(temperature, dtype=float)
    _, u = _branch(temperature, a)
    q = np.exp(-2.0 * np.abs(u))
    sech2 = 4.0 * q / (1.0 + q) ** 2
    return float(a) / (2.0 * temperature) * (sech2 @ _GAUSS)


def two_delta_kick_response(
    temperature: ArrayLike, a: float = 1.0, delta: float = 0.0
) -> NDArray[np.float64]:
    """Finite-kick response ``E_{p_T}[(P(+ | x + delta) - P(+ | x - delta)) / (2 delta)]``.

    ``= E_eps[tanh(s + sqrt(s) eps + a delta/T) - tanh(s + sqrt(s) eps - a delta/T)] / (4 delta)``
    (the summand is even in x, so the ``-a`` branch equals the ``+a`` one); the mean of the
    antithetic kick estimator of :func:`thermodiff.dynamics.kick_sensitivity`, which tends to
    :func:`two_delta_decision_sensitivity` as ``delta -> 0``.
    """
    if delta == 0.0:
        return two_delta_decision_sensitivity(temperature, a)
    temperature = np.asarray(temperature, dtype=float)
    _, u = _branch(temperature, a)
    shift = (float(a) * delta / temperature)[..., None]
    return (np.tanh(u + shift) - np.tanh(u - shift)) @ _GAUSS / (4.0 * delta)


def two_delta_decision_entropy(temperature: ArrayLike, a: float = 1.0) -> NDArray[np.float64]:
    """Mean posterior entropy ``E_{p_T}[H(y | x_T)]`` in nats, shape of T.

    ``H = log(1 + e^{-2u}) + 2u e^{-2u} / (1 + e^{-2u})`` for the binary posterior with logit
    ``2u``, ``u = a x / T`` (written for u >= 0 and symmetrised).
    """
    _, u = _branch(temperature, a)
    v = np.abs(u)
    q = np.exp(-2.0 * v)
    entropy = np.log1p(q) + 2.0 * v * q / (1.0 + q)
    return entropy @ _GAUSS


def two_delta_decision_temperature(a: float = 1.0) -> float:
    """Maximiser ``T*`` of :func:`two_delta_decision_sensitivity` (= 0.662985 a**2).

    Brent's method on ``-S`` in ``log T`` over ``[0.2, 2] a**2`` (the function is unimodal there).
    """
    res = minimize_scalar(
        lambda lt: -float(two_delta_decision_sensitivity(np.exp(lt), a)),
        bounds=(np.log(0.2 * a * a), np.log(2.0 * a * a)),
        method="bounded",
        options={"xatol": 1e-10},
    )
    return float(np.exp(res.x))


def lambda_max(chi: NDArray) -> NDArray[np.float64]:
    """Largest eigenvalue of symmetric susceptibility matrices ``chi`` (..., d, d), shape (...)."""
    return np.linalg.eigvalsh(np.asarray(chi, dtype=float))[..., -1]


def point_set_susceptibility(x: NDArray, y: NDArray, temperature: float) -> NDArray[np.float64]:
    """``chi = (sum_n w_n y_n y_n^T - m m^T) / T`` for a small point set, shape (B, d, d).

    Vectorised over the B states (one einsum; B * N * d**2 numbers, so for small N and d only);
    weights from :func:`thermodiff.meanfield.posterior_weights`.
    """
    from thermodiff.meanfield import posterior_weights

    y = np.asarray(y, dtype=float)
    w = posterior_weights(x, y, temperature)
    m = w @ y
    second = np.einsum("bn,ni,nj->bij", w, y, y)
    return (second - m[:, :, None] * m[:, None, :]) / temperature


def relaxation_time_theory(temperature: ArrayLike, t_c: float) -> NDArray[np.float64]:
    """``tau = 1 / (1 - T_c/T) = T / (T - T_c)`` of the linearised fixed-T flow (T > T_c)."""
    temperature = np.asarray(temperature, dtype=float)
    return temperature / (temperature - t_c)


def relaxation_times(
    magnetisation: Callable[[NDArray, NDArray], NDArray],
    temperatures: ArrayLike,
    *,
    perturbation: float,
    ds: float = 0.2,
    max_steps: int = 1_000_000,
) -> NDArray[np.float64]:
    """e-folding time of a small perturbation of the symmetric fixed point ``x = 0``, per T.

    Integrates the nonlinear fixed-T gradient flow ``dx/ds = m(x, T) - x`` (1-D, or along the
    critical axis) by the classical Runge-Kutta scheme from ``x(0) = perturbation`` for all K
    temperatures at once, and returns the time at which ``x`` first falls below
    ``perturbation / e`` (linear interpolation of ``log x`` between steps). No linearisation is
    used; the result approaches :func:`relaxation_time_theory` when ``perturbation**2`` is small
    against ``1 - T_c/T``.

    Parameters
    ----------
    magnetisation : callable ``(x (K,), T (K,)) -> m (K,)``
    temperatures : array_like of shape (K,), above the instability
    perturbation : float
        Initial displacement (> 0).
    ds : float
        Step of the flow time (the fastest rate is <= 1, so 0.2 keeps RK4 errors ~1e-6).
    """
    t = np.asarray(temperatures, dtype=float)
    x = np.full(t.shape, float(perturbation))
    target = np.log(perturbation) - 1.0
    tau = np.full(t.shape, np.nan)
    active = np.ones(t.shape, dtype=bool)

    def rate(x, t):
        return magnetisation(x, t) - x

    for step in range(max_steps):
        if not active.any():
            break
        xa, ta = x[active], t[active]
        k1 = rate(xa, ta)
        k2 = rate(xa + 0.5 * ds * k1, ta)
        k3 = rate(xa + 0.5 * ds * k2, ta)
        k4 = rate(xa + ds * k3, ta)
        new = xa + ds / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        done = np.log(np.maximum(new, 1e-300)) <= target
        if done.any():
            l0, l1 = np.log(xa[done]), np.log(np.maximum(new[done], 1e-300))
            idx = np.flatnonzero(active)[done]
            tau[idx] = ds * (step + (l0 - target) / (l0 - l1))
            active[idx] = False
        x[active] = new[~done]
    return tau
