"""Diffusion free energy = modern-Hopfield energy (docs/theory.md §Hopfield memory)."""

import numpy as np
import pytest

from thermodiff.hopfield import (
    attention_update,
    capacity,
    capacity_width,
    diffusion_biases,
    hopfield_energy,
    recall,
    recall_success,
    recalled_index,
)
from thermodiff.meanfield import free_energy, magnetisation


@pytest.mark.parametrize("t", [0.3, 1.0, 4.0])
def test_free_energy_is_hopfield_energy_plus_constant_equal_norms(t):
    rng = np.random.default_rng(0)
    y = rng.standard_normal((7, 5))
    y *= 2.0 / np.linalg.norm(y, axis=1, keepdims=True)  # |y_n| = r = 2
    x = rng.standard_normal((9, 5))
    f = free_energy(x, y, t)
    e = hopfield_energy(x, y, 1.0 / t)
    np.testing.assert_allclose(f - e, 0.5 * 2.0**2 + t * np.log(7), rtol=0, atol=1e-10)


def test_free_energy_is_hopfield_energy_with_biases_any_norms():
    rng = np.random.default_rng(1)
    y, x, t = rng.standard_normal((11, 3)), 2 * rng.standard_normal((6, 3)), 0.7
    e = hopfield_energy(x, y, 1.0 / t, diffusion_biases(y))
    np.testing.assert_allclose(free_energy(x, y, t) - e, t * np.log(11), rtol=0, atol=1e-10)


def test_one_step_is_the_attention_update():
    rng = np.random.default_rng(2)
    y, x, t = rng.standard_normal((11, 3)), rng.standard_normal((6, 3)), 0.5
    np.testing.assert_allclose(
        attention_update(x, y, 1.0 / t, diffusion_biases(y)), magnetisation(x, y, t), atol=1e-12
    )


def test_capacity_row_29():
    assert capacity(1.0, 1.0, 64) == pytest.approx(2.0**32)
    assert capacity_width(1.0, 1.0, 8) == pytest.approx(2.0)


def test_recall_from_small_noise_and_failure_far_beyond_capacity():
    rng = np.random.default_rng(3)
    y = rng.standard_normal((20, 16))
    cues = y + 0.1 * rng.standard_normal(y.shape)
    final, converged = recall(cues, y, 0.01)
    assert converged.all()
    np.testing.assert_array_equal(recalled_index(final, y), np.arange(20))
    np.testing.assert_allclose(final, y, atol=1e-6)  # stored patterns are fixed points
    # d = 4, sigma^2 = s^2: N_max = 4; with 400 patterns recall mostly fails
    ok = recall_success(400, 4, cue_variance=1.0, pattern_variance=1.0, n_cues=200, rng=rng)
    assert ok.mean() < 0.2
