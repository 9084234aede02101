"""Random-energy thermodynamics of sampled datasets (docs/theory.md §Random energy model and memorization)."""

import numpy as np
import pytest

from thermodiff.datasets import binary_patterns, gaussian_patterns
from thermodiff.dynamics import geometric_temperatures
from thermodiff.estimators import crossing_width, half_crossing
from thermodiff.rem import (
    annealed_crossover_width,
    annealed_own_weight,
    binary_condensation_rate,
    binary_critical_temperature,
    binary_kl_per_coordinate,
    capacity,
    critical_temperature,
    critical_temperature_large_d,
    critical_temperature_spectrum,
    cue_sweep,
    log_capacity,
    memorization_run,
    memorized_fraction,
    rem_participation,
)

# ---------------------------------------------------------------------------------------------
# Formulas (docs/theory.md §Random energy model and memorization)


def _printed(text):
    """A number as printed in the spec and half a unit of its last printed digit."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text), 0.5 * 10.0**-decimals


@pytest.mark.parametrize(
    ("dim", "n_points", "exact", "large_d"),
    [
        (2, 100, "0.010101", "0.2171"),
        (2, 1000, "0.001001", "0.1448"),
        (8, 1000, "0.2163", "0.5791"),
        (64, 1797, "3.7897", "4.2702"),
        (64, 1e4, "2.9983", "3.4744"),
        (100, 1e4, "4.9440", "5.4287"),
        (784, 6e4, "35.13", "35.63"),
        (3072, 5e4, "141.46", "141.96"),
        (12288, 1e5, "533.16", "533.66"),
    ],
)
def test_rem_critical_temperature_table(dim, n_points, exact, large_d):
    # docs/theory.md §Random energy model and memorization: T_c = s^2 / (N^{2/d} - 1) and s^2 d / (2 ln N),
    # equal to the printed digits
    for value, text in (
        (critical_temperature(n_points, dim), exact),
        (critical_temperature_large_d(n_points, dim), large_d),
    ):
        expected, half_unit = _printed(text)
        assert abs(value - expected) <= half_unit


def test_rem_critical_temperature_row21_and_scale():
    values = critical_temperature([1797, 1e4, 6e4], [64, 100, 784])
    assert np.all(np.abs(values - [3.7897, 4.9440, 35.13]) <= [5e-5, 5e-5, 5e-3])
    # T_c is proportional to the data variance s^2
    assert critical_temperature(1e4, 100, s2=2.5) == pytest.approx(2.5 * values[1], rel=1e-14)


def test_rem_large_d_limit_row22_converges_at_fixed_n():
    assert critical_temperature_large_d(5e4, 3072) == pytest.approx(141.96, abs=5e-3)
    assert critical_temperature(5e4, 3072) == pytest.approx(141.46, abs=5e-3)
    # the difference tends to s^2/2 (next order of the expansion), the ratio to 1
    dims = np.array([1e3, 1e4, 1e5])
    gap = critical_temperature_large_d(5e4, dims) - critical_temperature(5e4, dims)
    np.testing.assert_allclose(gap, 0.5, atol=0.01)


def test_rem_binary_patterns_critical_temperature_row23():
    # alpha = E_z g((1 + sigma z) / sigma^2), g(u) = u tanh u - log cosh u
    assert binary_critical_temperature(0.1) == pytest.approx(4.5117, abs=1e-3)
    for alpha, expected in [(0.01, 49.5016), (0.05, 9.5069), (0.2, 2.0167), (0.3, 1.1834)]:
        assert binary_critical_temperature(alpha) == pytest.approx(expected, abs=1e-3)
    # small alpha: binary and Gaussian (s^2 = 1) condensation coincide, T_c -> 1 / (2 alpha)
    assert binary_critical_temperature(1e-3) == pytest.approx(1 / np.expm1(2e-3), rel=1e-4)


def test_binary_kl_limits():
    u = np.array([0.0, 1e-3, 50.0, 1e4])
    g = binary_kl_per_coordinate(u)
    np.testing.assert_allclose(g[:2], [0.0, 0.5e-6], atol=1e-12)  # g ~ u^2 / 2
    np.testing.assert_allclose(g[2:], np.log(2.0), rtol=1e-12)  # g -> log 2 (one bit)
    rate = binary_condensation_rate(np.geomspace(1e-2, 1e3, 30))
    assert np.all(np.diff(rate) < 0)
    assert binary_condensation_rate(1e-3) == pytest.approx(np.log(2.0), rel=1e-6)


def test_capacity_row29_is_two_to_the_32():
    # N_max = (1 + s^2 / sigma^2)^{d/2}, d = 64, sigma^2 = s^2 = 1
    assert capacity(1.0, 64) == pytest.approx(2.0**32, rel=1e-12)
    assert log_capacity(1.0, 64) == pytest.approx(32 * np.log(2.0), rel=1e-15)
    # capacity and condensation temperature are inverse functions of each other
    for t in (0.3, 2.0, 11.0):
        assert critical_temperature(capacity(t, 50), 50) == pytest.approx(t, rel=1e-10)


def test_rem_participation_frozen_phase_values():
    # docs/theory.md §Random energy model and memorization: d = 100, N = 1e4, E[Y2] = 1 - mu at T/T_c = 0.8, 0.6, 0.4, 0.2
    tc = critical_temperature(1e4, 100)
    y2 = rem_participation(tc * np.array([0.8, 0.6, 0.4, 0.2]), 1e4, 100)
    np.testing.assert_allclose(y2, [0.117, 0.252, 0.419, 0.641], atol=1e-3)
    # mu = 1 exactly at T_c; zero above; -> 1 as T -> 0
    np.testing.assert_allclose(rem_participation([tc, 2 * tc], 1e4, 100), 0.0, atol=1e-10)
    assert rem_participation(1e-4 * tc, 1e4, 100) == pytest.approx(1.0, abs=1e-3)


def test_annealed_own_weight_is_half_at_tc():
    n, d = 2000.0, 60.0
    t_half = 1.0 / np.expm1(2 * np.log(n - 1) / d)
    assert annealed_own_weight(t_half, n, d) == pytest.approx(0.5, rel=1e-12)
    assert t_half == pytest.approx(critical_temperature(n, d), rel=2e-3)
    # width: at fixed N it shrinks with d towards ln((ln N + ln 9) / (ln N - ln 9)) (N -> N - 1);
    # at fixed alpha it falls as 1/d
    widths = [annealed_crossover_width(n, dd) for dd in (25, 100, 400, 1e6)]
    assert np.all(np.diff(widths) < 0)
    limit = np.log((np.log(n - 1) + np.log(9)) / (np.log(n - 1) - np.log(9)))
    assert widths[-1] == pytest.approx(limit, rel=1e-4)
    w40 = annealed_crossover_width(np.exp(4.0), 40)
    w80 = annealed_crossover_width(np.exp(8.0), 80)
    assert w40 / w80 == pytest.approx(2.0, rel=0.1)


# ---------------------------------------------------------------------------------------------
# Simulations (loose tolerances: finite-d Monte Carlo)


def test_rem_collapse_crossover_row24_alpha_0p1_d100():
    # alpha = 0.1, d = 100, N = e^10: median own-point weight crosses 1/2 at T/T_c in [0.8, 1.5]
    rng = np.random.default_rng(24)
    d, n = 100, int(round(np.exp(10.0)))
    y = gaussian_patterns(n, d, 1.0, rng)
    tc = critical_temperature(n, d)
    ratios = np.geomspace(0.5, 2.5, 13)
    idx = rng.choice(n, 120, replace=False)
    sweep = cue_sweep(rng, y, y[idx], ratios * tc, own_index=idx)
    median = np.median(sweep["own_weight"], axis=1)
    assert np.all(np.diff(median) < 0)
    ratio = half_crossing(ratios, median)
    assert 0.8 <= ratio <= 1.5


def test_rem_participation_row25_decreases_with_t_and_is_small_above_tc():
    rng = np.random.default_rng(25)
    d, n = 100, 10_000
    y = gaussian_patterns(n, d, 1.0, rng)
    tc = critical_temperature(n, d)
    ratios = np.array([0.2, 0.4, 0.6, 0.8, 1.0, 2.0])
    sweep = cue_sweep(rng, y, gaussian_patterns(100, d, 1.0, rng), ratios * tc)
    y2 = sweep["participation"].mean(axis=1)
    assert np.all(np.diff(y2) < 0)
    assert y2[4] == pytest.approx(0.2, abs=0.1)  # at T_c (spec: 0.205)
    assert 0.02 < y2[5] < 0.12  # at 2 T_c (spec: 0.051)
    # deep in the frozen phase the simulated Y2 approaches the REM value 1 - mu
    assert y2[0] == pytest.approx(rem_participation(0.2 * tc, n, d), abs=0.1)


def test_rem_crossover_sharpens_with_d_at_fixed_alpha():
    # at fixed alpha = ln N / d the crossover narrows (annealed theory: width ~ 1/d)
    rng = np.random.default_rng(7)
    ratios = np.geomspace(0.3, 4.0, 25)
    widths = []
    for d in (40, 80):
        n = int(round(np.exp(0.1 * d)))
        y = gaussian_patterns(n, d, 1.0, rng)
        idx = rng.integers(0, n, 150)
        sweep = cue_sweep(rng, y, y[idx], ratios * critical_temperature(n, d), own_index=idx)
        widths.append(crossing_width(ratios, np.median(sweep["own_weight"], axis=1)))
    assert widths[1] < 0.8 * widths[0]


def test_rem_binary_patterns_condense_near_their_critical_temperature():
    rng = np.random.default_rng(23)
    d, n = 60, int(round(np.exp(6.0)))
    y = binary_patterns(n, d, rng)
    assert set(np.unique(y)) == {-1.0, 1.0}
    tc = binary_critical_temperature(np.log(n) / d)
    ratios = np.geomspace(0.5, 2.5, 13)
    idx = rng.choice(n, 120, replace=False)
    sweep = cue_sweep(rng, y, y[idx], ratios * tc, own_index=idx)
    assert 0.8 <= half_crossing(ratios, np.median(sweep["own_weight"], axis=1)) <= 1.5


def test_rem_memorization_onset_in_generative_dynamics():
    # Generation with the exact empirical score: outputs become copies of training points when the
    # trajectory cools through T_c (memorization = condensation).
    rng = np.random.default_rng(11)
    d, n = 25, 300
    y = gaussian_patterns(n, d, 1.0, rng)
    tc = critical_temperature(n, d)
    temps = geometric_temperatures(20 * tc, 0.02 * tc, 60)
    out = memorization_run(rng, y, 80, temps, record=temps[:-1:3])
    assert out["nn_ratio"].shape == (20, 80)
    frac = memorized_fraction(out["nn_ratio"])
    assert frac[0] > 0.9 and frac[-1] < 0.1  # cold: copies; hot: blends of many points
    assert 0.5 <= half_crossing(out["temperature"], frac) / tc <= 2.0


def test_spectral_critical_temperature_reduces_to_isotropic_formula():
    # (1/2) sum_i log(1 + lambda_i / T) = ln N with lambda_i = s^2 gives s^2 / (N^{2/d} - 1)
    assert critical_temperature_spectrum(1e4, np.full(100, 2.0)) == pytest.approx(
        critical_temperature(1e4, 100, 2.0), rel=1e-12
    )
    # zero eigenvalues do not contribute: d = 10 directions out of 64 carry the variance
    lam = np.r_[np.ones(10), np.zeros(54)]
    assert critical_temperature_spectrum(300, lam) == pytest.approx(
        critical_temperature(300, 10), rel=1e-12
    )


def test_crossing_band_brackets_tc_and_shrinks_like_one_over_d():
    from thermodiff.rem import critical_temperature, crossing_band

    lower, upper = crossing_band(22026, 100)
    assert lower == pytest.approx(critical_temperature(22025, 100))
    assert upper == pytest.approx(critical_temperature(11012.5, 100))
    assert lower < upper
    # log-width -> 2 log 2 (1 + T_c / s^2) / d at fixed alpha = ln N / d
    alpha = 0.1
    for d in (1000, 4000):
        n = np.exp(alpha * d)
        lo, hi = crossing_band(n, d)
        t_c = critical_temperature(n, d)
        assert np.log(hi / lo) * d == pytest.approx(2 * np.log(2) * (1 + t_c), rel=1e-2)
