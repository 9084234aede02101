"""Two-delta example against closed forms (physics.md §3.1 and §11 rows 1-2)."""

import numpy as np
import pytest

from thermodiff.meanfield import (
    locate_bifurcation,
    two_delta_critical_temperature,
    two_delta_free_energy,
    two_delta_magnetisation,
    two_delta_order_parameter,
)


@pytest.mark.parametrize(
    ("temperature", "expected"), [(0.5, 0.957504), (0.9, 0.525430), (0.99, 0.172511)]
)
def test_two_delta_fixed_point_matches_physics_table(temperature, expected):
    assert two_delta_order_parameter(np.array([temperature]))[0] == pytest.approx(
        expected, abs=1e-6
    )


def test_two_delta_fixed_point_vanishes_above_critical_temperature():
    assert np.all(two_delta_order_parameter(np.array([1.0001, 1.5, 4.0])) < 1e-10)


def test_two_delta_fixed_point_solves_equation_of_state():
    temps = np.linspace(0.1, 0.999, 50)
    x = two_delta_order_parameter(temps, a=1.5)
    np.testing.assert_allclose(x, two_delta_magnetisation(x, temps, a=1.5), atol=1e-12)


def test_free_energy_gradient_is_x_minus_magnetisation():
    # dF/dx = x - m(x, T) (physics.md §1.3), central differences
    x, t, h = np.linspace(-2, 2, 41), 0.7, 1e-6
    grad = (two_delta_free_energy(x + h, t) - two_delta_free_energy(x - h, t)) / (2 * h)
    np.testing.assert_allclose(grad, x - two_delta_magnetisation(x, t), atol=1e-7)


def test_free_energy_is_finite_at_low_temperature():
    assert np.all(np.isfinite(two_delta_free_energy(np.linspace(-3, 3, 7), 1e-6)))


@pytest.mark.parametrize("a", [1.0, 0.5, 2.0])
def test_two_deltas_critical_temperature_is_a_squared(a):
    measured = locate_bifurcation(lambda t: two_delta_order_parameter(t, a), 0.2 * a * a, 2 * a * a)
    assert measured == pytest.approx(two_delta_critical_temperature(a), rel=1e-5)
