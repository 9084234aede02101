"""The rem stage (thermodiff.stages.rem): analyses of tiny pattern sets, tables, claims, values."""

import numpy as np
import pytest

from thermodiff.datasets import binary_patterns, gaussian_patterns
from thermodiff.rem import binary_critical_temperature, critical_temperature
from thermodiff.stages.rem import analyses, tables
from thermodiff.stages.rem import claims as stage_claims
from thermodiff.stages.rem import values as stage_values
from thermodiff.stages.rem.analyses import (
    gaussian_surrogate,
    memorization_analysis,
    pattern_set_analysis,
    real_data_analysis,
)
from thermodiff.stages.rem.tables import crossing_row, memorization_onsets, memorization_row


def test_gaussian_surrogate_has_the_data_covariance():
    rng = np.random.default_rng(5)
    y = rng.standard_normal((4000, 3)) @ np.array([[2.0, 0, 0], [1.0, 0.5, 0], [0, 0, 0.1]])
    z = gaussian_surrogate(rng, y)
    np.testing.assert_allclose(np.cov(z.T), np.cov(y.T), atol=0.15)


# ---------------------------------------------------------------------------------------------
# Stage-level analyses and claims on tiny inputs


def _cells(rng, kind, shapes, group, kw, replicas=2):
    """Per-dataset rows of independent pattern sets (``replicas`` per shape)."""
    rows = []
    for d, n in shapes:
        for r in range(replicas):
            y = (
                gaussian_patterns(n, d, 1.0, rng)
                if kind == "gaussian"
                else binary_patterns(n, d, rng)
            )
            cell = pattern_set_analysis(rng, y, kind, **kw) | {"replica": np.int64(r)}
            rows.append(crossing_row(cell, group))
    return rows


@pytest.fixture(scope="module")
def tiny_stage():
    rng = np.random.default_rng(3)
    ratios = np.geomspace(0.2, 5.0, 15)
    kw = dict(variance=1.0, ratios=ratios, n_cues=40, n_boot=20, width_level=0.9)
    rows = _cells(rng, "gaussian", ((10, 100), (20, 100)), "grid", kw)
    rows += _cells(rng, "gaussian", ((20, 20), (30, 90), (40, 403)), "alpha", kw)
    rows += _cells(rng, "binary", ((30, 90),), "binary", kw)
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
        | {"replica": np.int64(r)}
        for r in range(2)
        for n in (30, 100, 300)
    ]
    y = gaussian_patterns(200, 8, 1.0, rng) * np.linspace(0.2, 1.5, 8)
    digits = real_data_analysis(
        rng, y, np.geomspace(0.02, 2.0, 15), n_cues=30, n_boot=20, width_level=0.9
    )
    return rows, runs, digits


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
    at_stop = [r["memorized_at_stop"].mean() for r in runs[:3]]
    assert at_stop[0] > at_stop[-1]


def test_aggregation_over_datasets_uses_their_spread(tiny_stage):
    rows, _, _ = tiny_stage
    table = tables.aggregate_crossings(rows, 1.0)
    assert len(table) == 6 and all(r["n_datasets"] == 2 for r in table)
    first = [r for r in rows if (r["group"], r["d"], r["n"]) == ("grid", 10, 100)]
    mean = np.mean([r["crossing"] for r in first])
    sd = np.std([r["crossing"] for r in first], ddof=1)
    assert table[[r["group"] for r in table].index("grid")]["crossing"] == pytest.approx(mean)
    grid10 = next(r for r in table if (r["group"], r["d"]) == ("grid", 10))
    assert grid10["crossing_err"] == pytest.approx(sd / np.sqrt(2))
    lo, hi = grid10["band_lo"], grid10["band_hi"]
    assert lo == pytest.approx(critical_temperature(99, 10)) and hi > lo


def test_stage_claims_have_stage_prefixed_ids_and_values(tiny_stage):
    rows, runs, digits = tiny_stage
    onsets = memorization_onsets(np.random.default_rng(0), runs, variance=1.0, n_boot=20)
    summaries = {"crossings": tables.aggregate_crossings(rows, 1.0), "digits": digits}
    summaries["onsets"] = tables.aggregate_onsets(onsets)
    summaries["runs"] = [memorization_row(r) for r in runs]
    settings = {"error_multiple": 3.0, "width_level": 0.9}
    claims = stage_claims.claims(summaries, settings)
    values = stage_values.values(summaries, settings)
    ids = [c.claim_id for c in claims]
    assert ids == [
        "rem.gaussian.critical_temperature.d10.n100",
        "rem.gaussian.critical_temperature.d20.n100",
        "rem.crossover.width_slope",
        "rem.crossover.finite_size_approach",
        "rem.binary.critical_temperature",
        "rem.memorization.onset",
    ]
    assert all(c.kind == "test" for c in claims)
    cell = summaries["crossings"][[r["group"] for r in summaries["crossings"]].index("grid")]
    assert float(claims[0].predicted) == pytest.approx(
        0.5 * (cell["band_lo"] + cell["band_hi"]), rel=1e-5
    )
    assert float(claims[0].tolerance) == pytest.approx(
        0.5 * (cell["band_hi"] - cell["band_lo"]) + 3 * cell["crossing_err"], rel=1e-5
    )
    assert float(claims[3].predicted) == 0.0
    b_lo = binary_critical_temperature(np.log(89) / 30)
    assert float(claims[4].predicted) > b_lo
    assert len(claims[5].predicted.split(";")) == 1  # one dimension in the tiny memorization set
    assert values["rem.ref.d"] == 20 and values["rem.grid.dims"] == "10, 20"
    assert values["rem.grid.n_passed"] == sum(c.passed for c in claims[:2])
    assert values["rem.error_multiple"] == 3.0 and values["rem.n_datasets"] == 2
    assert values["rem.digits.spectrum_tc"] < values["rem.digits.isotropic_tc"]
    # the configuration quoted in the text, when the settings carry it
    settings |= {"settings": {"n_cues": 40}, "alpha": 0.1, "memorization": {"stop_tau": 0.5}}
    values = stage_values.values(summaries, settings)
    assert values["rem.config.n_cues"] == 40 and values["rem.config.alpha_sweep.alpha"] == 0.1
    assert values["rem.config.memorization.stop_tau"] == 0.5


def test_memorization_claim_can_fail():
    onsets = [
        {"d": 10, "n_datasets": 4, "log_n_max": 5.0, "log_n_half": 5.5, "log_n_half_err": 0.1}
    ]
    (claim,) = stage_claims.memorization_claims(onsets, {"error_multiple": 3.0})
    assert not claim.passed  # 0.5 off with tolerance 0.3
    (claim,) = stage_claims.memorization_claims(
        [{**onsets[0], "log_n_half": 5.2}], {"error_multiple": 3.0}
    )
    assert claim.passed


def test_pattern_set_cells_are_prefixes_with_their_outputs():
    patterns = np.arange(5 * 3, dtype=float).reshape(5, 3)
    cells = list(analyses.pattern_set_cells(patterns, 3, [2, 5], ["a.npz", "b.npz"]))
    assert [(n, path) for n, _, path in cells] == [(2, "a.npz"), (5, "b.npz")]
    np.testing.assert_array_equal(cells[0][1], patterns[:2])
    np.testing.assert_array_equal(cells[1][1], patterns)
    # one output is a plain string (Snakemake's named output of one file)
    [(n, y, path)] = analyses.pattern_set_cells(patterns, 3, [4], "only.npz")
    assert (n, path, y.shape) == (4, "only.npz", (4, 3))


def test_pattern_set_cells_refuse_a_short_set_or_a_miscount():
    patterns = np.zeros((5, 3))
    with pytest.raises(ValueError, match=r"set.npz: need 6 x 3 patterns, got \(5, 3\)"):
        list(analyses.pattern_set_cells(patterns, 3, [2, 6], ["a", "b"], "set.npz"))
    with pytest.raises(ValueError, match="need 2 x 4 patterns"):
        list(analyses.pattern_set_cells(patterns, 4, [2], ["a"]))
    with pytest.raises(ValueError, match="2 sizes"):
        list(analyses.pattern_set_cells(patterns, 3, [2, 3], ["a"]))
