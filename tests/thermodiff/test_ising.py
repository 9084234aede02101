"""Exact Curie-Weiss sampling (physics.md §3.4, §11 row 13)."""

import numpy as np
import pytest

from thermodiff.ising import (
    curie_weiss_second_moment,
    curie_weiss_sector_log_weights,
    sample_curie_weiss,
)


def test_sector_weights_normalised():
    assert np.exp(curie_weiss_sector_log_weights(30, 0.7)).sum() == pytest.approx(1.0)


def test_finite_d_curie_weiss_second_moment_matches_brute_force_value():
    assert curie_weiss_second_moment(12, 0.5) == pytest.approx(1.75136, abs=1e-4)


def test_uncoupled_spins_have_unit_second_moment():
    assert curie_weiss_second_moment(50, 0.0) == pytest.approx(1.0)


def test_sector_sampler_reproduces_exact_second_moment():
    rng = np.random.default_rng(1)
    y = sample_curie_weiss(40, 0.75, 40000, rng)
    assert set(np.unique(y)) == {-1, 1}
    m2 = (y.sum(axis=1).astype(float) ** 2).mean() / 40
    # std of M^2/d over 4e4 samples is about 1 %
    assert m2 == pytest.approx(curie_weiss_second_moment(40, 0.75), rel=0.04)
    # within a sector, spins are exchangeable: every site has mean ~ 0
    assert np.abs(y.mean(axis=0)).max() < 0.05
