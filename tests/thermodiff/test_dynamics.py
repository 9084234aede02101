"""Reverse-time dynamics against closed forms (physics.md §5)."""

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
