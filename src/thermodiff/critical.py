"""Critical exponents measured numerically (paper §6–7, docs/theory.md §Critical exponents).

Every exponent is a log-log slope (:func:`thermodiff.estimators.fit_power_law`) fitted over a stated window of reduced distance from the
critical point, ``eps = |T - T_c| / T_c`` (or of the bias field h on the critical isotherm), with
the fit window and the residual returned alongside: the exponents are measured, not assumed.
Mean-field (Landau) values: ``beta = 1/2`` (order parameter), ``gamma = 1`` above and below with
amplitude ratio 2 (dressed susceptibility), ``delta = 3`` (critical isotherm), ``alpha = 0`` with
a finite heat-capacity jump.

The functions take the physics as callables so that every example (two deltas, hypersphere, a
point dataset) is measured the same way:

* ``order_parameter(T, h) -> phi`` solves the equation of state on the broken branch with a
  prior bias h (``p(y) ∝ p0(y) exp(h . y)``), vectorised over broadcast ``T`` and ``h``;
* ``kl_at_fixed_point(T) -> dF*/dT`` is ``KL(p(y | x*, T) || p(y))`` at the stable fixed point.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from thermodiff.estimators import PowerLawFit, fit_power_law


def log_window(window: tuple[float, float], n_points: int) -> NDArray[np.float64]:
    """``n_points`` log-spaced values spanning ``window``."""
    return np.geomspace(window[0], window[1], n_points)


# ---------------------------------------------------------------------------------------------
# beta, gamma, delta


def measure_beta(
    order_parameter: Callable, t_c: float, window: tuple[float, float], n_points: int = 30
) -> PowerLawFit:
    """``phi(T) ∝ eps**beta`` below T_c, ``eps = (T_c - T) / T_c`` in ``window``."""
    eps = log_window(window, n_points)
    return fit_power_law(eps, order_parameter(t_c * (1.0 - eps), 0.0))


def dressed_susceptibility(
    order_parameter: Callable, temperature: ArrayLike, field_step: ArrayLike
) -> NDArray[np.float64]:
    """``dphi*/dh`` at ``h = 0`` by central differences of the solved fixed point.

    ``(phi*(T, +dh) - phi*(T, -dh)) / (2 dh)``; below T_c both solutions stay on the upper branch
    (for ``dh`` below the spinodal field), so this is the response of the broken state.
    """
    temperature = np.asarray(temperature, dtype=float)
    field_step = np.asarray(field_step, dtype=float)
    up = order_parameter(temperature, field_step)
    down = order_parameter(temperature, -field_step)
    return (up - down) / (2.0 * field_step)


@dataclass(frozen=True)
class GammaMeasurement:
    """Dressed-susceptibility fits on both sides of T_c and their amplitude ratio.

    ``ratio`` is ``chi(T_c (1 + eps)) / chi(T_c (1 - eps))`` extrapolated linearly in eps to 0
    over the window; ``ratio_residual`` is the rms residual of that linear fit.
    """

    above: PowerLawFit
    below: PowerLawFit
    ratio: float
    ratio_residual: float


def measure_gamma(
    order_parameter: Callable,
    t_c: float,
    window: tuple[float, float],
    n_points: int = 30,
    relative_field: float = 1e-3,
) -> GammaMeasurement:
    """``chi_dressed ∝ eps**(-gamma)`` on both sides of T_c; slopes reported as ``-gamma``.

    The finite-difference field is ``relative_field * eps**1.5``: small against the crossover
    field ``eps**(3/2)`` at which the response turns nonlinear, so the central difference is in
    the linear-response regime throughout the window.
    """
    eps = log_window(window, n_points)
    step = relative_field * eps**1.5
    chi_above = dressed_susceptibility(order_parameter, t_c * (1.0 + eps), step)
    chi_below = dressed_susceptibility(order_parameter, t_c * (1.0 - eps), step)
    above = fit_power_law(eps, chi_above)
    below = fit_power_law(eps, chi_below)
    ratio = chi_above / chi_below
    coeff = np.polyfit(eps, ratio, 1)
    residual = ratio - np.polyval(coeff, eps)
    return GammaMeasurement(
        above=above,
        below=below,
        ratio=float(coeff[1]),
        ratio_residual=float(np.sqrt(np.mean(residual**2))),
    )


def measure_delta(
    order_parameter: Callable, t_c: float, field_window: tuple[float, float], n_points: int = 30
) -> PowerLawFit:
    """Critical isotherm ``phi(T_c, h) ∝ h**(1/delta)``; the slope is ``1/delta``."""
    field = log_window(field_window, n_points)
    return fit_power_law(field, order_parameter(np.full_like(field, t_c), field))


# ---------------------------------------------------------------------------------------------
# Heat capacity of the self-consistent free energy F*(T) = F(x*(T), T)


def heat_capacity(
    kl_at_fixed_point: Callable, temperature: ArrayLike, step: ArrayLike
) -> NDArray[np.float64]:
    """``C = -T d**2 F*/dT**2 = -T d KL*/dT`` by central differences of width ``2 step``.

    Uses ``dF*/dT = dF/dT|_{x*} = KL(p(y | x*) || p(y))`` (the x-derivative vanishes at a fixed
    point), so only one numerical derivative is taken.
    """
    temperature = np.asarray(temperature, dtype=float)
    step = np.asarray(step, dtype=float)
    slope = (kl_at_fixed_point(temperature + step) - kl_at_fixed_point(temperature - step)) / (
        2.0 * step
    )
    return -temperature * slope


@dataclass(frozen=True)
class HeatCapacityJump:
    """``C(T_c^-) - C(T_c^+)``, each side extrapolated linearly in eps to eps = 0.

    Attributes
    ----------
    jump, below, above : float
    window : (float, float)
    residual : float
        Largest rms residual of the two linear extrapolations.
    eps, c_below, c_above : ndarray of shape (K,)
        The heat capacities used (for plotting).
    """

    jump: float
    below: float
    above: float
    window: tuple[float, float]
    residual: float
    eps: NDArray[np.float64]
    c_below: NDArray[np.float64]
    c_above: NDArray[np.float64]

    def summary(self) -> dict:
        """Scalars of the measurement, for JSON records."""
        return {
            "jump": self.jump,
            "below": self.below,
            "above": self.above,
            "window": list(self.window),
            "residual": self.residual,
        }


def measure_heat_capacity_jump(
    kl_at_fixed_point: Callable,
    t_c: float,
    window: tuple[float, float],
    n_points: int = 20,
    relative_step: float = 1e-2,
) -> HeatCapacityJump:
    """Finite jump of C at T_c (alpha = 0), from central differences on each side.

    The difference step is ``relative_step * eps * T_c`` so that it never straddles T_c.
    """
    eps = np.linspace(window[0], window[1], n_points)
    step = relative_step * eps * t_c
    c_below = heat_capacity(kl_at_fixed_point, t_c * (1.0 - eps), step)
    c_above = heat_capacity(kl_at_fixed_point, t_c * (1.0 + eps), step)
    residuals = []
    limits = []
    for values in (c_below, c_above):
        coeff = np.polyfit(eps, values, 1)
        limits.append(float(coeff[1]))
        residuals.append(float(np.sqrt(np.mean((values - np.polyval(coeff, eps)) ** 2))))
    return HeatCapacityJump(
        jump=limits[0] - limits[1],
        below=limits[0],
        above=limits[1],
        window=(float(window[0]), float(window[1])),
        residual=max(residuals),
        eps=eps,
        c_below=c_below,
        c_above=c_above,
    )
