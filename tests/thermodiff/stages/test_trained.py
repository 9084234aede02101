"""The trained stage (thermodiff.stages.trained): training sets, grids, probe summaries, claims."""

import numpy as np
import pytest
import torch

from thermodiff import markers as M
from thermodiff.datasets import two_cluster
from thermodiff.stages.trained import claims as stage_claims
from thermodiff.stages.trained import denoiser_factories, grids, probe_runs, training_sets
from thermodiff.stages.trained import values as stage_values

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def digits_like():
    # three "classes" of 8-dim data: a quick stand-in for the centred digits
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1, 2], 40)
    centres = rng.standard_normal((3, 8))
    y = centres[labels] + 0.3 * rng.standard_normal((120, 8))
    return y - y.mean(axis=0), labels


def test_mixture_set_has_the_predicted_top_eigenvalue_and_markers():
    y, labels, mu = two_cluster(4000, 16, 3.0, 1.0, np.random.default_rng(0))
    train = training_sets.training_set("mixture", y, labels, mu=mu, variance=1.0)
    # lambda_max = |mu|^2 + s^2 = 10 up to sampling error (~2 % for 4000 points), but the
    # mean-field T_c is |mu|^2 - s^2 = 8 (lambda_max(chi(0)) = 1), and the decision marker is the
    # mixture's own susceptibility peak
    assert train["lambda_max"] == pytest.approx(10.0, rel=0.05)
    assert train["t_ref"] == pytest.approx(8.0)
    np.testing.assert_allclose(train["direction"], mu / 3.0)
    assert train["markers"]["T_meanfield"] == pytest.approx(8.0)
    assert train["markers"]["T_decision"] == pytest.approx(M.mixture_decision_temperature(3.0, 1.0))
    assert train["markers"]["lambda_max"] == train["lambda_max"]


def test_digit_sets_recentre_subsets_and_keep_the_parent_scale(digits_like):
    y, labels = digits_like
    two = training_sets.training_set("digits01", y, labels)
    assert len(two["y"]) == 80 and set(two["labels"]) == {0, 1}
    np.testing.assert_allclose(two["y"].mean(axis=0), 0.0, atol=1e-12)
    assert two["classifier"] == "sign" and two["n_classes"] == 2
    sub = training_sets.training_set("digitsN10", y, labels, subset_seed=3)
    again = training_sets.training_set("digitsN10", y, labels, subset_seed=3)
    np.testing.assert_array_equal(sub["y"], again["y"])  # the subset depends only on its seed
    assert len(sub["y"]) == 10
    assert sub["t_ref"] == pytest.approx(M.covariance_spectrum(y)[0])  # the parent's T_c
    with pytest.raises(ValueError, match="unknown training set"):
        training_sets.training_set("cifar", y, labels)


def test_grid_helpers():
    temps = grids.sampler_temperatures(2.0, 20.0, 1e-3, 100)
    assert temps[0] == pytest.approx(40.0) and temps[-1] == pytest.approx(2e-3)
    inside = grids.indices_in_window(temps, 2.0, 0.1, 3.0, every=2)
    assert all(0.2 < temps[k] < 6.0 for k in inside) and np.all(np.diff(inside) == 2)
    picked = grids.nearest_indices(temps, [1.0, 1.01, 0.1])
    assert len(picked) == 2 and picked == sorted(picked)


def test_branching_summary_on_the_exact_mixture_finds_the_closed_form_peak():
    y, labels, mu = two_cluster(2000, 4, 2.0, 0.5, np.random.default_rng(1))
    train = training_sets.training_set("mixture", y, labels, mu=mu, variance=0.5)
    cfg = {"seed": 0, "n_steps": 100, "n_trajectories": 4000, "branch_window": [0.1, 3.0]}
    cfg |= {"branch_every": 2, "kick": 0.5, "peak_window": 0.3, "n_bootstrap": 50}
    noise = {"t_max_over_tc": 20.0, "t_min_over_tc": 1e-3}
    curves, scalars = probe_runs.run_branching(
        denoiser_factories.exact_denoiser(train), train, noise, cfg
    )
    theory, closed = probe_runs.mixture_theory(train, curves["T"].min(), curves["T"].max())
    # 3 bootstrap SE plus the branch spacing: the estimator is unbiased for exact scores up to the
    # finite kick and the Euler steps (tests/thermodiff/test_probes.py)
    assert abs(scalars["peak_s"] - closed["peak_s"]) < 3 * scalars["peak_se"] + scalars["spacing"]
    assert abs(scalars["phi_cross_s"] - closed["phi_cross_s"]) < (
        3 * scalars["phi_cross_se"] + scalars["spacing"]
    )
    assert 0.4 < scalars["class_balance"] < 0.6


def test_own_weight_crossing_of_isotropic_patterns_is_near_the_rem_temperature():
    # N = 200 Gaussian patterns in d = 20: T_c = s^2 / (N^(2/d) - 1) = 0.3497 (docs/theory.md §Random energy model and memorization);
    # the median own weight crosses 1/2 within the finite-size band of the rem stage
    from thermodiff.rem import critical_temperature

    y = np.random.default_rng(4).standard_normal((200, 20))
    t_own = probe_runs.own_weight_crossing(y, 1.0, seed=0)
    assert t_own == pytest.approx(critical_temperature(200, 20), rel=0.5)


# ---------------------------------------------------------------------------------------------
# Claims and values on small synthetic summaries


def _seed(peak, peak_se, cross, cross_se, spacing=0.02):
    return {"peak_s": peak, "peak_se": peak_se, "phi_cross_s": cross, "phi_cross_se": cross_se,
            "spacing": spacing, "class_balance": 0.5}  # fmt: skip


@pytest.fixture()
def summaries():
    markers = {
        name: {"dataset": name, "n": n, "dim": d, "markers": M.analytic_markers(lam)}
        for name, n, d, lam in (("mixture", 2000, 16, 10.0), ("digits01", 360, 64, 5.0))
    }
    branching = {
        "mixture": {
            "seed0": _seed(1.20, 0.010, 1.18, 0.02),
            "seed1": _seed(1.24, 0.020, 1.22, 0.02),
            "exact": _seed(1.21, 0.015, 1.19, 0.01),
            "theory": {"peak_s": 1.215, "phi_cross_s": 1.199},
        },
        "digits01": {"seed0": _seed(0.95, 0.030, 0.9, 0.05), "exact": _seed(0.97, 0.01, 0.9, 0.05)},
    }

    def _c(t_class, t_identity, se=0.1):
        return {"T_class": t_class, "T_identity": t_identity, "T_class_se": se,
                "T_identity_se": se}  # fmt: skip

    commitment = {
        "digits01": {
            "seed0": _c(2.3, 1.0),
            "seed1": _c(2.1, 0.8),
            "exact": _c(2.2, 0.9),
            "theory": _c(2.25, 0.92, 0.05),
        }
    }
    runs = [
        {"dataset": name, "seed": seed, "device": "cpu", "wall_time_s": 10.0 + seed,
         "final_loss_last100": 0.1 * (1 + seed), "n_parameters": 1234, "training": {"steps": 150}}
        for name in markers
        for seed in (0, 1)
    ]  # fmt: skip
    memorization = {
        "sizes": np.array([2, 50, 500]),
        "seeds": np.array([0, 1]),
        "frac_net": np.array([[1.0, 0.9], [0.5, 0.3], [0.0, 0.1]]),
        "frac_exact": np.array([1.0, 1.0, 0.95]),
        "n_samples": 256,
    }
    return {"markers": markers, "branching": branching, "commitment": commitment,
            "runs": runs, "memorization": memorization}  # fmt: skip


SETTINGS = {
    "probes": {"n_steps": 200, "n_trajectories": 64, "kick": 0.5, "peak_window": 0.3},
    "noise": {"t_min_over_tc": 1e-3, "t_max_over_tc": 20.0},
}


def test_trained_claims_ids_and_values(summaries):
    claims = {c.claim_id: c for c in stage_claims.claims(summaries, SETTINGS)}
    assert list(claims) == [
        "trained.mixture.susceptibility_peak",
        "trained.digits01.susceptibility_peak",
        "trained.exact_score.susceptibility_peak",
        "trained.mixture.clone_agreement",
        "trained.commitment.exact_vs_posterior",
        "trained.commitment.networks_vs_posterior",
        "trained.memorization.small_n",
    ]
    mixture_s_decision = M.analytic_markers(10.0)["s_decision"]
    peak = claims["trained.mixture.susceptibility_peak"]
    assert float(peak.predicted) == pytest.approx(mixture_s_decision, rel=1e-5)
    assert float(peak.measured) == pytest.approx(1.22)  # mean over the two seeds
    # standard error of the seed mean sqrt(0.01^2 + 0.02^2) / 2 = 0.01118; 3 SE > spacing 0.02
    assert float(peak.tolerance) == pytest.approx(3 * np.sqrt(0.01**2 + 0.02**2) / 2, rel=1e-5)
    digits = claims["trained.digits01.susceptibility_peak"]
    assert float(digits.tolerance) == pytest.approx(0.09)  # one seed: 3 x 0.03
    exact = claims["trained.exact_score.susceptibility_peak"]
    assert exact.predicted == "1.21;0.97" and exact.measured == "1.22;0.95"
    # per set: max(spacing, 3 sqrt(se_net^2 + se_exact^2))
    tol = [3 * np.hypot(np.sqrt(0.01**2 + 0.02**2) / 2, 0.015), 3 * np.hypot(0.03, 0.01)]
    assert [float(t) for t in exact.tolerance.split(";")] == pytest.approx(tol, rel=1e-5)
    assert exact.passed
    clone = claims["trained.mixture.clone_agreement"]
    assert float(clone.measured) == pytest.approx(1.20)
    assert float(clone.predicted) == pytest.approx(M.analytic_markers(10.0)["s_meanfield"], 1e-5)
    # spacing of the exact-score record (0.02) against 3 x 0.02 sqrt(2) / 2 = 0.0424
    assert float(clone.tolerance) == pytest.approx(3 * 0.02 * np.sqrt(2) / 2, rel=1e-5)
    commit = claims["trained.commitment.exact_vs_posterior"]
    assert commit.predicted == "2.25;0.92" and commit.measured == "2.2;0.9" and commit.passed
    # per entry (T_class, T_identity): 3 SE of the difference
    assert [float(t) for t in commit.tolerance.split(";")] == pytest.approx(
        [3 * np.hypot(0.05, 0.1)] * 2, rel=1e-5
    )
    nets = claims["trained.commitment.networks_vs_posterior"]
    assert nets.measured == "2.2;0.9" and nets.passed  # seed means
    mem = claims["trained.memorization.small_n"]
    assert float(mem.measured) == pytest.approx(0.95) and float(mem.predicted) == 1.0
    # 3 binomial SE of the difference: p_net = 0.95 over 2 seeds x 256 samples, p_exact = 1
    assert float(mem.tolerance) == pytest.approx(3 * np.sqrt(0.95 * 0.05 / 512), rel=1e-4)
    assert not mem.passed  # 0.05 off with tolerance 0.029
    assert all(c.kind == "test" for c in claims.values())


def test_trained_claims_fail_when_the_networks_miss(summaries):
    summaries["branching"]["mixture"]["seed1"]["peak_s"] = 2.0  # far from s_decision
    summaries["commitment"]["digits01"]["seed1"]["T_identity"] = 5.0  # identity outlives class
    claims = {c.claim_id: c for c in stage_claims.claims(summaries, SETTINGS)}
    assert not claims["trained.mixture.susceptibility_peak"].passed
    assert not claims["trained.commitment.networks_vs_posterior"].passed
    assert claims["trained.commitment.exact_vs_posterior"].passed  # theory fine, networks not


def test_trained_values(summaries):
    v = stage_values.values(summaries, SETTINGS)
    # the seed mean 1.22 +- 0.0112 printed with the error to two significant digits
    assert (v["trained.mixture.net_peak_s"], v["trained.mixture.net_peak_se"]) == ("1.220", "0.011")
    assert v["trained.mixture.exact_peak_s"] == "1.210"
    assert v["trained.mixture.theory_peak_s"] == 1.215
    assert v["trained.mixture.s_meanfield"] == f"{M.analytic_markers(10.0)['s_meanfield']:.3f}"
    assert v["trained.digits01.net_T_class"] == pytest.approx(2.2)
    assert v["trained.digits01.exact_T_class"] == 2.2
    assert v["trained.digits01.net_T_class_seeds"] == "2.3, 2.1"
    assert v["trained.digits01.theory_T_identity"] == 0.92
    assert v["trained.mixture.net_peak_seeds"] == "1.200, 1.240"
    assert v["trained.mem.N2.net"] == pytest.approx(0.95) and v["trained.mem.nmax"] == 500
    assert "trained.run.mixture.wall" not in v
    assert v["trained.seeds"] == 2
    assert v["trained.probe.kick"] == 0.5 and v["trained.noise.t_max_over_tc"] == 20.0
    assert v["trained.phi_c"] == pytest.approx(0.7752, abs=1e-4)
    # a set the config leaves out still defines its keys
    assert v["trained.digits10.net_peak_s"] == "n/a" and v["trained.run.digits10.loss"] == "n/a"


def test_commitment_theory_goes_from_kept_to_chance(digits_like):
    y, labels = digits_like
    train = training_sets.training_set("digits10", y, labels)
    cfg = {"seed": 0, "n_steps": 60, "commitment_images": 30, "commitment_levels": 8}
    cfg |= {"commitment_window": [1e-3, 20.0], "n_bootstrap": 20}
    noise = {"t_max_over_tc": 40.0, "t_min_over_tc": 1e-4}
    curves, temps = probe_runs.commitment_theory(train, noise, cfg, n_draws=4)
    cls, ident = curves["class_kept"].mean(1), curves["identity_kept"].mean(1)
    assert ident[np.argmin(curves["temperatures"])] > 0.99  # cold: the image itself
    assert ident[np.argmax(curves["temperatures"])] < 0.05  # hot: ~ 1 / N
    assert cls[np.argmax(curves["temperatures"])] == pytest.approx(1 / 3, abs=0.1)  # 3 classes
    assert temps["T_identity"] < temps["T_class"]
    assert probe_runs.commitment_theory(training_sets.training_set("mixture", y[:, :2], labels, mu=np.ones(2),
                                              variance=1.0), noise, cfg) == ({}, {})  # fmt: skip
