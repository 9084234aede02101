"""The generative bath against docs/theory.md §Heat bath."""

import numpy as np
import pytest

from thermodiff.bath import (
    above_tc_relative_correction,
    above_tc_variance,
    anneal_two_delta,
    batch_means,
    critical_amplitude,
    gibbs_two_delta,
    two_delta_bath_grid,
    two_delta_bath_moment,
)


@pytest.mark.parametrize(("m", "expected"), [(100, 0.12448), (1000, 0.03776), (10000, 0.01178)])
def test_x2_at_tc_by_quadrature(m, expected):
    assert two_delta_bath_moment(1.0, 1.0, m) == pytest.approx(expected, abs=1e-4)


def test_x2_above_tc_by_quadrature_and_its_law():
    exact = two_delta_bath_moment(2.0, 1.0, 1000)
    assert exact == pytest.approx(0.003996, abs=1e-6)
    law = above_tc_variance(2.0, 1.0, 1000)
    assert law == pytest.approx(0.004)
    corrected = law * (1 + above_tc_relative_correction(2.0, 1.0, 1000))
    assert exact == pytest.approx(corrected, rel=1e-4)


def test_scale_invariance_and_critical_amplitude():
    a = 1.3
    assert two_delta_bath_moment(a * a, a, 100) / a**2 == pytest.approx(0.12448, abs=1e-4)
    assert critical_amplitude() == pytest.approx(1.1708, abs=1e-4)
    # <ybar^2> = <x^2> - T/M approaches amp / sqrt(M) (0.01168 vs 0.01171 at M = 1e4)
    m = 10000
    assert (two_delta_bath_moment(1.0, 1.0, m) - 1.0 / m) * np.sqrt(m) == pytest.approx(
        critical_amplitude(), rel=5e-3
    )


def test_density_is_normalised_and_localises_below_tc():
    x, p = two_delta_bath_grid(0.5, 1.0, 2000)
    assert np.trapezoid(p, x) == pytest.approx(1.0, abs=1e-12)
    # below T_c the mass sits at +-x*(0.5) = +-0.957504 (docs/theory.md §Two-delta model)
    assert np.trapezoid(np.abs(x) * p, x) == pytest.approx(0.957504, abs=2e-3)


@pytest.mark.parametrize(("t", "m"), [(1.0, 100), (2.0, 1000)])
def test_gibbs_sampler_agrees_with_quadrature(t, m):
    rng = np.random.default_rng(11)
    x = gibbs_two_delta(t, 1.0, m, n_chains=400, n_sweeps=1000, n_burn=300, rng=rng)
    mean, err = batch_means(x**2)
    assert abs(mean - two_delta_bath_moment(t, 1.0, m)) < 4 * err


def test_anneal_at_fixed_temperature_keeps_the_bath_law():
    """A constant "anneal" is plain Gibbs sampling: M = 1 keeps p_T (<x^2> = a^2 + T), M = 50
    keeps p_T^M (the quadrature moment)."""
    rng = np.random.default_rng(3)
    a, t, n = 1.3, 1.3**2, 20000
    x0 = a * np.sign(rng.standard_normal(n)) + np.sqrt(t) * rng.standard_normal(n)
    x = anneal_two_delta(np.full(30, t), a, 1, x0, rng)
    assert np.mean(x**2) == pytest.approx(a * a + t, abs=4 * np.std(x**2) / np.sqrt(n))
    x = anneal_two_delta(np.full(400, t), a, 50, x0, rng)
    exact = two_delta_bath_moment(t, a, 50)
    assert np.mean(x**2) == pytest.approx(exact, abs=4 * np.std(x**2) / np.sqrt(n))


def test_single_site_anneal_to_zero_ends_on_the_data():
    """M = 1 annealed to T -> 0 ends at +-a with equal weights and Gaussian spread sqrt(T_end)."""
    rng = np.random.default_rng(4)
    a, n = 0.7, 4000
    temps = np.geomspace(10 * a * a, 1e-4 * a * a, 200)
    x0 = a * np.sign(rng.standard_normal(n)) + np.sqrt(temps[0]) * rng.standard_normal(n)
    x = anneal_two_delta(temps, a, 1, x0, rng)
    assert abs((x > 0).mean() - 0.5) < 4 * 0.5 / np.sqrt(n)
    assert np.std(np.abs(x) - a) == pytest.approx(np.sqrt(temps[-1]), rel=4 / np.sqrt(2 * n))
