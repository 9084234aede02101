"""Exact Curie-Weiss sampling (docs/theory.md §Diffused Ising data)."""

import numpy as np
import pytest

from thermodiff.ising import (
    curie_weiss_second_moment,
    curie_weiss_sector_log_weights,
    sample_curie_weiss,
)


def test_sector_weights_normalised():
    assert np.exp(curie_weiss_sector_log_weights(30, 0.7)).sum() == pytest.approx(1.0)


def test_finite_d_curie_weiss_second_moment_matches_brute_force_value():
    assert curie_weiss_second_moment(12, 0.5) == pytest.approx(1.75136, abs=1e-4)


def test_uncoupled_spins_have_unit_second_moment():
    assert curie_weiss_second_moment(50, 0.0) == pytest.approx(1.0)


def test_sector_sampler_reproduces_exact_second_moment():
    rng = np.random.default_rng(1)
    y = sample_curie_weiss(40, 0.75, 40000, rng)
    assert set(np.unique(y)) == {-1, 1}
    m2 = (y.sum(axis=1).astype(float) ** 2).mean() / 40
    # std of M^2/d over 4e4 samples is about 1 %
    assert m2 == pytest.approx(curie_weiss_second_moment(40, 0.75), rel=0.04)
    # within a sector, spins are exchangeable: every site has mean ~ 0
    assert np.abs(y.mean(axis=0)).max() < 0.05


# ---------------------------------------------------------------------------------------------
# Generative transition of diffused Ising data (docs/theory.md §Diffused Ising data)

import itertools  # noqa: E402

from thermodiff.ising import (  # noqa: E402
    chain_correlations,
    chain_covariance,
    chain_critical_temperature,
    curie_weiss_critical_temperature,
    curie_weiss_finite_critical_temperature,
    curie_weiss_homogeneous_fixed_point,
    curie_weiss_infinite_magnetisation,
    extrapolate_in_inverse_dimension,
)
from thermodiff.meanfield import solve_fixed_points  # noqa: E402


def all_configurations(d):
    return np.array(list(itertools.product([-1.0, 1.0], repeat=d)))


@pytest.mark.parametrize(
    ("coupling", "limit", "finite"),
    [(0.25, 4 / 3, 1.3333), (0.5, 2.0, 1.9996), (0.75, 4.0, 3.9952), (0.9, 10.0, 9.912)],
)
def test_curie_weiss_critical_temperature(coupling, limit, finite):
    # docs/theory.md §Diffused Ising data: 1 / (1 - beta0 J) as d -> inf; exact d = 1e4 values from sectors
    assert curie_weiss_critical_temperature(coupling) == pytest.approx(limit)
    assert curie_weiss_finite_critical_temperature(10_000, coupling) == pytest.approx(
        finite, abs=1e-3
    )
    dims = [10_000, 20_000, 40_000, 80_000, 160_000]
    values = [curie_weiss_finite_critical_temperature(d, coupling) for d in dims]
    extrapolated, _ = extrapolate_in_inverse_dimension(dims, values)
    assert extrapolated == pytest.approx(limit, rel=1e-4)


def test_finite_d_critical_temperature_is_top_covariance_eigenvalue_by_enumeration():
    # docs/theory.md §Diffused Ising data: brute force over all 2^12 configurations
    y = all_configurations(12)
    log_w = 0.5 * y.sum(axis=1) ** 2 / (2 * 12)
    w = np.exp(log_w - log_w.max())
    w /= w.sum()
    cov = (y.T * w) @ y
    assert np.linalg.eigvalsh(cov)[-1] == pytest.approx(1.75136, abs=1e-4)
    assert curie_weiss_finite_critical_temperature(12, 0.5) == pytest.approx(
        np.linalg.eigvalsh(cov)[-1], rel=1e-12
    )


def test_homogeneous_fixed_point_matches_point_data_solver():
    # docs/theory.md §Diffused Ising data: u* = 0 at 1.05 T_c, 0.308 at 0.95 T_c, 0.600 at 0.8 T_c (d = 12, 0.5)
    d, coupling = 12, 0.5
    t_c = curie_weiss_finite_critical_temperature(d, coupling)
    temps = np.array([1.05, 0.95, 0.8]) * t_c
    u = curie_weiss_homogeneous_fixed_point(temps, d, coupling)
    np.testing.assert_allclose(u, [0.0, 0.308, 0.600], atol=1e-3)
    y = all_configurations(d)
    sol = solve_fixed_points(
        y, temps, np.full(d, 0.5), log_prior=coupling * y.sum(1) ** 2 / (2 * d)
    )
    np.testing.assert_allclose(sol.x.mean(axis=1), u, atol=1e-8)
    np.testing.assert_allclose(sol.x.std(axis=1), 0.0, atol=1e-8)


def test_infinite_dimension_magnetisation_vanishes_at_closed_form_critical_temperature():
    t_c = curie_weiss_critical_temperature(0.5)
    m = curie_weiss_infinite_magnetisation(np.array([t_c * 1.001, t_c * 0.999]), 0.5)
    assert m[0] < 1e-12 and m[1] > 0.01


def test_chain_transfer_matrix_matches_closed_form_and_brute_force():
    # docs/theory.md §Diffused Ising data: S(0) = exp(2 beta0 J) for L -> inf; 2.71777 at L = 12
    coupling, length = 0.5, 12
    t = np.tanh(coupling)
    j = np.arange(length)
    np.testing.assert_allclose(
        chain_correlations(length, coupling), (t**j + t ** (length - j)) / (1 + t**length)
    )
    y = all_configurations(length)
    log_w = coupling * (y * np.roll(y, 1, axis=1)).sum(axis=1)
    w = np.exp(log_w - log_w.max())
    w /= w.sum()
    cov = (y.T * w) @ y
    np.testing.assert_allclose(chain_covariance(length, coupling), cov, atol=1e-12)
    assert chain_critical_temperature(coupling, length) == pytest.approx(2.717766, abs=1e-4)
    assert np.linalg.eigvalsh(cov)[-1] == pytest.approx(chain_critical_temperature(coupling, 12))
    assert chain_critical_temperature(coupling) == pytest.approx(np.e)


def test_empirical_sector_weights_of_exact_samples_give_the_finite_d_critical_temperature():
    from thermodiff.ising import empirical_sector_log_weights, homogeneous_fixed_point

    d, coupling = 30, 0.5
    y = sample_curie_weiss(d, coupling, 50000, np.random.default_rng(3))
    log_w = empirical_sector_log_weights(y)
    spins = (2 * np.arange(d + 1) - d) ** 2 / d
    # <M^2>/d has a relative standard error of about 1 % at this sample size
    assert np.exp(log_w) @ spins == pytest.approx(
        curie_weiss_finite_critical_temperature(d, coupling), rel=0.04
    )
    # above T_c the homogeneous fixed point of the samples is (nearly) zero; below it the tilted
    # law exp(u M / T) weights the sparsely sampled tail, a finite-sample effect
    assert homogeneous_fixed_point(np.array([3.0]), log_w)[0] < 0.05
    # far below T_c the samples' fixed point memorises the most magnetised sampled sector
    top = np.abs(y.sum(axis=1)).max() / d
    assert homogeneous_fixed_point(np.array([0.01]), log_w)[0] == pytest.approx(top, abs=1e-6)


def test_chain_configurations_reproduce_transfer_matrix_covariance():
    from thermodiff.ising import chain_configurations, chain_covariance

    y, log_w = chain_configurations(8, 0.5)
    assert y.shape == (256, 8)
    np.testing.assert_allclose(np.exp(log_w).sum(), 1.0)
    np.testing.assert_allclose((y.T * np.exp(log_w)) @ y, chain_covariance(8, 0.5), atol=1e-12)
