"""The rem stage (thermodiff.stages.rem): analyses of tiny pattern sets, tables, claims, values."""

import numpy as np
import pytest

from thermodiff.datasets import binary_patterns, gaussian_patterns
from thermodiff.rem import binary_critical_temperature, critical_temperature
from thermodiff.stages import rem as stage
from thermodiff.stages.rem import (
    crossing_row,
    gaussian_surrogate,
    memorization_analysis,
    memorization_onsets,
    memorization_row,
    pattern_set_analysis,
    real_data_analysis,
)


def test_gaussian_surrogate_has_the_data_covariance():
    rng = np.random.default_rng(5)
    y = rng.standard_normal((4000, 3)) @ np.array([[2.0, 0, 0], [1.0, 0.5, 0], [0, 0, 0.1]])
    z = gaussian_surrogate(rng, y)
    np.testing.assert_allclose(np.cov(z.T), np.cov(y.T), atol=0.15)


# ---------------------------------------------------------------------------------------------
# Stage-level analyses and claims on tiny inputs


@pytest.fixture(scope="module")
def tiny_stage():
    rng = np.random.default_rng(3)
    ratios = np.geomspace(0.2, 5.0, 15)
    kw = dict(variance=1.0, ratios=ratios, n_cues=40, n_boot=20)
    grid = [
        crossing_row(
            pattern_set_analysis(rng, gaussian_patterns(n, d, 1.0, rng), "gaussian", **kw), "grid"
        )
        for d, n in ((10, 100), (20, 100))
    ]
    alpha = [
        crossing_row(
            pattern_set_analysis(rng, gaussian_patterns(n, d, 1.0, rng), "gaussian", **kw), "alpha"
        )
        for d, n in ((20, 20), (40, 403))
    ]
    binary = crossing_row(
        pattern_set_analysis(rng, binary_patterns(90, 30, rng), "binary", **kw), "binary"
    )
    runs = [
        memorization_analysis(
            rng,
            gaussian_patterns(n, 10, 1.0, rng),
            variance=1.0,
            n_generated=30,
            n_steps=30,
            t_max_ratio=20.0,
            t_min_ratio=0.02,
            stop_temperature=0.75,
            record_every=2,
            threshold=1 / 3,
            n_boot=20,
        )
        for n in (30, 100, 300)
    ]
    y = gaussian_patterns(200, 8, 1.0, rng) * np.linspace(0.2, 1.5, 8)
    digits = real_data_analysis(rng, y, np.geomspace(0.02, 2.0, 15), n_cues=30, n_boot=20)
    return grid + alpha + [binary], runs, digits


def test_pattern_set_analysis_measures_crossing_near_tc(tiny_stage):
    rows, _, _ = tiny_stage
    for row in rows:
        assert 0.7 < row["crossing_ratio"] < 1.6
        assert 0 < row["crossing_err"] < 0.5 * row["crossing"]
        assert 0 < row["y2_at_2tc"] < row["y2_at_tc"] < 1


def test_memorization_analysis_records_the_stop_temperature(tiny_stage):
    _, runs, _ = tiny_stage
    for run in runs:
        assert 0.75 in run["temperature"]
        assert run["memorized_at_stop"].shape == (30,)
        assert np.all(np.diff(run["temperature"]) > 0)
        assert 0.5 < run["onset"] / run["predicted_tc"] < 2.0
    # fewer training points -> more copies at the same stopping temperature
    at_stop = [r["memorized_at_stop"].mean() for r in runs]
    assert at_stop[0] > at_stop[-1]


def test_stage_claims_have_stage_prefixed_ids_and_values(tiny_stage):
    rows, runs, digits = tiny_stage
    onsets = memorization_onsets(np.random.default_rng(0), runs, variance=1.0, n_boot=20)
    summaries = {"crossings": rows, "onsets": onsets, "digits": digits}
    summaries["runs"] = [memorization_row(r) for r in runs]
    settings = {"tolerance": 0.5, "width_level": 0.9}
    claims = stage.claims(summaries, settings)
    values = stage.values(summaries, settings)
    ids = [c.claim_id for c in claims]
    assert ids == [
        "rem.gaussian.critical_temperature.d10.n100",
        "rem.gaussian.critical_temperature.d20.n100",
        "rem.crossover.sharpens_with_d",
        "rem.binary.critical_temperature",
        "rem.memorization.onset",
    ]
    assert all(c.kind == "test" for c in claims)
    assert claims[0].tolerance == "50%"
    assert claims[0].predicted == f"{critical_temperature(100, 10):.6g}"
    assert claims[0].measured == f"{rows[0]['crossing']:.6g}"
    assert claims[2].predicted == "<0" and float(claims[2].measured) < 0
    assert claims[3].predicted == f"{binary_critical_temperature(np.log(90) / 30):.6g}"
    assert len(claims[4].predicted.split(";")) == 1  # one dimension in the tiny memorization set
    assert values["rem.ref.d"] == 20 and values["rem.grid.dims"] == "10, 20"
    assert values["rem.grid.n_passed"] == sum(c.passed for c in claims[:2])
    assert values["rem.tolerance_percent"] == 50
    assert values["rem.digits.spectrum_tc"] < values["rem.digits.isotropic_tc"]
    # the configuration quoted in the text, when the settings carry it
    settings |= {"settings": {"n_cues": 40}, "alpha": 0.1, "memorization": {"stop_tau": 0.5}}
    values = stage.values(summaries, settings)
    assert values["rem.config.n_cues"] == 40 and values["rem.config.alpha_sweep.alpha"] == 0.1
    assert values["rem.config.memorization.stop_tau"] == 0.5


def test_half_crossing_is_where_the_curve_leaves_one_half_for_good():
    temps = np.geomspace(0.1, 10.0, 23)
    curve = 1 / (1 + (temps / 1.7) ** 3)  # logistic in log T: straight in (log T, logit)
    assert stage.half_crossing(temps, curve) == pytest.approx(1.7, rel=1e-10)
    # a dip below 1/2 that recovers is not the crossing: the last fall is
    bumpy = curve.copy()
    bumpy[3] = 0.4
    assert stage.half_crossing(temps, bumpy) == pytest.approx(1.7, rel=1e-10)
