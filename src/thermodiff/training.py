"""Training loop of the denoisers: seeded, deterministic on CPU, checkpointed and resumable.

One function, :func:`train_denoiser`, with commented phases in the style of EDM's
``training_loop``: set up, resume, loop (batch, loss, step, EMA), checkpoint, return. Every source
of randomness is an explicit generator whose state is saved in the checkpoint:

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
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from thermodiff.io import atomic_path
from thermodiff.models import EDMDenoiser, build_denoiser, edm_loss

logger = logging.getLogger("thermodiff.training")


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of one training run (all saved beside the model)."""

    steps: int = 4000  # optimiser steps
    batch_size: int = 256  # training points per step (drawn with replacement)
    learning_rate: float = 2e-3  # Adam peak learning rate
    warmup_steps: int = 200  # linear warm-up, then cosine decay to 0 at ``steps``
    ema_decay: float = 0.999  # EMA of the weights, with the (1 + t) / (10 + t) warm start
    sigma_min: float = 0.02  # smallest training noise level sigma = sqrt(T)
    sigma_max: float = 40.0  # largest training noise level
    grad_clip: float = 1.0  # max global gradient norm
    checkpoint_every: int = 1000  # steps between checkpoints (0: never)
    log_every: int = 500  # steps between progress lines
    seed: int = 0  # seeds initialisation, batches and noise


@dataclass
class TrainResult:
    """What :func:`train_denoiser` returns."""

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
    """A checkpoint of :func:`train_denoiser` (``weights_only=True``: tensors and plain data)."""
    return torch.load(path, map_location="cpu", weights_only=True)


def train_denoiser(
    model: EDMDenoiser,
    data: np.ndarray,
    cfg: TrainConfig,
    *,
    checkpoint: str | os.PathLike | None = None,
    device: str = "cpu",
    on_step: Callable[[int, float], None] | None = None,
) -> TrainResult:
    """Train ``model`` on ``data`` with the EDM loss; resume from ``checkpoint`` if it exists.

    Parameters
    ----------
    model : EDMDenoiser
        Freshly initialised model (see :func:`make_model`); its weights are overwritten on resume.
    data : ndarray of shape (N, d)
        Training set.
    cfg : TrainConfig
    checkpoint : path, optional
        File for periodic checkpoints (every ``cfg.checkpoint_every`` steps). If it exists the run
        continues from it; its saved config must equal ``cfg``.
    device : str
        ``"cpu"`` or ``"cuda"``. Random draws always happen on the CPU generators (bit-identical
        batches and noise on any device); only the arithmetic moves.
    on_step : callable ``(step, loss)``, optional
        Called after every step (1-based ``step``); tests raise from it to simulate a kill.

    Returns
    -------
    TrainResult
    """
    started = time.time()
    # -- Phase 1: set-up. Deterministic kernels; explicit generators from the seed. -----------
    if str(device).startswith("cuda"):  # deterministic cuBLAS needs a fixed workspace
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
    # (on the CPU the kernels used here -- dense products, pointwise ops, Adam -- are
    # deterministic for a fixed thread count; the flag would only cost a 1.5 s import)
    y = torch.as_tensor(np.asarray(data), dtype=torch.float32)
    model = model.to(device)
    ema = copy.deepcopy(model).requires_grad_(False)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.learning_rate)
    batch_rng = np.random.Generator(np.random.PCG64(cfg.seed))
    noise_gen = torch.Generator().manual_seed(cfg.seed)
    losses = torch.zeros(cfg.steps, dtype=torch.float32)
    start = 0

    # -- Phase 2: resume from the last checkpoint, restoring every state. ----------------------
    path = Path(checkpoint) if checkpoint is not None else None
    if path is not None and path.exists():
        state = load_checkpoint(path)
        if state["config"] != asdict(cfg):
            raise ValueError(
                f"{path}: checkpoint was written with config {state['config']}, not {asdict(cfg)}; "
                "delete it to start afresh"
            )
        model.load_state_dict(state["model"])
        ema.load_state_dict(state["ema"])
        optimizer.load_state_dict(state["optimizer"])
        batch_rng.bit_generator.state = state["numpy_rng"]
        noise_gen.set_state(state["torch_rng"])
        losses = state["losses"].clone()
        start = int(state["step"])
        logger.info("resumed from %s at step %d/%d", path, start, cfg.steps)

    # -- Phase 3: the loop. -------------------------------------------------------------------
    model.train()
    tick, tick_step = time.time(), start
    for step in range(start, cfg.steps):
        # batch and noise (CPU generators, then moved)
        idx = batch_rng.integers(0, len(y), size=cfg.batch_size)
        batch = y[torch.from_numpy(idx)].to(device)
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, cfg)
        # loss and optimiser step
        loss = edm_loss(model, batch, cfg.sigma_min, cfg.sigma_max, noise_gen)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
        optimizer.step()
        # EMA with warm start: early averages do not remember the random initialisation
        decay = min(cfg.ema_decay, (1.0 + step) / (10.0 + step))
        with torch.no_grad():
            for p_ema, p in zip(ema.parameters(), model.parameters(), strict=True):
                p_ema.lerp_(p, 1.0 - decay)
        losses[step] = loss.detach().cpu()
        done = step + 1

        # -- Phase 4: progress and checkpoints. -----------------------------------------------
        if cfg.log_every and (done % cfg.log_every == 0 or done == cfg.steps):
            rate = (done - tick_step) / max(time.time() - tick, 1e-9)
            window = losses[max(0, done - cfg.log_every) : done].mean().item()
            logger.info(
                "step %d/%d  loss %.4f (mean of last %d)  lr %.2e  %.0f steps/s",
                done, cfg.steps, window, min(cfg.log_every, done), learning_rate(step, cfg), rate,
            )  # fmt: skip
            tick, tick_step = time.time(), done
        if path is not None and cfg.checkpoint_every and done % cfg.checkpoint_every == 0:
            _save_checkpoint(
                path,
                {
                    "step": done,
                    "config": asdict(cfg),
                    "model": model.state_dict(),
                    "ema": ema.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "numpy_rng": _numpy_state(batch_rng),
                    "torch_rng": noise_gen.get_state(),
                    "losses": losses,
                },
            )
        if on_step is not None:
            on_step(done, float(losses[step]))

    # -- Phase 5: return weights and the loss curve. ------------------------------------------
    model.eval()
    ema.eval()
    return TrainResult(
        model=model,
        ema=ema,
        losses=losses.numpy().astype(np.float64),
        resumed_from=start,
        wall_time_s=time.time() - started,
    )


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
    arch = {k: meta[k] for k in ("width", "depth", "n_frequencies") if k in meta}
    model = build_denoiser(meta["dim"], meta["sigma_data"], **arch)
    model.load_state_dict(state["state_dict"])
    return model.to(device).eval(), meta
