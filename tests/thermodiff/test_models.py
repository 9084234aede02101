"""EDM preconditioning, the MLP denoiser and its loss (thermodiff.models)."""

import numpy as np
import pytest
import torch

from thermodiff.models import (
    as_denoiser,
    build_denoiser,
    count_parameters,
    edm_scalings,
    stack_denoisers,
    stacked_edm_loss,
)


def edm_loss(model, y, sigma_min, sigma_max, generator):
    """The loss of one model: the stacked loss with K = 1."""
    return stacked_edm_loss(
        stack_denoisers([model]), y[None], [sigma_min], [sigma_max], [generator]
    )[0]


torch.set_num_threads(1)


def test_edm_scalings_give_unit_variance_target_for_data_of_variance_sigma_data():
    # Karras et al. 2022, App. B.6: (1 - c_skip)^2 sd^2 + c_skip^2 s^2 = c_out^2, i.e. the raw
    # network regresses a unit-variance target at every noise level.
    sigma = torch.logspace(-3, 3, 50, dtype=torch.float64)
    sd = 0.7
    c_skip, c_out, c_in, _ = edm_scalings(sigma, sd)
    lhs = (1 - c_skip) ** 2 * sd**2 + c_skip**2 * sigma**2
    torch.testing.assert_close(lhs, c_out**2)
    # c_in normalises the input x = y + sigma eps to unit variance
    torch.testing.assert_close(c_in**2 * (sd**2 + sigma**2), torch.ones_like(sigma))


def test_edm_scalings_limits():
    sd = 0.5
    c_skip, c_out, _, _ = edm_scalings(torch.tensor([1e-8, 1e8], dtype=torch.float64), sd)
    assert c_skip[0] == pytest.approx(1.0) and c_out[0] == pytest.approx(0.0, abs=1e-7)
    assert c_skip[1] == pytest.approx(0.0, abs=1e-15) and c_out[1] == pytest.approx(sd)


def test_untrained_model_is_gaussian_posterior_mean():
    # zero output layer: D(x, sigma) = c_skip x = sd^2 / (sd^2 + sigma^2) x, the exact denoiser of
    # N(0, sd^2) data
    torch.manual_seed(0)
    model = build_denoiser(8, sigma_data=0.6, width=32, depth=1, n_frequencies=16)
    x = torch.randn(5, 8)
    sigma = torch.full((5,), 1.3)
    torch.testing.assert_close(model(x, sigma), 0.36 / (0.36 + 1.69) * x)


def test_as_denoiser_converts_temperature_to_sigma_and_keeps_dtype():
    torch.manual_seed(0)
    model = build_denoiser(4, sigma_data=1.0, width=16, depth=1, n_frequencies=16)
    torch.nn.init.normal_(model.net.out.weight)
    x = torch.randn(3, 4, dtype=torch.float64)
    out = as_denoiser(model)(x, 0.25)
    assert out.dtype == torch.float64
    expected = model(x.float(), torch.full((3,), 0.5)).double()
    torch.testing.assert_close(out, expected)


def test_loss_of_untrained_model_is_one_on_gaussian_data():
    # With D = c_skip x the weighted loss is exactly 1 in expectation for N(0, sd^2) data;
    # 2e4 x 16 squared Gaussians: relative standard error ~ 0.3 %
    torch.manual_seed(1)
    sd = 0.8
    model = build_denoiser(16, sigma_data=sd, width=16, depth=1, n_frequencies=16)
    y = sd * torch.randn(20000, 16)
    loss = edm_loss(model, y, 0.01, 100.0, torch.Generator().manual_seed(0))
    assert loss.item() == pytest.approx(1.0, rel=0.02)


def test_model_output_shape_and_gradient_flow():
    stacked = stack_denoisers(
        [build_denoiser(64, sigma_data=0.5, width=32, depth=2, n_frequencies=16)]
    )
    gen = torch.Generator().manual_seed(0)
    loss = stacked_edm_loss(stacked, torch.randn(1, 10, 64), [0.1], [10.0], [gen])
    assert loss.shape == (1,)
    loss.sum().backward()
    assert stacked.net.out.weight.grad is not None and np.isfinite(loss.item())


def test_parameter_count_of_the_mlp():
    # input (d -> w) + embedding (e -> w) + depth x [fc1, emb, fc2] + output (w -> d), with biases
    d, w, depth, n_freq = 8, 16, 2, 4
    e = 1 + 2 * n_freq
    model = build_denoiser(d, 1.0, width=w, depth=depth, n_frequencies=n_freq).requires_grad_(False)
    expected = (d * w + w) + (e * w + w) + depth * (2 * (w * w + w) + e * w + w) + (w * d + d)
    assert count_parameters(model) == expected
