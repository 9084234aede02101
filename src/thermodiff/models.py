"""Trained denoisers: an MLP with a noise embedding, EDM preconditioning and the denoising loss.

Paper §12 (docs/theory.md §Trained denoisers): a denoiser trained with the loss
``E || D(y + sigma eps, sigma) - y ||^2`` learns the posterior mean ``m(x, T) = E[y | x, T]``,
i.e. the magnetisation of the thermodynamic picture, with ``T = sigma**2`` (VE convention of
:mod:`thermodiff.schedules`). A trained network is therefore used exactly like the exact
denoisers: as a callable ``(x, T) -> m`` for :func:`thermodiff.dynamics.reverse_sde` and for the
estimators of :mod:`thermodiff.probes` (see :func:`as_denoiser`).

Preconditioning follows Karras et al., "Elucidating the design space of diffusion-based generative
models" (EDM, NeurIPS 2022, Table 1, VE column with the EDM scalings):

    D(x, sigma) = c_skip(sigma) x + c_out(sigma) F(c_in(sigma) x, c_noise(sigma)),
    c_skip = sigma_d^2 / (sigma^2 + sigma_d^2),   c_out = sigma sigma_d / sqrt(sigma^2 + sigma_d^2),
    c_in   = 1 / sqrt(sigma^2 + sigma_d^2),        c_noise = log(sigma) / 4,

with ``sigma_d`` the data standard deviation, and the loss weight ``lambda(sigma) = 1 / c_out^2``
that gives the raw network ``F`` a unit-variance regression target at every noise level. Noise
levels are drawn log-uniformly in ``[sigma_min, sigma_max]`` (not EDM's log-normal) so that the
whole range probed by the experiments, from far above to far below the critical temperature, is
trained evenly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

from thermodiff.schedules import sigma_from_temperature

# ---------------------------------------------------------------------------------------------
# Raw network F: MLP on (c_in x, embedding(c_noise))


class NoiseEmbedding(nn.Module):
    """Deterministic Fourier features of the scalar noise input ``c_noise``.

    ``emb(c) = [c, cos(2 pi f_k c), sin(2 pi f_k c)]`` with ``n_frequencies`` frequencies ``f_k``
    geometrically spaced in ``[f_min, f_max]``; shape (B,) -> (B, 1 + 2 n_frequencies). No random
    frequencies, so the architecture itself carries no seed. Leading batch axes are kept:
    (..., ) -> (..., 1 + 2 n_frequencies), as used by :class:`StackedDenoiser` with (K, B).
    """

    def __init__(self, n_frequencies: int, f_min: float = 0.05, f_max: float = 8.0) -> None:
        super().__init__()
        freqs = torch.tensor(np.geomspace(f_min, f_max, n_frequencies), dtype=torch.float32)
        self.register_buffer("freqs", freqs)
        self.dim = 1 + 2 * n_frequencies

    def forward(self, c_noise: torch.Tensor) -> torch.Tensor:
        angle = 2.0 * math.pi * c_noise[..., None] * self.freqs
        return torch.cat([c_noise[..., None], torch.cos(angle), torch.sin(angle)], dim=-1)


class BlockForward(nn.Module):
    """The formula of a residual block, ``h <- h + fc2(SiLU(fc1(SiLU(h)) + emb(e)))``, for one
    network (:class:`ResidualBlock`) and for K stacked ones (:class:`StackedResidualBlock`): the
    subclasses only choose the linear layers."""

    def forward(self, h: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        z = self.fc1(nn.functional.silu(h)) + self.emb(emb)
        return h + self.fc2(nn.functional.silu(z))


class NetForward(nn.Module):
    """The formula of the raw network, ``F = out(SiLU(h_L))`` with ``h_0 = inp(x_in) +
    inp_emb(emb(c_noise))`` and ``h_{l+1} = block_l(h_l, emb)``, for one network
    (:class:`MLPNet`) and for K stacked ones (:class:`StackedMLPNet`)."""

    def forward(self, x_in: torch.Tensor, c_noise: torch.Tensor) -> torch.Tensor:
        emb = self.embedding(c_noise)
        h = self.inp(x_in) + self.inp_emb(emb)
        for block in self.blocks:
            h = block(h, emb)
        return self.out(nn.functional.silu(h))


class ResidualBlock(BlockForward):
    """``h <- h + W2 SiLU(W1 SiLU(h) + A emb)``: pre-activation residual block with noise input."""

    def __init__(self, width: int, emb_dim: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(width, width)
        self.emb = nn.Linear(emb_dim, width)
        self.fc2 = nn.Linear(width, width)


class MLPNet(NetForward):
    """Raw network ``F(x_in, c_noise)``: input layer, ``depth`` residual blocks, linear output.

    ``h_0 = W_x x_in + W_e emb(c_noise)``, ``h_{l+1} = block_l(h_l, emb)``, ``F = W_o SiLU(h_L)``.

    Parameters
    ----------
    dim : int
        Data dimension d (64 for 8x8 digits and the d = 64 mixture).
    width : int
        Hidden width.
    depth : int
        Number of residual blocks (each block sees the noise embedding).
    n_frequencies : int
        Fourier frequencies of :class:`NoiseEmbedding`.

    Notes
    -----
    The output layer starts at zero, so an untrained model is ``D(x, sigma) = c_skip x``: the
    posterior mean of Gaussian data with variance ``sigma_d^2``, a sensible starting point.
    """

    def __init__(self, dim: int, width: int, depth: int, n_frequencies: int) -> None:
        super().__init__()
        self.embedding = NoiseEmbedding(n_frequencies)
        self.inp = nn.Linear(dim, width)  # separate from the embedding: full-scale init in low d
        self.inp_emb = nn.Linear(self.embedding.dim, width)
        self.blocks = nn.ModuleList(ResidualBlock(width, self.embedding.dim) for _ in range(depth))
        self.out = nn.Linear(width, dim)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)


# ---------------------------------------------------------------------------------------------
# EDM preconditioning: the one denoiser D(x, sigma) used by loss, sampler and probes


def edm_scalings(
    sigma: torch.Tensor, sigma_data: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(c_skip, c_out, c_in, c_noise)`` of EDM (Karras et al. 2022, Table 1)."""
    s2, d2 = sigma**2, sigma_data**2
    c_skip = d2 / (s2 + d2)
    c_out = sigma * sigma_data / torch.sqrt(s2 + d2)
    c_in = 1.0 / torch.sqrt(s2 + d2)
    c_noise = torch.log(sigma) / 4.0
    return c_skip, c_out, c_in, c_noise


class EDMDenoiser(nn.Module):
    """``D(x, sigma) = c_skip x + c_out F(c_in x, c_noise)`` around a raw network ``F``.

    Parameters
    ----------
    net : nn.Module
        Raw network ``F(x_in (B, d), c_noise (B,)) -> (B, d)``.
    sigma_data : float
        Data standard deviation ``sigma_d`` (root mean per-coordinate variance of the training set).
    """

    def __init__(self, net: nn.Module, sigma_data: float) -> None:
        super().__init__()
        self.net = net
        self.sigma_data = float(sigma_data)

    def forward(self, x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        """Denoised estimate, shape (B, d), from ``x`` (B, d) and ``sigma`` (B,)."""
        c_skip, c_out, c_in, c_noise = edm_scalings(sigma, self.sigma_data)
        return c_skip[:, None] * x + c_out[:, None] * self.net(c_in[:, None] * x, c_noise)


def data_sigma(y: np.ndarray) -> float:
    """EDM's ``sigma_d``: root mean per-coordinate variance of a training set ``y`` (N, d)."""
    return float(np.sqrt(np.asarray(y, dtype=float).var(axis=0).mean()))


def build_denoiser(
    dim: int, sigma_data: float, *, width: int, depth: int, n_frequencies: int
) -> EDMDenoiser:
    """The MLP denoiser of the trained-model experiments (keywords as in :class:`MLPNet`; no
    defaults: the architecture is the config's ``trained.model``, defaults in the schema)."""
    return EDMDenoiser(MLPNet(dim, width, depth, n_frequencies), sigma_data)


# ---------------------------------------------------------------------------------------------
# Stacked denoisers: K networks of one architecture trained in one pass (batched weights)


class StackedLinear(nn.Module):
    """K independent ``nn.Linear(n_in, n_out)`` layers: ``y_k = x_k W_k^T + b_k`` for k = 1..K.

    ``weight`` (K, n_out, n_in) and ``bias`` (K, n_out) are the K layers' parameters stacked on a
    leading axis; the product is one ``torch.baddbmm``: (K, B, n_in) -> (K, B, n_out).
    """

    def __init__(self, k: int, n_in: int, n_out: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(k, n_out, n_in))
        self.bias = nn.Parameter(torch.zeros(k, n_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.baddbmm(self.bias[:, None, :], x, self.weight.transpose(1, 2))


class StackedResidualBlock(BlockForward):
    """:class:`ResidualBlock` of K networks at once (activations (K, B, width))."""

    def __init__(self, k: int, width: int, emb_dim: int) -> None:
        super().__init__()
        self.fc1 = StackedLinear(k, width, width)
        self.emb = StackedLinear(k, emb_dim, width)
        self.fc2 = StackedLinear(k, width, width)


class StackedMLPNet(NetForward):
    """:class:`MLPNet` of K networks: the same formulas with every ``Linear`` a
    :class:`StackedLinear`; ``F_k(x_in_k, c_noise_k)`` for inputs (K, B, d) and (K, B).

    Its parameter names are those of :class:`MLPNet` (``inp.weight``, ``blocks.0.fc1.bias``, ...)
    with a leading axis K, so that network k is the slice ``[k]`` of every parameter.
    """

    def __init__(self, k: int, dim: int, width: int, depth: int, n_frequencies: int) -> None:
        super().__init__()
        self.embedding = NoiseEmbedding(n_frequencies)  # no parameters: shared by the K networks
        self.inp = StackedLinear(k, dim, width)
        self.inp_emb = StackedLinear(k, self.embedding.dim, width)
        self.blocks = nn.ModuleList(
            StackedResidualBlock(k, width, self.embedding.dim) for _ in range(depth)
        )
        self.out = StackedLinear(k, width, dim)


class StackedDenoiser(nn.Module):
    """K denoisers :func:`build_denoiser` of one architecture evaluated (and trained) together.

    ``D_k(x_k, sigma_k) = c_skip x_k + c_out F_k(c_in x_k, c_noise)`` with network k's own
    ``sigma_d`` (``sigma_data``, a tuple of K floats): inputs ``x`` (K, B, d) and ``sigma``
    (K, B), output (K, B, d). Built from K models by :func:`stack_denoisers` and split back by
    :func:`unstack_denoisers`; model k equals the slices ``[k]`` of the parameters, so stacking
    changes only the rounding of the products (one ``baddbmm`` instead of K ``linear``).
    """

    def __init__(
        self, k: int, dim: int, sigma_data, *, width: int, depth: int, n_frequencies: int
    ) -> None:
        super().__init__()
        self.net = StackedMLPNet(k, dim, width, depth, n_frequencies)
        self.sigma_data = tuple(float(s) for s in sigma_data)
        if len(self.sigma_data) != k:
            raise ValueError(f"{len(self.sigma_data)} values of sigma_data for {k} models")

    def forward(self, x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        """Denoised estimates (K, B, d) from ``x`` (K, B, d) and ``sigma`` (K, B)."""
        sigma_data = torch.tensor(self.sigma_data, dtype=sigma.dtype, device=sigma.device)
        c_skip, c_out, c_in, c_noise = edm_scalings(sigma, sigma_data[:, None])
        return c_skip[..., None] * x + c_out[..., None] * self.net(c_in[..., None] * x, c_noise)


def _architecture(model: EDMDenoiser) -> dict[str, int]:
    net = model.net
    return {
        "dim": net.inp.in_features,
        "width": net.inp.out_features,
        "depth": len(net.blocks),
        "n_frequencies": len(net.embedding.freqs),
    }


def stack_denoisers(models: list[EDMDenoiser]) -> StackedDenoiser:
    """One :class:`StackedDenoiser` holding copies of the K models' weights (same architecture)."""
    arch = _architecture(models[0])
    if any(_architecture(m) != arch for m in models):
        found = [_architecture(m) for m in models]
        raise ValueError(f"stacked models need one architecture, got {found}")
    dim = arch.pop("dim")
    stacked = StackedDenoiser(len(models), dim, [m.sigma_data for m in models], **arch)
    param = next(models[0].parameters())
    stacked = stacked.to(device=param.device, dtype=param.dtype)
    with torch.no_grad():
        for name, p in stacked.net.named_parameters():
            p.copy_(torch.stack([m.net.get_parameter(name) for m in models]))
    return stacked


def unstack_denoisers(stacked: StackedDenoiser) -> list[EDMDenoiser]:
    """The K models of a :class:`StackedDenoiser` as separate :class:`EDMDenoiser` (copies)."""
    net = stacked.net
    arch = {
        "width": net.inp.weight.shape[1],
        "depth": len(net.blocks),
        "n_frequencies": len(net.embedding.freqs),
    }
    models = []
    for k, sigma_data in enumerate(stacked.sigma_data):
        model = build_denoiser(net.inp.weight.shape[2], sigma_data, **arch)
        model = model.to(device=net.inp.weight.device, dtype=net.inp.weight.dtype)
        with torch.no_grad():
            for name, p in model.net.named_parameters():
                p.copy_(net.get_parameter(name)[k])
        models.append(model.train(stacked.training))
    return models


# ---------------------------------------------------------------------------------------------
# Loss


def sample_sigma(
    n: int, sigma_min: float, sigma_max: float, generator: torch.Generator
) -> torch.Tensor:
    """``n`` noise levels, log-uniform in ``[sigma_min, sigma_max]``, shape (n,)."""
    u = torch.rand(n, generator=generator)
    return torch.exp(math.log(sigma_min) + u * (math.log(sigma_max) - math.log(sigma_min)))


def stacked_edm_loss(
    model: StackedDenoiser,
    y: torch.Tensor,
    sigma_min: Sequence[float],
    sigma_max: Sequence[float],
    generators: Sequence[torch.Generator],
) -> torch.Tensor:
    """Weighted denoising loss ``E_sigma lambda(sigma) || D(y + sigma eps, sigma) - y ||^2 / d``
    of each of K stacked denoisers on its own batch, with its own noise (one model: K = 1).

    Parameters
    ----------
    model : StackedDenoiser
    y : tensor of shape (K, B, d)
        Clean batch of each model.
    sigma_min, sigma_max : sequences of K floats
        Range of model k's log-uniform noise levels.
    generators : sequence of K torch.Generator (CPU)
        Model k draws its B noise levels, then its (B, d) ``eps``, from ``generators[k]`` (the
        training RNG, saved in checkpoints): model k's draws do not depend on the others.

    Returns
    -------
    tensor of shape (K,)
        ``loss_k = mean_b lambda_k(sigma_kb) || D_k(y_kb + sigma_kb eps_kb, sigma_kb) - y_kb ||^2
        / d``; the gradient of ``loss.sum()`` with respect to model k's weights is that of
        ``loss_k`` alone (the K networks share no weight). With ``lambda = 1 / c_out^2`` it is the
        MSE of the raw network on its unit-variance target, ~1 for an untrained model.
    """
    k, b, d = y.shape
    draws = [
        (sample_sigma(b, lo, hi, g), torch.randn((b, d), generator=g))
        for lo, hi, g in zip(sigma_min, sigma_max, generators, strict=True)
    ]
    sigma = torch.stack([s for s, _ in draws]).to(device=y.device, dtype=y.dtype)
    eps = torch.stack([e for _, e in draws]).to(device=y.device, dtype=y.dtype)
    x = y + sigma[..., None] * eps
    sigma_data = torch.tensor(model.sigma_data, dtype=y.dtype, device=y.device)
    _, c_out, _, _ = edm_scalings(sigma, sigma_data[:, None])
    weight = 1.0 / c_out**2
    return (weight[..., None] * (model(x, sigma) - y) ** 2).mean(dim=(1, 2))


# ---------------------------------------------------------------------------------------------
# Adapter: a trained model as a denoiser callable (x, T) -> m


def as_denoiser(model: nn.Module) -> Callable[[Any, float], Any]:
    """Wrap a model ``D(x, sigma)`` as the callable ``(x, T) -> m`` used by samplers and probes.

    ``x`` is a torch tensor of shape (B, d) of any floating dtype on any device; the model runs
    in its own dtype and on its own device without gradients, and the result comes back with the
    dtype and device of ``x``. The temperature ``T`` (a float) is converted to
    ``sigma = sqrt(T)`` by :mod:`thermodiff.schedules`.
    """
    param = next(model.parameters())
    model.eval()

    @torch.no_grad()
    def denoise(x: torch.Tensor, temperature: float) -> torch.Tensor:
        sigma = float(sigma_from_temperature(temperature))
        xin = x.to(device=param.device, dtype=param.dtype)
        out = model(xin, torch.full((len(x),), sigma, dtype=param.dtype, device=param.device))
        return out.to(device=x.device, dtype=x.dtype)

    return denoise


def count_parameters(model: nn.Module) -> int:
    """Number of parameters (weights and biases; an EMA copy counts the same as its model)."""
    return sum(p.numel() for p in model.parameters())
