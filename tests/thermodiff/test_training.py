"""Training loop: determinism on CPU and bit-identical resume after an interruption."""

import dataclasses

import numpy as np
import pytest
import torch

from thermodiff.models import as_denoiser, stack_denoisers, unstack_denoisers
from thermodiff.training import (
    TrainConfig,
    clip_grad_norms_,
    load_checkpoint,
    load_model,
    make_model,
    save_model,
    train_denoisers,
)

torch.set_num_threads(1)

ARCH = {"width": 32, "depth": 2, "n_frequencies": 4}
# a test's own settings (TrainConfig has no defaults: the config's come from the schema)
BASE = {
    "learning_rate": 2e-3, "warmup_steps": 200, "ema_decay": 0.999, "sigma_min": 0.02,
    "sigma_max": 40.0, "grad_clip": 1.0, "checkpoint_every": 0, "log_every": 0, "seed": 0,
}  # fmt: skip


def _cfg(**settings):
    return TrainConfig(**(BASE | settings))


def _data(n=64, d=8, seed=0):
    rng = np.random.default_rng(seed)
    return np.sign(rng.standard_normal((n, 1))) + 0.3 * rng.standard_normal((n, d))


def _run(cfg, checkpoint=None, on_step=None, data=None):
    data = _data() if data is None else data
    model = make_model(cfg.seed, data.shape[1], float(data.std()), **ARCH)
    # one model: the stacked loop with K = 1
    hook = None if on_step is None else (lambda step, losses: on_step(step, float(losses[0])))
    return train_denoisers([model], [data], [cfg], checkpoint=checkpoint, on_step=hook)[0]


def _same_weights(a, b):
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


class Interrupted(Exception):
    pass


def test_two_step_training_is_deterministic_on_cpu():
    cfg = _cfg(steps=2, batch_size=16, checkpoint_every=0, log_every=0, seed=3)
    first, second = _run(cfg), _run(cfg)
    assert _same_weights(first.model, second.model) and _same_weights(first.ema, second.ema)
    np.testing.assert_array_equal(first.losses, second.losses)
    other = _run(_cfg(steps=2, batch_size=16, checkpoint_every=0, log_every=0, seed=4))
    assert not _same_weights(first.model, other.model)


def test_resume_after_interruption_gives_identical_weights(tmp_path):
    cfg = _cfg(steps=9, batch_size=16, warmup_steps=3, checkpoint_every=3, log_every=0)
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


def test_resume_reads_a_single_model_checkpoint_of_the_earlier_format(tmp_path):
    # before the checkpoint code was shared, a single-model file had config / numpy_rng /
    # torch_rng instead of one-element lists: a run interrupted then still resumes identically
    cfg = _cfg(steps=6, batch_size=16, warmup_steps=2, checkpoint_every=3, log_every=0)
    reference = _run(cfg)
    ckpt = tmp_path / "run.ckpt"

    def kill_at_step_4(step, loss):
        if step == 4:
            raise Interrupted

    with pytest.raises(Interrupted):
        _run(cfg, checkpoint=ckpt, on_step=kill_at_step_4)
    state = load_checkpoint(ckpt)
    old = {k: v for k, v in state.items() if k not in ("configs", "numpy_rngs", "torch_rngs")}
    old.update(
        config=state["configs"][0],
        numpy_rng=state["numpy_rngs"][0],
        torch_rng=state["torch_rngs"][0],
    )
    torch.save(old, ckpt)
    resumed = _run(cfg, checkpoint=ckpt)
    assert resumed.resumed_from == 3
    assert _same_weights(reference.ema, resumed.ema)
    np.testing.assert_array_equal(reference.losses, resumed.losses)


def test_resume_refuses_a_checkpoint_of_another_config(tmp_path):
    ckpt = tmp_path / "run.ckpt"
    _run(_cfg(steps=2, batch_size=8, checkpoint_every=1, log_every=0), checkpoint=ckpt)
    with pytest.raises(ValueError, match="checkpoint was written with config"):
        _run(_cfg(steps=2, batch_size=8, checkpoint_every=1, log_every=0, seed=1), ckpt)


def test_saved_model_round_trips_with_weights_only(tmp_path):
    result = _run(_cfg(steps=2, batch_size=8, checkpoint_every=0, log_every=0))
    meta = {"dim": 8, "sigma_data": result.ema.sigma_data, **ARCH}
    save_model(tmp_path / "m.pt", result.ema, meta)
    loaded, meta_back = load_model(tmp_path / "m.pt")
    assert meta_back == meta and _same_weights(loaded, result.ema)


def test_short_training_learns_the_two_delta_denoiser():
    # 1-D data +-1: the optimal denoiser is tanh(x / T) (docs/theory.md §Two-delta model). The untrained model
    # x / (1 + T) is off by up to 0.27 at T = 1 on |x| <= 1.5; training must at least halve that
    # (seeds 0-3 give 0.02-0.07).
    y = np.repeat([[1.0], [-1.0]], 256, axis=0)
    cfg = _cfg(
        steps=1000, batch_size=128, learning_rate=2e-3, warmup_steps=50, sigma_min=0.1,
        sigma_max=5.0, checkpoint_every=0, log_every=0,
    )  # fmt: skip
    result = _run(cfg, data=y)
    x = torch.linspace(-1.5, 1.5, 31, dtype=torch.float64)[:, None]
    m = as_denoiser(result.ema)(x, 1.0)
    assert torch.max(torch.abs(m - torch.tanh(x))) < 0.135
    assert result.losses[-100:].mean() < result.losses[:100].mean()


# ---- K models trained together (stacked weights)


def _ensemble(steps=12, checkpoint_every=0, seeds=(3, 5, 3)):
    """Three runs that differ in data (sizes, scales), seed and noise range; two share a seed."""
    rng = np.random.default_rng(1)
    datas = [s * rng.standard_normal((n, 8)) for n, s in ((64, 1.0), (10, 0.5), (33, 2.0))]
    base = _cfg(
        steps=steps, batch_size=16, warmup_steps=3, checkpoint_every=checkpoint_every, log_every=0
    )
    cfgs = [
        dataclasses.replace(base, seed=seed, sigma_min=0.02 * (i + 1), sigma_max=10.0 + i)
        for i, seed in enumerate(seeds)
    ]
    return datas, cfgs


def _run_stacked(datas, cfgs, checkpoint=None, on_step=None):
    models = [
        make_model(c.seed, 8, float(d.std()), **ARCH) for d, c in zip(datas, cfgs, strict=True)
    ]
    return train_denoisers(models, datas, cfgs, checkpoint=checkpoint, on_step=on_step)


def test_stack_and_unstack_round_trip_and_evaluate_each_model():
    models = [make_model(seed, 8, sd, **ARCH) for seed, sd in ((0, 0.5), (1, 2.0))]
    for m in models:  # non-zero output layers, so that the network part counts
        torch.nn.init.normal_(m.net.out.weight, generator=torch.Generator().manual_seed(9))
    stacked = stack_denoisers(models)
    back = unstack_denoisers(stacked)
    assert all(_same_weights(a, b) for a, b in zip(models, back, strict=True))
    assert [m.sigma_data for m in back] == [0.5, 2.0]
    x = torch.randn(2, 5, 8, generator=torch.Generator().manual_seed(1))
    sigma = torch.tensor([[0.1, 0.5, 1.0, 3.0, 30.0], [0.02, 0.2, 2.0, 8.0, 40.0]])
    out = stacked(x, sigma)
    for k, m in enumerate(models):
        torch.testing.assert_close(out[k], m(x[k], sigma[k]), rtol=1e-5, atol=1e-6)


def test_per_model_clipping_equals_torch_clipping_of_each_model():
    gen = torch.Generator().manual_seed(2)
    grads = [torch.randn(3, 4, 5, generator=gen), torch.randn(3, 7, generator=gen)]
    grads[0][1] *= 1e-3  # model 1 is below the threshold and must not be scaled
    stacked = [torch.zeros_like(g, requires_grad=True) for g in grads]
    for p, g in zip(stacked, grads, strict=True):
        p.grad = g.clone()
    norms = clip_grad_norms_(stacked, 1.0)
    for k in range(3):
        single = [torch.zeros_like(g[k], requires_grad=True) for g in grads]
        for p, g in zip(single, grads, strict=True):
            p.grad = g[k].clone()
        norm = torch.nn.utils.clip_grad_norm_(single, 1.0)
        torch.testing.assert_close(norms[k], norm)
        for p, q in zip(stacked, single, strict=True):
            torch.testing.assert_close(p.grad[k], q.grad)


def test_stacked_training_agrees_with_separate_runs():
    # Same data streams (batches, noise) per model: only float rounding of batched products may
    # differ. Over 12 steps (Adam, clipping, EMA) losses and weights agree to ~1e-6.
    datas, cfgs = _ensemble()
    stacked = _run_stacked(datas, cfgs)
    for data, cfg, together in zip(datas, cfgs, stacked, strict=True):
        alone = _run(cfg, data=data)
        np.testing.assert_allclose(together.losses, alone.losses, rtol=1e-5, atol=1e-6)
        for a, b in ((together.model, alone.model), (together.ema, alone.ema)):
            assert a.sigma_data == b.sigma_data
            sa, sb = a.state_dict(), b.state_dict()
            assert sa.keys() == sb.keys()
            for key in sa:
                torch.testing.assert_close(sa[key], sb[key], rtol=1e-4, atol=1e-5)
    # two models with one seed but other data and noise range did not train alike
    assert not np.allclose(stacked[0].losses, stacked[2].losses)


def test_stacked_training_is_deterministic_and_resumes_bit_identically(tmp_path):
    datas, cfgs = _ensemble(steps=9, checkpoint_every=3)
    reference = _run_stacked(datas, cfgs)
    again = _run_stacked(datas, cfgs)
    ckpt = tmp_path / "ensemble.ckpt"

    def kill_at_step_7(step, losses):  # after the checkpoint of step 6
        assert losses.shape == (3,)
        if step == 7:
            raise Interrupted

    with pytest.raises(Interrupted):
        _run_stacked(datas, cfgs, checkpoint=ckpt, on_step=kill_at_step_7)
    assert load_checkpoint(ckpt)["step"] == 6
    assert [p.name for p in tmp_path.iterdir()] == ["ensemble.ckpt"]
    resumed = _run_stacked(datas, cfgs, checkpoint=ckpt)
    for ref, other, res in zip(reference, again, resumed, strict=True):
        assert res.resumed_from == 6
        for run in (other, res):
            assert _same_weights(ref.model, run.model) and _same_weights(ref.ema, run.ema)
            np.testing.assert_array_equal(ref.losses, run.losses)


def test_stacked_training_refuses_mismatched_configs_and_checkpoints(tmp_path):
    datas, cfgs = _ensemble(steps=2, checkpoint_every=1)
    other_steps = [*cfgs[:2], dataclasses.replace(cfgs[2], steps=3)]
    with pytest.raises(ValueError, match="differ in more than"):
        _run_stacked(datas, other_steps)
    ckpt = tmp_path / "ensemble.ckpt"
    _run_stacked(datas, cfgs, checkpoint=ckpt)
    with pytest.raises(ValueError, match="checkpoint was written with configs"):
        _run_stacked(datas, cfgs[::-1], checkpoint=ckpt)
