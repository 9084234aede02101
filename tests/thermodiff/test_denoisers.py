"""The streaming empirical-posterior kernel against a naive dense route (docs/theory.md §Free energy and order parameter)."""

import numpy as np
import pytest
from scipy.special import logsumexp

from thermodiff.denoisers import (
    empirical_denoiser,
    nearest_neighbours,
    posterior_stats,
)
from thermodiff.dynamics import gaussian_noise, geometric_temperatures, reverse_sde
from thermodiff.meanfield import posterior_covariance, posterior_weights


def naive(x, y, t):
    """Dense route: all B x N squared distances by broadcasting, scipy's logsumexp."""
    sq = ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)  # (B, N)
    logits = -sq / (2.0 * np.asarray(t, dtype=float).reshape(-1, 1))
    log_z = logsumexp(logits, axis=1)
    w = np.exp(logits - log_z[:, None])
    m = w @ y
    cov = np.einsum("bn,bni,bnj->bij", w, y[None] - m[:, None], y[None] - m[:, None])
    return {
        "log_partition": log_z,
        "weights": w,
        "mean": m,
        "participation": (w**2).sum(1),
        "entropy": -(w * np.log(np.where(w > 0, w, 1.0))).sum(1),
        "max_weight": w.max(1),
        "argmax": w.argmax(1),
        "cov": cov,
    }


@pytest.fixture(scope="module")
def problem():
    rng = np.random.default_rng(1)
    y = rng.standard_normal((203, 7))
    x = y[rng.integers(0, 203, 11)] + 0.7 * rng.standard_normal((11, 7))
    t = np.exp(rng.uniform(np.log(0.05), np.log(20.0), 11))
    return x, y, t


def test_kernel_matches_naive_posterior_to_1e12(problem):
    x, y, t = problem
    ref = naive(x, y, t)
    own = np.arange(11) * 7
    v = np.random.default_rng(2).standard_normal(x.shape)
    s = posterior_stats(x, y, t, own_index=own, tangent=v, chunk_size=17)
    for key in ("log_partition", "mean", "participation", "entropy", "max_weight"):
        np.testing.assert_allclose(getattr(s, key), ref[key], rtol=1e-12, atol=1e-12, err_msg=key)
    np.testing.assert_array_equal(s.argmax, ref["argmax"])
    np.testing.assert_allclose(
        s.own_weight, ref["weights"][np.arange(11), own], rtol=1e-12, atol=1e-14
    )
    np.testing.assert_allclose(
        s.posterior_variance, np.trace(ref["cov"], axis1=1, axis2=2), rtol=1e-11, atol=1e-12
    )
    # fluctuation-dissipation: chi v = Cov v / T
    chi_v = np.einsum("bij,bj->bi", ref["cov"], v) / t[:, None]
    np.testing.assert_allclose(s.jvp, chi_v, rtol=1e-10, atol=1e-11)


def test_full_weights_and_covariance_match_naive(problem):
    # the streamed path of meanfield.posterior_weights / posterior_covariance, and the dense one
    x, y, t = problem
    ref = naive(x, y, t)
    np.testing.assert_allclose(posterior_weights(x, y, t), ref["weights"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(posterior_covariance(x, y, t), ref["cov"], rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(
        posterior_weights(x, y, t, chunk_size=50), ref["weights"], rtol=1e-12, atol=1e-15
    )
    np.testing.assert_allclose(
        posterior_covariance(x, y, t, chunk_size=50), ref["cov"], rtol=1e-11, atol=1e-13
    )


@pytest.mark.parametrize("chunk", [1, 5, 64, 203, 1000])
def test_kernel_is_invariant_to_chunk_size(problem, chunk):
    x, y, t = problem
    a = posterior_stats(x, y, t, chunk_size=chunk, own_index=np.zeros(11, int))
    b = posterior_stats(x, y, t, chunk_size=203, own_index=np.zeros(11, int))
    for key in ("log_partition", "mean", "participation", "entropy", "max_weight", "own_weight"):
        np.testing.assert_allclose(getattr(a, key), getattr(b, key), rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(a.argmax, b.argmax)


def test_temperature_grid_equals_one_call_per_temperature(problem):
    x, y, _ = problem
    grid = np.array([0.1, 1.0, 10.0])
    s = posterior_stats(x, y, grid[:, None], chunk_size=31)
    assert s.mean.shape == (3, 11, 7) and s.participation.shape == (3, 11)
    for k, t in enumerate(grid):
        one = posterior_stats(x, y, t)
        np.testing.assert_allclose(s.participation[k], one.participation, rtol=1e-12)
        np.testing.assert_allclose(s.mean[k], one.mean, rtol=1e-12, atol=1e-14)


def test_kernel_is_finite_from_t_1e_minus_4_to_1e4_at_d_1000():
    rng = np.random.default_rng(3)
    y = rng.standard_normal((600, 1000))
    x = np.concatenate(
        [y[:4] + 0.01 * rng.standard_normal((4, 1000)), 30.0 * rng.standard_normal((4, 1000))]
    )
    grid = np.geomspace(1e-4, 1e4, 9)[:, None]
    s = posterior_stats(x, y, grid, own_index=np.r_[0:4, 0:4], chunk_size=128)
    for key in (
        "log_partition",
        "mean",
        "participation",
        "entropy",
        "max_weight",
        "own_weight",
        "posterior_variance",
    ):
        assert np.all(np.isfinite(getattr(s, key))), key
    # T -> 0: the cue next to its own point condenses on it; T -> inf: weights uniform (Y2 -> 1/N)
    np.testing.assert_allclose(s.own_weight[0, :4], 1.0, atol=1e-12)
    np.testing.assert_allclose(s.participation[-1], 1 / 600, rtol=0.2)
    # log Z at tiny T is dominated by the nearest point: log Z = -min ||x - y||^2 / 2T
    d1, _ = nearest_neighbours(x, y, 1)
    np.testing.assert_allclose(s.log_partition[0], -(d1[:, 0] ** 2) / 2e-4, rtol=1e-9)


def test_float32_kernel_error_is_small_at_order_one_temperature(problem):
    x, y, t = problem
    s64 = posterior_stats(x, y, t)
    s32 = posterior_stats(x, y, t, dtype=np.float32)
    assert s32.mean.dtype == np.float32
    np.testing.assert_allclose(s32.mean, s64.mean, atol=1e-4)
    np.testing.assert_allclose(s32.log_partition, s64.log_partition, rtol=1e-5)


def test_nearest_neighbours_match_sorting(problem):
    x, y, _ = problem
    dist, idx = nearest_neighbours(x, y, k=3, chunk_size=10)
    sq = np.sqrt(((x[:, None] - y[None]) ** 2).sum(-1))
    np.testing.assert_array_equal(idx, np.argsort(sq, axis=1)[:, :3])
    np.testing.assert_allclose(dist, np.sort(sq, axis=1)[:, :3], rtol=1e-12)


def test_empirical_denoiser_drives_reverse_sde_onto_training_points():
    # With the exact finite-set score, generation ends on the training points (memorization).
    rng = np.random.default_rng(4)
    y = rng.standard_normal((5, 3))
    denoiser = empirical_denoiser(y)
    x = np.sqrt(50.0) * rng.standard_normal((40, 3))
    out = reverse_sde(
        denoiser, x, geometric_temperatures(50.0, 1e-4, 300), gaussian_noise(rng, x.shape)
    )
    dist, _ = nearest_neighbours(out, y, 2)
    assert np.all(dist[:, 0] < 0.1) and np.all(dist[:, 1] > 0.3)


def test_empirical_denoiser_accepts_torch_tensors(problem):
    torch = pytest.importorskip("torch")
    x, y, t = problem
    denoiser = empirical_denoiser(y)
    xt = torch.tensor(x, dtype=torch.float32)
    out = denoiser(xt, 0.5)
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), denoiser(x, 0.5), atol=1e-5)
    score = denoiser.score(x, t)
    np.testing.assert_allclose(score, (naive(x, y, t)["mean"] - x) / t[:, None], rtol=1e-10)
