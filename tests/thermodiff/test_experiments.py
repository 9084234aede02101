"""Training sets, grids and probe summaries of the trained-model stage (thermodiff.experiments)."""

import numpy as np
import pytest
import torch

from thermodiff import experiments as E
from thermodiff import markers as M
from thermodiff.datasets import two_cluster

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
    train = E.training_set("mixture", y, labels, mu=mu, variance=1.0)
    # lambda_max = |mu|^2 + s^2 = 10 up to sampling error (~2 % for 4000 points)
    assert train["lambda_max"] == pytest.approx(10.0, rel=0.05)
    assert train["t_ref"] == train["lambda_max"]
    np.testing.assert_allclose(train["direction"], mu / 3.0)
    assert train["markers"]["T_meanfield"] == train["lambda_max"]
    assert train["markers"]["T_decision"] == pytest.approx(
        M.two_delta_susceptibility_peak() * train["lambda_max"]
    )


def test_digit_sets_recentre_subsets_and_keep_the_parent_scale(digits_like):
    y, labels = digits_like
    two = E.training_set("digits01", y, labels)
    assert len(two["y"]) == 80 and set(two["labels"]) == {0, 1}
    np.testing.assert_allclose(two["y"].mean(axis=0), 0.0, atol=1e-12)
    assert two["classifier"] == "sign" and two["n_classes"] == 2
    sub = E.training_set("digitsN10", y, labels, subset_seed=3)
    again = E.training_set("digitsN10", y, labels, subset_seed=3)
    np.testing.assert_array_equal(sub["y"], again["y"])  # the subset depends only on its seed
    assert len(sub["y"]) == 10
    assert sub["t_ref"] == pytest.approx(M.covariance_spectrum(y)[0])  # the parent's T_c
    with pytest.raises(ValueError, match="unknown training set"):
        E.training_set("cifar", y, labels)


def test_grid_helpers():
    temps = E.sampler_temperatures(2.0, 20.0, 1e-3, 100)
    assert temps[0] == pytest.approx(40.0) and temps[-1] == pytest.approx(2e-3)
    inside = E.indices_in_window(temps, 2.0, 0.1, 3.0, every=2)
    assert all(0.2 < temps[k] < 6.0 for k in inside) and np.all(np.diff(inside) == 2)
    picked = E.nearest_indices(temps, [1.0, 1.01, 0.1])
    assert len(picked) == 2 and picked == sorted(picked)


def test_branching_summary_on_the_exact_mixture_finds_the_closed_form_peak():
    y, labels, mu = two_cluster(2000, 4, 2.0, 0.5, np.random.default_rng(1))
    train = E.training_set("mixture", y, labels, mu=mu, variance=0.5)
    cfg = {"seed": 0, "n_steps": 100, "n_trajectories": 4000, "branch_window": [0.1, 3.0]}
    cfg |= {"branch_every": 2, "kick": 0.5, "peak_window": 0.3, "n_bootstrap": 50}
    noise = {"t_max_over_tc": 20.0, "t_min_over_tc": 1e-3}
    curves, scalars = E.run_branching(E.exact_denoiser(train), train, noise, cfg)
    theory, closed = E.mixture_theory(train, curves["T"].min(), curves["T"].max())
    # 3 bootstrap SE plus the branch spacing: the estimator is unbiased for exact scores up to the
    # finite kick and the Euler steps (tests/thermodiff/test_probes.py)
    assert abs(scalars["peak_s"] - closed["peak_s"]) < 3 * scalars["peak_se"] + scalars["spacing"]
    assert abs(scalars["phi_cross_s"] - closed["phi_cross_s"]) < (
        3 * scalars["phi_cross_se"] + scalars["spacing"]
    )
    assert 0.4 < scalars["class_balance"] < 0.6


def test_rem_condensation_temperature_matches_physics_table():
    # physics.md §8 table: d = 64, N = 1797 -> 3.7897; d = 100, N = 1e4 -> 4.9440 (s^2 = 1)
    assert E.rem_condensation_temperature(1797, 64, 1.0) == pytest.approx(3.7897, abs=1e-4)
    assert E.rem_condensation_temperature(10_000, 100, 1.0) == pytest.approx(4.9440, abs=1e-4)
