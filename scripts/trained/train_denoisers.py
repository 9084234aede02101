"""Train a set of denoisers together (sets x seeds, stacked weights); one model, loss curve and
training summary (run.json) per model; resumes if killed. Software, device and git state are in
the job's provenance record (thermodiff.io.finish_job), the one record of the job."""

import glob
import hashlib
import json
import time
from dataclasses import asdict
from pathlib import Path

from thermodiff import io as tio
from thermodiff import provenance
from thermodiff.models import count_parameters, data_sigma
from thermodiff.stages.trained import grids, training_sets
from thermodiff.training import (
    TrainConfig,
    make_model,
    resolve_device,
    save_model,
    train_denoisers,
)

log = tio.start_job(snakemake)
started, p, out = time.time(), snakemake.params, snakemake.output
device = resolve_device(p.device)
sets = [training_sets.load_training_set(tio.load_npz(path)) for path in snakemake.input.sets]
# model i: set i // len(seeds), seed i % len(seeds) (the order of the outputs)
runs = [(name, train, int(seed)) for name, train in zip(p.datasets, sets, strict=True)
        for seed in p.seeds]  # fmt: skip
cfgs = [
    TrainConfig(**p.training, seed=seed, **grids.noise_range(p.noise, train["t_ref"]))
    for _, train, seed in runs
]
archs = [{"dim": t["y"].shape[1], "sigma_data": data_sigma(t["y"]), **p.model} for _, t, _ in runs]
log.info("training %d models (%s) together on %s", len(runs),
         ", ".join(f"{name} seed {seed}" for name, _, seed in runs), device)  # fmt: skip
for (name, _, seed), arch, cfg in zip(runs, archs, cfgs, strict=True):
    log.info("%s seed %d: %s, %s", name, seed, arch, cfg)
# the checkpoint name carries the runs' settings: a stale one of other settings is never resumed
key = hashlib.sha256(json.dumps([archs, [asdict(c) for c in cfgs]], sort_keys=True).encode())
checkpoint = Path(p.checkpoint_dir) / f"{p.name}_{key.hexdigest()[:12]}.ckpt"
models = [make_model(seed, **arch) for (_, _, seed), arch in zip(runs, archs, strict=True)]
results = train_denoisers(
    models, [t["y"] for _, t, _ in runs], cfgs, checkpoint=checkpoint, device=device
)
for i, result in enumerate(results):
    (name, _, seed), arch, cfg = runs[i], archs[i], cfgs[i]
    save_model(out.models[i], result.ema, arch)
    tio.save_npz(out.losses[i], loss=result.losses)
    final = float(result.losses[-min(100, len(result.losses)) :].mean())
    tio.write_json(
        out.runs[i],
        {"dataset": name, "seed": seed, "device": device}
        | {"architecture": arch, "n_parameters": count_parameters(result.ema)}
        | {"training": asdict(cfg), "trained_with": len(runs)}
        | {"final_loss_last100": final},
    )
    log.info("%s seed %d: final loss %.4f", name, seed, final)
# finished: a rerun must start afresh, and the checkpoint of a killed run of other settings (a
# config edited after the kill) will never be resumed; the tree keeps neither
for stale in checkpoint.parent.glob(f"{glob.escape(p.name)}_{'[0-9a-f]' * 12}.ckpt"):
    stale.unlink(missing_ok=True)
# where a killed run resumed: a per-run fact (the outputs are those of an uninterrupted run), kept
# in the job's record, not in run.json; one checkpoint holds every model, so one step for all
provenance.note_per_run(resumed_from_step=max(result.resumed_from for result in results))
log.info("done: %d models, %.1f s", len(runs), time.time() - started)
tio.finish_job(snakemake)
