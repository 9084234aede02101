"""The dynamics stage end to end on small, non-default settings (a = 1.3, M = [50, 2000],
Hopfield d = [12, 20]): every claim is produced for the configured values and passes."""

import numpy as np
import pytest

from thermodiff.datasets import factorized_four_point
from thermodiff.stages.dynamics import baths, decisions, recall
from thermodiff.stages.dynamics import claims as stage_claims
from thermodiff.stages.dynamics import values as stage_values

KICKS = {
    "t_start": 1.5,
    "t_end": 0.02,
    "n_steps": 60,
    "t_low": 0.33,
    "t_high": 1.3,
    "n": 6,
    "delta": 0.1,
    "n_trajectories": 3000,
    "chunk_size": 1500,
    "window": 0.7,
}
ENSEMBLE = {"t_max": 25.0, "t_min": 1e-2, "n_steps": 60, "n_trajectories": 100, "n_record": 6}
_HALF = np.random.default_rng(1).standard_normal((30, 5))
SYMMETRIC = np.concatenate([_HALF, -_HALF])  # a small set with the y -> -y symmetry
SETTINGS = {
    "two_delta": {
        "t_max": 25.0,
        "t_min": 1e-3,
        "n_steps": 200,
        "n_trajectories": 2000,
        "n_record": 6,
        "chunk_size": 1000,
        "ks_alpha": 0.01,
        "free_energy": {"t_start": 25.0, "ode_steps": [200, 800], "n_trajectories": 20, "n_fan": 5},
        "kicks": KICKS,
        "relaxation": {"eps_min": 1e-3, "eps_max": 1e-1, "n": 4, "perturbation": 1e-3, "ds": 0.25},
    },
    "four_point": {**ENSEMBLE, "kicks": KICKS},
    "sphere": {**ENSEMBLE, "d": 4},
    "bath": {
        "sizes": [50, 2000],
        "n_chains": 200,
        "n_sweeps": 300,
        "burn_factor": 10,
        "density_ratios": [2.0, 1.0],
        "n_grid": 801,
        "above": {"ratio": 2.0, "m": 200, "n_burn": 50},
        "single_site": {
            "t_max": 10.0,
            "t_min": 1e-3,
            "n_sweeps": 100,
            "n_chains": 1000,
            "ks_alpha": 0.01,
        },
    },
    "hopfield": {
        "dims": [12, 20],
        "pattern_variance": 1.0,
        "cue_variance": 1.0,
        "n_cues": 40,
        "n_sizes": 5,
        "spread": 1.0,
        "n_identity": 3,
        "landscape_temperatures": [1.0],
    },
}


@pytest.fixture(scope="module")
def summaries():
    a, seed, n_boot, s = 1.3, 5, 30, SETTINGS
    return {
        "two_delta": decisions.two_delta_summary(a, s["two_delta"], seed=seed, n_boot=n_boot),
        "four_point": decisions.four_point_summary(
            factorized_four_point(2.0, 1.0), s["four_point"], seed=seed, n_boot=n_boot
        ),
        "sphere": decisions.sphere_summary(4, 1.0, s["sphere"], seed=seed),
        "digits": decisions.digits_summary(SYMMETRIC, {**ENSEMBLE, "n_trajectories": 8}, seed=seed),
        "baths": [baths.bath_summary(a, m, s["bath"], seed=seed) for m in s["bath"]["sizes"]],
        "bath_above": baths.bath_above_summary(a, s["bath"], seed=seed),
        "hopfield": [
            recall.hopfield_summary(d, s["hopfield"], seed=seed, n_boot=n_boot)
            for d in s["hopfield"]["dims"]
        ],
    }


def test_claims_follow_the_configuration_and_pass(summaries):
    claims = {c.claim_id: c for c in stage_claims.claims(summaries, {"n_sigma": 4})}
    for key in ("bath.x2_at_tc.m50", "bath.x2_at_tc.m2000", "hopfield.capacity.d12"):
        assert f"dynamics.{key}" in claims
    assert "dynamics.hopfield.capacity.d20" in claims
    assert float(claims["dynamics.two_delta.decision_temperature"].predicted) == pytest.approx(
        0.662985 * 1.3**2, rel=1e-5
    )
    assert float(claims["dynamics.bath.x2_at_tc.m50"].predicted) / 1.3**2 == pytest.approx(
        0.180487, abs=1e-5
    )
    failed = [c for c in claims.values() if not c.passed]
    assert not failed, [(c.claim_id, c.predicted, c.measured, c.tolerance) for c in failed]


def test_values_are_quotable(summaries):
    from thermodiff.macros import values_tex

    values = stage_values.values(summaries, {"n_sigma": 4})
    assert values["dynamics.two_delta.a"] == 1.3
    assert values["dynamics.bath.sizes"] == "50, 2000"
    assert values["dynamics.hopfield.dims"] == "12, 20"
    from thermodiff.meanfield import symmetric_critical_temperature

    assert values["dynamics.digits.t_c"] == pytest.approx(symmetric_critical_temperature(SYMMETRIC))
    assert "\\tdset{dynamics.two_delta.decision_ratio}" in values_tex(values)


def test_peak_with_error_recovers_a_known_peak():
    rng = np.random.default_rng(0)
    temps = np.geomspace(0.3, 3.0, 15)
    exact = np.exp(-0.5 * np.log(temps) ** 2 / 0.5)  # peak at T = 1
    values = exact[:, None] + 0.01 * rng.standard_normal((15, 400))
    out = decisions.peak_with_error(rng, temps, values, exact, window=0.7, n_boot=50)
    assert abs(out["peak"] - 1.0) < 4 * out["peak_err"] + abs(out["peak_exact_grid"] - 1.0)
    assert out["peak_err"] < 0.05


def test_single_site_bath_is_ordinary_generation(summaries):
    """M = 1 annealed to ~0 and the reverse SDE both end on the two deltas +-a = +-1.3 with half
    the mass at +a (binomial error), spread sqrt(T_end) about them and the exact final law (KS)."""
    s = summaries["bath_above"]
    n = int(s["single_n"])
    assert float(s["single_t_end"]) == pytest.approx(1e-3 * 1.3**2)
    for route in ("bath", "sde"):
        assert abs(float(s[f"single_{route}_plus"]) - 0.5) < 4 * 0.5 / np.sqrt(n)
        assert float(s[f"single_{route}_abs_dev"]) == pytest.approx(
            float(s["single_abs_dev_exact"]), rel=0.2
        )
        assert float(s[f"single_{route}_ks"]) < float(s["single_ks_critical"])
    claims = {c.claim_id: c for c in stage_claims.claims(summaries, {"n_sigma": 4})}
    claim = claims["dynamics.bath.single_site_is_generation"]
    assert claim.kind == "test"
    assert float(claim.tolerance) == pytest.approx(4 * 0.5 / np.sqrt(n))
