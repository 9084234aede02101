"""Training loop: determinism on CPU and bit-identical resume after an interruption."""

import numpy as np
import pytest
import torch

from thermodiff.models import as_denoiser
from thermodiff.training import (
    TrainConfig,
    load_checkpoint,
    load_model,
    make_model,
    save_model,
    train_denoiser,
)

torch.set_num_threads(1)

ARCH = {"width": 32, "depth": 2, "n_frequencies": 4}


def _data(n=64, d=8, seed=0):
    rng = np.random.default_rng(seed)
    return np.sign(rng.standard_normal((n, 1))) + 0.3 * rng.standard_normal((n, d))


def _run(cfg, checkpoint=None, on_step=None, data=None):
    data = _data() if data is None else data
    model = make_model(cfg.seed, data.shape[1], float(data.std()), **ARCH)
    return train_denoiser(model, data, cfg, checkpoint=checkpoint, on_step=on_step)


def _same_weights(a, b):
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


class Interrupted(Exception):
    pass


def test_two_step_training_is_deterministic_on_cpu():
    cfg = TrainConfig(steps=2, batch_size=16, checkpoint_every=0, log_every=0, seed=3)
    first, second = _run(cfg), _run(cfg)
    assert _same_weights(first.model, second.model) and _same_weights(first.ema, second.ema)
    np.testing.assert_array_equal(first.losses, second.losses)
    other = _run(TrainConfig(steps=2, batch_size=16, checkpoint_every=0, log_every=0, seed=4))
    assert not _same_weights(first.model, other.model)


def test_resume_after_interruption_gives_identical_weights(tmp_path):
    cfg = TrainConfig(steps=9, batch_size=16, warmup_steps=3, checkpoint_every=3, log_every=0)
    reference = _run(cfg)

    ckpt = tmp_path / "run.ckpt"

    def kill_at_step_7(step, loss):  # after the checkpoint of step 6, before the one of step 9
        if step == 7:
            raise Interrupted

    with pytest.raises(Interrupted):
        _run(cfg, checkpoint=ckpt, on_step=kill_at_step_7)
    assert load_checkpoint(ckpt)["step"] == 6  # torch.load(..., weights_only=True)
    # written through a temporary unique to the writer (io.atomic_path), none left behind
    assert [p.name for p in tmp_path.iterdir()] == ["run.ckpt"]

    resumed = _run(cfg, checkpoint=ckpt)
    assert resumed.resumed_from == 6
    assert _same_weights(reference.model, resumed.model)
    assert _same_weights(reference.ema, resumed.ema)
    np.testing.assert_array_equal(reference.losses, resumed.losses)


def test_resume_refuses_a_checkpoint_of_another_config(tmp_path):
    ckpt = tmp_path / "run.ckpt"
    _run(TrainConfig(steps=2, batch_size=8, checkpoint_every=1, log_every=0), checkpoint=ckpt)
    with pytest.raises(ValueError, match="checkpoint was written with config"):
        _run(TrainConfig(steps=2, batch_size=8, checkpoint_every=1, log_every=0, seed=1), ckpt)


def test_saved_model_round_trips_with_weights_only(tmp_path):
    result = _run(TrainConfig(steps=2, batch_size=8, checkpoint_every=0, log_every=0))
    meta = {"dim": 8, "sigma_data": result.ema.sigma_data, **ARCH}
    save_model(tmp_path / "m.pt", result.ema, meta)
    loaded, meta_back = load_model(tmp_path / "m.pt")
    assert meta_back == meta and _same_weights(loaded, result.ema)


def test_short_training_learns_the_two_delta_denoiser():
    # 1-D data +-1: the optimal denoiser is tanh(x / T) (physics.md §3.1). The untrained model
    # x / (1 + T) is off by up to 0.27 at T = 1 on |x| <= 1.5; training must at least halve that
    # (seeds 0-3 give 0.02-0.07).
    y = np.repeat([[1.0], [-1.0]], 256, axis=0)
    cfg = TrainConfig(
        steps=1000, batch_size=128, learning_rate=2e-3, warmup_steps=50, sigma_min=0.1,
        sigma_max=5.0, checkpoint_every=0, log_every=0,
    )  # fmt: skip
    result = _run(cfg, data=y)
    x = torch.linspace(-1.5, 1.5, 31, dtype=torch.float64)[:, None]
    m = as_denoiser(result.ema)(x, 1.0)
    assert torch.max(torch.abs(m - torch.tanh(x))) < 0.135
    assert result.losses[-100:].mean() < result.losses[:100].mean()
