"""Claims of the mean-field stage (thermodiff.stages.meanfield) are judged with tolerances set by the method (not the result)."""

import pytest

from thermodiff.stages import coupling_label
from thermodiff.stages.meanfield import ising_claims, sphere_claims, two_delta_claims


def fit(slope, window):
    return {"slope": slope, "amplitude": 1.0, "window": window, "residual": 0.0, "n_points": 5}


EXPONENTS = {
    "beta": fit(0.5001, [1e-6, 1e-3]),
    "gamma_above": fit(-0.9999, [1e-6, 1e-3]),
    "gamma_below": fit(-1.0003, [1e-6, 1e-3]),
    "gamma_ratio": 2.0,
    "delta": fit(1 / 3, [1e-9, 1e-5]),
    "heat_capacity": {"jump": 1.5, "below": 1.5, "above": 0.0, "window": [1e-4, 1e-2]},
}


def test_two_delta_claim_ids_and_exponent_tolerance_follow_the_fit_window():
    claims = two_delta_claims({"predicted": 1.0, "measured": 1.0 + 1e-12}, EXPONENTS)
    ids = [c.claim_id for c in claims]
    assert ids == [
        "meanfield.two_delta.critical_temperature",
        "meanfield.two_delta.exponent_beta",
        "meanfield.two_delta.exponent_gamma",
        "meanfield.two_delta.gamma_amplitude_ratio",
        "meanfield.two_delta.exponent_delta",
        "meanfield.two_delta.heat_capacity_jump",
    ]
    assert all(c.passed for c in claims)
    beta = claims[1]
    assert float(beta.tolerance) == pytest.approx(10 * 1e-3 * 0.5)


def test_wrong_exponent_fails():
    wrong = {**EXPONENTS, "beta": fit(0.55, [1e-6, 1e-3])}
    claims = two_delta_claims({"predicted": 1.0, "measured": 1.0}, wrong)
    assert not claims[1].passed


def test_sphere_and_ising_claims_are_named_after_their_parameters():
    sphere = {
        "d": 7,
        "radius": 1.0,
        "predicted": 1 / 7,
        "measured": 1 / 7,
        "predicted_jump": 4.5,
        "heat_capacity": {"jump": 4.5, "window": [1e-4, 1e-2]},
    }
    goldstone = {
        "d": 5,
        "temperature_ratio": 0.6,
        "monte_carlo": {"perp": 1.01, "perp_error": 0.01},
    }
    ids = [c.claim_id for c in sphere_claims([sphere], goldstone)]
    assert ids == [
        "meanfield.sphere.critical_temperature.d7",
        "meanfield.sphere.heat_capacity_jump.d7",
        "meanfield.sphere.goldstone_susceptibility",
    ]
    coupling = {
        "coupling": 0.3,
        "predicted": 1 / 0.7,
        "measured": 1 / 0.7,
        "ladder_dims": [100],
        "data_d": 100,
        "data_tc": 1.4,
        "bifurcation": 1.4 * (1 + 1e-10),
    }
    chain = {
        "coupling": 0.5,
        "predicted": 2.718281828,
        "largest_length": 64,
        "finite": {"64": {"lambda_max": 2.718281828}},
        "bifurcation": {"length": 12, "predicted": 2.71777, "measured": 2.71777 * (1 + 1e-9)},
    }
    claims = ising_claims([coupling], chain)
    assert [c.claim_id for c in claims] == [
        f"meanfield.ising.bifurcation.b{coupling_label(0.3)}",
        "meanfield.ising.critical_temperature.b0.3",
        "meanfield.ising.chain_bifurcation",
        "meanfield.ising.chain_critical_temperature",
    ]
    assert [c.kind for c in claims] == ["test", "consistency", "test", "consistency"]
    assert all(c.passed for c in claims)
    off = ising_claims([{**coupling, "bifurcation": 1.4 * (1 + 1e-6)}], chain)
    assert not off[0].passed  # 10 window^3 = 1e-8 relative


def _simplex_summary(q, predicted, measured):
    return {
        "q": q,
        "radius": (q - 1) ** 0.5,
        "predicted": predicted,
        "measured": measured,
        "rel_tol": 1e-10,
        "hessian_step": 1e-4,
        "symmetric_threshold": 1e-3,
        "free_energy_threshold": 1e-13,
        "n_starts": 8,
        "grid_step": 0.005,
        "vertex_alignment": 1.0,
        "cooling_jump_temperature": 0.995,
        "heating_jump_temperature": 1.095,
    }


def test_simplex_claims_judge_each_closed_form_with_the_resolution_of_its_measurement():
    from thermodiff import simplex as sx
    from thermodiff.stages.meanfield import simplex_claims, simplex_values

    summaries = []
    for q in (2, 3):
        r = (q - 1) ** 0.5
        pred = {
            "instability_temperature": sx.instability_temperature(q, r),
            "transition_temperature": sx.transition_temperature(q, r),
            "spinodal_temperature": sx.spinodal_temperature(q, r),
            "order_parameter_jump": sx.order_parameter_jump(q, r),
        }
        meas = {k: v * (1 + 1e-9) for k, v in pred.items()}
        meas["order_parameter_jump"] += 1e-3 if q == 2 else 0.0  # q = 2: x* at the T resolution
        summaries.append(_simplex_summary(q, pred, meas))
    claims = simplex_claims(summaries)
    assert len(claims) == 8 and all(c.passed for c in claims)
    assert claims[4].claim_id == "meanfield.simplex.q3.instability_temperature"
    wrong = dict(summaries[1], measured={**summaries[1]["measured"], "transition_temperature": 1.0})
    assert not simplex_claims([wrong])[1].passed  # T_1 taken at T_sym: off by 8 %
    values = simplex_values(summaries, claims)
    assert values["meanfield.simplex.qs"] == "2, 3" and values["meanfield.simplex.n_passed"] == 8
