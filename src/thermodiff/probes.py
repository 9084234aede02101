"""Probes of the generative phase transition that work with any denoiser (paper §12, docs/theory.md §Trained denoisers).

Every estimator takes a denoiser callable ``D(x, T) -> m`` (torch tensors of shape (B, d), float64
recommended; VE temperature ``T = sigma**2``) and drives :func:`thermodiff.dynamics.reverse_sde`.
The same code therefore measures a trained network (:func:`thermodiff.models.as_denoiser`), the
exact denoiser of a finite training set (:mod:`thermodiff.denoisers`) and the analytic denoiser of
the symmetric two-cluster mixture (:func:`mixture_denoiser`): "theory" and "experiment" differ only
in the callable. The closed forms they are tested against and the analytic markers live in
:mod:`thermodiff.markers`; peak and crossing locators in :mod:`thermodiff.estimators`.

Estimators
----------
* :func:`branching_probe`: the common-random-number (CRN) response of the final sample to a kick
  ``delta u`` of the state at branch temperature ``T_b`` along an order-parameter direction ``u``,
  ``chi_CRN(T_b) = E[u . (x0(x_b + delta u) - x0(x_b))] / delta`` with the same noise after the
  kick; and the clone (branching) agreement ``phi(T_b)``: the probability that a copy of ``x_b``
  continued with independent noise ends in the same class.
  For the exact denoiser the reverse SDE samples the posterior, ``E[x0 | x_b] = m(x_b, T_b)``, so
  for small ``delta`` ``chi_CRN(T) = E_{x ~ p_T}[u^T chi(x, T) u]``: the mean susceptibility of
  docs/theory.md §Susceptibility along ``u`` (tested against :func:`thermodiff.markers.mixture_mean_susceptibility`).
* :func:`jacobian_along_generation`: the top eigenvalue of the denoiser Jacobian
  ``chi = dm/dx`` (power iteration on finite-difference Jacobian-vector products) and its
  projection ``u^T chi u`` along generated trajectories.
* :func:`noise_and_regenerate`: class and identity commitment: noise a clean image to ``T``,
  regenerate, and ask whether the class (the nearest training image) is unchanged.
* :func:`memorization_fraction`: fraction of samples that copy a training image (nearest /
  second-nearest distance ratio below 1/3).

The symmetric two-cluster mixture ``p(y) = (N(mu, s2 I) + N(-mu, s2 I)) / 2`` has the exact
denoiser ``m = (s2 x + T mu tanh(mu.x / (s2 + T))) / (s2 + T)``; ``s2 = 0`` is the two-delta model
of docs/theory.md §Two-delta model (``m = a tanh(a x / T)``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from numpy.typing import ArrayLike, NDArray

from thermodiff.dynamics import reverse_sde

Denoiser = Callable[[torch.Tensor, float], torch.Tensor]
Classifier = Callable[[torch.Tensor], torch.Tensor]

# ---------------------------------------------------------------------------------------------
# The symmetric two-cluster mixture (and the two-delta model, s2 = 0): exact denoiser and theory


def mixture_denoiser(mu: torch.Tensor, s2: float) -> Denoiser:
    """Exact denoiser of ``(N(mu, s2 I) + N(-mu, s2 I)) / 2``: a callable ``(x (B, d), T) -> m``.

    ``m(x, T) = (s2 x + T mu tanh(mu . x / (s2 + T))) / (s2 + T)``. With ``s2 = 0`` and
    ``mu = a e_1`` this is the two-delta magnetisation ``a tanh(a x_1 / T)`` (docs/theory.md §Two-delta model).
    """
    mu = torch.as_tensor(mu)

    def denoise(x: torch.Tensor, temperature: float) -> torch.Tensor:
        v = s2 + temperature
        field = torch.tanh((x @ mu.to(x.dtype)) / v)
        return (s2 * x + temperature * field[:, None] * mu.to(x.dtype)) / v

    return denoise


# ---------------------------------------------------------------------------------------------
# Classifiers, start states and noise


def sign_classifier(u: ArrayLike, centre: ArrayLike) -> Classifier:
    """Two-class rule ``1[u . (x - c) > 0]``: the class of the side of the midpoint plane."""
    u_t, c_t = torch.as_tensor(u), torch.as_tensor(centre)

    def classify(x: torch.Tensor) -> torch.Tensor:
        return ((x - c_t.to(x.dtype)) @ u_t.to(x.dtype) > 0).long()

    return classify


def nearest_neighbour_index(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Index of the training point nearest to each row of ``x``; shape (B,)."""
    d2 = (x * x).sum(1, keepdim=True) - 2.0 * x @ y.T + (y * y).sum(1)[None, :]
    return torch.argmin(d2, dim=1)


def nearest_neighbour_classifier(y: ArrayLike, labels: ArrayLike) -> Classifier:
    """1-NN rule: the label of the nearest training image (97-99 % accurate on 8x8 digits)."""
    y_t = torch.as_tensor(np.asarray(y, dtype=float))
    lab = torch.as_tensor(np.asarray(labels)).long()

    def classify(x: torch.Tensor) -> torch.Tensor:
        return lab[nearest_neighbour_index(x.to(torch.float64), y_t)]

    return classify


def gaussian_start(
    mean: ArrayLike, cov: ArrayLike, temperature: float, n: int, generator: torch.Generator
) -> torch.Tensor:
    """``n`` draws of ``N(mean, C + T I)``: the noised data's first two moments (float64, (n, d)).

    Raya & Ambrogioni's "Gaussian late start": exact second moments of ``p_T`` at the start of
    generation, so a finite ``T_max`` does not bias the early dynamics.
    """
    mean = torch.as_tensor(np.asarray(mean, dtype=float))
    cov = np.asarray(cov, dtype=float) + temperature * np.eye(len(mean))
    chol = torch.as_tensor(np.linalg.cholesky(cov))
    z = torch.randn((n, len(mean)), generator=generator, dtype=torch.float64)
    return mean + z @ chol.T


def step_noise(seed: int, shape: Sequence[int]) -> Callable[[int], torch.Tensor]:
    """Noise source for :func:`reverse_sde` whose step-``k`` draw depends only on ``(seed, k)``.

    Any run that calls it at step ``k`` gets the same standard-normal array (float64): this is what
    makes common random numbers work when a run starts at a branch point in the middle of the grid.
    """
    shape = tuple(shape)

    def noise(k: int) -> torch.Tensor:
        key = int(np.random.SeedSequence([int(seed), int(k)]).generate_state(1, np.uint64)[0])
        gen = torch.Generator().manual_seed(key)
        return torch.randn(shape, generator=gen, dtype=torch.float64)

    return noise


def _offset(noise: Callable[[int], torch.Tensor], k0: int) -> Callable[[int], torch.Tensor]:
    return lambda k: noise(k + k0)


# ---------------------------------------------------------------------------------------------
# Generation with snapshots


def generate(
    denoiser: Denoiser,
    x_start: torch.Tensor,
    temperatures: Sequence[float],
    seed: int,
    record: Sequence[int] = (),
) -> tuple[torch.Tensor, dict[int, torch.Tensor]]:
    """Reverse SDE from ``x_start`` at ``temperatures[0]``; returns the denoised end and snapshots.

    Returns
    -------
    x0 : tensor of shape (B, d)
        ``D(x_K, T_K)``: the denoised final state (the final sample of every probe).
    states : dict ``k -> tensor (B, d)``
        Raw states ``x_k`` at the grid indices in ``record``.
    """
    record = set(int(k) for k in record)
    states: dict[int, torch.Tensor] = {}

    def keep(k: int, t: float, x: torch.Tensor) -> None:
        if k in record:
            states[k] = x.clone()

    x = reverse_sde(denoiser, x_start, temperatures, step_noise(seed, x_start.shape), callback=keep)
    return denoiser(x, float(temperatures[-1])), states


# ---------------------------------------------------------------------------------------------
# CRN response and clone agreement


@dataclass
class BranchingResult:
    """Output of :func:`branching_probe`; K_b branch temperatures, M trajectories."""

    temperatures: NDArray[np.float64]  # (K_b,) branch temperatures T_b
    response: NDArray[np.float64]  # (K_b, M) per-trajectory u.(x0' - x0) / delta
    agreement: NDArray[np.float64]  # (K_b, M) 1 if the clone ends in the same class
    final: NDArray[np.float64]  # (M, d) denoised final samples of the unperturbed run
    final_class: NDArray[np.int64]  # (M,) their classes


def branching_probe(
    denoiser: Denoiser,
    x_start: torch.Tensor,
    temperatures: Sequence[float],
    branch_indices: Sequence[int],
    direction: ArrayLike,
    classify: Classifier,
    *,
    kick: float = 0.25,
    seed: int = 0,
) -> BranchingResult:
    """CRN perturbation response and clone agreement at each branch temperature.

    Parameters
    ----------
    denoiser : callable ``(x, T) -> m``
    x_start : tensor of shape (M, d)
        States at ``temperatures[0]`` (e.g. :func:`gaussian_start`).
    temperatures : sequence of float, shape (K + 1,)
        Decreasing grid of the reverse SDE.
    branch_indices : sequence of int, shape (K_b,)
        Grid indices ``k_b`` at which the state is kicked / cloned.
    direction : array_like of shape (d,)
        Unit order-parameter direction ``u`` (class-mean difference or top PC).
    classify : callable ``x0 (M, d) -> class (M,)``
    kick : float
        Relative kick ``epsilon``: ``delta = epsilon sqrt(T_b)``, a fixed fraction of the noise
        scale, so the response stays in the linear regime at every branch temperature.
    seed : int
        Seed of the shared noise; clones use the independent stream ``seed + 1``.

    Notes
    -----
    Base run: ``x_k`` with noise ``z_k`` (:func:`step_noise`). For branch ``k_b`` two runs share
    one batch: the kicked state ``x_{k_b} + delta u`` with the *same* ``z_k`` (CRN), and a clone of
    ``x_{k_b}`` with independent noise. Response ``r = u . (D(x'_K) - D(x_K)) / delta`` per
    trajectory; agreement ``1[class(clone) == class(base)]``.
    """
    temperatures = [float(t) for t in temperatures]
    u = torch.as_tensor(np.asarray(direction, dtype=float)).to(x_start.dtype)
    shape = tuple(x_start.shape)
    base_noise, clone_noise = step_noise(seed, shape), step_noise(seed + 1, shape)
    final, states = generate(denoiser, x_start, temperatures, seed, record=branch_indices)
    final_class = classify(final)
    t_end = temperatures[-1]
    responses, agreements = [], []
    for kb in branch_indices:
        delta = kick * np.sqrt(temperatures[kb])
        xb = states[int(kb)]
        pair = torch.cat([xb + delta * u, xb])

        def noise(k: int, kb: int = int(kb)) -> torch.Tensor:
            return torch.cat([base_noise(k + kb), clone_noise(k + kb)])

        out = denoiser(reverse_sde(denoiser, pair, temperatures[kb:], noise), t_end)
        kicked, clone = out[: len(xb)], out[len(xb) :]
        responses.append(((kicked - final) @ u / delta).numpy())
        agreements.append((classify(clone) == final_class).double().numpy())
    return BranchingResult(
        temperatures=np.asarray([temperatures[k] for k in branch_indices]),
        response=np.asarray(responses),
        agreement=np.asarray(agreements),
        final=final.numpy(),
        final_class=final_class.numpy(),
    )


# ---------------------------------------------------------------------------------------------
# Jacobian of the denoiser along generation


def _fd_jvp(denoiser: Denoiser, x: torch.Tensor, t: float, v: torch.Tensor, h: float):
    return (denoiser(x + h * v, t) - denoiser(x - h * v, t)) / (2.0 * h)


def jacobian_top_eigenvalue(
    denoiser: Denoiser,
    x: torch.Tensor,
    temperature: float,
    *,
    n_iter: int = 30,
    fd_step: float = 1e-3,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Top eigenvalue of ``chi(x, T) = dm/dx`` per row of ``x`` by power iteration; shape (B,).

    ``chi v`` is a central finite difference with step ``h = fd_step sqrt(T)`` (relative to the
    noise scale, where ``m`` varies), so any callable works, trained or exact. ``chi`` is
    symmetric positive semi-definite for the exact denoiser (fluctuation-dissipation, docs/theory.md
    §Susceptibility) and nearly so for a trained one; the Rayleigh quotient ``v . chi v`` of the converged unit
    vector is returned.
    """
    h = fd_step * float(np.sqrt(temperature))
    v = torch.randn(x.shape, generator=generator, dtype=x.dtype)
    v = v / v.norm(dim=1, keepdim=True)
    for _ in range(n_iter):
        w = _fd_jvp(denoiser, x, temperature, v, h)
        v = w / w.norm(dim=1, keepdim=True).clamp_min(1e-300)
    return (v * _fd_jvp(denoiser, x, temperature, v, h)).sum(dim=1)


def directional_susceptibility(
    denoiser: Denoiser, x: torch.Tensor, temperature: float, u: ArrayLike, fd_step: float = 1e-3
) -> torch.Tensor:
    """``u^T chi(x, T) u`` per row (finite difference along the unit vector ``u``); shape (B,)."""
    u_t = torch.as_tensor(np.asarray(u, dtype=float)).to(x.dtype).expand_as(x)
    h = fd_step * float(np.sqrt(temperature))
    return (_fd_jvp(denoiser, x, temperature, u_t, h) * u_t).sum(dim=1)


def jacobian_along_generation(
    denoiser: Denoiser,
    x_start: torch.Tensor,
    temperatures: Sequence[float],
    record_indices: Sequence[int],
    direction: ArrayLike,
    *,
    seed: int = 0,
    n_iter: int = 30,
) -> dict[str, NDArray[np.float64]]:
    """Jacobian spectrum of the denoiser on its own generated trajectories.

    Returns
    -------
    dict with ``temperatures`` (R,), ``top_eigenvalue`` (R, B) and ``along_direction`` (R, B)
    (``u^T chi u``) at the recorded grid indices.
    """
    _, states = generate(denoiser, x_start, temperatures, seed, record=record_indices)
    gen = torch.Generator().manual_seed(int(seed) + 2)
    top, along = [], []
    for k in record_indices:
        t = float(temperatures[k])
        top.append(jacobian_top_eigenvalue(denoiser, states[k], t, n_iter=n_iter, generator=gen))
        along.append(directional_susceptibility(denoiser, states[k], t, direction))
    return {
        "temperatures": np.asarray([float(temperatures[k]) for k in record_indices]),
        "top_eigenvalue": torch.stack(top).numpy(),
        "along_direction": torch.stack(along).numpy(),
    }


# ---------------------------------------------------------------------------------------------
# Noise-and-regenerate: class and identity commitment


def noise_and_regenerate(
    denoiser: Denoiser,
    y0: torch.Tensor,
    temperatures: Sequence[float],
    start_indices: Sequence[int],
    classify: Classifier,
    train: torch.Tensor,
    *,
    seed: int = 0,
) -> dict[str, NDArray[np.float64]]:
    """Noise clean images to ``T_k``, regenerate them, and compare class and identity.

    Parameters
    ----------
    y0 : tensor of shape (B, d)
        Clean images (training images, so that "identity" is defined).
    temperatures : decreasing grid (K + 1,); regeneration runs over ``temperatures[k:]``.
    start_indices : grid indices ``k`` of the noise levels, shape (R,).
    classify : class of a clean or regenerated image.
    train : tensor of shape (N, d)
        Training set: identity = index of the nearest training image.

    Returns
    -------
    dict with ``temperatures`` (R,), ``class_kept`` (R, B) and ``identity_kept`` (R, B): 1 when
    the regenerated image has the class / the nearest training image of its clean start.
    Class is decided at higher temperature than identity: the hierarchy of docs/theory.md §Trained denoisers.
    """
    temperatures = [float(t) for t in temperatures]
    cls0 = classify(y0)
    id0 = nearest_neighbour_index(y0.to(train.dtype), train)
    gen = torch.Generator().manual_seed(int(seed))
    class_kept, identity_kept = [], []
    for k in start_indices:
        z = torch.randn(y0.shape, generator=gen, dtype=y0.dtype)
        x = y0 + np.sqrt(temperatures[k]) * z
        noise = _offset(step_noise(int(seed) + 3, y0.shape), int(k))
        x0 = denoiser(reverse_sde(denoiser, x, temperatures[k:], noise), temperatures[-1])
        class_kept.append((classify(x0) == cls0).double())
        identity_kept.append((nearest_neighbour_index(x0.to(train.dtype), train) == id0).double())
    return {
        "temperatures": np.asarray([temperatures[k] for k in start_indices]),
        "class_kept": torch.stack(class_kept).numpy(),
        "identity_kept": torch.stack(identity_kept).numpy(),
    }


# ---------------------------------------------------------------------------------------------
# Memorization


def memorization_fraction(
    samples: ArrayLike, train: ArrayLike, ratio: float = 1.0 / 3.0
) -> tuple[float, NDArray[np.float64]]:
    """Fraction of samples that copy a training image, and each sample's distance ratio.

    A sample copies when ``d_1 < ratio d_2``, with ``d_1 <= d_2`` the distances to its nearest and
    second-nearest training images (the criterion of Carlini et al. 2023 and Gu et al. 2023,
    ``ratio = 1/3``); needs at least two training images.

    Returns
    -------
    fraction : float
    ratios : ndarray of shape (B,)
        ``d_1 / d_2``.
    """
    x = torch.as_tensor(np.asarray(samples, dtype=float))
    y = torch.as_tensor(np.asarray(train, dtype=float))
    d2 = ((x * x).sum(1, keepdim=True) - 2.0 * x @ y.T + (y * y).sum(1)[None, :]).clamp_min(0)
    if y.shape[0] < 2:
        raise ValueError(f"memorization_fraction needs >= 2 training images, got {y.shape[0]}")
    two = torch.topk(d2.sqrt(), 2, dim=1, largest=False).values
    ratios = (two[:, 0] / two[:, 1].clamp_min(1e-300)).numpy()
    return float(np.mean(ratios < ratio)), ratios
