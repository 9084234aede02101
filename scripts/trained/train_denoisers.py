"""Train one denoiser (dataset x seed): model, loss curve and run record; resumes if killed."""

import hashlib
import json
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from thermodiff import io as tio
from thermodiff.models import count_parameters, data_sigma
from thermodiff.provenance import device_info, git_state, imported_versions
from thermodiff.stages import trained
from thermodiff.training import TrainConfig, make_model, resolve_device, save_model, train_denoiser

log = tio.start_job(snakemake)
started, p = time.time(), snakemake.params
train = trained.load_training_set(tio.load_npz(snakemake.input.train))
device = resolve_device(p.device)
t_ref, seed = train["t_ref"], int(snakemake.wildcards.seed)
cfg = TrainConfig(
    **p.training, seed=seed,
    sigma_min=float(np.sqrt(p.noise["t_min_over_tc"] * t_ref)),
    sigma_max=float(np.sqrt(p.noise["t_max_over_tc"] * t_ref)),
)  # fmt: skip
arch = {"dim": train["y"].shape[1], "sigma_data": data_sigma(train["y"]), **p.model}
log.info("training %s seed %d on %s: %s, %s", p.dataset, seed, device, arch, cfg)
# the checkpoint name carries the run's settings: a stale one of other settings is never resumed
key = hashlib.sha256(json.dumps([arch, asdict(cfg)], sort_keys=True).encode()).hexdigest()[:12]
checkpoint = Path(p.checkpoint_dir) / f"{p.dataset}_seed{seed}_{key}.ckpt"
model = make_model(seed, **arch)
result = train_denoiser(model, train["y"], cfg, checkpoint=checkpoint, device=device)
save_model(snakemake.output.model, result.ema, arch)
tio.save_npz(snakemake.output.losses, loss=result.losses)
checkpoint.unlink(missing_ok=True)  # finished: a rerun must start afresh
final = float(result.losses[-min(100, len(result.losses)) :].mean())
tio.write_json(
    snakemake.output.run,
    {"dataset": p.dataset, "seed": seed, "device": device, "device_info": device_info()}
    | {"architecture": arch, "n_parameters": count_parameters(result.ema), "training": asdict(cfg)}
    | {"final_loss_last100": final, "resumed_from_step": result.resumed_from}
    | {"versions": imported_versions(), "git": git_state()},  # wall time: in the job record
)
log.info("done: final loss %.4f, %.1f s", final, time.time() - started)
