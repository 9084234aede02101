"""Claims of the mean-field stage (thermodiff.stages.meanfield) are judged with tolerances set by the method (not the result)."""

import numpy as np
import pytest

from thermodiff import meanfield as mf
from thermodiff.stages import coupling_label
from thermodiff.stages.meanfield import cascades, ising, sphere
from thermodiff.stages.meanfield.claims import ising_claims, sphere_claims, two_delta_claims


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
    from thermodiff.stages.meanfield.claims import simplex_claims
    from thermodiff.stages.meanfield.values import simplex_values

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


# ---- summary builders


def test_four_point_cascade_locates_both_bifurcations_at_the_squared_half_widths():
    y = np.array([[sa * 2.0, sb * 1.0] for sa in (1, -1) for sb in (1, -1)])
    temperatures = np.geomspace(8.0, 0.1, 40)
    arrays, summary = cascades.four_point_cascade(y, temperatures)
    assert summary["predicted"] == pytest.approx([4.0, 1.0])
    assert summary["measured"] == pytest.approx([4.0, 1.0], rel=1e-6)
    assert summary["all_converged"]
    assert arrays["x"].shape == (40, 2) and np.all(arrays["temperature"] == temperatures)
    # above a^2 both components vanish; between b^2 and a^2 only the first is broken
    between = (temperatures < 4.0) & (temperatures > 1.0)
    assert np.all(np.abs(arrays["x"][temperatures > 4.05]) < 1e-6)
    assert np.all(np.abs(arrays["x"][between & (temperatures < 3.9), 0]) > 1e-3)
    assert np.all(np.abs(arrays["x"][between & (temperatures > 1.05), 1]) < 1e-6)


def test_digits_cascade_on_symmetrised_points_bifurcates_where_predicted():
    rng = np.random.default_rng(0)
    raw = rng.normal(size=(12, 3)) + np.array([0.5, 0.0, 0.0])
    symmetric = np.vstack([raw, -raw])
    arrays, summary = cascades.digits_cascade(
        raw, symmetric, np.geomspace(20.0, 0.05, 30), tol=1e-12, n_scan=8
    )
    pred, meas = summary["predicted"], summary["measured"]
    equal = mf.equalise_norms(symmetric)
    assert pred["symmetric_equal_norm"] == pytest.approx(
        np.linalg.eigvalsh(equal.T @ equal / len(equal))[-1], rel=1e-12
    )
    assert meas["symmetric_equal_norm"] == pytest.approx(pred["symmetric_equal_norm"], rel=1e-6)
    assert meas["symmetric"] == pytest.approx(pred["symmetric"], rel=1e-6)
    peak = summary["raw"]
    assert peak["max_lambda_max"] >= peak["grid_max_lambda_max"] == arrays["raw_lambda_max"].max()
    assert peak["covariance_top_eigenvalue"] == pytest.approx(
        np.linalg.eigvalsh(np.cov(raw.T, bias=True))[-1]
    )
    assert set(arrays) == {"temperature"} | {
        f"{v}_{k}"
        for v in ("raw", "symmetric", "symmetric_equal_norm")
        for k in ("norm", "lambda_max")
    }


def test_sphere_solution_gives_r2_over_d_the_jump_and_beta_one_half():
    arrays, summary = sphere.sphere_solution(3, 2.0, (0.5, 1.5, 21), (1e-4, 1e-2), (1e-6, 1e-3))
    assert summary["predicted"] == pytest.approx(4.0 / 3.0)
    assert summary["measured"] == pytest.approx(4.0 / 3.0, rel=1e-8)
    assert summary["predicted_jump"] == 2.5
    assert summary["heat_capacity"]["jump"] == pytest.approx(2.5, abs=10 * 2.5 * 1e-4)
    assert summary["beta"]["slope"] == pytest.approx(0.5, rel=1e-2)
    above = arrays["temperature"] > 4.0 / 3.0
    assert np.all(arrays["order_parameter"][above] < 1e-12)
    assert np.isnan(arrays["heat_capacity"]).sum() <= 1  # only a grid point at T_c itself


def test_diffused_ising_solution_extrapolates_to_one_over_one_minus_coupling():
    rng = np.random.default_rng(1)
    y = rng.choice([-1.0, 1.0], size=(500, 8))
    arrays, summary = ising.diffused_ising_solution(
        y, 0.5, [10000, 20000, 40000, 80000, 160000], [4], (0.1, 1.6, 11)
    )
    assert summary["predicted"] == pytest.approx(2.0)
    assert summary["measured"] == pytest.approx(2.0, rel=1e-6)
    assert sorted(summary["finite"], key=int) == ["4", "8"]
    assert summary["empirical_tc"] == pytest.approx(np.mean(y.sum(axis=1) ** 2) / 8)
    assert summary["data_tc"] == summary["finite"]["8"]
    assert summary["bifurcation"] == pytest.approx(summary["data_tc"], rel=1e-6)
    assert summary["data_d"] == 8 and summary["data_n_samples"] == 500
    assert {"finite_d4", "finite_d8", "empirical", "infinite"} <= set(arrays)
    assert arrays["temperature"] == pytest.approx(2.0 * np.linspace(0.1, 1.6, 11))


def test_ising_chain_summary_lambda_max_is_the_structure_factor_at_k0():
    summary = ising.ising_chain_summary(0.5, [6, 40])
    assert summary["predicted"] == pytest.approx(np.exp(1.0))
    assert summary["largest_length"] == 40
    for finite in summary["finite"].values():
        assert finite["lambda_max"] == pytest.approx(finite["structure_factor"], rel=1e-12)
    bifurcation = summary["bifurcation"]
    assert bifurcation["length"] == 6
    assert bifurcation["predicted"] == summary["finite"]["6"]["structure_factor"]
    assert bifurcation["measured"] == pytest.approx(bifurcation["predicted"], rel=1e-6)
    assert summary["finite"]["40"]["structure_factor"] == pytest.approx(
        np.exp(1.0), rel=10 * np.tanh(0.5) ** 40
    )


def test_simplex_generation_claim_compares_the_commit_temperature_with_the_bridge():
    from thermodiff.stages.meanfield.claims import simplex_generation_claims
    from thermodiff.stages.meanfield.values import simplex_values

    def run(q, measured):
        pred = {
            "instability_temperature": 1.0,
            "transition_temperature": 1.08,
            "spinodal_temperature": 1.09,
            "order_parameter_jump": 0.5,
        }
        s = _simplex_summary(q, pred, pred)
        s["generation"] = {
            "n_paths": 400,
            "n_steps": 200,
            "t_start": 3.0,
            "level": 0.25,
            "predicted_crossing": 2.25,
            "measured_crossing": measured,
            "crossing_standard_error": 0.04,
            "grid_step": 0.06,
        }
        return s

    claims = simplex_generation_claims([run(2, 2.0), run(3, 2.2)])
    assert [c.claim_id for c in claims] == ["meanfield.simplex.q3.generation_commit_temperature"]
    assert claims[0].passed and claims[0].kind == "test"  # |2.2 - 2.25| < 3 * 0.04 + 2 * 0.06
    assert not simplex_generation_claims([run(3, 1.08)])[0].passed  # commits at T_1: fails
    values = simplex_values([run(3, 2.2)], claims)
    assert values["meanfield.simplex.ref.generation.measured"] == 2.2


# ---- the builders the mean-field scripts call (two deltas, simplex, Goldstone, Gaussian control)


def test_two_delta_solution_locates_the_closed_form_critical_temperature():
    from thermodiff.stages.meanfield.two_delta import check_two_delta_data, two_delta_solution

    a = 1.3
    landscape, pitchfork, critical = two_delta_solution(
        a, [2.0, 0.5], 2.0, 21, {"t_min": 0.05, "t_max": 2.0, "n": 30}, [0.01, 0.1]
    )
    assert critical["predicted"] == pytest.approx(a**2, rel=1e-14)
    assert critical["measured"] == pytest.approx(a**2, rel=1e-6)
    assert landscape["x"][0] == pytest.approx(-2.0 * a) and landscape["x"].shape == (21,)
    above, below = landscape["order_parameter"]
    assert above == 0.0 and 0.0 < below < a  # T = 2 T_c symmetric, T = T_c / 2 broken
    assert pitchfork["majority"].shape == (2, 30)
    assert np.all(pitchfork["majority"] >= pitchfork["minority"] - 1e-12)  # equal above T_c
    check_two_delta_data(np.array([[a], [-a]]), a)
    with pytest.raises(ValueError, match="data.two_delta.a"):
        check_two_delta_data(np.array([[1.0], [-1.0]]), a)


def test_two_delta_exponents_are_the_mean_field_ones():
    from thermodiff.stages.meanfield.two_delta import two_delta_exponents

    arrays, summary = two_delta_exponents(1.0, 1.0, [1e-6, 1e-3], [1e-9, 1e-5], [1e-4, 1e-2], 8)
    assert summary["beta"]["slope"] == pytest.approx(0.5, abs=1e-3)
    assert summary["delta"]["slope"] == pytest.approx(1.0 / 3.0, abs=1e-3)
    assert summary["gamma_ratio"] == pytest.approx(2.0, rel=1e-2)
    assert arrays["beta_eps"].shape == (8,)


def test_simplex_solution_measures_the_closed_form_transitions():
    from thermodiff.simplex import simplex_vertices
    from thermodiff.stages.meanfield.simplex import simplex_solution

    q = 3
    y = simplex_vertices(q, np.sqrt(q - 1.0))
    generation = {"n_paths": 50, "n_steps": 40, "t_start": 3.0, "t_end": 0.01, "seed": 1}
    grid = {"t_min": 0.6, "t_max": 1.5, "n": 31}
    arrays, summary = simplex_solution(y, q, 1.0, [0.5, 2.5], 8, 1e-9, grid, generation)
    for key, predicted in summary["predicted"].items():
        assert summary["measured"][key] == pytest.approx(predicted, rel=1e-6), key
    assert summary["q"] == 3 and summary["generation"]["n_paths"] == 50
    assert arrays["temperature"].shape == (31,) and int(arrays["q"]) == 3
    assert summary["radius"] == float(np.linalg.norm(y, axis=1).max())  # the config's radius
    with pytest.raises(ValueError, match="not q = 4"):
        simplex_solution(y, 4, 1.0, [0.5, 2.5], 8, 1e-9, grid, generation)


def test_goldstone_summary_has_a_flat_tangential_direction():
    from thermodiff.datasets import sphere_samples
    from thermodiff.stages.meanfield.sphere import goldstone_summary

    y = sphere_samples(400, 3, 1.0, np.random.default_rng(3))
    summary = goldstone_summary(y, 1.0, 0.5, 5)
    assert summary["closed_form"]["chi_perp"] == pytest.approx(1.0, rel=1e-9)
    assert summary["d"] == 3 and summary["n_samples"] == 400
    assert 0.0 < summary["fixed_point_radius"] < 1.0


def test_gaussian_control_never_breaks_symmetry():
    from thermodiff.stages.meanfield.cascades import gaussian_control

    y = np.random.default_rng(4).standard_normal((200, 4)) * [2.0, 1.0, 0.5, 0.1]
    arrays, summary = gaussian_control(y, 1e-2, 1e2, 5)
    assert summary["max_lambda_max"] < 1.0
    assert summary["max_deviation_from_closed_form"] < 1e-8
    assert arrays["temperature"].shape == (5,)
