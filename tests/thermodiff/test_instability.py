"""Critical instability: decision temperature, sensitivity, slowing down (docs/theory.md §Critical instability and decisions)."""

import numpy as np
import pytest
from scipy.integrate import quad

from thermodiff.instability import (
    lambda_max,
    relaxation_time_theory,
    relaxation_times,
    two_delta_decision_entropy,
    two_delta_decision_sensitivity,
    two_delta_decision_temperature,
    two_delta_kick_response,
)
from thermodiff.meanfield import susceptibility, two_delta_magnetisation


def test_decision_temperature_of_two_deltas():
    # docs/theory.md §Critical instability and decisions: T* ~ 0.663 (quadrature here: 0.662985)
    assert two_delta_decision_temperature(1.0) == pytest.approx(0.662985, abs=2e-6)


@pytest.mark.parametrize("a", [0.5, 1.3, 2.0])
def test_decision_temperature_is_scale_invariant(a):
    assert two_delta_decision_temperature(a) / a**2 == pytest.approx(0.662985, abs=2e-6)


def test_sensitivity_against_direct_quadrature():
    # E_{p_T}[dP(+|x)/dx] with p_T the two-Gaussian mixture, integrated over x by scipy.quad
    a = 1.3
    for t in (0.3, 1.0, 2.5):

        def integrand(x, t=t):
            p = 0.5 * (np.exp(-((x - a) ** 2) / (2 * t)) + np.exp(-((x + a) ** 2) / (2 * t)))
            return p / np.sqrt(2 * np.pi * t) * (a / (2 * t)) / np.cosh(a * x / t) ** 2

        exact = quad(integrand, -30, 30, epsabs=1e-13, limit=200)[0]
        assert two_delta_decision_sensitivity(t, a) == pytest.approx(exact, rel=1e-10)


def test_entropy_at_critical_point_and_its_steepest_descent():
    # docs/theory.md §Critical instability and decisions: H(y | x_T) at T = 1 is 0.356 nats; dH/dlog T peaks at the decision T*
    assert two_delta_decision_entropy(1.0) == pytest.approx(0.35632, abs=1e-5)
    log_t = np.linspace(np.log(0.4), np.log(1.2), 4001)
    slope = np.gradient(two_delta_decision_entropy(np.exp(log_t)), log_t)
    assert np.exp(log_t[np.argmax(slope)]) == pytest.approx(0.662985, abs=2e-3)


def test_relaxation_time_diverges_as_inverse_distance_to_tc():
    a = 1.3
    t_c = a * a
    temps = t_c * (1 + np.geomspace(1e-3, 1e-1, 6))
    tau = relaxation_times(
        lambda x, t: two_delta_magnetisation(x, t, a), temps, perturbation=1e-3 * a
    )
    np.testing.assert_allclose(tau, relaxation_time_theory(temps, t_c), rtol=1e-3)


def test_lambda_max_of_four_point_set_at_origin():
    y = np.array([[2.0, 1.0], [2.0, -1.0], [-2.0, 1.0], [-2.0, -1.0]])
    chi = susceptibility(np.zeros((3, 2)), y, np.array([4.0, 2.0, 1.0]))
    np.testing.assert_allclose(lambda_max(chi), [1.0, 2.0, 4.0])


def test_finite_kick_response_tends_to_the_sensitivity():
    t = np.array([0.3, 0.66, 2.0])
    exact = two_delta_decision_sensitivity(t, 1.3)
    np.testing.assert_allclose(two_delta_kick_response(t, 1.3, 1e-4), exact, rtol=1e-7)
    # antithetic (central) difference: bias O(delta^2)
    bias = [two_delta_kick_response(t, 1.3, d) - exact for d in (0.02, 0.01)]
    np.testing.assert_allclose(bias[0] / bias[1], 4.0, rtol=1e-2)


def test_point_set_susceptibility_matches_meanfield():
    from thermodiff.instability import point_set_susceptibility

    rng = np.random.default_rng(0)
    y, x = rng.standard_normal((5, 3)), rng.standard_normal((7, 3))
    np.testing.assert_allclose(
        point_set_susceptibility(x, y, 0.7), susceptibility(x, y, 0.7), atol=1e-12
    )
