"""The shared estimators: crossing (three interpolations, two rules), peak, bootstrap."""

import numpy as np
import pytest

from thermodiff.estimators import (
    bootstrap,
    crossing,
    crossing_width,
    fit_power_law,
    half_crossing,
    logit,
    peak,
)


def test_linear_crossing_is_exact_for_a_straight_line():
    s = np.linspace(0.0, 2.0, 21)
    assert crossing(s, 1.0 - 0.4 * s, 0.5) == pytest.approx(1.25, rel=1e-14)
    assert crossing(s, 0.4 * s, 0.5) == pytest.approx(1.25, rel=1e-14)  # rising too
    assert np.isnan(crossing(s, s, 5.0))
    assert crossing(s, s, 0.3) == pytest.approx(0.3)  # a grid point exactly at the level
    assert crossing(s, np.where(s < 1.0, 0.5, 0.2), 0.5) == 0.0  # flat at the level: its start


def test_log_crossing_is_exact_for_a_line_in_log_x():
    temps = np.geomspace(0.01, 100.0, 17)
    curve = 2.0 - 0.5 * np.log(temps)  # crosses 1 at T = e^2
    assert crossing(temps, curve, 1.0, interpolation="log") == pytest.approx(np.e**2, rel=1e-12)
    # the linear interpolation between the same grid points is biased
    assert crossing(temps, curve, 1.0) != pytest.approx(np.e**2, rel=1e-3)


def test_logit_crossing_recovers_a_logistic_crossover_and_its_width():
    temps = np.geomspace(0.1, 10, 23)
    curve = 1 / (1 + (temps / 1.7) ** 3)  # logistic in log T, 1/2 at T = 1.7
    assert crossing(temps, curve, 0.5, interpolation="logit") == pytest.approx(1.7, rel=1e-10)
    # width between 0.9 and 0.1: (2 ln 9) / 3 in log T
    assert crossing_width(temps, curve) == pytest.approx(2 * np.log(9) / 3, rel=1e-10)
    flat = 0.4 * np.ones(23)
    assert np.isnan(crossing(temps, flat, 0.5, interpolation="logit", rule="last_fall"))
    np.testing.assert_allclose(logit([0.0, 0.5, 1.0]), [np.log(1e-3 / 0.999), 0.0, np.log(999)])


def test_rules_pick_the_first_interval_or_the_last_fall():
    x = np.arange(8.0)
    y = np.array([1.0, 0.2, 0.9, 0.8, 0.7, 0.3, 0.1, 0.0])  # dips below 1/2 once, then falls
    assert crossing(x, y, 0.5) == pytest.approx(0.625)  # first: between 0 and 1
    assert crossing(x, y, 0.5, rule="last_fall") == pytest.approx(4.5)
    # a curve still above the level at the end of the grid has no last fall
    assert np.isnan(crossing(x, y[::-1], 0.5, rule="last_fall"))
    with pytest.raises(ValueError, match="interpolation"):
        crossing(x, y, 0.5, interpolation="cubic")
    with pytest.raises(ValueError, match="rule"):
        crossing(x, y, 0.5, rule="middle")


def test_peak_refines_the_grid_maximum():
    s = np.linspace(0.0, 2.0, 21)
    assert peak(s, -((s - 0.73) ** 2)) == pytest.approx(0.73)
    assert peak(s, s) == 2.0  # at the end of the grid: the grid maximum
    ripple = np.linspace(0.0, 2.0, 41)
    values = -((ripple - 0.9) ** 2) + 0.01 * np.cos(40.0 * ripple)  # grid-scale ripple
    assert peak(ripple, values, window=0.5) == pytest.approx(0.9, abs=0.01)


def test_bootstrap_is_deterministic_and_small_for_many_samples():
    rng = np.random.default_rng(0)
    temps = np.geomspace(0.5, 2.0, 15)
    shifts = np.exp(0.1 * rng.standard_normal(400))
    values = 1 / (1 + (temps[:, None] / shifts[None]) ** 4)  # (K, B)

    def half(curve):
        return crossing(temps, curve, 0.5, interpolation="logit", rule="last_fall")

    a = bootstrap(np.random.default_rng(1), half, values, 50, reducer=np.median)
    b = bootstrap(np.random.default_rng(1), half, values, 50, reducer=np.median)
    assert a == b
    assert a[0] == pytest.approx(1.0, abs=0.03) and 0 < a[1] < 0.03


def test_bootstrap_error_of_a_mean_is_the_standard_error():
    rng = np.random.default_rng(2)
    values = rng.standard_normal((1, 2000))  # one grid point, 2000 samples of N(0, 1)
    estimate, error = bootstrap(rng, lambda c: float(c[0]), values, 400)
    assert estimate == pytest.approx(values.mean())
    assert error == pytest.approx(1 / np.sqrt(2000), rel=0.15)


def test_bootstrap_error_is_nan_when_too_few_resamplings_are_finite():
    values = np.ones((3, 10))
    calls = iter(range(100))

    def sometimes(curve):  # the estimate, then 2 finite of 20 resamplings
        return 1.0 if next(calls) < 3 else float("nan")

    _, error = bootstrap(np.random.default_rng(0), sometimes, values, 20, min_finite=0.5)
    assert np.isnan(error)
    calls = iter(range(100))
    _, error = bootstrap(np.random.default_rng(0), sometimes, values, 20)
    assert error == 0.0  # two finite values suffice without min_finite


def test_fit_power_law_recovers_exact_power_and_skips_non_positive_pairs():
    x = np.geomspace(1e-3, 1, 10)
    fit = fit_power_law(x, 2.5 * x**0.75)
    assert (fit.slope, fit.amplitude, fit.residual) == pytest.approx((0.75, 2.5, 0.0), abs=1e-12)
    assert fit.window == pytest.approx((1e-3, 1.0))
    x = np.array([10.0, 20.0, 40.0, 80.0])
    assert fit_power_law(x, 3.0 * x**-1.1).slope == pytest.approx(-1.1, rel=1e-12)
    skipped = fit_power_law([1.0, 2.0, np.nan, 4.0, 8.0], [1.0, 4.0, 5.0, 16.0, 0.0])
    assert skipped.slope == pytest.approx(2.0) and skipped.n_points == 3


def test_line_fit_recovers_line_and_textbook_errors():
    from thermodiff.estimators import line_fit

    x = np.array([0.0, 1.0, 2.0, 3.0])
    coef, err = line_fit(x, 2.0 * x + 1.0, np.full(4, 0.5))
    np.testing.assert_allclose(coef, [2.0, 1.0])
    # unweighted textbook errors scaled by sigma: se(slope) = sigma / sqrt(sum (x - xbar)^2)
    np.testing.assert_allclose(err[0], 0.5 / np.sqrt(5.0))
    np.testing.assert_allclose(err[1], 0.5 * np.sqrt(1 / 4 + 1.5**2 / 5.0))
    assert np.isnan(line_fit([1.0], [1.0], [1.0])[0]).all()


def test_half_crossing_is_where_the_curve_leaves_one_half_for_good():
    temps = np.geomspace(0.1, 10.0, 23)
    curve = 1 / (1 + (temps / 1.7) ** 3)  # logistic in log T: straight in (log T, logit)
    assert half_crossing(temps, curve) == pytest.approx(1.7, rel=1e-10)
    # a dip below 1/2 that recovers is not the crossing: the last fall is
    bumpy = curve.copy()
    bumpy[3] = 0.4
    assert half_crossing(temps, bumpy) == pytest.approx(1.7, rel=1e-10)
