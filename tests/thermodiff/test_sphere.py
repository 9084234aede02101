"""Hypersphere example against closed forms (docs/theory.md §Sphere)."""

import numpy as np
import pytest
from scipy.special import gammaln, iv, ive

from thermodiff import datasets
from thermodiff.critical import measure_heat_capacity_jump
from thermodiff.meanfield import (
    locate_bifurcation,
    magnetisation,
    solve_fixed_points,
    susceptibility,
)
from thermodiff.sphere import (
    bessel_ratio,
    bessel_ratio_derivative,
    goldstone_susceptibility_monte_carlo,
    log_bessel_i,
    sphere_critical_temperature,
    sphere_free_energy,
    sphere_landau_order_parameter,
    sphere_log_mgf,
    sphere_magnetisation,
    sphere_order_parameter,
    sphere_prior_kl,
    sphere_susceptibility_eigenvalues,
)

# ---------------------------------------------------------------------------------------------
# Bessel functions


@pytest.mark.parametrize("d", [1, 2, 3, 10, 64, 120])
def test_log_mgf_matches_scipy_where_representable(d):
    # g_d = Gamma(d/2) (2/kappa)^(d/2-1) I_{d/2-1}(kappa)  (DLMF 10.25.2)
    kappa = np.array([1e-3, 0.5, 3.0, 30.0, 300.0])
    expected = gammaln(d / 2) + (d / 2 - 1) * np.log(2 / kappa) + np.log(iv(d / 2 - 1, kappa))
    np.testing.assert_allclose(sphere_log_mgf(kappa, d), expected, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(
        bessel_ratio(kappa, d), iv(d / 2, kappa) / iv(d / 2 - 1, kappa), rtol=1e-12
    )


def test_one_dimensional_sphere_is_two_deltas():
    kappa = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(bessel_ratio(kappa, 1), np.tanh(kappa), atol=1e-15)
    np.testing.assert_allclose(sphere_log_mgf(kappa, 1), np.log(np.cosh(kappa)), atol=1e-14)


@pytest.mark.parametrize("nu", [50.0, 80.0, 400.0])
def test_debye_expansion_matches_scaled_bessel(nu):
    kappa = np.array([100.0, 1e3, 2e4])
    np.testing.assert_allclose(log_bessel_i(nu, kappa), np.log(ive(nu, kappa)) + kappa, rtol=1e-12)


@pytest.mark.parametrize("d", [2, 10, 784, 5000])
def test_log_mgf_is_finite_and_continuous_for_large_dimension(d):
    switch = 2 * np.sqrt(400 * (d / 2 + 400))  # series -> Bessel route
    kappa = np.array([1e-9, 1.0, switch * (1 - 1e-12), switch * (1 + 1e-12), 1e6])
    values = sphere_log_mgf(kappa, d)
    assert np.all(np.isfinite(values)) and np.all(np.diff(values) > 0)
    assert values[3] - values[2] == pytest.approx(0.0, abs=1e-7)
    assert values[0] == pytest.approx(1e-18 / (2 * d), rel=1e-6)


def test_bessel_ratio_is_derivative_of_log_mgf():
    kappa, h = np.array([0.1, 1.0, 7.0, 60.0]), 1e-6
    for d in (3, 10, 100):
        deriv = (sphere_log_mgf(kappa + h, d) - sphere_log_mgf(kappa - h, d)) / (2 * h)
        np.testing.assert_allclose(deriv, bessel_ratio(kappa, d), rtol=1e-7)
        deriv2 = (bessel_ratio(kappa + h, d) - bessel_ratio(kappa - h, d)) / (2 * h)
        # the difference quotient of A carries ~1e-14 / 1e-6 rounding error
        np.testing.assert_allclose(deriv2, bessel_ratio_derivative(kappa, d), rtol=1e-6, atol=1e-7)


# ---------------------------------------------------------------------------------------------
# Thermodynamics (docs/theory.md §Sphere)


@pytest.mark.parametrize(("d", "expected"), [(2, 0.5), (3, 1 / 3), (10, 0.1)])
def test_sphere_critical_temperature_is_r_squared_over_d(d, expected):
    # docs/theory.md §Sphere, r = 1; measured by locating the bifurcation of u = r A_d(r u / T)
    assert sphere_critical_temperature(1.0, d) == pytest.approx(expected)
    measured = locate_bifurcation(
        lambda t: sphere_order_parameter(t, 1.0, d), 0.2 * expected, 2 * expected
    )
    assert measured == pytest.approx(expected, rel=1e-8)


@pytest.mark.parametrize(
    ("d", "radius", "ratios", "expected"),
    [
        (10, np.sqrt(10), [0.5, 0.9, 0.99], [2.31157, 1.08041, 0.34592]),
        (2, 1.0, [0.5, 0.9, 0.99], [0.83146, 0.43219, 0.14095]),
        (64, 8.0, [0.9], [2.56209]),
    ],
)
def test_sphere_fixed_point_matches_physics_table(d, radius, ratios, expected):
    # docs/theory.md §Sphere
    t = np.array(ratios) * sphere_critical_temperature(radius, d)
    np.testing.assert_allclose(sphere_order_parameter(t, radius, d), expected, atol=1e-5)


def test_sphere_order_parameter_approaches_landau_form():
    t = np.array([0.999, 0.9999])
    ratio = sphere_order_parameter(t, np.sqrt(10), 10) / sphere_landau_order_parameter(
        t, np.sqrt(10), 10
    )
    np.testing.assert_allclose(ratio, 1.0, atol=2e-3)


def test_sphere_goldstone_susceptibility_is_one():
    # docs/theory.md §Sphere: d = 5, r = sqrt(5), T = 0.6
    r, d, t = np.sqrt(5), 5, 0.6
    u = sphere_order_parameter(np.array([t]), r, d)
    chi_par, chi_perp = sphere_susceptibility_eigenvalues(u, t, r, d)
    assert u[0] == pytest.approx(1.53835, abs=1e-5)
    assert chi_perp[0] == pytest.approx(1.0, abs=1e-8)
    assert chi_par[0] == pytest.approx(0.389, abs=1e-3)


def test_sphere_goldstone_susceptibility_by_monte_carlo():
    # Monte Carlo route: Cov[y | x*] / T from uniform samples, at the exact fixed point
    r, d, t = np.sqrt(5), 5, 0.6
    u = sphere_order_parameter(np.array([t]), r, d)[0]
    y = datasets.sphere_samples(20000, d, r, np.random.default_rng(7))
    estimate = goldstone_susceptibility_monte_carlo(y, u, t, n_batches=20)
    assert estimate.perp == pytest.approx(1.0, abs=4 * estimate.perp_error)
    assert estimate.perp_error < 0.02
    assert estimate.parallel == pytest.approx(0.389, abs=4 * estimate.parallel_error)


def test_empirical_fixed_point_breaks_the_goldstone_identity_at_finite_n():
    # the empirical denoiser's own minimum picks a favourable sample fluctuation: chi_perp < 1
    r, d, t = np.sqrt(5), 5, 0.6
    y = datasets.sphere_samples(20000, d, r, np.random.default_rng(7))
    sol = solve_fixed_points(y, [t], np.eye(d)[0])
    chi = susceptibility(sol.x, y, t)[0]
    tangent = np.linalg.qr(np.column_stack([sol.x[0], np.eye(d)[:, 1:]]))[0][:, 1:]
    assert np.linalg.eigvalsh(tangent.T @ chi @ tangent).max() < 1.0


def test_sphere_magnetisation_matches_point_data_limit():
    r, d, t = 1.0, 3, 0.2
    y = datasets.sphere_samples(200000, d, r, np.random.default_rng(1))
    x = np.array([[0.3, 0.1, -0.2]])
    np.testing.assert_allclose(magnetisation(x, y, t), sphere_magnetisation(x, t, r), atol=5e-3)


def test_sphere_free_energy_temperature_derivative_is_prior_kl():
    u, t, h = np.array([0.2, 0.9]), 0.3, 1e-6
    deriv = (sphere_free_energy(u, t + h, 1.0, 4) - sphere_free_energy(u, t - h, 1.0, 4)) / (2 * h)
    np.testing.assert_allclose(deriv, sphere_prior_kl(u, t, 1.0, 4), rtol=1e-6)


@pytest.mark.parametrize("d", [1, 3, 10])
def test_sphere_heat_capacity_jump_is_d_plus_two_over_two(d):
    # docs/theory.md §Sphere: Delta C = (d + 2) / 2 (alpha = 0)
    r = 1.0
    t_c = sphere_critical_temperature(r, d)

    def kl(t):
        return sphere_prior_kl(sphere_order_parameter(t, r, d), t, r, d)

    jump = measure_heat_capacity_jump(kl, t_c, (1e-4, 1e-2), n_points=8)
    assert jump.jump == pytest.approx((d + 2) / 2, abs=0.01)
