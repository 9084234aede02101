"""Training loop of the denoisers: seeded, deterministic on CPU, checkpointed and resumable.

One loop, :func:`train_denoisers`, with commented phases in the style of EDM's
``training_loop``: set up, resume, loop (batch, loss, step, EMA), checkpoint, return. It trains K
models of one architecture together (stacked weights); a single model is K = 1. Every source of
randomness is an explicit generator per model whose state is saved in the checkpoint:

* a ``numpy.random.Generator`` (PCG64) draws the minibatch indices;
* a ``torch.Generator`` draws the noise levels and the noise;
* model initialisation draws from torch's global generator inside :func:`make_model`, seeded and
  restored on exit (``torch.random.fork_rng``), so it never depends on what ran before.

A run killed at any point and started again with the same arguments continues from its last
checkpoint and ends with bit-identical weights, EMA weights, optimiser state and loss curve (same
machine, same thread count; CPU float32; on CUDA ``torch.use_deterministic_algorithms(True)``,
checked by tests/thermodiff/test_training.py on the CPU). Checkpoints
are written atomically and read with ``torch.load(..., weights_only=True)``.
"""

from __future__ import annotations

import copy
import io
import logging
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from thermodiff.files import atomic_path
from thermodiff.models import (
    EDMDenoiser,
    build_denoiser,
    stack_denoisers,
    stacked_edm_loss,
    unstack_denoisers,
)

logger = logging.getLogger("thermodiff.training")


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of one training run (all saved beside the model).

    No field has a default: the values come from the config (``trained.training`` and
    ``trained.noise``, whose defaults are in the workflow's schema) through the job's params.
    """

    steps: int  # optimiser steps
    batch_size: int  # training points per step (drawn with replacement)
    learning_rate: float  # Adam peak learning rate
    warmup_steps: int  # linear warm-up, then cosine decay to 0 at ``steps``
    ema_decay: float  # EMA of the weights, with the (1 + t) / (10 + t) warm start
    sigma_min: float  # smallest training noise level sigma = sqrt(T)
    sigma_max: float  # largest training noise level
    grad_clip: float  # max global gradient norm
    checkpoint_every: int  # steps between checkpoints (0: never)
    log_every: int  # steps between progress lines (0: never)
    seed: int  # seeds initialisation, batches and noise


@dataclass
class TrainResult:
    """What :func:`train_denoisers` returns for each model."""

    model: EDMDenoiser  # raw (last-step) weights
    ema: EDMDenoiser  # EMA weights: the model used by the experiments
    losses: np.ndarray  # (steps,) training loss per step
    resumed_from: int  # step of the checkpoint the run resumed from (0: fresh start)
    wall_time_s: float  # time spent in this call


def resolve_device(setting: str) -> str:
    """``"auto"`` -> ``"cuda"`` when torch sees a GPU, else ``"cpu"``; ``"cuda"`` without one is an error."""
    if setting == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if setting == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(
            "config trained.device is 'cuda' but torch sees no GPU; use 'auto' or 'cpu'"
        )
    return setting


def make_model(seed: int, dim: int, sigma_data: float, **architecture) -> EDMDenoiser:
    """:func:`thermodiff.models.build_denoiser` with weights drawn from ``seed`` only."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return build_denoiser(dim, sigma_data, **architecture)


def learning_rate(step: int, cfg: TrainConfig) -> float:
    """Linear warm-up over ``warmup_steps`` then cosine decay: lr at (0-based) ``step``."""
    warm = min(1.0, (step + 1) / max(cfg.warmup_steps, 1))
    return cfg.learning_rate * warm * 0.5 * (1.0 + math.cos(math.pi * step / cfg.steps))


def _numpy_state(rng: np.random.Generator) -> dict:
    return rng.bit_generator.state


def _save_checkpoint(path: Path, state: dict) -> None:
    # Serialised in memory first: torch.save to a path names the zip's inner folder after the
    # file, so the unique temporary's random name would make identical weights differ in bytes.
    buffer = io.BytesIO()
    torch.save(state, buffer)
    # a temporary unique to this writer (two runs of one model never share it); umask honoured
    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(buffer.getvalue())


def load_checkpoint(path: str | os.PathLike) -> dict:
    """A checkpoint of :func:`train_denoisers` (``weights_only=True``: tensors and plain data)."""
    return torch.load(path, map_location="cpu", weights_only=True)


def _save_training_state(
    path: Path,
    done: int,
    configs: list[dict],
    model: torch.nn.Module,
    ema: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    batch_rngs: Sequence[np.random.Generator],
    noise_gens: Sequence[torch.Generator],
    losses: torch.Tensor,
) -> None:
    """Checkpoint every state a resumed run needs to continue bit-identically (K models)."""
    _save_checkpoint(
        path,
        {
            "step": done,
            "configs": configs,
            "model": model.state_dict(),
            "ema": ema.state_dict(),
            "optimizer": optimizer.state_dict(),
            "numpy_rngs": [_numpy_state(rng) for rng in batch_rngs],
            "torch_rngs": [gen.get_state() for gen in noise_gens],
            "losses": losses,
        },
    )


def _restore_training_state(
    path: Path,
    configs: list[dict],
    model: torch.nn.Module,
    ema: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    batch_rngs: Sequence[np.random.Generator],
    noise_gens: Sequence[torch.Generator],
) -> tuple[int, torch.Tensor]:
    """Load a checkpoint of :func:`_save_training_state` into the given objects, in place.

    Returns the step it was written at and the loss curve so far. Refuses a checkpoint written
    with other configs (another run's state must never be continued silently).
    """
    state = load_checkpoint(path)
    if "config" in state:  # a single-model checkpoint of the earlier format: one of each
        state["configs"], state["numpy_rngs"] = [state["config"]], [state["numpy_rng"]]
        state["torch_rngs"] = [state["torch_rng"]]
    if state["configs"] != configs:
        raise ValueError(
            f"{path}: checkpoint was written with configs {state['configs']}, not {configs}; "
            "delete it to start afresh"
        )
    model.load_state_dict(state["model"])
    ema.load_state_dict(state["ema"])
    optimizer.load_state_dict(state["optimizer"])
    for rng, saved_rng in zip(batch_rngs, state["numpy_rngs"], strict=True):
        rng.bit_generator.state = saved_rng
    for gen, saved_gen in zip(noise_gens, state["torch_rngs"], strict=True):
        gen.set_state(saved_gen)
    return int(state["step"]), state["losses"].clone()


# ---------------------------------------------------------------------------------------------
# K models trained together (stacked weights): one process, one batched pass per step

# fields of TrainConfig that may differ between stacked models; the others drive the shared
# learning-rate schedule, EMA and clipping and must be equal
PER_MODEL_FIELDS = ("seed", "sigma_min", "sigma_max")


def clip_grad_norms_(parameters, max_norm: float) -> torch.Tensor:
    """Clip the gradient of each of K stacked models to global norm ``max_norm``, in place.

    For every parameter ``p`` of shape (K, ...), model k's gradient is ``p.grad[k]``; its global
    norm ``n_k = || (||g_1[k]||, ||g_2[k]||, ...) ||`` is taken over all parameters and the
    gradient scaled by ``min(1, max_norm / (n_k + 1e-6))``: per model exactly what
    ``torch.nn.utils.clip_grad_norm_`` does to a single model. Returns the norms ``n`` (K,).
    """
    grads = [p.grad for p in parameters if p.grad is not None]
    k = grads[0].shape[0]
    norms = torch.stack([torch.linalg.vector_norm(g.reshape(k, -1), dim=1) for g in grads])
    total = torch.linalg.vector_norm(norms, dim=0)
    coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    for g in grads:
        g.mul_(coef.view(k, *[1] * (g.ndim - 1)))
    return total


def train_denoisers(
    models: list[EDMDenoiser],
    datasets: list[np.ndarray],
    cfgs: list[TrainConfig],
    *,
    checkpoint: str | os.PathLike | None = None,
    device: str = "cpu",
    on_step: Callable[[int, np.ndarray], None] | None = None,
) -> list[TrainResult]:
    """Train K models together, model k on ``datasets[k]`` with ``cfgs[k]``, as K separate runs
    would, in one batched pass per step; one model is K = 1.

    Every model keeps its own data stream: minibatch indices from its own PCG64
    (``cfgs[k].seed``), noise levels and noise from its own ``torch.Generator``, weights from its
    own :func:`make_model`. The K networks are stacked (:class:`thermodiff.models.StackedDenoiser`)
    and share nothing but the arithmetic: the loss summed over models has model k's gradient in
    slice k, Adam and the EMA are element-wise, and clipping is per model
    (:func:`clip_grad_norms_`). The results equal K separate runs up to float rounding (batched
    instead of single matrix products), and a killed run resumes from ``checkpoint`` to
    bit-identical weights.

    Parameters
    ----------
    models : list of K EDMDenoiser
        Freshly initialised models of one architecture (:func:`make_model`).
    datasets : list of K arrays of shape (N_k, d)
        Training set of each model (sizes may differ; one dimension d).
    cfgs : list of K TrainConfig
        Equal except in :data:`PER_MODEL_FIELDS` (seed and noise range).
    checkpoint : path, optional
        One file for the K models (every ``checkpoint_every`` steps); resumed if it exists, its
        saved configs must equal ``cfgs``.
    device : str
        ``"cpu"`` or ``"cuda"``; random draws always on the CPU generators.
    on_step : callable ``(step, losses (K,))``, optional
        Called after every step (1-based ``step``); tests raise from it to simulate a kill.

    Returns
    -------
    list of K TrainResult
        Model k's raw and EMA weights as separate models, its loss curve (steps,), the step
        resumed from and the wall time of the whole call.
    """
    started = time.time()
    if not (len(models) == len(datasets) == len(cfgs) > 0):
        raise ValueError(f"{len(models)} models, {len(datasets)} datasets, {len(cfgs)} configs")
    shared = [{k: v for k, v in asdict(c).items() if k not in PER_MODEL_FIELDS} for c in cfgs]
    if any(s != shared[0] for s in shared):
        raise ValueError(f"stacked runs differ in more than {PER_MODEL_FIELDS}: {shared}")
    cfg, n_models = cfgs[0], len(models)
    # -- Phase 1: set-up. One stacked model; explicit generators per model. -------------------
    if str(device).startswith("cuda"):
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
    ys = [torch.as_tensor(np.asarray(y), dtype=torch.float32) for y in datasets]
    model = stack_denoisers(models).to(device)
    ema = copy.deepcopy(model).requires_grad_(False)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.learning_rate)
    batch_rngs = [np.random.Generator(np.random.PCG64(c.seed)) for c in cfgs]
    noise_gens = [torch.Generator().manual_seed(c.seed) for c in cfgs]
    sigma_min, sigma_max = [c.sigma_min for c in cfgs], [c.sigma_max for c in cfgs]
    losses = torch.zeros((n_models, cfg.steps), dtype=torch.float32)
    start = 0

    # -- Phase 2: resume from the last checkpoint, restoring every state. ----------------------
    path = Path(checkpoint) if checkpoint is not None else None
    configs = [asdict(c) for c in cfgs]
    if path is not None and path.exists():
        start, losses = _restore_training_state(
            path, configs, model, ema, optimizer, batch_rngs, noise_gens
        )
        logger.info("resumed %d models from %s at step %d/%d", n_models, path, start, cfg.steps)

    # -- Phase 3: the loop. -------------------------------------------------------------------
    model.train()
    tick, tick_step = time.time(), start
    for step in range(start, cfg.steps):
        # each model's batch from its own generator (CPU), then stacked: (K, B, d)
        batch = torch.stack(
            [y[torch.from_numpy(rng.integers(0, len(y), size=cfg.batch_size))]
             for y, rng in zip(ys, batch_rngs, strict=True)]
        ).to(device)  # fmt: skip
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, cfg)
        loss = stacked_edm_loss(model, batch, sigma_min, sigma_max, noise_gens)  # (K,)
        optimizer.zero_grad(set_to_none=True)
        loss.sum().backward()
        clip_grad_norms_(model.parameters(), cfg.grad_clip)
        optimizer.step()
        decay = min(cfg.ema_decay, (1.0 + step) / (10.0 + step))
        with torch.no_grad():
            for p_ema, p in zip(ema.parameters(), model.parameters(), strict=True):
                p_ema.lerp_(p, 1.0 - decay)
        losses[:, step] = loss.detach().cpu()
        done = step + 1

        # -- Phase 4: progress and checkpoints. -----------------------------------------------
        if cfg.log_every and (done % cfg.log_every == 0 or done == cfg.steps):
            rate = (done - tick_step) / max(time.time() - tick, 1e-9)
            window = losses[:, max(0, done - cfg.log_every) : done].mean(dim=1)
            logger.info(
                "step %d/%d  loss per model %s (mean of last %d)  lr %.2e  %.1f steps/s",
                done, cfg.steps, " ".join(f"{v:.4f}" for v in window.tolist()),
                min(cfg.log_every, done), learning_rate(step, cfg), rate,
            )  # fmt: skip
            tick, tick_step = time.time(), done
        if path is not None and cfg.checkpoint_every and done % cfg.checkpoint_every == 0:
            _save_training_state(
                path, done, configs, model, ema, optimizer, batch_rngs, noise_gens, losses
            )
        if on_step is not None:
            on_step(done, losses[:, step].numpy().copy())

    # -- Phase 5: split into K models and loss curves. ----------------------------------------
    raws, emas = unstack_denoisers(model.eval()), unstack_denoisers(ema.eval())
    wall = time.time() - started
    return [
        TrainResult(raw, avg, curve.numpy().astype(np.float64), start, wall)
        for raw, avg, curve in zip(raws, emas, losses, strict=True)
    ]


def save_model(path: str | os.PathLike, model: EDMDenoiser, metadata: dict) -> None:
    """Write a model's weights and the metadata needed to rebuild it (atomic).

    ``metadata`` must hold ``dim``, ``sigma_data`` and the architecture keywords of
    :func:`thermodiff.models.build_denoiser`; only plain types (``weights_only`` loadable).
    """
    _save_checkpoint(Path(path), {"state_dict": model.state_dict(), "metadata": dict(metadata)})


def load_model(path: str | os.PathLike, device: str = "cpu") -> tuple[EDMDenoiser, dict]:
    """Rebuild a model saved by :func:`save_model` (``weights_only=True``): (model, metadata)."""
    state = torch.load(path, map_location=device, weights_only=True)
    meta = state["metadata"]
    arch = {k: meta[k] for k in ("width", "depth", "n_frequencies")}
    model = build_denoiser(meta["dim"], meta["sigma_data"], **arch)
    model.load_state_dict(state["state_dict"])
    return model.to(device).eval(), meta
