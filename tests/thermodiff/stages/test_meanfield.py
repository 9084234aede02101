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
    coupling = {"coupling": 0.3, "predicted": 1 / 0.7, "measured": 1 / 0.7, "ladder_dims": [100]}
    chain = {
        "coupling": 0.5,
        "predicted": 2.718281828,
        "largest_length": 64,
        "finite": {"64": {"lambda_max": 2.718281828}},
    }
    claims = ising_claims([coupling], chain)
    assert (
        claims[0].claim_id
        == f"meanfield.ising.critical_temperature.b{coupling_label(0.3)}"
        == ("meanfield.ising.critical_temperature.b0.3")
    )
    assert all(c.passed for c in claims)
