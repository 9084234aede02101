"""Reverse-time dynamics against closed forms (docs/theory.md §Reverse dynamics)."""

import numpy as np

from thermodiff.dynamics import gaussian_noise, geometric_temperatures, reverse_sde


def gaussian_denoiser(s2):
    # Data N(0, s2): E[y | x, T] = s2 / (s2 + T) x
    return lambda x, t: s2 / (s2 + t) * x


def test_reverse_sde_reproduces_gaussian_data_variance():
    s2, t_max = 2.0, 200.0
    rng = np.random.default_rng(0)
    x = rng.standard_normal((20000, 1)) * np.sqrt(s2 + t_max)
    temps = geometric_temperatures(t_max, 1e-4, 2000)
    out = reverse_sde(gaussian_denoiser(s2), x, temps, gaussian_noise(rng, x.shape))
    # marginal at T_min is N(0, s2 + 1e-4); MC error of a variance with 2e4 samples ~ 1 %
    assert abs(out.var() - s2) < 0.05 * s2


def test_probability_flow_maps_quantiles_to_quantiles():
    # The ODE transports N(0, s2 + T) to N(0, s2 + T') by the scale sqrt((s2 + T')/(s2 + T)).
    s2 = 1.0
    temps = geometric_temperatures(50.0, 0.01, 4000)
    x = np.array([[1.0], [-2.0]])
    out = reverse_sde(gaussian_denoiser(s2), x, temps, noise=None)
    expected = x * np.sqrt((s2 + 0.01) / (s2 + 50.0))
    np.testing.assert_allclose(out, expected, rtol=2e-3)


def test_callback_sees_every_temperature():
    seen = []
    temps = geometric_temperatures(4.0, 0.5, 3)
    reverse_sde(
        lambda x, t: x, np.zeros((1, 1)), temps, None, callback=lambda k, t, x: seen.append(t)
    )
    np.testing.assert_allclose(seen, temps)


# --- ensembles with exact scores (two deltas) -------------------------------------------------

from thermodiff.dynamics import (  # noqa: E402
    free_energy_increments,
    kick_sensitivity,
    ks_critical_value,
    ks_distance,
    sample_noised,
    sample_paths,
    two_delta_cdf,
)
from thermodiff.instability import two_delta_decision_sensitivity  # noqa: E402
from thermodiff.meanfield import two_delta_free_energy, two_delta_magnetisation  # noqa: E402


def two_delta_denoiser(a):
    return lambda x, t: two_delta_magnetisation(x, t, a)


def test_reverse_sde_samples_the_two_delta_posterior_mean():
    # From a fixed x at T the exact reverse SDE ends at +-a with p(+a | x) = (1 + tanh(ax/T)) / 2,
    # so the mean outcome is the posterior mean a tanh(ax/T).
    a, x_t, t = 1.3, 0.4, 0.9
    n = 8000
    temps = geometric_temperatures(t, 1e-4, 400)
    final, _ = sample_paths(two_delta_denoiser(a), np.full((n, 1), x_t), temps, seed=3)
    expected = a * np.tanh(a * x_t / t)
    # outcomes are +-a: standard error a sqrt(1 - tanh^2) / sqrt(n); 4 sigma
    assert abs(final.mean() - expected) < 4 * a / np.sqrt(n)
    assert np.allclose(np.abs(final), a, atol=0.05)


def test_reverse_sde_keeps_the_heat_kernel_marginal():
    a, n = 1.0, 6000
    rng = np.random.default_rng(0)
    temps = geometric_temperatures(25.0, 1e-3, 800)
    x0 = sample_noised(np.array([[a], [-a]]), temps[0], n, rng)
    record = [200, 400, 600]
    _, rec = sample_paths(two_delta_denoiser(a), x0, temps, seed=1, record=record, chunk_size=2500)
    limit = ks_critical_value(n, 0.001)
    for j, k in enumerate(record):
        assert ks_distance(rec[j, :, 0], lambda x, k=k: two_delta_cdf(x, temps[k], a)) < limit


def test_sample_paths_is_deterministic_and_its_ode_is_reverse_sde():
    temps = geometric_temperatures(4.0, 0.1, 50)
    x0 = np.zeros((10, 1))
    a1, _ = sample_paths(two_delta_denoiser(1.0), x0, temps, seed=5, chunk_size=10)
    a2, _ = sample_paths(two_delta_denoiser(1.0), x0, temps, seed=5, chunk_size=10)
    np.testing.assert_array_equal(a1, a2)
    ode, _ = sample_paths(two_delta_denoiser(1.0), x0 + 0.1, temps, seed=5, sde=False, chunk_size=3)
    ode2 = reverse_sde(two_delta_denoiser(1.0), x0 + 0.1, temps, None)
    np.testing.assert_allclose(ode, ode2)


def test_free_energy_never_increases_along_the_probability_flow():
    # docs/theory.md §Reverse dynamics: two deltas, T from 25 to 1e-3
    a = 1.0
    temps = geometric_temperatures(25.0, 1e-3, 4000)
    x0 = np.linspace(-6, 6, 200)[:, None]
    _, rec = sample_paths(
        two_delta_denoiser(a), x0, temps, seed=0, sde=False, record=range(len(temps))
    )
    f = two_delta_free_energy(rec[..., 0], temps[:, None], a)
    assert free_energy_increments(f).max() <= 1e-9
    assert np.abs(f[-1]).max() < 1e-2  # F -> 0 as the posterior collapses on one point


def test_ks_distance_matches_scipy():
    from scipy.stats import kstest, norm

    x = np.random.default_rng(2).standard_normal(500)
    assert abs(ks_distance(x, norm.cdf) - kstest(x, norm.cdf).statistic) < 1e-12


def test_kick_sensitivity_matches_the_exact_response():
    a, n = 1.0, 6000
    rng = np.random.default_rng(4)
    temps = geometric_temperatures(9.0, 1e-3, 300)
    x0 = sample_noised(np.array([[a], [-a]]), temps[0], n, rng)
    kicks = [np.argmin(np.abs(temps - t)) for t in (2.0, 0.66, 0.2)]
    s = kick_sensitivity(
        two_delta_denoiser(a), x0, temps, kicks, delta=0.05, direction=np.ones(1), seed=7
    )
    mean, err = s.mean(axis=0), s.std(axis=0) / np.sqrt(n)
    exact = two_delta_decision_sensitivity(temps[kicks], a)
    assert np.all(np.abs(mean - exact) < 4 * err + 0.01 * exact)
