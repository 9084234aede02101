"""Critical exponents of the two-delta model measured by log-log fits (docs/theory.md
§Critical exponents)."""

import numpy as np
import pytest

from thermodiff.critical import (
    measure_beta,
    measure_delta,
    measure_gamma,
    measure_heat_capacity_jump,
)
from thermodiff.meanfield import two_delta_order_parameter, two_delta_prior_kl


def order_parameter(t, h):
    return two_delta_order_parameter(t, 1.0, h)


def test_two_delta_exponent_beta_is_one_half():
    # docs/theory.md §Critical exponents: slope of log x* vs log(T_c - T) on 1 - T in [1e-6, 1e-3]
    fit = measure_beta(order_parameter, 1.0, (1e-6, 1e-3))
    assert fit.slope == pytest.approx(0.5, abs=0.01)
    assert fit.amplitude == pytest.approx(np.sqrt(3), rel=5e-3)


def test_two_delta_order_parameter_amplitude():
    # docs/theory.md §Critical exponents
    x = two_delta_order_parameter(np.array([0.999]))[0]
    assert x / np.sqrt(3 * 1e-3) == pytest.approx(0.9996, abs=5e-3)


def test_two_delta_exponent_delta_is_three():
    # docs/theory.md §Critical exponents: x* ~ (3h)^(1/3) at T_c for h in [1e-9, 1e-5]
    fit = measure_delta(order_parameter, 1.0, (1e-9, 1e-5))
    assert fit.slope == pytest.approx(1 / 3, abs=0.01)
    assert fit.amplitude / 3 ** (1 / 3) == pytest.approx(1.0, abs=0.01)


def test_two_delta_exponent_gamma_and_amplitude_ratio():
    # docs/theory.md §Critical exponents: dressed susceptibility ~ 1/eps above, 1/(2 eps) below
    gamma = measure_gamma(order_parameter, 1.0, (1e-6, 1e-3))
    assert gamma.above.slope == pytest.approx(-1.0, abs=0.01)
    assert gamma.below.slope == pytest.approx(-1.0, abs=0.01)
    assert gamma.above.amplitude == pytest.approx(1.0, abs=0.02)
    assert gamma.below.amplitude == pytest.approx(0.5, abs=0.02)
    assert gamma.ratio == pytest.approx(2.0, abs=0.02)


def test_two_delta_heat_capacity_jump_is_three_halves():
    # docs/theory.md §Critical exponents: C = -T d^2 F*/dT^2 jumps from 0 to 3/2 (alpha = 0)
    def kl(t):
        return two_delta_prior_kl(two_delta_order_parameter(t), t)

    jump = measure_heat_capacity_jump(kl, 1.0, (1e-4, 1e-2))
    assert jump.jump == pytest.approx(1.5, abs=0.01)
    assert jump.above == pytest.approx(0.0, abs=1e-9)
